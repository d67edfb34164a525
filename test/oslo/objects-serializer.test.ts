import { describe, expect, it } from 'vitest';
import { PyException } from '../../src/oslo/exception';
import type { CoreEvent } from '../../src/oslo/observer';
import {
  IntegerField,
  JunoNovaObject,
  KiloNovaObject,
  LibertyNovaObject,
  NovaObjectSerializer,
  ObjectField,
  ObjectRegistry,
  ObjectWorld,
  PyNotImplementedError,
  StringField,
  VersionedObject,
  object_action_local,
  object_backport_local,
  object_backport_versions_local,
  object_class_action_local,
  remotable_call,
  remotable_classmethod_call,
  type IndirectionAPI,
  type VersionedObjectClass,
} from '../../src/oslo/objects';

async function pyErrAsync(p: Promise<unknown>): Promise<PyException> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PyException);
    return e as PyException;
  }
  throw new Error('expected an exception');
}

function myObjClass(base: typeof KiloNovaObject, version: string) {
  return class MyObj extends base {
    static override VERSION = version;
    static override fields = { foo: IntegerField({ default: 1 }), bar: StringField() };
    static override obj_name() {
      return 'MyObj';
    }
  };
}

function setup(logic: 'juno' | 'kilo' | 'liberty' | 'ovo', receiver: string[], withApi = true) {
  const base = { juno: JunoNovaObject, kilo: KiloNovaObject, liberty: LibertyNovaObject, ovo: VersionedObject }[logic] as typeof KiloNovaObject;
  const registry = new ObjectRegistry();
  for (const v of receiver) registry.register(myObjClass(base, v));
  const calls: unknown[][] = [];
  const events: CoreEvent[] = [];
  const api: IndirectionAPI = {
    async object_backport(ctxt, prim, target) {
      calls.push(['object_backport', ctxt, prim, target]);
      return 'backported';
    },
    async object_backport_versions(ctxt, prim, versions) {
      calls.push(['object_backport_versions', ctxt, prim, versions]);
      return 'backported';
    },
  };
  const world = new ObjectWorld({ registry, indirection_api: logic === 'ovo' && withApi ? api : null, observer: (e) => events.push(e) });
  const ser = new NovaObjectSerializer({ logic, world, conductor: withApi ? api : null });
  const sender = myObjClass(base, '9.9');
  const prim = (version: string) => {
    const o = new sender();
    o.VERSION = version;
    return o.obj_to_primitive();
  };
  return { ser, calls, events, prim, api, world, registry };
}

