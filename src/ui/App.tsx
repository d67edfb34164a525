/**
 * nova-upgrade-lab: header, routes (#/lesson/<slug>, #/sandbox) and the
 * three regions (lesson | editor | simulation), wired to a PlaygroundSession.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { EditorPane, type EditorApi } from './editor/EditorPane';
import type { Problem } from './editor/monaco';
import { LessonPane } from './lessons/LessonPane';
import { LESSONS, lessonBySlug, loadLessonContent } from './lessons/load';
import { languageOf, type LessonContent, type LessonFile, type LessonMeta } from './lessons/format';
import { SimPane, loadRunCompare } from './SimPane';
import { ClusterView } from './cluster/ClusterView';
import { Splitter } from './components/Splitter';
import { Icon } from './components/Icon';
import { isCrash, type ExpectationResult, type ServiceDef } from './sim/session';
import type { Release } from '../nova/releases';
import { bump, getSession, useLiveSession } from './sim/live';
import { statusText } from './sim/status_text';
import { parseRoute, replaceRoute, useRoute, type Route } from './util/route';
import { useTheme } from './util/theme';
import { backupKey, editKey, load, save } from './util/storage';
import type { ShareState } from './share/state';
import { loadCodec } from './share/codec';
import { appUrl, changedFiles, conflictingEdits, parseEmbedParams, sharedBuffers, type EmbedChoice, type EmbedParams, type Pane } from './share/links';
import { ConflictDialog, EmbedDialog, ShareDialog } from './share/ShareDialogs';
import { EmbedFrame, EmbedSandbox, EmbedSim, type Notice } from './embed/Embed';
import { ErrorBoundary } from './components/ErrorBoundary';
import { StorageGuard } from './components/StorageGuard';
import { countOpened, notStarted, planOpen } from './share/open';
import { getLocale, LOCALE_NAMES, LOCALES, isLocale, setLocale, t, useLocale } from './i18n';
import { releasesForConf } from './editor/conf_releases';
import type { TraceEvent } from './sim/session';
import { PlannerMode } from './planner/lazy';

type SetNotice = (n: Notice | null) => void;

/** What the current mode can share / embed (registered by the mode, read when a button is pressed). */
interface Sources {
  share(): ShareState | null;
  embed(): EmbedChoice;
}

// --- layout -----------------------------------------------------------------------------

function useWidth(key: string, auto: () => number): [number, (v: number) => void] {
  const [w, setW] = useState<number>(() => load<number | null>(key, null) ?? auto());
  return [
    w,
    (v: number) => {
      setW(v);
      save(key, v);
    },
  ];
}

/** Below this width the panes become tabs (Lesson / Code / Cluster) with Run always in view. */
export const NARROW = 900;

