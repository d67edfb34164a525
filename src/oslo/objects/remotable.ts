/**
 * @remotable_classmethod / @remotable semantics, and the conductor-side
 * halves (ConductorManager.object_class_action / object_action).
 *
 * Classes list their remotable implementations in static tables:
 *
 *   static override remotable_classmethods = {
 *     async get_by_uuid(ctxt, [uuid], kwargs) { ... return inst; },
 *   };
 *   static override remotable_methods = {
 *     async save(ctxt, args, kwargs) { ... this.obj_reset_changes(); },
 *   };
 *
 * and callers go through remotable_classmethod_call / remotable_call, which
 * forward to the world's indirection API when one is set (nova-compute) and
 * run the implementation locally otherwise (nova-conductor, local mode).
 */
import { PyAttributeError, PyException, PyTypeError } from '../exception';
import { lookupTable, type RemotableClassImpl, type RemotableImpl, VersionedObject, type VersionedObjectClass } from './base';
import { ObjectActionError, OrphanedObjectError } from './exceptions';
import { isVersionedObject, pyEquals } from './fields';
import type { ObjectWorld } from './registry';

function classImpl(cls: VersionedObjectClass, method: string): RemotableClassImpl {
  const impl = lookupTable<RemotableClassImpl>(cls, 'remotable_classmethods', method);
  if (!impl) throw new PyAttributeError(`type object '${cls.obj_name()}' has no attribute '${method}'`);
  return impl;
}

function instanceImpl(obj: VersionedObject, method: string): RemotableImpl {
  const impl = lookupTable<RemotableImpl>(obj.cls, 'remotable_methods', method);
  if (!impl) throw new PyAttributeError(`'${obj.obj_name()}' object has no attribute '${method}'`);
  return impl;
}

/**
 * Cls.method(ctxt, *args, **kwargs) for a @remotable_classmethod. With an
 * indirection API this is object_class_action(ctxt, objname, method,
 * cls.VERSION, args, kwargs) and the (already deserialized) result is
 * returned as is; locally the implementation runs and a returned object
 * gets the context (and this world).
 */
export async function remotable_classmethod_call(
  world: ObjectWorld,
  cls: VersionedObjectClass,
  ctxt: unknown,
  method: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
): Promise<unknown> {
  // The decorated method must exist locally, whichever side runs it.
  const impl = classImpl(cls, method);
  const api = world.indirection_api;
  if (api) {
    if (!api.object_class_action) throw new PyException('NotImplementedError', 'exceptions', 'object_class_action');
    return api.object_class_action(ctxt, cls.obj_name(), method, cls.VERSION, args, kwargs);
  }
  const result = await named(method, () => impl.call(cls, ctxt, args, kwargs));
  if (result instanceof VersionedObject) {
    result._context = ctxt;
    result._world ??= world;
  }
  return result;
}

/**
 * obj.method(*args, **kwargs) for a @remotable method. Uses the object's
 * context (Juno also accepted an explicit context, which then sticks to the
 * object; Kilo refuses one). With an indirection API: object_action, then
 * apply the returned updates, reset changes and mark
 * updates['obj_what_changed'] as changed.
 */
export async function remotable_call(
  obj: VersionedObject,
  method: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
  explicitCtxt?: unknown,
): Promise<unknown> {
  const impl = instanceImpl(obj, method);
  const flavour = obj.cls.OBJ_COMPAT;
  let ctxt = obj._context;
  if (explicitCtxt !== undefined) {
    if (flavour === 'kilo') {
      throw new ObjectActionError(
        { action: method, reason: 'Calling remotables with context is deprecated' },
        obj.cls.exception_module(),
      );
    }
    if (flavour === 'juno') {
      ctxt = explicitCtxt;
    } else {
      // ovo has no special case: the context is just another positional argument.
      args = [explicitCtxt, ...args];
    }
  }
  if (ctxt === null || ctxt === undefined) {
    throw new OrphanedObjectError({ method, objtype: obj.obj_name() }, obj.cls.exception_module());
  }
  if (flavour === 'juno') obj._context = ctxt;
  const api = obj._world?.indirection_api;
  if (api) {
    if (!api.object_action) throw new PyException('NotImplementedError', 'exceptions', 'object_action');
    const [updates, result] = await api.object_action(ctxt, obj, method, args, kwargs);
    apply_object_action_updates(obj, updates);
    return result;
  }
  return named(method, () => impl.call(obj, ctxt, args, kwargs));
}

