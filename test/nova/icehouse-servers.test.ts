/**
 * Icehouse (2014.1) servers, objects and serializer, against what the tag
 * has (nova/compute/manager.py, nova/conductor/manager.py,
 * nova/scheduler/manager.py, nova/objects/*.py @87f57c0a) and what a mixed
 * Icehouse/Juno cluster then does.
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import { computeManagerSignatures, computeTaskSignatures, conductorManagerSignatures, conductorV2ProxySignatures, icehouseSchedulerV3ProxySignatures, schedulerManagerSignatures } from '../../src/nova/signatures';
import { makeObjectWorld } from '../../src/nova/objects';
import { NovaObjectSerializer, VersionedObject } from '../../src/oslo/objects';
import { RELEASES, RELEASE_INFO } from '../../src/nova/releases';
import type { Release } from '../../src/nova/releases';

async function cluster(defs: Array<[string, LoopbackServiceDef['binary'], Release, Record<string, Record<string, string>>?]>): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  for (const [id, binary, release, conf] of defs) {
    c.add({ id, binary, release, conf: conf ?? {} });
    await c.start(id);
  }
  return c;
}

describe('Icehouse is a runnable release', () => {
  it('is the oldest of RELEASES, tag 2014.1, oslo.messaging 1.4 dialect (1.3 behaves the same in what is modelled)', () => {
    expect(RELEASES[0]).toBe('icehouse');
    expect(RELEASE_INFO.icehouse).toMatchObject({ tag: '2014.1', commit: '87f57c0a2cc00a70edc87c5dc10bdefb6c01587b', oslo: '1.4', serializer: 'icehouse', objects: 'juno' });
  });
});

describe('Icehouse server signatures (extracted from 2014.1)', () => {
  it('ComputeManager 3.23: run_instance and build_and_run_instance, stop_instance(instance) without clean_shutdown, rescue without rescue_image_ref', () => {
    const t = computeManagerSignatures('icehouse');
    expect(t.stop_instance).toEqual({ required: ['instance'], optional: {} });
    expect(t.rescue_instance).toEqual({ required: ['instance', 'rescue_password'], optional: {} });
    expect(t.run_instance!.required).toEqual(['instance', 'request_spec', 'filter_properties', 'requested_networks', 'injected_files', 'admin_password', 'is_first_time', 'node', 'legacy_bdm_in_spec']);
    expect(Object.keys(t.build_and_run_instance!.optional)).toContain('limits');
    expect(t.get_instance_diagnostics).toBeUndefined(); // 3.31, Juno
    expect(t.external_instance_event).toBeDefined(); // 3.23
  });

  it('conductor: manager 1.64 (Havana API) with a 2.0 proxy; compute_task 1.6 without rebuild_instance', () => {
    expect(conductorManagerSignatures('icehouse').compute_reboot).toBeDefined(); // a 1.x-only method
    expect(conductorV2ProxySignatures().compute_reboot).toBeUndefined();
    expect(conductorV2ProxySignatures().object_backport).toEqual({ required: ['objinst', 'target_version'], optional: {} });
    expect(Object.keys(computeTaskSignatures('icehouse')).sort()).toEqual(['build_instances', 'migrate_server', 'unshelve_instance']);
  });

  it('scheduler: manager 2.9 and a 3.0 proxy with select_destinations, run_instance, prep_resize', () => {
    expect(Object.keys(icehouseSchedulerV3ProxySignatures()).sort()).toEqual(['prep_resize', 'run_instance', 'select_destinations']);
    expect(schedulerManagerSignatures('icehouse').select_hosts).toBeDefined();
  });
});

describe('Icehouse endpoints in a running cluster', () => {
  it('the 2.0 conductor messages go to _ConductorManagerV2Proxy, compute_task 1.5 to the 1.6 manager, scheduler 3.0 to its proxy', async () => {
    const c = await cluster([
      ['conductor', 'nova-conductor', 'icehouse'],
      ['scheduler', 'nova-scheduler', 'icehouse'],
      ['compute1', 'nova-compute', 'icehouse'],
      ['api', 'nova-api', 'icehouse'],
    ]);
    await c.action('api', { action: 'create', name: 'vm1' });
    const row = (await c.db.instance_get_all())[0]!;
    expect(row).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1', launched_on: 'compute1' });
    // build_instances -> scheduler run_instance -> compute run_instance: the scheduler itself talks to the compute
    expect(c.bus.wire.some((w) => w.from === 'scheduler' && w.to.startsWith('compute'))).toBe(true);
    expect(c.bus.wire.some((w) => w.from === 'conductor' && w.to.startsWith('compute'))).toBe(false);
    expect(c.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a Juno conductor pinned to icehouse builds on an Icehouse compute with build_and_run_instance 3.23; unpinned, 3.33 is refused', async () => {
    for (const pinned of [true, false]) {
      const conf: Record<string, Record<string, string>> = pinned ? { upgrade_levels: { compute: 'icehouse' } } : {};
      const c = await cluster([
        ['conductor', 'nova-conductor', 'juno', conf],
        ['scheduler', 'nova-scheduler', 'icehouse'],
        ['compute1', 'nova-compute', 'icehouse'],
        ['api', 'nova-api', 'icehouse'],
      ]);
      await c.action('api', { action: 'create', name: 'vm1' });
      const row = (await c.db.instance_get_all())[0]!;
      if (pinned) {
        expect(row).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1' });
      } else {
        // oslo.messaging's dispatcher on the Icehouse compute (target 3.23)
        expect(row).toMatchObject({ vm_state: 'building', task_state: 'scheduling', host: null });
        expect(c.logs.some((l) => l.service === 'compute1' && /Endpoint does not support RPC version 3.33/.test(l.message))).toBe(true);
      }
    }
  });

  it('a Juno api before the conductor: build_instances 1.9 (no cap on compute_task) is refused by the Icehouse conductor (1.6)', async () => {
    const c = await cluster([
      ['conductor', 'nova-conductor', 'icehouse'],
      ['scheduler', 'nova-scheduler', 'icehouse'],
      ['compute1', 'nova-compute', 'icehouse'],
      ['api', 'nova-api', 'juno', { upgrade_levels: { compute: 'icehouse' } }],
    ]);
    await c.action('api', { action: 'create', name: 'vm1' });
    expect((await c.db.instance_get_all())[0]).toMatchObject({ vm_state: 'building', task_state: 'scheduling' });
    expect(c.logs.some((l) => l.service === 'conductor' && /Endpoint does not support RPC version 1.9/.test(l.message))).toBe(true);
  });

  it('compute = icehouse on an Icehouse service is used verbatim (2014.1 has no such alias): its first compute message fails', async () => {
    const c = await cluster([
      ['conductor', 'nova-conductor', 'icehouse'],
      ['scheduler', 'nova-scheduler', 'icehouse', { upgrade_levels: { compute: 'icehouse' } }],
      ['compute1', 'nova-compute', 'icehouse'],
      ['api', 'nova-api', 'icehouse'],
    ]);
    await c.action('api', { action: 'create', name: 'vm1' });
    expect(c.logs.some((l) => l.service === 'scheduler' && /invalid literal for int\(\) with base 10: 'icehouse'/.test(l.message))).toBe(true);
  });
});

describe('Icehouse objects (2014.1 versions)', () => {
  const nw = makeObjectWorld('icehouse', { name: 'icehouse-test' });

  it('Instance 1.13 (no numa_topology), InstanceList 1.6, PciDevice 1.1 without request_id, Service 1.2, ComputeNode 1.3', () => {
    const v = (n: string) => nw.registry.latest(n)?.VERSION;
    expect([v('Instance'), v('InstanceList'), v('PciDevice'), v('PciDeviceList'), v('Service'), v('ComputeNode'), v('Flavor'), v('BlockDeviceMappingList')]).toEqual([
      '1.13', '1.6', '1.1', '1.0', '1.2', '1.3', '1.0', '1.2',
    ]);
    expect(Object.keys(nw.registry.latest('Instance')!.fields)).not.toContain('numa_topology');
    expect(Object.keys(nw.registry.latest('PciDevice')!.fields)).not.toContain('request_id');
    expect(Object.keys(nw.registry.latest('ComputeNode')!.fields)).not.toContain('host_ip');
    for (const absent of ['NetworkRequest', 'NetworkRequestList', 'InstanceNUMATopology', 'InstancePCIRequests', 'Tag', 'VirtCPUModel']) {
      expect(nw.registry.latest(absent), absent).toBeUndefined();
    }
  });

  it('Instance.obj_make_compatible @2014.1: pci_devices dropped below 1.6, strings ascii below 1.7, info_cache relabelled 1.4 below 1.10', () => {
    const Instance = nw.registry.latest('Instance')!;
    const InfoCache = nw.registry.latest('InstanceInfoCache')!;
    const PciList = nw.registry.latest('PciDeviceList')!;
    const inst = new Instance({ uuid: 'u1', host: 'h\u00e9', info_cache: new InfoCache({ instance_uuid: 'u1', network_info: [] }, { world: nw.world }), pci_devices: new PciList({ objects: [] }, { world: nw.world }) }, { world: nw.world });
    const p9 = inst.obj_to_primitive('1.9') as Record<string, Record<string, Record<string, unknown>>>;
    expect(p9['nova_object.data']!.info_cache!['nova_object.version']).toBe('1.4');
    expect(p9['nova_object.data']!.pci_devices).toBeDefined();
    const p5 = inst.obj_to_primitive('1.5') as Record<string, Record<string, unknown>>;
    expect(p5['nova_object.data']).not.toHaveProperty('pci_devices');
    expect(p5['nova_object.data']!.host).toBe('h?');
  });

  it("the serializer does not walk dicts: an object inside a dict goes out as plain fields and a primitive inside one stays a primitive", async () => {
    const s = new NovaObjectSerializer({ logic: 'icehouse', world: nw.world, conductor: null });
    const Flavor = nw.registry.latest('Flavor')!;
    const flavor = new Flavor({ flavorid: '1', name: 'm1.tiny', memory_mb: 512 }, { world: nw.world });
    const out = s.serialize_entity({}, { instance_type: flavor, n: 1 }) as Record<string, unknown>;
    expect(out.instance_type).toEqual({ flavorid: '1', name: 'm1.tiny', memory_mb: 512 });
    const prim = flavor.obj_to_primitive();
    const back = (await s.deserialize_entity({}, { instance_type: prim })) as Record<string, unknown>;
    expect(back.instance_type).toEqual(prim);
    expect(await s.deserialize_entity({}, [prim])).toSatisfy((l: unknown[]) => l[0] instanceof VersionedObject);
    // Juno's serializer (2014.2) walks dicts.
    const juno = makeObjectWorld('juno', { name: 'juno-test' });
    const js = new NovaObjectSerializer({ logic: 'juno', world: juno.world, conductor: null });
    expect(((await js.deserialize_entity({}, { instance_type: prim })) as Record<string, unknown>).instance_type).toBeInstanceOf(VersionedObject);
  });
});

describe('Icehouse build reschedule (compute _reschedule_or_error -> scheduler run_instance, filter_scheduler._populate_retry @2014.1)', () => {
  const broken = { fault_injection: { spawn: 'libvirtError: internal error: process exited while connecting to monitor' } };
  const icehouse = (computes: Record<string, Record<string, Record<string, string>>>) =>
    cluster([
      ['conductor', 'nova-conductor', 'icehouse'],
      ['scheduler', 'nova-scheduler', 'icehouse'],
      ...Object.entries(computes).map(([id, conf]) => [id, 'nova-compute', 'icehouse', conf] as [string, 'nova-compute', Release, Record<string, Record<string, string>>]),
      ['api', 'nova-api', 'icehouse'],
    ]);
  const methods = (c: LoopbackCluster) =>
    c.bus.wire.map((w) => JSON.parse((w.envelope as unknown as Record<string, string>)['oslo.message'] ?? '{}').method as string | undefined).filter(Boolean);

  it('the first compute fails to spawn: a fault, run_instance back to the scheduler with the retry, active on the other compute', async () => {
    const c = await icehouse({ compute1: broken, compute2: {} });
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    expect(await c.db.instance_get_by_uuid(uuid)).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute2' });
    // api -> conductor build_instances once; scheduler run_instance twice (conductor, then compute1); compute run_instance twice
    expect(methods(c).filter((m) => m === 'build_instances')).toHaveLength(1);
    expect(methods(c).filter((m) => m === 'run_instance')).toHaveLength(4);
    expect(c.logs.some((l) => l.service === 'scheduler' && /Error from last host: compute1/.test(l.message))).toBe(true);
  });

  it('every compute fails: past the hosts the scheduler sets ERROR with NoValidHost', async () => {
    const c = await icehouse({ compute1: broken, compute2: broken });
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    expect(await c.db.instance_get_by_uuid(uuid)).toMatchObject({ vm_state: 'error', task_state: null });
    expect(c.logs.some((l) => l.service === 'scheduler' && /Failed to scheduler_run_instance: No valid host was found/.test(l.message))).toBe(true);
  });
});

describe('Icehouse volume attach (compute/api.py _attach_volume @2014.1)', () => {
  it('reserve_block_device_name answers the device name; the api loads the BDM by volume id and casts attach_volume 3.16', async () => {
    const c = await cluster([
      ['conductor', 'nova-conductor', 'icehouse'],
      ['scheduler', 'nova-scheduler', 'icehouse'],
      ['compute1', 'nova-compute', 'icehouse'],
      ['api', 'nova-api', 'icehouse'],
    ]);
    await c.action('api', { action: 'create', name: 'vm1' });
    const device = await c.action('api', { action: 'attach_volume', server: 'vm1', volume_id: 'vol-1' });
    expect(device).toBe('/dev/vdb');
    const bdms = await c.db.block_device_mapping_get_all_by_instance((await c.db.instance_get_all())[0]!.uuid as string);
    expect(bdms.find((b) => b.volume_id === 'vol-1')).toMatchObject({ device_name: '/dev/vdb' });
    expect(c.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
