import { PyTypeError } from '../../oslo/exception';
/**
 * Shared building blocks for the per-release object modules: the
 * environment each world's classes close over, field tables from
 * objects.json spec strings, and small class factories.
 */
import {
  DictType,
  Field,
  fieldFromSpec,
  ListOfObjectsField,
  ListType,
  ObjectListBase,
  StringType,
  type FieldOptions,
  type KiloNovaObject,
  type ObjectWorld,
  type Primitive,
  type Relationship,
  type RemotableClassImpl,
  type RemotableImpl,
  type VersionedObject,
  type VersionedObjectClass,
  UnspecifiedDefault,
} from '../../oslo/objects';
import type { Database } from '../db/api';
import type { Release } from '../releases';
import objectsData from '../data/objects.json';

/** What every class of one world closes over. */
export interface ObjectsEnv {
  release: Release;
  /** null on services that never touch the DB (nova-compute). */
  db: Database | null;
  /** Set by makeObjectWorld right after the world exists. */
  world: ObjectWorld;
  /** name -> class, filled while the release module defines its classes. */
  classes: Record<string, VersionedObjectClass>;
  /** nova.utils.is_neutron() of the service ([DEFAULT] network_api_class); false when not given. */
  is_neutron?: () => boolean;
  /** Mitaka with bug 1579839's fix: Service.save() writes a version-only change. */
  serviceVersionUpdateFix?: boolean;
}

export function requireDb(env: ObjectsEnv, what: string): Database {
  if (!env.db) {
    throw new Error(`${what}: this ${env.release} service has no database (it must go through nova-conductor)`);
  }
  return env.db;
}

export function cls(env: ObjectsEnv, name: string): VersionedObjectClass {
  const c = env.classes[name];
  if (!c) throw new Error(`object class ${name} is not defined in this ${env.release} world`);
  return c;
}

/** new Cls(kwargs) living in this world with this context. */
export function make<T extends VersionedObject = VersionedObject>(
  env: ObjectsEnv,
  name: string,
  kwargs: Record<string, unknown> = {},
  context: unknown = null,
): T {
  const C = cls(env, name);
  return new C(kwargs, { context, world: env.world }) as T;
}

const EXTRA_SPEC_TYPES: Record<string, (o: FieldOptions) => Field> = {
  ListOfDictOfNullableStrings: (o) => new Field(new ListType(new DictType(new StringType(), { nullable: true })), o),
  // 13.0.0 RequestSpec.scheduler_hints
  DictOfListOfStrings: (o) => new Field(new DictType(new ListType(new StringType())), o),
};

export function fieldsFromSpecs(specs: Record<string, string>): Record<string, Field> {
  const out: Record<string, Field> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = fieldFromSpec(spec, EXTRA_SPEC_TYPES);
  return out;
}

type ObjectsJson = {
  objects: Record<
    string,
    {
      fields?: Record<string, Record<string, string>>;
      obj_relationships?: Record<string, Record<string, [string, string][]> | null>;
      child_versions?: Record<string, Record<string, string>>;
    }
  >;
  release_object_versions: Record<string, Record<string, string>>;
};
const DATA = objectsData as unknown as ObjectsJson;

/** Field specs of `name` from objects.json (key like "kilo" or "kilo_1_19"). */
export function dataFields(name: string, key: string): Record<string, Field> {
  const specs = DATA.objects[name]?.fields?.[key];
  if (!specs) throw new Error(`objects.json has no fields for ${name}/${key}`);
  return fieldsFromSpecs(specs);
}

/** An object's obj_relationships as a release shipped them (objects.json; key like "kilo" or "liberty_v1"). */
export function dataRelationships(name: string, key: string): Record<string, Relationship> {
  // nova 13.0.0 removed every obj_relationships table (backports follow the version manifest).
  if (key === 'mitaka') return {};
  const rel = DATA.objects[name]?.obj_relationships?.[key];
  if (!rel) throw new Error(`objects.json has no obj_relationships for ${name}/${key}`);
  return rel;
}

/** A list object's child_versions as a release shipped them (objects.json). */
export function dataChildVersions(name: string, release: Release): Record<string, string> {
  const cv = DATA.objects[name]?.child_versions?.[release];
  if (!cv) throw new Error(`objects.json has no child_versions for ${name}/${release}`);
  return cv;
}

/** The VERSION a release shipped for an object (objects.json release_object_versions). */
export function releaseVersion(release: Release, name: string): string {
  const v = DATA.release_object_versions[release]?.[name];
  if (!v) throw new Error(`objects.json has no ${release} version for ${name}`);
  return v;
}

export interface ClassOpts {
  relationships?: Record<string, Relationship>;
  child_versions?: Record<string, string>;
  /** obj_make_compatible body; call `sup()` where the release calls super(). Default: super only. */
  compat?: (self: VersionedObject, primitive: Primitive, target: string, sup: () => void) => void;
  classmethods?: Record<string, RemotableClassImpl>;
  methods?: Record<string, RemotableImpl>;
  /** obj_load_attr override. */
  load?: (self: VersionedObject, attr: string) => void;
  /** Runs after the base constructor (nova __init__ extras). */
  init?: (self: VersionedObject, kwargs: Record<string, unknown>) => void;
}

/**
 * nova 13.0.0 objects (on oslo.versionedobjects 1.x) have neither
 * obj_relationships nor child_versions: sub-object versions come from the
 * version manifest. The Liberty tables a caller passes are dropped.
 */
function manifestOnly(Base: VersionedObjectClass): boolean {
  return (Base as unknown as { OVO_SERIES?: string }).OVO_SERIES === '1.x';
}

