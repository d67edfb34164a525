/**
 * VersionedObject: nova's NovaObject (Juno 2014.2, Kilo 2015.1.0) and
 * oslo.versionedobjects 0.10's VersionedObject (what Liberty's NovaObject
 * builds on), in one class whose compatibility behaviour is picked by a
 * static flavour:
 *
 * - 'juno': base obj_make_compatible is a no-op (classes hard-code rules).
 * - 'kilo': generic sub-object pass driven by obj_relationships
 *           (obj_calculate_child_version), run whenever a target is given.
 * - 'ovo' : oslo.versionedobjects 0.10 (InvalidTargetVersion, skip when
 *           equal, _get_subobject_version, version manifests).
 *           With OVO_SERIES '1.x' (1.8.0, what Mitaka ran): a version
 *           manifest makes obj_to_primitive convert even at the object's
 *           own version, and a list with no rules takes its element version
 *           from the manifest (1.0 only when the manifest lacks it).
 *
 * Per-process state of the Python code (NovaObject.indirection_api, the
 * class registry) lives in an ObjectWorld instead, so several services and
 * releases can share one JS process.
 */
import { PyAttributeError, PyKeyError, PyTypeError } from '../exception';
import {
  BooleanField,
  DateTimeField,
  deepCopyValue,
  Field,
  FieldOwner,
  isListOfObjectsField,
  isObjectField,
  isPlainDict,
  isVersionedObject,
  ListOfObjectsField,
  pyEquals,
  UnspecifiedDefault,
  VERSIONED_OBJECT,
  childObjName,
} from './fields';
import {
  InvalidTargetVersion,
  NOVA_EXCEPTION_MODULE,
  ObjectActionError,
  ObjectFieldInvalid,
  OVO_EXCEPTION_MODULE,
  PyNotImplementedError,
  ReadOnlyFieldError,
  TargetBeforeSubobjectExistedException,
  UnsupportedObjectError,
} from './exceptions';
import { compare_tuples, convert_version_to_tuple } from './versionutils';
import type { ObjectWorld } from './registry';

export type CompatFlavour = 'juno' | 'kilo' | 'ovo';
/** oslo.versionedobjects 0.10 (Liberty) or 1.x (1.8.0, Mitaka). */
export type OvoSeries = '0.10' | '1.x';

/** (parent_version, child_version) pairs, oldest first. */
export type Relationship = ReadonlyArray<readonly [string, string]>;

export type Primitive = Record<string, unknown>;

export type RemotableClassImpl = (
  this: VersionedObjectClass,
  ctxt: unknown,
  args: unknown[],
  kwargs: Record<string, unknown>,
) => unknown;
export type RemotableImpl = (
  this: VersionedObject,
  ctxt: unknown,
  args: unknown[],
  kwargs: Record<string, unknown>,
) => unknown;

export interface VersionedObjectOptions {
  context?: unknown;
  world?: ObjectWorld | null;
}

/** The class side of a VersionedObject (constructor plus statics). */
export type VersionedObjectClass<T extends VersionedObject = VersionedObject> = {
  new (kwargs?: Record<string, unknown>, opts?: VersionedObjectOptions): T;
} & Omit<typeof VersionedObject, 'prototype'>;

/** Own-key test: field names like 'constructor' must not hit Object.prototype. */
export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

const fieldCache = new WeakMap<object, Record<string, Field>>();

/**
 * make_class_properties: a class's fields are its own plus every ancestor's
 * (the subclass wins), and every entry must be a Field.
 */
export function obj_fields_of(cls: VersionedObjectClass): Record<string, Field> {
  const cached = fieldCache.get(cls);
  if (cached) return cached;
  const chain: Array<{ fields?: Record<string, Field> }> = [];
  for (let c: unknown = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (Object.prototype.hasOwnProperty.call(c, 'fields')) chain.push(c as { fields: Record<string, Field> });
  }
  const merged: Record<string, Field> = {};
  for (const c of chain.reverse()) Object.assign(merged, c.fields);
  for (const [name, field] of Object.entries(merged)) {
    if (!(field instanceof Field)) {
      throw new ObjectFieldInvalid({ field: name, objname: cls.obj_name() }, cls.exception_module());
    }
  }
  fieldCache.set(cls, merged);
  return merged;
}

