import { BUILTINS_MODULE, PyException, isPy27Builtin, registerExceptionBases } from '../oslo/exception';
import type { ExceptionFactory } from '../oslo/messaging/remote_error';
import exceptionTree from './data/exception-tree.json';
import type { Release } from './releases';

/**
 * nova.exception's class tree (every class statement of nova/exception.py at
 * 2014.1, 2014.2, 2015.1.0, 12.0.0 and 13.0.0), so that `except exception.Invalid` catches
 * InstanceNotRunning, `except exception.MigrationError` catches
 * MigrationPreCheckError and `except exception.NoValidHost` catches
 * NoValidHost_Remote (and Liberty's MaxRetriesExceeded).
 */
interface ExceptionTree {
  bases: Record<string, string>;
  icehouse: { bases: Record<string, string>; absent: string[] };
  juno: { bases: Record<string, string>; absent: string[] };
  kilo: { bases: Record<string, string>; absent: string[] };
  liberty: { bases: Record<string, string>; absent: string[] };
  /** 13.0.0: no base changed; its new classes (ServiceTooOld, RequestSpecNotFound...) are listed here. */
  mitaka: { bases: Record<string, string>; absent: string[] };
}
const TREE = exceptionTree as unknown as ExceptionTree;
registerExceptionBases({ ...TREE.mitaka.bases, ...TREE.bases });

/** The base of a nova.exception class at a release; undefined when that release's module lacks it. */
export function novaExceptionBase(release: Release, pyClass: string): string | undefined {
  const r = TREE[release];
  if (r.absent.includes(pyClass)) return undefined;
  return r.bases[pyClass] ?? TREE.bases[pyClass];
}

/** The ancestors of a nova.exception class at a release, nearest first, up to Exception. */
export function novaExceptionAncestors(release: Release, pyClass: string): string[] | undefined {
  const out: string[] = [];
  let cur = novaExceptionBase(release, pyClass);
  if (cur === undefined) return undefined;
  while (cur && cur !== 'Exception') {
    out.push(cur);
    cur = novaExceptionBase(release, cur) ?? 'Exception';
  }
  out.push('Exception');
  return out;
}

/**
 * What `__import__(module); getattr(mod, name)` finds in a caller running
 * this release of nova (oslo.messaging's deserialize_remote_exception, the
 * same in 1.4.1, 1.8.3 and 1.16.0): nova.exception as the release's
 * nova/exception.py defines it, Python 2.7's exceptions module. A class the
 * caller's module lacks is an AttributeError there, and the caller gets
 * RemoteError(name, message, tb) instead of `<Class>_Remote`; a class it has
 * is re-created with the caller's own ancestors.
 */
export function novaExceptionFactory(release: Release): ExceptionFactory {
  return (module, pyClass, args, kwargs) => {
    const message = typeof args[0] === 'string' ? args[0] : pyClass;
    if (module === BUILTINS_MODULE) {
      return isPy27Builtin(pyClass) ? new PyException(pyClass, module, message, kwargs, args) : undefined;
    }
    if (module !== NOVA_EXCEPTION) return undefined;
    const ancestors = novaExceptionAncestors(release, pyClass);
    if (ancestors === undefined) return undefined;
    const e = new PyException(pyClass, module, message, kwargs, args);
    e.bases = ancestors;
    return e;
  };
}

/**
 * nova.exception classes the model raises. Their message templates are
 * nova's msg_fmt, filled from kwargs; kwargs travel with remote failures
 * and are re-created on the caller (nova.exception is an allowed module).
 */
export const NOVA_EXCEPTION = 'nova.exception';

export class NovaException extends PyException {
  constructor(pyClass: string, message: string, kwargs: Record<string, unknown> = {}) {
    super(pyClass, NOVA_EXCEPTION, message, kwargs);
  }
}

const fmt = (template: string, kwargs: Record<string, unknown>) =>
  template.replace(/%\((\w+)\)s/g, (_, k: string) => String(kwargs[k]));

function novaClass(pyClass: string, template: string) {
  return (kwargs: Record<string, unknown> = {}) => new NovaException(pyClass, fmt(template, kwargs), kwargs);
}

export const InstanceNotFound = novaClass('InstanceNotFound', 'Instance %(instance_id)s could not be found.');
export const FlavorNotFound = novaClass('FlavorNotFound', 'Flavor %(flavor_id)s could not be found.');
export const FlavorNotFoundByName = novaClass('FlavorNotFoundByName', 'Flavor with name %(flavor_name)s could not be found.');
export const ServiceNotFound = novaClass('ServiceNotFound', 'Service %(service_id)s could not be found.');
export const ComputeHostNotFound = novaClass('ComputeHostNotFound', 'Compute host %(host)s could not be found.');
export const UnexpectedTaskStateError = novaClass(
  'UnexpectedTaskStateError',
  'Unexpected task state: expecting %(expected)s but the actual state is %(actual)s',
);
export const UnexpectedDeletingTaskStateError = novaClass(
  'UnexpectedDeletingTaskStateError',
  'Unexpected task state: expecting %(expected)s but the actual state is %(actual)s',
);
export const InstanceInvalidState = novaClass(
  'InstanceInvalidState',
  'Instance %(instance_uuid)s in %(attr)s %(state)s. Cannot %(method)s while the instance is in this state.',
);
export const NoValidHost = novaClass('NoValidHost', 'No valid host was found. %(reason)s');
export const MaxRetriesExceeded = novaClass('MaxRetriesExceeded', 'Exceeded maximum number of retries. %(reason)s');
export const LiveMigrationWithOldNovaNotSafe = novaClass(
  'LiveMigrationWithOldNovaNotSafe',
  "Host %(server)s is running an old version of Nova, live migrations involving that version may cause data loss. Upgrade Nova on %(server)s and try again.",
);
export const InstanceNotRunning = novaClass('InstanceNotRunning', 'Instance %(instance_id)s is not running.');
export const ServiceUnavailable = novaClass('ServiceUnavailable', 'Service is unavailable at this time.');
/** 13.0.0 (a NovaException): the Mitaka client refuses a None block_migration/disk_over_commit below 4.11. */
export const LiveMigrationWithOldNovaNotSupported = novaClass(
  'LiveMigrationWithOldNovaNotSupported',
  'Live migration with API v2.25 requires all the Mitaka upgrade to be complete before it is available.',
);
/** 13.0.0 (an Invalid): the Mitaka client cannot send trigger_crash_dump below 4.6. */
export const TriggerCrashDumpNotSupported = novaClass('TriggerCrashDumpNotSupported', 'Triggering crash dump is not supported');
export const ObjectActionError = novaClass('ObjectActionError', 'Object action %(action)s failed because: %(reason)s');

/** A generic NovaException with a plain message (nova's default class). */
export function novaError(message: string): NovaException {
  return new NovaException('NovaException', message);
}
