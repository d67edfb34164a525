/**
 * A Python-like exception: every error that crosses a service boundary in the
 * simulation carries its Python class name, module, positional args and
 * kwargs, because oslo.messaging serializes exactly those on failure replies
 * and re-creates them (or a RemoteError) on the caller.
 */
export class PyException extends Error {
  /** Python class name, e.g. "UnsupportedVersion". */
  readonly pyClass: string;
  /** Python module, e.g. "oslo_messaging.rpc.dispatcher". */
  readonly module: string;
  /** Constructor keyword arguments (nova's NovaException keeps them as .kwargs). */
  readonly kwargs: Record<string, unknown>;
  /** Positional args as Python would hold them (usually [message]). */
  readonly args: unknown[];
  /** Traceback lines, when the exception came from (or is going to) another service. */
  traceback: string[] = [];

  constructor(
    pyClass: string,
    module: string,
    message: string,
    kwargs: Record<string, unknown> = {},
    args?: unknown[],
  ) {
    super(message);
    this.name = pyClass;
    this.pyClass = pyClass;
    this.module = module;
    this.kwargs = kwargs;
    this.args = args ?? [message];
  }

  /** Python's str(exc). */
  override toString(): string {
    return this.message;
  }
}

/** Python builtins that user code and the model raise (TypeError for bad keyword arguments...). */
export const BUILTINS_MODULE = 'exceptions'; // nova of this era ran on Python 2.7

export class PyTypeError extends PyException {
  constructor(message: string) {
    super('TypeError', BUILTINS_MODULE, message);
  }
}

export class PyValueError extends PyException {
  constructor(message: string) {
    super('ValueError', BUILTINS_MODULE, message);
  }
}

export class PyIndexError extends PyException {
  constructor(message: string) {
    super('IndexError', BUILTINS_MODULE, message);
  }
}

export class PyKeyError extends PyException {
  constructor(message: string) {
    super('KeyError', BUILTINS_MODULE, message);
  }
}

export class PyAttributeError extends PyException {
  constructor(message: string) {
    super('AttributeError', BUILTINS_MODULE, message);
  }
}

/** Wrap anything thrown (a plain Error from user code, a string...) as a PyException. */
export function asPyException(err: unknown): PyException {
  if (err instanceof PyException) return err;
  if (err instanceof Error) {
    const e = new PyException(err.name || 'Exception', BUILTINS_MODULE, err.message);
    e.stack = err.stack;
    return e;
  }
  return new PyException('Exception', BUILTINS_MODULE, String(err));
}

/**
 * isinstance(exc, <name>) for exceptions that may have been re-created from
 * a remote failure: oslo.messaging re-types them as "<name>_Remote", a
 * subclass of the original.
 */
export function isPy(err: unknown, pyClass: string): err is PyException {
  return err instanceof PyException && (err.pyClass === pyClass || err.pyClass === `${pyClass}_Remote`);
}