/** Find a remotable implementation by walking the class chain. */
function lookupTable<T>(cls: unknown, table: 'remotable_classmethods' | 'remotable_methods', name: string): T | undefined {
  for (let c: unknown = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (Object.prototype.hasOwnProperty.call(c, table)) {
      const t = (c as Record<string, Record<string, T>>)[table]!;
      if (Object.prototype.hasOwnProperty.call(t, name)) return t[name];
    }
  }
  return undefined;
}

function requireDict(primitive: unknown, what: string): Primitive {
  if (!isPlainDict(primitive)) {
    throw new PyTypeError(`${what} must be a dict, not ${primitive === null ? 'NoneType' : Array.isArray(primitive) ? 'list' : typeof primitive}`);
  }
  return primitive;
}

/** primitive[key] with Python's KeyError when absent. */
function pyGetItem(d: Primitive, key: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(d, key)) {
    throw new PyKeyError(`'${key}'`);
  }
  return d[key];
}


export class VersionedObject implements FieldOwner {
  // ---- class-level configuration (override in subclasses) ----
  static VERSION = '1.0';
  static fields: Record<string, Field> = {};
  static obj_extra_fields: string[] = [];
  /** Kilo-style sub-object table: {field: [[my_version, child_version], ...]} oldest first. */
  static obj_relationships: Record<string, Relationship> = {};
  /** Lists: {list_version: element_version}. */
  static child_versions: Record<string, string> = {};
  static OBJ_COMPAT: CompatFlavour = 'ovo';
  /** Which oslo.versionedobjects series the 'ovo' flavour follows (see the module comment). */
  static OVO_SERIES: OvoSeries = '0.10';
  static OBJ_SERIAL_NAMESPACE = 'versioned_object';
  static OBJ_PROJECT_NAMESPACE = 'versionedobjects';
  /** True for classes built with ObjectListBase(). */
  static obj_is_list = false;
  /** name -> implementation of @remotable_classmethod methods. */
  static remotable_classmethods: Record<string, RemotableClassImpl> = {};
  /** name -> implementation of @remotable methods. */
  static remotable_methods: Record<string, RemotableImpl> = {};

  /** Canonical wire name; defaults to the JS class name (override it: bundlers may mangle names). */
  static obj_name(): string {
    return this.name;
  }

  static exception_module(): string {
    return this.OBJ_COMPAT === 'ovo' ? OVO_EXCEPTION_MODULE : NOVA_EXCEPTION_MODULE;
  }

  static _obj_primitive_key(field: string): string {
    return `${this.OBJ_SERIAL_NAMESPACE}.${field}`;
  }

  static obj_fields_map(this: VersionedObjectClass): Record<string, Field> {
    return obj_fields_of(this);
  }

  /** NovaObject.obj_class_from_name, against a world's registry. */
  static obj_class_from_name(world: ObjectWorld, objname: string, objver: string): VersionedObjectClass {
    return world.registry.obj_class_from_name(objname, objver);
  }

  /**
   * Field-by-field hydration. Call it on the base class of a release
   * (KiloNovaObject...): that class decides the envelope keys and namespace.
   */
  static obj_from_primitive(
    this: VersionedObjectClass,
    primitive: unknown,
    world: ObjectWorld,
    context: unknown = null,
  ): VersionedObject {
    const prim = requireDict(primitive, 'object primitive');
    const key = (f: string) => this._obj_primitive_key(f);
    let objns: unknown, objname: unknown, objver: unknown;
    if (this.OBJ_COMPAT === 'ovo') {
      objns = pyGetItem(prim, key('namespace'));
      objname = pyGetItem(prim, key('name'));
      objver = pyGetItem(prim, key('version'));
      if (objns !== this.OBJ_PROJECT_NAMESPACE) {
        throw new UnsupportedObjectError({ objtype: `${String(objns)}.${String(objname)}` }, this.exception_module());
      }
    } else {
      objns = pyGetItem(prim, key('namespace'));
      if (objns !== this.OBJ_PROJECT_NAMESPACE) {
        throw new UnsupportedObjectError(
          { objtype: `${String(objns)}.${String(pyGetItem(prim, key('name')))}` },
          this.exception_module(),
        );
      }
      objname = pyGetItem(prim, key('name'));
      objver = pyGetItem(prim, key('version'));
    }
    if (typeof objname !== 'string') throw new PyTypeError(`object name must be a string, not ${typeof objname}`);
    if (typeof objver !== 'string') throw new PyTypeError(`object version must be a string, not ${typeof objver}`);
    const objclass = world.registry.obj_class_from_name(objname, objver);
    return objclass._obj_from_primitive(context, objver, prim, world);
  }

