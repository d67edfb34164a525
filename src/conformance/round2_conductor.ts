/**
 * Round-2 conductor categories: the real ConductorManager of the release
 * (src/nova/conductor/manager.ts) over that release's object world, its
 * registry shaped as the case says, the class method / object method
 * replaced by what the case describes. What happened is observed (the
 * class obj_class_from_name picked, which sub-objects' obj_make_compatible
 * ran, whether a manifest reached obj_to_primitive), not re-derived.
 */
import { conductorManagerFor, type BaseConductorManager } from '../nova/conductor/manager';
import { NovaConf } from '../nova/conf';
import { MemoryDatabase } from '../nova/db/memory';
import { makeObjectWorld, type NovaObjectWorld } from '../nova/objects';
import { RELEASES, isRelease, type Release } from '../nova/releases';
import { PyException } from '../oslo/exception';
import { ExpectedException } from '../oslo/messaging';
import {
  AnyType,
  Field,
  VersionedObject,
  type Primitive,
  type RemotableClassImpl,
  type RemotableImpl,
  type VersionedObjectClass,
} from '../oslo/objects';
import { plausibleInstance } from './nova_objects';

type Json = Record<string, unknown>;
const K = { name: 'nova_object.name', version: 'nova_object.version', data: 'nova_object.data' } as const;
const ctxt = { request_id: 'req-conformance', is_admin: true };

/**
 * A method the release's ConductorManager does not have (13.0.0 has no
 * object_class_action / object_backport): oslo.messaging's dispatcher
 * answers NoSuchMethod.
 */
function noSuchMethod(manager: BaseConductorManager, method: unknown): Json | null {
  const name = String(method);
  if (typeof (manager as unknown as Record<string, unknown>)[name] === 'function') return null;
  return { outcome: 'NoSuchMethod', exception: { class: 'NoSuchMethod', message: `Endpoint does not support RPC method ${name}`, kwargs: { method: name } } };
}

/** The conductor_release of a case: any runnable release (juno, kilo, liberty, mitaka). */
function conductorRelease(input: Json): Release {
  const r = String(input.conductor_release ?? 'kilo');
  if (!isRelease(r)) throw new Error(`Unknown release ${r} (one of ${RELEASES.join(', ')})`);
  return r;
}

function conductor(release: Release): { nw: NovaObjectWorld; manager: BaseConductorManager; used: string[] } {
  const nw = makeObjectWorld(release, { db: new MemoryDatabase(), name: `conductor-${release}` });
  const Manager = conductorManagerFor(release);
  const manager = new Manager({
    release,
    host: 'conductor',
    conf: new NovaConf({}),
    db: nw.db!,
    world: nw.world,
    log: () => undefined,
    now: () => '2015-04-30T12:00:00Z',
    compute_rpcapi: {},
    scheduler_rpcapi: {},
  });
  // Record which class the conductor's lookups pick.
  const used: string[] = [];
  const orig = nw.registry.obj_class_from_name.bind(nw.registry);
  nw.registry.obj_class_from_name = (name: string, ver: string) => {
    const cls = orig(name, ver);
    used.push(cls.VERSION);
    return cls;
  };
  return { nw, manager, used };
}

/** Make the registry hold exactly the listed versions of each named class. */
function shapeRegistry(nw: NovaObjectWorld, spec: Record<string, string[]>): void {
  for (const [name, versions] of Object.entries(spec)) {
    const existing = nw.registry.obj_classes().get(name) ?? [];
    const template = existing[0];
    for (const cls of existing) if (!versions.includes(cls.VERSION)) nw.registry.unregister(name, cls.VERSION);
    for (const v of versions) {
      if (existing.some((c) => c.VERSION === v)) continue;
      const Base = (template ?? (Object.values(nw.classes)[0] as VersionedObjectClass)) as unknown as typeof VersionedObject;
      const C = class extends Base {
        static override VERSION = v;
        static override obj_name() {
          return name;
        }
      };
      nw.registry.register(C as unknown as VersionedObjectClass);
    }
  }
}

