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
  /**
   * The class's ancestors, nearest first (Python's __mro__ without the class
   * itself), when the class is not in the registered tree (a class defined by
   * user code, a conformance case). null = look the name up in the tree.
   */
  bases: string[] | null = null;
  /**
   * Whether the Python class has a `kwargs` attribute (NovaException and the
   * object exceptions do; oslo.messaging's do not, so their failure replies
   * carry `kwargs: {}`).
   */
  hasKwargsAttr = true;

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

// ---------------------------------------------------------------------------
// Class hierarchy: `except X` catches X and every subclass of X.
// ---------------------------------------------------------------------------

/** class name -> base class name (single inheritance is all nova and oslo use, bar NoSuchMethod). */
const BASES = new Map<string, string[]>();

/** Python 2.7's built-in exception tree (the part nova code meets). */
const PY27_BUILTINS: Record<string, string[]> = {
  Exception: ['BaseException'],
  StandardError: ['Exception'],
  ArithmeticError: ['StandardError'],
  ZeroDivisionError: ['ArithmeticError'],
  AssertionError: ['StandardError'],
  AttributeError: ['StandardError'],
  EnvironmentError: ['StandardError'],
  IOError: ['EnvironmentError'],
  OSError: ['EnvironmentError'],
  LookupError: ['StandardError'],
  IndexError: ['LookupError'],
  KeyError: ['LookupError'],
  NameError: ['StandardError'],
  RuntimeError: ['StandardError'],
  NotImplementedError: ['RuntimeError'],
  TypeError: ['StandardError'],
  ValueError: ['StandardError'],
  UnicodeError: ['ValueError'],
  KeyboardInterrupt: ['BaseException'],
  SystemExit: ['BaseException'],
};

/** Register `{class: base}` (or `{class: [bases...]}` for multiple inheritance). */
export function registerExceptionBases(map: Record<string, string | string[]>): void {
  for (const [cls, base] of Object.entries(map)) BASES.set(cls, Array.isArray(base) ? base : [base]);
}
registerExceptionBases(PY27_BUILTINS);

/**
 * Every class Python 2.7's `exceptions` module defines: what
 * deserialize_remote_exception can getattr() there (anything else is an
 * AttributeError, hence a RemoteError on the caller).
 */
const PY27_EXCEPTIONS_MODULE = new Set([
  ...Object.keys(PY27_BUILTINS), 'BaseException', 'BufferError', 'BytesWarning', 'DeprecationWarning', 'EOFError',
  'FloatingPointError', 'FutureWarning', 'GeneratorExit', 'ImportError', 'ImportWarning', 'IndentationError',
  'MemoryError', 'OverflowError', 'PendingDeprecationWarning', 'ReferenceError', 'RuntimeWarning', 'StopIteration',
  'SyntaxError', 'SyntaxWarning', 'SystemError', 'TabError', 'UnboundLocalError', 'UnicodeDecodeError',
  'UnicodeEncodeError', 'UnicodeTranslateError', 'UnicodeWarning', 'UserWarning', 'Warning',
]);

/** Whether Python 2.7's `exceptions` module has this class. */
export function isPy27Builtin(pyClass: string): boolean {
  return PY27_EXCEPTIONS_MODULE.has(pyClass);
}

export const REMOTE_SUFFIX = '_Remote';

/** The class's __mro__ names, the class first (depth-first, as for single inheritance). */
export function classLineage(pyClass: string, explicitBases: string[] | null = null): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, explicit: string[] | null): void => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push(name);
    if (name.endsWith(REMOTE_SUFFIX)) {
      // oslo.messaging's type(name + '_Remote', (original,), {...}): a subclass of the original.
      visit(name.slice(0, -REMOTE_SUFFIX.length), explicit);
      return;
    }
    if (explicit) {
      for (const b of explicit) if (!seen.has(b)) { seen.add(b); out.push(b); }
      const last = explicit[explicit.length - 1];
      if (last) for (const up of classLineage(last).slice(1)) if (!seen.has(up)) { seen.add(up); out.push(up); }
      return;
    }
    for (const b of BASES.get(name) ?? (name === 'BaseException' ? [] : ['Exception'])) visit(b, null);
  };
  visit(pyClass, explicitBases);
  return out;
}

/** The __mro__ names of a raised value (a JavaScript error counts as its name, under Exception). */
export function pyLineage(err: unknown): string[] {
  if (err instanceof PyException) return classLineage(err.pyClass, err.bases);
  if (err instanceof Error) return classLineage(err.name || 'Exception');
  return classLineage('Exception');
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
 * isinstance(exc, <name>), i.e. whether `except <name>:` catches it: the
 * class, any subclass in nova's / oslo's / Python's tree, and the
 * "<name>_Remote" classes oslo.messaging builds as subclasses of the original
 * when it re-creates a remote failure.
 */
export function isPy(err: unknown, pyClass: string): err is PyException {
  return err instanceof PyException && pyLineage(err).includes(pyClass);
}

/** `except (A, B, ...)`: true when any of the classes catches it. */
export function isPyAny(err: unknown, pyClasses: readonly string[]): err is PyException {
  if (!(err instanceof PyException)) return false;
  const lineage = pyLineage(err);
  return pyClasses.some((c) => lineage.includes(c));
}

/** type(value).__name__ of a JSON-decoded value as Python 2.7 names it. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'unicode';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') {
    const name = (v as { constructor?: { name?: string } }).constructor?.name;
    return name && name !== 'Object' ? name : 'dict';
  }
  return typeof v;
}

/** f(*value): a list as is, a dict's keys, a string's characters; anything else is TypeError. */
export function pyStarArgs(fnName: string, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split('');
  if (v !== null && typeof v === 'object' && pyTypeName(v) === 'dict') return Object.keys(v);
  throw new PyTypeError(`${fnName}() argument after * must be a sequence, not ${pyTypeName(v)}`);
}

/** f(**value): a dict, or TypeError. */
export function pyStarKwargs(fnName: string, v: unknown): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && pyTypeName(v) === 'dict') return v as Record<string, unknown>;
  throw new PyTypeError(`${fnName}() argument after ** must be a mapping, not ${pyTypeName(v)}`);
}