export function useNarrow(): boolean {
  const query = `(max-width: ${NARROW - 1}px)`;
  const [narrow, setNarrow] = useState(() => typeof matchMedia === 'function' && matchMedia(query).matches);
  useEffect(() => {
    const mq = matchMedia(query);
    const on = () => setNarrow(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return narrow;
}

/** Esc closes an open disclosure menu (the lesson list, the editor settings), and so does a click outside it. */
function useMenusClose(): void {
  useEffect(() => {
    const openMenus = () => [...document.querySelectorAll<HTMLDetailsElement>('details.lesson-menu[open], details.menu-pop[open]')];
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const menus = openMenus();
      if (!menus.length) return;
      const inside = menus.find((m) => m.contains(document.activeElement));
      for (const m of menus) m.open = false;
      inside?.querySelector<HTMLElement>('summary')?.focus();
      e.preventDefault();
    };
    const onDown = (e: PointerEvent) => {
      for (const m of openMenus()) if (!m.contains(e.target as Node)) m.open = false;
    };
    addEventListener('keydown', onKey);
    addEventListener('pointerdown', onDown);
    return () => {
      removeEventListener('keydown', onKey);
      removeEventListener('pointerdown', onDown);
    };
  }, []);
}

/** The first thing Tab reaches: a link past the header to the panes. */
function SkipLink() {
  return (
    <a
      class="skip-link"
      href="#main-content"
      onClick={(e) => {
        // The hash is the route: move the focus without changing it.
        e.preventDefault();
        const main = document.getElementById('main-content');
        const target = [...(main?.querySelectorAll<HTMLElement>('.pane h2, .pane [tabindex="0"]') ?? [])].find((el) => el.offsetParent !== null) ?? main;
        main?.focus();
        if (target && target !== main) {
          if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
          target.focus();
        }
      }}
    >
      {t('layout.skip')}
    </a>
  );
}

type PaneTab = { id: string; label: string };

/** The pane switcher of the narrow layout, with Run (when there is one) always in reach. */
function PaneTabs({ tabs, current, onPick, run }: { tabs: PaneTab[]; current: string; onPick(id: string): void; run?: { onRun(): void; running: boolean; canRun: boolean } }) {
  return (
    <div class="pane-tabs">
      <div
        class="pane-tabs-list"
        role="tablist"
        aria-label={t('layout.panes')}
        onKeyDown={(e) => {
          const i = tabs.findIndex((x) => x.id === current);
          const j = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : -1;
          if (j < 0) return;
          e.preventDefault();
          onPick(tabs[j]!.id);
          ((e.currentTarget as HTMLElement).querySelector(`[data-pane="${tabs[j]!.id}"]`) as HTMLElement | null)?.focus();
        }}
      >
        {tabs.map((x) => (
          <button key={x.id} role="tab" data-pane={x.id} aria-selected={current === x.id} tabIndex={current === x.id ? 0 : -1} class={`pane-tab${current === x.id ? ' active' : ''}`} onClick={() => onPick(x.id)}>
            {x.label}
          </button>
        ))}
      </div>
      {run && (
        <button class="btn primary run-tab" onClick={() => !run.running && run.onRun()} disabled={!run.canRun} aria-disabled={run.running} aria-keyshortcuts="Control+Enter Meta+Enter" data-running={run.running ? 'true' : 'false'}>
          {run.running ? <span class="spinner" aria-hidden="true" /> : <span aria-hidden="true">▶</span>}
          {run.running ? t('editor.running') : t('editor.run')}
        </button>
      )}
    </div>
  );
}

// --- app --------------------------------------------------------------------------------

export function App() {
  const embed = useMemo(() => parseEmbedParams(location.search, location.hash), []);
  return embed ? <EmbedApp params={embed} /> : <FullApp />;
}

function FullApp() {
  useLocale();
  useMenusClose();
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  const mode = route.name === 'sandbox' ? 'sandbox' : route.name === 'planner' ? 'planner' : 'lesson';
  const [notice, setNotice] = useState<Notice | null>(null);
  /** A decoded share link waiting for its mode to open it. */
  const [pending, setPending] = useState<ShareState | null>(null);
  const sources = useRef<Sources | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'share'; state: ShareState; copied: boolean | null } | { kind: 'embed'; choice: EmbedChoice } | null>(null);

  useEffect(() => {
    if (mode === 'planner') document.title = t('planner.docTitle');
    else document.title = mode === 'sandbox' ? 'Sandbox · nova-upgrade-lab' : 'nova-upgrade-lab: how Nova survives rolling upgrades';
    setNotice(null);
  }, [mode]);

  // #share=…: decode it (never run anything from a bad one), then go to its route.
  useEffect(() => {
    if (route.name !== 'share') return;
    let alive = true;
    void loadCodec().then(({ decodeShare }) => {
      if (!alive) return;
    const r = decodeShare(route.payload);
    if (!r.ok) {
      setPending(null);
      setNotice({ tone: 'error', text: t('share.badLink', { error: r.error }) });
      replaceRoute({ name: 'lesson', slug: null });
      return;
    }
    setPending(r.state);
    replaceRoute(r.state.mode === 'sandbox' ? { name: 'sandbox' } : { name: 'lesson', slug: r.state.lesson ?? null });
    });
    return () => {
      alive = false;
    };
  }, [route]);

  const share = async () => {
    const state = sources.current?.share();
    if (!state) {
      setNotice({ tone: 'info', text: t('share.nothingYet') });
      return;
    }
    await loadCodec();
    setDialog({ kind: 'share', state, copied: null });
    let copied = false;
    try {
      await navigator.clipboard.writeText(appUrl(location.href, state, undefined, getLocale()));
      copied = true;
    } catch {
      copied = false;
    }
    setDialog((d) => (d && d.kind === 'share' && d.state === state ? { ...d, copied } : d));
  };

  const register = (s: Sources) => (sources.current = s);

  return (
    <div class="app">
      <SkipLink />
      <Header route={route} theme={theme} setTheme={setTheme} onShare={() => void share()} onEmbed={() => void loadCodec().then(() => sources.current && setDialog({ kind: 'embed', choice: sources.current.embed() }))} />
      {notice && <Banner notice={notice} setNotice={setNotice} />}
      {route.name === 'share' ? (
        <main class="main empty-main" id="main-content" tabIndex={-1}>
          <p class="muted">Opening the shared link…</p>
        </main>
      ) : route.name === 'planner' ? (
        <PlannerMode query={route.query} onNotice={setNotice} />
      ) : mode === 'lesson' ? (
        <LessonMode slug={route.name === 'lesson' ? route.slug : null} theme={theme} setNotice={setNotice} share={pending?.mode === 'lesson' ? pending : null} onShareDone={() => setPending(null)} register={register} />
      ) : (
        <SandboxMode setNotice={setNotice} share={pending?.mode === 'sandbox' ? pending : null} onShareDone={() => setPending(null)} register={register} />
      )}
      {dialog?.kind === 'share' && <ShareDialog state={dialog.state} copied={dialog.copied} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'embed' && <EmbedDialog base={dialog.choice} onClose={() => setDialog(null)} />}
    </div>
  );
}

function Banner({ notice, setNotice }: { notice: Notice; setNotice: SetNotice }) {
  return (
    <div class={`banner ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      {notice.action && (
        <button class="btn small" onClick={notice.action.run}>
          {notice.action.label}
        </button>
      )}
      <button class="icon-btn" aria-label="Dismiss" onClick={() => setNotice(null)}>
        <Icon name="close" size={12} />
      </button>
    </div>
  );
}

/** Embed mode: a lesson, a shipped scenario or a shared state, in the panes asked for. */
function EmbedApp({ params }: { params: EmbedParams }) {
  const [theme] = useTheme();
  const [notice, setNotice] = useState<Notice | null>(null);
  const getState = useRef<() => ShareState | null>(() => null);
  type Decoded = ReturnType<Awaited<ReturnType<typeof loadCodec>>['decodeShare']>;
  const [decoded, setDecoded] = useState<Decoded | null | 'loading'>(params.share ? 'loading' : null);
  useEffect(() => {
    // The "Open in" link needs the codec too.
    void loadCodec().then(({ decodeShare }) => {
      if (!params.share) return;
      const d = decodeShare(params.share);
      setDecoded(d);
      if (!d.ok) setNotice({ tone: 'error', text: t('share.badEmbed', { error: d.error }) });
    });
  }, []);
  const shared = decoded && decoded !== 'loading' && decoded.ok ? decoded.state : null;
  const register = (f: () => ShareState | null) => (getState.current = f);
  let body;
  const route = parseRoute(location.hash);
  if (decoded === 'loading') body = <p class="muted">{t('embedFrame.starting')}</p>;
  else if (route.name === 'planner') body = <PlannerMode query={route.query} embed onNotice={setNotice} />;
  else if (shared?.mode === 'sandbox') body = <EmbedSandbox source={{ state: shared }} view={params.view} setNotice={setNotice} register={register} />;
  else if (!shared && params.scenario) body = <EmbedSandbox source={{ scenario: params.scenario }} view={params.view} setNotice={setNotice} register={register} />;
  else
    body = (
      <LessonMode
        slug={shared?.lesson ?? params.lesson ?? null}
        theme={theme}
        setNotice={setNotice}
        share={shared}
        onShareDone={() => {}}
        register={(s) => register(s.share)}
        embed={params}
      />
    );
  return (
    <EmbedFrame frame={params.frame} notice={notice} setNotice={setNotice} getState={() => getState.current()}>
      <ErrorBoundary name="example">{body}</ErrorBoundary>
    </EmbedFrame>
  );
}

function Header({ route, theme, setTheme, onShare, onEmbed }: { route: Route; theme: 'light' | 'dark'; setTheme(t: 'light' | 'dark'): void; onShare(): void; onEmbed(): void }) {
  const next = theme === 'dark' ? 'light' : 'dark';
  const lastLesson = load<string | null>('lastLesson', null);
  const locale = useLocale();
  return (
    <header class="top">
      <a class="brand" href="#/">
        <Logo />
        <h1>
          nova-upgrade-lab
          <span class="tagline">{t('shell.tagline')}</span>
        </h1>
      </a>
      <nav class="modes" aria-label={t('shell.modes')}>
        <a href={lastLesson ? `#/lesson/${lastLesson}` : '#/'} aria-current={route.name === 'lesson' ? 'page' : undefined}>
          {t('shell.lessons')}
        </a>
        <a href="#/sandbox" aria-current={route.name === 'sandbox' ? 'page' : undefined}>
          {t('shell.sandbox')}
        </a>
        <a href="#/planner" aria-current={route.name === 'planner' ? 'page' : undefined}>
          {t('planner.mode')}
        </a>
      </nav>
      <div class="top-actions">
        <button class="btn ghost small share-btn" onClick={onShare} disabled={route.name === 'share' || route.name === 'planner'} title={t('shell.shareTitle')} aria-haspopup="dialog">
          {t('shell.share')}
        </button>
        <button class="btn ghost small embed-btn" onClick={onEmbed} disabled={route.name === 'share' || route.name === 'planner'} title={t('shell.embedTitle')} aria-haspopup="dialog">
          {t('shell.embed')}
        </button>
        <label class="lang-switch">
          <span class="sr-only">{t('shell.language')}</span>
          <select
            class="small"
            aria-label={t('shell.language')}
            value={locale}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              if (isLocale(v)) setLocale(v);
            }}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <button class="icon-btn theme" onClick={() => setTheme(next)} aria-label={t('shell.themeTo', { theme: t(next === 'dark' ? 'shell.themeDark' : 'shell.themeLight') })} title={t('shell.themeTo', { theme: t(next === 'dark' ? 'shell.themeDark' : 'shell.themeLight') })}>
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} size={15} />
        </button>
      </div>
    </header>
  );
}

