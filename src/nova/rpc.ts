import type { Observer } from '../oslo/observer';
import { RPCClient, RPCDispatcher, RPCServer, Target, type Endpoint, type Serializer, type Transport } from '../oslo/messaging';
import type { OsloMessagingRelease } from '../oslo/messaging/dialect';
import { RequestContext } from './context';

/**
 * Subset of a nova object serializer the wrapper needs: the entity half.
 * (The versioned-objects core's NovaObjectSerializer satisfies it.)
 */
export interface EntitySerializer {
  serialize_entity(ctxt: unknown, entity: unknown): unknown;
  deserialize_entity(ctxt: unknown, entity: unknown): Promise<unknown>;
}

/**
 * nova.rpc.RequestContextSerializer: contexts go out as to_dict() and come
 * back as RequestContext.from_dict(); entities go through the base (the
 * object serializer) when there is one.
 */
export class RequestContextSerializer implements Serializer {
  constructor(readonly base: EntitySerializer | null) {}

  serialize_entity(ctxt: unknown, entity: unknown): unknown {
    return this.base ? this.base.serialize_entity(ctxt, entity) : entity;
  }

  async deserialize_entity(ctxt: unknown, entity: unknown): Promise<unknown> {
    return this.base ? this.base.deserialize_entity(ctxt, entity) : entity;
  }

  serialize_context(ctxt: unknown): Record<string, unknown> {
    if (ctxt instanceof RequestContext) return ctxt.to_dict();
    return (ctxt ?? {}) as Record<string, unknown>;
  }

  deserialize_context(ctxt: Record<string, unknown>): RequestContext {
    return RequestContext.from_dict(ctxt);
  }
}

/** What nova.rpc needs from the running service to build clients and servers. */
export interface RpcEnv {
  transport: Transport;
  /** The release's object serializer (null for a client that sends no objects). */
  serializer: EntitySerializer | null;
  oslo: OsloMessagingRelease;
  observer?: Observer;
}

/** nova.rpc.get_client. */
export function get_client(env: RpcEnv, target: Target, version_cap: string | null): RPCClient {
  return new RPCClient(env.transport, target, {
    version_cap,
    serializer: new RequestContextSerializer(env.serializer),
    oslo: env.oslo,
    observer: env.observer,
  });
}

/** nova.rpc.get_server. */
export function get_server(env: RpcEnv, target: Target, endpoints: Endpoint[]): RPCServer {
  const dispatcher = new RPCDispatcher(target, endpoints, new RequestContextSerializer(env.serializer), {
    oslo: env.oslo,
    observer: env.observer,
  });
  return new RPCServer(env.transport, target, dispatcher);
}