  static _obj_from_primitive(
    this: VersionedObjectClass,
    context: unknown,
    objver: string,
    primitive: Primitive,
    world: ObjectWorld | null,
  ): VersionedObject {
    const self = new this({}, { context, world });
    // The instance keeps the version it was sent at: re-serializing labels it so.
    self.VERSION = objver;
    const objdata = requireDict(pyGetItem(primitive, this._obj_primitive_key('data')), 'object data');
    const changesKey = this._obj_primitive_key('changes');
    const changes = Object.prototype.hasOwnProperty.call(primitive, changesKey) ? primitive[changesKey] : [];
    if (!Array.isArray(changes)) throw new PyTypeError(`object changes must be a list, not ${typeof changes}`);
    for (const [name, field] of Object.entries(self.fields)) {
      if (Object.prototype.hasOwnProperty.call(objdata, name)) {
        self.set(name, field.from_primitive(self, name, objdata[name]));
      }
    }
    self._changed_fields = new Set(changes.filter((x): x is string => typeof x === 'string' && hasOwn(self.fields, x)));
    return self;
  }

  // ---- instance state ----
  /** Starts as the class VERSION; hydration sets the received version. */
  VERSION: string;
  _changed_fields = new Set<string>();
  _context: unknown;
  /** The service-side world this object lives in (registry, indirection API). */
  _world: ObjectWorld | null;
  _obj_version_manifest: Record<string, string> | null = null;
  private readonly _obj_values = new Map<string, unknown>();

  constructor(kwargs: Record<string, unknown> = {}, opts: VersionedObjectOptions = {}) {
    const cls = this.constructor as VersionedObjectClass;
    this.VERSION = cls.VERSION;
    this._context = opts.context ?? null;
    this._world = opts.world ?? null;
    for (const [k, v] of Object.entries(kwargs)) this.set(k, v);
  }

  get cls(): VersionedObjectClass {
    return this.constructor as VersionedObjectClass;
  }
  get fields(): Record<string, Field> {
    return obj_fields_of(this.cls);
  }
  get obj_fields(): string[] {
    return [...Object.keys(this.fields), ...this.cls.obj_extra_fields];
  }
  get obj_relationships(): Record<string, Relationship> {
    return this.cls.obj_relationships;
  }
  obj_name(): string {
    return this.cls.obj_name();
  }
  obj_compat_flavour(): CompatFlavour {
    return this.cls.OBJ_COMPAT;
  }
  protected _exc_module(): string {
    return this.cls.exception_module();
  }

  // ---- field access ----
  obj_attr_is_set(attrname: string): boolean {
    if (!this.obj_fields.includes(attrname)) {
      throw new PyAttributeError(`${this.obj_name()} object has no attribute '${attrname}'`);
    }
    return this._obj_values.has(attrname);
  }

  /** getattr(obj, name): lazy-loads through obj_load_attr when unset. */
  get<T = unknown>(name: string): T {
    if (!hasOwn(this.fields, name)) {
      throw new PyAttributeError(`'${this.obj_name()}' object has no attribute '${name}'`);
    }
    if (!this._obj_values.has(name)) this.obj_load_attr(name);
    if (!this._obj_values.has(name)) {
      throw new PyAttributeError(`'${this.obj_name()}' object has no attribute '${name}'`);
    }
    return this._obj_values.get(name) as T;
  }

  /** setattr(obj, name, value): coerce, honour read_only, mark changed. */
  set(name: string, value: unknown): void {
    const field = hasOwn(this.fields, name) ? this.fields[name] : undefined;
    if (!field) throw new PyAttributeError(`'${this.obj_name()}' object has no attribute '${name}'`);
    const coerced = field.coerce(this, name, value);
    if (field.read_only && this._obj_values.has(name)) {
      if (!pyEquals(this._obj_values.get(name), coerced)) {
        throw new ReadOnlyFieldError({ field: name }, this._exc_module());
      }
      return;
    }
    this._changed_fields.add(name);
    this._obj_values.set(name, coerced);
  }

