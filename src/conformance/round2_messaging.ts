/**
 * Round-2 messaging categories: remote_error (a server-side failure on its
 * way back to the caller) and message_format (what a client puts on the
 * wire). Both drive the playground's own oslo modules: the RPCDispatcher
 * with its ExpectedException handling, serialize/deserialize_remote_exception,
 * the reply and message envelopes of the AMQP driver, RPCClient.prepare and
 * cast/call, and the Python class tree for `except` clauses.
 */
import { PyException, isPy } from '../oslo/exception';
import {
  ExpectedException,
  RPCClient,
  RPCDispatcher,
  Target,
  deserialize_remote_exception,
  dialect as getDialect,
  pack_message,
  pack_replies,
  serialize_remote_exception,
  type Endpoint,
  type ExceptionFactory,
  type IncomingMessage,
  type OsloMessagingRelease,
  type PrepareOptions,
  type RemoteError,
  type RpcMessage,
  type SendOptions,
  type Transport,
} from '../oslo/messaging';
import { exchangeRouting } from '../oslo/messaging/drivers/amqp_envelope';

type Json = Record<string, unknown>;

const EXCEPTIONS = 'exceptions';

interface RaisesSpec {
  module: string;
  class: string;
  bases: string[];
  args: unknown[];
  kwargs: Json | null;
  expected: boolean;
}

/** str(exc) in Python 2.7 for the args an exception holds. */
function pyStr(args: unknown[]): string {
  if (args.length === 0) return '';
  if (args.length === 1) return String(args[0]);
  return `(${args.map((a) => (typeof a === 'string' ? `u'${a.replace(/\n/g, '\\n')}'` : JSON.stringify(a))).join(', ')})`;
}

/** category remote_error */
export async function runRemoteError(input: Json): Promise<Json> {
  const serverOslo = String(input.server_oslo_messaging ?? '1.8') as OsloMessagingRelease;
  const clientOslo = String(input.client_oslo_messaging ?? '1.8') as OsloMessagingRelease;
  const isCall = input.invoke !== 'cast';
  const allowed = (input.client_allowed_exmods ?? []) as string[];
  const clauses = (input.except_clauses ?? []) as string[];
  const raises = (input.endpoint_raises ?? null) as RaisesSpec | null;
  const dispatchError = (input.dispatch_error ?? null) as { class: string; version: string; method: string } | null;

  // The server: one endpoint; a dispatch error comes from the dispatcher itself.
  let message: RpcMessage = { method: 'do', args: {}, version: '1.0' };
  const endpoint: Endpoint = { target: new Target({ version: '1.0' }) };
  if (dispatchError) {
    message = { method: dispatchError.method, args: {}, version: dispatchError.version };
    if (dispatchError.class === 'NoSuchMethod') endpoint.target = new Target({ version: dispatchError.version });
    else endpoint.target = new Target({ version: `${Number(String(dispatchError.version).split('.')[0]) + 1}.0` });
  } else if (raises) {
    endpoint.do = async () => {
      const e = new PyException(raises.class, raises.module, String(raises.args[0] ?? ''), raises.kwargs ?? {}, raises.args);
      e.bases = raises.bases;
      e.hasKwargsAttr = raises.kwargs !== null;
      throw raises.expected ? new ExpectedException(e) : e;
    };
  } else {
    endpoint.do = async () => input.endpoint_returns;
  }
  let serverLoggedError = false;
  const dispatcher = new RPCDispatcher(new Target({ topic: 't', server: 's' }), [endpoint], undefined, {
    oslo: serverOslo,
    observer: (ev) => {
      if (ev.kind === 'log' && ev.level === 'error') serverLoggedError = true;
    },
  });

  // The driver's reply: two messages for a call (result or failure, then ending), none for a cast.
  let uid = 0;
  const replies: Json[] = [];
  let failureJson: string | null = null;
  const incoming: IncomingMessage = {
    ctxt: {},
    message,
    reply(result: unknown, failure?: PyException | null) {
      if (failure) failureJson = serialize_remote_exception(failure, ['  File "server.py", line 1, in do\n']);
      if (!isCall) return;
      for (const env of pack_replies('msg-1', result ?? null, failureJson, () => `uid-${++uid}`)) {
        replies.push(JSON.parse(env['oslo.message']) as Json);
      }
    },
  } as IncomingMessage;
  await dispatcher.dispatchAndReply(incoming);

  const out: Json = {
    reply_sent: replies.length > 0,
    server_logs_error: serverLoggedError,
    failure: null,
    failure_keys: null,
    client_raises: null,
    caught_by: Object.fromEntries(clauses.map((c) => [c, false])),
  };
  if (isCall && failureJson) {
    const parsed = JSON.parse(failureJson) as Json;
    out.failure = { class: parsed.class, module: parsed.module, message: parsed.message, args: parsed.args, kwargs: parsed.kwargs };
    out.failure_keys = Object.keys(parsed);
    // The caller: the class is re-created from the tree the case describes.
    const factory: ExceptionFactory = (module, pyClass, args, kwargs) => {
      const e = new PyException(pyClass, module, typeof args[0] === 'string' ? args[0] : pyClass, kwargs, args);
      if (raises && raises.class === pyClass) e.bases = raises.bases;
      return e;
    };
    const raised = deserialize_remote_exception(failureJson, allowed, factory, getDialect(clientOslo));
    const str = raised.pyClass === 'RemoteError' ? raised.message : raised.module === EXCEPTIONS ? pyStr(raised.args) : raised.message;
    const first = str.split('\n')[0];
    const hasTb = str.includes('Traceback (most recent call last)');
    if (raised.pyClass === 'RemoteError') {
      const re = raised as RemoteError;
      out.client_raises = {
        class: 'RemoteError',
        module: raised.module,
        exc_type: re.exc_type,
        value: re.value,
        traceback_is_list: Array.isArray(re.remote_traceback),
        str_first_line: first,
        str_has_traceback: hasTb,
      };
    } else if (raised.module === EXCEPTIONS) {
      out.client_raises = { class: raised.pyClass, module: EXCEPTIONS, args_count: raised.args.length, str_first_line: first, str_has_traceback: hasTb };
    } else {
      out.client_raises = {
        class: raised.pyClass,
        module: raised.module,
        args: raised.args,
        kwargs: raised.kwargs,
        str_first_line: first,
        str_has_traceback: hasTb,
      };
    }
    out.caught_by = Object.fromEntries(clauses.map((c) => [c, isPy(raised, c)]));
  }
  if (!dispatchError && !raises) {
    out.reply_messages = replies.map((r) => ({ result: r.result, has_failure: r.failure !== null && r.failure !== undefined, ending: r.ending === true }));
    out.reply_wire_keys = replies.length ? Object.keys(replies[0]!).filter((k) => k !== 'result' && k !== 'failure' && k !== 'ending') : [];
    out.client_result = isCall ? (replies[0]?.result ?? null) : null;
  }
  return out;
}