describe('NovaObjectSerializer (TestObjectSerializer, Kilo)', () => {
  it('passes primitives through and turns sets into lists', async () => {
    const { ser } = setup('kilo', ['1.6']);
    for (const thing of [1, 'foo', [1, 2], { foo: 'bar' }]) {
      expect(ser.serialize_entity(null, thing)).toEqual(thing);
      expect(await ser.deserialize_entity(null, thing)).toEqual(thing);
    }
    expect(ser.serialize_entity(null, new Set([1, 2]))).toEqual([1, 2]);
  });
  it('newer version -> object_backport(ctxt, primitive, supported)', async () => {
    const { ser, calls, prim } = setup('kilo', ['1.6']);
    const p = prim('1.25');
    expect(await ser.deserialize_entity('ctx', p)).toBe('backported');
    expect(calls).toEqual([['object_backport', 'ctx', p, '1.6']]);
  });
  it('1.6.0 and 1.6.1 do not backport; .z retry leaves VERSION at the two-part version', async () => {
    for (const [v, expected] of [
      ['1.6.0', '1.6.0'],
      ['1.6.1', '1.6'],
    ]) {
      const { ser, calls, prim } = setup('kilo', ['1.6']);
      const obj = (await ser.deserialize_entity('ctx', prim(v!))) as VersionedObject;
      expect(calls).toEqual([]);
      expect(obj.VERSION).toBe(expected);
      expect(obj._context).toBe('ctx');
    }
  });
  it('newer version passes the receiver revision as supported', async () => {
    const { ser, calls, prim } = setup('kilo', ['1.6.1']);
    await ser.deserialize_entity('ctx', prim('1.7'));
    expect(calls[0]![3]).toBe('1.6.1');
  });
  it('dot-z with extra stuff (test_deserialize_dot_z_with_extra_stuff)', async () => {
    const { ser } = setup('kilo', ['1.6']);
    const obj = (await ser.deserialize_entity('ctx', {
      'nova_object.name': 'MyObj',
      'nova_object.namespace': 'nova',
      'nova_object.version': '1.6.1',
      'nova_object.data': { foo: 1, unexpected_thing: 'foobar' },
    })) as VersionedObject;
    expect(obj.get('foo')).toBe(1);
    expect(obj.VERSION).toBe('1.6');
  });
  it('.z retry then backport with the shortened version (1.7.1 on a 1.6 node)', async () => {
    const { ser, calls, prim, events } = setup('kilo', ['1.6']);
    const original = prim('1.7.1');
    await ser.deserialize_entity('ctx', original);
    expect(calls).toHaveLength(1);
    expect((calls[0]![2] as Record<string, unknown>)['nova_object.version']).toBe('1.7');
    expect(original['nova_object.version']).toBe('1.7.1'); // the caller's message is not edited
    expect(events.map((e) => (e.kind === 'object_hydrate' ? e.outcome : e.kind))).toEqual([
      'IncompatibleObjectVersion',
      'retry_without_z',
      'IncompatibleObjectVersion',
      'backport_requested',
      'backported',
    ]);
  });
  it('Juno has no .z retry', async () => {
    const { ser, calls, prim } = setup('juno', ['1.6']);
    await ser.deserialize_entity('ctx', prim('1.6.1'));
    expect(calls[0]![0]).toBe('object_backport');
    expect(calls[0]![3]).toBe('1.6');
  });
  it('Liberty asks object_backport_versions with the tree manifest', async () => {
    const { ser, calls, prim } = setup('liberty', ['1.6']);
    await ser.deserialize_entity('ctx', prim('1.7'));
    expect(calls[0]![0]).toBe('object_backport_versions');
    expect(calls[0]![3]).toEqual({ MyObj: '1.6' });
  });
  it('generic ovo: versions first, object_backport on NotImplementedError, re-raise without API', async () => {
    const a = setup('ovo', ['1.6']);
    a.api.object_backport_versions = async () => {
      throw new PyNotImplementedError('Multi-version backport not supported');
    };
    await a.ser.deserialize_entity('ctx', a.prim('1.7'));
    expect(a.calls[0]![0]).toBe('object_backport');
    expect(a.calls[0]![3]).toBe('1.6');
    const b = setup('ovo', ['1.6'], false);
    expect((await pyErrAsync(b.ser.deserialize_entity('ctx', b.prim('1.7')))).pyClass).toBe('IncompatibleObjectVersion');
  });
  it('without a conductor API the IncompatibleObjectVersion propagates', async () => {
    const { ser, prim } = setup('kilo', ['1.6'], false);
    const e = await pyErrAsync(ser.deserialize_entity('ctx', prim('1.25')));
    expect(e.pyClass).toBe('IncompatibleObjectVersion');
    expect(e.kwargs.supported).toBe('1.6');
  });
  it('a primitive returned by the backport is hydrated', async () => {
    const { ser, api, prim, registry } = setup('kilo', ['1.6']);
    api.object_backport = async (_c, p, target) => ({ ...(p as object), 'nova_object.version': target });
    const obj = (await ser.deserialize_entity('ctx', prim('1.25'))) as VersionedObject;
    expect(obj).toBeInstanceOf(registry.latest('MyObj')!);
    expect(obj.VERSION).toBe('1.6');
  });
  it('walks lists, dicts and nested containers', async () => {
    const { ser, prim } = setup('kilo', ['1.6']);
    const out = (await ser.deserialize_entity('ctx', { a: [prim('1.6')], b: { c: prim('1.5') }, d: 3 })) as Record<string, unknown>;
    expect((out.a as unknown[])[0]).toBeInstanceOf(VersionedObject);
    expect(((out.b as Record<string, unknown>).c as VersionedObject).VERSION).toBe('1.5');
    expect(out.d).toBe(3);
  });
  it('serialize_entity sends objects at their own version, inside containers', () => {
    const { ser } = setup('kilo', ['1.6']);
    const O = myObjClass(KiloNovaObject, '1.6');
    const o = new O({ foo: 3 });
    o.VERSION = '1.4';
    const out = ser.serialize_entity(null, { x: [o], y: new Set([o]) }) as Record<string, Array<Record<string, unknown>>>;
    expect(out.x![0]!['nova_object.version']).toBe('1.4');
    expect(out.y![0]!['nova_object.data']).toEqual({ foo: 3 });
  });
  it('context hooks delegate to the codec', () => {
    const { world } = setup('kilo', ['1.6']);
    const ser = new NovaObjectSerializer({
      logic: 'kilo',
      world,
      context_codec: { serialize_context: (c) => ({ dict: c }), deserialize_context: (d) => (d as { dict: unknown }).dict },
    });
    expect(ser.deserialize_context(ser.serialize_context('ctx'))).toBe('ctx');
    expect(new NovaObjectSerializer({ logic: 'kilo', world }).serialize_context('c')).toBe('c');
  });
  it('an incompatible sub-object fails the parent (no nested backport)', async () => {
    class Child extends KiloNovaObject {
      static override VERSION = '1.0';
      static override fields = { x: IntegerField() };
      static override obj_name() {
        return 'Child';
      }
    }
    class Parent extends KiloNovaObject {
      static override VERSION = '1.0';
      static override fields = { child: new ObjectField('Child') };
      static override obj_relationships = { child: [['1.0', '1.0']] as Array<[string, string]> };
      static override obj_name() {
        return 'Parent';
      }
    }
    const registry = new ObjectRegistry();
    registry.register(Child);
    registry.register(Parent);
    const calls: string[] = [];
    const world = new ObjectWorld({ registry });
    const ser = new NovaObjectSerializer({
      logic: 'kilo',
      world,
      conductor: {
        async object_backport(_c, p, t) {
          calls.push(`${(p as Record<string, string>)['nova_object.name']}->${t}`);
          return null;
        },
      },
    });
    const child = new Child({ x: 1 });
    child.VERSION = '1.5';
    await ser.deserialize_entity('ctx', new Parent({ child }).obj_to_primitive());
    expect(calls).toEqual(['Parent->1.0']);
  });
});

