import { PyException, registerExceptionBases } from '../exception';
import type { Target } from './target';
import { DEFAULT_DIALECT, type Dialect } from './dialect';

const MOD = 'oslo_messaging.exceptions';
const CLIENT_MOD = 'oslo_messaging.rpc.client';
const DISPATCHER_MOD = 'oslo_messaging.rpc.dispatcher';

// oslo_messaging/exceptions.py, rpc/client.py, rpc/dispatcher.py, server.py (1.4.1 and 1.8.3 alike).
registerExceptionBases({
  MessagingException: 'Exception',
  MessagingTimeout: 'MessagingException',
  MessageDeliveryFailure: 'MessagingException',
  InvalidTarget: ['MessagingException', 'ValueError'],
  RemoteError: 'MessagingException',
  RPCVersionCapError: 'MessagingException',
  ClientSendError: 'MessagingException',
  MessagingServerError: 'MessagingException',
  RPCDispatcherError: 'MessagingServerError',
  NoSuchMethod: ['RPCDispatcherError', 'AttributeError'],
  UnsupportedVersion: 'RPCDispatcherError',
  ExpectedException: 'Exception',
});

/** Base of everything oslo.messaging raises. */
export class MessagingException extends PyException {
  constructor(pyClass: string, module: string, message: string, kwargs: Record<string, unknown> = {}, args?: unknown[]) {
    super(pyClass, module, message, kwargs, args);
    this.hasKwargsAttr = false;
  }
}

export class MessagingTimeout extends MessagingException {
  constructor(message: string) {
    super('MessagingTimeout', MOD, message);
  }
}

export class InvalidTarget extends MessagingException {
  readonly target: Target;
  constructor(message: string, target: Target) {
    super('InvalidTarget', MOD, `${message}:${target.toString()}`);
    this.target = target;
  }
}

/** A cast/call refused before sending because the message is above the cap. */
export class RPCVersionCapError extends MessagingException {
  readonly version: string | null;
  readonly version_cap: string | null;
  constructor(version: string | null, version_cap: string | null, d: Dialect = DEFAULT_DIALECT) {
    super('RPCVersionCapError', `${d.pkg}.rpc.client`, d.capErrorMessage(version, version_cap), { version, version_cap });
    this.version = version;
    this.version_cap = version_cap;
  }
}

export class ClientSendError extends MessagingException {
  constructor(target: Target, cause: unknown) {
    super('ClientSendError', CLIENT_MOD, `Failed to send to target "${target.toString()}": ${String(cause)}`);
  }
}

export class RPCDispatcherError extends MessagingException {}

export class NoSuchMethod extends RPCDispatcherError {
  readonly method: string;
  constructor(method: string, d: Dialect = DEFAULT_DIALECT) {
    super('NoSuchMethod', `${d.pkg}.rpc.dispatcher`, `Endpoint does not support RPC method ${method}`, { method });
    this.method = method;
  }
}

export class UnsupportedVersion extends RPCDispatcherError {
  readonly version: string;
  readonly method: string | null;
  constructor(version: string, method: string | null, d: Dialect = DEFAULT_DIALECT) {
    const named = d.unsupportedVersionNamesMethod && method;
    const base = `Endpoint does not support RPC version ${version}`;
    super('UnsupportedVersion', `${d.pkg}.rpc.dispatcher`, named ? `${base}. Attempted method: ${method}` : base, {
      version,
      ...(d.unsupportedVersionNamesMethod ? { method } : {}),
    });
    this.version = version;
    this.method = d.unsupportedVersionNamesMethod ? method : null;
  }
}

/**
 * Wraps an exception an endpoint expects to raise (nova's conductor uses it
 * for object methods): it goes back to the caller without error logging.
 */
export class ExpectedException extends PyException {
  readonly inner: PyException;
  constructor(inner: PyException) {
    super('ExpectedException', DISPATCHER_MOD, inner.message);
    this.inner = inner;
  }
}

/**
 * What a caller gets for a remote failure whose class it may not re-create:
 * str() is "Remote error: <exc_type> <value>\n<traceback>."
 */
export class RemoteError extends MessagingException {
  readonly exc_type: string | null;
  readonly value: string | null;
  /** What the failure carried: oslo.messaging passes the reply's `tb` list as is. */
  readonly remote_traceback: string | string[] | null;
  constructor(exc_type: string | null = null, value: string | null = null, traceback: string | string[] | null = null, d: Dialect = DEFAULT_DIALECT) {
    super(
      'RemoteError',
      `${d.pkg}.rpc.client`,
      `Remote error: ${String(exc_type)} ${String(value)}\n${Array.isArray(traceback) ? traceback.join('') : String(traceback)}.`,
      { exc_type, value, traceback },
      [exc_type, value, traceback],
    );
    this.exc_type = exc_type;
    this.value = value;
    this.remote_traceback = traceback;
  }
}
