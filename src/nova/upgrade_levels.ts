import type { PyException } from '../oslo/exception';
import upgradeLevels from './data/upgrade-levels.json';
import type { KnownRelease } from './releases';
import { SERVICE_VERSION, SERVICE_VERSION_HISTORY, serviceTooOldError } from './service_version';

/** Services with an [upgrade_levels] option in the modelled releases. */
export type UpgradeLevelService =
  | 'compute'
  | 'conductor'
  | 'scheduler'
  | 'cert'
  | 'console'
  | 'consoleauth'
  | 'network'
  | 'cells'
  | 'intercell'
  | 'baseapi';

type AliasTable = Record<string, Record<string, { version_aliases: Record<string, string> }>>;
const TABLE = (upgradeLevels as { releases: AliasTable }).releases;

/** The VERSION_ALIASES of a service's client class at a release. */
export function versionAliases(service: string, release: KnownRelease): Record<string, string> {
  const entry = TABLE[release]?.[service];
  if (!entry) throw new Error(`No ${service} RPC client in the ${release} model`);
  return entry.version_aliases;
}

/**
 * How every nova rpcapi client turns `[upgrade_levels] <service>` into its
 * cap: VERSION_ALIASES.get(level, level). A release name known to that
 * client's release maps to a version; anything else is used verbatim (a
 * word that is no version then fails at the first comparison); unset is no
 * cap at all.
 */
export function resolveVersionCap(service: string, release: KnownRelease, level: string | null | undefined): string | null {
  if (level === null || level === undefined) return null;
  const aliases = versionAliases(service, release);
  return Object.prototype.hasOwnProperty.call(aliases, level) ? aliases[level]! : level;
}

// ---------------------------------------------------------------------------
// Mitaka (13.0.0) `[upgrade_levels] compute = auto`, kept beside the alias rule
// it extends (nova/compute/rpcapi.py ComputeAPI.__init__ and
// _determine_version_cap, nova/objects/service.py @13.0.0).
// ---------------------------------------------------------------------------

/** ComputeAPI.VERSION_ALIASES @13.0.0 */
export const MITAKA_COMPUTE_ALIASES: Record<string, string> = versionAliases('compute', 'mitaka');
/** nova.objects.service.SERVICE_VERSION @13.0.0 */
export const MITAKA_SERVICE_VERSION = SERVICE_VERSION.mitaka!;
/** SERVICE_VERSION_HISTORY[i]['compute_rpc'] @13.0.0 */
export const MITAKA_SERVICE_VERSION_HISTORY = SERVICE_VERSION_HISTORY.mitaka!;

/** nova.exception.ServiceTooOld (an Invalid) @13.0.0 */
export function serviceTooOld(thisver: number, minver: number): PyException {
  return serviceTooOldError(thisver, minver);
}

/** A log line as nova's LOG would write it. */
export type CapLog = (level: 'info' | 'error', message: string) => void;

/**
 * The module global LAST_VERSION of nova.compute.rpcapi with the
 * constructor's cap rule: `auto` reads Service.get_minimum_version once
 * (None -> 0) and caches the history's compute_rpc; an index past the table
 * is ServiceTooOld; a missing key falls back to the target's 4.0 (not
 * cached); a manager's reset() (SIGHUP) clears the cache. Other values
 * resolve through the aliases. One instance per process (worker): a
 * restarted service starts with LAST_VERSION None and reads the table again.
 */
export class MitakaComputeCap {
  LAST_VERSION: string | null = null;
  db_queries = 0;
  constructor(
    private readonly minimumComputeVersion: () => number | null,
    private readonly log: CapLog = () => {},
  ) {}

  /** ComputeAPI.__init__'s version_cap. */
  construct(level: string | null): string | null {
    if (level === 'auto') return this._determine_version_cap('4.0');
    if (level === null) return null;
    return Object.prototype.hasOwnProperty.call(MITAKA_COMPUTE_ALIASES, level) ? MITAKA_COMPUTE_ALIASES[level]! : level;
  }

  /** compute/conductor/console/consoleauth manager reset(): compute_rpcapi.LAST_VERSION = None */
  reset(): void {
    this.LAST_VERSION = null;
  }

  private _determine_version_cap(targetVersion: string): string {
    if (this.LAST_VERSION) return this.LAST_VERSION;
    this.db_queries += 1;
    const service_version = this.minimumComputeVersion() ?? 0;
    const entry = MITAKA_SERVICE_VERSION_HISTORY[service_version];
    if (entry === undefined) {
      this.log('error', `Failed to extract compute RPC version from service history because I am too old (minimum version is now ${service_version})`);
      throw serviceTooOld(MITAKA_SERVICE_VERSION, service_version);
    }
    if (entry.compute_rpc === undefined) {
      this.log('error', `Failed to extract compute RPC version from service history for version ${service_version}`);
      return targetVersion;
    }
    this.LAST_VERSION = entry.compute_rpc;
    this.log('info', `Automatically selected compute RPC version ${entry.compute_rpc} from minimum service version ${service_version}`);
    return entry.compute_rpc;
  }
}
