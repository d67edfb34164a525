/**
 * compute_nodes, ComputeNode and Service.compute_node. Expectations from:
 * - nova/compute/resource_tracker.py: 2014.2 _sync_compute_node / _create
 *   (conductor_api.compute_node_create) and scheduler/client/report.py
 *   update_resource_stats (conductor_api.compute_node_update); 2015.1.0
 *   _init_compute_node (Service.get_by_compute_host,
 *   ComputeNode.get_by_host_and_nodename, then still conductor_api
 *   .compute_node_create) and report.py (ComputeNode(id=...).save());
 *   12.0.0 _init_compute_node (ComputeNode(context).create()) and _update
 *   (compute_node.save()).
 * - nova/conductor/manager.py service_get_all_by at 2015.1.0 (adds
 *   ComputeNodeList.get_all_by_host for Juno computes).
 * - nova/objects/service.py obj_make_compatible / _do_compute_node at
 *   2015.1.0 and 12.0.0; nova/objects/compute_node.py obj_make_compatible,
 *   _from_db_object and _host_from_db_object at 2015.1.0 and 12.0.0.
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import { MemoryDatabase } from '../../src/nova/db/memory';
import { makeObjectWorld } from '../../src/nova/objects';
import { prepareForBackport } from '../../src/nova/objects/world';
import { RequestContext } from '../../src/nova/context';
import type { Release } from '../../src/nova/releases';
import { remotable_classmethod_call, type VersionedObject } from '../../src/oslo/objects';

const ctxt = RequestContext.admin('req-test');
type Prim = Record<string, unknown>;
const data = (p: unknown) => (p as Prim)['nova_object.data'] as Prim;

async function cluster(conductor: Release, compute: Release): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release: conductor },
    { id: 'compute1', binary: 'nova-compute', release: compute },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}

/** The methods compute1 sent, in order (object methods with the object method they carry). */
function sent(c: LoopbackCluster): string[] {
  return c.bus.wire
    .filter((w) => w.from === 'compute1' && w.to === 'conductor')
    .map((w) => {
      const m = JSON.parse(w.envelope['oslo.message']) as { method: string; args: Prim };
      return m.args.objmethod ? `${m.method}:${String(m.args.objname ?? (m.args.objinst as Prim)?.['nova_object.name'])}.${String(m.args.objmethod)}` : m.method;
    });
}

describe('the resource tracker writes the compute node as each release did', () => {
  it('2014.2: conductor compute_node_create, then the report client\'s compute_node_update; no host column written', async () => {
    const c = await cluster('juno', 'juno');
    const s = sent(c);
    expect(s.slice(s.indexOf('ping'))).toEqual(expect.arrayContaining(['compute_node_create', 'compute_node_update']));
    expect(s.indexOf('compute_node_create')).toBeLessThan(s.indexOf('compute_node_update'));
    const [row] = c.db.dump().compute_nodes;
    expect(row).toMatchObject({ hypervisor_hostname: 'compute1', service_id: 2, host: null, hypervisor_type: 'fake', stats: '{}' });
  });

  it('2015.1.0: Service.get_by_compute_host and ComputeNode.get_by_host_and_nodename, conductor compute_node_create, ComputeNode.save', async () => {
    const c = await cluster('kilo', 'kilo');
    const s = sent(c);
    const rt = s.slice(s.indexOf('object_class_action:Service.get_by_compute_host'));
    expect(rt.slice(0, 4)).toEqual([
      'object_class_action:Service.get_by_compute_host',
      'object_class_action:ComputeNode.get_by_host_and_nodename',
      'compute_node_create',
      'object_action:ComputeNode.save',
    ]);
    expect(c.db.dump().compute_nodes[0]).toMatchObject({ host: 'compute1', hypervisor_hostname: 'compute1' });
  });

  it('12.0.0: ComputeNode.create and save through conductor; allocation ratios stored 0.0, read as 16.0 / 1.5', async () => {
    const c = await cluster('liberty', 'liberty');
    const s = sent(c);
    expect(s).toEqual(expect.arrayContaining(['object_action:ComputeNode.create', 'object_action:ComputeNode.save']));
    expect(s).not.toContain('compute_node_create');
    const row = c.db.dump().compute_nodes[0]!;
    expect(row).toMatchObject({ host: 'compute1', cpu_allocation_ratio: 0, ram_allocation_ratio: 0 });
    const w = makeObjectWorld('liberty', { db: c.db });
    const node = (await remotable_classmethod_call(w.world, w.classes.ComputeNode, ctxt, 'get_by_host_and_nodename', ['compute1', 'compute1'])) as VersionedObject;
    expect([node.get('cpu_allocation_ratio'), node.get('ram_allocation_ratio')]).toEqual([16.0, 1.5]);
  });

  it('a restarted compute finds its row and updates it (2014.2: through the joined compute_node of service_get_all_by)', async () => {
    const c = await cluster('juno', 'juno');
    await c.stop('compute1');
    await c.start('compute1');
    expect(c.db.dump().compute_nodes).toHaveLength(1);
    expect(sent(c).filter((m) => m === 'compute_node_create')).toHaveLength(1);
  });

  it('a fresh 2014.2 compute under a 2015.1.0 conductor gets no compute node: service_get_all_by raises ComputeHostNotFound, "No service record"', async () => {
    const c = await cluster('kilo', 'juno');
    expect(c.db.dump().compute_nodes).toHaveLength(0);
    expect(c.logs.some((l) => l.service === 'compute1' && l.message === 'No service record for host compute1')).toBe(true);
  });
});

