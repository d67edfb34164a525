/**
 * Run against run (pure): which messages changed version, routing key
 * (lesson 1: the same stop_instance to `compute` then to `compute.compute1`)
 * or outcome, which messages are new or gone. Messages are paired by sender,
 * receiver and method, the n-th with the n-th, so "the second stop_instance
 * from api to compute1" in one run meets its counterpart in the other.
 */
import type { SendData } from '../../runtime/trace';
import type { DiagramModel, MessageItem, Outcome } from './diagram';

export interface RunMessage {
  /** The send id in its own run. */
  send: string;
  from: string;
  to: string | null;
  method: string;
  version: string;
  /** The routing key (queue) it was published to. */
  queue: string;
  outcome: Outcome;
  rpc: 'call' | 'cast';
}

export interface MessageChange {
  /** `from>to method #n` (n from 1). */
  key: string;
  before: RunMessage;
  after: RunMessage;
  version: boolean;
  queue: boolean;
  outcome: boolean;
}

export interface RunDiff {
  changed: MessageChange[];
  /** Only in the current run. */
  added: RunMessage[];
  /** Only in the previous run. */
  removed: RunMessage[];
  /** Messages identical in both runs (method, lanes, version, outcome). */
  same: number;
  /** Current send id -> its change, for marking arrows. */
  bySend: Map<string, MessageChange | 'added'>;
}

function messagesOf(model: DiagramModel): RunMessage[] {
  const out: RunMessage[] = [];
  const seen = new Set<string>();
  for (const it of model.items) {
    if (it.type !== 'message') continue;
    // A fanout cast draws one arrow per receiver: each is a message of its own.
    const m = it as MessageItem;
    const id = m.id;
    if (seen.has(id)) continue;
    seen.add(id);
    const space = m.label.lastIndexOf(' v');
    const queue = String((model.index.byId.get(m.send)?.data as SendData | undefined)?.queue ?? '');
    out.push({ send: m.send, from: m.from, to: m.to, method: m.label.slice(0, space), version: m.label.slice(space + 2), queue, outcome: m.outcome, rpc: m.rpc });
  }
  return out;
}

function keyed(list: RunMessage[]): Map<string, RunMessage> {
  const n = new Map<string, number>();
  const out = new Map<string, RunMessage>();
  for (const m of list) {
    const base = `${m.from}>${m.to ?? '?'} ${m.method}`;
    const k = (n.get(base) ?? 0) + 1;
    n.set(base, k);
    out.set(`${base} #${k}`, m);
  }
  return out;
}

export function diffRuns(previous: DiagramModel, current: DiagramModel): RunDiff {
  const before = keyed(messagesOf(previous));
  const after = keyed(messagesOf(current));
  const changed: MessageChange[] = [];
  const added: RunMessage[] = [];
  const removed: RunMessage[] = [];
  const bySend = new Map<string, MessageChange | 'added'>();
  let same = 0;
  for (const [key, a] of after) {
    const b = before.get(key);
    if (!b) {
      added.push(a);
      bySend.set(a.send, 'added');
      continue;
    }
    const version = a.version !== b.version;
    const outcome = a.outcome !== b.outcome;
    const queue = a.queue !== b.queue;
    if (version || outcome || queue) {
      const c = { key, before: b, after: a, version, queue, outcome };
      changed.push(c);
      bySend.set(a.send, c);
    } else same++;
  }
  for (const [key, b] of before) if (!after.has(key)) removed.push(b);
  return { changed, added, removed, same, bySend };
}
