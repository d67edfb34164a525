/**
 * What the inspector shows for a selected message (pure): the wire JSON,
 * its request context, the versioned objects in its args, and every
 * decision taken on it, collected from the cause tree (client decisions on
 * the send, queueing, delivery, dispatch, object hydration and backports,
 * the reply or timeout).
 */
import type { SendData, TraceEvent } from '../../runtime/trace';
import { messageTags, primaryOutcome, type Outcome } from './diagram';
import { owningSend, repliesOf, subtree, type TraceIndex } from './trace_index';

export type Tone = 'ok' | 'info' | 'warn' | 'error';

export interface Decision {
  stage: 'client' | 'send' | 'bus' | 'deliver' | 'dispatch' | 'object' | 'nested' | 'reply' | 'timeout' | 'refused' | 'log';
  tone: Tone;
  text: string;
  event?: string;
  /** Extra lines (a remote traceback). */
  detail?: string[];
  /** The same decision taken this many times in a row (shown once, "×n"). */
  count?: number;
}

/** Folds runs of the same decision (a client asks can_send_version('4.0') once per call site) into one line with a count. */
export function foldRepeats(list: Decision[]): Decision[] {
  const out: Decision[] = [];
  for (const d of list) {
    const last = out[out.length - 1];
    if (last && last.stage === d.stage && last.text === d.text && last.tone === d.tone && !d.detail && !last.detail) last.count = (last.count ?? 1) + 1;
    else out.push({ ...d });
  }
  return out;
}

export interface ObjectRef {
  /** Where in args, e.g. 'instance' or 'instance.flavor' or 'instances[0]'. */
  path: string;
  name: string;
  version: string;
  namespace?: string;
}

export interface Inspection {
  /** The event the inspection is about (a send, a refused send, or any other event). */
  event: TraceEvent;
  title: string;
  send?: TraceEvent;
  data?: SendData;
  /** The parsed `oslo.message`. */
  message?: Record<string, unknown>;
  /** The envelope as it crossed the wire, with `oslo.message` parsed for reading. */
  wire?: unknown;
  context: [string, unknown][];
  objects: ObjectRef[];
  decisions: Decision[];
  outcome?: Outcome;
  tags: Outcome[];
  /** The reply, for calls. */
  reply?: TraceEvent;
}

