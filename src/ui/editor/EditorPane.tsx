/**
 * The middle pane: file tabs, the (lazy) Monaco editor, Run / Reset, and
 * the problems list. Edits are saved per lesson and file (debounced, and
 * flushed when the page hides) and restored on reload.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LessonFile } from '../lessons/format';
import { editKey, load, remove, save } from '../util/storage';
import type { CheckResult, EditorHost, Problem } from './monaco';

export interface EditorApi {
  /** Current text of every file. */
  values(): Record<string, string>;
  /** Diagnostics + emitted JS (waits for Monaco if needed). */
  check(): Promise<CheckResult>;
  resetFile(path: string): void;
  resetAll(): void;
  setAll(files: Record<string, string>): void;
  reveal(p: Problem): void;
}

interface Props {
  lessonKey: string;
  files: LessonFile[];
  start: Record<string, string>;
  theme: 'light' | 'dark';
  problems: Problem[];
  running: boolean;
  canRun: boolean;
  onRun(): void;
  apiRef: { current: EditorApi | null };
}

let monacoPromise: Promise<typeof import('./monaco')> | null = null;
export function loadMonaco(): Promise<typeof import('./monaco')> {
  monacoPromise ??= import('./monaco');
  return monacoPromise;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const RUN_KEYS = isMac ? '⌘↵' : 'Ctrl+↵';

export function EditorPane({ lessonKey, files, start, theme, problems, running, canRun, onRun, apiRef }: Props) {
  const hostEl = useRef<HTMLDivElement>(null);
  const host = useRef<EditorHost | null>(null);
  const [ready, setReady] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [active, setActive] = useState(files[0]?.path ?? '');
  const [dirty, setDirty] = useState<Record<string, boolean>>({});
  const values = useRef<Record<string, string>>({});
  const timers = useRef<Record<string, ReturnType<typeof setTimeout>>>({});
  const runRef = useRef(onRun);
  runRef.current = onRun;
  /** The lesson the buffers belong to: set when its files open, so saves never cross lessons. */
  const scope = useRef({ lessonKey, start });

  // Buffers: the saved edit, else the lesson's start file.
  const initial = () => {
    const out: Record<string, string> = {};
    for (const f of files) out[f.path] = load<string | null>(editKey(lessonKey, f.path), null) ?? start[f.path] ?? '';
    return out;
  };

  const flush = () => {
    for (const [path, t] of Object.entries(timers.current)) {
      clearTimeout(t);
      persist(path);
    }
    timers.current = {};
  };

  const persist = (path: string) => {
    const v = values.current[path];
    if (v === undefined) return;
    const { lessonKey: key, start: base } = scope.current;
    if (v === (base[path] ?? '')) remove(editKey(key, path));
    else save(editKey(key, path), v);
  };

  const changed = (path: string, value: string) => {
    values.current[path] = value;
    const edited = value !== (scope.current.start[path] ?? '');
    setDirty((d) => (d[path] === edited ? d : { ...d, [path]: edited }));
    clearTimeout(timers.current[path]);
    timers.current[path] = setTimeout(() => {
      delete timers.current[path];
      persist(path);
    }, 300);
  };

  // (Re)open the lesson's files.
  useEffect(() => {
    scope.current = { lessonKey, start };
    values.current = initial();
    const d: Record<string, boolean> = {};
    for (const f of files) d[f.path] = values.current[f.path] !== (start[f.path] ?? '');
    setDirty(d);
    const first = files[0]?.path ?? '';
    setActive(first);
    host.current?.open(
      lessonKey,
      files.map((f) => ({ path: f.path, value: values.current[f.path]!, language: f.language, readonly: f.readonly })),
      first,
    );
    return flush;
  }, [lessonKey, files, start]);

  // Monaco arrives after first paint.
  useEffect(() => {
    let disposed = false;
    const boot = () =>
      loadMonaco().then(
        (m) => {
          if (disposed || !hostEl.current) return;
          const h = m.createEditor(hostEl.current, theme);
          host.current = h;
          h.onChange(changed);
          h.onRun(() => runRef.current());
          h.open(
            lessonKey,
            files.map((f) => ({ path: f.path, value: values.current[f.path] ?? '', language: f.language, readonly: f.readonly })),
            active || files[0]?.path || '',
          );
          setReady(true);
          // For `npm run bench`: the moment the editor can be typed into.
          performance.mark('nova-lab:monaco-ready');
        },
        (err: unknown) => setLoadError(`The editor could not load (${(err as Error).message}). Your saved edits are kept.`),
      );
    const id = typeof requestIdleCallback === 'function' ? requestIdleCallback(() => void boot(), { timeout: 300 }) : setTimeout(() => void boot(), 50);
    const onHide = () => flush();
    addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      disposed = true;
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(id as number);
      else clearTimeout(id as ReturnType<typeof setTimeout>);
      removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
      flush();
      host.current?.dispose();
      host.current = null;
    };
  }, []);

  useEffect(() => host.current?.setTheme(theme), [theme, ready]);
  useEffect(() => host.current?.show(active), [active, ready]);

  apiRef.current = {
    values: () => ({ ...values.current }),
    async check() {
      if (!host.current) await loadMonaco();
      // Monaco and its TS worker can take a while on a busy machine: wait up to 30 s.
      for (let i = 0; i < 600 && !host.current; i++) await new Promise((r) => setTimeout(r, 50));
      if (!host.current) throw new Error('the editor is not ready');
      return host.current.check();
    },
    resetFile(path) {
      const text = start[path] ?? '';
      if (host.current) host.current.replace(path, text);
      changed(path, text);
    },
    resetAll() {
      for (const f of files) apiRef.current!.resetFile(f.path);
    },
    setAll(next) {
      for (const [path, text] of Object.entries(next)) {
        if (!files.some((f) => f.path === path)) continue;
        if (host.current) host.current.replace(path, text);
        changed(path, text);
      }
    },
    reveal(p) {
      setActive(p.path);
      host.current?.reveal(p);
    },
  };

  const errors = problems.filter((p) => p.severity === 'error');
  const activeFile = files.find((f) => f.path === active);

  return (
    <section class="pane editor-pane" aria-label="Editor">
      <div class="pane-bar">
        <div class="tabs" role="tablist" aria-label="Lesson files">
          {files.map((f) => (
            <button
              key={f.path}
              role="tab"
              id={`tab-${f.path}`}
              aria-selected={f.path === active}
              aria-controls="editor-panel"
              class={`tab${f.path === active ? ' active' : ''}`}
              title={f.path}
              onClick={() => setActive(f.path)}
            >
              <span class={`file-icon lang-${f.language}`} aria-hidden="true" />
              {f.path.split('/').pop()}
              {dirty[f.path] && <span class="dirty" title="edited (saved in this browser)" aria-label="edited" />}
            </button>
          ))}
          {files.length === 0 && <span class="muted tab-empty">no files to edit in this lesson</span>}
        </div>
        <div class="bar-actions">
          {activeFile && (
            <button class="btn ghost" disabled={!dirty[active]} onClick={() => apiRef.current?.resetFile(active)} title="Reset this file to the lesson's start (Ctrl+Z undoes it)">
              Reset file
            </button>
          )}
          <button class="btn primary run" onClick={onRun} disabled={!canRun || running} aria-keyshortcuts="Control+Enter Meta+Enter" data-running={running ? 'true' : 'false'}>
            {running ? <span class="spinner" aria-hidden="true" /> : <span aria-hidden="true">▶</span>}
            {running ? 'Running…' : 'Run'}
            <kbd>{RUN_KEYS}</kbd>
          </button>
        </div>
      </div>
      <div class="path-line mono" aria-hidden="true">
        {activeFile ? activeFile.path : ''}
      </div>
      <div class="editor-host" id="editor-panel" role="tabpanel" aria-labelledby={activeFile ? `tab-${active}` : undefined}>
        <div ref={hostEl} class="monaco-host" data-ready={ready ? 'true' : 'false'} />
        {!ready && (
          <div class="editor-fallback">
            <pre class="mono">{values.current[active] ?? start[active] ?? ''}</pre>
            <div class="loading-note">{loadError ?? 'Loading the editor…'}</div>
          </div>
        )}
      </div>
      {problems.length > 0 && (
        <div class="problems" role="region" aria-label="Problems">
          <div class="problems-head">
            <strong>{errors.length ? `${errors.length} error${errors.length > 1 ? 's' : ''}: fix before running` : `${problems.length} warning${problems.length > 1 ? 's' : ''}`}</strong>
          </div>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                <button class={`problem ${p.severity}`} onClick={() => apiRef.current?.reveal(p)}>
                  <span class="sev" aria-hidden="true">{p.severity === 'error' ? '✕' : '!'}</span>
                  <span class="where mono">
                    {p.path.split('/').pop()}:{p.line}:{p.column}
                  </span>
                  <span class="msg">{p.message}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