/** A binding TypeError raised as "() takes ..." gets the method's name in front, as Python words it. */
async function named(method: string, run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof PyException && e.pyClass === 'TypeError' && e.message.startsWith('() ')) {
      throw new PyTypeError(`${method}${e.message}`);
    }
    throw e;
  }
}

/** The caller's half of object_action: copy fields back, then trust the remote change list. */
export function apply_object_action_updates(obj: VersionedObject, updates: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(updates)) {
    const field = Object.prototype.hasOwnProperty.call(obj.fields, key) ? obj.fields[key] : undefined;
    if (!field) continue;
    // Sub-objects were already hydrated by the serializer.
    obj.set(key, isVersionedObject(value) ? value : field.from_primitive(obj, key, value));
  }
  obj.obj_reset_changes();
  const changed = updates['obj_what_changed'];
  const list = changed instanceof Set ? [...changed] : Array.isArray(changed) ? changed : [];
  obj._changed_fields = new Set(list.map(String));
}

/**
 * Conductor side of object_class_action (Kilo): find the newest compatible
 * class for objver (IncompatibleObjectVersion if none), run the classmethod
 * locally, and return an object result as a primitive at the caller's
 * version (objver), anything else unchanged.
 */
export async function object_class_action_local(
  world: ObjectWorld,
  ctxt: unknown,
  objname: string,
  objmethod: string,
  objver: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Promise<unknown> {
  const cls = world.registry.obj_class_from_name(objname, objver);
  const result = await classImpl(cls, objmethod).call(cls, ctxt, args, kwargs);
  if (result instanceof VersionedObject) {
    result._context = ctxt;
    result._world ??= world;
    return result.obj_to_primitive(objver);
  }
  return result;
}

/**
 * Conductor side of object_action: clone, run the method locally, and
 * return [updates, result] where updates holds the primitive of every set
 * field that is new or differs from the clone (sub-objects always differ:
 * Python compares them by identity) plus obj_what_changed.
 */
export async function object_action_local(
  ctxt: unknown,
  objinst: VersionedObject,
  objmethod: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Promise<[Record<string, unknown>, unknown]> {
  const oldobj = objinst.obj_clone();
  if (objinst._context === null || objinst._context === undefined) objinst._context = ctxt;
  const result = await instanceImpl(objinst, objmethod).call(objinst, objinst._context, args, kwargs);
  const updates: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(objinst.fields)) {
    if (!objinst.obj_attr_is_set(name)) continue;
    const now = objinst.get(name);
    if (!oldobj.obj_attr_is_set(name) || !pyEquals(oldobj.get(name), now)) {
      updates[name] = field.to_primitive(objinst, name, now);
    }
  }
  updates['obj_what_changed'] = [...objinst.obj_what_changed()];
  return [updates, result];
}

/** Conductor object_backport (Kilo): the object's primitive at target_version. */
export function object_backport_local(objinst: VersionedObject, target_version: string): Record<string, unknown> {
  return objinst.obj_to_primitive(target_version);
}

/** Conductor object_backport_versions (Liberty): target from the caller's manifest, passed down. */
export function object_backport_versions_local(
  objinst: VersionedObject,
  object_versions: Record<string, string>,
): Record<string, unknown> {
  const target = object_versions[objinst.obj_name()] ?? objinst.VERSION;
  return objinst.obj_to_primitive(target, object_versions);
}
