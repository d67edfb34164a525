import { describe, expect, it } from 'vitest';
import { PyException } from '../../src/oslo/exception';
import {
  BooleanField,
  compare_versions,
  convert_version_to_tuple,
  DateTimeField,
  DictOfNullableStringsField,
  DictOfStringsField,
  EnumField,
  fieldFromSpec,
  IntegerField,
  IPV4AddressField,
  IPV6AddressField,
  is_compatible,
  JunoNovaObject,
  KiloNovaObject,
  LibertyNovaObject,
  ListOfObjectsField,
  ListOfStringsField,
  ObjectField,
  ObjectListBase,
  ObjectRegistry,
  ObjectWorld,
  persistentObjectFields,
  StringField,
  UUIDField,
  VersionedObject,
  type Primitive,
} from '../../src/oslo/objects';

function pyErr(fn: () => unknown): PyException {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PyException);
    return e as PyException;
  }
  throw new Error('expected an exception');
}

// nova's test_objects.py MyOwnedObject / MyObj, Kilo flavour.
class MyOwnedObject extends KiloNovaObject {
  static override VERSION = '1.0';
  static override fields = { baz: IntegerField() };
  static override obj_name() {
    return 'MyOwnedObject';
  }
}
class MyObj extends KiloNovaObject {
  static override VERSION = '1.6';
  static override fields = {
    ...persistentObjectFields(),
    foo: IntegerField({ default: 1 }),
    bar: StringField(),
    missing: StringField(),
    readonly: IntegerField({ read_only: true }),
    rel_object: new ObjectField('MyOwnedObject', { nullable: true }),
    rel_objects: new ListOfObjectsField('MyOwnedObject', { nullable: true }),
    mutable_default: ListOfStringsField({ default: [] }),
  };
  static override obj_name() {
    return 'MyObj';
  }
  override obj_load_attr(attrname: string): void {
    this.set(attrname, 'loaded!');
  }
  override obj_make_compatible(primitive: Primitive, target_version: string): void {
    super.obj_make_compatible(primitive, target_version);
    if (target_version === '1.1' && 'bar' in primitive) primitive.bar = `old${String(primitive.bar)}`;
  }
}
class MyObjDiffVers extends MyObj {
  static override VERSION = '1.5';
}

function kiloWorld(...classes: Array<typeof VersionedObject>) {
  const registry = new ObjectRegistry();
  for (const c of classes) registry.register(c as never);
  return new ObjectWorld({ registry });
}

describe('versionutils', () => {
  it('parses int tuples strictly and compares like Python tuples', () => {
    expect(convert_version_to_tuple('1.19')).toEqual([1, 19]);
    expect(compare_versions('1.9', '1.10')).toBe(-1);
    expect(compare_versions('1.6', '1.6.0')).toBe(-1); // (1,6) < (1,6,0)
    const e = pyErr(() => convert_version_to_tuple('1.x'));
    expect(e.pyClass).toBe('ValueError');
    expect(e.message).toBe("invalid literal for int() with base 10: 'x'");
    expect(pyErr(() => convert_version_to_tuple(undefined)).pyClass).toBe('TypeError');
  });
  it('is_compatible ignores trailing zeros and needs the same major', () => {
    expect(is_compatible('1.6.0', '1.6')).toBe(true);
    expect(is_compatible('1.6.1', '1.6')).toBe(false);
    expect(is_compatible('1.6', '1.6.1')).toBe(true);
    expect(is_compatible('1.1', '1.6')).toBe(true);
    expect(is_compatible('1.7', '1.6')).toBe(false);
    expect(is_compatible('1.0', '2.0')).toBe(false);
    expect(is_compatible('1.0', '2.0', false)).toBe(true);
    expect(is_compatible('garbage', '1.6')).toBe(false);
  });
});

