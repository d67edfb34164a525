/**
 * Trace -> sequence diagram model (pure, no DOM): lanes, rows and the items
 * drawn on them, each message coloured by what happened to it.
 *
 * Rows are ordinal, one per significant event in seq order (virtual time is
 * kept per row for the timeline): many events share a virtual millisecond,
 * so drawing by time would pile them up.
 */
import type { SendData, TraceEvent } from '../../runtime/trace';
import { indexTrace, repliesOf, subtree, type TraceIndex } from './trace_index';

export type Outcome = 'ok' | 'capped' | 'backported' | 'rejected' | 'error' | 'queued';
/** Colour priority: the first tag present wins. */
export const OUTCOME_ORDER: Outcome[] = ['rejected', 'error', 'backported', 'capped', 'queued', 'ok'];
export const OUTCOME_LABEL: Record<Outcome, string> = {
  ok: 'ok',
  capped: 'capped',
  backported: 'backported',
  rejected: 'rejected',
  error: 'error',
  queued: 'queued',
};

export interface Lane {
  id: string;
  label: string;
  binary?: string;
  release?: string;
}

export interface MessageItem {
  type: 'message';
  /** The send id (plus ':' + deliver id for fanout copies). */
  id: string;
  send: string;
  deliver: string | null;
  from: string;
  /** Receiving lane; null when nobody received it and the target is unknown. */
  to: string | null;
  row0: number;
  /** Delivery row; for an undelivered message, the row it stops at (queued). */
  row1: number;
  delivered: boolean;
  label: string;
  rpc: 'call' | 'cast';
  outcome: Outcome;
  tags: Outcome[];
}

export interface ReplyItem {
  type: 'reply';
  id: string;
  send: string;
  from: string;
  to: string;
  row: number;
  ok: boolean;
  label: string;
}

export interface RefusedItem {
  type: 'refused';
  id: string;
  from: string;
  row: number;
  label: string;
}

export type MarkerTone = 'ok' | 'info' | 'warn' | 'error';
export interface MarkerItem {
  type: 'marker';
  id: string;
  lane: string;
  row: number;
  kind: TraceEvent['kind'];
  tone: MarkerTone;
  label: string;
}

export type DiagramItem = MessageItem | ReplyItem | RefusedItem | MarkerItem;

export interface DiagramModel {
  lanes: Lane[];
  items: DiagramItem[];
  /** Per row: the event drawn there. */
  rows: TraceEvent[];
  index: TraceIndex;
  /** Messages carrying each tag (a capped and backported message counts twice). */
  counts: Record<Outcome, number>;
}

export interface LaneHint {
  id: string;
  binary?: string;
  release?: string;
  host?: string;
}

const REJECTED = new Set(['UnsupportedVersion', 'NoSuchMethod']);

/** Which events get a row of their own. */
function rowWorthy(e: TraceEvent): boolean {
  switch (e.kind) {
    case 'lifecycle':
      // The broker's own "x starts" / "x stops consuming" steps repeat what the lifecycle event said.
      return !(e.data === undefined && / (starts|stops consuming)$/.test(e.text));
    case 'user_action':
    case 'send':
    case 'deliver':
    case 'queued':
    case 'dropped':
    case 'refused':
    case 'reply':
    case 'timeout':
      return true;
    case 'dispatch':
      return REJECTED.has(String(e.data?.outcome));
    case 'object': {
      const o = String(e.data?.outcome);
      return o === 'IncompatibleObjectVersion' || o === 'backported' || o === 'error';
    }
    case 'log': {
      const l = e.data?.level;
      return (l === 'error' || l === 'warning') && !e.data?.reply;
    }
    case 'outcome':
      return e.data?.ok === false;
    default:
      return false;
  }
}