function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
      <rect x="3" y="3" width="26" height="26" rx="7" class="logo-bg" />
      <path d="M9 11h14M9 16h9M9 21h14" class="logo-lines" />
      <circle cx="22" cy="16" r="2.2" class="logo-dot" />
    </svg>
  );
}

// --- lesson mode --------------------------------------------------------------------------

function filesOf(lesson: LessonMeta, content: LessonContent | null): LessonFile[] {
  if (lesson.files.length) return lesson.files;
  return Object.keys(content?.start ?? {})
    .sort()
    .map((path) => ({ path, language: languageOf(path), readonly: false }));
}

const EMPTY: Record<string, string> = {};
/** The lesson run builder, once the first Run has loaded it. */
let runInputModule: typeof import('./lessons/run_input') | null = null;

interface LessonModeProps {
  slug: string | null;
  theme: 'light' | 'dark';
  setNotice: SetNotice;
  /** A shared lesson state to open (once its lesson is loaded). */
  share: ShareState | null;
  onShareDone(): void;
  register(s: Sources): void;
  /** Embed mode: the panes, read-only, no saved work. */
  embed?: EmbedParams;
}

function LessonMode({ slug, theme, setNotice, share, onShareDone, register, embed }: LessonModeProps) {
  const lesson = (slug ? lessonBySlug(slug) : undefined) ?? LESSONS[0];
  // An embed asked for a lesson this version does not have: say so and run nothing (not lesson 1).
  const unknownLesson = Boolean(embed && slug && !lessonBySlug(slug));
  useEffect(() => {
    if (unknownLesson) setNotice({ tone: 'error', text: t('safety.unknown-lesson', { name: slug!.slice(0, 80) }) });
  }, [unknownLesson]);
  useLocale(); // re-render the lesson mode's own strings when the language changes
  const live = useLiveSession('lesson');
  const [content, setContent] = useState<LessonContent | null>(null);
  /** The lesson `content` belongs to (it lags one render behind a lesson change). */
  const contentOf = useRef<string | null>(null);
  const [results, setResults] = useState<ExpectationResult[] | null>(null);
  /** The files of the run `results` belong to, and whether the editor differs from them now. */
  const ranWith = useRef<Record<string, string> | null>(null);
  const [stale, setStale] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [running, setRunning] = useState(false);
  const [solved, setSolved] = useState<Set<string>>(() => new Set(load<string[]>('solved', [])));
  const [ask, setAsk] = useState<{ state: ShareState; conflicts: string[]; backup: Record<string, string> } | null>(null);
  const editor = useRef<EditorApi | null>(null);
  const narrow = useNarrow();
  const narrowRef = useRef(narrow);
  narrowRef.current = narrow;
  const [tab, setTab] = useState<'lesson' | 'code' | 'sim'>('lesson');
  // A tab switched by Run hides the pane that had the focus: give it to the tab bar, not to the page.
  const tabMounted = useRef(false);
  useEffect(() => {
    if (!tabMounted.current) return void (tabMounted.current = true);
    if (!narrow) return;
    const a = document.activeElement as HTMLElement | null;
    if (!a || a === document.body || a.offsetParent === null) document.querySelector<HTMLElement>('.pane-tab[aria-selected="true"]')?.focus();
  }, [tab]);
  /** The trace of the run before the last one, kept for the comparison, and the last run's. */
  const [previous, setPrevious] = useState<readonly TraceEvent[] | null>(null);
  const lastRun = useRef<readonly TraceEvent[] | null>(null);
  // Defaults: the editor gets the room (code does not wrap), five lanes still fit in the simulation pane.
  const [left, setLeft] = useWidth('layout:left', () => Math.round(Math.min(440, Math.max(310, innerWidth * 0.23))));
  const [mid, setMid] = useWidth('layout:mid', () => Math.round(Math.min(620, Math.max(310, innerWidth * 0.36))));

  useEffect(() => {
    if (!lesson) return;
    save('lastLesson', lesson.slug);
    setContent(null);
    contentOf.current = null;
    setResults(null);
    setProblems([]);
    setPrevious(null);
    lastRun.current = null;
    let alive = true;
    loadLessonContent(lesson).then((c) => {
      if (!alive) return;
      contentOf.current = lesson.dir;
      setContent(c);
    });
    return () => {
      alive = false;
    };
  }, [lesson?.dir]);

  // The lesson's cluster, idle, until Run (not once a run has started: it would wipe its trace).
  const ranOnce = useRef(false);
  useEffect(() => {
    ranOnce.current = false;
  }, [lesson?.dir]);
  useEffect(() => {
    if (live.session && content?.scenario && !ranOnce.current) void live.session.reset(content.scenario.services as ServiceDef[]).catch((e: unknown) => setNotice({ tone: 'error', text: String((e as Error).message) }));
  }, [live.session, content]);

  useEffect(() => {
    if (live.error) setNotice({ tone: 'error', text: live.error });
  }, [live.error]);

  const files = useMemo(() => {
    const list = lesson ? filesOf(lesson, content) : [];
    return embed?.readonly ? list.map((f) => ({ ...f, readonly: true })) : list;
  }, [lesson, content]);
  const confReleases = useMemo(() => (content?.scenario ? releasesForConf(files.map((f) => f.path), content.scenario) : {}), [files, content]);

  /** Run the lesson's scenario with the editor's files; true when it ran without an error. */
  const run = useCallback(
    async (opts: { seed?: string } = {}): Promise<boolean> => {
      if (!lesson || !content?.scenario || running) return false;
      ranOnce.current = true;
      const session = live.session ?? (await getSession('lesson').catch(() => null));
      if (!session) {
        setNotice({ tone: 'error', text: live.error ?? 'The simulator is not running: nothing was run. Reload the page.' });
        return false;
      }
      setRunning(true);
      setNotice(null);
      try {
        const values = editor.current!.values();
        const hasTs = files.some((f) => f.language === 'typescript');
        let js: Record<string, string> = {};
        if (hasTs) {
          const check = await editor.current!.check();
          setProblems(check.problems);
          if (check.problems.some((p) => p.severity === 'error')) {
            // A refused run: the last results are not about this code any more.
            setResults(null);
            ranWith.current = null;
            return false;
          }
          js = check.js;
        } else setProblems([]);
        const scenario = opts.seed ? { ...content.scenario, seed: opts.seed } : content.scenario;
        // Loaded on the first Run (with the plan and scenario checks it needs);
        // later Runs use it without awaiting: an `import()` of a loaded module
        // still yields to the page's tasks (a frame, 8-15 ms) before the run starts.
        const { buildLessonRun } = runInputModule ?? (runInputModule = await import('./lessons/run_input'));
        const input = buildLessonRun(scenario, files, values, js);
        // Keep the last run's trace: the new one replaces it in the session.
        if (lastRun.current) setPrevious(lastRun.current);
        // On a narrow screen the run is watched in the Cluster tab.
        if (narrowRef.current) setTab('sim');
        const result = await session.run(input);
        setResults(result.error ? null : result.results);
        ranWith.current = result.error ? null : values;
        setStale(false);
        lastRun.current = result.events.slice();
        const crash = result.events.find(isCrash);
        if (result.error) setNotice({ tone: 'error', text: t('run.cannotStart', { error: result.error }) });
        else if (crash) setNotice({ tone: 'error', text: t('run.crash', { text: crash.text }) });
        if (result.ok && result.results.length > 0 && !solved.has(lesson.dir) && !embed) {
          const next = new Set(solved).add(lesson.dir);
          setSolved(next);
          save('solved', [...next]);
        }
        return !result.error && !crash;
      } catch (err) {
        // A plan that does not parse, a scenario that does not validate: no result for this code.
        setResults(null);
        ranWith.current = null;
        setNotice({ tone: 'error', text: t('run.failed', { error: (err as Error).message }) });
        return false;
      } finally {
        setRunning(false);
        // A run counter for tests and tools (outside Preact's tree).
        bump('runs');
        // The next Run compares with this one: its code loads now, while the page is idle.
        const preload = () => void loadRunCompare().catch(() => undefined); // loaded again when needed
        if (typeof requestIdleCallback === 'function') requestIdleCallback(preload, { timeout: 1000 });
        else setTimeout(preload, 200);
      }
    },
    [lesson, content, running, live.session, files, solved],
  );

  const runRef = useRef(run);
  runRef.current = run;
  // "Edited since the last run": compare the editor with the files of the run on screen.
  useEffect(() => {
    if (!results) return setStale(false);
    const id = setInterval(() => {
      const now = editor.current?.values();
      const then = ranWith.current;
      if (!now || !then) return;
      setStale(Object.keys({ ...now, ...then }).some((k) => (now[k] ?? '') !== (then[k] ?? '')));
    }, 600);
    return () => clearInterval(id);
  }, [results]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && !e.defaultPrevented) {
        e.preventDefault();
        void runRef.current();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  const seedOf = (c: LessonContent | null) => (c?.scenario ? (c.scenario.seed ?? c.scenario.title) : undefined);

  register({
    share: () => {
      if (!lesson || !content) return null;
      const edited = changedFiles(editor.current?.values() ?? {}, content.start);
      const seed = seedOf(content);
      return { v: 1, mode: 'lesson', lesson: lesson.slug, ...(Object.keys(edited).length ? { files: edited } : {}), ...(seed ? { seed } : {}) };
    },
    embed: () => {
      const edited = lesson && content ? changedFiles(editor.current?.values() ?? {}, content.start) : {};
      const state: ShareState | null = lesson && Object.keys(edited).length ? { v: 1, mode: 'lesson', lesson: lesson.slug, files: edited, ...(seedOf(content) ? { seed: seedOf(content)! } : {}) } : null;
      return { lesson: lesson?.slug, view: ['editor', 'trace', 'inspector'], readonly: false, state };
    },
  });

  // Open a shared state (or, in an embed, the example) once the lesson's files are here.
  const opened = useRef<ShareState | 'auto' | null>(null);
  useEffect(() => {
    if (!lesson || !content || contentOf.current !== lesson.dir) return;
    if (share && opened.current !== share) {
      opened.current = share;
      onShareDone();
      if (share.lesson && share.lesson !== lesson.slug && share.lesson !== lesson.dir) {
        setNotice({ tone: 'error', text: t('shared.notHere', { lesson: share.lesson, title: lesson.title }) });
        return;
      }
      const paths = files.map((f) => f.path);
      const saved: Record<string, string | null> = {};
      for (const p of paths) saved[p] = load<string | null>(editKey(lesson.dir, p), null);
      const mine = conflictingEdits(paths, content.start, saved, share.files);
      // The editor opens the lesson's files in this same commit: act after it.
      setTimeout(() => (Object.keys(mine).length ? setAsk({ state: share, conflicts: Object.keys(mine), backup: filterSaved(saved, content.start) }) : void openShared(share, null)), 0);
    } else if (embed && !share && opened.current === null && content.scenario && !unknownLesson) {
      opened.current = 'auto';
      setTimeout(() => void runRef.current(), 0);
    }
  }, [share, content, lesson?.dir]);

  const restoreAction = (backup: Record<string, string>) => ({
    label: 'Restore my edits',
    run: () => {
      if (!content) return;
      editor.current?.setAll(sharedBuffers(files.map((f) => f.path), content.start, backup));
      setNotice({ tone: 'info', text: 'Your edits are back (the shared code is gone from the editor; the link still has it).' });
    },
  });

  const openShared = async (state: ShareState, backup: Record<string, string> | null) => {
    if (!lesson || !content) return;
    const paths = files.map((f) => f.path);
    if (backup) save(backupKey(lesson.dir), { at: new Date().toISOString(), files: backup });
    editor.current?.setAll(sharedBuffers(paths, content.start, state.files));
    countOpened();
    // A link's code opens in the editor and runs only when the learner presses Run.
    const plan = planOpen(state, paths);
    if (plan.waitForRun) {
      const runIt = { label: t('safety.run-shared'), run: () => void runRef.current(state.seed ? { seed: state.seed } : {}) };
      setNotice({ tone: 'info', text: `${plan.text}${backup ? ' Your previous edits are saved in a backup.' : ''}`, action: backup && !embed ? restoreAction(backup) : runIt });
      return;
    }
    const ok = await runRef.current(state.seed ? { seed: state.seed } : {});
    if (!ok || embed) return;
    const n = plan.files.length;
    const restore = backup ? restoreAction(backup) : undefined;
    setNotice({
      tone: 'info',
      text: t('shared.opened', { what: n ? t(n > 1 ? 'shared.openedFilesN' : 'shared.openedFiles1', { n }) : t('shared.openedStart') }) + (backup ? t('shared.backup') : ''),
      ...(restore ? { action: restore } : {}),
    });
  };

  if (!lesson) {
    return (
      <main class="main empty-main" id="main-content" tabIndex={-1}>
        <p>
          <a href="#/sandbox">{t('lesson.none')}</a>
        </p>
      </main>
    );
  }

  const conflict = ask && (
    <ConflictDialog
      lessonTitle={lesson.title}
      files={ask.conflicts}
      onKeep={() => {
        setAsk(null);
        setNotice({ tone: 'info', text: t('shared.kept') });
      }}
      onOpen={() => {
        const s = ask.state;
        setAsk(null);
        void openShared(s, ask.backup);
      }}
    />
  );

  const lessonPane = (
    <ErrorBoundary name="lesson">
    <LessonPane
      lessons={LESSONS}
      lesson={lesson}
      content={content}
      solved={solved}
      results={results}
      events={live.events}
      stale={stale}
      running={running}
      onUseSolution={(f) => editor.current?.setAll(f)}
      onResetAll={() => {
        editor.current?.resetAll();
        setResults(null);
        ranWith.current = null;
      }}
    />
    </ErrorBoundary>
  );
  const editorPane = (
    <ErrorBoundary name="editor">
    <EditorPane
      lessonKey={lesson.dir}
      files={files}
      start={content?.start ?? EMPTY}
      theme={theme}
      problems={problems}
      running={running}
      canRun={Boolean(content?.scenario)}
      onRun={() => void run()}
      apiRef={editor}
      releases={confReleases}
    />
    </ErrorBoundary>
  );
  const onError = (m: string) => setNotice({ tone: 'error', text: m });

  if (embed) {
    const has = (p: Pane) => embed.view.includes(p);
    return (
      <div class="embed-stack">
        {has('lesson') && <div class="embed-lesson">{lessonPane}</div>}
        {/* The editor compiles the lesson's code even when it is not shown. */}
        <div class="embed-editor" hidden={!has('editor')}>
          {editorPane}
        </div>
        <ErrorBoundary name="simulation">
          <EmbedSim session={live.session} snapshot={live.snapshot} events={live.events} view={embed.view} emptyHint={statusText(live.status) ?? (running ? t('run.running') : t('run.emptyHintShort'))} onError={onError} />
        </ErrorBoundary>
      </div>
    );
  }

  return (
    <main
      class={`main three${narrow ? ` narrow show-${tab}` : ''}`}
      id="main-content"
      tabIndex={-1}
      style={narrow ? undefined : { gridTemplateColumns: `${left}px 6px ${mid}px 6px minmax(340px, 1fr)` }}
    >
      {narrow && (
        <PaneTabs
          tabs={[
            { id: 'lesson', label: t('layout.tab.lesson') },
            { id: 'code', label: t('layout.tab.code') },
            { id: 'sim', label: t('layout.tab.cluster') },
          ]}
          current={tab}
          onPick={(id) => setTab(id as typeof tab)}
          run={{ onRun: () => void run(), running, canRun: Boolean(content?.scenario) }}
        />
      )}
      {lessonPane}
      <Splitter label={t('layout.resizeLesson')} orientation="vertical" value={left} min={240} max={700} onChange={setLeft} />
      {editorPane}
      <Splitter label={t('layout.resizeEditor')} orientation="vertical" value={mid} min={280} max={900} onChange={setMid} />
      <ErrorBoundary name="simulation">
      <SimPane
        session={live.session}
        snapshot={live.snapshot}
        events={live.events}
        showCluster
        emptyHint={statusText(live.status) ?? t('layout.emptyLesson')}
        onError={onError}
        previous={previous}
        running={running}
      />
      </ErrorBoundary>
      {conflict}
      <StorageGuard lessonKey={lesson.dir} editor={editor} start={content?.start ?? EMPTY} />
    </main>
  );
}

/** The saved edits (files that differ from the start), for the backup. */
function filterSaved(saved: Record<string, string | null>, start: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, v] of Object.entries(saved)) if (v !== null && v !== (start[p] ?? '')) out[p] = v;
  return out;
}

