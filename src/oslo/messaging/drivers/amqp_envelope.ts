import { PyValueError } from '../../exception';
import { toWireJson, toWireJsonOfMembers } from '../../wire';
import type { RpcMessage } from '../message';

/**
 * The rabbit driver's wire form: the message dict gets the flattened
 * context (`_context_<key>`), `_unique_id`, and for a call `_msg_id` and
 * `_reply_q`; then it is JSON-encoded inside the 2.0 envelope. Only this
 * string-keyed JSON ever crosses the simulated wire.
 */
export interface Envelope {
  'oslo.version': '2.0';
  'oslo.message': string;
}

export interface CallInfo {
  msg_id: string;
  reply_q: string;
}

export interface Unpacked {
  ctxt: Record<string, unknown>;
  message: RpcMessage;
  unique_id: string | null;
  msg_id: string | null;
  reply_q: string | null;
}

export interface ReplyBody {
  result: unknown;
  /** serialize_remote_exception's JSON string, or null. */
  failure: string | null;
  ending?: true;
  _unique_id: string;
  _msg_id?: string;
}

export function serialize_msg(raw: Record<string, unknown>): Envelope {
  return { 'oslo.version': '2.0', 'oslo.message': toWireJson(raw) };
}

export function deserialize_msg(envelope: unknown): Record<string, unknown> {
  if (
    typeof envelope !== 'object' ||
    envelope === null ||
    (envelope as Envelope)['oslo.version'] !== '2.0' ||
    typeof (envelope as Envelope)['oslo.message'] !== 'string'
  ) {
    throw new PyValueError('Not an oslo.messaging 2.0 envelope');
  }
  return JSON.parse((envelope as Envelope)['oslo.message']) as Record<string, unknown>;
}

/** amqpdriver._send: add the call fields, the unique id and the context, then envelope. */
export function pack_message(
  ctxt: Record<string, unknown>,
  message: RpcMessage,
  unique_id: string,
  call?: CallInfo,
): Envelope {
  const keys = Object.keys(message);
  if (keys.some(reserved)) {
    // A message that itself carries wire fields: build the dict as the driver does.
    const msg: Record<string, unknown> = { ...message };
    if (call) {
      msg._msg_id = call.msg_id;
      msg._reply_q = call.reply_q;
    }
    msg._unique_id = unique_id;
    for (const [key, value] of Object.entries(ctxt)) msg[`${CONTEXT}${key}`] = value;
    return serialize_msg(msg);
  }
  // The same dict, in the same order, serialized member by member.
  const members: [string, unknown][] = keys.map((k) => [k, (message as unknown as Record<string, unknown>)[k]]);
  if (call) members.push(['_msg_id', call.msg_id], ['_reply_q', call.reply_q]);
  members.push(['_unique_id', unique_id]);
  for (const key of Object.keys(ctxt)) members.push([contextKey(key), ctxt[key]]);
  return { 'oslo.version': '2.0', 'oslo.message': toWireJsonOfMembers(members) };
}

const CONTEXT = '_context_';
const reserved = (k: string) => k === '_msg_id' || k === '_reply_q' || k === '_unique_id' || k.startsWith(CONTEXT);
/** '_context_<key>' and back, one string per key name (the same few names recur on every message). */
const toWire = new Map<string, string>();
const fromWire = new Map<string, string>();
function contextKey(key: string): string {
  let k = toWire.get(key);
  if (k === undefined) {
    k = `${CONTEXT}${key}`;
    if (toWire.size < 1000) toWire.set(key, k);
  }
  return k;
}
function contextName(wireKey: string): string {
  let k = fromWire.get(wireKey);
  if (k === undefined) {
    k = wireKey.slice(CONTEXT.length);
    if (fromWire.size < 1000) fromWire.set(wireKey, k);
  }
  return k;
}

/** amqp.unpack_context and the listener: split the envelope back into its parts. */
export function unpack_message(envelope: unknown): Unpacked {
  const msg = deserialize_msg(envelope);
  const ctxt: Record<string, unknown> = {};
  const message: Record<string, unknown> = {};
  for (const key of Object.keys(msg)) {
    const value = msg[key];
    if (key.startsWith(CONTEXT)) ctxt[contextName(key)] = value;
    else if (key !== '_msg_id' && key !== '_reply_q' && key !== '_unique_id') message[key] = value;
  }
  return {
    ctxt,
    message: message as unknown as RpcMessage,
    unique_id: (msg._unique_id as string | undefined) ?? null,
    msg_id: (msg._msg_id as string | undefined) ?? null,
    reply_q: (msg._reply_q as string | undefined) ?? null,
  };
}

/** A reply goes out twice: the result (or failure), then the `ending` marker. */
export function pack_replies(msg_id: string, result: unknown, failure: string | null, uid: () => string): Envelope[] {
  const first: ReplyBody = { result, failure, _unique_id: uid(), _msg_id: msg_id };
  const ending: ReplyBody = { result: null, failure: null, ending: true, _unique_id: uid(), _msg_id: msg_id };
  return [serialize_msg(first as unknown as Record<string, unknown>), serialize_msg(ending as unknown as Record<string, unknown>)];
}

/** Routing key of a non-fanout message (topic, or topic.server). */
export function routing_key(topic: string, server: string | null): string {
  return server ? `${topic}.${server}` : topic;
}

/**
 * Where the rabbit driver publishes (impl_rabbit topic_send / fanout_send via
 * amqpdriver._send): a topic exchange named by the target's exchange or the
 * control_exchange, routing key topic[.server]; a fanout target goes to the
 * '<topic>_fanout' fanout exchange with no routing key.
 */
export function exchangeRouting(
  target: { exchange: string | null; topic: string | null; server: string | null; fanout: boolean | null },
  control_exchange: string,
): { exchange: string; exchange_type: 'topic' | 'fanout'; routing_key: string | null } {
  if (target.fanout) return { exchange: `${String(target.topic)}_fanout`, exchange_type: 'fanout', routing_key: null };
  return { exchange: target.exchange || control_exchange, exchange_type: 'topic', routing_key: routing_key(String(target.topic), target.server) };
}
