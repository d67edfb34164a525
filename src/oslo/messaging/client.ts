import type { Observer } from '../observer';
import { dialect as getDialect, type Dialect, type OsloMessagingRelease } from './dialect';
import { ClientSendError, InvalidTarget, MessagingException, RPCVersionCapError } from './exceptions';
import type { RpcMessage } from './message';
import { NoOpSerializer, type Serializer } from './serializer';
import { Target, type TargetFields } from './target';
import type { Transport } from './transport';
import { version_is_compatible } from './version';

export interface PrepareOptions extends Partial<TargetFields> {
  timeout?: number | null;
  version_cap?: string | null;
  retry?: number | null;
}

export interface RPCClientOptions {
  timeout?: number | null;
  version_cap?: string | null;
  serializer?: Serializer;
  retry?: number | null;
  /** Which oslo.messaging release's behaviour (default Kilo's 1.8). */
  oslo?: OsloMessagingRelease;
  /** Watches the decisions taken (can_send_version, cap checks). */
  observer?: Observer;
}

/**
 * A prepared client (_CallContext): a target plus the call options. It is
 * what prepare() returns and what actually casts and calls.
 */
export class CallContext {
  constructor(
    readonly transport: Transport,
    readonly target: Target,
    readonly serializer: Serializer,
    readonly timeout: number | null,
    readonly version_cap: string | null,
    readonly retry: number | null,
    readonly dialect: Dialect,
    readonly observer?: Observer,
  ) {}

  private _make_message(ctxt: unknown, method: string, args: Record<string, unknown>): RpcMessage {
    const msg: RpcMessage = { method, args: {} };
    for (const [name, value] of Object.entries(args)) {
      msg.args[name] = this.serializer.serialize_entity(ctxt, value);
    }
    if (this.target.namespace !== null) msg.namespace = this.target.namespace;
    if (this.target.version !== null) msg.version = this.target.version;
    return msg;
  }

  private _check_version_cap(ctxt: unknown, version: string | null, method: string): void {
    // oslo.messaging 1.8 passes a missing version straight to the
    // comparison (which fails on None); nova always sets one.
    const ok = version_is_compatible(this.version_cap!, version as string);
    this.observer?.({ kind: 'version_cap_check', method, version, version_cap: this.version_cap, ok }, ctxt);
    if (!ok) throw new RPCVersionCapError(version, this.version_cap, this.dialect);
  }

  /**
   * True when there is no cap or the cap accepts `version` (the prepared
   * target's version when not given). Implements the intended rule: old
   * oslo.messaging ignored the argument on a prepared context, but nova
   * only ever asks the RPCClient, where the argument is honoured.
   */
  can_send_version(version?: string | null): boolean {
    const v = version === undefined ? this.target.version : version;
    const result = !this.version_cap || version_is_compatible(this.version_cap, v as string);
    this.observer?.({ kind: 'can_send_version', version: String(v), version_cap: this.version_cap, result });
    return result;
  }

  /** Fire and forget: returns once the message is handed to the transport. */
  async cast(ctxt: unknown, method: string, kwargs: Record<string, unknown> = {}): Promise<void> {
    const msg = this._make_message(ctxt, method, kwargs);
    const msgCtxt = this.serializer.serialize_context(ctxt);
    if (this.version_cap) this._check_version_cap(ctxt, msg.version ?? null, method);
    try {
      await this.transport._send(this.target, msgCtxt, msg, { wait_for_reply: false, timeout: null, retry: this.retry });
    } catch (err) {
      throw wrapSendError(this.target, err);
    }
  }

  /** Send and wait for the result (or the remote failure, or MessagingTimeout). */
  async call(ctxt: unknown, method: string, kwargs: Record<string, unknown> = {}): Promise<unknown> {
    if (this.dialect.callRejectsFanout && this.target.fanout) {
      throw new InvalidTarget('A call cannot be used with fanout', this.target);
    }
    const msg = this._make_message(ctxt, method, kwargs);
    const msgCtxt = this.serializer.serialize_context(ctxt);
    const timeout = this.timeout ?? this.transport.conf.rpc_response_timeout;
    if (this.version_cap) this._check_version_cap(ctxt, msg.version ?? null, method);
    let result: unknown;
    try {
      result = await this.transport._send(this.target, msgCtxt, msg, { wait_for_reply: true, timeout, retry: this.retry });
    } catch (err) {
      throw wrapSendError(this.target, err);
    }
    return this.serializer.deserialize_entity(ctxt, result);
  }

  /** _CallContext._prepare: only the options given are overridden, null included. */
  prepare(options: PrepareOptions = {}): CallContext {
    const { timeout, version_cap, retry, ...targetFields } = options;
    return new CallContext(
      this.transport,
      this.target.with(targetFields),
      this.serializer,
      'timeout' in options ? (timeout ?? null) : this.timeout,
      'version_cap' in options ? (version_cap ?? null) : this.version_cap,
      'retry' in options ? (retry ?? null) : this.retry,
      this.dialect,
      this.observer,
    );
  }
}

/** Remote failures and timeouts pass through; anything the transport itself broke on is ClientSendError. */
function wrapSendError(target: Target, err: unknown): unknown {
  if (err instanceof MessagingException || (err instanceof Error && 'pyClass' in err)) return err;
  return new ClientSendError(target, err);
}

/**
 * oslo.messaging's RPCClient. prepare() never checks the cap: a message
 * above it is refused at cast()/call() time with RPCVersionCapError, before
 * anything is sent.
 */
export class RPCClient {
  readonly transport: Transport;
  readonly target: Target;
  readonly timeout: number | null;
  readonly version_cap: string | null;
  readonly serializer: Serializer;
  readonly retry: number | null;
  readonly dialect: Dialect;
  observer?: Observer;

  constructor(transport: Transport, target: Target, options: RPCClientOptions = {}) {
    this.transport = transport;
    this.target = target;
    this.timeout = options.timeout ?? null;
    this.version_cap = options.version_cap ?? null;
    this.serializer = options.serializer ?? new NoOpSerializer();
    this.retry = options.retry ?? null;
    this.dialect = getDialect(options.oslo ?? '1.8');
    this.observer = options.observer;
  }

  private base(): CallContext {
    return new CallContext(
      this.transport,
      this.target,
      this.serializer,
      this.timeout,
      this.version_cap,
      this.retry,
      this.dialect,
      this.observer,
    );
  }

  prepare(options: PrepareOptions = {}): CallContext {
    return this.base().prepare(options);
  }

  /** RPCClient.can_send_version(v) = prepare(version=v).can_send_version(). */
  can_send_version(version?: string | null): boolean {
    return version === undefined ? this.base().can_send_version() : this.prepare({ version }).can_send_version();
  }

  cast(ctxt: unknown, method: string, kwargs: Record<string, unknown> = {}): Promise<void> {
    return this.base().cast(ctxt, method, kwargs);
  }

  call(ctxt: unknown, method: string, kwargs: Record<string, unknown> = {}): Promise<unknown> {
    return this.base().call(ctxt, method, kwargs);
  }
}
