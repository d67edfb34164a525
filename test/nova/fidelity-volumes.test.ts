/**
 * Boot with networks and volumes, attach, and a live migration whose
 * pre_live_migration fails and rolls back (nova/compute/manager.py
 * _rollback_live_migration at 2014.2 / 2015.1.0 / 12.0.0; Kilo's
 * _ComputeV4Proxy.remove_volume_connection swapping its arguments).
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import type { Release } from '../../src/nova/releases';
import type { ConfSections } from '../../src/nova/conf';

async function cluster(release: Release, computes: Record<string, ConfSections>, conf: ConfSections = {}): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release, conf },
    { id: 'scheduler', binary: 'nova-scheduler', release, conf },
    ...Object.entries(computes).map(([id, cc]) => ({ id, binary: 'nova-compute' as const, release, conf: { ...conf, ...cc } })),
    { id: 'api', binary: 'nova-api', release, conf },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}
const methods = (c: LoopbackCluster) =>
  c.bus.wire.map((w) => JSON.parse((w.envelope as unknown as Record<string, string>)['oslo.message'] ?? '{}') as { method?: string; version?: string; args?: Record<string, unknown> }).filter((m) => m.method);

describe.each(['juno', 'kilo', 'liberty', 'mitaka'] as const)('%s volumes and networks', (release) => {
  it('boot with a network and a volume: a VIF in the info_cache, the volume BDM connected', async () => {
    const c = await cluster(release, { compute1: {} });
    const uuid = (await c.action('api', { action: 'create', name: 'vm1', networks: [{ uuid: 'net-a', fixed_ip: '10.0.0.5' }], volumes: ['vol-1'] })) as string;
    const row = (await c.db.instance_get_by_uuid(uuid)) as Record<string, unknown>;
    expect(row).toMatchObject({ vm_state: 'active', host: 'compute1' });
    const nw = JSON.parse(String((row.info_cache as Record<string, unknown>).network_info)) as Array<Record<string, unknown>>;
    expect(nw[0]).toMatchObject({ type: 'bridge', network: { id: 'net-a', bridge: 'br100' } });
    const bdms = await c.db.block_device_mapping_get_all_by_instance(uuid);
    expect(bdms.map((b) => [b.source_type, b.destination_type, b.volume_id ?? null, b.device_name])).toEqual([
      ['image', 'local', null, null],
      ['volume', 'volume', 'vol-1', '/dev/vdb'],
    ]);
    expect(String(bdms[1]!.connection_info)).toContain('iscsi');
  });

  it('neutron (network_api_class): the VIF is an OVS port on br-int', async () => {
    const c = await cluster(release, { compute1: {} }, { DEFAULT: { network_api_class: 'nova.network.neutronv2.api.API' } });
    const uuid = (await c.action('api', { action: 'create', name: 'vm1', networks: [{ uuid: 'net-a' }] })) as string;
    const row = (await c.db.instance_get_by_uuid(uuid)) as Record<string, unknown>;
    const nw = JSON.parse(String((row.info_cache as Record<string, unknown>).network_info)) as Array<Record<string, unknown>>;
    expect(nw[0]).toMatchObject({ type: 'ovs', network: { bridge: 'br-int' } });
  });

  it('attach_volume: reserve_block_device_name (a call) creates the BDM, attach_volume connects it', async () => {
    const c = await cluster(release, { compute1: {} });
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const device = await c.action('api', { action: 'attach_volume', server: 'vm1', volume_id: 'vol-9' });
    expect(device).toBe('/dev/vdb');
    const bdm = await c.db.block_device_mapping_get_by_volume_id('vol-9', uuid);
    expect(bdm).toMatchObject({ device_name: '/dev/vdb', destination_type: 'volume' });
    expect(String(bdm!.connection_info)).toContain('vol-9');
    await c.action('api', { action: 'detach_volume', server: 'vm1', volume_id: 'vol-9' });
    expect(await c.db.block_device_mapping_get_by_volume_id('vol-9', uuid)).toBeNull();
  });

  it('pre_live_migration fails on the destination: rollback, remove_volume_connection per volume, task cleared, faults recorded', async () => {
    const c = await cluster(release, { compute1: {}, compute2: {} });
    const uuid = (await c.action('api', { action: 'create', name: 'vm1', boot_volume: 'vol-root', volumes: ['vol-data'] })) as string;
    const src = (await c.db.instance_get_by_uuid(uuid)).host as string;
    const dest = src === 'compute1' ? 'compute2' : 'compute1';
    // inject the failure on the destination's [fault_injection] and restart it
    await c.stop(dest);
    const mgr = (c.services.get(dest) as unknown as { manager: Record<string, unknown> & { driver: { conf: { get(s: string, o: string): string | null } } } }).manager;
    const realGet = mgr.driver.conf.get.bind(mgr.driver.conf);
    mgr.driver.conf.get = (s: string, o: string) => (s === 'fault_injection' && o === 'pre_live_migration' ? 'Exception: iSCSI target not reachable' : realGet(s, o));
    await c.start(dest);
    await c.action('api', { action: 'live_migrate', server: 'vm1', host: dest }).catch(() => undefined);
    const row = (await c.db.instance_get_by_uuid(uuid)) as Record<string, unknown>;
    expect(row).toMatchObject({ vm_state: 'active', task_state: null, host: src });
    const sent = methods(c);
    const rvc = sent.filter((m) => m.method === 'remove_volume_connection');
    expect(rvc).toHaveLength(2);
    // volume-backed: no shared instance path -> the destination cleans up
    expect(sent.some((m) => m.method === 'rollback_live_migration_at_destination')).toBe(true);
    const faults = (row.faults as Array<Record<string, unknown>>).map((f) => [f.host, f.message]);
    expect(faults).toContainEqual([dest, 'iSCSI target not reachable']);
    expect(faults).toContainEqual([src, 'iSCSI target not reachable']);
    if (release === 'kilo') {
      // 4.0 -> _ComputeV4Proxy: (ctxt, instance, volume_id) into (ctxt, volume_id, instance):
      // the lookup by an Instance finds no BDM, NotFound is swallowed
      expect(rvc.every((m) => m.version === '4.0')).toBe(true);
      expect(c.logs.filter((l) => l.service === dest && /ignored: except exception.NotFound/.test(l.message))).toHaveLength(2);
    } else {
      expect(c.logs.filter((l) => l.service === dest && /Removed the connection of volume/.test(l.message))).toHaveLength(2);
    }
  });
});