/** A NovaObject subclass of `Base` named `name` at `version`. */
export function defineObject(
  Base: VersionedObjectClass,
  name: string,
  version: string,
  fields: Record<string, Field>,
  opts: ClassOpts = {},
): VersionedObjectClass {
  const noTables = manifestOnly(Base);
  const C = class extends (Base as typeof KiloNovaObject) {
    static override VERSION = version;
    static override fields = fields;
    static override obj_relationships = noTables ? {} : (opts.relationships ?? {});
    static override child_versions = noTables ? {} : (opts.child_versions ?? {});
    static override remotable_classmethods = opts.classmethods ?? {};
    static override remotable_methods = opts.methods ?? {};
    static override obj_name() {
      return name;
    }
    constructor(kwargs: Record<string, unknown> = {}, o: { context?: unknown; world?: ObjectWorld | null } = {}) {
      super(kwargs, o);
      opts.init?.(this, kwargs);
    }
    override obj_make_compatible(primitive: Primitive, target_version: string): void {
      const sup = () => super.obj_make_compatible(primitive, target_version);
      if (opts.compat) opts.compat(this, primitive, target_version, sup);
      else sup();
    }
    override obj_load_attr(attrname: string): void {
      if (opts.load) opts.load(this, attrname);
      else super.obj_load_attr(attrname);
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C as unknown as VersionedObjectClass;
}

/** An ObjectListBase + NovaObject list class holding `child` objects. */
export function defineList(
  Base: VersionedObjectClass,
  name: string,
  version: string,
  child: string,
  opts: ClassOpts = {},
): VersionedObjectClass {
  const ListBase = ObjectListBase(Base) as unknown as typeof KiloNovaObject;
  const noTables = manifestOnly(Base);
  const C = class extends ListBase {
    static override VERSION = version;
    static override fields = { objects: new ListOfObjectsField(child) };
    static override obj_relationships = noTables ? {} : (opts.relationships ?? {});
    static override child_versions = noTables ? {} : (opts.child_versions ?? {});
    static override remotable_classmethods = opts.classmethods ?? {};
    static override remotable_methods = opts.methods ?? {};
    static override obj_name() {
      return name;
    }
    override obj_make_compatible(primitive: Primitive, target_version: string): void {
      const sup = () => super.obj_make_compatible(primitive, target_version);
      if (opts.compat) opts.compat(this, primitive, target_version, sup);
      else sup();
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C as unknown as VersionedObjectClass;
}

/** Python tuple compare of two version strings: target < "x.y". */
export function below(target: string, version: string): boolean {
  const a = target.split('.').map((x) => parseInt(x, 10));
  const b = version.split('.').map((x) => parseInt(x, 10));
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return x < y;
  }
  return false;
}

/** Positional/keyword binding of a Python signature. */
export function bindArgs(
  names: string[],
  args: unknown[],
  kwargs: Record<string, unknown>,
  defaults: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults };
  names.forEach((n, i) => {
    if (i < args.length) out[n] = args[i];
  });
  for (const [k, v] of Object.entries(kwargs)) if (v !== undefined) out[k] = v;
  const missing = names.filter((n) => !(n in out));
  if (missing.length > 0) {
    // Python 2.7: "<name>() takes at least N arguments (M given)", counting cls/self and the
    // context; remotable_call / remotable_classmethod_call put the method name in front.
    const hasDefaults = Object.keys(defaults).length > 0;
    const need = 2 + names.length - Object.keys(defaults).length;
    throw new PyTypeError(`() takes ${hasDefaults ? 'at least' : 'exactly'} ${need} arguments (${2 + args.length + Object.keys(kwargs).length} given)`);
  }
  return out;
}

/** Primitive key helpers for nova's envelope. */
export const NOVA_KEYS = {
  name: 'nova_object.name',
  namespace: 'nova_object.namespace',
  version: 'nova_object.version',
  data: 'nova_object.data',
  changes: 'nova_object.changes',
} as const;

/** obj_make_list: a list object of `child` objects built from DB rows with `fromRow`. */
export function makeList(
  env: ObjectsEnv,
  listName: string,
  rows: Row[],
  fromRow: (row: Row) => VersionedObject,
  context: unknown,
): VersionedObject {
  const list = make(env, listName, {}, context);
  list.set(
    'objects',
    rows.map((r) => fromRow(r)),
  );
  list.obj_reset_changes();
  return list;
}
type Row = Record<string, unknown>;

/** Set every field of `obj` from a DB row dict (missing keys leave the field unset). */
export function setFromRow(obj: VersionedObject, row: Row, skip: string[] = []): VersionedObject {
  for (const [name, field] of Object.entries(obj.fields)) {
    if (skip.includes(name)) continue;
    if (!Object.prototype.hasOwnProperty.call(row, name)) continue;
    let v = row[name];
    if (name === 'deleted' && typeof v === 'number') v = v !== 0 && v === row.id;
    if (v === null && !field.nullable && field.default === UnspecifiedDefault) continue;
    obj.set(name, v);
  }
  obj.obj_reset_changes();
  return obj;
}

/** JSON-able row values from field values (Dates -> ISO, Sets -> lists, objects -> their data). */
export function toRowValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Set) return [...v].map(toRowValue);
  if (Array.isArray(v)) return v.map(toRowValue);
  if (v && typeof v === 'object') {
    const maybe = v as { obj_to_primitive?: () => unknown };
    if (typeof maybe.obj_to_primitive === 'function') return maybe.obj_to_primitive();
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toRowValue(x);
    return out;
  }
  return v;
}

/** Plain dict of an object's set fields, for rows. */
export function objToRow(obj: VersionedObject): Row {
  const out: Row = {};
  for (const [k, v] of obj.items()) out[k] = toRowValue(v);
  return out;
}
