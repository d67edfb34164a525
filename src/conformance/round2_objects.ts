/**
 * Round-2 object categories that need no nova model: ovo_subobject_version
 * (oslo.versionedobjects' sub-object rule, through the core's
 * _obj_relationship_for / _get_subobject_version / _do_subobject_backport)
 * and the Liberty / generic ovo variants of deserialize_entity (the core's
 * NovaObjectSerializer with the 'liberty' and 'ovo' logic and a registry
 * built from the case's classes).
 */
import { PyException } from '../oslo/exception';
import {
  Field as FieldCls,
  AnyType,
  LibertyNovaObject,
  MitakaNovaObject,
  ListOfObjectsField,
  NovaObjectSerializer,
  ObjectField,
  ObjectRegistry,
  ObjectWorld,
  TargetBeforeSubobjectExistedException,
  VersionedObject,
  _do_subobject_backport,
  _get_subobject_version,
  type Field,
  type IndirectionAPI,
  type Primitive,
  type SerializerLogic,
  type VersionedObjectClass,
} from '../oslo/objects';

type Json = Record<string, unknown>;

const AnyField = (o: { nullable?: boolean } = {}): Field => new FieldCls(new AnyType(), o);

/** category ovo_subobject_version */
export function runOvoSubobjectVersion(input: Json): Json {
  const relationships = (input.relationships ?? []) as Array<[string, string]>;
  const childName = String(input.child_objname ?? 'MyOwnedObject');
  const childValue = String(input.child_value ?? 'object');
  const childVersion = input.child_current_version === null || input.child_current_version === undefined ? '1.0' : String(input.child_current_version);
  const calls: string[] = [];

  class Child extends (LibertyNovaObject as typeof VersionedObject) {
    static override VERSION = childVersion;
    static override fields = { baz: AnyField({ nullable: true }) };
    static override obj_name() {
      return childName;
    }
    override obj_make_compatible(primitive: Primitive, target_version: string): void {
      calls.push(target_version);
      super.obj_make_compatible(primitive, target_version);
    }
  }
  const field: Field = childValue === 'list' ? new ListOfObjectsField(childName, { nullable: true }) : new ObjectField(childName, { nullable: true });
  class Parent extends (LibertyNovaObject as typeof VersionedObject) {
    static override VERSION = relationships.length ? relationships[relationships.length - 1]![0] : '1.0';
    static override fields = { rel_object: field };
    static override obj_relationships = { rel_object: relationships };
    static override obj_name() {
      return 'MyObj';
    }
  }
  const value = childValue === 'null' ? null : childValue === 'list' ? [new Child({ baz: 1 }), new Child({ baz: 2 })] : new Child({ baz: 1 });
  const parent = new Parent({ rel_object: value });
  const data = parent.obj_to_primitive()[Parent._obj_primitive_key('data')] as Primitive;
  const target = String(input.parent_target_version);
  if (input.version_manifest) parent._obj_version_manifest = input.version_manifest as Record<string, string>;
  let backport_func_arg: string | null = null;
  try {
    // VersionedObject._obj_make_obj_compatible, with the backport function observed.
    const rels = parent._obj_relationship_for('rel_object', target);
    if (rels && rels.length > 0) {
      try {
        _get_subobject_version(target, rels, (ver) => {
          backport_func_arg = ver;
          _do_subobject_backport(ver, parent, 'rel_object', data);
        });
      } catch (e) {
        if (e instanceof TargetBeforeSubobjectExistedException) delete data.rel_object;
        else throw e;
      }
    }
  } catch (e) {
    const pe = e as PyException;
    return { action: 'error', exception: { class: pe.pyClass, message: pe.message } };
  } finally {
    parent._obj_version_manifest = null;
  }
  const verKey = Child._obj_primitive_key('version');
  if (!('rel_object' in data)) {
    return { action: 'remove_field', child_version: null, child_obj_make_compatible_called: calls.length > 0, backport_func_arg };
  }
  const sub = data.rel_object;
  const label = sub === null ? null : Array.isArray(sub) ? ((sub[0] as Primitive | undefined)?.[verKey] ?? null) : (sub as Primitive)[verKey];
  return {
    action: calls.length > 0 ? 'backport' : 'keep',
    child_version: label,
    child_obj_make_compatible_called: calls.length > 0,
    backport_func_arg,
  };
}

interface ClassSpec {
  versions: string[];
  children: string[];
}

/**
 * deserialize_entity with receiver_classes (round 2): the receiver's registry
 * holds every named class at every listed version; object fields follow
 * `children` (named as in received_children where given).
 */
