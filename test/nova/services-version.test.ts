import { describe, expect, it } from 'vitest';
import { MemoryDatabase } from '../../src/nova/db/memory';
import { SERVICE_VERSION_HISTORY, ServiceMinimumVersion, startServiceRow } from '../../src/nova/service_version';
import { MitakaComputeCap } from '../../src/nova/upgrade_levels';
import { isPy } from '../../src/oslo/exception';

const row = (id: number, host: string, version: number | undefined, extra: Record<string, unknown> = {}) => ({
  id,
  host,
  binary: 'nova-compute',
  topic: 'compute',
  report_count: 0,
  disabled: false,
  forced_down: false,
  deleted: 0,
  ...(version === undefined ? {} : { version }),
  ...extra,
});

function dbWith(rows: Array<Record<string, unknown>>): MemoryDatabase {
  const db = new MemoryDatabase();
  db.load({ instances: [], services: rows });
  return db;
}

/** One process's view: the minimum read now, then ComputeAPI() built with `auto`. */
async function autoCap(db: MemoryDatabase, cap: MitakaComputeCap | null = null) {
  const min = await db.service_get_minimum_version('nova-compute');
  const c = cap ?? new MitakaComputeCap(() => min);
  return { cap: c, version_cap: c.construct('auto') };
}

describe('services.version and Service.get_minimum_version (13.0.0)', () => {
  it('min(version) over the binary\'s rows: disabled and soft-deleted rows count, forced_down rows do not, a missing version reads 0', async () => {
    const db = dbWith([row(1, 'c1', 9), row(2, 'c2', 2), row(3, 'c3', 1, { disabled: true })]);
    const svc = new ServiceMinimumVersion(db);
    expect(await svc.get_minimum_version('nova-compute')).toBe(1);
    const withDeleted = dbWith([row(1, 'c1', 9), row(2, 'old', 2, { deleted: 2 })]);
    expect(await new ServiceMinimumVersion(withDeleted).get_minimum_version('nova-compute')).toBe(2);
    const forcedDown = dbWith([row(1, 'c1', 9), row(2, 'c2', 0, { forced_down: true })]);
    expect(await new ServiceMinimumVersion(forcedDown).get_minimum_version('nova-compute')).toBe(9);
    const kiloRow = dbWith([row(1, 'c1', 9), row(2, 'c2', undefined)]);
    expect(await new ServiceMinimumVersion(kiloRow).get_minimum_version('nova-compute')).toBe(0);
  });

  it('no row is 0; a binary without the nova- prefix is refused with a warning', async () => {
    const warnings: string[] = [];
    const svc = new ServiceMinimumVersion(new MemoryDatabase(), (w) => warnings.push(w));
    expect(await svc.get_minimum_version('nova-compute')).toBe(0);
    await expect(svc.get_minimum_version('compute')).rejects.toSatisfy((e: unknown) => isPy(e, 'ObjectActionError'));
    expect(warnings).toEqual(["get_minimum_version called with likely-incorrect binary `compute'"]);
  });

  it('the history tables: 12.0.0 stops at 2 (entry 0 has no compute_rpc), 13.0.0 at 9', () => {
    expect(SERVICE_VERSION_HISTORY.liberty!.map((e) => e.compute_rpc ?? null)).toEqual([null, '4.4', '4.5']);
    expect(SERVICE_VERSION_HISTORY.mitaka!.map((e) => e.compute_rpc)).toEqual(['4.0', '4.4', '4.5', '4.6', '4.6', '4.7', '4.8', '4.9', '4.10', '4.11']);
  });
});

describe('Liberty -> Mitaka with [upgrade_levels] compute = auto (rows as 13.0.0 writes them)', () => {
  it('Kilo rows read 0, Liberty rows are created at 2, Mitaka rows at 9; Juno/Kilo write no version', async () => {
    const db = new MemoryDatabase();
    await startServiceRow(db, 'c0', 'nova-compute', 'kilo');
    await startServiceRow(db, 'c1', 'nova-compute', 'liberty');
    await startServiceRow(db, 'c2', 'nova-compute', 'mitaka');
    const rows = (await db.service_get_all()).map((r) => [r.host, r.version ?? null]);
    expect(rows).toEqual([['c0', null], ['c1', 2], ['c2', 9]]);
    expect(await db.service_get_minimum_version('nova-compute')).toBe(0);
  });

  it('13.0.0: a compute restarted on Mitaka keeps its Liberty row version, so auto stays at 4.5 (bug 1579839)', async () => {
    const db = new MemoryDatabase();
    for (const h of ['c1', 'c2']) await startServiceRow(db, h, 'nova-compute', 'liberty');
    expect((await autoCap(db)).version_cap).toBe('4.5');
    for (const h of ['c1', 'c2']) await startServiceRow(db, h, 'nova-compute', 'mitaka');
    expect(await db.service_get_minimum_version('nova-compute')).toBe(2);
    expect((await autoCap(db)).version_cap).toBe('4.5');
    // nova-api says it updates its row, and saves nothing.
    const logs: string[] = [];
    await startServiceRow(db, 'api1', 'nova-osapi_compute', 'liberty');
    await startServiceRow(db, 'api1', 'nova-osapi_compute', 'mitaka', { wsgi: true, log: (_l, m) => logs.push(m) });
    expect(logs).toEqual(['Updating service version for nova-osapi_compute on api1 from 2 to 9']);
    expect((await db.service_get_by_host_and_binary('api1', 'nova-osapi_compute'))!.version).toBe(2);
  });

  it('with the fix (13.1.2): the cap rises only when the last compute restarts, and only in processes that re-read it', async () => {
    const db = new MemoryDatabase();
    for (const h of ['c1', 'c2']) await startServiceRow(db, h, 'nova-compute', 'liberty');
    const conductor = await autoCap(db); // a Mitaka conductor started first
    expect(conductor.version_cap).toBe('4.5');
    await startServiceRow(db, 'c1', 'nova-compute', 'mitaka', { versionUpdateFix: true });
    expect((await autoCap(db)).version_cap).toBe('4.5'); // c2 still at 2
    await startServiceRow(db, 'c2', 'nova-compute', 'mitaka', { versionUpdateFix: true });
    expect(await db.service_get_minimum_version('nova-compute')).toBe(9);
    // The conductor that was not restarted keeps LAST_VERSION = 4.5 ...
    expect(conductor.cap.construct('auto')).toBe('4.5');
    // ... a restarted process (a new module, LAST_VERSION None) reads 9 -> 4.11.
    expect((await autoCap(db)).version_cap).toBe('4.11');
  });

  it('a new Mitaka compute row is refused when the deployment is already newer than it (ServiceTooOld)', async () => {
    const db = dbWith([row(1, 'c1', 10)]);
    await expect(startServiceRow(db, 'c9', 'nova-compute', 'mitaka')).rejects.toSatisfy(
      (e: unknown) => isPy(e, 'ServiceTooOld') && /older \(v9\) than the minimum \(v10\)/.test((e as Error).message),
    );
  });
});
