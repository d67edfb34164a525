/**
 * Mitaka 13.0.0 servers and objects (nova/compute/manager.py,
 * nova/conductor/manager.py, nova/scheduler/manager.py, nova/objects/*.py
 * at 13.0.0, oslo.versionedobjects 1.8.0 base.py).
 */
import { describe, expect, it } from 'vitest';
import { makeObjectWorld } from '../../src/nova/objects';
import { liveMigrateDataFromLegacy, requestSpecFromPrimitives } from '../../src/nova/objects/mitaka';
import { computeManagerSignatures, conductorManagerSignatures, schedulerManagerSignatures } from '../../src/nova/signatures';
import { LoopbackCluster } from '../../src/nova/service';
import type { ConfSections } from '../../src/nova/conf';
import { RPCDispatcher, Target, type Endpoint } from '../../src/oslo/messaging';
import type { Primitive, VersionedObject } from '../../src/oslo/objects';
import compat from '../../src/nova/data/objects.json';

const D = 'nova_object.data';
const V = 'nova_object.version';

function mitakaInstance() {
  const w = makeObjectWorld('mitaka');
  const mk = (n: string, kw: Record<string, unknown>) => new w.classes[n]!(kw, { world: w.world });
  const inst = mk('Instance', {
    id: 1,
    uuid: 'u-1',
    host: 'c1',
    pci_devices: mk('PciDeviceList', { objects: [mk('PciDevice', { id: 1, compute_node_id: 1, address: '0000:00:01.0', vendor_id: '8086', product_id: '1520', dev_type: 'type-VF', status: 'available', dev_id: 'pci_0000_00_01_0', label: 'l', instance_uuid: null, request_id: null, extra_info: {}, parent_addr: '0000:00:00.1' })] }),
    services: mk('ServiceList', { objects: [mk('Service', { id: 1, host: 'c1', binary: 'nova-compute' })] }),
  });
  return { w, inst };
}

