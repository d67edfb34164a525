/**
 * The lesson pane: list with progress, goal with a live check, text, hints,
 * solution, reset, prev/next. After a run the goal box scrolls into view:
 * solved says so and leads on; failed checks say what they expected and
 * what the run did, with a link that selects the event in the diagram;
 * results of code edited since are marked stale.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useMarkdown } from '../markdown_lazy';
import type { ExpectationResult, Expectation, TraceEvent } from '../sim/session';
import { localized, type LessonContent, type LessonMeta } from './format';
import { explainCheck } from './checks';
import { t, useLocale } from '../i18n';
import { selectEvent } from './select';
import { useLessonTranslations } from './load';

interface Props {
  lessons: LessonMeta[];
  lesson: LessonMeta;
  content: LessonContent | null;
  solved: Set<string>;
  results: ExpectationResult[] | null;
  /** The trace of the run the results belong to. */
  events?: readonly TraceEvent[];
  /** The files changed since the run the results belong to. */
  stale?: boolean;
  running?: boolean;
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

export function LessonPane({ lessons, lesson: meta, content, solved, results, events = [], stale = false, running = false, onUseSolution, onResetAll }: Props) {
  const locale = useLocale();
  const translated = useLessonTranslations(locale);
  // `content` too: the lesson text (meta.body) arrives with it.
  const lesson = useMemo(() => localized(meta, locale), [meta, locale, translated, content]);
  const untranslated = translated && locale !== 'en' && !meta.translations?.[locale];
  const goalRef = useRef<HTMLDivElement>(null);
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
  // A finished run: bring its result into view (it may be far above the text being read).
  // Scroll the pane itself, never the page around it (an embed must not move its host page).
  useEffect(() => {
    const g = goalRef.current;
    const sc = scroller.current;
    if (!results || !g || !sc) return;
    const gr = g.getBoundingClientRect();
    const sr = sc.getBoundingClientRect();
    if (gr.top < sr.top || gr.top > sr.bottom - 60) sc.scrollTo?.({ top: sc.scrollTop + gr.top - sr.top - 8, behavior: 'smooth' });
  }, [results]);
  const { renderMarkdown, renderInline, highlight } = useMarkdown();
  const html = useMemo(() => renderMarkdown(lesson.body), [lesson.body, renderMarkdown]);
  const idx = lessons.indexOf(meta);
  const prev = lessons[idx - 1] && localized(lessons[idx - 1]!, locale);
  const next = lessons[idx + 1] && localized(lessons[idx + 1]!, locale);
  const expectations = content?.scenario?.expect ?? [];
  const status = running ? 'running' : results === null ? 'todo' : results.length > 0 && results.every((r) => r.ok) ? 'done' : 'fail';
  const failed = results?.filter((r) => !r.ok).length ?? 0;
  const solutionFiles = Object.entries(content?.solution ?? {});
  const checkText = (x: Expectation, i: number) => lesson.checks?.[i] || describeExpectation(x);

  return (
    <section class="pane lesson-pane" aria-label={t('lesson.pane')}>
      <div class="pane-bar">
        <details class="lesson-menu">
          <summary>
            <span class="muted">{t('lesson.position', { n: idx + 1, total: lessons.length })}</span>
            <span class="progress" aria-hidden="true">
              <span style={{ width: `${(100 * solved.size) / Math.max(1, lessons.length)}%` }} />
            </span>
            <span class="muted small">{t('lesson.solvedCount', { n: solved.size })}</span>
            <span class="sr-only">{t('lesson.showAll')}</span>
          </summary>
          <ol class="menu">
            {lessons.map((l, i) => (
              <li key={l.dir}>
                <a href={`#/lesson/${l.slug}`} aria-current={l === meta ? 'page' : undefined} onClick={(e) => (e.currentTarget.closest('details') as HTMLDetailsElement).removeAttribute('open')}>
                  <span class={`tick${solved.has(l.dir) ? ' solved' : ''}`} aria-label={solved.has(l.dir) ? t('lesson.solved') : t('lesson.notSolved')}>
                    {solved.has(l.dir) ? '✓' : i + 1}
                  </span>
                  <span>{localized(l, locale).title}</span>
                  {l.sample && <span class="chip">{t('lesson.sample')}</span>}
                </a>
              </li>
            ))}
          </ol>
        </details>
        <nav class="prevnext" aria-label={t('lesson.nav')}>
          <a class={`btn ghost small${prev ? '' : ' disabled'}`} href={prev ? `#/lesson/${prev.slug}` : undefined} aria-disabled={!prev} aria-label={t('lesson.prev')}>
            ←
          </a>
          <a class={`btn ghost small${next ? '' : ' disabled'}`} href={next ? `#/lesson/${next.slug}` : undefined} aria-disabled={!next} aria-label={t('lesson.next')}>
            →
          </a>
        </nav>
      </div>
      <div class="lesson-scroll" ref={scroller}>
        <h2 class="lesson-title">
          {lesson.title}
          {lesson.sample && <span class="chip">{t('lesson.sample')}</span>}
        </h2>
        {untranslated && <div class="notice info">{t('lesson.translationMissing')}</div>}
        {lesson.error && <div class="notice error">{t('lesson.readmeError', { error: lesson.error })}</div>}
        {content?.error && <div class="notice error">{content.error}</div>}
        {lesson.goal && (
          <div ref={goalRef} class={`goal g-${status}${stale && results ? ' stale' : ''}`} data-status={status} data-stale={stale && results ? 'true' : undefined} aria-live="polite">
            <span class="goal-mark" aria-hidden="true">
              {status === 'done' ? '✓' : status === 'fail' ? '✕' : status === 'running' ? '…' : '○'}
            </span>
            <div>
              <div class="goal-label">
                {t('goal.label')}
                <span class="sr-only">{status === 'done' ? t('goal.reached') : status === 'fail' ? t('goal.notReached') : t('goal.notRun')}</span>
              </div>
              <div class="goal-text" dangerouslySetInnerHTML={{ __html: renderInline(lesson.goal) }} />
              {status === 'running' && <div class="goal-state muted">{t('goal.running')}</div>}
              {stale && results && <div class="goal-stale" role="status">{t('goal.stale')}</div>}
              {status === 'done' && (
                <div class="goal-solved" role="status">
                  <strong>{t('goal.solved')}</strong>
                  {next ? (
                    <a class="btn primary small next-lesson" href={`#/lesson/${next.slug}`}>
                      {t('goal.nextLesson', { title: next.title })} →
                    </a>
                  ) : (
                    <>
                      <span>{t('goal.courseDone')}</span>
                      <a class="btn small" href="#/sandbox">
                        {t('goal.sandbox')}
                      </a>
                    </>
                  )}
                </div>
              )}
              {status === 'fail' && failed > 0 && <div class="goal-state">{t('goal.failedCount', { n: failed, total: results!.length })}</div>}
              {expectations.length > 0 && (
                <ul class="checks">
                  {expectations.map((x, i) => {
                    const r = status === 'running' ? undefined : results?.[i];
                    const why = r && !r.ok ? explainCheck(x, r, events, locale) : null;
                    return (
                      <li key={i} class={r ? (r.ok ? 'ok' : 'bad') : ''} title={r?.detail}>
                        <span aria-hidden="true">{r ? (r.ok ? '✓' : '✕') : '·'}</span> {checkText(x, i)}
                        {why && (
                          <div class="detail">
                            {why.text}
                            {why.eventId && (
                              <>
                                {' '}
                                <button type="button" class="linklike event-link" data-event={why.eventId} onClick={() => selectEvent(why.eventId!)}>
                                  {t('check.showEvent', { id: why.eventId })}
                                </button>
                              </>
                            )}
                          </div>
                        )}
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
              <span class="hint-n">{t('hint.label', { n: i + 1 })}</span>
              <div dangerouslySetInnerHTML={{ __html: renderInline(h) }} />
            </div>
          ))}
          <div class="row wrap">
            {lesson.hints.length > 0 && (
              <button class="btn" onClick={() => setHints(hints + 1)} disabled={hints >= lesson.hints.length}>
                {hints >= lesson.hints.length ? t('hint.none') : t('hint.show', { n: hints + 1, total: lesson.hints.length })}
              </button>
            )}
            {solutionFiles.length > 0 && (
              <button class="btn" aria-expanded={showSolution} onClick={() => setShowSolution(!showSolution)}>
                {showSolution ? t('solution.hide') : t('solution.show')}
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
                  {t('reset.all')}
                </button>
                <button class="btn ghost" onClick={() => setConfirmReset(false)}>
                  {t('reset.keep')}
                </button>
              </>
            ) : (
              <button class="btn ghost" onClick={() => setConfirmReset(true)}>
                {t('reset.ask')}
              </button>
            )}
          </div>
          {showSolution && (
            <div class="solution">
              {solutionFiles.map(([path, text]) => (
                <div key={path}>
                  <div class="path-line mono">{path}</div>
                  <pre class="code" tabIndex={0}>
                    <code class="hljs" dangerouslySetInnerHTML={{ __html: highlight(text, path.endsWith('.ts') ? 'typescript' : path.endsWith('.json') ? 'json' : 'ini') }} />
                  </pre>
                </div>
              ))}
              <button class="btn" onClick={() => onUseSolution(content!.solution)} title={t('solution.putTitle')}>
                {t('solution.put')}
              </button>
            </div>
          )}
        </div>
        <nav class="lesson-foot" aria-label={t('lesson.footNav')}>
          {prev ? (
            <a class="foot-link" href={`#/lesson/${prev.slug}`}>
              <span class="muted small">{t('lesson.footPrev')}</span>
              <span>{prev.title}</span>
            </a>
          ) : (
            <span />
          )}
          {next && (
            <a class="foot-link right" href={`#/lesson/${next.slug}`}>
              <span class="muted small">{t('lesson.footNext')}</span>
              <span>{next.title}</span>
            </a>
          )}
        </nav>
      </div>
    </section>
  );
}