// --- sandbox ----------------------------------------------------------------------------

/**
 * The sandbox's five-service clusters: api, conductor and scheduler at
 * `control`, two computes at `computes`; `pin` sets [upgrade_levels]
 * compute on the three control services.
 */
function preset(name: string, control: Release, computes: Release, pin?: string): { name: string; services: ServiceDef[] } {
  const conf = pin ? { conf: { upgrade_levels: { compute: pin } } } : {};
  return {
    name,
    services: [
      { id: 'api', binary: 'nova-api', release: control, ...conf },
      { id: 'conductor', binary: 'nova-conductor', release: control, ...conf },
      { id: 'scheduler', binary: 'nova-scheduler', release: control, ...conf },
      { id: 'compute1', binary: 'nova-compute', release: computes },
      { id: 'compute2', binary: 'nova-compute', release: computes },
    ],
  };
}

const PRESETS: { name: string; services: ServiceDef[] }[] = [
  preset('layout.preset.juno', 'juno', 'juno'),
  preset('layout.preset.mixed', 'kilo', 'juno'),
  preset('layout.preset.pinned', 'kilo', 'juno', 'juno'),
  preset('layout.preset.icehouse', 'icehouse', 'icehouse'),
  preset('layout.preset.icehousePinned', 'juno', 'icehouse', 'icehouse'),
];

