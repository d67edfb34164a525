import upgradeLevels from './data/upgrade-levels.json';
import type { Release } from './releases';

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
export function versionAliases(service: string, release: Release): Record<string, string> {
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
export function resolveVersionCap(service: string, release: Release, level: string | null | undefined): string | null {
  if (level === null || level === undefined) return null;
  const aliases = versionAliases(service, release);
  return Object.prototype.hasOwnProperty.call(aliases, level) ? aliases[level]! : level;
}
