/**
 * One PlaygroundSession per mode, connected lazily after first paint, and
 * a hook that re-renders (at most once a frame) on its events. Also the
 * small read-only hooks tests and tools use: `window.__novaLab.trace()`,
 * `busy()`, `status()`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ClusterSnapshot, PlaygroundSession, SessionStatus, TraceEvent } from './session';
import { firstClusterSettled } from '../util/startup';

export type Mode = 'lesson' | 'sandbox';
const sessions: Partial<Record<Mode, Promise<PlaygroundSession>>> = {};

export function getSession(mode: Mode): Promise<PlaygroundSession> {
  sessions[mode] ??= import('./connect').then((m) => m.connectSession());
  return sessions[mode]!;
}

export interface Live {
  session: PlaygroundSession | null;
  /** Set when the simulator could not start (the page says why; nothing runs). */
  error?: string;
  status: SessionStatus;
  snapshot: ClusterSnapshot | null;
  events: readonly TraceEvent[];
}

/** What `window.__novaLab.trace()` returns: the shown trace, event by event. */
export interface TraceRow {
  id: string;
  kind: string;
  service: string;
  text: string;
}

let shown: PlaygroundSession | null = null;
const lab = ((globalThis as unknown as { __novaLab?: Record<string, unknown> }).__novaLab ??= {});
lab.trace = (): TraceRow[] => (shown ? shown.events.map((e) => ({ id: e.id, kind: e.kind, service: e.service, text: e.text })) : []);
lab.busy = (): boolean => Boolean(shown?.busy);
lab.status = (): SessionStatus | null => (shown ? shown.status : null);

/** Bump a counter on <body data-…> (tests and tools wait on them). */
export function bump(name: 'runs' | 'replays'): void {
  document.body.dataset[name] = String(Number(document.body.dataset[name] ?? 0) + 1);
}

const STARTING: SessionStatus = { phase: 'loading' };
const BUSY_REDRAW_MS = 300;
/** Lesson 1, second Run: 170 -> 155 ms (8 + 8 pages, interleaved; the mid-run redraw was 8 ms of page work). */
const RUN_FIRST_REDRAW_MS = 200;

export function useLiveSession(mode: Mode): Live {
  const [conn, setConn] = useState<{ session: PlaygroundSession } | { error: string } | null>(null);
  const [, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    setConn(null);
    // After first paint: the lesson text shows before any simulator code loads.
    const t = setTimeout(() => {
      getSession(mode).then(
        (session) => alive && setConn({ session }),
        async (err: unknown) => {
          delete sessions[mode];
          // No cluster will come: what waits for the first one goes ahead.
          firstClusterSettled();
          const { startupHelp } = await import('./connect');
          if (alive) setConn({ error: startupHelp(String((err as Error)?.message ?? err)) });
        },
      );
    }, 0);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [mode]);
  const session = conn && 'session' in conn ? conn.session : null;
  useEffect(() => {
    if (!session) return;
    shown = session;
    // Re-render at most once a frame; while a run is busy, at most every
    // 300 ms: the broker shares this thread, and each redraw (style, layout,
    // paint of the diagram and the cluster) delays the run it shows. At 300
    // rather than 150 ms a warm Run of lesson 1 took 376 instead of 447 ms
    // (interleaved, median of 8), and a long run still shows its progress.
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const draw = () => {
      frame = 0;
      timer = undefined;
      last = performance.now();
      setTick((n) => n + 1);
    };
    let wasBusy = false;
    const unsub = session.subscribe(() => {
      // A Run that just began counts as drawn RUN_FIRST_REDRAW_MS early: its
      // button already shows it, and its trace starts empty, so a short Run
      // draws once, when it ends, and a long one shows progress from then on.
      // Cluster verbs still redraw at once (their buttons disable on it).
      if (session.busy && !wasBusy && session.running) last = performance.now() - (BUSY_REDRAW_MS - RUN_FIRST_REDRAW_MS);
      wasBusy = session.busy;
      if (frame || timer) return;
      const wait = session.busy ? BUSY_REDRAW_MS - (performance.now() - last) : 0;
      if (wait > 0) timer = setTimeout(() => (frame = requestAnimationFrame(draw)), wait);
      else frame = requestAnimationFrame(draw);
    });
    setTick((n) => n + 1);
    return () => {
      unsub();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      if (shown === session) shown = null;
    };
  }, [session]);
  if (conn && 'error' in conn) return { session: null, error: conn.error, status: { phase: 'failed', error: conn.error }, snapshot: null, events: [] };
  return {
    session,
    status: session ? session.status : STARTING,
    snapshot: session ? session.snapshot() : null,
    events: session ? session.events : [],
  };
}
