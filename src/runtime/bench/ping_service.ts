/**
 * A minimal service for benchmarks: it answers `ping` calls and swallows
 * `sink` casts, and on request fires many of either at a peer. It uses the
 * real oslo client, dispatcher, envelope and bus, without nova's model, so
 * the numbers measure the messaging machinery itself.
 */
import { RPCClient, RPCDispatcher, RPCServer, Target, type Endpoint } from '../../oslo/messaging';
import type { NovaService, ServiceFactory } from '../../nova/service_api';

export interface PingAction {
  action: 'ping_many' | 'cast_many';
  to: string;
  n: number;
  payload?: number;
}

export const createPingService: ServiceFactory = (spec, env) => {
  const host = spec.conf.host;
  let server: RPCServer | null = null;
  const service: NovaService = {
    spec,
    async start() {
      const endpoint: Endpoint = {
        target: new Target({ version: '1.0' }),
        endpointName: 'PingEndpoint',
        async ping(_c: unknown, kw: Record<string, unknown>) {
          return kw.arg;
        },
        async sink() {
          return null;
        },
      };
      const target = new Target({ topic: 'ping', server: host });
      server = new RPCServer(env.transport, target, new RPCDispatcher(target, [endpoint], undefined, { observer: env.observer }));
      server.start();
    },
    async stop() {
      server?.stop();
    },
    async userAction(ctxt, action) {
      const a = action as unknown as PingAction;
      const client = new RPCClient(env.transport, new Target({ topic: 'ping', server: a.to, version: '1.0' }), { observer: env.observer });
      const arg = 'x'.repeat(a.payload ?? 16);
      for (let i = 0; i < a.n; i++) {
        if (a.action === 'ping_many') await client.call(ctxt, 'ping', { arg });
        else await client.cast(ctxt, 'sink', { arg });
      }
      return a.n;
    },
  };
  return service;
};
