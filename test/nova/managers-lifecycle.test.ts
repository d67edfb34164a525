import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import type { Release } from '../../src/nova/releases';
import type { ConfSections } from '../../src/nova/conf';

async function cluster(release: Release, computes = ['compute1'], conf: ConfSections = {}): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release, conf },
    { id: 'scheduler', binary: 'nova-scheduler', release, conf },
    ...computes.map((id) => ({ id, binary: 'nova-compute' as const, release, conf })),
    { id: 'api', binary: 'nova-api', release, conf },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}

async function row(c: LoopbackCluster, uuid: string) {
  return (await c.db.instance_get_all({ deleted: true })).find((r) => r.uuid === uuid)!;
}

const errors = (c: LoopbackCluster) => c.logs.filter((l) => l.level === 'error');

describe.each(['icehouse', 'juno', 'kilo', 'liberty', 'mitaka'] as const)('%s cluster', (release) => {
  it('boots an instance: building/scheduling -> active on the chosen host, power RUNNING, launched_at set', async () => {
    const c = await cluster(release);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const r = await row(c, uuid);
    expect(r).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1', node: 'compute1', power_state: 1 });
    expect(r.launched_at).toBeTruthy();
    expect(errors(c)).toEqual([]);
    // the compute reached the database only through conductor
    const computeSends = c.bus.wire.filter((w) => w.from === 'compute1').map((w) => w.to);
    expect(computeSends.every((q) => q === 'conductor' || q.startsWith('scheduler'))).toBe(true);
  });

  it('stop / start / reboot / rescue / unrescue', async () => {
    const c = await cluster(release);
    await c.action('api', { action: 'create', name: 'vm1' });
    await c.action('api', { action: 'stop', server: 'vm1' });
    const uuid = (await c.db.instance_get_all())[0]!.uuid;
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'stopped', task_state: null, power_state: 4 });
    await expect(c.action('api', { action: 'stop', server: 'vm1' })).rejects.toMatchObject({ pyClass: 'InstanceInvalidState' });
    await c.action('api', { action: 'start', server: 'vm1' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null, power_state: 1 });
    await c.action('api', { action: 'reboot', server: 'vm1', reboot_type: 'HARD' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null, power_state: 1 });
    await c.action('api', { action: 'rescue', server: 'vm1' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'rescued', task_state: null });
    await c.action('api', { action: 'unrescue', server: 'vm1' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null });
    expect(errors(c)).toEqual([]);
  });

  it('shelve with shelved_offload_time 0 ends shelved_offloaded with no host; unshelve brings it back; delete', async () => {
    const c = await cluster(release);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    await c.action('api', { action: 'shelve', server: 'vm1' });
    let r = await row(c, uuid);
    expect(r).toMatchObject({ vm_state: 'shelved_offloaded', task_state: null, host: null, node: null });
    expect(r.system_metadata.shelved_host).toBe('compute1');
    // shelve_offload_instance was a local call on the compute, not an RPC
    const methods = c.bus.wire.map((w) => (w.envelope as { 'oslo.message'?: string })['oslo.message']).filter(Boolean).map((m) => JSON.parse(m!).method);
    expect(methods).toContain('shelve_instance');
    expect(methods).not.toContain('shelve_offload_instance');
    expect(c.logs.some((l) => l.service === 'compute1' && l.message.includes('Instance shelved offloaded'))).toBe(true);

    await c.action('api', { action: 'unshelve', server: 'vm1' });
    r = await row(c, uuid);
    expect(r).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1', power_state: 1 });
    expect(r.system_metadata.shelved_host).toBeUndefined();

    await c.action('api', { action: 'delete', server: 'vm1' });
    r = await row(c, uuid);
    expect(r.deleted).toBeTruthy();
    expect(r.vm_state).toBe('deleted');
    expect(errors(c)).toEqual([]);
  });

  it('shelve with shelved_offload_time -1 stays shelved; unshelve of a shelved instance powers it on', async () => {
    const c = await cluster(release, ['compute1'], { DEFAULT: { shelved_offload_time: '-1' } });
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    await c.action('api', { action: 'shelve', server: 'vm1' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'shelved', task_state: null, host: 'compute1', power_state: 4 });
    await c.action('api', { action: 'unshelve', server: 'vm1' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1', power_state: 1 });
  });

  it('resize to another host, then confirm; live migration back', async () => {
    const c = await cluster(release, ['compute1', 'compute2']);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    expect((await row(c, uuid)).host).toBe('compute1');
    await c.action('api', { action: 'resize', server: 'vm1', flavor: 'm1.small' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'resized', task_state: null, host: 'compute2', instance_type_id: 2 });
    await c.action('api', { action: 'confirm_resize', server: 'vm1' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute2' });
    await c.action('api', { action: 'live_migrate', server: 'vm1', host: null });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1', power_state: 1 });
    expect(errors(c)).toEqual([]);
  });

  it('resize then revert goes back to the source host', async () => {
    const c = await cluster(release, ['compute1', 'compute2']);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    await c.action('api', { action: 'resize', server: 'vm1', flavor: 'm1.small' });
    await c.action('api', { action: 'revert_resize', server: 'vm1' });
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1', instance_type_id: 1 });
  });

  it('no compute: the build fails with NoValidHost and the instance goes to ERROR', async () => {
    const c = await cluster(release, []);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'error', task_state: null });
    // 2014.1: the scheduler's run_instance catches NoValidHost (scheduler/manager.py @2014.1); later, conductor's build_instances.
    const where = release === 'icehouse' ? 'scheduler' : 'conductor';
    expect(c.logs.some((l) => l.service === where && /No valid host was found/.test(l.message))).toBe(true);
  });
});
