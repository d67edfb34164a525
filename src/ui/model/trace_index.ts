/** Lookups over a trace, built once per trace and shared by the diagram and the inspector. */
import { descendantsOf, type TraceEvent } from '../../runtime/trace';

export interface TraceIndex {
  events: readonly TraceEvent[];
  byId: Map<string, TraceEvent>;
  children: Map<string, TraceEvent[]>;
}

export function indexTrace(events: readonly TraceEvent[]): TraceIndex {
  const byId = new Map<string, TraceEvent>();
  const children = new Map<string, TraceEvent[]>();
  for (const e of events) {
    byId.set(e.id, e);
    if (e.cause) {
      let list = children.get(e.cause);
      if (!list) children.set(e.cause, (list = []));
      list.push(e);
    }
  }
  return { events, byId, children };
}

/** Events under `id` in seq order, not descending into nested sends unless asked (runtime/trace.ts). */
export function subtree(ix: TraceIndex, id: string, opts: { intoSends?: boolean } = {}): TraceEvent[] {
  return descendantsOf(ix.children, id, opts);
}

/** The send event a deliver / dispatch / object / reply belongs to, if any. */
export function owningSend(ix: TraceIndex, id: string): TraceEvent | undefined {
  let cur = ix.byId.get(id);
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    if (cur.kind === 'send') return cur;
    if (cur.kind === 'reply' && typeof cur.data?.call === 'string') return ix.byId.get(cur.data.call);
    seen.add(cur.id);
    cur = cur.cause ? ix.byId.get(cur.cause) : undefined;
  }
  return undefined;
}

/** Reply events answering a call's send (by cause or by data.call). */
export function repliesOf(ix: TraceIndex, sendId: string): TraceEvent[] {
  const direct = (ix.children.get(sendId) ?? []).filter((e) => e.kind === 'reply');
  if (direct.length) return direct;
  return ix.events.filter((e) => e.kind === 'reply' && e.data?.call === sendId);
}
