import { PyException } from '../oslo/exception';
import {
  RPCClient,
  RPCDispatcher,
  RPCVersionCapError,
  Target,
  version_is_compatible,
  type Endpoint,
  type PrepareOptions,
  type Transport,
} from '../oslo/messaging';

type Input = Record<string, unknown>;

export function runVersionIsCompatible(input: Input): Record<string, unknown> {
  try {
    return { compatible: version_is_compatible(input.implemented as string, input.requested as string) };
  } catch (e) {
    return { compatible: null, error: e instanceof PyException ? e.pyClass : String(e) };
  }
}

interface EndpointSpec {
  name?: string;
  namespace: string | null;
  version: string | null;
  methods: string[];
  legacy_namespaces?: string[];
}

export function runDispatch(input: Input): Record<string, unknown> {
  const endpoints: Endpoint[] = (input.endpoints as EndpointSpec[]).map((spec) => {
    const endpoint: Endpoint = {
      target: new Target({ namespace: spec.namespace, version: spec.version, legacy_namespaces: spec.legacy_namespaces ?? [] }),
      endpointName: spec.name,
    };
    for (const m of spec.methods) endpoint[m] = async () => null;
    return endpoint;
  });
  const dispatcher = new RPCDispatcher(new Target({ topic: 'testtopic' }), endpoints);
  const choice = dispatcher.choose(input.message as Record<string, string>);
  if (choice.outcome === 'dispatched') return { outcome: 'dispatched', endpoint_index: choice.endpoint_index };
  const e = choice.error;
  return {
    outcome: choice.outcome,
    exception: { class: e.pyClass, ...e.kwargs, message: e.message },
  };
}

/** A transport that accepts anything and records the last message. */
function nullTransport(): Transport & { last: Record<string, unknown> | null } {
  const t = {
    last: null as Record<string, unknown> | null,
    conf: { rpc_response_timeout: 60 },
    allowed_remote_exmods: [],
    async _send(_target: Target, _ctxt: Record<string, unknown>, msg: Record<string, unknown>) {
      t.last = msg;
      return null;
    },
    _listen() {
      return { stop() {} };
    },
  };
  return t as unknown as Transport & { last: Record<string, unknown> | null };
}

function preparedClient(input: Input, transport: Transport) {
  const client = new RPCClient(transport, new Target({ version: (input.client_target_version as string | null) ?? null }), {
    version_cap: (input.client_version_cap as string | null) ?? null,
  });
  const prepare = input.prepare as PrepareOptions | undefined;
  return prepare && Object.keys(prepare).length > 0 ? client.prepare(prepare) : client;
}

export function runCanSendVersion(input: Input): Record<string, unknown> {
  const client = preparedClient(input, nullTransport());
  try {
    const can_send =
      'can_send_version_arg' in input
        ? client.can_send_version(input.can_send_version_arg as string | null)
        : client.can_send_version();
    return { can_send };
  } catch (e) {
    return { can_send: null, error: e instanceof PyException ? e.pyClass : String(e) };
  }
}

export async function runSendWithCap(input: Input): Promise<Record<string, unknown>> {
  const transport = nullTransport();
  let prepared;
  try {
    prepared = preparedClient(input, transport);
  } catch (e) {
    return { prepare_raises: true, error: String(e) };
  }
  const invoke = input.invoke === 'call' ? prepared.call.bind(prepared) : prepared.cast.bind(prepared);
  try {
    await invoke({}, 'foo', {});
    const msg = transport.last!;
    return { prepare_raises: false, outcome: 'sent', message_version: (msg.version as string | undefined) ?? null };
  } catch (e) {
    if (e instanceof RPCVersionCapError) {
      return {
        prepare_raises: false,
        outcome: 'RPCVersionCapError',
        message_version: null,
        exception: { class: 'RPCVersionCapError', version: e.version, version_cap: e.version_cap, message: e.message },
      };
    }
    const pe = e instanceof PyException ? e : null;
    return { prepare_raises: false, outcome: pe?.pyClass ?? 'error', exception: { class: pe?.pyClass, message: String((e as Error).message) } };
  }
}
