/**
 * The object class registry (NovaObjectMetaclass._obj_classes in Juno/Kilo,
 * VersionedObjectRegistry in oslo.versionedobjects) and the per-service
 * "object world" that replaces Python's process-wide state.
 *
 * A registry is an instance, not a global: each simulated service registers
 * the classes of its own release.
 */
import { PyIndexError, PyValueError } from '../exception';
import type { Observer } from '../observer';
import { obj_fields_of, type VersionedObject, type VersionedObjectClass } from './base';
import { IncompatibleObjectVersion, NOVA_EXCEPTION_MODULE, UnsupportedObjectError } from './exceptions';
import { childObjName } from './fields';
import { compare_tuples, convert_version_to_tuple, is_compatible } from './versionutils';

/** tuple(int(x) for x in VERSION.split('.')), as the metaclass sorts with. */
function versTuple(cls: VersionedObjectClass): number[] {
  const v = cls.VERSION;
  if (typeof v !== 'string' || !/^\d+(\.\d+)*$/.test(v)) {
    throw new PyValueError(`invalid literal for int() with base 10 in VERSION '${String(v)}' of ${cls.obj_name()}`);
  }
  return v.split('.').map((x) => parseInt(x, 10));
}

export interface ObjectRegistryOptions {
  /** Module for UnsupportedObjectError on names never registered (default nova.exception). */
  exception_module?: string;
  name?: string;
}

export class ObjectRegistry {
  readonly name: string;
  private readonly _obj_classes = new Map<string, VersionedObjectClass[]>();
  private readonly exception_module: string;

  constructor(opts: ObjectRegistryOptions = {}) {
    this.name = opts.name ?? 'registry';
    this.exception_module = opts.exception_module ?? NOVA_EXCEPTION_MODULE;
  }

  /**
   * Add a class, keeping newest first. An equal VERSION string replaces the
   * existing entry (a later definition of the same version wins).
   */
  register<C extends VersionedObjectClass>(cls: C): C {
    obj_fields_of(cls); // validates the fields, like make_class_properties
    const mine = versTuple(cls);
    const name = cls.obj_name();
    const list = this._obj_classes.get(name) ?? [];
    let placed = false;
    for (let i = 0; i < list.length; i++) {
      const other = list[i]!;
      if (cls.VERSION === other.VERSION) {
        list[i] = cls;
        placed = true;
        break;
      }
      if (compare_tuples(mine, versTuple(other)) > 0) {
        list.splice(i, 0, cls);
        placed = true;
        break;
      }
    }
    if (!placed) list.push(cls);
    this._obj_classes.set(name, list);
    return cls;
  }

  /**
   * Remove a class version (or every version of the name when `version` is
   * omitted); true when something was removed. nova has no such call, but
   * a service started without a class is what an older release looks like,
   * and user code may shape its registry this way.
   */
  unregister(name: string, version?: string): boolean {
    const list = this._obj_classes.get(name);
    if (!list) return false;
    const kept = version === undefined ? [] : list.filter((c) => c.VERSION !== version);
    if (kept.length === list.length) return false;
    if (kept.length === 0) this._obj_classes.delete(name);
    else this._obj_classes.set(name, kept);
    return true;
  }

  register_if(condition: boolean) {
    return <C extends VersionedObjectClass>(cls: C): C => {
      if (condition) this.register(cls);
      else obj_fields_of(cls);
      return cls;
    };
  }

  /** name -> classes, newest first (a copy). */
  obj_classes(): Map<string, VersionedObjectClass[]> {
    return new Map([...this._obj_classes].map(([k, v]) => [k, [...v]]));
  }

  has(name: string): boolean {
    return (this._obj_classes.get(name)?.length ?? 0) > 0;
  }

  /** nova.objects.<Name>: the newest registered class (undefined when unknown). */
  latest<T extends VersionedObject = VersionedObject>(name: string): VersionedObjectClass<T> | undefined {
    return this._obj_classes.get(name)?.[0] as VersionedObjectClass<T> | undefined;
  }

  /** Like latest() but raises UnsupportedObjectError when unknown. */
  get<T extends VersionedObject = VersionedObject>(name: string): VersionedObjectClass<T> {
    const cls = this.latest<T>(name);
    if (!cls) throw new UnsupportedObjectError({ objtype: name }, this.exception_module);
    return cls;
  }

