/**
 * The exceptions the object layer raises. Nova (Juno/Kilo) defines them in
 * nova.exception; oslo.versionedobjects (used by Liberty's base) has
 * same-named classes in oslo_versionedobjects.exception. Both bases format
 * msg_fmt with the kwargs and add kwargs['code'] = 500, which travels in
 * RPC failure replies, so we keep it too.
 */
import { PyException } from '../exception';

export const NOVA_EXCEPTION_MODULE = 'nova.exception';
export const OVO_EXCEPTION_MODULE = 'oslo_versionedobjects.exception';

/** Common base: NovaException / VersionedObjectsException. */
export class ObjectException extends PyException {
  static msg_fmt = 'An unknown exception occurred.';
  constructor(pyClass: string, module: string, kwargs: Record<string, unknown>) {
    const kw: Record<string, unknown> = { ...kwargs };
    if (!('code' in kw)) kw.code = 500;
    const fmt = (new.target as unknown as { msg_fmt: string }).msg_fmt;
    super(pyClass, module, formatMsg(fmt, kw), kw);
  }
}

/** Python "%(name)s" formatting; a missing key leaves the raw msg_fmt, as nova does. */
function formatMsg(fmt: string, kw: Record<string, unknown>): string {
  let missing = false;
  const out = fmt.replace(/%\((\w+)\)s/g, (_m, k: string) => {
    if (!(k in kw)) {
      missing = true;
      return '';
    }
    return String(kw[k]);
  });
  return missing ? fmt : out;
}

export class UnsupportedObjectError extends ObjectException {
  static override msg_fmt = 'Unsupported object type %(objtype)s';
  constructor(kwargs: { objtype: string }, module = NOVA_EXCEPTION_MODULE) {
    super('UnsupportedObjectError', module, kwargs);
  }
}

export class IncompatibleObjectVersion extends ObjectException {
  static override msg_fmt = 'Version %(objver)s of %(objname)s is not supported';
  constructor(
    kwargs: { objname: string; objver: string; supported: string },
    module = NOVA_EXCEPTION_MODULE,
  ) {
    super('IncompatibleObjectVersion', module, kwargs);
  }
}

export class ObjectActionError extends ObjectException {
  static override msg_fmt = 'Object action %(action)s failed because: %(reason)s';
  constructor(kwargs: { action: string; reason: string }, module = NOVA_EXCEPTION_MODULE) {
    super('ObjectActionError', module, kwargs);
  }
}

export class OrphanedObjectError extends ObjectException {
  static override msg_fmt = 'Cannot call %(method)s on orphaned %(objtype)s object';
  constructor(kwargs: { method: string; objtype: string }, module = NOVA_EXCEPTION_MODULE) {
    super('OrphanedObjectError', module, kwargs);
  }
}

export class ReadOnlyFieldError extends ObjectException {
  static override msg_fmt = 'Cannot modify readonly field %(field)s';
  constructor(kwargs: { field: string }, module = NOVA_EXCEPTION_MODULE) {
    super('ReadOnlyFieldError', module, kwargs);
  }
}

export class ObjectFieldInvalid extends ObjectException {
  static override msg_fmt = 'Field %(field)s of %(objname)s is not an instance of Field';
  constructor(kwargs: { field: string; objname: string }, module = NOVA_EXCEPTION_MODULE) {
    super('ObjectFieldInvalid', module, kwargs);
  }
}

/** oslo.versionedobjects only: obj_to_primitive(target) with target > VERSION. */
export class InvalidTargetVersion extends ObjectException {
  static override msg_fmt = 'Invalid target version %(version)s';
  constructor(kwargs: { version: string }, module = OVO_EXCEPTION_MODULE) {
    super('InvalidTargetVersion', module, kwargs);
  }
}

/** oslo.versionedobjects internal signal: the sub-object did not exist at the target version. */
export class TargetBeforeSubobjectExistedException extends ObjectException {
  static override msg_fmt = 'No subobject existed at version %(target_version)s';
  constructor(kwargs: { target_version: string }, module = OVO_EXCEPTION_MODULE) {
    super('TargetBeforeSubobjectExistedException', module, kwargs);
  }
}

/** Python's NotImplementedError (the base obj_load_attr, object_backport_versions...). */
export class PyNotImplementedError extends PyException {
  constructor(message: string) {
    super('NotImplementedError', 'exceptions', message);
  }
}
