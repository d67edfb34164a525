/**
 * PCI requests and devices. Expectations from:
 * - nova/pci/pci_request.py (2014.2) / nova/pci/request.py (2015.1.0,
 *   12.0.0) get_pci_requests_from_flavor / _translate_alias_to_requests;
 * - nova/compute/api.py: 2014.2 _provision_instances saves the
 *   InstancePCIRequests (instance_extra.pci_requests); 2015.1.0 / 12.0.0 set
 *   base_options['pci_requests'] on the instance, written by Instance.create;
 *   _build_filter_properties puts them into filter_properties;
 * - nova/compute/claims.py Claim._test_pci ("Claim pci failed."), and
 *   nova/pci/manager.py update_pci_for_instance / device.allocate / free.
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import type { Release } from '../../src/nova/releases';

const WHITELIST = JSON.stringify({ vendor_id: '8086', product_id: '10ed' });
const ALIAS = JSON.stringify({ name: 'vf', vendor_id: '8086', product_id: '10ed' });

async function cluster(release: Release): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release },
    { id: 'scheduler', binary: 'nova-scheduler', release },
    { id: 'compute1', binary: 'nova-compute', release, conf: { DEFAULT: { pci_passthrough_whitelist: WHITELIST } } },
    { id: 'api', binary: 'nova-api', release, conf: { DEFAULT: { pci_alias: ALIAS } } },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  await c.action('api', { action: 'flavor_key', flavor: 'm1.small', key: 'pci_passthrough:alias', value: 'vf:1' });
  return c;
}

describe.each(['juno', 'kilo', 'liberty'] as const)('%s: a flavor with pci_passthrough:alias', (release) => {
  it('the host\'s whitelisted VFs become pci_devices rows of its compute node, available', async () => {
    const c = await cluster(release);
    const { pci_devices, compute_nodes } = c.db.dump();
    expect(pci_devices.map((d) => [d.address, d.status, d.compute_node_id])).toEqual([
      ['0000:04:10.0', 'available', compute_nodes[0]!.id],
      ['0000:04:10.2', 'available', compute_nodes[0]!.id],
    ]);
  });

  it('a boot stores the InstancePCIRequests in instance_extra and allocates one VF; a third boot fails its claim', async () => {
    const c = await cluster(release);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1', flavor: 'm1.small' })) as string;
    const row = (await c.db.instance_get_by_uuid(uuid)) as Record<string, unknown>;
    const extra = row.extra as { pci_requests: string };
    expect(JSON.parse(extra.pci_requests)).toEqual([expect.objectContaining({ count: 1, alias_name: 'vf', spec: [{ vendor_id: '8086', product_id: '10ed' }] })]);
    expect(row).toMatchObject({ vm_state: 'active', host: 'compute1' });
    expect((row.pci_devices as Array<Record<string, unknown>>).map((d) => [d.address, d.status])).toEqual([['0000:04:10.0', 'allocated']]);
    await c.action('api', { action: 'create', name: 'vm2', flavor: 'm1.small' });
    const third = (await c.action('api', { action: 'create', name: 'vm3', flavor: 'm1.small' })) as string;
    expect(c.logs.some((l) => l.service === 'compute1' && l.message.includes('Insufficient compute resources: Claim pci failed.'))).toBe(true);
    expect(await c.db.instance_get_by_uuid(third)).toMatchObject({ vm_state: 'error' });
    // deleting vm1 puts its VF back
    await c.action('api', { action: 'delete', server: 'vm1' });
    expect(c.db.dump().pci_devices.find((d) => d.address === '0000:04:10.0')).toMatchObject({ status: 'available', instance_uuid: null });
  });

  it('an alias the api does not know is PciRequestAliasNotDefined', async () => {
    const c = await cluster(release);
    await c.action('api', { action: 'flavor_key', flavor: 'm1.medium', key: 'pci_passthrough:alias', value: 'gpu:1' });
    await expect(c.action('api', { action: 'create', name: 'vm1', flavor: 'm1.medium' })).rejects.toMatchObject({ pyClass: 'PciRequestAliasNotDefined' });
  });
});