  /** delattr(obj, name): the field becomes unset (the next get lazy-loads). */
  del(name: string): void {
    if (!this._obj_values.has(name)) throw new PyAttributeError(`No such attribute \`${name}'`);
    this._obj_values.delete(name);
  }

  /** NovaObjectDictCompat.get(key, default). */
  getOr<T = unknown>(name: string, dflt: T): T {
    if (!this.obj_fields.includes(name)) {
      throw new PyAttributeError(`'${this.obj_name()}' object has no attribute '${name}'`);
    }
    return this.obj_attr_is_set(name) ? this.get<T>(name) : dflt;
  }

  update(updates: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(updates)) this.set(k, v);
  }

  /** (name, value) of every set field. */
  items(): Array<[string, unknown]> {
    return Object.keys(this.fields)
      .filter((n) => this._obj_values.has(n))
      .map((n) => [n, this._obj_values.get(n)]);
  }

  obj_load_attr(attrname: string): void {
    throw new PyNotImplementedError(`Cannot load '${attrname}' in the base class`);
  }

  obj_set_defaults(...attrs: string[]): void {
    const names = attrs.length
      ? attrs
      : Object.entries(this.fields)
          .filter(([, f]) => f.default !== UnspecifiedDefault)
          .map(([n]) => n);
    for (const attr of names) {
      const field = hasOwn(this.fields, attr) ? this.fields[attr] : undefined;
      if (!field) throw new PyAttributeError(`'${this.obj_name()}' object has no attribute '${attr}'`);
      if (field.default === UnspecifiedDefault) {
        throw new ObjectActionError(
          { action: 'set_defaults', reason: `No default set for field ${attr}` },
          this._exc_module(),
        );
      }
      if (!this.obj_attr_is_set(attr)) this.set(attr, deepCopyValue(field.default));
    }
  }

  // ---- change tracking ----
  /** Own changes plus every set sub-object field whose object reports changes. */
  obj_what_changed(): Set<string> {
    const changes = new Set(this._changed_fields);
    for (const name of Object.keys(this.fields)) {
      const v = this._obj_values.get(name);
      if (isVersionedObject(v) && (v as unknown as VersionedObject).obj_what_changed().size > 0) changes.add(name);
    }
    return changes;
  }

  obj_get_changes(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.obj_what_changed()) out[k] = this.get(k);
    return out;
  }

  obj_reset_changes(fields: string[] | null = null, recursive = false): void {
    if (recursive) {
      for (const name of Object.keys(this.obj_get_changes())) {
        if (fields && !fields.includes(name)) continue;
        if (!this.obj_attr_is_set(name)) continue;
        const value = this.get(name);
        if (value === null) continue;
        const field = this.fields[name]!;
        if (isObjectField(field)) (value as VersionedObject).obj_reset_changes(null, true);
        else if (isListOfObjectsField(field)) {
          for (const thing of value as VersionedObject[]) thing.obj_reset_changes(null, true);
        }
      }
    }
    if (fields) for (const f of fields) this._changed_fields.delete(f);
    else this._changed_fields.clear();
  }

  /**
   * Deep copy (NovaObject.__deepcopy__): same class, context and world, set
   * fields deep-copied, same changes. Like Python, the copy's VERSION is the
   * class VERSION, not a version received over the wire.
   */
  obj_clone(): this {
    const Ctor = this.constructor as new (k?: Record<string, unknown>, o?: VersionedObjectOptions) => this;
    const nobj = new Ctor({}, { context: this._context, world: this._world });
    for (const name of Object.keys(this.fields)) {
      if (this._obj_values.has(name)) nobj.set(name, deepCopyValue(this._obj_values.get(name)));
    }
    nobj._changed_fields = new Set(this._changed_fields);
    return nobj;
  }

  // ---- serialization ----
  obj_to_primitive(target_version: string | null = null, version_manifest: Record<string, string> | null = null): Primitive {
    const cls = this.cls;
    let target = target_version;
    if (cls.OBJ_COMPAT === 'ovo') {
      if (target === null || target === undefined) target = this.VERSION;
      if (compare_tuples(convert_version_to_tuple(target), convert_version_to_tuple(this.VERSION)) > 0) {
        throw new InvalidTargetVersion({ version: target }, this._exc_module());
      }
    }
    const data: Primitive = {};
    for (const [name, field] of Object.entries(this.fields)) {
      if (this._obj_values.has(name)) data[name] = field.to_primitive(this, name, this._obj_values.get(name));
    }
    if (cls.OBJ_COMPAT === 'ovo') {
      // 0.10: `if target_version != self.VERSION`; 1.x adds `or version_manifest`.
      const manifest = cls.OVO_SERIES === '1.x' && version_manifest !== null && Object.keys(version_manifest).length > 0;
      if (target !== this.VERSION || manifest) this.obj_make_compatible_from_manifest(data, target!, version_manifest);
    } else if (target) {
      // nova (Juno/Kilo) converts whenever a target is given, even the same version.
      this.obj_make_compatible(data, target);
    }
    const key = (f: string) => cls._obj_primitive_key(f);
    const obj: Primitive = {
      [key('name')]: this.obj_name(),
      [key('namespace')]: cls.OBJ_PROJECT_NAMESPACE,
      [key('version')]: target || this.VERSION,
      [key('data')]: data,
    };
    const changed = this.obj_what_changed();
    if (changed.size) obj[key('changes')] = [...changed];
    return obj;
  }

  /**
   * Make `primitive` (the data dict) suitable for `target_version`. The base
   * only handles sub-objects; subclasses call super then strip/convert their
   * own fields.
   */
  obj_make_compatible(primitive: Primitive, target_version: string): void {
    const flavour = this.cls.OBJ_COMPAT;
    if (flavour === 'juno') return;
    for (const [key, field] of Object.entries(this.fields)) {
      if (!isObjectField(field) && !isListOfObjectsField(field)) continue;
      if (!this.obj_attr_is_set(key)) continue;
      if (flavour === 'kilo' && !hasOwn(this.obj_relationships, key)) {
        // A coding error in nova: every sub-object field needs a rule.
        throw new ObjectActionError(
          { action: 'obj_make_compatible', reason: `No rule for ${key}` },
          this._exc_module(),
        );
      }
      this._obj_make_obj_compatible(primitive, target_version, key);
    }
  }

  obj_make_compatible_from_manifest(
    primitive: Primitive,
    target_version: string,
    version_manifest: Record<string, string> | null,
  ): void {
    const saved = this._obj_version_manifest;
    this._obj_version_manifest = version_manifest;
    try {
      this.obj_make_compatible(primitive, target_version);
    } finally {
      this._obj_version_manifest = saved;
    }
  }

  /**
   * Kilo: the version a child should have when this object goes to
   * target_version; null means "the child did not exist then: drop it".
   * Beyond the last pair it is the last pair's child version.
   */
  obj_calculate_child_version(target_version: string, child: string): string | null {
    const rels = hasOwn(this.obj_relationships, child) ? this.obj_relationships[child] : undefined;
    if (!rels) throw new PyKeyError(`'${child}'`);
    const target = convert_version_to_tuple(target_version);
    for (let index = 0; index < rels.length; index++) {
      const [my_version, child_version] = rels[index]!;
      const cmp = compare_tuples(target, convert_version_to_tuple(my_version));
      if (cmp < 0) return index === 0 ? null : rels[index - 1]![1];
      if (cmp === 0) return child_version;
    }
    return rels.length ? rels[rels.length - 1]![1] : null;
  }

  /** Backlevel one sub-object field inside `primitive` (flavour-specific). */
  _obj_make_obj_compatible(primitive: Primitive, target_version: string, field: string): void {
    if (this.cls.OBJ_COMPAT === 'ovo') {
      const rels = this._obj_relationship_for(field, target_version);
      if (!rels || rels.length === 0) return;
      try {
        _get_subobject_version(target_version, rels, (ver) => _do_subobject_backport(ver, this, field, primitive));
      } catch (e) {
        if (e instanceof TargetBeforeSubobjectExistedException) delete primitive[field];
        else throw e;
      }
      return;
    }
    const child_version = this.obj_calculate_child_version(target_version, field);
    if (child_version === null) {
      delete primitive[field];
      return;
    }
    const value = this.get(field);
    if (value === null) return;
    if (isVersionedObject(value)) {
      const child = value as unknown as VersionedObject;
      const sub = primitive[field] as Primitive;
      const verKey = child.cls._obj_primitive_key('version');
      // Only convert when the label differs; relabel in every case.
      if (child_version !== sub[verKey]) {
        child.obj_make_compatible(sub[child.cls._obj_primitive_key('data')] as Primitive, child_version);
      }
      sub[verKey] = child_version;
    } else if (Array.isArray(value)) {
      const subs = primitive[field] as Primitive[];
      value.forEach((element: VersionedObject, i) => {
        element.obj_make_compatible(subs[i]![element.cls._obj_primitive_key('data')] as Primitive, child_version);
        subs[i]![element.cls._obj_primitive_key('version')] = child_version;
      });
    }
  }

  /** ovo: the relationship list for a field, or the manifest-derived one. */
  _obj_relationship_for(field: string, target_version: string): Relationship | null {
    if (!this._obj_version_manifest) {
      const rels = hasOwn(this.obj_relationships, field) ? this.obj_relationships[field] : undefined;
      if (!rels) {
        throw new ObjectActionError(
          { action: 'obj_make_compatible', reason: `No rule for ${field}` },
          this._exc_module(),
        );
      }
      return rels;
    }
    const objname = childObjName(this.fields[field]!);
    if (objname === null || !hasOwn(this._obj_version_manifest, objname)) return null;
    return [[target_version, this._obj_version_manifest[objname]!]];
  }

  /** Object.from_primitive for nested envelopes: same world, same context, no backport. */
  _obj_hydrate_child(primitive: unknown): VersionedObject {
    if (!this._world) {
      throw new PyTypeError(`${this.obj_name()} has no object world to hydrate a sub-object with`);
    }
    return (baseOf(this.cls) as VersionedObjectClass).obj_from_primitive(primitive, this._world, this._context);
  }

  toString(): string {
    const parts = Object.entries(this.fields)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, field]) => `${name}=${this._obj_values.has(name) ? field.stringify(this._obj_values.get(name)) : '<?>'}`);
    return `${this.obj_name()}(${parts.join(',')})`;
  }
}
(VersionedObject.prototype as unknown as Record<symbol, boolean>)[VERSIONED_OBJECT] = true;

