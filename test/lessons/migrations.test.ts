/** The database step of an upgrade (src/nova/db/migrations.ts): db sync per release, Kilo's flavor move, backups. */
import { describe, expect, it } from 'vitest';
import { MemoryDatabase, DEFAULT_FLAVORS } from '../../src/nova/db/memory';
import { save_flavor_info } from '../../src/nova/objects/flavors';
import { parseFlavorInfo } from '../../src/nova/objects/db_rows';
import { backupDatabase, dbSync, migrateFlavorData, restoreDatabase, schemaOf, schemaProblem } from '../../src/nova/db/migrations';

async function junoDb(n: number): Promise<MemoryDatabase> {
  const db = new MemoryDatabase();
  for (let i = 0; i < n; i++) {
    const sysmeta = save_flavor_info({}, DEFAULT_FLAVORS[1]!) as Record<string, string | null>;
    await db.instance_create({ display_name: `vm${i}`, system_metadata: sysmeta, vm_state: 'active' });
  }
  return db;
}

describe('nova-manage db', () => {
  it('sync moves the schema forward only; a fresh database has no schema until the first sync', async () => {
    const db = await junoDb(1);
    expect(schemaOf(db)).toBeNull();
    expect((await dbSync(db, 'juno')).to).toBe('juno');
    const r = await dbSync(db, 'kilo');
    expect([r.from, r.to]).toEqual(['juno', 'kilo']);
    expect(r.lines.join(' ')).toMatch(/instance_extra gains a flavor column/);
    await expect(dbSync(db, 'juno')).rejects.toThrow(/cannot sync it down/);
  });

  it('a database service cannot run newer code than the schema; computes do not care; old code runs on a newer schema', async () => {
    const db = await junoDb(0);
    expect(schemaProblem(db, 'nova-conductor', 'kilo')).toBeNull(); // no db step ran: no checks
    await dbSync(db, 'juno');
    expect(schemaProblem(db, 'nova-conductor', 'kilo')).toMatch(/cannot run on a juno database schema/);
    expect(schemaProblem(db, 'nova-api', 'kilo')).not.toBeNull();
    expect(schemaProblem(db, 'nova-compute', 'kilo')).toBeNull();
    await dbSync(db, 'kilo');
    expect(schemaProblem(db, 'nova-conductor', 'kilo')).toBeNull();
    expect(schemaProblem(db, 'nova-conductor', 'juno')).toBeNull();
  });

  it('migrate_flavor_data moves flavors from system_metadata to instance_extra in batches, then Liberty sync passes', async () => {
    const db = await junoDb(3);
    await dbSync(db, 'juno');
    await expect(migrateFlavorData(db)).rejects.toThrow(/needs the kilo schema/);
    await dbSync(db, 'kilo');
    await expect(dbSync(db, 'liberty')).rejects.toThrow(/There are still 3 unmigrated flavor records/);
    expect(schemaOf(db)).toBe('kilo');
    const first = await migrateFlavorData(db, 2);
    expect(first.line).toBe('3 instances matched query, 2 completed');
    const second = await migrateFlavorData(db);
    expect(second.line).toBe('1 instances matched query, 1 completed');
    for (const row of await db.instance_get_all()) {
      expect(Object.keys(row.system_metadata).filter((k) => k.includes('instance_type_'))).toEqual([]);
      const info = parseFlavorInfo(row)!;
      expect((info.cur!['nova_object.data'] as Record<string, unknown>).name).toBe('m1.small');
      expect(info.old).toBeNull();
    }
    expect((await dbSync(db, 'liberty')).to).toBe('liberty');
  });

  it('restore brings back the rows and the schema of the backup', async () => {
    const db = await junoDb(2);
    await dbSync(db, 'juno');
    expect(backupDatabase(db)).toMatch(/2 instances.*schema juno/);
    await dbSync(db, 'kilo');
    await migrateFlavorData(db);
    expect(restoreDatabase(db)).toMatch(/schema juno/);
    expect(schemaOf(db)).toBe('juno');
    expect((await db.instance_get_all()).every((r) => 'instance_type_id' in r.system_metadata)).toBe(true);
  });
});

describe('the db step in a run', () => {
  it('a restore to the Juno schema stops the Kilo services that query the database, not the computes', async () => {
    const { runScenario } = await import('../../src/runtime/run_scenario');
    const { inProcessSpawner } = await import('../../src/runtime/in_process');
    const { loadServiceFactory } = await import('../../src/runtime/modules');
    const pin = { upgrade_levels: { compute: 'juno' } };
    const r = await runScenario(
      {
        title: 'restore',
        services: [
          { id: 'conductor', binary: 'nova-conductor', release: 'juno', conf: pin },
          { id: 'scheduler', binary: 'nova-scheduler', release: 'juno', conf: pin },
          { id: 'compute1', binary: 'nova-compute', release: 'juno', conf: pin },
          { id: 'api', binary: 'nova-api', release: 'juno', conf: pin },
        ],
        steps: [
          { do: 'db', command: 'sync', release: 'juno' },
          { do: 'db', command: 'backup' },
          { do: 'db', command: 'sync', release: 'kilo' },
          { do: 'upgrade', service: 'scheduler', release: 'kilo' },
          { do: 'upgrade', service: 'conductor', release: 'kilo' },
          { do: 'upgrade', service: 'compute1', release: 'kilo' },
          { do: 'db', command: 'restore' },
        ],
      },
      { spawn: inProcessSpawner(loadServiceFactory) },
    );
    const stopped = r.events.filter((e) => e.kind === 'log' && /database schema.*stops$/.test(e.text)).map((e) => e.service);
    expect(stopped).toEqual(['conductor', 'scheduler']);
    expect(r.cluster.snapshot().services.find((s) => s.id === 'compute1')!.state).not.toBe('stopped');
    r.cluster.dispose();
  });
});
