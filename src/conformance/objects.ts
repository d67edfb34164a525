/**
 * Conformance adapters for the versioned-object categories. Each builds a
 * tiny registry of throw-away classes from the case input and drives the
 * real core (src/oslo/objects), then reports what happened in the keys the
 * conformance README defines.
 */
import { PyException } from '../oslo/exception';
import {
  IntegerField,
  JunoNovaObject,
  KiloNovaObject,
  LibertyNovaObject,
  MitakaNovaObject,
  NovaObjectSerializer,
  ObjectField,
  ObjectRegistry,
  ObjectWorld,
  StringField,
  VersionedObject,
  type CompatFlavour,
  type IndirectionAPI,
  type Primitive,
  type SerializerLogic,
  type VersionedObjectClass,
} from '../oslo/objects';

type Json = Record<string, unknown>;

function baseFor(logic: string): VersionedObjectClass {
  switch (logic) {
    case 'icehouse':
    case 'juno':
      return JunoNovaObject;
    case 'liberty':
      return LibertyNovaObject;
    case 'mitaka':
      return MitakaNovaObject;
    case 'ovo':
      return VersionedObject;
    default:
      return KiloNovaObject;
  }
}

/** A registrable class named `name` at `version` on `base`. */
function makeClass(base: VersionedObjectClass, name: string, version: string): VersionedObjectClass {
  const cls = class extends (base as typeof KiloNovaObject) {
    static override VERSION = version;
    static override fields = { foo: IntegerField({ default: 1 }), bar: StringField({ nullable: true }) };
    static override obj_name() {
      return name;
    }
  };
  return cls as unknown as VersionedObjectClass;
}

function errorActual(e: unknown): Json {
  if (e instanceof PyException) return { outcome: e.pyClass, exception: { class: e.pyClass, message: e.message, kwargs: e.kwargs } };
  return { outcome: 'error', exception: { class: 'Error', message: String(e) } };
}

/** category obj_class_from_name */
export function runObjClassFromName(input: Json): Json {
  const registry = new ObjectRegistry({ name: 'conformance' });
  const base = baseFor(String(input.flavour ?? 'kilo'));
  for (const [name, versions] of Object.entries((input.registry ?? {}) as Record<string, string[]>)) {
    for (const v of versions) registry.register(makeClass(base, name, v));
  }
  try {
    const cls = registry.obj_class_from_name(String(input.objname), String(input.objver));
    return { outcome: 'class', class_version: cls.VERSION };
  } catch (e) {
    if (e instanceof PyException && e.pyClass === 'IncompatibleObjectVersion') {
      return {
        outcome: 'IncompatibleObjectVersion',
        class_version: null,
        objname: e.kwargs.objname,
        objver: e.kwargs.objver,
        supported: e.kwargs.supported,
      };
    }
    if (e instanceof PyException && e.pyClass === 'UnsupportedObjectError') {
      return { outcome: 'UnsupportedObjectError', class_version: null, objtype: e.kwargs.objtype };
    }
    return errorActual(e);
  }
}

/** category deserialize_entity */
export async function runDeserializeEntity(input: Json): Promise<Json> {
  const logicName = String(input.serializer_logic ?? 'kilo');
  // 13.0.0's NovaObjectSerializer._process_object is 12.0.0's; its objects are on oslo.versionedobjects 1.x.
  const logic = (logicName === 'mitaka' ? 'liberty' : logicName) as SerializerLogic;
  const base = baseFor(logicName);
  const objname = String(input.objname ?? 'MyObj');
  const registry = new ObjectRegistry({ name: 'receiver' });
  for (const v of (input.receiver_registry_versions ?? []) as string[]) registry.register(makeClass(base, objname, v));

  const calls: Array<{ method: string; target_version: string }> = [];
  // Stands in for nova-conductor: records the request and returns an object of
  // the receiver's version, as the RPC reply would deserialize to.
  const backportTo = (target: string) => {
    const cls = registry.obj_class_from_name(objname, target);
    const obj = new cls({ foo: 1 }, { world });
    obj.VERSION = target;
    return obj;
  };
  const conductor: IndirectionAPI = {
    async object_backport(_ctxt, _prim, target_version) {
      calls.push({ method: 'object_backport', target_version });
      return backportTo(target_version);
    },
    async object_backport_versions(_ctxt, _prim, versions) {
      const target_version = versions[objname]!;
      calls.push({ method: 'object_backport_versions', target_version });
      return backportTo(target_version);
    },
  };
  let retried_with: string | null = null;
  const world = new ObjectWorld({
    registry,
    indirection_api: logic === 'ovo' ? conductor : null,
    observer: (ev) => {
      if (ev.kind === 'object_hydrate' && ev.outcome === 'retry_without_z') retried_with = ev.objver;
    },
  });
  const serializer = new NovaObjectSerializer({ logic, world, conductor });
  const key = (f: string) => base._obj_primitive_key(f);
  const primitive: Primitive = {
    [key('name')]: objname,
    [key('namespace')]: base.OBJ_PROJECT_NAMESPACE,
    [key('version')]: String(input.received_version),
    [key('data')]: { foo: 1 },
  };
  try {
    const result = await serializer.deserialize_entity({ request_id: 'req-conformance' }, primitive);
    const obj = result instanceof VersionedObject ? result : null;
    return {
      outcome: 'hydrated',
      backport_call: calls[0] ?? null,
      result_class_version: obj ? obj.cls.VERSION : null,
      object_VERSION_attribute: obj ? obj.VERSION : null,
      retried_with,
    };
  } catch (e) {
    return { ...errorActual(e), backport_call: calls[0] ?? null, result_class_version: null, object_VERSION_attribute: null, retried_with };
  }
}

/** category kilo_subobject_backport (also usable with flavour 'ovo' for comparison) */
export function runKiloSubobjectBackport(input: Json): Json {
  const flavour = (input.flavour ?? 'kilo') as CompatFlavour;
  const base = flavour === 'ovo' ? LibertyNovaObject : flavour === 'juno' ? JunoNovaObject : KiloNovaObject;
  const relationships = (input.relationships ?? []) as Array<[string, string]>;
  const calls: string[] = [];

  class Child extends (base as typeof KiloNovaObject) {
    static override VERSION = String(input.child_current_version);
    static override fields = { baz: IntegerField() };
    static override obj_name() {
      return 'MyOwnedObject';
    }
    override obj_make_compatible(primitive: Primitive, target_version: string): void {
      calls.push(target_version);
      super.obj_make_compatible(primitive, target_version);
    }
  }
  class Parent extends (base as typeof KiloNovaObject) {
    static override VERSION = relationships.length ? relationships[relationships.length - 1]![0] : '1.0';
    static override fields = { rel_object: new ObjectField('MyOwnedObject', { nullable: true }) };
    static override obj_relationships = { rel_object: relationships };
    static override obj_name() {
      return 'MyObj';
    }
  }
  try {
    const parent = new Parent({ rel_object: new Child({ baz: 1 }) });
    const data = parent.obj_to_primitive()[Parent._obj_primitive_key('data')] as Primitive;
    parent._obj_make_obj_compatible(data, String(input.parent_target_version), 'rel_object');
    if (!('rel_object' in data)) {
      return { action: 'remove_field', child_version: null, child_obj_make_compatible_called: calls.length > 0 };
    }
    const sub = data.rel_object as Primitive;
    return {
      action: calls.length ? 'backport' : 'keep',
      child_version: sub[Child._obj_primitive_key('version')],
      child_obj_make_compatible_called: calls.length > 0,
    };
  } catch (e) {
    return errorActual(e);
  }
}