function setStatic(cls: VersionedObjectClass, table: 'remotable_classmethods' | 'remotable_methods', name: string, impl: unknown): void {
  const own = Object.prototype.hasOwnProperty.call(cls, table) ? (cls as unknown as Record<string, Json>)[table] : {};
  Object.defineProperty(cls, table, { value: { ...own, [name]: impl }, configurable: true, writable: true });
}

function labelOf(v: unknown): string | null {
  return v && typeof v === 'object' && !Array.isArray(v) && K.version in (v as Json) ? String((v as Json)[K.version]) : null;
}

/**
 * Wrap obj_make_compatible of every class in the world; record the data dicts
 * it converted (they are the ones left inside the returned primitive, which
 * also holds when Liberty's InstanceV2 re-reads itself as an InstanceV1).
 */
function spyConversions(nw: NovaObjectWorld): Set<unknown> {
  const seen = new Set<unknown>();
  for (const list of nw.registry.obj_classes().values()) {
    for (const C of list) {
      const proto = C.prototype as VersionedObject;
      if (!Object.prototype.hasOwnProperty.call(proto, 'obj_make_compatible')) continue;
      const orig = proto.obj_make_compatible;
      Object.defineProperty(proto, 'obj_make_compatible', {
        configurable: true,
        writable: true,
        value: function (this: VersionedObject, primitive: Primitive, target: string) {
          seen.add(primitive);
          return orig.call(this, primitive, target);
        },
      });
    }
  }
  return seen;
}

/** What the returned / backported primitive looks like against the full one. */
function describePrimitive(full: Primitive, prim: Primitive, called: Set<unknown>): Json {
  const data = (prim[K.data] ?? {}) as Json;
  const fullData = (full[K.data] ?? {}) as Json;
  const subobject_versions: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    const l = labelOf(v);
    if (l !== null && k !== 'objects') subobject_versions[k] = l;
  }
  const subobjects_backported: string[] = [];
  for (const [f, v] of Object.entries(data)) {
    if (f === 'objects') continue;
    const subs = Array.isArray(v) ? v : [v];
    if (subs.some((s) => s && typeof s === 'object' && called.has((s as Json)[K.data]))) subobjects_backported.push(f);
  }
  const elements = Array.isArray(data.objects) ? (data.objects as Json[]) : null;
  return {
    returned_primitive_version: prim[K.version],
    removed_fields: Object.keys(fullData).filter((k) => !(k in data)),
    subobject_versions,
    subobjects_backported,
    element_version: elements ? (elements.length ? labelOf(elements[0]) : null) : null,
  };
}

/** An object of `cls` with every field set (Instance: plausible values of the world; others: what the class defaults give). */
function makeObject(nw: NovaObjectWorld, cls: VersionedObjectClass, spec: Json): VersionedObject {
  let obj: VersionedObject;
  if (cls.obj_name() === 'Instance') {
    obj = plausibleInstance(nw, cls, null, ctxt);
  } else {
    obj = new cls({}, { context: ctxt, world: nw.world });
  }
  for (const [f, ver] of Object.entries((spec.subobject_current_versions ?? {}) as Record<string, string>)) {
    if (!obj.obj_attr_is_set(f)) continue;
    const sub = obj.get<VersionedObject | null>(f);
    if (sub instanceof VersionedObject) sub.VERSION = ver;
  }
  return obj;
}

function makeList(nw: NovaObjectWorld, listName: string, spec: Json): VersionedObject {
  const L = nw.registry.latest(listName)!;
  const elName = String(spec.element_objname);
  const elCls = nw.registry.obj_class_from_name(elName, String(spec.element_version));
  const objects = Array.from({ length: Number(spec.element_count ?? 1) }, () => {
    const o = makeObject(nw, elCls, {});
    o.VERSION = String(spec.element_version);
    return o;
  });
  return new L({ objects }, { context: ctxt, world: nw.world });
}

