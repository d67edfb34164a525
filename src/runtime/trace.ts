/**
 * The trace: every step of a simulated run as an event with a causal link
 * (`cause`) to what caused it. Events are plain JSON so they can cross
 * worker boundaries, be saved, compared and drawn. Times are virtual
 * milliseconds: the same scenario yields the same trace everywhere.
 */
export type TraceKind =
  | 'lifecycle' // a service started, stopped, was upgraded, crashed...
  | 'user_action' // a user asked the api for something
  | 'decision' // a client decision: can_send_version asked and answered, cap applied
  | 'refused' // a client refused to send (RPCVersionCapError...)
  | 'send' // a message was published
  | 'queued' // it waits in a queue without consumer
  | 'dropped' // published where no queue exists
  | 'deliver' // a consumer received it
  | 'dispatch' // the server's dispatcher chose an endpoint or refused
  | 'object' // an object was hydrated, refused, retried or backported
  | 'reply' // a call's reply (result or failure) reached the caller
  | 'timeout' // a call timed out
  | 'db' // a database query
  | 'log' // a service log line
  | 'outcome'; // what a user action finally came to

export interface TraceEvent {
  id: string;
  seq: number;
  /** Virtual time in milliseconds. */
  time: number;
  kind: TraceKind;
  /** The service the event happened on (e.g. 'compute1'), or 'bus' / 'user'. */
  service: string;
  cause?: string;
  /** One-line human summary. */
  text: string;
  data?: Record<string, unknown>;
}

/** A sent message as the trace records it. */
export interface SendData extends Record<string, unknown> {
  method: string;
  version: string | null;
  namespace: string | null;
  rpc: 'call' | 'cast';
  topic: string;
  server: string | null;
  fanout: boolean;
  /** Routing key or exchange it was published to. */
  queue: string;
  msg_id: string | null;
  /** The oslo envelope exactly as it crossed the wire. */
  envelope: { 'oslo.version': string; 'oslo.message': string };
  /** Client decisions taken for this message (can_send_version...). */
  decisions: string[];
}

/** Follow `cause` links up to the root. */
export function ancestry(events: Map<string, TraceEvent>, id: string): TraceEvent[] {
  const out: TraceEvent[] = [];
  let cur = events.get(id);
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    out.push(cur);
    seen.add(cur.id);
    cur = cur.cause ? events.get(cur.cause) : undefined;
  }
  return out;
}

/** Events caused (directly or not) by `id`. */
export function descendants(events: TraceEvent[], id: string): TraceEvent[] {
  const children = new Map<string, TraceEvent[]>();
  for (const e of events) if (e.cause) (children.get(e.cause) ?? children.set(e.cause, []).get(e.cause)!).push(e);
  const out: TraceEvent[] = [];
  const stack = [...(children.get(id) ?? [])];
  while (stack.length) {
    const e = stack.shift()!;
    out.push(e);
    stack.push(...(children.get(e.id) ?? []));
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** A readable timeline, one line per event. */
export function formatTimeline(events: TraceEvent[], { verbose = false } = {}): string {
  return events
    .filter((e) => verbose || (e.kind !== 'db' && !(e.kind === 'log' && e.data?.level === 'debug')))
    .map((e) => {
      const t = `${(e.time / 1000).toFixed(3).padStart(9)}s`;
      const cause = e.cause ? ` <- ${e.cause}` : '';
      return `${t}  ${e.id.padEnd(6)} ${e.kind.padEnd(10)} ${e.service.padEnd(12)} ${e.text}${verbose ? cause : ''}`;
    })
    .join('\n');
}

/**
 * Events caused, directly or not, by event `id`, in seq order, given each
 * event's children. By default the walk stops at nested sends (a nested send
 * is included, its own subtree is not): what happened to one message, not to
 * the messages it caused.
 */
export function descendantsOf(children: ReadonlyMap<string, readonly TraceEvent[]>, id: string, { intoSends = false } = {}): TraceEvent[] {
  const out: TraceEvent[] = [];
  const stack = [...(children.get(id) ?? [])];
  const seen = new Set<string>();
  while (stack.length) {
    const e = stack.pop()!;
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    out.push(e);
    if (e.kind === 'send' && !intoSends) continue;
    const kids = children.get(e.id);
    if (kids) stack.push(...kids);
  }
  return out.sort((a, b) => a.seq - b.seq);
}
