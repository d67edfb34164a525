import { describe, expect, it } from 'vitest';
import { MemoryDatabase } from '../../src/nova/db/memory';
import { makeObjectWorld, task_states, vm_states, instanceGetByUuid, instanceSave, loadInstanceAttr, type NovaObjectWorld } from '../../src/nova/objects';
import { RequestContext } from '../../src/nova/context';
import {
  NovaObjectSerializer,
  object_action_local,
  object_class_action_local,
  remotable_call,
  remotable_classmethod_call,
  type IndirectionAPI,
  type VersionedObject,
} from '../../src/oslo/objects';

const ctxt = RequestContext.admin('req-test');

async function newInstance(w: NovaObjectWorld, uuid: string, extra: Record<string, unknown> = {}): Promise<VersionedObject> {
  const flavor = (await remotable_classmethod_call(w.world, w.classes.Flavor, ctxt, 'get_by_name', ['m1.small'])) as VersionedObject;
  const kw: Record<string, unknown> = { uuid, host: null, vm_state: vm_states.BUILDING, task_state: task_states.SCHEDULING, metadata: {}, system_metadata: {}, ...extra };
  if ('flavor' in w.classes.Instance.fields) Object.assign(kw, { flavor, old_flavor: null, new_flavor: null });
  else {
    const { save_flavor_info } = await import('../../src/nova/objects');
    kw.system_metadata = save_flavor_info({}, flavor);
  }
  const inst = new w.classes.Instance(kw, { context: ctxt, world: w.world });
  await remotable_call(inst, 'create');
  return inst;
}

/** A conductor for `compute`, running `conductor`'s objects; everything crosses as JSON. */
function fakeConductor(conductor: NovaObjectWorld, computeSer: () => NovaObjectSerializer, calls: string[]): IndirectionAPI {
  const cSer = new NovaObjectSerializer({ logic: conductor.serializer_logic, world: conductor.world });
  const wire = (x: unknown) => (x === undefined ? null : JSON.parse(JSON.stringify(x)));
  return {
    async object_class_action(c, objname, method, objver, args, kwargs) {
      calls.push(`object_class_action ${objname}.${method} ${objver}`);
      const r = await object_class_action_local(conductor.world, c, objname, method, objver, args, kwargs);
      return computeSer().deserialize_entity(c, wire(r));
    },
    async object_action(c, objinst, method, args, kwargs) {
      calls.push(`object_action ${objinst.obj_name()}.${method}`);
      const onConductor = (await cSer.deserialize_entity(c, wire(computeSer().serialize_entity(c, objinst)))) as VersionedObject;
      const [updates, result] = await object_action_local(c, onConductor, method, args, kwargs);
      const u = (await computeSer().deserialize_entity(c, wire(cSer.serialize_entity(c, updates)))) as Record<string, unknown>;
      return [u, await computeSer().deserialize_entity(c, wire(cSer.serialize_entity(c, result)))];
    },
    async object_backport(_c, objinst, target) {
      calls.push(`object_backport ${target}`);
      const obj = (await cSer.deserialize_entity(ctxt, objinst)) as VersionedObject;
      return computeSer().deserialize_entity(ctxt, wire(obj.obj_to_primitive(target)));
    },
  };
}

