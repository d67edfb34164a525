/**
 * What the diagram shows of a model (pure, no DOM): search, filters and
 * the rows that are left, renumbered so hidden rows take no room.
 *
 *  - search: method, service (lane), version, request id, outcome word;
 *    every whitespace-separated term must match (case-insensitive);
 *  - hide housekeeping: object_action and friends, pings, service reports;
 *  - only failures: rejected / error messages, refusals, failed replies,
 *    error markers;
 *  - one service: items drawn from or to its lane;
 *  - outcomes (the legend): messages whose tags include one of them.
 *
 * Replies and markers follow the message they belong to.
 */
import type { SendData } from '../../runtime/trace';
import type { DiagramItem, DiagramModel, MessageItem, Outcome } from './diagram';
import { owningSend } from './trace_index';

/** Methods that keep the cluster going rather than tell the story. */
export const HOUSEKEEPING = new Set([
  'object_action',
  'object_class_action',
  'object_class_action_versions',
  'ping',
  'service_update',
  'sync_instance_info',
  'update_instance_info',
  'delete_instance_info',
  'get_backdoor_port',
  'provider_fw_rule_get_all',
]);

export { NO_FILTER, isFiltering, focusOrder, type ViewFilter } from './diagram_focus';
import { focusOrder, isFiltering, type ViewFilter } from './diagram_focus';

export interface DiagramView extends DiagramModel {
  /** Items of the full model that are hidden. */
  hidden: number;
  /** View row -> model row. */
  modelRow: number[];
}

const FAILED: Outcome[] = ['rejected', 'error'];

/** Lower-case text a search term is matched against, per send id (cached per model). */
const haystacks = new WeakMap<DiagramModel, Map<string, string>>();
function haystack(model: DiagramModel, send: string): string {
  let cache = haystacks.get(model);
  if (!cache) haystacks.set(model, (cache = new Map()));
  let s = cache.get(send);
  if (s !== undefined) return s;
  const e = model.index.byId.get(send);
  const parts: string[] = [];
  if (e) {
    parts.push(e.service);
    const d = e.data as SendData | undefined;
    if (d && typeof d.method === 'string') {
      parts.push(d.method, `v${d.version ?? '1.0'}`, d.version ?? '1.0', d.queue, d.topic, d.server ?? '', d.rpc);
      try {
        const m = JSON.parse(d.envelope?.['oslo.message'] ?? '{}') as Record<string, unknown>;
        for (const k of ['_context_request_id', '_context_global_request_id', '_msg_id', '_unique_id']) if (typeof m[k] === 'string') parts.push(m[k] as string);
      } catch {
        /* not JSON: nothing more to search */
      }
    } else parts.push(e.text);
  }
  s = parts.join(' ').toLowerCase();
  cache.set(send, s);
  return s;
}

function itemText(model: DiagramModel, it: DiagramItem): string {
  switch (it.type) {
    case 'message':
      return `${haystack(model, it.send)} ${it.from} ${it.to ?? ''} ${it.label} ${it.tags.join(' ')}`.toLowerCase();
    case 'reply':
      return `${haystack(model, it.send)} ${it.from} ${it.to} ${it.label} reply ${it.ok ? 'ok' : 'error failure'}`.toLowerCase();
    case 'refused':
      return `${it.from} ${it.label} refused rejected`.toLowerCase();
    case 'marker':
      return `${it.lane} ${it.label} ${it.kind} ${it.tone}`.toLowerCase();
  }
}

function methodOf(model: DiagramModel, send: string): string | undefined {
  const d = model.index.byId.get(send)?.data as SendData | undefined;
  return typeof d?.method === 'string' ? d.method : undefined;
}

/** Is this item a failure (for "only failures" and for jumping between failures)? */
export function isFailure(it: DiagramItem): boolean {
  switch (it.type) {
    case 'message':
      return it.tags.some((t) => FAILED.includes(t));
    case 'reply':
      return !it.ok;
    case 'refused':
      return true;
    case 'marker':
      return it.tone === 'error';
  }
}

