/**
 * The services table's `version` column and what reads it: the global
 * service version counter nova stamps on every Service object it saves
 * (Liberty 12.0.0 introduced it at 2, Mitaka 13.0.0 is at 9), its history of
 * compute RPC levels, and `Service.get_minimum_version`
 * (nova/objects/service.py, nova/db/sqlalchemy/api.py @12.0.0 and @13.0.0).
 *
 * Juno and Kilo have no such column in their code (their rows read 0 after
 * Liberty's schema migration adds it with default 0); Icehouse neither.
 */
import { NovaException, ObjectActionError } from './exception';
import type { KnownRelease } from './releases';

/** nova.objects.service.SERVICE_VERSION per release (absent before Liberty). */
export const SERVICE_VERSION: Partial<Record<KnownRelease, number>> = { liberty: 2, mitaka: 9 };

/**
 * SERVICE_VERSION_HISTORY[i].compute_rpc per release. 12.0.0's entry 0 is an
 * empty dict (no compute_rpc key); 13.0.0 filled it with '4.0'.
 */
export const SERVICE_VERSION_HISTORY: Partial<Record<KnownRelease, ReadonlyArray<{ compute_rpc?: string }>>> = {
  liberty: [{}, { compute_rpc: '4.4' }, { compute_rpc: '4.5' }],
  mitaka: [
    { compute_rpc: '4.0' }, // 0: pre-history
    { compute_rpc: '4.4' }, // 1: introduction of SERVICE_VERSION
    { compute_rpc: '4.5' }, // 2: rebuild_instance signature
    { compute_rpc: '4.6' }, // 3: trigger_crash_dump
    { compute_rpc: '4.6' }, // 4: PciDevice.parent_addr (data migration)
    { compute_rpc: '4.7' }, // 5: detach_volume attachment_id
    { compute_rpc: '4.8' }, // 6: migrate_data objects
    { compute_rpc: '4.9' }, // 7: live_migration_force_complete
    { compute_rpc: '4.10' }, // 8: live_migration_abort
    { compute_rpc: '4.11' }, // 9: block_migration / disk_over_commit may be None
  ],
};

/** The one database query get_minimum_version needs (nova's db API). */
export interface MinimumVersionSource {
  service_get_minimum_version(binary: string): Promise<number | null>;
}

/**
 * Service.get_minimum_version(context, binary) @13.0.0 (Service 1.19; a
 * remotable classmethod, so a compute asks its conductor). A binary that
 * does not start with `nova-` raises ObjectActionError (after a warning);
 * no matching row gives 0. The class-level cache is only consulted when
 * caching was enabled, which 13.0.0 never does by default.
 */
export class ServiceMinimumVersion {
  /** Service._SERVICE_VERSION_CACHING */
  caching = false;
  /** Service._MIN_VERSION_CACHE */
  readonly cache = new Map<string, number>();
  constructor(
    private readonly db: MinimumVersionSource,
    private readonly warn: (msg: string) => void = () => {},
  ) {}

  async get_minimum_version(binary: string): Promise<number> {
    if (!binary.startsWith('nova-')) {
      this.warn(`get_minimum_version called with likely-incorrect binary \`${binary}'`);
      throw ObjectActionError({ action: 'get_minimum_version', reason: 'Invalid binary prefix' });
    }
    if (this.caching) {
      const cached = this.cache.get(binary);
      if (cached) return cached;
    }
    const version = await this.db.service_get_minimum_version(binary);
    if (version === null) return 0;
    this.cache.set(binary, version);
    return version;
  }
}

/** The part of the database a service's start touches in its services row. */
export interface ServiceRowStore extends MinimumVersionSource {
  service_get_by_host_and_binary(host: string, binary: string): Promise<Record<string, unknown> | null>;
  service_create(values: Record<string, unknown>): Promise<Record<string, unknown>>;
  service_update(id: number, values: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export interface ServiceStartOptions {
  /** nova-api (WSGIService.start) runs _update_service_ref in 13.0.0; RPC services do not. */
  wsgi?: boolean;
  /**
   * The fix for bug 1579839 ("Fix service version to update the DB", in
   * 13.1.2 and 14.0.0): every start saves the running SERVICE_VERSION into an
   * existing row. Off = 13.0.0 (and 12.0.0), where an existing row keeps the
   * version it was created with.
   */
  versionUpdateFix?: boolean;
  log?: (level: 'info' | 'error', message: string) => void;
}

/**
 * What a service's start does to its services row at a release:
 * `Service.get_by_host_and_binary`, and `_create_service_ref` when there is
 * none. Liberty and Mitaka stamp SERVICE_VERSION on the new row (Mitaka's
 * Service.create first checks the deployment's minimum: ServiceTooOld when
 * it is above its own). Older releases write no version (the column's
 * default 0). An existing row is left as it is: 13.0.0's Service.save()
 * returns early when `version` is the only change, and _from_db_object has
 * reset the version the constructor set, so a restarted Mitaka service
 * keeps the version its row was created with (nova-api even logs
 * "Updating service version ..." and then saves nothing).
 */
export async function startServiceRow(
  db: ServiceRowStore,
  host: string,
  binary: string,
  release: KnownRelease,
  options: ServiceStartOptions = {},
): Promise<Record<string, unknown>> {
  const log = options.log ?? (() => {});
  const stamp = SERVICE_VERSION[release];
  const existing = await db.service_get_by_host_and_binary(host, binary);
  if (!existing) {
    if (release === 'mitaka') {
      const minver = (await db.service_get_minimum_version(binary)) ?? 0;
      if (minver > stamp!) throw serviceTooOldError(stamp!, minver);
    }
    return db.service_create({ host, binary, topic: binary.replace(/^nova-/, ''), report_count: 0, ...(stamp === undefined ? {} : { version: stamp }) });
  }
  if (stamp === undefined) return existing;
  const current = typeof existing.version === 'number' ? existing.version : 0;
  if (options.versionUpdateFix) {
    if (current !== stamp) {
      log('info', `Updating service version for ${binary} on ${host} from ${current} to ${stamp}`);
      return db.service_update(existing.id as number, { version: stamp });
    }
    return existing;
  }
  if (release === 'mitaka' && options.wsgi && current !== stamp) {
    log('info', `Updating service version for ${binary} on ${host} from ${current} to ${stamp}`);
    // service.save(): updates == ['version'] -> return (nothing written).
  }
  return existing;
}

/** nova.exception.ServiceTooOld @13.0.0 (an Invalid, code 400). */
export function serviceTooOldError(thisver: number, minver: number): NovaException {
  return new NovaException(
    'ServiceTooOld',
    `This service is older (v${thisver}) than the minimum (v${minver}) version of the rest of the deployment. Unable to continue.`,
    { thisver, minver, code: 400 },
  );
}