/** The release base a class belongs to (the class that defines the envelope keys). */
function baseOf(cls: VersionedObjectClass): VersionedObjectClass {
  let c: VersionedObjectClass = cls;
  for (;;) {
    const parent = Object.getPrototypeOf(c) as VersionedObjectClass;
    if (!parent || parent === (Function.prototype as unknown)) return c;
    if (
      parent.OBJ_SERIAL_NAMESPACE !== c.OBJ_SERIAL_NAMESPACE ||
      parent.OBJ_PROJECT_NAMESPACE !== c.OBJ_PROJECT_NAMESPACE ||
      parent.OBJ_COMPAT !== c.OBJ_COMPAT
    ) {
      return c;
    }
    if (parent === (VersionedObject as unknown)) return parent;
    c = parent;
  }
}

/**
 * oslo.versionedobjects _get_subobject_version: like Kilo's calculation
 * except that beyond every pair nothing happens, and the backport function
 * runs even when the version is unchanged.
 */
export function _get_subobject_version(
  tgt_version: string,
  relationships: Relationship,
  backport_func: (ver: string) => void,
): void {
  const tgt = convert_version_to_tuple(tgt_version);
  for (let index = 0; index < relationships.length; index++) {
    const [parent, child] = relationships[index]!;
    const cmp = compare_tuples(tgt, convert_version_to_tuple(parent));
    if (cmp < 0) {
      if (index === 0) throw new TargetBeforeSubobjectExistedException({ target_version: tgt_version });
      backport_func(relationships[index - 1]![1]);
      return;
    }
    if (cmp === 0) {
      backport_func(child);
      return;
    }
  }
}

