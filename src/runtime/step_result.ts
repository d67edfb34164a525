/**
 * What a worker posts back is checked before the broker uses it: a worker
 * runs user code, so its step result is untrusted input. A malformed or
 * oversized result is treated as the worker crashing, with the reason.
 */
import type { TraceKind } from './trace';

const KINDS = new Set<TraceKind>(['lifecycle', 'user_action', 'decision', 'refused', 'send', 'queued', 'dropped', 'deliver', 'dispatch', 'object', 'reply', 'timeout', 'db', 'log', 'outcome']);

/** More than this in one step is a storm, whatever produced it. */
export const MAX_EVENTS_PER_STEP = 5000;
export const MAX_OUTPUTS_PER_STEP = 5000;
const MAX_TEXT = 20000;

const isStr = (v: unknown): v is string => typeof v === 'string';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEnvelope = (v: unknown) => isObj(v) && v['oslo.version'] === '2.0' && isStr(v['oslo.message']);
const isTarget = (v: unknown) => isObj(v) && (v.topic === undefined || v.topic === null || isStr(v.topic));

function badOutput(o: unknown): string | null {
  if (!isObj(o)) return 'an output is not an object';
  switch (o.k) {
    case 'publish': {
      const call = o.call as Record<string, unknown> | undefined;
      if (!isStr(o.lid) || !isTarget(o.target) || !isEnvelope(o.envelope) || !isStr(o.method) || !(o.version === null || isStr(o.version))) return 'a malformed publish';
      if (call !== undefined && !(isObj(call) && isStr(call.msg_id) && isStr(call.reply_q) && typeof call.timeout === 'number' && Number.isFinite(call.timeout) && call.timeout >= 0)) return 'a malformed call';
      return null;
    }
    case 'reply': {
      const f = o.failure as Record<string, unknown> | null;
      if (!isStr(o.lid) || !isStr(o.reply_q) || !isStr(o.msg_id) || !Array.isArray(o.envelopes) || o.envelopes.length < 1 || o.envelopes.length > 2 || !o.envelopes.every(isEnvelope)) return 'a malformed reply';
      if (!(f === null || (isObj(f) && isStr(f.class) && isStr(f.message)))) return 'a malformed failure';
      return null;
    }
    case 'listen':
      return isTarget(o.target) && isStr(o.consumer) ? null : 'a malformed listen';
    case 'unlisten':
      return isStr(o.consumer) ? null : 'a malformed unlisten';
    case 'reply_queue':
      return isStr(o.name) ? null : 'a malformed reply queue';
    case 'db':
      return isStr(o.lid) && Number.isInteger(o.req) && isStr(o.method) && Array.isArray(o.args) ? null : 'a malformed database call';
    case 'action_done':
      return isStr(o.lid) && isStr(o.request_id) && typeof o.ok === 'boolean' ? null : 'a malformed action result';
    case 'died':
      return isStr(o.lid) && isStr(o.reason) ? null : 'a malformed death';
    default:
      return `an unknown output ${JSON.stringify(String(o.k)).slice(0, 40)}`;
  }
}

/** Why `r` is not a step result the broker can apply (null when it is), with the publish limit of its service. */
export function stepResultProblem(r: unknown, maxPublishes: number): string | null {
  if (!isObj(r)) return 'it is not an object';
  if (r.t === 'fatal') return isStr(r.message) ? null : 'a fatal result without a message';
  if (r.t !== 'done' || !Number.isInteger(r.step) || !Array.isArray(r.events) || !Array.isArray(r.out)) return 'it is not a step result';
  // A service allowed many publishes in a step (the benchmark's) may record as many sends and outputs.
  const maxEvents = MAX_EVENTS_PER_STEP + 2 * maxPublishes;
  const maxOutputs = MAX_OUTPUTS_PER_STEP + maxPublishes;
  if (r.events.length > maxEvents) return `${r.events.length} trace events in one step (at most ${maxEvents})`;
  if (r.out.length > maxOutputs) return `${r.out.length} outputs in one step (at most ${maxOutputs})`;
  for (const e of r.events as unknown[]) {
    if (!isObj(e) || !isStr(e.lid) || !KINDS.has(e.kind as TraceKind) || !isStr(e.text) || e.text.length > MAX_TEXT) return 'a malformed trace event';
    if (!(e.cause === undefined || isStr(e.cause)) || !(e.data === undefined || isObj(e.data))) return 'a malformed trace event';
  }
  let publishes = 0;
  for (const o of r.out as unknown[]) {
    const bad = badOutput(o);
    if (bad) return bad;
    if ((o as { k: string }).k === 'publish') publishes += 1;
  }
  if (publishes > maxPublishes) return `${publishes} messages published in one step (at most ${maxPublishes})`;
  return null;
}

