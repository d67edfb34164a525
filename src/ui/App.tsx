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
import { SimPane } from './SimPane';
import { ClusterView } from './cluster/ClusterView';
import { Splitter } from './components/Splitter';
import { Icon } from './components/Icon';
import { isCrash, type ExpectationResult, type ServiceDef } from './sim/session';
import { buildLessonRun } from './lessons/run_input';
import { bump, getSession, useLiveSession } from './sim/live';
import { parseRoute, replaceRoute, useRoute, type Route } from './util/route';
import { useTheme } from './util/theme';
import { backupKey, editKey, load, save } from './util/storage';
import { decodeShare, type ShareState } from './share/state';
import { appUrl, changedFiles, conflictingEdits, parseEmbedParams, sharedBuffers, type EmbedChoice, type EmbedParams, type Pane } from './share/links';
import { ConflictDialog, EmbedDialog, ShareDialog } from './share/ShareDialogs';
import { EmbedFrame, EmbedSandbox, EmbedSim, type Notice } from './embed/Embed';
import { PlannerMode } from './planner/lazy';
import { t } from './i18n';

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

// --- app --------------------------------------------------------------------------------

export function App() {
  const embed = useMemo(() => parseEmbedParams(location.search, location.hash), []);
  return embed ? <EmbedApp params={embed} /> : <FullApp />;
}