describe('Instance over a MemoryDatabase', () => {
  it.each(['juno', 'kilo', 'liberty', 'mitaka'] as const)('%s: create, get_by_uuid, save only changed fields, expected_task_state', async (release) => {
    const db = new MemoryDatabase();
    const w = makeObjectWorld(release, { db });
    const inst = await newInstance(w, 'u-1', { display_name: 'web' });
    expect(inst.get('id')).toBe(1);
    expect(inst.obj_what_changed().size).toBe(0);

    const got = await instanceGetByUuid(w, ctxt, 'u-1', ['system_metadata', 'metadata']);
    expect(got.get('vm_state')).toBe('building');
    expect(got.get('display_name')).toBe('web');

    got.set('task_state', task_states.SPAWNING);
    got.set('host', 'compute-1');
    await instanceSave(got, { expected_task_state: task_states.SCHEDULING });
    const row = await db.instance_get_by_uuid('u-1');
    expect(row.task_state).toBe('spawning');
    expect(row.host).toBe('compute-1');

    got.set('task_state', null);
    await expect(instanceSave(got, { expected_task_state: task_states.SCHEDULING })).rejects.toMatchObject({ pyClass: 'UnexpectedTaskStateError' });
    expect((await db.instance_get_by_uuid('u-1')).task_state).toBe('spawning');

    await instanceSave(got, { expected_task_state: [task_states.SPAWNING] });
    expect((await db.instance_get_by_uuid('u-1')).task_state).toBeNull();

    // In-place metadata edits count as changes (nova's metadata tracking).
    got.get<Record<string, string>>('metadata').role = 'db';
    expect(got.obj_what_changed().has('metadata')).toBe(true);
    await instanceSave(got);
    expect((await db.instance_get_by_uuid('u-1')).metadata).toEqual({ role: 'db' });

    await remotable_call(got, 'destroy');
    expect(got.obj_attr_is_set('id')).toBe(false);
    await expect(instanceGetByUuid(w, ctxt, 'u-1')).rejects.toMatchObject({ pyClass: 'InstanceNotFound' });
  });

  it('one database, three releases: flavor stored both in extra and in system_metadata', async () => {
    const db = new MemoryDatabase();
    const kilo = makeObjectWorld('kilo', { db });
    const juno = makeObjectWorld('juno', { db });
    const liberty = makeObjectWorld('liberty', { db });
    await newInstance(kilo, 'u-k');
    const row = await db.instance_get_by_uuid('u-k');
    expect(row.system_metadata.instance_type_name).toBe('m1.small');
    expect(JSON.parse((row.extra as { flavor: string }).flavor).cur['nova_object.data'].name).toBe('m1.small');

    const j = await instanceGetByUuid(juno, ctxt, 'u-k', ['system_metadata']);
    expect(j.get<Record<string, string>>('system_metadata').instance_type_memory_mb).toBe('2048');

    const k = await instanceGetByUuid(kilo, ctxt, 'u-k', ['system_metadata']);
    expect(k.get<VersionedObject>('flavor').get('name')).toBe('m1.small'); // sysmeta implies flavor in Kilo
    expect('instance_type_id' in k.get<Record<string, string>>('system_metadata')).toBe(false);

    // A Juno writer resizes through sysmeta: Kilo and Liberty see the new flavor in extra.
    const sm = { ...j.get<Record<string, string>>('system_metadata'), instance_type_name: 'm1.custom', instance_type_memory_mb: '4096' };
    j.set('system_metadata', sm);
    await instanceSave(j);
    const l = await instanceGetByUuid(liberty, ctxt, 'u-k', ['flavor']);
    expect(l.get<VersionedObject>('flavor').get('memory_mb')).toBe(4096);
    expect(l.get<VersionedObject>('flavor').get('name')).toBe('m1.custom');

    // Kilo sets new_flavor (resize): Juno sees new_instance_type_* keys.
    const big = (await remotable_classmethod_call(kilo.world, kilo.classes.Flavor, ctxt, 'get_by_flavor_id', ['4'])) as VersionedObject;
    const k2 = await instanceGetByUuid(kilo, ctxt, 'u-k', ['flavor']);
    k2.set('new_flavor', big);
    await instanceSave(k2);
    const j2 = await instanceGetByUuid(juno, ctxt, 'u-k', ['system_metadata']);
    expect(j2.get<Record<string, string>>('system_metadata').new_instance_type_name).toBe('m1.large');
  });

  it('refresh and lazy-load through loadInstanceAttr', async () => {
    const db = new MemoryDatabase();
    const w = makeObjectWorld('kilo', { db });
    await newInstance(w, 'u-2');
    const a = await instanceGetByUuid(w, ctxt, 'u-2', []);
    const b = await instanceGetByUuid(w, ctxt, 'u-2', []);
    b.set('vm_state', vm_states.ACTIVE);
    await instanceSave(b);
    await remotable_call(a, 'refresh');
    expect(a.get('vm_state')).toBe('active');
    // nova's ObjectActionError wording (issue 11 item 7: no simulator advice in nova's errors)
    expect(() => a.get('flavor')).toThrow('Object action obj_load_attr failed because: attribute flavor not lazy-loadable');
    await loadInstanceAttr(a, 'flavor');
    expect(a.get<VersionedObject>('flavor').get('name')).toBe('m1.small');
    const orphan = new w.classes.Instance({ uuid: 'x' }, { world: w.world });
    expect(() => orphan.get('fault')).toThrow(/orphaned/);
  });

  it('InstanceList.get_by_host and get_by_filters', async () => {
    const db = new MemoryDatabase();
    const w = makeObjectWorld('kilo', { db });
    for (const [u, h] of [['a', 'c1'], ['b', 'c2'], ['c', 'c1']] as const) {
      const i = await newInstance(w, u);
      i.set('host', h);
      await instanceSave(i);
    }
    const l = (await remotable_classmethod_call(w.world, w.classes.InstanceList, ctxt, 'get_by_host', ['c1'])) as VersionedObject;
    expect(l.get<VersionedObject[]>('objects').map((i) => i.get('uuid'))).toEqual(['a', 'c']);
    const f = (await remotable_classmethod_call(w.world, w.classes.InstanceList, ctxt, 'get_by_filters', [{ uuid: ['b', 'c'] }], {
      sort_key: 'uuid',
      sort_dir: 'asc',
    })) as VersionedObject;
    expect(f.get<VersionedObject[]>('objects').map((i) => i.get('uuid'))).toEqual(['b', 'c']);
  });

  it('Service create / get_by_host_and_binary / save', async () => {
    const db = new MemoryDatabase();
    const w = makeObjectWorld('liberty', { db });
    const s = new w.classes.Service({ host: 'c1', binary: 'nova-compute', topic: 'compute', report_count: 0, disabled: false }, { context: ctxt, world: w.world });
    await remotable_call(s, 'create');
    expect(s.get('version')).toBe(2);
    const got = (await remotable_classmethod_call(w.world, w.classes.Service, ctxt, 'get_by_host_and_binary', ['c1', 'nova-compute'])) as VersionedObject;
    got.set('report_count', 5);
    await remotable_call(got, 'save');
    expect((await db.service_get_by_host_and_binary('c1', 'nova-compute'))!.report_count).toBe(5);
    expect(await remotable_classmethod_call(w.world, w.classes.Service, ctxt, 'get_by_host_and_binary', ['zz', 'nova-compute'])).toBeNull();
  });
});