  private moduleFor(name: string): string {
    const known = this._obj_classes.get(name)?.[0] ?? [...this._obj_classes.values()][0]?.[0];
    return known ? known.exception_module() : this.exception_module;
  }

  /**
   * Exact VERSION string match wins; otherwise the newest class of the same
   * major that is >= the requested version; otherwise
   * IncompatibleObjectVersion with supported = the newest VERSION.
   */
  obj_class_from_name(objname: string, objver: string): VersionedObjectClass {
    const classes = this._obj_classes.get(objname);
    if (!classes || classes.length === 0) {
      throw new UnsupportedObjectError({ objtype: objname }, this.moduleFor(objname));
    }
    let compatible: VersionedObjectClass | null = null;
    for (const cls of classes) {
      if (cls.VERSION === objver) return cls;
      // A version that is not dotted integers is Python's ValueError
      // (convert_version_to_tuple's int() of each part), never "newer".
      convert_version_to_tuple(objver);
      if (!compatible && is_compatible(objver, cls.VERSION)) compatible = cls;
    }
    if (compatible) return compatible;
    throw new IncompatibleObjectVersion(
      { objname, objver, supported: classes[0]!.VERSION },
      this.moduleFor(objname),
    );
  }

  /**
   * obj_tree_get_versions: {name: newest VERSION} for the object and every
   * object class reachable through its Object/ListOfObjects fields. An
   * unregistered child raises IndexError, as indexing Python's empty
   * defaultdict entry does.
   */
  obj_tree_get_versions(objname: string, tree: Record<string, string> = {}): Record<string, string> {
    if (Object.prototype.hasOwnProperty.call(tree, objname)) return tree;
    const cls = this._obj_classes.get(objname)?.[0];
    if (!cls) throw new PyIndexError('list index out of range');
    tree[objname] = cls.VERSION;
    for (const field of Object.values(obj_fields_of(cls))) {
      const child = childObjName(field);
      if (child !== null) this.obj_tree_get_versions(child, tree);
    }
    return tree;
  }
}

/**
 * What nova-conductor offers to object code (ConductorAPI / LocalAPI in
 * nova, VersionedObjectIndirectionAPI in ovo). Every method is async: the
 * runtime wires them to RPC calls. Missing methods behave like Python's
 * NotImplementedError.
 */
export interface IndirectionAPI {
  object_class_action?(
    ctxt: unknown,
    objname: string,
    objmethod: string,
    objver: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
  ): Promise<unknown>;
  /** Liberty (conductor 2.3): backports the result with the caller's whole manifest. */
  object_class_action_versions?(
    ctxt: unknown,
    objname: string,
    objmethod: string,
    object_versions: Record<string, string>,
    args: unknown[],
    kwargs: Record<string, unknown>,
  ): Promise<unknown>;
  /** Returns [updates, result]; updates['obj_what_changed'] lists the changed fields. */
  object_action?(
    ctxt: unknown,
    objinst: VersionedObject,
    objmethod: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
  ): Promise<[Record<string, unknown>, unknown]>;
  object_backport?(ctxt: unknown, objinst: unknown, target_version: string): Promise<unknown>;
  object_backport_versions?(
    ctxt: unknown,
    objinst: unknown,
    object_versions: Record<string, string>,
  ): Promise<unknown>;
}

export interface ObjectWorldOptions {
  registry: ObjectRegistry;
  /** NovaObject.indirection_api: set on services that reach the DB through conductor. */
  indirection_api?: IndirectionAPI | null;
  observer?: Observer;
  name?: string;
}

/**
 * Everything Python keeps per process for objects: the registry, the
 * indirection API and (here) an optional observer. One per simulated
 * service; classes are shared, worlds are not.
 */
export class ObjectWorld {
  readonly registry: ObjectRegistry;
  indirection_api: IndirectionAPI | null;
  observer: Observer | undefined;
  readonly name: string;
  constructor(opts: ObjectWorldOptions) {
    this.registry = opts.registry;
    this.indirection_api = opts.indirection_api ?? null;
    this.observer = opts.observer;
    this.name = opts.name ?? opts.registry.name;
  }
}
