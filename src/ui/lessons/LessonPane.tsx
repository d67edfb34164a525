/** The lesson pane: list with progress, goal with a live check, text, hints, solution, reset, prev/next. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { highlight, renderInline, renderMarkdown } from '../markdown';
import type { ExpectationResult, Expectation } from '../sim/session';
import type { LessonContent, LessonMeta } from './format';

interface Props {
  lessons: LessonMeta[];
  lesson: LessonMeta;
  content: LessonContent | null;
  solved: Set<string>;
  results: ExpectationResult[] | null;
  onUseSolution(files: Record<string, string>): void;
  onResetAll(): void;
}

function describeExpectation(x: Expectation): string {
  if (x.description) return x.description;
  switch (x.expect) {
    case 'event':
      return `an event ${Object.entries(x.match).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'no_event':
      return `no event ${Object.entries(x.match).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'instance':
      return `${x.server}: ${[x.vm_state && `vm_state ${x.vm_state}`, x.task_state !== undefined && `task_state ${x.task_state}`, x.host !== undefined && `host ${x.host}`].filter(Boolean).join(', ')}`;
    case 'actions':
      return `api actions: ${x.all_ok ? 'all accepted' : `${x.ok ?? '?'} accepted, ${x.failed ?? '?'} refused`}`;
    case 'queue':
      return `queue ${x.queue} holds ${x.depth}`;
    default: {
      const y = x as { expect: string; match?: Record<string, unknown>; contains?: string; lacks?: string };
      const m = y.match ? ` ${Object.entries(y.match).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` : '';
      return `${y.expect}${m}${y.contains ? ` contains ${y.contains}` : ''}${y.lacks ? ` lacks ${y.lacks}` : ''}`;
    }
  }
}

export function LessonPane({ lessons, lesson, content, solved, results, onUseSolution, onResetAll }: Props) {
  const [hints, setHints] = useState(0);
  const [showSolution, setShowSolution] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setHints(0);
    setShowSolution(false);
    setConfirmReset(false);
    scroller.current?.scrollTo(0, 0);
  }, [lesson.dir]);
  const html = useMemo(() => renderMarkdown(lesson.body), [lesson.body]);
  const idx = lessons.indexOf(lesson);
  const prev = lessons[idx - 1];
  const next = lessons[idx + 1];
  const expectations = content?.scenario?.expect ?? [];
  const status = results === null ? 'todo' : results.length > 0 && results.every((r) => r.ok) ? 'done' : 'fail';
  const solutionFiles = Object.entries(content?.solution ?? {});

  return (
    <section class="pane lesson-pane" aria-label="Lesson">
      <div class="pane-bar">
        <details class="lesson-menu">
          <summary>
            <span class="muted">Lesson</span> {idx + 1}/{lessons.length}
            <span class="progress" aria-hidden="true">
              <span style={{ width: `${(100 * solved.size) / Math.max(1, lessons.length)}%` }} />
            </span>
            <span class="muted small">{solved.size} solved</span>
            <span class="sr-only">: show all lessons</span>
          </summary>
          <ol class="menu">
            {lessons.map((l, i) => (
              <li key={l.dir}>
                <a href={`#/lesson/${l.slug}`} aria-current={l === lesson ? 'page' : undefined} onClick={(e) => (e.currentTarget.closest('details') as HTMLDetailsElement).removeAttribute('open')}>
                  <span class={`tick${solved.has(l.dir) ? ' solved' : ''}`} aria-label={solved.has(l.dir) ? 'solved' : 'not solved'}>
                    {solved.has(l.dir) ? '✓' : i + 1}
                  </span>
                  <span>{l.title}</span>
                  {l.sample && <span class="chip">sample</span>}
                </a>
              </li>
            ))}
          </ol>
        </details>
        <nav class="prevnext" aria-label="Lesson navigation">
          <a class={`btn ghost small${prev ? '' : ' disabled'}`} href={prev ? `#/lesson/${prev.slug}` : undefined} aria-disabled={!prev} aria-label="Previous lesson">
            ←
          </a>
          <a class={`btn ghost small${next ? '' : ' disabled'}`} href={next ? `#/lesson/${next.slug}` : undefined} aria-disabled={!next} aria-label="Next lesson">
            →
          </a>
        </nav>
      </div>
      <div class="lesson-scroll" ref={scroller}>
        <h2 class="lesson-title">
          {lesson.title}
          {lesson.sample && <span class="chip">sample</span>}
        </h2>
        {lesson.error && <div class="notice error">This lesson's README has a problem: {lesson.error}</div>}
        {content?.error && <div class="notice error">{content.error}</div>}
        {lesson.goal && (
          <div class={`goal g-${status}`} data-status={status} aria-live="polite">
            <span class="goal-mark" aria-hidden="true">
              {status === 'done' ? '✓' : status === 'fail' ? '✕' : '○'}
            </span>
            <div>
              <div class="goal-label">
                Goal
                <span class="sr-only">{status === 'done' ? ': reached' : status === 'fail' ? ': not reached yet' : ': not run yet'}</span>
              </div>
              <div class="goal-text" dangerouslySetInnerHTML={{ __html: renderInline(lesson.goal) }} />
              {expectations.length > 0 && (
                <ul class="checks">
                  {expectations.map((x, i) => {
                    const r = results?.[i];
                    return (
                      <li key={i} class={r ? (r.ok ? 'ok' : 'bad') : ''} title={r?.detail}>
                        <span aria-hidden="true">{r ? (r.ok ? '✓' : '✕') : '·'}</span> {describeExpectation(x)}
                        {r && !r.ok && <div class="detail muted">{r.detail}</div>}
                      </li>
                    );
                  })}
                </ul>
              )}
            </div>
          </div>
        )}
        <article class="prose" dangerouslySetInnerHTML={{ __html: html }} />
        <div class="lesson-tools">
          {lesson.hints.slice(0, hints).map((h, i) => (
            <div class="hint" key={i}>
              <span class="hint-n">Hint {i + 1}</span>
              <div dangerouslySetInnerHTML={{ __html: renderInline(h) }} />
            </div>
          ))}
          <div class="row wrap">
            {lesson.hints.length > 0 && (
              <button class="btn" onClick={() => setHints(hints + 1)} disabled={hints >= lesson.hints.length}>
                {hints >= lesson.hints.length ? 'No more hints' : `Show a hint (${hints + 1}/${lesson.hints.length})`}
              </button>
            )}
            {solutionFiles.length > 0 && (
              <button class="btn" aria-expanded={showSolution} onClick={() => setShowSolution(!showSolution)}>
                {showSolution ? 'Hide solution' : 'Show solution'}
              </button>
            )}
            {confirmReset ? (
              <>
                <button
                  class="btn danger"
                  onClick={() => {
                    onResetAll();
                    setConfirmReset(false);
                  }}
                >
                  Reset every file
                </button>
                <button class="btn ghost" onClick={() => setConfirmReset(false)}>
                  Keep my edits
                </button>
              </>
            ) : (
              <button class="btn ghost" onClick={() => setConfirmReset(true)}>
                Reset…
              </button>
            )}
          </div>
          {showSolution && (
            <div class="solution">
              {solutionFiles.map(([path, text]) => (
                <div key={path}>
                  <div class="path-line mono">{path}</div>
                  <pre class="code" tabIndex={0}>
                    <code class="hljs" dangerouslySetInnerHTML={{ __html: highlight(text, path.endsWith('.ts') ? 'typescript' : 'ini') }} />
                  </pre>
                </div>
              ))}
              <button class="btn" onClick={() => onUseSolution(content!.solution)} title="Replaces the editor's text (Ctrl+Z in the editor undoes it)">
                Put the solution in the editor
              </button>
            </div>
          )}
        </div>
        <nav class="lesson-foot" aria-label="Next and previous lesson">
          {prev ? (
            <a class="foot-link" href={`#/lesson/${prev.slug}`}>
              <span class="muted small">← Previous</span>
              <span>{prev.title}</span>
            </a>
          ) : (
            <span />
          )}
          {next && (
            <a class="foot-link right" href={`#/lesson/${next.slug}`}>
              <span class="muted small">Next →</span>
              <span>{next.title}</span>
            </a>
          )}
        </nav>
      </div>
    </section>
  );
}
