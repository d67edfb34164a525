/**
 * The instance row shape shared by every release's object code (see
 * README.md). The simulated database (src/nova/db) stores rows as given;
 * this module is the only place that knows how the releases' two flavor
 * storages are kept side by side:
 *
 *   row.system_metadata  - the Juno view: `[old_|new_]instance_type_*` keys
 *   row.extra.flavor     - the Kilo/Liberty view: JSON {cur, old, new} of
 *                          Flavor primitives (instance_extra.flavor)
 *
 * Writers always refresh both, so Juno, Kilo and Liberty services can share
 * one database during a rolling upgrade. Real Kilo moved the data one way
 * (sysmeta -> extra, `nova-manage db migrate_flavor_data`); keeping both is
 * a simulator convenience.
 */
import type { Row } from '../db/api';
import { extract_flavor, FLAVOR_SLOTS, is_flavor_key, save_flavor_info } from './flavors';

export type FlavorPrimitive = Record<string, unknown>;
export interface FlavorInfo {
  cur: FlavorPrimitive | null;
  old: FlavorPrimitive | null;
  new: FlavorPrimitive | null;
}

/** Every scalar column of nova's `instances` table the objects read (Juno..Liberty). */
export const INSTANCE_COLUMNS: Record<string, unknown> = {
  user_id: null,
  project_id: null,
  image_ref: null,
  kernel_id: null,
  ramdisk_id: null,
  hostname: null,
  launch_index: null,
  key_name: null,
  key_data: null,
  power_state: 0,
  vm_state: null,
  task_state: null,
  memory_mb: null,
  vcpus: null,
  root_gb: null,
  ephemeral_gb: null,
  ephemeral_key_uuid: null,
  host: null,
  node: null,
  instance_type_id: null,
  user_data: null,
  reservation_id: null,
  scheduled_at: null,
  launched_at: null,
  terminated_at: null,
  availability_zone: null,
  display_name: null,
  display_description: null,
  launched_on: null,
  locked: false,
  locked_by: null,
  os_type: null,
  architecture: null,
  vm_mode: null,
  root_device_name: null,
  default_ephemeral_device: null,
  default_swap_device: null,
  config_drive: null,
  access_ip_v4: null,
  access_ip_v6: null,
  auto_disk_config: false,
  progress: null,
  shutdown_terminate: false,
  disable_terminate: false,
  cell_name: null,
  cleaned: 0,
  metadata: {},
  system_metadata: {},
  info_cache: null,
  security_groups: [],
  pci_devices: [],
  tags: [],
  faults: [],
  extra: { flavor: null, numa_topology: null, pci_requests: null, vcpu_model: null, migration_context: null },
};

/** A Flavor 1.1 envelope as Kilo's Instance._save_flavor writes it. */
export function flavorEnvelope(data: Record<string, unknown>): FlavorPrimitive {
  return {
    'nova_object.name': 'Flavor',
    'nova_object.namespace': 'nova',
    'nova_object.version': '1.1',
    'nova_object.data': data,
  };
}

export function parseFlavorInfo(row: Row): FlavorInfo | null {
  const extra = (row.extra ?? null) as Record<string, unknown> | null;
  const raw = extra?.flavor;
  if (raw === null || raw === undefined) return null;
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as FlavorInfo;
}

/** str() of a value as it lands in a DictOfNullableStrings (floats keep their ".0"). */
export function sysmetaString(key: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && key.endsWith('rxtx_factor') && Number.isInteger(v)) return `${v}.0`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

export function stringifySysmeta(md: Record<string, unknown>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(md)) out[k] = sysmetaString(k, v);
  return out;
}

/** The row's system_metadata without any flavor keys (what Kilo/Liberty objects see). */
export function sysmetaWithoutFlavor(md: Record<string, unknown>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(md)) if (!is_flavor_key(k)) out[k] = sysmetaString(k, v);
  return out;
}