/** Watch obj_to_primitive on one object: the target and whether a manifest came along. */
function watchToPrimitive(obj: VersionedObject): { target: string | null; manifest: boolean } {
  const seen = { target: null as string | null, manifest: false };
  const orig = obj.obj_to_primitive.bind(obj);
  obj.obj_to_primitive = (target: string | null = null, manifest: Record<string, string> | null = null) => {
    if (seen.target === null && target !== null) {
      seen.target = target;
      seen.manifest = manifest !== null && manifest !== undefined;
    }
    return orig(target, manifest);
  };
  return seen;
}

function exceptionOf(e: PyException): Json {
  const kw = { ...e.kwargs };
  delete kw.code;
  return { class: e.pyClass, ...kw };
}

/** category conductor_object_class_action */
export async function runConductorObjectClassAction(input: Json): Promise<Json> {
  const release = conductorRelease(input);
  const { nw, manager, used } = conductor(release);
  shapeRegistry(nw, (input.conductor_registry ?? {}) as Record<string, string[]>);
  const objname = String(input.objname);
  const objmethod = String(input.objmethod);
  const result = (input.method_result ?? null) as Json | null;
  let returnedObj: VersionedObject | null = null;
  let full: Primitive | null = null;
  let watch: { target: string | null; manifest: boolean } | null = null;
  const impl: RemotableClassImpl = async function (this: VersionedObjectClass) {
    if (!result) return null;
    if (result.kind === 'raises') throw new PyException(String(result.class), String(result.module), String(result.class));
    if (result.kind === 'value') return result.value;
    returnedObj = result.kind === 'object_list' ? makeList(nw, objname, result) : makeObject(nw, this, result);
    full = returnedObj.obj_to_primitive();
    watch = watchToPrimitive(returnedObj);
    return returnedObj;
  };
  for (const cls of nw.registry.obj_classes().get(objname) ?? []) setStatic(cls, 'remotable_classmethods', objmethod, impl);
  const called = spyConversions(nw);
  const kw: Json = { objname, objmethod, args: [], kwargs: {} };
  if (input.rpc_method === 'object_class_action_versions') kw.object_versions = input.object_versions;
  else kw.objver = input.objver;
  const missing = noSuchMethod(manager, input.rpc_method);
  if (missing) return { ...missing, class_used_version: null, wrapped_in_expected_exception: false };
  try {
    const out = await (manager[String(input.rpc_method)] as (c: unknown, k: Json) => Promise<unknown>).call(manager, ctxt, kw);
    const base: Json = {
      outcome: 'returned',
      class_used_version: used[0] ?? null,
      exception: null,
      wrapped_in_expected_exception: false,
    };
    if (returnedObj && full && out && typeof out === 'object' && K.name in (out as Json)) {
      return {
        ...base,
        returned_kind: 'primitive',
        ...describePrimitive(full, out as Primitive, called),
        returned_value: null,
        version_manifest_passed: (watch as { manifest: boolean } | null)?.manifest ?? false,
      };
    }
    return { ...base, returned_kind: 'value', returned_value: out ?? null, returned_primitive_version: null, version_manifest_passed: false };
  } catch (e) {
    if (e instanceof ExpectedException) {
      return { outcome: 'ExpectedException', class_used_version: used[0] ?? null, exception: exceptionOf(e.inner), wrapped_in_expected_exception: true };
    }
    const pe = e as PyException;
    return { outcome: pe.pyClass, class_used_version: null, exception: exceptionOf(pe), wrapped_in_expected_exception: false };
  }
}

