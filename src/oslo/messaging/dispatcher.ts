import { PyException, asPyException } from '../exception';
import type { Observer } from '../observer';
import { bindKwargs, type Signature } from '../pycall';
import { dialect as getDialect, type Dialect, type OsloMessagingRelease } from './dialect';
import { ExpectedException, NoSuchMethod, UnsupportedVersion } from './exceptions';
import type { RpcMessage } from './message';
import { NoOpSerializer, type Serializer } from './serializer';
import { Target } from './target';
import type { IncomingMessage } from './transport';
import { version_is_compatible } from './version';

/**
 * An RPC endpoint: an object whose methods are called as
 * `method(ctxt, kwargs)`. `target` says which namespace and version it
 * serves (none = the default Target, i.e. namespace null, version 1.0).
 * `signatures` lets calls bind arguments like Python keyword calls.
 */
export interface Endpoint {
  target?: Target | null;
  /** Python class name, for traces and tracebacks. */
  endpointName?: string;
  signatures?: Record<string, Signature>;
  [method: string]: unknown;
}

/** Python's hasattr(endpoint, method), minus JavaScript's own plumbing. */
export function hasRpcMethod(endpoint: object, method: string): boolean {
  if (typeof method !== 'string' || method in Object.prototype) return false;
  if (method === 'target' || method === 'signatures' || method === 'endpointName') return true;
  return method in endpoint;
}

export type EndpointChoice =
  | { outcome: 'dispatched'; endpoint_index: number }
  | { outcome: 'UnsupportedVersion' | 'NoSuchMethod'; error: PyException };

export interface DispatcherOptions {
  oslo?: OsloMessagingRelease;
  observer?: Observer;
}

/**
 * oslo.messaging's RPCDispatcher: endpoints are tried in order; the first
 * whose namespace and version accept the message and that has the method
 * handles it. Otherwise NoSuchMethod if some endpoint matched on namespace
 * and version, else UnsupportedVersion (a wrong namespace lands there too).
 */
export class RPCDispatcher {
  readonly target: Target;
  readonly endpoints: Endpoint[];
  readonly serializer: Serializer;
  readonly dialect: Dialect;
  observer?: Observer;
  private readonly defaultTarget = new Target();

  constructor(target: Target, endpoints: Endpoint[], serializer?: Serializer, options: DispatcherOptions = {}) {
    this.target = target;
    this.endpoints = endpoints;
    this.serializer = serializer ?? new NoOpSerializer();
    this.dialect = getDialect(options.oslo ?? '1.8');
    this.observer = options.observer;
  }

  private endpointTarget(endpoint: Endpoint): Target {
    return endpoint.target ?? this.defaultTarget;
  }

  private isNamespace(target: Target, namespace: string | null): boolean {
    return this.dialect.legacyNamespaces
      ? target.accepted_namespaces.includes(namespace)
      : target.namespace === namespace;
  }

  private isCompatible(target: Target, version: string): boolean {
    return version_is_compatible(target.version || '1.0', version);
  }

  /** The endpoint selection alone (no call): what the dispatcher decides for a message. */
  choose(message: Partial<RpcMessage>): EndpointChoice {
    const method = message.method as string;
    const namespace = message.namespace ?? null;
    const version = message.version ?? '1.0';
    let foundCompatible = false;
    for (let i = 0; i < this.endpoints.length; i++) {
      const endpoint = this.endpoints[i]!;
      const target = this.endpointTarget(endpoint);
      if (!(this.isNamespace(target, namespace) && this.isCompatible(target, version))) continue;
      if (hasRpcMethod(endpoint, method)) return { outcome: 'dispatched', endpoint_index: i };
      foundCompatible = true;
    }
    return foundCompatible
      ? { outcome: 'NoSuchMethod', error: new NoSuchMethod(method, this.dialect) }
      : { outcome: 'UnsupportedVersion', error: new UnsupportedVersion(version, method, this.dialect) };
  }

  /** _dispatch: choose, deserialize context and args, call, serialize the result. */
  async _dispatch(ctxtDict: Record<string, unknown>, message: RpcMessage): Promise<unknown> {
    const choice = this.choose(message);
    const ctxt = this.serializer.deserialize_context(ctxtDict);
    const version = message.version ?? '1.0';
    if (choice.outcome !== 'dispatched') {
      // What this server does speak in the message's namespace, for the trace.
      const speaks = this.endpoints
        .map((ep) => this.endpointTarget(ep))
        .filter((t) => this.isNamespace(t, message.namespace ?? null))
        .map((t) => t.version || '1.0');
      this.observer?.(
        {
          kind: 'dispatch',
          method: message.method,
          version,
          namespace: message.namespace ?? null,
          outcome: choice.outcome,
          ...(speaks.length ? { endpoint_version: speaks.join(', ') } : {}),
        },
        ctxt,
      );
      throw choice.error;
    }
    const endpoint = this.endpoints[choice.endpoint_index]!;
    const target = this.endpointTarget(endpoint);
    this.observer?.(
      {
        kind: 'dispatch',
        method: message.method,
        version,
        namespace: message.namespace ?? null,
        outcome: 'dispatched',
        endpoint_index: choice.endpoint_index,
        endpoint: endpoint.endpointName ?? endpoint.constructor?.name,
        endpoint_version: target.version || '1.0',
      },
      ctxt,
    );
    const args: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(message.args ?? {})) {
      args[name] = await this.serializer.deserialize_entity(ctxt, value);
    }
    const fn = endpoint[message.method];
    if (typeof fn !== 'function') {
      throw new PyException('TypeError', 'exceptions', `'${typeof fn}' object is not callable`);
    }
    const sig = endpoint.signatures?.[message.method];
    const bound = sig ? bindKwargs(message.method, sig, args) : args;
    const result = await (fn as (c: unknown, kw: Record<string, unknown>) => unknown).call(endpoint, ctxt, bound);
    // A Python method without a return statement returns None.
    return this.serializer.serialize_entity(ctxt, result === undefined ? null : result);
  }

  /**
   * Handle one incoming message and reply: the result, an expected failure
   * (no error log), or any other failure (logged on this server; for a cast
   * the log is all that remains of it).
   */
  async dispatchAndReply(incoming: IncomingMessage): Promise<void> {
    try {
      const result = await this._dispatch(incoming.ctxt, incoming.message);
      incoming.reply(result, null);
    } catch (err) {
      if (err instanceof ExpectedException) {
        this.observer?.({ kind: 'log', level: 'debug', message: `Expected exception during message handling (${err.inner.message})` }, incoming.ctxt);
        incoming.reply(null, err.inner, false);
        return;
      }
      const e = asPyException(err);
      this.observer?.({ kind: 'log', level: 'error', message: `Exception during message handling: ${e.message}` }, incoming.ctxt);
      incoming.reply(null, e, true);
    }
  }
}