export async function runDeserializeEntityClasses(input: Json): Promise<Json> {
  const logicName = String(input.serializer_logic ?? 'liberty');
  // 'mitaka': 12.0.0's serializer logic (unchanged in 13.0.0) over oslo.versionedobjects 1.x objects.
  const logic = (logicName === 'mitaka' ? 'liberty' : logicName) as SerializerLogic;
  const classes = (input.receiver_classes ?? {}) as Record<string, ClassSpec>;
  const objname = String(input.received_objname);
  const receivedChildren = (input.received_children ?? []) as Array<{ field: string; objname: string; version: string }>;
  const dataKeys = (input.received_data_keys ?? null) as string[] | null;
  const scalarFields = (input.receiver_class_fields ?? null) as string[] | null;
  const base = logic === 'ovo' ? VersionedObject : logicName === 'mitaka' ? MitakaNovaObject : LibertyNovaObject;
  const key = (f: string) => base._obj_primitive_key(f);

  const registry = new ObjectRegistry({ name: 'receiver', exception_module: logic === 'ovo' ? 'oslo_versionedobjects.exception' : 'nova.exception' });
  const fieldNameFor = (parent: string, child: string) =>
    parent === objname ? (receivedChildren.find((c) => c.objname === child)?.field ?? `f_${child}`) : `f_${child}`;
  for (const [name, spec] of Object.entries(classes)) {
    for (const version of spec.versions) {
      const fields: Record<string, Field> = {};
      if (name === objname && scalarFields) for (const f of scalarFields) fields[f] = AnyField({ nullable: true });
      else fields.foo = AnyField({ nullable: true });
      // children describe the newest class; older ones are given the same tree
      for (const child of spec.children) fields[fieldNameFor(name, child)] = new ObjectField(child, { nullable: true });
      const C = class extends (base as typeof VersionedObject) {
        static override VERSION = version;
        static override fields = fields;
        static override obj_name() {
          return name;
        }
      };
      registry.register(C as unknown as VersionedObjectClass);
    }
  }

  const indirection_calls: string[] = [];
  let backport_call: Json | null = null;
  const reply = (target: string) => {
    const cls = registry.obj_class_from_name(objname, target);
    const obj = new cls({}, { world });
    obj.VERSION = target;
    return obj;
  };
  const mode = input.indirection_api === undefined ? 'backport_versions' : input.indirection_api;
  const api: IndirectionAPI | null =
    logic === 'ovo' && mode === null
      ? null
      : {
          async object_backport_versions(_ctxt, _prim, object_versions) {
            indirection_calls.push('object_backport_versions');
            if (logic === 'ovo' && mode === 'backport_only') throw new PyException('NotImplementedError', 'exceptions', '');
            backport_call = { method: 'object_backport_versions', object_versions };
            return reply(object_versions[objname]!);
          },
          async object_backport(_ctxt, _prim, target_version) {
            indirection_calls.push('object_backport');
            backport_call = { method: 'object_backport', target_version };
            return reply(target_version);
          },
        };
  const world = new ObjectWorld({ registry, indirection_api: logic === 'ovo' ? api : null });
  const serializer = new NovaObjectSerializer({ logic, world, conductor: logic === 'ovo' ? null : api, base });

  const data: Json = {};
  for (const k of dataKeys ?? []) data[k] = `${k}-value`;
  for (const c of receivedChildren) {
    data[c.field] = { [key('name')]: c.objname, [key('namespace')]: base.OBJ_PROJECT_NAMESPACE, [key('version')]: c.version, [key('data')]: {} };
  }
  const primitive: Primitive = {
    [key('name')]: objname,
    [key('namespace')]: base.OBJ_PROJECT_NAMESPACE,
    [key('version')]: String(input.received_version),
    [key('data')]: data,
  };
  try {
    const result = await serializer.deserialize_entity({ request_id: 'req-conformance' }, primitive);
    const obj = result instanceof VersionedObject ? result : null;
    return {
      backport_call,
      indirection_calls,
      raises: null,
      result_class_version: obj ? obj.cls.VERSION : null,
      object_VERSION_attribute: obj ? obj.VERSION : null,
      fields_set: obj ? Object.keys(obj.fields).filter((f) => obj.obj_attr_is_set(f)) : [],
    };
  } catch (e) {
    return {
      backport_call,
      indirection_calls,
      raises: e instanceof PyException ? e.pyClass : e instanceof Error ? e.name : 'Exception',
      result_class_version: null,
      object_VERSION_attribute: null,
      fields_set: [],
    };
  }
}
