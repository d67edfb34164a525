/**
 * Migrations as rows of a migrations table (nova/objects/migration.py,
 * ResourceTracker._create_migration, ComputeManager resize_instance /
 * finish_resize / confirm_resize / revert_resize at 2014.2, 2015.1.0, 12.0.0).
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import type { Release } from '../../src/nova/releases';

async function cluster(release: Release): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release },
    { id: 'scheduler', binary: 'nova-scheduler', release },
    { id: 'compute1', binary: 'nova-compute', release },
    { id: 'compute2', binary: 'nova-compute', release },
    { id: 'api', binary: 'nova-api', release },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}

describe.each(['juno', 'kilo', 'liberty', 'mitaka'] as const)('%s migrations table', (release) => {
  it('resize creates the row on the destination (pre-migrating), it ends finished, then confirmed', async () => {
    const c = await cluster(release);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const src = (await c.db.instance_get_by_uuid(uuid)).host;
    await c.action('api', { action: 'resize', server: 'vm1', flavor: 'm1.small' });
    let m = await c.db.migration_get(1);
    expect(m).toMatchObject({ instance_uuid: uuid, source_compute: src, status: 'finished', old_instance_type_id: 1, new_instance_type_id: 2 });
    if (release === 'liberty' || release === 'mitaka') expect(m.migration_type).toBe('resize');
    else expect('migration_type' in m).toBe(false);
    await c.action('api', { action: 'confirm_resize', server: 'vm1' });
    m = await c.db.migration_get(1);
    expect(m.status).toBe('confirmed');
  });

  it('revert: the API marks it reverting, the destination reverted', async () => {
    const c = await cluster(release);
    await c.action('api', { action: 'create', name: 'vm1' });
    await c.action('api', { action: 'resize', server: 'vm1', flavor: 'm1.small' });
    await c.action('api', { action: 'revert_resize', server: 'vm1' });
    expect((await c.db.migration_get(1)).status).toBe('reverted');
    await expect(c.action('api', { action: 'confirm_resize', server: 'vm1' })).rejects.toMatchObject({ pyClass: 'InstanceInvalidState' });
  });
});
