import { BUILTINS_MODULE, PyException, asPyException, classLineage } from '../exception';
import { RemoteError } from './exceptions';
import { DEFAULT_DIALECT, type Dialect } from './dialect';
import type { RemoteFailure } from './message';

export const REMOTE_POSTFIX = '_Remote';

/** Python-style traceback lines for an exception raised while handling a message. */
export function formatTraceback(err: PyException, frames: string[]): string[] {
  if (err.traceback.length > 0) return err.traceback;
  return [
    'Traceback (most recent call last):\n',
    ...frames.map((f) => `  File "${f}"\n`),
    `${err.pyClass}: ${err.message}\n`,
  ];
}

/**
 * serialize_remote_exception: what a server puts in a failure reply. An
 * exception that was itself re-created from a remote failure goes back
 * under its original class and module (cells re-raise remote errors).
 */
export function serialize_remote_exception(error: unknown, frames: string[] = []): string {
  const err = asPyException(error);
  let cls = err.pyClass;
  let mod = err.module;
  if (cls.endsWith(REMOTE_POSTFIX) && mod.endsWith(REMOTE_POSTFIX)) {
    cls = cls.slice(0, -REMOTE_POSTFIX.length);
    mod = mod.slice(0, -REMOTE_POSTFIX.length);
  }
  const failure: RemoteFailure = {
    class: cls,
    module: mod,
    message: err.message,
    tb: formatTraceback(err, frames),
    args: err.args,
    kwargs: err.hasKwargsAttr ? err.kwargs : {},
  };
  return JSON.stringify(failure);
}

/**
 * Re-creates an exception class of an allowed module; returns undefined when
 * the module has no such class (oslo.messaging then falls back to RemoteError).
 */
export type ExceptionFactory = (
  module: string,
  pyClass: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
) => PyException | undefined;

/** By default any class of an allowed module can be re-created. */
export const genericExceptionFactory: ExceptionFactory = (module, pyClass, args, kwargs) =>
  new PyException(pyClass, module, typeof args[0] === 'string' ? args[0] : pyClass, kwargs, args);

/**
 * deserialize_remote_exception: what the caller of a call() sees. Classes of
 * the builtins module or of an allowed module (nova passes nova.exception)
 * are re-created; user-defined ones are re-typed as "<Class>_Remote" whose
 * str() adds the remote traceback, builtins get it in their first argument.
 * Anything else becomes RemoteError(exc_type, value, traceback).
 */
export function deserialize_remote_exception(
  data: string,
  allowed_remote_exmods: string[],
  factory: ExceptionFactory = genericExceptionFactory,
  d: Dialect = DEFAULT_DIALECT,
): PyException {
  let failure: Partial<RemoteFailure>;
  try {
    failure = JSON.parse(data) as Partial<RemoteFailure>;
  } catch {
    return new RemoteError('ValueError', 'malformed failure reply', null, d);
  }
  const trace = failure.tb ?? [];
  const message = `${failure.message ?? ''}\n${trace.join('\n')}`;
  const name = failure.class ?? 'Exception';
  const module = failure.module ?? '';
  if (module !== BUILTINS_MODULE && !allowed_remote_exmods.includes(module)) {
    return new RemoteError(name, failure.message ?? null, trace, d);
  }
  const recreated = factory(module, name, failure.args ?? [], failure.kwargs ?? {});
  if (!recreated) return new RemoteError(name, failure.message ?? null, trace, d);
  if (module === BUILTINS_MODULE) {
    // Core Python exceptions cannot be re-typed: the text goes into args[0].
    const e = new PyException(name, module, message, recreated.kwargs, [message, ...recreated.args.slice(1)]);
    e.traceback = trace;
    return e;
  }
  const remote = new PyException(name + REMOTE_POSTFIX, module + REMOTE_POSTFIX, message, recreated.kwargs, recreated.args);
  remote.traceback = trace;
  // type(name + '_Remote', (klass,), ...): the re-created class's ancestors stay its ancestors.
  remote.bases = [name, ...(recreated.bases ?? classLineage(name).slice(1))];
  return remote;
}