export function messageTags(ix: TraceIndex, send: TraceEvent, deliver: TraceEvent | null): Outcome[] {
  const tags = new Set<Outcome>();
  let logError = false;
  const d = send.data as SendData | undefined;
  if (d?.decisions?.some((x) => /->\s*False/.test(x))) tags.add('capped');
  for (const c of ix.children.get(send.id) ?? []) {
    if (c.kind === 'queued') tags.add('queued');
    if (c.kind === 'timeout' || c.kind === 'dropped') tags.add('error');
  }
  // A failure the server declared expected (HostBinaryNotFound at a first start...) is part of the flow.
  for (const r of repliesOf(ix, send.id)) if (r.data?.ok === false && !(r.data?.failure as { expected?: boolean } | null)?.expected) tags.add('error');
  if (deliver) {
    for (const e of subtree(ix, deliver.id)) {
      if (e.kind === 'dispatch' && REJECTED.has(String(e.data?.outcome))) tags.add('rejected');
      if (e.kind === 'object') {
        const o = String(e.data?.outcome);
        if (o === 'backport_requested' || o === 'backported') tags.add('backported');
        if (o === 'error') tags.add('error');
      }
      // The handler raised (a bad [upgrade_levels] value makes can_send_version raise ValueError...):
      // the message failed even when nobody waits for a reply.
      if (e.kind === 'log' && e.data?.level === 'error' && !e.data?.reply) logError = true;
    }
  }
  // A refused dispatch logs its exception too: that one is already "rejected".
  if (logError && !tags.has('rejected')) tags.add('error');
  if (tags.size === 0 || (tags.size === 1 && tags.has('queued') && deliver)) tags.add('ok');
  return OUTCOME_ORDER.filter((o) => tags.has(o));
}

export function primaryOutcome(tags: Outcome[]): Outcome {
  return OUTCOME_ORDER.find((o) => tags.includes(o)) ?? 'ok';
}

function shortLifecycle(e: TraceEvent): string {
  return e.text.replace(new RegExp(`^${e.service}:?\\s*`), '').replace(/^\((nova-[a-z]+), ([a-z]+)\) /, '$2 ');
}

