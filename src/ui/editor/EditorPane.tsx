/**
 * The middle pane: file tabs, the (lazy) Monaco editor, Run / Reset, and
 * the problems list. Edits are saved per lesson and file (debounced, and
 * flushed when the page hides) and restored on reload.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { LessonFile } from '../lessons/format';
import type { Release } from '../../nova/releases';
import { Icon } from '../components/Icon';
import { t, useLocale } from '../i18n';
import { editKey, load, remove, save } from '../util/storage';
import { afterFirstCluster } from '../util/startup';
import { startTsWorker } from './ts_worker_early';
import type { CheckResult, EditorHost, EditorOptions, Problem } from './monaco';

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
  /** conf/<service>.conf path -> the releases that service runs at (for the nova.conf checks). */
  releases?: Record<string, Release[]>;
}

const FONT_SIZES = [11, 12, 13, 14, 16, 18, 20];

/** The editor settings, kept in this browser. */
function useEditorOptions(): [EditorOptions, (o: Partial<EditorOptions>) => void] {
  const [o, setO] = useState<EditorOptions>(() => ({ wordWrap: load<boolean>('editor:wordWrap', false), fontSize: load<number>('editor:fontSize', 13) }));
  return [
    o,
    (p) => {
      const next = { ...o, ...p };
      setO(next);
      save('editor:wordWrap', next.wordWrap);
      save('editor:fontSize', next.fontSize);
    },
  ];
}

/** The longest Monaco waits for the page's first cluster (a slow or busy machine). */
const MONACO_WAIT_CAP_MS = 2000;