describe('Service.compute_node across releases', () => {
  async function seeded(release: Release) {
    const db = new MemoryDatabase();
    const svc = await db.service_create({ host: 'compute1', binary: 'nova-compute', topic: 'compute', report_count: 0 });
    // a row as a 2014.2 compute writes it: no host
    await db.compute_node_create({
      service_id: svc.id, hypervisor_hostname: 'compute1', vcpus: 8, memory_mb: 8000, local_gb: 500, vcpus_used: 0, memory_mb_used: 512,
      local_gb_used: 0, hypervisor_type: 'fake', hypervisor_version: 1000, stats: '{"num_instances": "1"}', host_ip: '10.0.0.1',
      supported_instances: '[["x86_64", "fake", "hvm"]]', pci_stats: '[]', numa_topology: null,
    });
    return { db, w: makeObjectWorld(release, { db }) };
  }

  it('2015.1.0 Service.obj_make_compatible(1.4): _do_compute_node embeds ComputeNode at 1.5 (child of 1.4), without host / supported_hv_specs', async () => {
    const { w } = await seeded('kilo');
    const svc = (await remotable_classmethod_call(w.world, w.classes.Service, ctxt, 'get_by_compute_host', ['compute1'])) as VersionedObject;
    expect(svc.obj_attr_is_set('compute_node')).toBe(false);
    await prepareForBackport(w.world, svc, '1.4');
    const p = svc.obj_to_primitive('1.4');
    const cn = data(p).compute_node as Prim;
    expect(cn['nova_object.version']).toBe('1.5');
    expect(data(cn)).toMatchObject({ hypervisor_hostname: 'compute1', stats: { num_instances: '1' }, host_ip: '10.0.0.1' });
    expect(data(cn)).not.toHaveProperty('host');
    expect(data(cn)).not.toHaveProperty('supported_hv_specs');
    expect(data(cn)).not.toHaveProperty('pci_device_pools');
  });

  it('2015.1.0: at 1.10 and above the Service goes without its compute node (lazy-loaded by the receiver)', async () => {
    const { w } = await seeded('kilo');
    const svc = (await remotable_classmethod_call(w.world, w.classes.Service, ctxt, 'get_by_compute_host', ['compute1'])) as VersionedObject;
    await prepareForBackport(w.world, svc, '1.10');
    expect(data(svc.obj_to_primitive('1.10'))).not.toHaveProperty('compute_node');
  });

  it('12.0.0 Service backported to 1.9: child version 1.10 for the compute node; host from the service (_host_from_db_object)', async () => {
    const { w } = await seeded('liberty');
    const svc = (await remotable_classmethod_call(w.world, w.classes.Service, ctxt, 'get_by_compute_host', ['compute1'])) as VersionedObject;
    await prepareForBackport(w.world, svc, '1.9');
    const cn = data(svc.obj_to_primitive('1.9')).compute_node as Prim;
    expect(cn['nova_object.version']).toBe('1.10');
    expect(data(cn)).toMatchObject({ host: 'compute1' });
    expect(data(cn)).not.toHaveProperty('cpu_allocation_ratio');
  });

  it('12.0.0 ComputeNode 1.14 backported to 1.11 (a Kilo caller) drops the allocation ratios', async () => {
    const { w } = await seeded('liberty');
    const node = (await remotable_classmethod_call(w.world, w.classes.ComputeNode, ctxt, 'get_first_node_by_host_for_old_compat', ['compute1'])) as VersionedObject;
    expect(node.VERSION).toBe('1.14');
    const d = data(node.obj_to_primitive('1.11'));
    expect(d).not.toHaveProperty('cpu_allocation_ratio');
    expect(d).not.toHaveProperty('ram_allocation_ratio');
    expect(d).toMatchObject({ host: 'compute1', hypervisor_hostname: 'compute1' });
  });

  it('2014.2 Service.get_by_compute_host joins the compute node (_do_compute_node from the joined rows)', async () => {
    const { w } = await seeded('juno');
    const svc = (await remotable_classmethod_call(w.world, w.classes.Service, ctxt, 'get_by_compute_host', ['compute1'])) as VersionedObject;
    expect(svc.get<VersionedObject>('compute_node').get('hypervisor_hostname')).toBe('compute1');
    expect(svc.get<VersionedObject>('compute_node').VERSION).toBe('1.5');
  });
});
