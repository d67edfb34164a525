/**
 * The flavor <-> system_metadata helpers of nova/compute/flavors.py
 * (identical in 2014.2 and 2015.1.0): before Instance 1.18 an instance's
 * flavor lived in system_metadata as `[prefix]instance_type_<prop>` keys
 * (prefix '', 'old_' or 'new_'), plus `[prefix]instance_type_extra_<spec>`
 * for the NUMA extra specs only.
 */
import { PyKeyError } from '../../oslo/exception';
import { isVersionedObject, type VersionedObject } from '../../oslo/objects';

/** system_metadata_flavor_props, in nova's dict order, with the converter extract_flavor applies. */
export const SYSTEM_METADATA_FLAVOR_PROPS: ReadonlyArray<readonly [string, (v: unknown) => unknown]> = [
  ['id', pyInt],
  ['name', pyStr],
  ['memory_mb', pyInt],
  ['vcpus', pyInt],
  ['root_gb', pyInt],
  ['ephemeral_gb', pyInt],
  ['flavorid', pyStr],
  ['swap', pyInt],
  ['rxtx_factor', pyFloat],
  ['vcpu_weight', (v) => (v === null || v === undefined ? null : pyInt(v))],
];
export const FLAVOR_PROP_NAMES = SYSTEM_METADATA_FLAVOR_PROPS.map(([k]) => k);

/** system_metadata_flavor_extra_props: only these extra specs are stashed. */
export const SYSTEM_METADATA_FLAVOR_EXTRA_PROPS = ['hw:numa_cpus.', 'hw:numa_mem.'] as const;

/** The three flavor slots of an instance: (sysmeta prefix, Instance field). */
export const FLAVOR_SLOTS = [
  ['', 'flavor'],
  ['old_', 'old_flavor'],
  ['new_', 'new_flavor'],
] as const;

function pyInt(v: unknown): number {
  const n = typeof v === 'number' ? Math.trunc(v) : parseInt(String(v), 10);
  if (Number.isNaN(n)) throw new PyKeyError(`invalid literal for int(): ${String(v)}`);
  return n;
}
function pyFloat(v: unknown): number {
  return typeof v === 'number' ? v : parseFloat(String(v));
}
function pyStr(v: unknown): string {
  return String(v);
}

type FlavorLike = VersionedObject | Record<string, unknown>;

/** instance_type[key] for a Flavor object (NovaObjectDictCompat) or a dict. */
function item(flavor: FlavorLike, key: string): unknown {
  if (isVersionedObject(flavor)) return (flavor as VersionedObject).get(key);
  if (!Object.prototype.hasOwnProperty.call(flavor, key)) throw new PyKeyError(`'${key}'`);
  return flavor[key];
}

/** instance_type.get('extra_specs', {}) */
function extraSpecsOf(flavor: FlavorLike): Record<string, string> {
  if (isVersionedObject(flavor)) return (flavor as VersionedObject).getOr<Record<string, string>>('extra_specs', {});
  return (flavor.extra_specs as Record<string, string> | undefined) ?? {};
}

/**
 * save_flavor_info: write the flavor's props into `metadata` in place (raw
 * values, as nova does: ints stay ints until a String field coerces them)
 * and return it.
 */
export function save_flavor_info(
  metadata: Record<string, unknown>,
  flavor: FlavorLike,
  prefix = '',
): Record<string, unknown> {
  for (const key of FLAVOR_PROP_NAMES) metadata[`${prefix}instance_type_${key}`] = item(flavor, key);
  const extra = extraSpecsOf(flavor);
  for (const extraPrefix of SYSTEM_METADATA_FLAVOR_EXTRA_PROPS) {
    for (const key of Object.keys(extra)) {
      if (key.startsWith(extraPrefix)) metadata[`${prefix}instance_type_extra_${key}`] = extra[key];
    }
  }
  return metadata;
}

/**
 * extract_flavor (Juno form): a dict of typed props from system_metadata;
 * a missing key raises KeyError like nova's sys_meta[type_key].
 */
export function extract_flavor(sysmeta: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, conv] of SYSTEM_METADATA_FLAVOR_PROPS) {
    const k = `${prefix}instance_type_${key}`;
    if (!Object.prototype.hasOwnProperty.call(sysmeta, k)) throw new PyKeyError(`'${k}'`);
    out[key] = conv(sysmeta[k]);
  }
  const extraKey = `${prefix}instance_type_extra_`;
  const extras = Object.entries(sysmeta).filter(([k]) => k.startsWith(extraKey));
  if (extras.length) {
    const specs: Record<string, unknown> = {};
    for (const [k, v] of extras) specs[k.slice(extraKey.length)] = v;
    out.extra_specs = specs;
  }
  return out;
}

/** delete_flavor_info: remove the props (KeyError when one is missing) and stashed extra specs. */
export function delete_flavor_info(metadata: Record<string, unknown>, ...prefixes: string[]): Record<string, unknown> {
  for (const key of FLAVOR_PROP_NAMES) {
    for (const prefix of prefixes) {
      const k = `${prefix}instance_type_${key}`;
      if (!Object.prototype.hasOwnProperty.call(metadata, k)) throw new PyKeyError(`'${k}'`);
      delete metadata[k];
    }
  }
  for (const key of Object.keys(metadata)) {
    for (const prefix of prefixes) {
      if (key.startsWith(`${prefix}instance_type_extra_`)) delete metadata[key];
    }
  }
  return metadata;
}

/** True when system_metadata carries a flavor for `prefix`. */
export function has_flavor_info(sysmeta: Record<string, unknown> | null | undefined, prefix = ''): boolean {
  return !!sysmeta && Object.prototype.hasOwnProperty.call(sysmeta, `${prefix}instance_type_id`);
}

/** Every key the flavor helpers own, for any prefix. */
export function is_flavor_key(key: string): boolean {
  return /^(old_|new_)?instance_type_/.test(key);
}
