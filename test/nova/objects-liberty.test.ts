import { describe, expect, it } from 'vitest';
import { makeObjectWorld } from '../../src/nova/objects';
import { NovaObjectSerializer, type Primitive, type VersionedObject } from '../../src/oslo/objects';

const D = 'nova_object.data';
const V = 'nova_object.version';

function libertyInstance() {
  const w = makeObjectWorld('liberty');
  const mk = (n: string, kw: Record<string, unknown>) => new w.classes[n]!(kw, { world: w.world });
  const flavor = mk('Flavor', {
    id: 1, flavorid: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0,
    rxtx_factor: 1.0, vcpu_weight: null, disabled: false, is_public: true, extra_specs: {},
  });
  const inst = mk('Instance', {
    id: 1, uuid: 'u-1', host: 'c1', display_name: 'd\u00e9mo', system_metadata: {}, flavor, old_flavor: null, new_flavor: null,
    fault: mk('InstanceFault', { id: 1, instance_uuid: 'u-1', code: 500, message: 'x', details: null, host: 'c1' }),
    numa_topology: mk('InstanceNUMATopology', { id: 0, instance_uuid: 'u-1', cells: [mk('InstanceNUMACell', { id: 0, cpuset: new Set([0]), memory: 512 })] }),
    tags: mk('TagList', { objects: [mk('Tag', { resource_id: 'u-1', tag: 'a' })] }),
    ec2_ids: mk('EC2Ids', { instance_id: 'i-00000001', ami_id: null, kernel_id: null, ramdisk_id: null }),
    migration_context: null,
    vcpu_model: null,
  });
  return { w, inst };
}

describe('Liberty InstanceV2 / InstanceV1', () => {
  it('registers Instance 2.0 and 1.23, InstanceList 2.0 and 1.22', () => {
    const { w } = libertyInstance();
    expect(w.registry.obj_classes().get('Instance')!.map((c) => c.VERSION)).toEqual(['2.0', '1.23']);
    expect(w.registry.obj_classes().get('InstanceList')!.map((c) => c.VERSION)).toEqual(['2.0', '1.22']);
    expect(w.classes.Instance.VERSION).toBe('2.0');
    expect('scheduled_at' in w.classes.Instance.fields).toBe(false);
    expect('scheduled_at' in w.classes.InstanceV1!.fields).toBe(true);
  });

  it('2.0 -> 1.19 goes through 1.23: V1 relationships and 1.x rules apply', () => {
    const { inst } = libertyInstance();
    const prim = inst.obj_to_primitive('1.19');
    const d = prim[D] as Primitive;
    expect(prim[V]).toBe('1.19');
    expect('ec2_ids' in d).toBe(false); // 1.20
    expect('migration_context' in d).toBe(false); // 1.23
    expect((d.tags as Primitive)[V]).toBe('1.0'); // (1.17, 1.0) until 1.21
    expect((d.numa_topology as Primitive)[V]).toBe('1.1'); // (1.16, 1.1) until 1.22
    expect((d.fault as Primitive)[V]).toBe('1.2'); // ovo: beyond the last pair nothing changes
    expect('flavor' in d).toBe(true);
    expect(d.display_name).toBe('d\u00e9mo');
  });

  it('2.0 -> 1.15: flavor folded, ascii kept (>= 1.7)', () => {
    const { inst } = libertyInstance();
    const d = inst.obj_to_primitive('1.15')[D] as Primitive;
    expect('flavor' in d).toBe(false);
    expect((d.system_metadata as Record<string, unknown>).instance_type_name).toBe('m1.tiny');
    expect((d.numa_topology as Primitive)[V]).toBe('1.0');
    expect('tags' in d).toBe(false);
  });

  it('2.0 -> 1.6 squashes unicode strings', () => {
    const { inst } = libertyInstance();
    expect((inst.obj_to_primitive('1.6')[D] as Primitive).display_name).toBe('d?mo');
  });

  it('a backported 1.19 Liberty instance hydrates on Kilo with no backport', async () => {
    const { inst } = libertyInstance();
    const kilo = makeObjectWorld('kilo');
    const calls: string[] = [];
    const ser = new NovaObjectSerializer({
      logic: 'kilo',
      world: kilo.world,
      conductor: { async object_backport(_c, _p, v) { calls.push(v); return null; } },
    });
    const obj = (await ser.deserialize_entity({}, JSON.parse(JSON.stringify(inst.obj_to_primitive('1.19'))))) as VersionedObject;
    expect(calls).toEqual([]);
    expect(obj.cls).toBe(kilo.classes.Instance);
    expect(obj.get<VersionedObject>('flavor').get('name')).toBe('m1.tiny');
  });

  it('InstanceListV2 -> 1.15 relabels elements 1.19 through V1', () => {
    const { w, inst } = libertyInstance();
    const list = new w.classes.InstanceList({ objects: [inst] }, { world: w.world });
    const prim = list.obj_to_primitive('1.15');
    const el = ((prim[D] as Primitive).objects as Primitive[])[0]!;
    expect(prim[V]).toBe('1.15');
    expect(el[V]).toBe('1.19');
    expect('ec2_ids' in (el[D] as Primitive)).toBe(false);
  });
});