describe('fields', () => {
  const o = null;
  it('coerces like nova', () => {
    expect(StringField().coerce(o, 'a', 1)).toBe('1');
    expect(StringField().coerce(o, 'a', true)).toBe('True');
    expect(pyErr(() => StringField().coerce(o, 'a', [1])).message).toBe('A string is required here, not list');
    expect(IntegerField().coerce(o, 'a', '42')).toBe(42);
    expect(IntegerField().coerce(o, 'a', 1.9)).toBe(1);
    expect(pyErr(() => IntegerField().coerce(o, 'a', 'a')).pyClass).toBe('ValueError');
    expect(pyErr(() => IntegerField().coerce(o, 'a', [])).pyClass).toBe('TypeError');
    expect(BooleanField().coerce(o, 'a', 0)).toBe(false);
    expect(BooleanField().coerce(o, 'a', [])).toBe(false);
    expect(UUIDField().coerce(o, 'a', 5)).toBe('5');
    expect(pyErr(() => StringField().coerce(o, 'host', null)).message).toBe("Field `host' cannot be None");
    expect(StringField({ nullable: true }).coerce(o, 'host', null)).toBeNull();
    expect(BooleanField({ default: false }).coerce(o, 'deleted', null)).toBe(false);
    expect(pyErr(() => EnumField(['a', 'b']).coerce(o, 'x', 'c')).message).toBe('Field value c is invalid');
  });
  it('DateTime travels as an ISO string with Z, seconds precision', () => {
    const f = DateTimeField({ nullable: true });
    const d = f.coerce(o, 'created_at', '2015-03-30T12:34:56.789+02:00') as Date;
    expect(f.to_primitive(o, 'created_at', d)).toBe('2015-03-30T10:34:56Z');
    expect((f.from_primitive(o, 'created_at', '1955-11-05T00:00:00Z') as Date).toISOString()).toBe('1955-11-05T00:00:00.000Z');
    expect(pyErr(() => f.coerce(o, 'created_at', 'not a date')).pyClass).toBe('ValueError');
    expect(pyErr(() => f.coerce(o, 'created_at', '2015-02-30T00:00:00Z')).pyClass).toBe('ValueError');
    expect(pyErr(() => f.coerce(o, 'created_at', 12)).message).toBe('A datetime.datetime is required here');
  });
  it('IP addresses are validated per family', () => {
    expect(IPV4AddressField().coerce(o, 'ip', '10.0.0.1')).toBe('10.0.0.1');
    expect(IPV6AddressField().coerce(o, 'ip', '2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(pyErr(() => IPV4AddressField().coerce(o, 'ip', '::1')).message).toBe('Network "::1" is not valid');
    expect(pyErr(() => IPV4AddressField().coerce(o, 'ip', '300.1.1.1')).pyClass).toBe('ValueError');
  });
  it('dicts and lists check element types', () => {
    expect(DictOfStringsField().coerce(o, 'm', { a: 1 })).toEqual({ a: '1' });
    expect(DictOfNullableStringsField().coerce(o, 'm', { a: null })).toEqual({ a: null });
    expect(pyErr(() => DictOfStringsField().coerce(o, 'm', { a: null })).message).toBe('Field `m["a"]\' cannot be None');
    expect(pyErr(() => ListOfStringsField().coerce(o, 'l', 'x')).message).toBe('A list is required here');
  });
  it('fieldFromSpec understands the objects.json spellings', () => {
    const specs = [
      'String [nullable]',
      'Object<InstanceFault> [nullable]',
      'ListOfObjects<Instance>',
      'DictOfNullableStrings',
      'Boolean [default=False]',
      'Float [nullable, default=1.0]',
      'String [nullable, read_only]',
      'Integer [read_only]',
      'ListOfObjects<VirtCPUFeature> [default=[]]',
      'IPV4Address [nullable]',
      'Architecture [nullable]',
      'NetworkModel [nullable]',
      'UUID',
      'DateTime [nullable]',
    ];
    for (const s of specs) expect(fieldFromSpec(s).spec()).toBe(s);
    expect(fieldFromSpec("obj_fields.ListOfObjectsField('InstanceNUMACell')").spec()).toBe('ListOfObjects<InstanceNUMACell>');
    expect(fieldFromSpec('obj_fields.IntegerField()').spec()).toBe('Integer');
    expect(fieldFromSpec('Object<Flavor> [nullable]').nullable).toBe(true);
    expect(pyErr(() => fieldFromSpec('Wibble')).pyClass).toBe('ValueError');
  });
});

describe('VersionedObject basics (nova test_objects.py)', () => {
  it('tracks changes, defaults, read-only, lazy load', () => {
    const obj = new MyObj({ foo: 123 });
    expect([...obj.obj_what_changed()]).toEqual(['foo']);
    expect(obj.obj_attr_is_set('bar')).toBe(false);
    expect(obj.get('bar')).toBe('loaded!'); // obj_load_attr
    obj.obj_reset_changes();
    expect(obj.obj_what_changed().size).toBe(0);
    obj.set('readonly', 1);
    obj.set('readonly', 1);
    expect(pyErr(() => obj.set('readonly', 2)).pyClass).toBe('ReadOnlyFieldError');
    expect(pyErr(() => obj.obj_attr_is_set('nope')).pyClass).toBe('AttributeError');
    const d = new MyObj();
    d.obj_set_defaults();
    expect(new Set(d.obj_what_changed())).toEqual(new Set(['deleted', 'foo', 'mutable_default']));
    const e = pyErr(() => new MyObj().obj_set_defaults('bar'));
    expect(e.pyClass).toBe('ObjectActionError');
    expect(e.module).toBe('nova.exception');
    expect(e.message).toBe('Object action set_defaults failed because: No default set for field bar');
  });
  it('base class obj_load_attr raises NotImplementedError', () => {
    expect(pyErr(() => new MyOwnedObject().get('baz')).pyClass).toBe('NotImplementedError');
  });
  it('reports changes inside set sub-objects (test_changed_with_sub_object)', () => {
    const parent = new MyObj();
    const sub = new MyOwnedObject();
    parent.set('foo', 1);
    parent.set('rel_object', sub);
    expect(new Set(parent.obj_what_changed())).toEqual(new Set(['foo', 'rel_object']));
    parent.obj_reset_changes();
    expect(parent.obj_what_changed().size).toBe(0);
    sub.set('baz', 1);
    expect([...parent.obj_what_changed()]).toEqual(['rel_object']);
    parent.obj_reset_changes(null, true);
    expect(sub.obj_what_changed().size).toBe(0);
  });
  it('dehydrates to the nova_object envelope (test_loaded_in_primitive, test_base_attributes)', () => {
    const obj = new MyObj({ foo: 1 });
    obj.obj_reset_changes();
    obj.get('bar');
    expect(obj.obj_to_primitive()).toEqual({
      'nova_object.name': 'MyObj',
      'nova_object.namespace': 'nova',
      'nova_object.version': '1.6',
      'nova_object.changes': ['bar'],
      'nova_object.data': { foo: 1, bar: 'loaded!' },
    });
    const clean = new MyObj({ foo: 1 });
    clean.obj_reset_changes();
    expect('nova_object.changes' in clean.obj_to_primitive()).toBe(false);
    const dt = new Date(Date.UTC(1955, 10, 5));
    const b = new MyObj({ created_at: dt, updated_at: dt, deleted_at: null, deleted: false });
    expect(b.obj_to_primitive()['nova_object.data']).toEqual({
      created_at: '1955-11-05T00:00:00Z',
      updated_at: '1955-11-05T00:00:00Z',
      deleted_at: null,
      deleted: false,
    });
  });
  it('hydrates: instance VERSION = received version, unknown data keys ignored, known changes kept', () => {
    const world = kiloWorld(MyObj, MyObjDiffVers, MyOwnedObject);
    const obj = KiloNovaObject.obj_from_primitive(
      {
        'nova_object.name': 'MyObj',
        'nova_object.namespace': 'nova',
        'nova_object.version': '1.2',
        'nova_object.data': { foo: 1, unexpected_thing: 'x' },
        'nova_object.changes': ['foo', 'unexpected_thing', 'constructor', 'toString'],
      },
      world,
      'ctx',
    );
    expect(obj).toBeInstanceOf(MyObj);
    expect(obj.VERSION).toBe('1.2');
    expect(obj.cls.VERSION).toBe('1.6'); // newest compatible class for 1.2
    expect(obj.get('foo')).toBe(1);
    expect([...obj.obj_what_changed()]).toEqual(['foo']);
    expect(obj._context).toBe('ctx');
    // re-serializing labels the object with the sender's version
    expect(obj.obj_to_primitive()['nova_object.version']).toBe('1.2');
  });
  it('hydration errors: bad namespace, bad type, missing keys', () => {
    const world = kiloWorld(MyObj);
    const base = { 'nova_object.name': 'MyObj', 'nova_object.version': '1.5', 'nova_object.data': { foo: 1 } };
    const ns = pyErr(() => KiloNovaObject.obj_from_primitive({ ...base, 'nova_object.namespace': 'foo' }, world));
    expect(ns.pyClass).toBe('UnsupportedObjectError');
    expect(ns.message).toBe('Unsupported object type foo.MyObj');
    expect(pyErr(() => KiloNovaObject.obj_from_primitive({ ...base, 'nova_object.namespace': 'nova', 'nova_object.data': { foo: 'a' } }, world)).pyClass).toBe('ValueError');
    const missing = pyErr(() => KiloNovaObject.obj_from_primitive(base, world));
    expect(missing.pyClass).toBe('KeyError');
    expect(missing.message).toBe("'nova_object.namespace'");
  });
  it('obj_clone copies deeply, keeps changes, resets VERSION to the class VERSION', () => {
    const world = kiloWorld(MyObj, MyOwnedObject);
    const obj = KiloNovaObject.obj_from_primitive(
      { 'nova_object.name': 'MyObj', 'nova_object.namespace': 'nova', 'nova_object.version': '1.6.0', 'nova_object.data': { foo: 1, mutable_default: ['a'], rel_object: new MyOwnedObject({ baz: 2 }).obj_to_primitive() } },
      world,
    );
    const c = obj.obj_clone();
    expect(c.VERSION).toBe('1.6');
    expect(c.get('mutable_default')).toEqual(['a']);
    expect(c.get('mutable_default')).not.toBe(obj.get('mutable_default'));
    expect(c.get('rel_object')).not.toBe(obj.get('rel_object'));
    expect((c.get('rel_object') as MyOwnedObject).get('baz')).toBe(2);
  });
  it('ObjectFieldInvalid for a non-Field entry', () => {
    class Bad extends KiloNovaObject {
      static override fields = { x: 'nope' as never };
    }
    expect(pyErr(() => new ObjectRegistry().register(Bad)).pyClass).toBe('ObjectFieldInvalid');
  });
  it('sub-object type is checked on assignment', () => {
    expect(pyErr(() => new MyObj({ rel_object: new MyObj() })).message).toBe('An object of type MyOwnedObject is required here');
  });
});

describe('registry', () => {
  it('keeps newest first, replaces equal versions, finds classes like obj_class_from_name', () => {
    const r = new ObjectRegistry();
    r.register(MyObjDiffVers);
    r.register(MyObj);
    class MyObjAgain extends MyObj {}
    r.register(MyObjAgain);
    expect(r.obj_classes().get('MyObj')!.map((c) => c.VERSION)).toEqual(['1.6', '1.5']);
    expect(r.latest('MyObj')).toBe(MyObjAgain);
    expect(r.obj_class_from_name('MyObj', '1.5')).toBe(MyObjDiffVers);
    expect(r.obj_class_from_name('MyObj', '1.1').VERSION).toBe('1.6');
    expect(r.obj_class_from_name('MyObj', '1.6.0').VERSION).toBe('1.6');
    const inc = pyErr(() => r.obj_class_from_name('MyObj', '1.25'));
    expect(inc.pyClass).toBe('IncompatibleObjectVersion');
    expect(inc.message).toBe('Version 1.25 of MyObj is not supported');
    expect(inc.kwargs).toMatchObject({ objname: 'MyObj', objver: '1.25', supported: '1.6', code: 500 });
    expect(pyErr(() => r.obj_class_from_name('MyObj', '2.0')).pyClass).toBe('IncompatibleObjectVersion');
    const un = pyErr(() => r.obj_class_from_name('foo', '1.0'));
    expect(un.pyClass).toBe('UnsupportedObjectError');
    expect(un.message).toBe('Unsupported object type foo');
    expect(un.kwargs.objtype).toBe('foo');
  });
  it('sorts as int tuples (1.10 newer than 1.9)', () => {
    const r = new ObjectRegistry();
    for (const v of ['1.9', '1.10', '1.2']) {
      r.register(class extends MyObj { static override VERSION = v; });
    }
    expect(r.obj_classes().get('MyObj')!.map((c) => c.VERSION)).toEqual(['1.10', '1.9', '1.2']);
    expect(pyErr(() => r.register(class extends MyObj { static override VERSION = '1.x'; })).pyClass).toBe('ValueError');
  });
  it('obj_tree_get_versions walks sub-object fields', () => {
    const r = new ObjectRegistry();
    r.register(MyObj);
    r.register(MyOwnedObject);
    expect(r.obj_tree_get_versions('MyObj')).toEqual({ MyObj: '1.6', MyOwnedObject: '1.0' });
    const r2 = new ObjectRegistry();
    r2.register(MyObj);
    expect(pyErr(() => r2.obj_tree_get_versions('MyObj')).pyClass).toBe('IndexError');
  });
  it('ovo-flavoured classes raise from oslo_versionedobjects.exception', () => {
    class Thing extends LibertyNovaObject {
      static override VERSION = '1.1';
    }
    const r = new ObjectRegistry();
    r.register(Thing);
    expect(pyErr(() => r.obj_class_from_name('Thing', '1.2')).module).toBe('oslo_versionedobjects.exception');
  });
});

describe('Kilo obj_make_compatible', () => {
  function withRels(rels: Record<string, Array<[string, string]>>) {
    return class extends MyObj {
      static override obj_relationships = rels;
    };
  }
  it('calls obj_make_compatible even for the same target and labels with the target', () => {
    const obj = new MyObj({ foo: 1, bar: 'bar' });
    expect(obj.obj_to_primitive('1.1')['nova_object.data']).toMatchObject({ bar: 'oldbar' });
    expect(obj.obj_to_primitive('1.1')['nova_object.version']).toBe('1.1');
    // no InvalidTargetVersion in Kilo
    expect(obj.obj_to_primitive('1.99')['nova_object.version']).toBe('1.99');
  });
  it('complains about a sub-object field without a rule', () => {
    const obj = new MyObj({ foo: 123, rel_object: new MyOwnedObject({ baz: 1 }) });
    const e = pyErr(() => obj.obj_make_compatible({}, '1.0'));
    expect(e.pyClass).toBe('ObjectActionError');
    expect(e.message).toBe('Object action obj_make_compatible failed because: No rule for rel_object');
  });
  it('skips unset sub-objects; leaves a None sub-object alone', () => {
    const P = withRels({ rel_object: [['1.0', '1.0']] });
    expect(() => new P({ foo: 1 }).obj_to_primitive('1.0')).not.toThrow();
    const p = new P({ rel_object: null });
    expect(p.obj_to_primitive('1.0')['nova_object.data']).toEqual({ rel_object: null });
  });
  it('child versions: drop before first pair, previous pair in gaps, last pair beyond', () => {
    const P = withRels({ rel_object: [['1.5', '1.1'], ['1.7', '1.2']] });
    const p = new P();
    expect(p.obj_calculate_child_version('1.4', 'rel_object')).toBeNull();
    expect(p.obj_calculate_child_version('1.5', 'rel_object')).toBe('1.1');
    expect(p.obj_calculate_child_version('1.6', 'rel_object')).toBe('1.1');
    expect(p.obj_calculate_child_version('1.7', 'rel_object')).toBe('1.2');
    expect(p.obj_calculate_child_version('1.10', 'rel_object')).toBe('1.2');
  });
  it('list-of-objects fields: every element converted and relabelled', () => {
    const seen: string[] = [];
    class Owned extends MyOwnedObject {
      override obj_make_compatible(p: Primitive, v: string) {
        seen.push(v);
        expect(p).toHaveProperty('baz');
      }
    }
    const P = withRels({ rel_objects: [['1.0', '1.123']] });
    const prim = new P({ rel_objects: [new Owned({ baz: 1 }), new Owned({ baz: 2 })] }).obj_to_primitive('1.0');
    expect(seen).toEqual(['1.123', '1.123']);
    const els = (prim['nova_object.data'] as Primitive).rel_objects as Primitive[];
    expect(els.map((e) => e['nova_object.version'])).toEqual(['1.123', '1.123']);
  });
  it('does not skip falsey sub-objects (an empty list object)', () => {
    class MyList extends ObjectListBase(KiloNovaObject) {
      static override VERSION = '1.2';
      static override fields = { objects: new ListOfObjectsField('MyObjElement') };
      static override obj_name() {
        return 'MyList';
      }
    }
    class MyOwner extends KiloNovaObject {
      static override VERSION = '1.2';
      static override fields = { mylist: new ObjectField('MyList') };
      static override obj_relationships = { mylist: [['1.1', '1.1']] as Array<[string, string]> };
    }
    const prim = new MyOwner({ mylist: new MyList({ objects: [] }) }).obj_to_primitive('1.1');
    expect(prim['nova_object.data']).toHaveProperty('mylist');
  });
});

describe('Juno and ovo flavours', () => {
  it('Juno base obj_make_compatible is a no-op (no rule needed)', () => {
    class JOwned extends JunoNovaObject {
      static override fields = { baz: IntegerField() };
      static override obj_name() {
        return 'MyOwnedObject';
      }
    }
    class J extends JunoNovaObject {
      static override VERSION = '1.6';
      static override fields = { rel_object: new ObjectField('MyOwnedObject') };
    }
    const prim = new J({ rel_object: new JOwned({ baz: 1 }) }).obj_to_primitive('1.0');
    expect(prim['nova_object.version']).toBe('1.0');
    expect(((prim['nova_object.data'] as Primitive).rel_object as Primitive)['nova_object.version']).toBe('1.0');
  });
  class OOwned extends LibertyNovaObject {
    static override VERSION = '1.2';
    static override fields = { baz: IntegerField() };
    static override obj_name() {
      return 'MyOwnedObject';
    }
    static calls: string[] = [];
    override obj_make_compatible(p: Primitive, v: string) {
      OOwned.calls.push(v);
      super.obj_make_compatible(p, v);
    }
  }
  class O extends LibertyNovaObject {
    static override VERSION = '1.8';
    static override fields = { rel_object: new ObjectField('MyOwnedObject', { nullable: true }), foo: IntegerField() };
    static override obj_relationships = { rel_object: [['1.5', '1.1'], ['1.7', '1.2']] as Array<[string, string]> };
    static override obj_name() {
      return 'MyObj';
    }
  }
  it('InvalidTargetVersion above VERSION; equal target skips make_compatible', () => {
    const o = new O({ foo: 1, rel_object: new OOwned({ baz: 1 }) });
    const e = pyErr(() => o.obj_to_primitive('1.9'));
    expect(e.pyClass).toBe('InvalidTargetVersion');
    expect(e.module).toBe('oslo_versionedobjects.exception');
    OOwned.calls = [];
    o.obj_to_primitive('1.8');
    expect(OOwned.calls).toEqual([]);
  });
  it('_get_subobject_version: backport even when equal, nothing beyond all pairs', () => {
    const o = new O({ foo: 1, rel_object: new OOwned({ baz: 1 }) });
    OOwned.calls = [];
    o.obj_to_primitive('1.7');
    expect(OOwned.calls).toEqual(['1.2']); // Kilo would skip: label already 1.2
    OOwned.calls = [];
    const p = o.obj_to_primitive('1.6');
    expect(OOwned.calls).toEqual(['1.1']);
    expect(((p['nova_object.data'] as Primitive).rel_object as Primitive)['nova_object.version']).toBe('1.1');
    expect('rel_object' in (o.obj_to_primitive('1.4')['nova_object.data'] as Primitive)).toBe(false);
  });
  it('version manifests drive sub-object versions', () => {
    const o = new O({ foo: 1, rel_object: new OOwned({ baz: 1 }) });
    OOwned.calls = [];
    const p = o.obj_to_primitive('1.6', { MyObj: '1.6', MyOwnedObject: '1.0' });
    expect(((p['nova_object.data'] as Primitive).rel_object as Primitive)['nova_object.version']).toBe('1.0');
    // a child missing from the manifest is left untouched
    const q = o.obj_to_primitive('1.6', { MyObj: '1.6' });
    expect(((q['nova_object.data'] as Primitive).rel_object as Primitive)['nova_object.version']).toBe('1.2');
  });
  it('plain ovo uses versioned_object keys', () => {
    class Plain extends VersionedObject {
      static override fields = { a: StringField() };
    }
    expect(Object.keys(new Plain({ a: 'x' }).obj_to_primitive()).sort()).toEqual([
      'versioned_object.changes',
      'versioned_object.data',
      'versioned_object.name',
      'versioned_object.namespace',
      'versioned_object.version',
    ]);
    expect(new Plain().obj_to_primitive()['versioned_object.namespace']).toBe('versionedobjects');
  });
});

describe('ObjectListBase', () => {
  class Bar extends KiloNovaObject {
    static override VERSION = '1.3';
    static override fields = { foo: StringField() };
    static override obj_name() {
      return 'Bar';
    }
    static calls: string[] = [];
    override obj_make_compatible(p: Primitive, v: string) {
      Bar.calls.push(v);
      super.obj_make_compatible(p, v);
    }
  }
  class Foo extends ObjectListBase(KiloNovaObject) {
    static override VERSION = '1.3';
    static override fields = { objects: new ListOfObjectsField('Bar') };
    static override child_versions = { '1.1': '1.1', '1.3': '1.3' };
    static override obj_name() {
      return 'Foo';
    }
  }
  it('starts empty and clean; tracks child changes (test_list_changes)', () => {
    expect(new Foo().objects).toEqual([]);
    expect(new Foo().obj_what_changed().size).toBe(0);
    const l = new Foo({ objects: [] });
    expect([...l.obj_what_changed()]).toEqual(['objects']);
    l.objects.push(new Bar({ foo: 'test' }));
    l.obj_reset_changes();
    expect([...l.obj_what_changed()]).toEqual(['objects']);
    l.objects[0]!.obj_reset_changes();
    expect(l.obj_what_changed().size).toBe(0);
  });
  it('round-trips and behaves like a list', () => {
    const world = kiloWorld(Foo, Bar);
    const l = new Foo({ objects: ['a', 'b', 'c'].map((x) => new Bar({ foo: x })) }, { context: 'c' });
    expect(l.length).toBe(3);
    expect([...l].map((b) => b.get('foo'))).toEqual(['a', 'b', 'c']);
    expect(l.slice(0, 1).length).toBe(1);
    expect(l.slice(0, 1)._context).toBe('c');
    const l2 = KiloNovaObject.obj_from_primitive(l.obj_to_primitive(), world) as InstanceType<typeof Foo>;
    expect(l2.objects.map((b) => b.get('foo'))).toEqual(['a', 'b', 'c']);
    expect(String(new Foo({ objects: [new Bar({ foo: 'x' })] }))).toBe('Foo(objects=[Bar])');
  });
  it('Kilo: exact-string child_versions lookup, default 1.0, every element relabelled', () => {
    const l = new Foo({ objects: [new Bar({ foo: 'a' }), new Bar({ foo: 'b' })] });
    Bar.calls = [];
    let p = l.obj_to_primitive('1.1');
    expect(Bar.calls).toEqual(['1.1', '1.1']);
    expect(((p['nova_object.data'] as Primitive).objects as Primitive[]).map((e) => e['nova_object.version'])).toEqual(['1.1', '1.1']);
    Bar.calls = [];
    p = l.obj_to_primitive('1.2'); // missing key -> "1.0"
    expect(Bar.calls).toEqual(['1.0', '1.0']);
    expect(((p['nova_object.data'] as Primitive).objects as Primitive[])[0]!['nova_object.version']).toBe('1.0');
    Bar.calls = [];
    l.obj_to_primitive('1.3'); // same version: still converted (Kilo)
    expect(Bar.calls).toEqual(['1.3', '1.3']);
  });
  it('ovo lists: obj_relationships["objects"]; no table means relabel to 1.0', () => {
    class LBar extends LibertyNovaObject {
      static override VERSION = '1.3';
      static override fields = { foo: StringField() };
      static override obj_name() {
        return 'Bar';
      }
    }
    class LFoo extends ObjectListBase(LibertyNovaObject) {
      static override VERSION = '1.3';
      static override fields = { objects: new ListOfObjectsField('Bar') };
      static override obj_relationships = { objects: [['1.0', '1.1'], ['1.2', '1.3']] as Array<[string, string]> };
      static override obj_name() {
        return 'LFoo';
      }
    }
    const l = new LFoo({ objects: [new LBar({ foo: 'a' })] });
    const els = (v: string) => ((l.obj_to_primitive(v)['nova_object.data'] as Primitive).objects as Primitive[] | undefined)?.map((e) => e['nova_object.version']);
    expect(els('1.1')).toEqual(['1.1']);
    expect(els('1.2')).toEqual(['1.3']);
    class NoTable extends ObjectListBase(LibertyNovaObject) {
      static override VERSION = '1.3';
      static override fields = { objects: new ListOfObjectsField('Bar') };
    }
    const n = new NoTable({ objects: [new LBar({ foo: 'a' })] });
    expect(((n.obj_to_primitive('1.2')['nova_object.data'] as Primitive).objects as Primitive[])[0]!['nova_object.version']).toBe('1.0');
  });
});