/** ovo _do_subobject_backport: convert (with the parent's manifest) and relabel. */
export function _do_subobject_backport(
  to_version: string,
  parent: VersionedObject,
  field: string,
  primitive: Primitive,
): void {
  const obj = parent.get(field);
  const manifest = parent._obj_version_manifest;
  if (isVersionedObject(obj)) {
    const child = obj as unknown as VersionedObject;
    const sub = primitive[field] as Primitive;
    child.obj_make_compatible_from_manifest(sub[child.cls._obj_primitive_key('data')] as Primitive, to_version, manifest);
    sub[child.cls._obj_primitive_key('version')] = to_version;
  } else if (Array.isArray(obj)) {
    const subs = primitive[field] as Primitive[];
    obj.forEach((element: VersionedObject, i) => {
      element.obj_make_compatible_from_manifest(
        subs[i]![element.cls._obj_primitive_key('data')] as Primitive,
        to_version,
        manifest,
      );
      subs[i]![element.cls._obj_primitive_key('version')] = to_version;
    });
  }
}

// ---------------------------------------------------------------- release bases

/** oslo.versionedobjects defaults: versioned_object.* keys, namespace "versionedobjects". */
export { VersionedObject as OvoVersionedObject };

/** nova 2014.2 NovaObject. */
export class JunoNovaObject extends VersionedObject {
  static override OBJ_COMPAT: CompatFlavour = 'juno';
  static override OBJ_SERIAL_NAMESPACE = 'nova_object';
  static override OBJ_PROJECT_NAMESPACE = 'nova';
}