export function buildDiagram(events: readonly TraceEvent[], hints: LaneHint[] = []): DiagramModel {
  const ix = indexTrace(events);
  const lanes: Lane[] = [{ id: 'user', label: 'user' }];
  const laneIds = new Set(['user']);
  const hostToLane = new Map<string, string>();
  const addLane = (id: string, binary?: string, release?: string) => {
    if (laneIds.has(id) || id === 'bus') return;
    laneIds.add(id);
    lanes.push({ id, label: id, binary, release });
  };
  for (const h of hints) {
    addLane(h.id, h.binary, h.release);
    if (h.host) hostToLane.set(h.host, h.id);
  }
  for (const e of events) {
    if (e.kind === 'lifecycle' && typeof e.data?.release === 'string') {
      addLane(e.service, e.data.binary as string | undefined, e.data.release);
      const lane = lanes.find((l) => l.id === e.service)!;
      lane.release = e.data.release; // the latest release wins
      lane.binary ??= e.data.binary as string | undefined;
    } else addLane(e.service);
  }
  for (const l of lanes) if (!hostToLane.has(l.id)) hostToLane.set(l.id, l.id);

  const rows: TraceEvent[] = [];
  const rowOf = new Map<string, number>();
  for (const e of events) {
    if (!rowWorthy(e)) continue;
    rowOf.set(e.id, rows.length);
    rows.push(e);
  }

  const items: DiagramItem[] = [];
  const counts: Record<Outcome, number> = { ok: 0, capped: 0, backported: 0, rejected: 0, error: 0, queued: 0 };
  for (const e of rows) {
    const row = rowOf.get(e.id)!;
    switch (e.kind) {
      case 'send': {
        const d = e.data as SendData;
        const delivers = (ix.children.get(e.id) ?? []).filter((c) => c.kind === 'deliver');
        const label = `${d.method} v${d.version ?? '1.0'}`;
        const from = e.service;
        if (delivers.length === 0) {
          const queued = (ix.children.get(e.id) ?? []).find((c) => c.kind === 'queued' || c.kind === 'dropped');
          const to = d.server ? (hostToLane.get(d.server) ?? null) : null;
          const tags = messageTags(ix, e, null);
          const outcome = primaryOutcome(tags);
          for (const t of tags) counts[t] += 1;
          items.push({ type: 'message', id: e.id, send: e.id, deliver: null, from, to, row0: row, row1: queued ? rowOf.get(queued.id)! : row, delivered: false, label, rpc: d.rpc, outcome, tags });
        }
        for (const dl of delivers) {
          const tags = messageTags(ix, e, dl);
          const outcome = primaryOutcome(tags);
          for (const t of tags) counts[t] += 1;
          items.push({
            type: 'message',
            id: delivers.length > 1 ? `${e.id}:${dl.id}` : e.id,
            send: e.id,
            deliver: dl.id,
            from,
            to: dl.service,
            row0: row,
            row1: rowOf.get(dl.id) ?? row,
            delivered: true,
            label,
            rpc: d.rpc,
            outcome,
            tags,
          });
        }
        break;
      }
      case 'reply': {
        const send = typeof e.data?.call === 'string' ? ix.byId.get(e.data.call) : e.cause ? ix.byId.get(e.cause) : undefined;
        const from = (e.data?.from as string | undefined) ?? (send ? (ix.children.get(send.id) ?? []).find((c) => c.kind === 'deliver')?.service : undefined) ?? e.service;
        const f = e.data?.failure as { class?: string; expected?: boolean } | null | undefined;
        const ok = e.data?.ok !== false || Boolean(f?.expected);
        const method = send ? (send.data as SendData).method : 'call';
        items.push({ type: 'reply', id: e.id, send: send?.id ?? e.id, from, to: e.service, row, ok, label: f?.class ? `${f.class} ↩` : `${method} ↩` });
        break;
      }
      case 'refused':
        items.push({ type: 'refused', id: e.id, from: e.service, row, label: e.text.replace(/^RPCVersionCapError: /, 'RPCVersionCapError ') });
        break;
      case 'deliver':
        break; // drawn as the arrow head
      case 'queued':
      case 'dropped': {
        const send = e.cause ? ix.byId.get(e.cause) : undefined;
        const server = (send?.data as SendData | undefined)?.server;
        const lane = (server && hostToLane.get(server)) || send?.service || 'user';
        items.push({ type: 'marker', id: e.id, lane, row, kind: e.kind, tone: e.kind === 'dropped' ? 'error' : 'warn', label: e.kind === 'queued' ? `waits in ${String(e.data?.queue ?? 'queue')}` : 'dropped: no queue' });
        break;
      }
      case 'user_action':
        items.push({ type: 'marker', id: e.id, lane: 'user', row, kind: e.kind, tone: 'info', label: e.text.replace(/^user: /, '') });
        break;
      case 'lifecycle': {
        const crash = e.data?.action === 'crash';
        items.push({ type: 'marker', id: e.id, lane: laneIds.has(e.service) ? e.service : 'user', row, kind: e.kind, tone: crash ? 'error' : 'info', label: shortLifecycle(e) });
        break;
      }
      case 'dispatch':
        items.push({ type: 'marker', id: e.id, lane: e.service, row, kind: e.kind, tone: 'error', label: e.data?.endpoint_version ? `${String(e.data?.outcome)} (speaks ${String(e.data.endpoint_version)})` : String(e.data?.outcome) });
        break;
      case 'object': {
        const o = String(e.data?.outcome);
        const label =
          o === 'IncompatibleObjectVersion'
            ? `${String(e.data?.objname)} ${String(e.data?.objver)} > ${String(e.data?.class_version ?? '?')}`
            : o === 'backported'
              ? `${String(e.data?.objname)} → ${String(e.data?.target_version ?? e.data?.class_version)}`
              : e.text;
        items.push({ type: 'marker', id: e.id, lane: e.service, row, kind: e.kind, tone: o === 'backported' ? 'ok' : o === 'error' ? 'error' : 'warn', label });
        break;
      }
      case 'timeout':
        items.push({ type: 'marker', id: e.id, lane: e.service, row, kind: e.kind, tone: 'error', label: 'MessagingTimeout' });
        break;
      case 'log':
        items.push({ type: 'marker', id: e.id, lane: laneIds.has(e.service) ? e.service : 'user', row, kind: e.kind, tone: e.data?.level === 'error' ? 'error' : 'warn', label: String(e.data?.message ?? e.text) });
        break;
      case 'outcome':
        items.push({ type: 'marker', id: e.id, lane: 'user', row, kind: e.kind, tone: 'error', label: e.text.replace(/^the api refused the request: /, 'refused: ') });
        break;
      default:
        break;
    }
  }
  return { lanes, items, rows, index: ix, counts };
}

/** Rows [first, last] an item spans. */
export function itemRows(it: DiagramItem): [number, number] {
  switch (it.type) {
    case 'message':
      return [Math.min(it.row0, it.row1), Math.max(it.row0, it.row1)];
    default:
      return [it.row, it.row];
  }
}

/** The event id the inspector should open for a diagram item. */
export function inspectTarget(it: DiagramItem): string {
  switch (it.type) {
    case 'message':
      return it.send;
    case 'reply':
      return it.id;
    default:
      return it.id;
  }
}
