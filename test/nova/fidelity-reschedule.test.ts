/**
 * Build reschedule (nova/compute/manager.py _do_build_and_run_instance /
 * _build_and_run_instance, nova/scheduler/utils.py populate_retry, at 2014.2,
 * 2015.1.0 and 12.0.0): a failed spawn goes back to conductor with retry
 * information and lands on another compute; when every compute fails, the
 * scheduler runs out of hosts and conductor sets ERROR with a fault.
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import type { Release } from '../../src/nova/releases';
import type { ConfSections } from '../../src/nova/conf';

async function cluster(release: Release, computes: Record<string, ConfSections>): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release },
    { id: 'scheduler', binary: 'nova-scheduler', release },
    ...Object.entries(computes).map(([id, conf]) => ({ id, binary: 'nova-compute' as const, release, conf })),
    { id: 'api', binary: 'nova-api', release },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}
const broken: ConfSections = { fault_injection: { spawn: 'libvirtError: internal error: process exited while connecting to monitor' } };

describe.each(['juno', 'kilo', 'liberty', 'mitaka'] as const)('%s build reschedule', (release) => {
  it('one compute fails to spawn: RescheduledException, build_instances again, active on the other compute', async () => {
    // Only the first host the scheduler picks is broken: find it, then heal the other one.
    const first = await cluster(release, { compute1: {}, compute2: {} });
    const probe = (await first.action('api', { action: 'create', name: 'probe' })) as string;
    const firstHost = (await first.db.instance_get_by_uuid(probe)).host as string;
    const other = firstHost === 'compute1' ? 'compute2' : 'compute1';
    const c2 = await cluster(release, { [firstHost]: broken, [other]: {} });
    const uuid = (await c2.action('api', { action: 'create', name: 'vm1' })) as string;
    const row = (await c2.db.instance_get_by_uuid(uuid)) as Record<string, unknown>;
    expect(row).toMatchObject({ vm_state: 'active', task_state: null, host: other });
    const methods = c2.bus.wire.map((w) => JSON.parse((w.envelope as unknown as Record<string, string>)['oslo.message'] ?? '{}').method).filter(Boolean);
    expect(methods.filter((m: string) => m === 'build_instances')).toHaveLength(2);
    expect(methods.filter((m: string) => m === 'build_and_run_instance')).toHaveLength(2);
    expect(c2.logs.some((l) => l.service === 'conductor' && /Error from last host: /.test(l.message) && l.message.includes(firstHost))).toBe(true);
  });

  it('every compute fails: the scheduler runs out of hosts, conductor sets ERROR and records NoValidHost as the fault', async () => {
    const c = await cluster(release, { compute1: broken, compute2: broken });
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const row = (await c.db.instance_get_by_uuid(uuid)) as Record<string, unknown>;
    expect(row).toMatchObject({ vm_state: 'error', task_state: null });
    const faults = row.faults as Array<Record<string, unknown>>;
    expect(String(faults[faults.length - 1]!.message)).toMatch(/^No valid host was found/);
  });

  it('scheduler_max_attempts = 1: no retry information, the compute records the fault and sets ERROR itself', async () => {
    const c = new LoopbackCluster();
    const conf: ConfSections = { DEFAULT: { scheduler_max_attempts: '1' } };
    for (const d of [
      { id: 'conductor', binary: 'nova-conductor', release, conf },
      { id: 'scheduler', binary: 'nova-scheduler', release, conf },
      { id: 'compute1', binary: 'nova-compute', release, conf: broken },
      { id: 'api', binary: 'nova-api', release, conf },
    ] as LoopbackServiceDef[]) {
      c.add(d);
      await c.start(d.id);
    }
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const row = (await c.db.instance_get_by_uuid(uuid)) as Record<string, unknown>;
    expect(row).toMatchObject({ vm_state: 'error' });
    const faults = row.faults as Array<Record<string, unknown>>;
    expect(faults[faults.length - 1]).toMatchObject({ host: 'compute1' });
    expect(String(faults[faults.length - 1]!.message)).toMatch(/was re-scheduled: internal error/);
    expect(c.logs.some((l) => /Retry info not present, will not reschedule/.test(l.message))).toBe(true);
  });
});