/** The messages-and-friends the filter keeps, in model order. */
function keeps(model: DiagramModel, f: ViewFilter): (it: DiagramItem) => boolean {
  const terms = f.query.toLowerCase().split(/\s+/).filter(Boolean);
  const outcomes = f.outcomes?.length ? f.outcomes : null;
  const messages = new Map<string, MessageItem[]>();
  for (const it of model.items) if (it.type === 'message') (messages.get(it.send) ?? messages.set(it.send, []).get(it.send)!).push(it);

  const own = (it: MessageItem): boolean => {
    if (f.hideHousekeeping && HOUSEKEEPING.has(methodOf(model, it.send) ?? '')) return false;
    if (f.onlyFailures && !isFailure(it)) return false;
    if (f.service && it.from !== f.service && it.to !== f.service) return false;
    if (outcomes && !it.tags.some((t) => outcomes.includes(t))) return false;
    if (terms.length) {
      const text = itemText(model, it);
      if (!terms.every((t) => text.includes(t))) return false;
    }
    return true;
  };
  const keptSend = new Map<string, boolean>();
  const sendKept = (send: string): boolean => {
    let k = keptSend.get(send);
    if (k === undefined) keptSend.set(send, (k = (messages.get(send) ?? []).some(own)));
    return k;
  };
  const housekeepingSend = (send: string) => f.hideHousekeeping && HOUSEKEEPING.has(methodOf(model, send) ?? '');

  return (it) => {
    switch (it.type) {
      case 'message':
        return own(it);
      case 'reply':
        // A reply goes with its call (and an error reply stays with "only failures" if its call is kept).
        if (messages.has(it.send)) return sendKept(it.send);
        return !housekeepingSend(it.send) && standalone(it);
      case 'refused':
      case 'marker': {
        const send = owningSend(model.index, it.id);
        if (send && messages.has(send.id)) {
          if (!sendKept(send.id)) return false;
          return !f.onlyFailures || isFailure(it);
        }
        if (send && housekeepingSend(send.id)) return false;
        return standalone(it);
      }
    }
  };

  function standalone(it: DiagramItem): boolean {
    if (f.onlyFailures && !isFailure(it)) return false;
    if (outcomes) {
      if (it.type === 'refused') {
        if (!outcomes.includes('rejected')) return false;
      } else if (it.type === 'marker' && it.kind !== 'user_action') return false;
    }
    if (f.service) {
      const lanes = it.type === 'marker' ? [it.lane] : it.type === 'refused' ? [it.from] : it.type === 'reply' ? [it.from, it.to] : [];
      if (!lanes.includes(f.service) && !(it.type === 'marker' && it.kind === 'user_action')) return false;
    }
    if (terms.length) {
      const text = itemText(model, it);
      if (!terms.every((t) => text.includes(t))) return false;
    }
    return true;
  }
}

/** The view of a model under a filter; the model itself when nothing is filtered. */
export function viewOf(model: DiagramModel, f: ViewFilter): DiagramView {
  if (!isFiltering(f)) return { ...model, hidden: 0, modelRow: model.rows.map((_, i) => i) };
  const keep = keeps(model, f);
  const kept = model.items.filter(keep);
  const used = new Set<number>();
  for (const it of kept) {
    if (it.type === 'message') {
      used.add(it.row0);
      used.add(it.row1);
    } else used.add(it.row);
  }
  const modelRow = [...used].sort((a, b) => a - b);
  const toView = new Map(modelRow.map((r, i) => [r, i]));
  const items = kept.map((it): DiagramItem => (it.type === 'message' ? { ...it, row0: toView.get(it.row0)!, row1: toView.get(it.row1)! } : { ...it, row: toView.get(it.row)! }));
  return { ...model, items, rows: modelRow.map((r) => model.rows[r]!), hidden: model.items.length - kept.length, modelRow };
}

/** The message an item belongs to (a dispatch refusal or a failed reply belongs to its message), for grouping. */
function ownerKey(view: DiagramModel, it: DiagramItem): string {
  if (it.type === 'message' || it.type === 'reply') return it.send;
  return owningSend(view.index, it.id)?.id ?? it.id;
}

/**
 * The next (dir 1) or previous (dir -1) failure after the item `from` (or
 * from the top / bottom), one stop per failed message: a rejected arrow and
 * the refusal marker under it are the same failure. Wraps around.
 */
export function nextFailure(view: DiagramModel, from: string | null, dir: 1 | -1): DiagramItem | null {
  const order = focusOrder(view);
  const seen = new Set<string>();
  const stops: { it: DiagramItem; at: number; key: string }[] = [];
  order.forEach((it, at) => {
    if (!isFailure(it)) return;
    const key = ownerKey(view, it);
    if (seen.has(key)) return;
    seen.add(key);
    stops.push({ it, at, key });
  });
  if (!stops.length) return null;
  const fromItem = from ? order.find((it) => it.id === from) : undefined;
  if (!fromItem) return (dir === 1 ? stops[0] : stops[stops.length - 1])!.it;
  const fromKey = ownerKey(view, fromItem);
  const cur = stops.findIndex((x) => x.key === fromKey);
  if (cur >= 0) return stops[(cur + dir + stops.length) % stops.length]!.it;
  const at = order.indexOf(fromItem);
  const found = dir === 1 ? stops.find((x) => x.at > at) : [...stops].reverse().find((x) => x.at < at);
  return (found ?? (dir === 1 ? stops[0] : stops[stops.length - 1])!).it;
}