/** nova 2015.1.0 NovaObject. */
export class KiloNovaObject extends VersionedObject {
  static override OBJ_COMPAT: CompatFlavour = 'kilo';
  static override OBJ_SERIAL_NAMESPACE = 'nova_object';
  static override OBJ_PROJECT_NAMESPACE = 'nova';
}

/** nova 12.0.0 NovaObject: oslo.versionedobjects 0.10 with nova's envelope keys. */
export class LibertyNovaObject extends VersionedObject {
  static override OBJ_COMPAT: CompatFlavour = 'ovo';
  static override OBJ_SERIAL_NAMESPACE = 'nova_object';
  static override OBJ_PROJECT_NAMESPACE = 'nova';
}

/**
 * nova 13.0.0 NovaObject: oslo.versionedobjects 1.x (Mitaka's upper
 * constraint 1.8.0) with nova's envelope keys. nova itself has no
 * obj_relationships any more: backports follow the version manifest.
 */
export class MitakaNovaObject extends LibertyNovaObject {
  static override OVO_SERIES: OvoSeries = '1.x';
}

/** NovaPersistentObject's fields, to spread into a class's `fields`. */
export function persistentObjectFields(): Record<string, Field> {
  return {
    created_at: DateTimeField({ nullable: true }),
    updated_at: DateTimeField({ nullable: true }),
    deleted_at: DateTimeField({ nullable: true }),
    deleted: BooleanField({ default: false }),
  };
}

// ---------------------------------------------------------------- lists

const listClassCache = new WeakMap<object, unknown>();

/** The statics of B plus a constructor whose instances also have the list helpers. */
export type ObjectListClass<B extends VersionedObjectClass> = Omit<B, 'prototype'> & {
  new (kwargs?: Record<string, unknown>, opts?: VersionedObjectOptions): InstanceType<B> & ObjectListMethods;
  prototype: InstanceType<B> & ObjectListMethods;
};

/** Instance side of a list class built with ObjectListBase(). */
export interface ObjectListMethods {
  readonly objects: VersionedObject[];
  readonly length: number;
  at(index: number): VersionedObject | undefined;
  [Symbol.iterator](): Iterator<VersionedObject>;
  slice(start?: number, end?: number): VersionedObject & ObjectListMethods;
}

/**
 * ObjectListBase mixin: `class InstanceList extends ObjectListBase(KiloNovaObject)`.
 * Adds the `objects` field, list helpers and the list backport rules of the
 * base's flavour (Kilo: child_versions[target] by exact string, default
 * "1.0", every element converted and relabelled; ovo: child_versions or
 * obj_relationships['objects'] through _get_subobject_version).
 */
export function ObjectListBase<B extends VersionedObjectClass>(Base: B): ObjectListClass<B> {
  const cached = listClassCache.get(Base);
  if (cached) return cached as ObjectListClass<B>;
  const made = makeList(Base);
  listClassCache.set(Base, made);
  return made;
}