function FullApp() {
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
    const r = decodeShare(route.payload);
    if (!r.ok) {
      setPending(null);
      setNotice({ tone: 'error', text: `${r.error} Nothing from it was opened: this is the first lesson.` });
      replaceRoute({ name: 'lesson', slug: null });
      return;
    }
    setPending(r.state);
    replaceRoute(r.state.mode === 'sandbox' ? { name: 'sandbox' } : { name: 'lesson', slug: r.state.lesson ?? null });
  }, [route]);

  const share = async () => {
    const state = sources.current?.share();
    if (!state) {
      setNotice({ tone: 'info', text: 'Nothing to share yet: wait for the cluster to start.' });
      return;
    }
    setDialog({ kind: 'share', state, copied: null });
    let copied = false;
    try {
      await navigator.clipboard.writeText(appUrl(location.href, state));
      copied = true;
    } catch {
      copied = false;
    }
    setDialog((d) => (d && d.kind === 'share' && d.state === state ? { ...d, copied } : d));
  };

  const register = (s: Sources) => (sources.current = s);

  return (
    <div class="app">
      <Header route={route} theme={theme} setTheme={setTheme} onShare={() => void share()} onEmbed={() => sources.current && setDialog({ kind: 'embed', choice: sources.current.embed() })} />
      {notice && <Banner notice={notice} setNotice={setNotice} />}
      {route.name === 'share' ? (
        <main class="main empty-main">
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
  const decoded = useMemo(() => (params.share ? decodeShare(params.share) : null), []);
  useEffect(() => {
    if (decoded && !decoded.ok) setNotice({ tone: 'error', text: `${decoded.error} Showing the default example instead.` });
  }, []);
  const shared = decoded?.ok ? decoded.state : null;
  const register = (f: () => ShareState | null) => (getState.current = f);
  let body;
  const route = parseRoute(location.hash);
  if (route.name === 'planner') body = <PlannerMode query={route.query} embed onNotice={setNotice} />;
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
      {body}
    </EmbedFrame>
  );
}

function Header({ route, theme, setTheme, onShare, onEmbed }: { route: Route; theme: 'light' | 'dark'; setTheme(t: 'light' | 'dark'): void; onShare(): void; onEmbed(): void }) {
  const next = theme === 'dark' ? 'light' : 'dark';
  const lastLesson = load<string | null>('lastLesson', null);
  return (
    <header class="top">
      <a class="brand" href="#/">
        <Logo />
        <h1>
          nova-upgrade-lab
          <span class="tagline">how Nova survives rolling upgrades</span>
        </h1>
      </a>
      <nav class="modes" aria-label="Mode">
        <a href={lastLesson ? `#/lesson/${lastLesson}` : '#/'} aria-current={route.name === 'lesson' ? 'page' : undefined}>
          Lessons
        </a>
        <a href="#/sandbox" aria-current={route.name === 'sandbox' ? 'page' : undefined}>
          Sandbox
        </a>
        <a href="#/planner" aria-current={route.name === 'planner' ? 'page' : undefined}>
          {t('planner.mode')}
        </a>
      </nav>
      <div class="top-actions">
        <button class="btn ghost small share-btn" onClick={onShare} disabled={route.name === 'share' || route.name === 'planner'} title="A link that opens exactly this state" aria-haspopup="dialog">
          Share
        </button>
        <button class="btn ghost small embed-btn" onClick={onEmbed} disabled={route.name === 'share' || route.name === 'planner'} title="Show this in another page" aria-haspopup="dialog">
          Embed
        </button>
        <button class="icon-btn theme" onClick={() => setTheme(next)} aria-label={`Switch to the ${next} theme`} title={`Switch to the ${next} theme`}>
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
  const live = useLiveSession('lesson');
  const [content, setContent] = useState<LessonContent | null>(null);
  /** The lesson `content` belongs to (it lags one render behind a lesson change). */
  const contentOf = useRef<string | null>(null);
  const [results, setResults] = useState<ExpectationResult[] | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [running, setRunning] = useState(false);
  const [solved, setSolved] = useState<Set<string>>(() => new Set(load<string[]>('solved', [])));
  const [ask, setAsk] = useState<{ state: ShareState; conflicts: string[]; backup: Record<string, string> } | null>(null);
  const editor = useRef<EditorApi | null>(null);
  const [left, setLeft] = useWidth('layout:left', () => Math.round(Math.min(440, Math.max(270, innerWidth * 0.26))));
  const [mid, setMid] = useWidth('layout:mid', () => Math.round(Math.min(620, Math.max(310, innerWidth * 0.32))));

  useEffect(() => {
    if (!lesson) return;
    save('lastLesson', lesson.slug);
    setContent(null);
    contentOf.current = null;
    setResults(null);
    setProblems([]);
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
    if (live.note) setNotice({ tone: 'info', text: live.note });
  }, [live.note]);

  const files = useMemo(() => {
    const list = lesson ? filesOf(lesson, content) : [];
    return embed?.readonly ? list.map((f) => ({ ...f, readonly: true })) : list;
  }, [lesson, content]);

  /** Run the lesson's scenario with the editor's files; true when it ran without an error. */
  const run = useCallback(
    async (opts: { seed?: string } = {}): Promise<boolean> => {
      if (!lesson || !content?.scenario || running) return false;
      ranOnce.current = true;
      const session = live.session ?? (await getSession('lesson')).session;
      setRunning(true);
      setNotice(null);
      try {
        const values = editor.current!.values();
        const hasTs = files.some((f) => f.language === 'typescript');
        let js: Record<string, string> = {};
        if (hasTs) {
          const check = await editor.current!.check();
          setProblems(check.problems);
          if (check.problems.some((p) => p.severity === 'error')) return false;
          js = check.js;
        } else setProblems([]);
        const scenario = opts.seed ? { ...content.scenario, seed: opts.seed } : content.scenario;
        const input = buildLessonRun(scenario, files, values, js);
        const result = await session.run(input);
        setResults(result.results);
        const crash = result.events.find(isCrash);
        if (result.error) setNotice({ tone: 'error', text: `The run could not start: ${result.error}. Your edits are kept.` });
        else if (crash) setNotice({ tone: 'error', text: `${crash.text}. Your edits are kept: fix the code and run again.` });
        if (result.ok && result.results.length > 0 && !solved.has(lesson.dir) && !embed) {
          const next = new Set(solved).add(lesson.dir);
          setSolved(next);
          save('solved', [...next]);
        }
        return !result.error && !crash;
      } catch (err) {
        setNotice({ tone: 'error', text: `The run failed: ${(err as Error).message}. Your edits are kept.` });
        return false;
      } finally {
        setRunning(false);
        // A run counter for tests and tools (outside Preact's tree).
        bump('runs');
      }
    },
    [lesson, content, running, live.session, files, solved],
  );

  const runRef = useRef(run);
  runRef.current = run;
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
        setNotice({ tone: 'error', text: `The shared lesson "${share.lesson}" is not in this version of the playground: this is "${lesson.title}", nothing was run.` });
        return;
      }
      const paths = files.map((f) => f.path);
      const saved: Record<string, string | null> = {};
      for (const p of paths) saved[p] = load<string | null>(editKey(lesson.dir, p), null);
      const mine = conflictingEdits(paths, content.start, saved, share.files);
      // The editor opens the lesson's files in this same commit: act after it.
      setTimeout(() => (Object.keys(mine).length ? setAsk({ state: share, conflicts: Object.keys(mine), backup: filterSaved(saved, content.start) }) : void openShared(share, null)), 0);
    } else if (embed && !share && opened.current === null && content.scenario) {
      opened.current = 'auto';
      setTimeout(() => void runRef.current(), 0);
    }
  }, [share, content, lesson?.dir]);

  const openShared = async (state: ShareState, backup: Record<string, string> | null) => {
    if (!lesson || !content) return;
    const paths = files.map((f) => f.path);
    if (backup) save(backupKey(lesson.dir), { at: new Date().toISOString(), files: backup });
    editor.current?.setAll(sharedBuffers(paths, content.start, state.files));
    const ok = await runRef.current(state.seed ? { seed: state.seed } : {});
    if (!ok || embed) return;
    const n = Object.keys(state.files ?? {}).length;
    const restore = backup
      ? {
          label: 'Restore my edits',
          run: () => {
            editor.current?.setAll(sharedBuffers(paths, content.start, backup));
            setNotice({ tone: 'info', text: 'Your edits are back (the shared code is gone from the editor; the link still has it).' });
          },
        }
      : undefined;
    setNotice({
      tone: 'info',
      text: `Opened a shared link: ${n ? `${n} edited file${n > 1 ? 's' : ''}` : 'the starting files'}, replayed.${backup ? ' Your previous edits are saved in a backup.' : ''}`,
      ...(restore ? { action: restore } : {}),
    });
  };

  if (!lesson) {
    return (
      <main class="main empty-main">
        <p>No lessons are installed yet. Try the <a href="#/sandbox">sandbox</a>.</p>
      </main>
    );
  }

  const conflict = ask && (
    <ConflictDialog
      lessonTitle={lesson.title}
      files={ask.conflicts}
      onKeep={() => {
        setAsk(null);
        setNotice({ tone: 'info', text: 'Kept your saved edits; the shared code was not opened. Open the link again to change your mind.' });
      }}
      onOpen={() => {
        const s = ask.state;
        setAsk(null);
        void openShared(s, ask.backup);
      }}
    />
  );

  const lessonPane = (
    <LessonPane
      lessons={LESSONS}
      lesson={lesson}
      content={content}
      solved={solved}
      results={results}
      onUseSolution={(f) => editor.current?.setAll(f)}
      onResetAll={() => editor.current?.resetAll()}
    />
  );
  const editorPane = (
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
    />
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
        <EmbedSim session={live.session} snapshot={live.snapshot} events={live.events} view={embed.view} emptyHint={running ? 'Running…' : 'Press Run to start the scenario.'} onError={onError} />
      </div>
    );
  }

  return (
    <main class="main three" style={{ gridTemplateColumns: `${left}px 6px ${mid}px 6px minmax(340px, 1fr)` }}>
      {lessonPane}
      <Splitter label="Resize the lesson pane" orientation="vertical" value={left} min={240} max={700} onChange={setLeft} />
      {editorPane}
      <Splitter label="Resize the editor" orientation="vertical" value={mid} min={280} max={900} onChange={setMid} />
      <SimPane
        session={live.session}
        snapshot={live.snapshot}
        events={live.events}
        showCluster
        emptyHint={`Press Run to start the scenario: every message between the services will be drawn here.`}
        onError={onError}
      />
      {conflict}
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

const PRESETS: { name: string; services: ServiceDef[] }[] = [
  {
    name: 'All Juno (before the upgrade)',
    services: [
      { id: 'api', binary: 'nova-api', release: 'juno' },
      { id: 'conductor', binary: 'nova-conductor', release: 'juno' },
      { id: 'scheduler', binary: 'nova-scheduler', release: 'juno' },
      { id: 'compute1', binary: 'nova-compute', release: 'juno' },
      { id: 'compute2', binary: 'nova-compute', release: 'juno' },
    ],
  },
  {
    name: 'Kilo control plane, Juno computes',
    services: [
      { id: 'api', binary: 'nova-api', release: 'kilo' },
      { id: 'conductor', binary: 'nova-conductor', release: 'kilo' },
      { id: 'scheduler', binary: 'nova-scheduler', release: 'kilo' },
      { id: 'compute1', binary: 'nova-compute', release: 'juno' },
      { id: 'compute2', binary: 'nova-compute', release: 'juno' },
    ],
  },
  {
    name: 'Pinned: Kilo with [upgrade_levels] compute = juno',
    services: [
      { id: 'api', binary: 'nova-api', release: 'kilo', conf: { upgrade_levels: { compute: 'juno' } } },
      { id: 'conductor', binary: 'nova-conductor', release: 'kilo', conf: { upgrade_levels: { compute: 'juno' } } },
      { id: 'scheduler', binary: 'nova-scheduler', release: 'kilo', conf: { upgrade_levels: { compute: 'juno' } } },
      { id: 'compute1', binary: 'nova-compute', release: 'juno' },
      { id: 'compute2', binary: 'nova-compute', release: 'juno' },
    ],
  },
];

function SandboxMode({ setNotice, share, onShareDone, register }: { setNotice: SetNotice; share: ShareState | null; onShareDone(): void; register(s: Sources): void }) {
  const live = useLiveSession('sandbox');
  const [left, setLeft] = useWidth('layout:sandbox-left', () => Math.round(Math.min(560, Math.max(380, innerWidth * 0.34))));
  const [preset, setPreset] = useState(0);
  const [replaying, setReplaying] = useState(false);
  useEffect(() => {
    if (live.note) setNotice({ tone: 'info', text: live.note });
  }, [live.note]);
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
    const n = share.steps?.length ?? 0;
    session
      .replay(share.services ?? [], share.steps ?? [], share.seed)
      .then(
        () => setNotice({ tone: 'info', text: `Opened a shared sandbox: ${share.services?.length ?? 0} services, ${n} step${n === 1 ? '' : 's'} replayed.` }),
        (err: unknown) => onError(`The shared sandbox could not be replayed: ${(err as Error).message}`),
      )
      .finally(() => {
        setReplaying(false);
        bump('replays');
      });
  }, [live.session, share]);

  return (
    <main class="main two" style={{ gridTemplateColumns: `${left}px 6px minmax(360px, 1fr)` }}>
      <section class="pane sandbox-pane" aria-label="Sandbox controls">
        <div class="pane-bar">
          <h2 class="pane-title">Sandbox</h2>
          <span class="muted small">{replaying ? 'replaying a shared sandbox…' : 'free play on a live cluster'}</span>
        </div>
        <div class="sandbox-scroll">
          <form
            class="row preset"
            onSubmit={(e) => {
              e.preventDefault();
              if (live.session) live.session.reset(PRESETS[preset]!.services).catch((err: unknown) => onError((err as Error).message));
            }}
          >
            <select aria-label="Cluster preset" value={String(preset)} onChange={(e) => setPreset(Number((e.target as HTMLSelectElement).value))}>
              {PRESETS.map((p, i) => (
                <option value={String(i)}>{p.name}</option>
              ))}
            </select>
            <button class="btn small" type="submit" disabled={!live.session || live.session.busy}>
              New cluster
            </button>
          </form>
          <p class="intro">
            Free play. Upgrade services one at a time, pin <code>[upgrade_levels]</code>, act on instances, and watch which version every message goes out at, which ones are capped, backported or
            refused.
          </p>
          <ClusterView session={live.session} snapshot={live.snapshot} full onError={onError} />
        </div>
      </section>
      <Splitter label="Resize the sandbox controls" orientation="vertical" value={left} min={320} max={900} onChange={setLeft} />
      <SimPane session={live.session} snapshot={live.snapshot} events={live.events} showCluster={false} emptyHint="Act on the cluster: every message will be drawn here." onError={onError} />
    </main>
  );
}