/** A transport that records what the client hands to the driver. */
function recording(): Transport & { sent: Array<{ target: Target; ctxt: Json; message: RpcMessage; options: SendOptions }> } {
  const sent: Array<{ target: Target; ctxt: Json; message: RpcMessage; options: SendOptions }> = [];
  return {
    sent,
    conf: { rpc_response_timeout: 60 },
    allowed_remote_exmods: [],
    async _send(target, ctxt, message, options) {
      sent.push({ target, ctxt, message, options });
      return null;
    },
    _listen() {
      return { stop() {} } as never;
    },
  };
}

/** category message_format */
export async function runMessageFormat(input: Json): Promise<Json> {
  const oslo = String(input.oslo_messaging ?? '1.8') as OsloMessagingRelease;
  const transport = recording();
  const t = (input.target ?? {}) as Json;
  const target = new Target(t as never);
  const client = new RPCClient(transport, target, { oslo });
  const prepared = client.prepare((input.prepare ?? {}) as PrepareOptions);
  const ctxt = (input.context ?? {}) as Json;
  const args = (input.args ?? {}) as Json;
  const method = String(input.method);
  try {
    if (input.invoke === 'call') await prepared.call(ctxt, method, args);
    else await prepared.cast(ctxt, method, args);
  } catch (e) {
    const pe = e as PyException;
    return { outcome: pe.pyClass, exception: { class: pe.pyClass, message: pe.message } };
  }
  const s = transport.sent[0]!;
  const call = s.options.wait_for_reply ? { msg_id: 'msg-1', reply_q: 'reply_q-1' } : undefined;
  const envelope = pack_message(s.ctxt, s.message, 'uid-1', call);
  const wire = JSON.parse(envelope['oslo.message']) as Json;
  const control = String(input.control_exchange ?? 'openstack');
  return {
    outcome: 'sent',
    message: s.message,
    message_keys: Object.keys(s.message),
    routing: exchangeRouting(s.target, control),
    wire_keys: Object.keys(wire),
    envelope: { 'oslo.version': envelope['oslo.version'] },
    envelope_keys: Object.keys(envelope),
    waits_for_reply: s.options.wait_for_reply,
  };
}