let monacoPromise: Promise<typeof import('./monaco')> | null = null;
export function loadMonaco(): Promise<typeof import('./monaco')> {
  monacoPromise ??= import('./monaco');
  return monacoPromise;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const RUN_KEYS = isMac ? '⌘↵' : 'Ctrl+↵';
/** Monaco's "toggle Tab moves focus" keys. */
export const TAB_FOCUS_KEYS = isMac ? 'Ctrl+Shift+M' : 'Ctrl+M';

export function EditorPane({ lessonKey, files, start, theme, problems, running, canRun, onRun, apiRef, releases }: Props) {
  useLocale();
  const hostEl = useRef<HTMLDivElement>(null);
  const tabsEl = useRef<HTMLDivElement>(null);
  const [options, setOptions] = useEditorOptions();
  const [focused, setFocused] = useState(false);
  const [overflow, setOverflow] = useState(false);
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

  const editorFiles = () => files.map((f) => ({ path: f.path, value: values.current[f.path] ?? '', language: f.language, readonly: f.readonly, releases: releases?.[f.path] }));
  const editorFilesRef = useRef(editorFiles);
  editorFilesRef.current = editorFiles;

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

  // (Re)open the lesson's files. A layout effect: it runs before the new
  // tabs are painted, so a tab chosen right after a lesson switch is never
  // reset by this effect arriving late (a plain effect waits for a frame,
  // and a click could land in between; an e2e test under load did).
  const openedKey = useRef<string | null>(null);
  const activeRef = useRef(active);
  activeRef.current = active;
  useLayoutEffect(() => {
    scope.current = { lessonKey, start };
    values.current = initial();
    const d: Record<string, boolean> = {};
    for (const f of files) d[f.path] = values.current[f.path] !== (start[f.path] ?? '');
    setDirty(d);
    // The same lesson re-opened (its start texts arrived, say) keeps the file the reader chose.
    const keep = openedKey.current === lessonKey && files.some((f) => f.path === activeRef.current);
    openedKey.current = lessonKey;
    const first = keep ? activeRef.current : (files[0]?.path ?? '');
    setActive(first);
    host.current?.open(lessonKey, editorFiles(), first);
    return flush;
  }, [lessonKey, files, start]);

  // Monaco arrives after first paint, and after the page's first cluster
  // (startup.ts): both load on the same cores, and the editor module's
  // evaluation is one long task on the thread that runs the broker.
  useEffect(() => {
    let disposed = false;
    const boot = () =>
      afterFirstCluster(MONACO_WAIT_CAP_MS)
        .then(() => {
          // The TypeScript worker loads on another core while the editor module evaluates here.
          if (editorFilesRef.current().some((f) => f.language === 'typescript')) startTsWorker();
          return loadMonaco();
        })
        .then(
        (m) => {
          if (disposed || !hostEl.current) return;
          const h = m.createEditor(hostEl.current, theme, options, t('editor.aria', { keys: TAB_FOCUS_KEYS }));
          host.current = h;
          h.onChange(changed);
          h.onRun(() => runRef.current());
          h.onFocusChange(setFocused);
          h.open(lessonKey, editorFilesRef.current(), active || files[0]?.path || '');
          setReady(true);
          // For `npm run bench`: the moment the editor can be typed into.
          performance.mark('nova-lab:monaco-ready');
        },
        (err: unknown) => setLoadError(t('editor.loadError', { error: (err as Error).message })),
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
  useEffect(() => host.current?.setOptions(options), [options.wordWrap, options.fontSize, ready]);
  useEffect(() => host.current?.show(active), [active, ready]);

  // Tabs that do not fit scroll, and a file list appears so every file stays one step away.
  useLayoutEffect(() => {
    const el = tabsEl.current;
    if (!el) return;
    const measure = () => setOverflow(el.scrollWidth > el.clientWidth + 1);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [files]);
  useEffect(() => {
    // Scroll the tab strip itself: scrollIntoView also moves the browser's
    // sequential focus starting point (Chromium), so the page's first Tab
    // would skip the skip link and land after the active file tab.
    const strip = tabsEl.current;
    const el = strip?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!strip || !el) return;
    const left = el.offsetLeft - strip.offsetLeft;
    if (left < strip.scrollLeft) strip.scrollLeft = left;
    else if (left + el.offsetWidth > strip.scrollLeft + strip.clientWidth) strip.scrollLeft = left + el.offsetWidth - strip.clientWidth;
  }, [active, overflow]);

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
  const onTabKey = (e: KeyboardEvent) => {
    const i = files.findIndex((f) => f.path === active);
    let j = i;
    if (e.key === 'ArrowRight') j = (i + 1) % files.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + files.length) % files.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = files.length - 1;
    else return;
    e.preventDefault();
    const path = files[j]!.path;
    setActive(path);
    (tabsEl.current?.querySelector(`[data-path="${CSS.escape(path)}"]`) as HTMLElement | null)?.focus();
  };

  return (
    <section class="pane editor-pane" aria-label={t('editor.label')} id="editor-pane">
      <div class="pane-bar">
        <div class={`tabs file-tabs${overflow ? ' overflowing' : ''}`} role="tablist" aria-label={t('editor.files')} ref={tabsEl} onKeyDown={onTabKey}>
          {files.map((f) => (
            <button
              key={f.path}
              role="tab"
              id={`tab-${f.path}`}
              data-path={f.path}
              aria-selected={f.path === active}
              aria-controls="editor-panel"
              tabIndex={f.path === active ? 0 : -1}
              class={`tab${f.path === active ? ' active' : ''}`}
              title={f.path}
              onClick={() => setActive(f.path)}
            >
              <span class={`file-icon lang-${f.language}`} aria-hidden="true" />
              {f.path.split('/').pop()}
              {dirty[f.path] && <span class="dirty" title={t('editor.edited.title')} role="img" aria-label={t('editor.edited')} />}
            </button>
          ))}
          {files.length === 0 && <span class="muted tab-empty">{t('editor.noFiles')}</span>}
        </div>
        {overflow && (
          <label class="file-select">
            <Icon name="files" size={13} />
            <span class="sr-only">{t('editor.fileList')}</span>
            <select value={active} onChange={(e) => setActive((e.target as HTMLSelectElement).value)} title={t('editor.fileList')}>
              {files.map((f) => (
                <option value={f.path}>
                  {f.path}
                  {dirty[f.path] ? ` • ${t('editor.edited')}` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <div class="bar-actions">
          <button class="btn primary run" onClick={() => !running && onRun()} disabled={!canRun} aria-disabled={running} aria-keyshortcuts="Control+Enter Meta+Enter" data-running={running ? 'true' : 'false'}>
            {running ? <span class="spinner" aria-hidden="true" /> : <span aria-hidden="true">▶</span>}
            {running ? t('editor.running') : t('editor.run')}
            <kbd>{RUN_KEYS}</kbd>
          </button>
        </div>
      </div>
      <div class="path-line">
        <span class="mono" aria-hidden="true">
          {activeFile ? activeFile.path : ''}
        </span>
        <span class={`kbd-hint${focused ? ' on' : ''}`} aria-hidden={!focused}>
          {t('editor.leaveHint', { keys: TAB_FOCUS_KEYS })}
        </span>
        <div class="file-tools">
          {activeFile && (
            <button class="btn ghost reset-file" disabled={!dirty[active]} onClick={() => apiRef.current?.resetFile(active)} title={t('editor.resetFile.title')}>
              {t('editor.resetFile')}
            </button>
          )}
          <details class="editor-settings menu-pop">
            <summary class="icon-btn" aria-label={t('editor.settings')} title={t('editor.settings')}>
              <Icon name="gear" size={15} />
            </summary>
            <div class="pop" role="group" aria-label={t('editor.settings')}>
              <label class="check">
                <input type="checkbox" checked={options.wordWrap} onChange={(e) => setOptions({ wordWrap: (e.target as HTMLInputElement).checked })} />
                {t('editor.wordWrap')}
              </label>
              <label class="field-row">
                {t('editor.fontSize')}
                <select value={String(options.fontSize)} onChange={(e) => setOptions({ fontSize: Number((e.target as HTMLSelectElement).value) })}>
                  {FONT_SIZES.map((n) => (
                    <option value={String(n)}>{n}px</option>
                  ))}
                </select>
              </label>
              <p class="muted small">{t('editor.leaveHint', { keys: TAB_FOCUS_KEYS })}</p>
            </div>
          </details>
        </div>
      </div>
      <div class="editor-host" id="editor-panel" role="tabpanel" aria-labelledby={activeFile ? `tab-${active}` : undefined}>
        <div ref={hostEl} class="monaco-host" data-ready={ready ? 'true' : 'false'} />
        {!ready && (
          <div class="editor-fallback">
            <pre class="mono">{values.current[active] ?? start[active] ?? ''}</pre>
            <div class="loading-note">{loadError ?? t('editor.loading')}</div>
          </div>
        )}
      </div>
      {problems.length > 0 && (
        <div class="problems" role="region" aria-label={t('editor.problems')}>
          <div class="problems-head">
            <strong>{errors.length ? t(errors.length > 1 ? 'editor.errors' : 'editor.error', { n: errors.length }) : t(problems.length > 1 ? 'editor.warnings' : 'editor.warning', { n: problems.length })}</strong>
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