function makeList<B extends VersionedObjectClass>(Base: B): ObjectListClass<B> {
  class ObjectList extends (Base as VersionedObjectClass) implements ObjectListMethods {
    static override fields: Record<string, Field> = { objects: new ListOfObjectsField('VersionedObject') };
    static override obj_is_list = true;

    constructor(kwargs: Record<string, unknown> = {}, opts: VersionedObjectOptions = {}) {
      super(kwargs, opts);
      if (!hasOwn(kwargs, 'objects')) {
        this.set('objects', []);
        this._changed_fields.delete('objects');
      }
    }
    get objects(): VersionedObject[] {
      return this.get<VersionedObject[]>('objects');
    }
    get length(): number {
      return this.objects.length;
    }
    at(index: number): VersionedObject | undefined {
      return this.objects.at(index);
    }
    [Symbol.iterator](): Iterator<VersionedObject> {
      return this.objects[Symbol.iterator]();
    }
    /** list[a:b]: a new list object, changes reset, same context. */
    slice(start?: number, end?: number): VersionedObject & ObjectListMethods {
      const Ctor = this.constructor as new (k?: Record<string, unknown>, o?: VersionedObjectOptions) => ObjectList;
      const n = new Ctor({}, { context: this._context, world: this._world });
      n.set('objects', this.objects.slice(start, end));
      n.obj_reset_changes();
      return n as unknown as VersionedObject & ObjectListMethods;
    }

    override obj_what_changed(): Set<string> {
      const changes = new Set(this._changed_fields);
      for (const child of this.objects) if (child.obj_what_changed().size) changes.add('objects');
      return changes;
    }

    override obj_make_compatible(primitive: Primitive, target_version: string): void {
      const cls = this.cls;
      if (cls.OBJ_COMPAT !== 'ovo') {
        const primitives = primitive['objects'] as Primitive[];
        const child = Object.prototype.hasOwnProperty.call(cls.child_versions, target_version)
          ? cls.child_versions[target_version]!
          : '1.0';
        this.objects.forEach((item, index) => {
          item.obj_make_compatible(primitives[index]![item.cls._obj_primitive_key('data')] as Primitive, child);
          primitives[index]![item.cls._obj_primitive_key('version')] = child;
        });
        return;
      }
      const hasChildVersions = Object.keys(cls.child_versions).length > 0;
      const hasRels = Object.keys(cls.obj_relationships).length > 0;
      if (cls.OVO_SERIES === '1.x') {
        // 1.x: child_versions, else _obj_relationship_for('objects') (ObjectActionError -> {}); nothing -> '1.0'.
        let rels: Relationship | null = null;
        if (hasChildVersions) {
          rels = Object.entries(cls.child_versions).sort(([a], [b]) => compare_tuples(convert_version_to_tuple(a), convert_version_to_tuple(b)));
        } else {
          try {
            rels = this._obj_relationship_for('objects', target_version);
          } catch (e) {
            if (!(e instanceof ObjectActionError)) throw e;
            rels = null;
          }
        }
        try {
          if (rels && rels.length) _get_subobject_version(target_version, rels, (ver) => _do_subobject_backport(ver, this, 'objects', primitive));
          else _do_subobject_backport('1.0', this, 'objects', primitive);
        } catch (e) {
          if (e instanceof TargetBeforeSubobjectExistedException) delete primitive['objects'];
          else throw e;
        }
        return;
      }
      try {
        if (hasChildVersions) {
          // Python iterated dict.items() in hash order; oldest-first is the only sensible order.
          const rels = Object.entries(cls.child_versions).sort(([a], [b]) =>
            compare_tuples(convert_version_to_tuple(a), convert_version_to_tuple(b)),
          );
          _get_subobject_version(target_version, rels, (ver) => _do_subobject_backport(ver, this, 'objects', primitive));
        } else if (hasRels) {
          const rels = this._obj_relationship_for('objects', target_version);
          if (rels === null) throw new PyTypeError("'NoneType' object is not iterable");
          _get_subobject_version(target_version, rels, (ver) => _do_subobject_backport(ver, this, 'objects', primitive));
        } else {
          _do_subobject_backport('1.0', this, 'objects', primitive);
        }
      } catch (e) {
        if (e instanceof TargetBeforeSubobjectExistedException) delete primitive['objects'];
        else throw e;
      }
    }

    override toString(): string {
      const field = this.fields['objects']!;
      return `${this.obj_name()}(objects=${field.stringify(this.objects)})`;
    }
  }
  return ObjectList as unknown as ObjectListClass<B>;
}

export function isObjectList(v: unknown): v is VersionedObject & ObjectListMethods {
  return isVersionedObject(v) && (v as unknown as VersionedObject).cls.obj_is_list;
}

export { lookupTable };