/** Flavor keys of every non-null slot of a FlavorInfo, as strings. */
export function flavorKeysFromInfo(info: FlavorInfo | null): Record<string, string | null> {
  const md: Record<string, unknown> = {};
  if (!info) return {};
  const slots: Array<[string, FlavorPrimitive | null]> = [
    ['', info.cur],
    ['old_', info.old],
    ['new_', info.new],
  ];
  for (const [prefix, prim] of slots) {
    if (!prim) continue;
    const data = (prim['nova_object.data'] ?? {}) as Record<string, unknown>;
    const filled: Record<string, unknown> = { vcpu_weight: null, swap: 0, rxtx_factor: 1.0, ...data };
    save_flavor_info(md, filled, prefix);
  }
  return stringifySysmeta(md);
}

/**
 * FlavorInfo rebuilt from sysmeta keys (Juno writers; Kilo's _migrate_flavor
 * does the same in memory). Fields sysmeta does not carry are taken from the
 * previous extra.flavor entry when it is the same flavor.
 */
export function flavorInfoFromSysmeta(md: Record<string, unknown>, previous: FlavorInfo | null): FlavorInfo | null {
  const slot = (prefix: string, prev: FlavorPrimitive | null): FlavorPrimitive | null => {
    let props: Record<string, unknown>;
    try {
      props = extract_flavor(md, prefix);
    } catch {
      return null;
    }
    const prevData = (prev?.['nova_object.data'] ?? null) as Record<string, unknown> | null;
    const base: Record<string, unknown> =
      prevData && String(prevData.flavorid) === String(props.flavorid)
        ? { ...prevData }
        : { disabled: false, is_public: true, extra_specs: {}, projects: [], deleted: false };
    const extra_specs = { ...((base.extra_specs as Record<string, string>) ?? {}), ...((props.extra_specs as Record<string, string>) ?? {}) };
    return flavorEnvelope({ ...base, ...props, extra_specs });
  };
  const cur = slot('', previous?.cur ?? null);
  if (!cur) return null;
  return { cur, old: slot('old_', previous?.old ?? null), new: slot('new_', previous?.new ?? null) };
}

/**
 * Bring a set of row values into the two-storage shape before a write.
 * `current` is the row as stored (null on create). Kilo/Liberty writers pass
 * sysmeta without flavor keys and/or extra.flavor; Juno writers pass sysmeta
 * with keys and no extra.flavor.
 */
export function syncFlavorStorage(values: Row, current: Row | null, writer: 'juno' | 'kilo' | 'liberty'): Row {
  const out: Row = { ...values };
  const currentExtra = (current?.extra ?? {}) as Record<string, unknown>;
  const extra = { ...(INSTANCE_COLUMNS.extra as Record<string, unknown>), ...currentExtra, ...((values.extra ?? {}) as Record<string, unknown>) };
  const currentInfo = current ? parseFlavorInfo(current) : null;
  if (writer === 'juno') {
    if ('system_metadata' in values) {
      const md = stringifySysmeta(values.system_metadata as Record<string, unknown>);
      out.system_metadata = md;
      const info = flavorInfoFromSysmeta(md, currentInfo);
      if (info) extra.flavor = JSON.stringify(info);
      out.extra = extra;
    }
    return out;
  }
  const touchesFlavor = values.extra !== undefined && Object.prototype.hasOwnProperty.call(values.extra, 'flavor');
  if ('system_metadata' in values || touchesFlavor) {
    const info = touchesFlavor ? parseFlavorInfo({ extra }) : currentInfo;
    const baseMd =
      'system_metadata' in values
        ? (values.system_metadata as Record<string, unknown>)
        : ((current?.system_metadata ?? {}) as Record<string, unknown>);
    out.system_metadata = { ...sysmetaWithoutFlavor(baseMd), ...flavorKeysFromInfo(info) };
  }
  if (values.extra !== undefined || current === null) out.extra = extra;
  return out;
}

/** Juno's view of a row's system_metadata: synthesize flavor keys a Kilo writer left only in extra. */
export function junoSysmetaView(row: Row): Record<string, string | null> {
  const md = stringifySysmeta((row.system_metadata ?? {}) as Record<string, unknown>);
  if (md['instance_type_id'] === undefined) Object.assign(md, flavorKeysFromInfo(parseFlavorInfo(row)));
  return md;
}

export { FLAVOR_SLOTS };