// --- remotables (TestRemoteObject / _RemoteTest, with a fake conductor) ---

class MyRObj extends KiloNovaObject {
  static override VERSION = '1.6';
  static override fields = { foo: IntegerField({ default: 1 }), bar: StringField(), sub: new ObjectField('Sub', { nullable: true }) };
  static override obj_relationships = { sub: [['1.0', '1.0']] as Array<[string, string]> };
  static override obj_name() {
    return 'MyObj';
  }
  static override remotable_classmethods = {
    async query(this: VersionedObjectClass, ctxt: unknown) {
      const obj = new this({ foo: 1, bar: 'bar' }, { context: ctxt });
      obj.obj_reset_changes();
      return obj;
    },
  };
  static override remotable_methods = {
    async marco() {
      return 'polo';
    },
    async _update_test(this: VersionedObject) {
      this.set('bar', 'updated');
    },
    async save(this: VersionedObject) {
      this.obj_reset_changes();
    },
    async refresh(this: VersionedObject) {
      this.set('foo', 321);
      this.set('bar', 'refreshed');
      this.obj_reset_changes();
    },
    async modify_save_modify(this: VersionedObject) {
      this.set('bar', 'meow');
      await remotable_call(this, 'save');
      this.set('foo', 42);
      this.set('sub', new Sub({ baz: 42 }));
    },
  };
  override obj_make_compatible(p: Record<string, unknown>, v: string) {
    super.obj_make_compatible(p, v);
    if (v === '1.1' && 'bar' in p) p.bar = `old${String(p.bar)}`;
  }
}
class Sub extends KiloNovaObject {
  static override fields = { baz: IntegerField() };
  static override obj_name() {
    return 'Sub';
  }
}

/** A compute world whose indirection API runs the conductor code in a conductor world, through primitives. */
function remoteSetup() {
  const condReg = new ObjectRegistry({ name: 'conductor' });
  condReg.register(MyRObj);
  condReg.register(Sub);
  const conductorWorld = new ObjectWorld({ registry: condReg });
  const condSer = new NovaObjectSerializer({ logic: 'kilo', world: conductorWorld });
  const computeReg = new ObjectRegistry({ name: 'compute' });
  computeReg.register(MyRObj);
  computeReg.register(Sub);
  const remoteCalls: string[] = [];
  const computeWorld: ObjectWorld = new ObjectWorld({ registry: computeReg });
  const computeSer = new NovaObjectSerializer({ logic: 'kilo', world: computeWorld });
  computeWorld.indirection_api = {
    async object_class_action(ctxt, objname, method, objver, args, kwargs) {
      remoteCalls.push(`${objname}.${method}`);
      const r = await object_class_action_local(conductorWorld, ctxt, objname, method, objver, args, kwargs);
      return computeSer.deserialize_entity(ctxt, r);
    },
    async object_action(ctxt, objinst, method, args, kwargs) {
      remoteCalls.push(`${objinst.obj_name()}.${method}`);
      const inst = (await condSer.deserialize_entity(ctxt, computeSer.serialize_entity(ctxt, objinst))) as VersionedObject;
      const [updates, result] = await object_action_local(ctxt, inst, method, args, kwargs);
      const wire = condSer.serialize_entity(ctxt, [updates, result]);
      return (await computeSer.deserialize_entity(ctxt, wire)) as [Record<string, unknown>, unknown];
    },
  };
  return { computeWorld, conductorWorld, remoteCalls };
}

