/**
 * nova.baserpc.BaseRPCAPI, the server half: every nova service with an RPC
 * server puts it second among its endpoints (nova/service.py), in namespace
 * 'baseapi' at version 1.1 (1.0 ping, 1.1 get_backdoor_port).
 */
import { Target, type Endpoint } from '../oslo/messaging';
import { BASE_RPC_SIGNATURES } from './signatures';

export class BaseRPCAPI implements Endpoint {
  [method: string]: unknown;
  readonly target = new Target({ namespace: 'baseapi', version: '1.1' });
  readonly endpointName = 'BaseRPCAPI';
  readonly signatures = BASE_RPC_SIGNATURES;

  constructor(
    readonly service_name: string,
    readonly backdoor_port: number | null = null,
  ) {}

  /** {'service': service_name, 'arg': arg}, as jsonutils.to_primitive leaves it. */
  async ping(_ctxt: unknown, kwargs: { arg: unknown }): Promise<unknown> {
    return { service: this.service_name, arg: JSON.parse(JSON.stringify(kwargs.arg ?? null)) };
  }

  async get_backdoor_port(_ctxt: unknown, _kwargs: Record<string, unknown>): Promise<unknown> {
    return this.backdoor_port;
  }
}