function SandboxMode({ setNotice, share, onShareDone, register }: { setNotice: SetNotice; share: ShareState | null; onShareDone(): void; register(s: Sources): void }) {
  useLocale();
  const live = useLiveSession('sandbox');
  const [left, setLeft] = useWidth('layout:sandbox-left', () => Math.round(Math.min(560, Math.max(380, innerWidth * 0.34))));
  const [preset, setPreset] = useState(0);
  /** The services of the shared sandbox this cluster came from (the preset list offers them as "the shared cluster"). */
  const [shared, setShared] = useState<ServiceDef[] | null>(null);
  const [replaying, setReplaying] = useState(false);
  const narrow = useNarrow();
  const [tab, setTab] = useState<'controls' | 'sim'>('controls');
  useEffect(() => {
    if (live.error) setNotice({ tone: 'error', text: live.error });
  }, [live.error]);
  // The preset cluster, unless a shared sandbox is about to replace it.
  const started = useRef(false);
  useEffect(() => {
    const session = live.session;
    if (!session || started.current || share) return;
    started.current = true;
    if (!session.history()) session.reset(PRESETS[0]!.services).catch((err: unknown) => onError((err as Error).message));
  }, [live.session, share]);
  const onError = (m: string) => setNotice({ tone: 'error', text: m });

  const current = (): ShareState | null => {
    const h = live.session?.history();
    return h ? { v: 1, mode: 'sandbox', services: h.services, steps: h.steps, seed: h.seed } : null;
  };
  register({ share: current, embed: () => ({ view: ['cluster', 'trace', 'inspector'], state: current() }) });

  // A shared sandbox: a fresh cluster with its services and seed, and its steps replayed.
  const opened = useRef<ShareState | null>(null);
  useEffect(() => {
    const session = live.session;
    if (!session || !share || opened.current === share) return;
    opened.current = share;
    onShareDone();
    setReplaying(true);
    setShared(share.services ?? []);
    setPreset(-1);
    const n = share.steps?.length ?? 0;
    session
      .replay(share.services ?? [], share.steps ?? [], share.seed)
      .then(
        () => {
          // Not "replayed" when a service of it did not even boot.
          const failed = notStarted(session.snapshot().services);
          if (failed.length) onError(t('safety.replay-not-started', { ids: failed.join(', ') }));
          else setNotice({ tone: 'info', text: t(n === 1 ? 'layout.sharedOpened.one' : 'layout.sharedOpened', { services: share.services?.length ?? 0, n }) });
        },
        (err: unknown) => onError(`The shared sandbox could not be replayed: ${(err as Error).message}`),
      )
      .finally(() => {
        setReplaying(false);
        bump('replays');
      });
  }, [live.session, share]);

  return (
    <main class={`main two${narrow ? ` narrow show-${tab}` : ''}`} id="main-content" tabIndex={-1} style={narrow ? undefined : { gridTemplateColumns: `${left}px 6px minmax(360px, 1fr)` }}>
      {narrow && (
        <PaneTabs
          tabs={[
            { id: 'controls', label: t('layout.tab.cluster') },
            { id: 'sim', label: t('layout.tab.messages') },
          ]}
          current={tab}
          onPick={(id) => setTab(id as typeof tab)}
        />
      )}
      <ErrorBoundary name="sandbox">
      <section class="pane sandbox-pane" aria-label={t('layout.sandboxControls')}>
        <div class="pane-bar">
          <h2 class="pane-title">{t('layout.sandbox')}</h2>
          <span class="muted small">{replaying ? t('layout.sandbox.replaying') : t('layout.sandbox.sub')}</span>
        </div>
        <div class="sandbox-scroll">
          <form
            class="row preset"
            onSubmit={(e) => {
              e.preventDefault();
              const services = preset < 0 ? shared : PRESETS[preset]?.services;
              if (live.session && services) live.session.reset(services).catch((err: unknown) => onError((err as Error).message));
            }}
          >
            <select aria-label={t('layout.preset')} value={String(preset)} onChange={(e) => setPreset(Number((e.target as HTMLSelectElement).value))}>
              {shared && <option value="-1">{t('layout.preset.shared', { n: shared.length })}</option>}
              {PRESETS.map((p, i) => (
                <option value={String(i)}>{t(p.name)}</option>
              ))}
            </select>
            <button class="btn small" type="submit" disabled={!live.session || live.session.busy}>
              {t('layout.newCluster')}
            </button>
          </form>
          <p class="intro">{t('layout.sandbox.intro')}</p>
          <ClusterView session={live.session} snapshot={live.snapshot} full onError={onError} />
        </div>
      </section>
      </ErrorBoundary>
      <Splitter label={t('layout.resizeSandbox')} orientation="vertical" value={left} min={320} max={900} onChange={setLeft} />
      <ErrorBoundary name="simulation">
        <SimPane session={live.session} snapshot={live.snapshot} events={live.events} showCluster={false} emptyHint={statusText(live.status) ?? t('layout.emptySandbox')} onError={onError} />
      </ErrorBoundary>
    </main>
  );
}
