/**
 * nova-upgrade-lab: header, routes (#/lesson/<slug>, #/sandbox) and the
 * three regions (lesson | editor | simulation), wired to a PlaygroundSession.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { EditorPane, type EditorApi } from './editor/EditorPane';
import type { Problem } from './editor/monaco';
import { LessonPane } from './lessons/LessonPane';
import { LESSONS, lessonBySlug, loadLessonContent } from './lessons/load';
import { confService, moduleName, languageOf, type LessonContent, type LessonFile, type LessonMeta } from './lessons/format';
import { SimPane } from './SimPane';
import { ClusterView } from './cluster/ClusterView';
import { Splitter } from './components/Splitter';
import { Icon } from './components/Icon';
import { isCrash, type ClusterSnapshot, type ExpectationResult, type PlaygroundSession, type RunInput, type ServiceDef, type TraceEvent } from './sim/session';
import { useRoute, type Route } from './util/route';
import { useTheme } from './util/theme';
import { load, save } from './util/storage';

// --- sessions ---------------------------------------------------------------------------

type Mode = 'lesson' | 'sandbox';
type Connected = { session: PlaygroundSession; note?: string };
const sessions: Partial<Record<Mode, Promise<Connected>>> = {};
const forceFixture = () => new URLSearchParams(location.search).get('session') === 'fixture';

function getSession(mode: Mode): Promise<Connected> {
  sessions[mode] ??= import('./sim/connect').then((m) => m.connectSession({ forceFixture: forceFixture(), withTrace: mode === 'sandbox' }));
  return sessions[mode]!;
}

interface Live {
  session: PlaygroundSession | null;
  note?: string;
  snapshot: ClusterSnapshot | null;
  events: readonly TraceEvent[];
}

function useLiveSession(mode: Mode): Live {
  const [conn, setConn] = useState<Connected | null>(null);
  const [, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    setConn(null);
    // After first paint: the lesson text shows before any simulator code loads.
    const t = setTimeout(() => {
      getSession(mode).then((c) => alive && setConn(c));
    }, 0);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [mode]);
  useEffect(() => {
    if (!conn) return;
    let frame = 0;
    const unsub = conn.session.subscribe(() => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setTick((n) => n + 1);
      });
    });
    setTick((n) => n + 1);
    return () => {
      unsub();
      cancelAnimationFrame(frame);
    };
  }, [conn]);
  const s = conn?.session ?? null;
  return { session: s, note: conn?.note, snapshot: s ? s.snapshot() : null, events: s ? s.events : [] };
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
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  const mode: Mode = route.name === 'sandbox' ? 'sandbox' : 'lesson';
  const [notice, setNotice] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);

  useEffect(() => {
    document.title = mode === 'sandbox' ? 'Sandbox · nova-upgrade-lab' : 'nova-upgrade-lab: how Nova survives rolling upgrades';
    setNotice(null);
  }, [mode]);

  return (
    <div class="app">
      <Header route={route} theme={theme} setTheme={setTheme} />
      {notice && (
        <div class={`banner ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button class="icon-btn" aria-label="Dismiss" onClick={() => setNotice(null)}>
            <Icon name="close" size={12} />
          </button>
        </div>
      )}
      {mode === 'lesson' ? <LessonMode slug={route.name === 'lesson' ? route.slug : null} theme={theme} setNotice={setNotice} /> : <SandboxMode setNotice={setNotice} />}
    </div>
  );
}

function Header({ route, theme, setTheme }: { route: Route; theme: 'light' | 'dark'; setTheme(t: 'light' | 'dark'): void }) {
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
      </nav>
      <div class="top-actions">
        <button class="btn ghost small" disabled title="Share links are coming soon">
          Share
        </button>
        <button class="btn ghost small" disabled title="Embedding is coming soon">
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

function LessonMode({ slug, theme, setNotice }: { slug: string | null; theme: 'light' | 'dark'; setNotice(n: { tone: 'error' | 'info'; text: string } | null): void }) {
  const lesson = (slug ? lessonBySlug(slug) : undefined) ?? LESSONS[0];
  const live = useLiveSession('lesson');
  const [content, setContent] = useState<LessonContent | null>(null);
  const [results, setResults] = useState<ExpectationResult[] | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [running, setRunning] = useState(false);
  const [solved, setSolved] = useState<Set<string>>(() => new Set(load<string[]>('solved', [])));
  const editor = useRef<EditorApi | null>(null);
  const [left, setLeft] = useWidth('layout:left', () => Math.round(Math.min(440, Math.max(270, innerWidth * 0.26))));
  const [mid, setMid] = useWidth('layout:mid', () => Math.round(Math.min(620, Math.max(310, innerWidth * 0.32))));

  useEffect(() => {
    if (!lesson) return;
    save('lastLesson', lesson.slug);
    setContent(null);
    setResults(null);
    setProblems([]);
    let alive = true;
    loadLessonContent(lesson).then((c) => alive && setContent(c));
    return () => {
      alive = false;
    };
  }, [lesson?.dir]);

  // The lesson's cluster, idle, until Run.
  useEffect(() => {
    if (live.session && content?.scenario) void live.session.reset(content.scenario.services as ServiceDef[]).catch((e: unknown) => setNotice({ tone: 'error', text: String((e as Error).message) }));
  }, [live.session, content]);

  useEffect(() => {
    if (live.note) setNotice({ tone: 'info', text: live.note });
  }, [live.note]);

  const files = useMemo(() => (lesson ? filesOf(lesson, content) : []), [lesson, content]);

  const run = useCallback(async () => {
    if (!lesson || !content?.scenario || running) return;
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
        if (check.problems.some((p) => p.severity === 'error')) return;
        js = check.js;
      } else setProblems([]);
      const input: RunInput = { scenario: content.scenario, code: {}, conf: {} };
      const services = new Set<string>();
      let anyAll = false;
      for (const f of files) {
        if (f.language === 'typescript' && js[f.path] !== undefined) {
          input.code[moduleName(f.path)] = js[f.path]!;
          if (f.services) f.services.forEach((s) => services.add(s));
          else anyAll = true;
        }
        const svc = confService(f.path);
        if (svc) input.conf[svc] = values[f.path] ?? '';
      }
      if (!anyAll && services.size) input.codeServices = [...services];
      const result = await session.run(input);
      setResults(result.results);
      const crash = result.events.find(isCrash);
      if (result.error) setNotice({ tone: 'error', text: `The run could not start: ${result.error}. Your edits are kept.` });
      else if (crash) setNotice({ tone: 'error', text: `${crash.text}. Your edits are kept: fix the code and run again.` });
      if (result.ok && result.results.length > 0 && !solved.has(lesson.dir)) {
        const next = new Set(solved).add(lesson.dir);
        setSolved(next);
        save('solved', [...next]);
      }
    } catch (err) {
      setNotice({ tone: 'error', text: `The run failed: ${(err as Error).message}. Your edits are kept.` });
    } finally {
      setRunning(false);
      // A run counter for tests and tools (outside Preact's tree).
      document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
    }
  }, [lesson, content, running, live.session, files, solved]);

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

  if (!lesson) {
    return (
      <main class="main empty-main">
        <p>No lessons are installed yet. Try the <a href="#/sandbox">sandbox</a>.</p>
      </main>
    );
  }

  return (
    <main class="main three" style={{ gridTemplateColumns: `${left}px 6px ${mid}px 6px minmax(340px, 1fr)` }}>
      <LessonPane
        lessons={LESSONS}
        lesson={lesson}
        content={content}
        solved={solved}
        results={results}
        onUseSolution={(f) => editor.current?.setAll(f)}
        onResetAll={() => editor.current?.resetAll()}
      />
      <Splitter label="Resize the lesson pane" orientation="vertical" value={left} min={240} max={700} onChange={setLeft} />
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
      <Splitter label="Resize the editor" orientation="vertical" value={mid} min={280} max={900} onChange={setMid} />
      <SimPane
        session={live.session}
        snapshot={live.snapshot}
        events={live.events}
        showCluster
        emptyHint={`Press Run to start the scenario: every message between the services will be drawn here.`}
        onError={(m) => setNotice({ tone: 'error', text: m })}
      />
    </main>
  );
}

// --- sandbox ----------------------------------------------------------------------------

const PRESETS: { name: string; services: ServiceDef[] }[] = [
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

function SandboxMode({ setNotice }: { setNotice(n: { tone: 'error' | 'info'; text: string } | null): void }) {
  const live = useLiveSession('sandbox');
  const [left, setLeft] = useWidth('layout:sandbox-left', () => Math.round(Math.min(560, Math.max(380, innerWidth * 0.34))));
  const [preset, setPreset] = useState(0);
  useEffect(() => {
    if (live.note) setNotice({ tone: 'info', text: live.note });
  }, [live.note]);
  const onError = (m: string) => setNotice({ tone: 'error', text: m });
  return (
    <main class="main two" style={{ gridTemplateColumns: `${left}px 6px minmax(360px, 1fr)` }}>
      <section class="pane sandbox-pane" aria-label="Sandbox controls">
        <div class="pane-bar">
          <h2 class="pane-title">Sandbox</h2>
          <span class="muted small">free play on a live cluster</span>
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