describe('Mitaka objects (13.0.0, oslo.versionedobjects 1.x)', () => {
  it('one Instance (2.1) and one InstanceList (2.0); no obj_relationships anywhere', () => {
    const { w } = mitakaInstance();
    expect(w.registry.obj_classes().get('Instance')!.map((c) => c.VERSION)).toEqual(['2.1']);
    expect(w.registry.obj_classes().get('InstanceList')!.map((c) => c.VERSION)).toEqual(['2.0']);
    for (const [name, classes] of w.registry.obj_classes()) {
      for (const c of classes) expect(Object.keys(c.obj_relationships), name).toEqual([]);
    }
    const versions = (compat as unknown as { release_object_versions: Record<string, Record<string, string>> }).release_object_versions.mitaka!;
    for (const name of ['Service', 'ServiceList', 'ComputeNode', 'Migration', 'PciDevice', 'BlockDeviceMapping', 'RequestSpec', 'ImageMeta']) {
      expect(w.registry.latest(name)!.VERSION, name).toBe(versions[name]);
    }
  });

  it('Instance 2.1 -> 2.0 drops services (Instance.obj_make_compatible @13.0.0), with the peer\'s manifest', () => {
    const { inst } = mitakaInstance();
    const d = inst.obj_to_primitive('2.0', { Instance: '2.0', PciDeviceList: '1.2', PciDevice: '1.3' })[D] as Primitive;
    expect('services' in d).toBe(false);
    expect((inst.obj_to_primitive()[D] as Primitive).services).toBeDefined();
  });

  it('without a manifest a backport with sub-objects has no rule to follow: ObjectActionError (ovo 1.x _obj_relationship_for)', () => {
    const { inst } = mitakaInstance();
    expect(() => inst.obj_to_primitive('2.0')).toThrow(/No rule for pci_devices/);
  });

  it('ovo 1.x: a manifest converts children even at the object\'s own version; 0.10 (Liberty) would not', () => {
    const { inst } = mitakaInstance();
    const manifest = { Instance: '2.1', PciDeviceList: '1.2', PciDevice: '1.3' };
    const d = inst.obj_to_primitive('2.1', manifest)[D] as Primitive;
    const pci = d.pci_devices as Primitive;
    expect(pci[V]).toBe('1.2');
    // the list takes its element version from the manifest (1.8.0 ObjectListBase.obj_make_compatible)
    const dev = (pci[D] as Primitive).objects as Primitive[];
    expect(dev[0]![V]).toBe('1.3');
    // PciDevice 1.5 -> 1.3: parent_addr goes back to extra_info.phys_function (below 1.4)
    expect('parent_addr' in (dev[0]![D] as Primitive)).toBe(false);
    expect(((dev[0]![D] as Primitive).extra_info as Record<string, unknown>).phys_function).toBe('0000:00:00.1');
    // without a manifest at the same version nothing is converted
    expect(((inst.obj_to_primitive('2.1')[D] as Primitive).pci_devices as Primitive)[V]).toBe('1.3');
  });

  it('a child the manifest does not name is left alone; a list without rules or manifest entry goes to 1.0', () => {
    const { inst } = mitakaInstance();
    const d = inst.obj_to_primitive('2.0', { Instance: '2.0', PciDeviceList: '1.3' })[D] as Primitive;
    const pci = d.pci_devices as Primitive;
    expect(pci[V]).toBe('1.3');
    expect(((pci[D] as Primitive).objects as Primitive[])[0]![V]).toBe('1.0');
  });

  it('Service 1.19 stamps SERVICE_VERSION 9; ComputeNode 1.16 drops disk_allocation_ratio / uuid for 1.14', () => {
    const w = makeObjectWorld('mitaka');
    const svc = new w.classes.Service({}, { world: w.world });
    expect(svc.get('version')).toBe(9);
    const cn = new w.classes.ComputeNode({ disk_allocation_ratio: 1.0, uuid: '4b9e1f3c-1d7a-4c1b-9a65-0a1a2b3c4d5e', ram_allocation_ratio: 1.5, cpu_allocation_ratio: 16.0, host: 'c1', service_id: 1 }, { world: w.world });
    const d = cn.obj_to_primitive('1.14')[D] as Primitive;
    expect('disk_allocation_ratio' in d).toBe(false);
    expect('uuid' in d).toBe(false);
    expect(d.ram_allocation_ratio).toBe(1.5);
  });

  it('RequestSpec.from_primitives and back to the legacy dicts (nova/objects/request_spec.py @13.0.0)', () => {
    const w = makeObjectWorld('mitaka');
    const flavor = { id: 1, flavorid: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0 };
    const spec = requestSpecFromPrimitives(
      w.world,
      null,
      { num_instances: 2, image: { id: '155d900f-4e14-4e4c-a73d-069cbf4541e6', name: 'cirros', properties: { os_type: 'linux', unknown_prop: 'x' } }, instance_properties: { uuid: 'f1a7e9a0-0c5d-4a8e-9a31-6f2b8f1f7c11', project_id: 'p' }, instance_type: flavor },
      { ignore_hosts: ['c2'], retry: { num_attempts: 1, hosts: [['c3', 'c3']] }, scheduler_hints: { group: 'g1' } },
    ) as VersionedObject & { to_legacy_request_spec_dict(): Record<string, unknown>; to_legacy_filter_properties_dict(): Record<string, unknown> };
    expect(spec.obj_name()).toBe('RequestSpec');
    expect(spec.get('num_instances')).toBe(2);
    expect(spec.get<VersionedObject>('flavor').get('memory_mb')).toBe(512);
    expect(spec.get('scheduler_hints')).toEqual({ group: ['g1'] });
    expect(spec.get('instance_group')).toBeNull();
    const props = spec.get<VersionedObject>('image').get<VersionedObject>('properties');
    expect(props.get('os_type')).toBe('linux');
    const rs = spec.to_legacy_request_spec_dict();
    expect(rs).toMatchObject({ num_instances: 2, instance_properties: { uuid: 'f1a7e9a0-0c5d-4a8e-9a31-6f2b8f1f7c11', project_id: 'p', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0 } });
    const fp = spec.to_legacy_filter_properties_dict();
    expect(fp).toEqual({ ignore_hosts: ['c2'], retry: { num_attempts: 1, hosts: [['c3', 'c3']] }, limits: {}, scheduler_hints: { group: 'g1' } });
    // the object crosses the wire as RequestSpec 1.5
    expect(spec.obj_to_primitive()[V]).toBe('1.5');
  });
});

