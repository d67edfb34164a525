/**
 * The database side of an upgrade, as the operator runs it with nova-manage:
 *
 *  - `nova-manage db sync` brings the schema to the code's release. In the
 *    Juno -> Kilo -> Liberty era schema migrations only add (expand): the
 *    old release's services keep working on the newer schema, which is why
 *    the schema can move first and the services one at a time. A service
 *    that touches the database (api, conductor, scheduler; never compute)
 *    cannot run newer code than the schema: its queries name columns that
 *    are not there yet.
 *  - Kilo moves each instance's flavor out of `instance_system_metadata`
 *    (`instance_type_*` keys) into the new `instance_extra.flavor` column
 *    (Instance 1.18). Kilo objects migrate a row when they load and save it;
 *    `nova-manage db migrate_flavor_data [--max-number N]` (nova/cmd/manage.py
 *    @2015.1.0) moves the rest in batches and prints
 *    "%(total)i instances matched query, %(done)i completed".
 *  - Liberty's migration 291_enforce_flavors_migrated refuses `db sync` while
 *    any live instance still has `instance_type_id` in its system_metadata.
 *
 * The schema is tracked per database only once a scenario runs a `db` step:
 * scenarios that never do keep the old behaviour (no schema checks).
 */
import { RELEASES, releaseIndex, type Release } from '../releases';
import { delete_flavor_info, extract_flavor, has_flavor_info } from '../objects/flavors';
import type { Database, InstanceRow } from './api';

const schemas = new WeakMap<object, Release>();

/** The schema release of this database, or null when no `db sync` ever ran in this run. */
export function schemaOf(db: object): Release | null {
  return schemas.get(db) ?? null;
}

export class MigrationError extends Error {}

/** Binaries whose code queries the database directly. */
export const DB_BINARIES = ['nova-api', 'nova-conductor', 'nova-scheduler'] as const;

/**
 * Why a service of `binary` at `release` cannot run on this database, or null.
 * Only services that query the database care; computes go through conductor.
 */
export function schemaProblem(db: object, binary: string, release: Release): string | null {
  const schema = schemaOf(db);
  if (schema === null || !(DB_BINARIES as readonly string[]).includes(binary)) return null;
  if (releaseIndex(release) <= releaseIndex(schema)) return null;
  return `${binary} ${release} cannot run on a ${schema} database schema (its queries name ${release} columns): sync the schema with the ${release} code first`;
}

const FLAVOR_VERSION = '1.1';

function flavorPrimitive(sysmeta: Record<string, unknown>, prefix: string): Record<string, unknown> | null {
  if (!has_flavor_info(sysmeta, prefix)) return null;
  return {
    'nova_object.name': 'Flavor',
    'nova_object.namespace': 'nova',
    'nova_object.version': FLAVOR_VERSION,
    'nova_object.data': extract_flavor(sysmeta, prefix),
  };
}

/** Live instances whose flavor is still in system_metadata (what 291_enforce_flavors_migrated counts). */
export async function unmigratedFlavors(db: Database): Promise<InstanceRow[]> {
  return (await db.instance_get_all({})).filter((r) => !r.deleted && has_flavor_info(r.system_metadata));
}

export interface SyncResult {
  from: Release | null;
  to: Release;
  /** What changed, one line per migration group, for the trace. */
  lines: string[];
}

/** `nova-manage db sync` run with `release`'s code. Never goes backwards (nova has no downgrade path here). */
export async function dbSync(db: Database, release: Release): Promise<SyncResult> {
  const from = schemaOf(db);
  const lines: string[] = [];
  if (from !== null && releaseIndex(release) < releaseIndex(from)) {
    throw new MigrationError(`the database schema is already ${from}; ${release} code cannot sync it down (restore the backup to go back)`);
  }
  const steps = RELEASES.filter((r) => releaseIndex(r) <= releaseIndex(release) && (from === null || releaseIndex(r) > releaseIndex(from)));
  for (const r of steps) {
    if (r === 'kilo') lines.push('kilo migrations: instance_extra gains a flavor column (the data stays in system_metadata until it is migrated)');
    if (r === 'liberty') {
      const left = await unmigratedFlavors(db);
      if (left.length > 0) {
        throw new MigrationError(
          `291_enforce_flavors_migrated: ValidationError: There are still ${left.length} unmigrated flavor records. Migration cannot continue until all instance flavor records have been migrated to the new format. Please run \`nova-manage db migrate_flavor_data' first.`,
        );
      }
      lines.push('liberty migrations: 291_enforce_flavors_migrated finds every flavor migrated');
    }
    if (r === 'mitaka') {
      lines.push('mitaka migrations: 303-319 (parent_addr, resource providers, migration progress, disk_allocation_ratio, aggregate uuid); no data check');
    }
  }
  schemas.set(db, release);
  return { from, to: release, lines };
}

export interface FlavorMigration {
  /** Instances the query found (flavor still in system_metadata). */
  matched: number;
  /** Instances moved in this run (at most max_number). */
  done: number;
  /** nova-manage's own line. */
  line: string;
}

/** `nova-manage db migrate_flavor_data [--max-number N]` (Kilo). */
export async function migrateFlavorData(db: Database, maxNumber: number | null = null): Promise<FlavorMigration> {
  const schema = schemaOf(db);
  if (schema !== null && releaseIndex(schema) < releaseIndex('kilo')) {
    throw new MigrationError('migrate_flavor_data needs the kilo schema (instance_extra.flavor): run nova-manage db sync with the kilo code first');
  }
  if (maxNumber !== null && maxNumber < 0) throw new MigrationError('Must supply a positive value for max_number');
  const rows = await unmigratedFlavors(db);
  const batch = maxNumber === null ? rows : rows.slice(0, maxNumber);
  for (const row of batch) {
    const sysmeta = { ...(row.system_metadata as Record<string, unknown>) };
    const info = { cur: flavorPrimitive(sysmeta, ''), old: flavorPrimitive(sysmeta, 'old_'), new: flavorPrimitive(sysmeta, 'new_') };
    for (const prefix of ['', 'old_', 'new_']) if (has_flavor_info(sysmeta, prefix)) delete_flavor_info(sysmeta, prefix);
    const extra = { ...((row.extra ?? {}) as Record<string, unknown>), flavor: JSON.stringify(info) };
    await db.instance_update_and_get_original(row.uuid, { system_metadata: sysmeta as Record<string, string | null>, extra });
  }
  return { matched: rows.length, done: batch.length, line: `${rows.length} instances matched query, ${batch.length} completed` };
}

interface Backup {
  dump: ReturnType<import('./memory').MemoryDatabase['dump']>;
  schema: Release | null;
}
const backups = new WeakMap<object, Backup>();

/** The operator's backup before an upgrade (a mysqldump in real life): rows and schema. */
export function backupDatabase(db: import('./memory').MemoryDatabase): string {
  const dump = db.dump();
  backups.set(db, { dump, schema: schemaOf(db) });
  return `backup taken: ${dump.instances.length} instances, ${dump.services.length} services, schema ${schemaOf(db) ?? 'unknown'}`;
}

/** Restore the last backup: the only way back to an older schema. */
export function restoreDatabase(db: import('./memory').MemoryDatabase): string {
  const b = backups.get(db);
  if (!b) throw new MigrationError('there is no backup to restore');
  db.load(b.dump);
  if (b.schema) schemas.set(db, b.schema);
  else schemas.delete(db);
  return `backup restored: ${b.dump.instances.length} instances, schema ${b.schema ?? 'unknown'}`;
}