function parse(s: unknown): Record<string, unknown> | undefined {
  if (typeof s !== 'string') return undefined;
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Every `nova_object.*` (or `versioned_object.*`) primitive inside a value. */
export function findObjects(value: unknown, path = ''): ObjectRef[] {
  const out: ObjectRef[] = [];
  const walk = (v: unknown, p: string) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${p}[${i}]`));
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    for (const ns of ['nova_object', 'versioned_object']) {
      if (typeof o[`${ns}.name`] === 'string') {
        out.push({ path: p || '(value)', name: o[`${ns}.name`] as string, version: String(o[`${ns}.version`] ?? '?'), namespace: o[`${ns}.namespace`] as string | undefined });
        walk(o[`${ns}.data`], p);
        return;
      }
    }
    for (const [k, x] of Object.entries(o)) walk(x, p ? `${p}.${k}` : k);
  };
  walk(value, path);
  return out;
}

function clientTone(text: string): Tone {
  if (/refuses|RPCVersionCapError/.test(text)) return 'error';
  if (/->\s*False/.test(text)) return 'warn';
  return 'info';
}

function objectDecision(e: TraceEvent, all: TraceEvent[]): Decision | null {
  const d = e.data ?? {};
  const name = String(d.objname ?? 'object');
  switch (d.outcome) {
    case 'IncompatibleObjectVersion': {
      const asked = all.some((x) => x.kind === 'object' && x.data?.outcome === 'backport_requested' && x.seq > e.seq && x.data?.objname === d.objname);
      return { stage: 'object', tone: 'warn', event: e.id, text: `IncompatibleObjectVersion: ${name} ${String(d.objver)} > ${String(d.class_version ?? '?')}${asked ? ' -> object_backport' : ''}` };
    }
    case 'backport_requested':
      return null; // folded into the line above and the nested call
    case 'backported':
      return { stage: 'object', tone: 'ok', event: e.id, text: `${name} ${String(d.objver)} backported to ${String(d.target_version ?? d.class_version ?? '?')}` };
    case 'retry_without_z':
      return { stage: 'object', tone: 'info', event: e.id, text: e.text };
    case 'hydrated':
      return { stage: 'object', tone: 'ok', event: e.id, text: `${name} ${String(d.objver)} hydrated${d.class_version && d.class_version !== d.objver ? ` as ${String(d.class_version)}` : ''} on ${e.service}` };
    default:
      return { stage: 'object', tone: 'error', event: e.id, text: e.text };
  }
}

function replyDecision(r: TraceEvent): Decision {
  if (r.data?.ok === false) {
    const f = (r.data.failure ?? {}) as { class?: string; message?: string; tb?: string[]; expected?: boolean };
    // An exception the server declared expected (HostBinaryNotFound at a first start) is part of the flow.
    if (f.expected) return { stage: 'reply', tone: 'info', event: r.id, text: `reply from ${String(r.data.from ?? '?')}: ${f.class ?? 'Error'} (expected): ${f.message ?? ''}`.trim() };
    return { stage: 'reply', tone: 'error', event: r.id, text: `reply failure from ${String(r.data.from ?? '?')}: ${f.class ?? 'Error'}: ${f.message ?? ''}`.trim(), detail: f.tb?.length ? f.tb : undefined };
  }
  return { stage: 'reply', tone: 'ok', event: r.id, text: `reply ok from ${String(r.data?.from ?? '?')} to ${r.service}` };
}

/** Decisions for one send, from the client to the reply. */
export function decisionsFor(ix: TraceIndex, send: TraceEvent): Decision[] {
  const d = send.data as SendData;
  const out: Decision[] = d.decisions.map((text) => ({ stage: 'client' as const, tone: clientTone(text), text, event: send.id }));
  out.push({ stage: 'send', tone: 'info', event: send.id, text: `${d.rpc} ${d.method} v${d.version ?? '1.0'}${d.namespace ? ` [${d.namespace}]` : ''} -> ${d.queue} (from ${send.service})` });
  const direct = ix.children.get(send.id) ?? [];
  for (const c of direct) {
    if (c.kind === 'queued') out.push({ stage: 'bus', tone: 'warn', event: c.id, text: c.text });
    if (c.kind === 'dropped') out.push({ stage: 'bus', tone: 'error', event: c.id, text: c.text });
  }
  for (const dl of direct.filter((c) => c.kind === 'deliver')) {
    const queue = String(dl.data?.queue ?? d.queue);
    // "from <queue>" read as a sender ("delivered to conductor from conductor"): name the queue as a queue.
    out.push({ stage: 'deliver', tone: 'info', event: dl.id, text: `delivered to ${dl.service} via queue ${queue}` });
    const under = subtree(ix, dl.id);
    for (const e of under) {
      if (e.kind === 'dispatch') {
        const x = e.data ?? {};
        if (x.outcome === 'dispatched') out.push({ stage: 'dispatch', tone: 'ok', event: e.id, text: `dispatched to ${String(x.endpoint ?? 'endpoint')} (endpoint ${String(x.endpoint_version)}) on ${e.service}` });
        else if (x.outcome === 'UnsupportedVersion')
          out.push({
            stage: 'dispatch',
            tone: 'error',
            event: e.id,
            text: x.endpoint_version
              ? `UnsupportedVersion: ${e.service}'s ${String(x.endpoint ?? 'endpoint')} speaks ${String(x.endpoint_version)}, the message is ${String(x.version)}`
              : `UnsupportedVersion: no endpoint on ${e.service} accepts ${String(x.method)} v${String(x.version)}`,
          });
        else out.push({ stage: 'dispatch', tone: 'error', event: e.id, text: `${String(x.outcome)}: ${String(x.method)} v${String(x.version)} on ${e.service}` });
      } else if (e.kind === 'object') {
        const od = objectDecision(e, under);
        if (od) out.push(od);
      } else if (e.kind === 'send') {
        const nd = e.data as SendData;
        const rs = repliesOf(ix, e.id);
        const how = rs.length ? (rs[0]!.data?.ok === false ? 'failed' : 'reply ok') : nd.rpc === 'call' ? 'no reply' : 'cast';
        out.push({ stage: 'nested', tone: rs.some((r) => r.data?.ok === false) ? 'error' : 'info', event: e.id, text: `→ ${nd.rpc} ${nd.method} v${nd.version ?? '1.0'} to ${nd.queue} (${how})` });
      } else if (e.kind === 'log' && (e.data?.level === 'error' || e.data?.level === 'warning') && !e.data?.reply) {
        out.push({ stage: 'log', tone: e.data.level === 'error' ? 'error' : 'warn', event: e.id, text: `${e.service}: ${String(e.data.message ?? e.text)}` });
      } else if (e.kind === 'lifecycle' && e.data?.action === 'crash') {
        out.push({ stage: 'log', tone: 'error', event: e.id, text: e.text });
      }
    }
  }
  for (const c of direct) if (c.kind === 'timeout') out.push({ stage: 'timeout', tone: 'error', event: c.id, text: c.text });
  for (const r of repliesOf(ix, send.id)) out.push(replyDecision(r));
  return foldRepeats(out);
}

export function inspect(ix: TraceIndex, id: string): Inspection | null {
  const event = ix.byId.get(id);
  if (!event) return null;
  if (event.kind === 'refused') {
    const decisions: Decision[] = ((event.data?.decisions as string[] | undefined) ?? []).map((text) => ({ stage: 'client', tone: clientTone(text), text, event: event.id }));
    decisions.push({ stage: 'refused', tone: 'error', text: `${event.text}: nothing was sent`, event: event.id });
    return { event, title: `${String(event.data?.method ?? 'message')} v${String(event.data?.version ?? '?')} refused at ${event.service}`, context: [], objects: [], decisions: foldRepeats(decisions), outcome: 'rejected', tags: ['rejected'] };
  }
  const send = event.kind === 'send' ? event : owningSend(ix, id);
  if (!send) {
    return { event, title: `${event.kind} on ${event.service}`, context: [], objects: [], decisions: [{ stage: 'log', tone: 'info', text: event.text, event: event.id }], tags: [] };
  }
  const data = send.data as SendData;
  const message = parse(data.envelope?.['oslo.message']) ?? {};
  const context = Object.entries(message).filter(([k]) => k.startsWith('_context_'));
  const objects = findObjects(message.args ?? {});
  const deliver = (ix.children.get(send.id) ?? []).find((c) => c.kind === 'deliver') ?? null;
  const tags = messageTags(ix, send, deliver);
  const replies = repliesOf(ix, send.id);
  return {
    event,
    title: `${data.rpc} ${data.method} v${data.version ?? '1.0'}`,
    send,
    data,
    message,
    wire: { 'oslo.version': data.envelope?.['oslo.version'], 'oslo.message': message },
    context,
    objects,
    decisions: decisionsFor(ix, send),
    outcome: primaryOutcome(tags),
    tags,
    reply: replies[0],
  };
}