/** category conductor_object_backport */
export async function runConductorObjectBackport(input: Json): Promise<Json> {
  const release = conductorRelease(input);
  const { nw, manager } = conductor(release);
  const spec = (input.objinst ?? {}) as Json;
  const objname = String(spec.objname);
  let obj: VersionedObject;
  if (spec.element_objname) obj = makeList(nw, objname, spec);
  else obj = makeObject(nw, nw.registry.obj_class_from_name(objname, String(spec.class_version ?? spec.version)), spec);
  obj.VERSION = String(spec.version ?? obj.VERSION);
  const full = obj.obj_to_primitive();
  const watch = watchToPrimitive(obj);
  const called = spyConversions(nw);
  const kw: Json = { objinst: obj };
  if (input.rpc_method === 'object_backport_versions') kw.object_versions = input.object_versions;
  else kw.target_version = input.target_version;
  const missing = noSuchMethod(manager, input.rpc_method);
  if (missing) return missing;
  try {
    const prim = (await (manager[String(input.rpc_method)] as (c: unknown, k: Json) => Promise<unknown>).call(manager, ctxt, kw)) as Primitive;
    return {
      target_version_used: watch.target,
      ...describePrimitive(full, prim, called),
      version_manifest_passed: watch.manifest,
    };
  } catch (e) {
    const pe = e as PyException;
    return { outcome: pe.pyClass, exception: exceptionOf(pe) };
  }
}

/** category conductor_object_action */
export async function runConductorObjectAction(input: Json): Promise<Json> {
  const release = conductorRelease(input);
  const { nw, manager } = conductor(release);
  const objname = String(input.objname);
  const method = (input.method ?? {}) as Json;
  const before = (input.fields_before ?? {}) as Json;
  const sets = (method.sets ?? {}) as Json;
  const mutates = (method.mutates ?? {}) as Json;
  let cls = nw.registry.latest(objname);
  if (!cls) {
    // A test object (nova's test_conductor TestObject): a field per name the case uses.
    const fields: Record<string, Field> = {};
    for (const k of new Set([...Object.keys(before), ...Object.keys(sets), ...Object.keys(mutates)])) fields[k] = new Field(new AnyType(), { nullable: true });
    const Base = Object.values(nw.classes)[0] as unknown as typeof VersionedObject;
    const Root = Object.getPrototypeOf(Base) as typeof VersionedObject;
    const C = class extends Root {
      static override VERSION = '1.0';
      static override fields = fields;
      static override obj_name() {
        return objname;
      }
    };
    nw.registry.register(C as unknown as VersionedObjectClass);
    cls = C as unknown as VersionedObjectClass;
  }
  const obj = new cls({}, { context: ctxt, world: nw.world });
  for (const [k, v] of Object.entries(before)) obj.set(k, obj.fields[k]!.from_primitive(obj, k, v));
  obj.obj_reset_changes();
  obj._changed_fields = new Set((input.changed_before ?? []) as string[]);
  const impl: RemotableImpl = async function (this: VersionedObject) {
    for (const [k, v] of Object.entries(sets)) this.set(k, this.fields[k]!.from_primitive(this, k, v));
    for (const [k, v] of Object.entries(mutates)) {
      const cur = this.get<unknown>(k);
      if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) Object.assign(cur as Json, v);
      else if (Array.isArray(cur) && Array.isArray(v)) cur.push(...(v as unknown[]));
    }
    if (method.resets_changes) this.obj_reset_changes();
    const raises = method.raises as Json | null;
    if (raises) throw new PyException(String(raises.class), String(raises.module), String(raises.class));
    return method.returns ?? null;
  };
  setStatic(cls, 'remotable_methods', String(method.name), impl);
  try {
    const [updates, result] = (await manager.object_action(ctxt, { objinst: obj, objmethod: method.name, args: [], kwargs: {} })) as [Json, unknown];
    return { outcome: 'returned', updates, updates_keys: Object.keys(updates), result: result ?? null };
  } catch (e) {
    if (e instanceof ExpectedException) {
      return { outcome: 'ExpectedException', exception: { class: e.inner.pyClass }, server_logs_error: false, updates: null, updates_keys: null, result: null };
    }
    const pe = e as PyException;
    return { outcome: pe.pyClass, exception: { class: pe.pyClass }, server_logs_error: true };
  }
}