describe('remotables through an indirection API (nova-compute -> nova-conductor)', () => {
  it('Kilo compute, Kilo conductor: get_by_uuid and save go over object_class_action / object_action', async () => {
    const db = new MemoryDatabase();
    const conductor = makeObjectWorld('kilo', { db, name: 'conductor' });
    await newInstance(conductor, 'u-9');
    const calls: string[] = [];
    let ser: NovaObjectSerializer;
    const compute = makeObjectWorld('kilo', { name: 'compute', indirection_api: fakeConductor(conductor, () => ser, calls) });
    ser = new NovaObjectSerializer({ logic: 'kilo', world: compute.world });
    const inst = await instanceGetByUuid(compute, ctxt, 'u-9', ['system_metadata']);
    expect(inst.cls).toBe(compute.classes.Instance);
    inst.set('vm_state', vm_states.ACTIVE);
    inst.set('task_state', null);
    await instanceSave(inst, { expected_task_state: [task_states.SCHEDULING] });
    expect(calls).toEqual(['object_class_action Instance.get_by_uuid 1.19', 'object_action Instance.save']);
    expect((await db.instance_get_by_uuid('u-9')).vm_state).toBe('active');
    expect(inst.obj_what_changed().size).toBe(0);
  });

  it('Juno compute, Kilo conductor: results come back at 1.15 with the flavor in system_metadata', async () => {
    const db = new MemoryDatabase();
    const conductor = makeObjectWorld('kilo', { db, name: 'conductor' });
    await newInstance(conductor, 'u-10');
    const calls: string[] = [];
    let ser: NovaObjectSerializer;
    const compute = makeObjectWorld('juno', { name: 'compute', indirection_api: fakeConductor(conductor, () => ser, calls) });
    ser = new NovaObjectSerializer({ logic: 'juno', world: compute.world });
    const inst = await instanceGetByUuid(compute, ctxt, 'u-10', ['system_metadata']);
    expect(calls).toEqual(['object_class_action Instance.get_by_uuid 1.15']);
    expect(inst.VERSION).toBe('1.15');
    expect(inst.get<Record<string, string>>('system_metadata').instance_type_name).toBe('m1.small');
    inst.set('task_state', task_states.SPAWNING);
    await remotable_call(inst, 'save', [], { expected_task_state: task_states.SCHEDULING });
    expect((await db.instance_get_by_uuid('u-10')).task_state).toBe('spawning');
  });
});