describe('Mitaka servers (13.0.0)', () => {
  const dispatcher = (endpoints: Endpoint[]) => new RPCDispatcher(new Target({ topic: 't', server: 's' }), endpoints, undefined, { oslo: '1.16' });

  it('ComputeManager 4.11 alone: a 3.x message is UnsupportedVersion, 4.x up to 4.11 is served', () => {
    const sigs = computeManagerSignatures('mitaka');
    const ep: Endpoint = { target: new Target({ version: '4.11' }), signatures: sigs, stop_instance: () => null, trigger_crash_dump: () => null };
    const d = dispatcher([ep]);
    expect(d.choose({ method: 'stop_instance', version: '3.40' }).outcome).toBe('UnsupportedVersion');
    expect(d.choose({ method: 'trigger_crash_dump', version: '4.6' }).outcome).toBe('dispatched');
    expect(d.choose({ method: 'stop_instance', version: '4.12' }).outcome).toBe('UnsupportedVersion');
    expect(Object.keys(sigs)).toContain('live_migration_abort');
    expect(Object.keys(sigs)).not.toContain('refresh_provider_fw_rules');
    expect(sigs.detach_volume).toEqual({ required: ['volume_id', 'instance'], optional: { attachment_id: null } });
  });

  it('ConductorManager is 3.0 with four methods; the scheduler takes spec_obj', () => {
    expect(Object.keys(conductorManagerSignatures('mitaka')).sort()).toEqual(['object_action', 'object_backport_versions', 'object_class_action_versions', 'provider_fw_rule_get_all']);
    expect(schedulerManagerSignatures('mitaka').select_destinations).toEqual({ required: [], optional: { request_spec: null, filter_properties: null, spec_obj: null } });
  });

  it('a Mitaka cluster boots, and conductor asks the scheduler with a RequestSpec at 4.3', async () => {
    const c = new LoopbackCluster();
    for (const d of [
      { id: 'conductor', binary: 'nova-conductor', release: 'mitaka' },
      { id: 'scheduler', binary: 'nova-scheduler', release: 'mitaka' },
      { id: 'compute1', binary: 'nova-compute', release: 'mitaka' },
      { id: 'api', binary: 'nova-api', release: 'mitaka' },
    ] as const) {
      c.add(d);
      await c.start(d.id);
    }
    await c.action('api', { action: 'create', name: 'vm1' });
    expect((await c.db.instance_get_all())[0]).toMatchObject({ vm_state: 'active', host: 'compute1' });
    const sel = c.bus.wire.find((w) => w.from === 'conductor' && JSON.stringify(w.envelope).includes('select_destinations'));
    expect(sel).toBeDefined();
    const text = JSON.stringify(sel!.envelope);
    expect(text).toContain('\\"version\\":\\"4.3\\"');
    expect(text).toContain('\\"nova_object.name\\":\\"RequestSpec\\"');
    expect(c.logs.filter((l) => l.level === 'error')).toEqual([]);
    const rows = await c.db.service_get_all();
    expect(rows.map((r) => r.version)).toEqual([9, 9, 9]);
  });

  it.each([
    [null, ['4.8', '4.8', '4.8'], 'LibvirtLiveMigrateData'],
    ['liberty', ['4.0', '4.0', '4.2'], null],
  ] as const)('live migration between Mitaka computes, compute cap %s: source check, pre_live_migration, live_migration at %s', async (cap, versions, objName) => {
    const c = new LoopbackCluster();
    const conf: ConfSections = cap ? { upgrade_levels: { compute: cap } } : {};
    for (const d of [
      { id: 'conductor', binary: 'nova-conductor', release: 'mitaka', conf },
      { id: 'scheduler', binary: 'nova-scheduler', release: 'mitaka', conf },
      { id: 'compute1', binary: 'nova-compute', release: 'mitaka', conf },
      { id: 'compute2', binary: 'nova-compute', release: 'mitaka', conf },
      { id: 'api', binary: 'nova-api', release: 'mitaka', conf },
    ] as const) {
      c.add(d);
      await c.start(d.id);
    }
    await c.action('api', { action: 'create', name: 'vm1' });
    await c.action('api', { action: 'live_migrate', server: 'vm1', host: 'compute2', block_migration: false });
    expect((await c.db.instance_get_all())[0]).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute2' });
    expect(c.logs.filter((l) => l.level === 'error')).toEqual([]);
    const msg = (m: string) => c.bus.wire.find((w) => JSON.stringify(w.envelope).includes(`\\"method\\":\\"${m}\\"`))!;
    for (const [i, m] of ['check_can_live_migrate_source', 'pre_live_migration', 'live_migration'].entries()) {
      const text = JSON.stringify(msg(m).envelope);
      expect(text, m).toContain(`\\"version\\":\\"${versions[i]}\\"`);
      // 4.8 carries the object; below it, migrate_data.to_legacy_dict() (a plain dict)
      if (objName) expect(text, m).toContain(objName);
      else expect(text, m).not.toContain('LiveMigrateData');
    }
  });

  it('LibvirtLiveMigrateData to and from its legacy dict (nova/objects/migrate_data.py @13.0.0)', () => {
    const w = makeObjectWorld('mitaka');
    const d = liveMigrateDataFromLegacy(w.world, { image_type: 'default', block_migration: false, is_shared_instance_path: true, pre_live_migration_result: { graphics_listen_addrs: { vnc: '127.0.0.1', spice: null }, serial_listen_addr: null, target_connect_addr: null } }) as VersionedObject & { to_legacy_dict(pre?: boolean): Record<string, unknown> };
    expect(d.obj_name()).toBe('LibvirtLiveMigrateData');
    expect(d.get('graphics_listen_addr_vnc')).toBeTruthy();
    expect(d.to_legacy_dict()).toEqual({ image_type: 'default', block_migration: false, is_shared_instance_path: true });
    expect(d.to_legacy_dict(true).pre_live_migration_result).toEqual({ graphics_listen_addrs: { vnc: '127.0.0.1', spice: null }, serial_listen_addr: null, target_connect_addr: null, volume: {} });
    // no libvirt key: the base LiveMigrateData (not registered)
    const base = liveMigrateDataFromLegacy(w.world, { is_volume_backed: true });
    expect(base.obj_name()).toBe('LiveMigrateData');
    expect(w.registry.latest('LiveMigrateData')).toBeUndefined();
  });
});
