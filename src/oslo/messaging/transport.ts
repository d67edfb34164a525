import type { PyException } from '../exception';
import type { RpcMessage } from './message';
import type { Target } from './target';

export interface SendOptions {
  wait_for_reply: boolean;
  timeout: number | null;
  retry: number | null;
}

/** A message handed to a server: it replies once (a cast's reply goes nowhere). */
export interface IncomingMessage {
  ctxt: Record<string, unknown>;
  message: RpcMessage;
  /** True when the sender waits for a reply (a call). */
  expectsReply: boolean;
  reply(result: unknown, failure?: PyException | null, log_failure?: boolean): void;
  /** Transport-specific handle the runtime uses for causal links. */
  readonly handle?: unknown;
}

export type IncomingHandler = (incoming: IncomingMessage) => void | Promise<void>;

export interface Listener {
  stop(): void;
}

/**
 * The driver boundary of oslo.messaging. The core only builds and checks
 * messages; how they travel (in-process loopback, a postMessage bus between
 * workers) is the transport's business. `_send` resolves with the raw reply
 * result of a call (still serialized) or throws the re-created remote error.
 */
export interface Transport {
  readonly conf: { rpc_response_timeout: number };
  /** Modules whose exceptions a caller may re-create (nova: ['nova.exception']). */
  readonly allowed_remote_exmods: string[];
  _send(target: Target, ctxt: Record<string, unknown>, message: RpcMessage, options: SendOptions): Promise<unknown>;
  _listen(target: Target, handler: IncomingHandler): Listener;
}
