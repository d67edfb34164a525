/**
 * One PlaygroundSession per mode, connected lazily after first paint, and
 * a hook that re-renders (at most once a frame) on its events. Also the
 * small read-only hook tests and tools use: `window.__novaLab.trace()`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ClusterSnapshot, PlaygroundSession, TraceEvent } from './session';

export type Mode = 'lesson' | 'sandbox';
export type Connected = { session: PlaygroundSession; note?: string };
const sessions: Partial<Record<Mode, Promise<Connected>>> = {};
const forceFixture = () => new URLSearchParams(location.search).get('session') === 'fixture';

export function getSession(mode: Mode): Promise<Connected> {
  sessions[mode] ??= import('./connect').then((m) => m.connectSession({ forceFixture: forceFixture(), withTrace: mode === 'sandbox' }));
  return sessions[mode]!;
}

export interface Live {
  session: PlaygroundSession | null;
  note?: string;
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

/** Bump a counter on <body data-…> (tests and tools wait on them). */
export function bump(name: 'runs' | 'replays'): void {
  document.body.dataset[name] = String(Number(document.body.dataset[name] ?? 0) + 1);
}

export function useLiveSession(mode: Mode): Live {
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
    shown = conn.session;
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
      if (shown === conn.session) shown = null;
    };
  }, [conn]);
  const s = conn?.session ?? null;
  return { session: s, note: conn?.note, snapshot: s ? s.snapshot() : null, events: s ? s.events : [] };
}
