/**
 * Client half of nova/baserpc.py: BaseAPI, which talks to the 'baseapi'
 * endpoint every nova service exposes next to its manager (BaseRPCAPI,
 * namespace 'baseapi', version 1.1 on the server side).
 *
 * The client target is version 1.0; ping is sent at 1.0 (prepared only
 * with the timeout), get_backdoor_port (added in 1.1) at 1.1 to one server.
 * The cap is `[upgrade_levels] baseapi` (no aliases exist). Created without
 * an object serializer, as in nova.
 */
import { Target, type RPCClient } from '../oslo/messaging';
import { to_primitive } from './compute/rpcapi_support';
import type { Release } from './releases';
import { get_client, type RpcEnv } from './rpc';
import { resolveVersionCap } from './upgrade_levels';

export const _NAMESPACE = 'baseapi';

export interface BaseAPIOptions {
  /** Release whose (empty) VERSION_ALIASES resolve the level; the client is the same in all three. */
  release?: Release;
}

export class BaseAPI {
  readonly client: RPCClient;

  constructor(
    readonly env: RpcEnv,
    readonly topic: string,
    level: string | null = null,
    options: BaseAPIOptions = {},
  ) {
    const target = new Target({ topic, namespace: _NAMESPACE, version: '1.0' });
    const version_cap = resolveVersionCap('baseapi', options.release ?? 'kilo', level);
    this.client = get_client({ ...env, serializer: null }, target, version_cap);
  }

  /** Round trip through any service on the topic; the reply is {service, arg}. */
  ping(ctxt: unknown, arg: unknown, timeout: number | null = null): Promise<unknown> {
    const arg_p = to_primitive(arg);
    const cctxt = this.client.prepare({ timeout });
    return cctxt.call(ctxt, 'ping', { arg: arg_p });
  }

  get_backdoor_port(ctxt: unknown, host: string): Promise<unknown> {
    const cctxt = this.client.prepare({ server: host, version: '1.1' });
    return cctxt.call(ctxt, 'get_backdoor_port');
  }
}