describe('remotable methods', () => {
  it('classmethod goes through object_class_action; result at the caller version', async () => {
    const { computeWorld, remoteCalls } = remoteSetup();
    const obj = (await remotable_classmethod_call(computeWorld, MyRObj, 'ctx', 'query')) as VersionedObject;
    expect(remoteCalls).toEqual(['MyObj.query']);
    expect(obj.get('bar')).toBe('bar');
    expect(obj.VERSION).toBe('1.6');
    expect(obj._world).toBe(computeWorld);
  });
  it('older caller class gets a backported result (test_compat) and too new fails', async () => {
    const { computeWorld } = remoteSetup();
    const Old = class extends MyRObj {
      static override VERSION = '1.1';
    };
    const obj = (await remotable_classmethod_call(computeWorld, Old, 'ctx', 'query')) as VersionedObject;
    expect(obj.get('bar')).toBe('oldbar');
    const Rev = class extends MyRObj {
      static override VERSION = '1.1.456';
    };
    expect(((await remotable_classmethod_call(computeWorld, Rev, 'ctx', 'query')) as VersionedObject).get('bar')).toBe('bar');
    for (const v of ['2.0', '1.7']) {
      const New = class extends MyRObj {
        static override VERSION = v;
      };
      expect((await pyErrAsync(remotable_classmethod_call(computeWorld, New, 'ctx', 'query'))).pyClass).toBe('IncompatibleObjectVersion');
    }
  });
  it('object_action updates and change tracking (test_changed_1..4, test_updates, test_static_result)', async () => {
    const { computeWorld, remoteCalls } = remoteSetup();
    const q = () => remotable_classmethod_call(computeWorld, MyRObj, 'ctx', 'query') as Promise<VersionedObject>;
    let obj = await q();
    obj.set('foo', 123);
    await remotable_call(obj, '_update_test');
    expect(new Set(obj.obj_what_changed())).toEqual(new Set(['foo', 'bar']));
    expect(obj.get('foo')).toBe(123);
    expect(obj.get('bar')).toBe('updated');
    obj = await q();
    obj.set('foo', 123);
    await remotable_call(obj, 'save');
    expect(obj.obj_what_changed().size).toBe(0);
    obj = await q();
    obj.set('foo', 123);
    await remotable_call(obj, 'refresh');
    expect(obj.obj_what_changed().size).toBe(0);
    expect([obj.get('foo'), obj.get('bar')]).toEqual([321, 'refreshed']);
    obj = await q();
    obj.set('bar', 'something');
    await remotable_call(obj, 'modify_save_modify');
    expect(new Set(obj.obj_what_changed())).toEqual(new Set(['foo', 'sub']));
    expect([obj.get('foo'), obj.get('bar')]).toEqual([42, 'meow']);
    expect(obj.get('sub')).toBeInstanceOf(Sub);
    expect(await remotable_call(obj, 'marco')).toBe('polo');
    expect(remoteCalls.filter((c) => c === 'MyObj.marco')).toHaveLength(1);
  });
  it('runs locally without an indirection API; orphaned and context rules', async () => {
    const registry = new ObjectRegistry();
    registry.register(MyRObj);
    const world = new ObjectWorld({ registry });
    const obj = (await remotable_classmethod_call(world, MyRObj, 'ctx', 'query')) as VersionedObject;
    expect(obj._context).toBe('ctx');
    await remotable_call(obj, '_update_test');
    expect(obj.get('bar')).toBe('updated');
    obj._context = null;
    const orphan = await pyErrAsync(remotable_call(obj, '_update_test'));
    expect(orphan.pyClass).toBe('OrphanedObjectError');
    expect(orphan.message).toBe('Cannot call _update_test on orphaned MyObj object');
    const dep = await pyErrAsync(remotable_call(obj, 'save', [], {}, 'ctx'));
    expect(dep.message).toBe('Object action save failed because: Calling remotables with context is deprecated');
    expect((await pyErrAsync(remotable_call(obj, 'nope'))).pyClass).toBe('AttributeError');
  });
  it('Juno accepts an explicit context and keeps it', async () => {
    class J extends JunoNovaObject {
      static override fields = { a: IntegerField() };
      static override remotable_methods = {
        async touch(this: VersionedObject, ctxt: unknown) {
          return ctxt;
        },
      };
    }
    const j = new J();
    expect(await remotable_call(j, 'touch', [], {}, 'juno-ctx')).toBe('juno-ctx');
    expect(j._context).toBe('juno-ctx');
  });
  it('conductor backport helpers', () => {
    const o = new MyRObj({ foo: 1, bar: 'x' });
    expect(object_backport_local(o, '1.1')['nova_object.data']).toEqual({ foo: 1, bar: 'oldx' });
    expect(object_backport_versions_local(o, { MyObj: '1.1' })['nova_object.version']).toBe('1.1');
  });
});
