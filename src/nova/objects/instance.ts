/**
 * Instance and InstanceList for one release, with the DB-backed remotable
 * methods (what runs on nova-conductor, nova-api and nova-scheduler, or
 * locally when there is no indirection API).
 *
 * Mirrors nova/objects/instance.py @2014.2 / @2015.1.0 / @12.0.0:
 * INSTANCE_OPTIONAL_ATTRS per release, _from_db_object, get_by_uuid,
 * create, save (only changed columns; sub-objects through _save_<field>),
 * refresh, destroy, the metadata change tracking, obj_load_attr, Kilo's
 * flavor migration between system_metadata and instance_extra.
 *
 * Lazy-loading: Python's getattr lazy-loads from the DB synchronously.
 * Here get() is synchronous, so obj_load_attr only does what needs no I/O
 * (Kilo's sysmeta -> flavor migration) and otherwise raises; use
 * `await loadInstanceAttr(inst, attr)` (same effect as nova's lazy-load:
 * get_by_uuid with expected_attrs=[attr], through conductor when the
 * world has an indirection API).
 */
import {
  isObjectField,
  ObjectActionError,
  OrphanedObjectError,
  pyEquals,
  remotable_classmethod_call,
  type Field,
  type KiloNovaObject,
  type ObjectWorld,
  type Primitive,
  type Relationship,
  type RemotableClassImpl,
  type RemotableImpl,
  type VersionedObject,
  type VersionedObjectClass,
} from '../../oslo/objects';
import type { InstanceRow, Row } from '../db/api';
import { bindArgs, cls, make, makeList, objToRow, requireDb, setFromRow, toRowValue, type ObjectsEnv } from './common';
import {
  flavorEnvelope,
  INSTANCE_COLUMNS,
  junoSysmetaView,
  parseFlavorInfo,
  stringifySysmeta,
  syncFlavorStorage,
  sysmetaWithoutFlavor,
  type FlavorInfo,
} from './db_rows';
import { delete_flavor_info, extract_flavor, FLAVOR_SLOTS, has_flavor_info, save_flavor_info } from './flavors';

/** 'mitaka' is Liberty's InstanceV2 rules plus the 13.0.0 `services` join (Instance 2.1). */
export type InstanceFlavour = 'icehouse' | 'juno' | 'kilo' | 'liberty' | 'mitaka';

/** Icehouse (2014.1, Instance 1.13) keeps Juno's flavor-in-system_metadata model, without numa_topology. */
function junoish(flavour: InstanceFlavour): boolean {
  return flavour === 'juno' || flavour === 'icehouse';
}

const NOVA = 'nova.exception';

const JOINED: Record<InstanceFlavour, string[]> = {
  icehouse: ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'pci_devices'],
  juno: ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'pci_devices'],
  kilo: ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'pci_devices', 'tags'],
  liberty: ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'pci_devices', 'tags'],
  mitaka: ['metadata', 'system_metadata', 'info_cache', 'security_groups', 'pci_devices', 'tags', 'services'],
};
const NON_COLUMN: Record<InstanceFlavour, string[]> = {
  icehouse: ['fault'],
  juno: ['fault', 'numa_topology'],
  kilo: ['fault', 'flavor', 'old_flavor', 'new_flavor'],
  liberty: ['fault', 'flavor', 'old_flavor', 'new_flavor', 'ec2_ids'],
  mitaka: ['fault', 'flavor', 'old_flavor', 'new_flavor', 'ec2_ids'],
};
const EXTRA: Record<InstanceFlavour, string[]> = {
  icehouse: [],
  juno: [],
  kilo: ['numa_topology', 'pci_requests', 'flavor', 'vcpu_model'],
  liberty: ['numa_topology', 'pci_requests', 'flavor', 'vcpu_model', 'migration_context'],
  mitaka: ['numa_topology', 'pci_requests', 'flavor', 'vcpu_model', 'migration_context'],
};

/** INSTANCE_OPTIONAL_ATTRS of the release. */
export function instanceOptionalAttrs(flavour: InstanceFlavour): string[] {
  return [...JOINED[flavour], ...NON_COLUMN[flavour], ...EXTRA[flavour]];
}
export const INSTANCE_DEFAULT_FIELDS = ['metadata', 'system_metadata', 'info_cache', 'security_groups'];

/** The string fields Instance.obj_make_compatible ascii-encodes below 1.7 (Juno..Liberty). */
export const UNICODE_ATTRIBUTES = [
  'user_id', 'project_id', 'image_ref', 'kernel_id', 'ramdisk_id', 'hostname', 'key_name', 'key_data',
  'host', 'node', 'user_data', 'availability_zone', 'display_name', 'display_description', 'launched_on',
  'locked_by', 'os_type', 'architecture', 'vm_mode', 'root_device_name', 'default_ephemeral_device',
  'default_swap_device', 'config_drive', 'cell_name',
] as const;

/** unicode.encode('ascii', 'replace'): every non-ASCII code point becomes '?'. */
export function asciiReplace(s: string): string {
  let out = '';
  for (const ch of s) out += ch.codePointAt(0)! > 0x7f ? '?' : ch;
  return out;
}

/** Below 1.7 (all releases): squash unicode in the listed string fields. */
export function asciiEncodeStrings(primitive: Primitive): void {
  for (const f of UNICODE_ATTRIBUTES) {
    if (f in primitive && primitive[f] !== null && typeof primitive[f] === 'string') {
      primitive[f] = asciiReplace(primitive[f] as string);
    }
  }
}

/**
 * Kilo/Liberty-V1 below 1.18, only when system_metadata is in the
 * primitive: drop the flavor keys and fold each non-None flavor into
 * system_metadata as [prefix]instance_type_* (self[attr] may lazy-load).
 */
export function foldFlavorsIntoSysmeta(self: VersionedObject, primitive: Primitive): void {
  if (!('system_metadata' in primitive)) return;
  for (const [ftype, attrname] of FLAVOR_SLOTS) {
    delete primitive[attrname];
    const flavor = self.get<VersionedObject | null>(attrname);
    if (flavor !== null) save_flavor_info(primitive['system_metadata'] as Record<string, unknown>, flavor, ftype);
  }
}

/** The methods a release's Instance class has beyond VersionedObject. */
export interface NovaInstance extends VersionedObject {
  _orig_metadata: Record<string, unknown>;
  _orig_system_metadata: Record<string, unknown>;
  _reset_metadata_tracking(fields?: string[] | null): void;
}

export interface InstanceClassSpec {
  env: ObjectsEnv;
  flavour: InstanceFlavour;
  Base: VersionedObjectClass;
  version: string;
  fields: Record<string, Field>;
  relationships?: Record<string, Relationship>;
  /** obj_make_compatible body (call sup() where the release calls super). */
  compat: (self: NovaInstance, primitive: Primitive, target: string, sup: () => void) => void;
  /** JS class name, e.g. InstanceV1. */
  jsName?: string;
}

/** Defines the Instance class of a release (registered by the caller). */
export function defineInstance(spec: InstanceClassSpec): VersionedObjectClass {
  const { env, flavour } = spec;
  const C = class extends (spec.Base as typeof KiloNovaObject) implements NovaInstance {
    static override VERSION = spec.version;
    static override fields = spec.fields;
    static override obj_relationships = spec.relationships ?? {};
    static override obj_extra_fields = ['name'];
    static override obj_name() {
      return 'Instance';
    }
    static override remotable_classmethods: Record<string, RemotableClassImpl> = {
      async get_by_uuid(ctxt, args, kwargs) {
        const a = bindArgs(['uuid', 'expected_attrs', 'use_slave'], args, kwargs, { expected_attrs: null, use_slave: false });
        return instanceGetByUuid(env, flavour, this, ctxt, String(a.uuid), a.expected_attrs as string[] | null);
      },
    };
    static override remotable_methods: Record<string, RemotableImpl> = {
      async create(ctxt) {
        await instanceCreate(env, flavour, this as NovaInstance, ctxt);
      },
      async save(ctxt, args, kwargs) {
        const a = bindArgs(['expected_vm_state', 'expected_task_state', 'admin_state_reset'], args, kwargs, {
          expected_vm_state: null,
          expected_task_state: null,
          admin_state_reset: false,
        });
        await instanceSave(env, flavour, this as NovaInstance, ctxt, a);
      },
      async refresh(ctxt) {
        await instanceRefresh(env, flavour, this as NovaInstance, ctxt);
      },
      async destroy(ctxt) {
        await instanceDestroy(env, flavour, this as NovaInstance, ctxt);
      },
    };

    _orig_metadata: Record<string, unknown> = {};
    _orig_system_metadata: Record<string, unknown> = {};

    constructor(kwargs: Record<string, unknown> = {}, o: { context?: unknown; world?: ObjectWorld | null } = {}) {
      super(kwargs, o);
      this._reset_metadata_tracking();
    }

    _reset_metadata_tracking(fields: string[] | null = null): void {
      if (fields === null || fields.includes('system_metadata')) {
        this._orig_system_metadata = this.obj_attr_is_set('system_metadata')
          ? { ...this.get<Record<string, unknown>>('system_metadata') }
          : {};
      }
      if (fields === null || fields.includes('metadata')) {
        this._orig_metadata = this.obj_attr_is_set('metadata') ? { ...this.get<Record<string, unknown>>('metadata') } : {};
      }
    }

    override obj_reset_changes(fields: string[] | null = null, recursive = false): void {
      super.obj_reset_changes(fields, recursive);
      // Field initializers run after the base constructor: guard the first calls.
      if (this._orig_metadata !== undefined) this._reset_metadata_tracking(fields);
    }

    /** Dicts edited in place count as changed (nova compares with the snapshot). */
    override obj_what_changed(): Set<string> {
      const changes = super.obj_what_changed();
      if (this.obj_attr_is_set('metadata') && !pyEquals(this.get('metadata'), this._orig_metadata)) changes.add('metadata');
      if (this.obj_attr_is_set('system_metadata') && !pyEquals(this.get('system_metadata'), this._orig_system_metadata)) {
        changes.add('system_metadata');
      }
      return changes;
    }

    static override _obj_from_primitive(
      this: VersionedObjectClass,
      context: unknown,
      objver: string,
      primitive: Primitive,
      world: ObjectWorld | null,
    ): VersionedObject {
      const self = (spec.Base as VersionedObjectClass)._obj_from_primitive.call(this, context, objver, primitive, world);
      (self as NovaInstance)._reset_metadata_tracking();
      return self;
    }

    override obj_make_compatible(primitive: Primitive, target_version: string): void {
      spec.compat(this, primitive, target_version, () => super.obj_make_compatible(primitive, target_version));
    }

    override obj_load_attr(attrname: string): void {
      if (!instanceOptionalAttrs(flavour).includes(attrname)) {
        throw new ObjectActionError({ action: 'obj_load_attr', reason: `attribute ${attrname} not lazy-loadable` }, NOVA);
      }
      if (
        flavour === 'kilo' &&
        attrname.includes('flavor') &&
        this.obj_attr_is_set('system_metadata') &&
        has_flavor_info(this.get('system_metadata'))
      ) {
        // Kilo: a flavor still in system_metadata loads without a context.
        migrateFlavor(env, this);
        if (this.obj_attr_is_set(attrname)) return;
      }
      if (this._context === null || this._context === undefined) {
        throw new OrphanedObjectError({ method: 'obj_load_attr', objtype: 'Instance' }, NOVA);
      }
      throw new ObjectActionError(
        {
          action: 'obj_load_attr',
          // nova's own wording for an attribute obj_load_attr will not fetch here
          // (a synchronous read cannot wait for the database or conductor).
          reason: `attribute ${attrname} not lazy-loadable`,
        },
        NOVA,
      );
    }
  };
  Object.defineProperty(C, 'name', { value: spec.jsName ?? 'Instance' });
  return C as unknown as VersionedObjectClass;
}

// ---------------------------------------------------------------- DB mapping

function extraOf(row: Row): Record<string, unknown> | null {
  const e = row.extra as Record<string, unknown> | null | undefined;
  return e ?? null;
}

function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

function hydrate(env: ObjectsEnv, primitive: unknown, context: unknown): VersionedObject {
  const Base = Object.getPrototypeOf(cls(env, 'Flavor')) as VersionedObjectClass;
  return Base.obj_from_primitive(primitive, env.world, context);
}

/** Flavor objects from instance_extra.flavor (Kilo/Liberty _flavor_from_db). */
function flavorFromDb(env: ObjectsEnv, inst: VersionedObject, info: FlavorInfo, context: unknown): void {
  inst.set('flavor', hydrate(env, info.cur, context));
  inst.set('old_flavor', info.old ? hydrate(env, info.old, context) : null);
  inst.set('new_flavor', info.new ? hydrate(env, info.new, context) : null);
  inst.obj_reset_changes(['flavor', 'old_flavor', 'new_flavor']);
}

/** Kilo Instance._migrate_flavor: move flavors out of system_metadata (in memory). */
function migrateFlavor(env: ObjectsEnv, inst: VersionedObject): void {
  const sysmeta = inst.get<Record<string, unknown>>('system_metadata');
  const toFlavor = (prefix: string) => make(env, 'Flavor', extract_flavor(sysmeta, prefix), inst._context);
  inst.set('flavor', toFlavor(''));
  delete_flavor_info(sysmeta, '');
  for (const ftype of ['old', 'new']) {
    const prefix = `${ftype}_`;
    try {
      inst.set(`${ftype}_flavor`, toFlavor(prefix));
      delete_flavor_info(sysmeta, prefix);
    } catch {
      inst.set(`${ftype}_flavor`, null);
    }
  }
  // nova then merges each flavor's extra_specs from the flavors table (needs
  // an admin DB read); the simulator keeps the sysmeta-stashed specs only.
}

function sysmetaView(flavour: InstanceFlavour, row: Row): Record<string, string | null> {
  if (junoish(flavour)) return junoSysmetaView(row);
  const md = (row.system_metadata ?? {}) as Record<string, unknown>;
  // A row whose flavor never reached instance_extra still carries it in sysmeta (pre-migration Kilo view).
  if (flavour === 'kilo' && !parseFlavorInfo(row)) return stringifySysmeta(md);
  return sysmetaWithoutFlavor(md);
}

function latestFault(row: Row): Row | null {
  const faults = (row.faults ?? []) as Row[];
  return faults.length ? faults[faults.length - 1]! : null;
}

function numaFromDb(env: ObjectsEnv, flavour: InstanceFlavour, inst: VersionedObject, raw: unknown, ctxt: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  const prim = parseJson(raw) as Primitive;
  if (junoish(flavour)) {
    // Juno stored the legacy dict and can hydrate only InstanceNUMATopology 1.0:
    // rebuild 1.0 cells from whatever format the row holds.
    const data = (prim['nova_object.data'] ?? prim) as Record<string, unknown>;
    const cells = ((data.cells ?? []) as Array<Record<string, unknown>>).map((c) => {
      const cd = (c['nova_object.data'] ?? c) as Record<string, unknown>;
      const cpus = cd.cpuset ?? String(cd.cpus ?? '').split(',').filter(Boolean).map(Number);
      const memory = cd.memory ?? (cd.mem as Record<string, unknown> | undefined)?.total ?? 0;
      return make(env, 'InstanceNUMACell', { id: cd.id ?? 0, cpuset: new Set(cpus as number[]), memory }, ctxt);
    });
    return make(env, 'InstanceNUMATopology', { id: data.id ?? 0, instance_uuid: inst.get('uuid'), cells }, ctxt);
  }
  return hydrate(env, prim, ctxt);
}

export function pciRequestsFromDb(env: ObjectsEnv, uuid: string, raw: unknown, ctxt: unknown): VersionedObject {
  const list = raw === null || raw === undefined ? [] : (parseJson(raw) as Row[]);
  const requests = list.map((r) => {
    const req = make(
      env,
      'InstancePCIRequest',
      { count: r.count, spec: r.spec, alias_name: r.alias_name ?? null, is_new: r.is_new ?? false, request_id: r.request_id ?? null },
      ctxt,
    );
    req.obj_reset_changes();
    return req;
  });
  const obj = make(env, 'InstancePCIRequests', { instance_uuid: uuid, requests }, ctxt);
  obj.obj_reset_changes();
  return obj;
}

function objFromRow(env: ObjectsEnv, name: string, row: Row, ctxt: unknown): VersionedObject {
  return setFromRow(make(env, name, {}, ctxt), row);
}

/**
 * Instance._from_db_object for the release. Returns true when Kilo migrated
 * the flavor out of system_metadata (the next save writes it to extra).
 */
export function instanceFromDbObject(
  env: ObjectsEnv,
  flavour: InstanceFlavour,
  ctxt: unknown,
  inst: VersionedObject,
  row: Row,
  expected_attrs: string[] | null = null,
): VersionedObject {
  inst._context = ctxt;
  const expected = expected_attrs ?? [];
  const optional = instanceOptionalAttrs(flavour);
  for (const field of Object.keys(inst.fields)) {
    if (optional.includes(field)) continue;
    if (field === 'deleted') inst.set('deleted', row.deleted === row.id);
    else if (field === 'cleaned') inst.set('cleaned', row.cleaned === 1 || row.cleaned === true);
    else if (field === 'scheduled_at' && (flavour === 'liberty' || flavour === 'mitaka')) inst.set('scheduled_at', null);
    else inst.set(field, row[field] ?? null);
  }
  const extra = extraOf(row);
  const uuid = inst.get<string>('uuid');
  if (expected.includes('metadata')) inst.set('metadata', { ...((row.metadata ?? {}) as Record<string, string>) });
  if (expected.includes('system_metadata')) inst.set('system_metadata', sysmetaView(flavour, row));
  if (expected.includes('fault')) {
    const f = latestFault(row);
    inst.set('fault', f ? objFromRow(env, 'InstanceFault', f, ctxt) : null);
  }
  if (expected.includes('numa_topology') && flavour !== 'icehouse') inst.set('numa_topology', numaFromDb(env, flavour, inst, extra?.numa_topology, ctxt));
  if (!junoish(flavour)) {
    if (expected.includes('pci_requests')) inst.set('pci_requests', pciRequestsFromDb(env, uuid, extra?.pci_requests, ctxt));
    if (expected.includes('vcpu_model')) {
      const raw = extra?.vcpu_model;
      inst.set('vcpu_model', raw ? hydrate(env, parseJson(raw), ctxt) : null);
    }
  }
  if ((flavour === 'liberty' || flavour === 'mitaka')) {
    if (expected.includes('ec2_ids')) inst.set('ec2_ids', ec2IdsFor(env, row, ctxt));
    if (expected.includes('migration_context')) {
      const raw = extra?.migration_context;
      inst.set('migration_context', raw ? hydrate(env, parseJson(raw), ctxt) : null);
    }
  }
  if (expected.includes('info_cache')) {
    const ic = row.info_cache as Row | null | undefined;
    if (ic === null || ic === undefined) inst.set('info_cache', null);
    else {
      const cache = inst.obj_attr_is_set('info_cache') && inst.get('info_cache') ? inst.get<VersionedObject>('info_cache') : make(env, 'InstanceInfoCache', {}, ctxt);
      setFromRow(cache, { instance_uuid: uuid, ...ic });
      inst.set('info_cache', cache);
    }
  }
  let migrated = false;
  if (flavour === 'kilo') migrated = kiloMaybeMigrateFlavor(env, inst, row, expected, ctxt);
  if ((flavour === 'liberty' || flavour === 'mitaka') && expected.some((x) => x === 'flavor' || x === 'old_flavor' || x === 'new_flavor')) {
    const info = parseFlavorInfo(row);
    if (info) flavorFromDb(env, inst, info, ctxt);
  }
  if (expected.includes('pci_devices')) {
    // PciDevice._from_db_object: extra_info is JSON text in the pci_devices table
    const devRow = (r: Row): Row => ({ ...r, ...(typeof r.extra_info === 'string' ? { extra_info: JSON.parse(r.extra_info || '{}') as Row } : {}), ...(typeof r.deleted === 'number' ? { deleted: Boolean(r.deleted) } : {}) });
    inst.set('pci_devices', makeList(env, 'PciDeviceList', (row.pci_devices ?? []) as Row[], (r) => objFromRow(env, 'PciDevice', devRow(r), ctxt), ctxt));
  }
  if (expected.includes('security_groups')) {
    inst.set(
      'security_groups',
      makeList(env, 'SecurityGroupList', (row.security_groups ?? []) as Row[], (r) => objFromRow(env, 'SecurityGroup', r, ctxt), ctxt),
    );
  }
  if (!junoish(flavour) && expected.includes('tags')) {
    inst.set('tags', makeList(env, 'TagList', (row.tags ?? []) as Row[], (r) => objFromRow(env, 'Tag', r, ctxt), ctxt));
  }
  inst.obj_reset_changes();
  if (migrated) {
    inst._changed_fields.add('system_metadata');
    inst._changed_fields.add('flavor');
  }
  return inst;
}

/** Kilo Instance._maybe_migrate_flavor. */
function kiloMaybeMigrateFlavor(env: ObjectsEnv, inst: VersionedObject, row: Row, expected: string[], ctxt: unknown): boolean {
  const v = inst.VERSION.split('.').map(Number);
  const flavorRequested = expected.some((x) => x === 'flavor' || x === 'old_flavor' || x === 'new_flavor');
  const flavorImplied = (v[0]! < 1 || (v[0] === 1 && v[1]! < 18)) && expected.includes('system_metadata');
  if (!(flavorRequested || flavorImplied)) return false;
  const info = parseFlavorInfo(row);
  if (flavorImplied) {
    // An older client's contract: flavor back into system_metadata.
    if (info) {
      flavorFromDb(env, inst, info, ctxt);
      const sysmeta = { ...inst.get<Record<string, unknown>>('system_metadata') };
      save_flavor_info(sysmeta, inst.get('flavor'), '');
      inst.del('flavor');
      for (const [prefix, attr] of [['old_', 'old_flavor'], ['new_', 'new_flavor']] as const) {
        const f = inst.get<VersionedObject | null>(attr);
        if (f) {
          save_flavor_info(sysmeta, f, prefix);
          inst.del(attr);
        }
      }
      inst.set('system_metadata', stringifySysmeta(sysmeta));
    }
    return false;
  }
  if (info) {
    flavorFromDb(env, inst, info, ctxt);
    return false;
  }
  if (inst.obj_attr_is_set('system_metadata') && has_flavor_info(inst.get('system_metadata'))) {
    migrateFlavor(env, inst);
    return true;
  }
  return false;
}

/** Liberty EC2Ids: derived from the instance (nova keeps EC2 id mappings in their own tables). */
function ec2IdsFor(env: ObjectsEnv, row: Row, ctxt: unknown): VersionedObject {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const obj = make(
    env,
    'EC2Ids',
    {
      instance_id: `i-${hex(Number(row.id))}`,
      ami_id: row.image_ref ? `ami-${hex(1)}` : null,
      kernel_id: row.kernel_id ? `aki-${hex(1)}` : null,
      ramdisk_id: row.ramdisk_id ? `ari-${hex(1)}` : null,
    },
    ctxt,
  );
  obj.obj_reset_changes();
  return obj;
}

/** Kilo's _expected_cols side effects on expected_attrs (sysmeta <-> flavor). */
function expandExpected(flavour: InstanceFlavour, expected: string[]): string[] {
  const out = [...expected];
  if (flavour !== 'kilo') return out;
  if (out.includes('system_metadata') && !out.includes('flavor')) out.push('flavor');
  if (out.some((x) => x === 'flavor' || x === 'old_flavor' || x === 'new_flavor') && !out.includes('system_metadata')) {
    out.push('system_metadata');
  }
  return out;
}

export async function instanceGetByUuid(
  env: ObjectsEnv,
  flavour: InstanceFlavour,
  C: VersionedObjectClass,
  ctxt: unknown,
  uuid: string,
  expected_attrs: string[] | null,
): Promise<VersionedObject> {
  const db = requireDb(env, 'Instance.get_by_uuid');
  const expected = expandExpected(flavour, expected_attrs ?? ['info_cache', 'security_groups']);
  const row = await db.instance_get_by_uuid(uuid);
  return instanceFromDbObject(env, flavour, ctxt, new C({}, { context: ctxt, world: env.world }), row, expected);
}

function writerOf(flavour: InstanceFlavour): 'juno' | 'kilo' | 'liberty' {
  return flavour === 'mitaka' ? 'liberty' : flavour === 'icehouse' ? 'juno' : flavour;
}

function flavorInfoOf(inst: VersionedObject): string {
  const prim = (attr: string) => {
    if (!inst.obj_attr_is_set(attr)) return null;
    const f = inst.get<VersionedObject | null>(attr);
    return f ? f.obj_to_primitive() : null;
  };
  return JSON.stringify({ cur: inst.get<VersionedObject>('flavor').obj_to_primitive(), old: prim('old_flavor'), new: prim('new_flavor') });
}

async function instanceCreate(env: ObjectsEnv, flavour: InstanceFlavour, inst: NovaInstance, ctxt: unknown): Promise<void> {
  if (inst.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' }, NOVA);
  const db = requireDb(env, 'Instance.create');
  const updates = inst.obj_get_changes();
  const expected_attrs = INSTANCE_DEFAULT_FIELDS.filter((a) => a in updates);
  const values: Row = {};
  const extra: Record<string, unknown> = {};
  let junoNuma: VersionedObject | null = null;
  for (const [k, v] of Object.entries(updates)) {
    switch (k) {
      case 'security_groups':
        values.security_groups = (v as VersionedObject).get<VersionedObject[]>('objects').map(objToRow);
        break;
      case 'info_cache':
        values.info_cache = v ? { network_info: JSON.stringify((v as VersionedObject).getOr('network_info', [])) } : null;
        break;
      case 'numa_topology':
        if (v) {
          expected_attrs.push('numa_topology');
          if (junoish(flavour)) junoNuma = v as VersionedObject;
          else extra.numa_topology = JSON.stringify((v as VersionedObject).obj_to_primitive());
        }
        break;
      case 'pci_requests':
        if (v) {
          expected_attrs.push('pci_requests');
          extra.pci_requests = JSON.stringify((v as VersionedObject).get<VersionedObject[]>('requests').map(objToRow));
        }
        break;
      case 'flavor':
        if (v) {
          expected_attrs.push('flavor');
          extra.flavor = flavorInfoOf(inst);
        }
        break;
      case 'vcpu_model':
      case 'migration_context':
        if (v) {
          expected_attrs.push(k);
          extra[k] = JSON.stringify((v as VersionedObject).obj_to_primitive());
        }
        break;
      case 'old_flavor':
      case 'new_flavor':
      case 'fault':
      case 'tags':
      case 'pci_devices':
      case 'ec2_ids':
        break;
      case 'cleaned':
        values.cleaned = v ? 1 : 0;
        break;
      case 'system_metadata':
        values.system_metadata = stringifySysmeta(v as Record<string, unknown>);
        break;
      default:
        values[k] = toRowValue(v);
    }
  }
  if (Object.keys(extra).length) values.extra = extra;
  const defaults: Row = JSON.parse(JSON.stringify(INSTANCE_COLUMNS)) as Row;
  let row: InstanceRow = await db.instance_create(syncFlavorStorage({ ...defaults, ...values }, null, writerOf(flavour)));
  if (junoNuma) {
    junoNuma.set('instance_uuid', row.uuid);
    const merged = { ...((row.extra ?? {}) as Row), numa_topology: JSON.stringify((junoNuma as VersionedObject).obj_to_primitive()) };
    [, row] = await db.instance_update_and_get_original(row.uuid, { extra: merged });
  }
  instanceFromDbObject(env, flavour, ctxt, inst, row, expandExpected(flavour, expected_attrs));
}

/** Kilo Instance._maybe_upgrade_flavor: flavors regressed into sysmeta by an older node go back to the fields. */
function kiloMaybeUpgradeFlavor(env: ObjectsEnv, inst: VersionedObject): void {
  if (!inst.obj_attr_is_set('system_metadata') || !has_flavor_info(inst.get('system_metadata'))) return;
  const sysmeta = inst.get<Record<string, unknown>>('system_metadata');
  for (const [ftype, attr] of FLAVOR_SLOTS) {
    let props: Record<string, unknown>;
    try {
      props = extract_flavor(sysmeta, ftype);
      delete_flavor_info(sysmeta, ftype);
    } catch {
      inst.set(attr, null);
      continue;
    }
    if (inst.obj_attr_is_set(attr) && inst.get(attr)) inst.get<VersionedObject>(attr).update(props);
    else inst.set(attr, make(env, 'Flavor', props, inst._context));
  }
}

async function instanceSave(
  env: ObjectsEnv,
  flavour: InstanceFlavour,
  inst: NovaInstance,
  ctxt: unknown,
  a: Record<string, unknown>,
): Promise<void> {
  const db = requireDb(env, 'Instance.save');
  if (flavour === 'kilo') kiloMaybeUpgradeFlavor(env, inst);
  const uuid = inst.get<string>('uuid');
  const updates: Row = {};
  const extraUpdates: Record<string, unknown> = {};
  let infoCacheRow: Row | undefined;
  const changes = inst.obj_what_changed();
  let flavorSaved = false;
  const saveFlavor = () => {
    if (flavorSaved) return;
    extraUpdates.flavor = flavorInfoOf(inst);
    inst.obj_reset_changes(['flavor', 'old_flavor', 'new_flavor']);
    flavorSaved = true;
  };
  for (const [field, f] of Object.entries(inst.fields)) {
    if (inst.obj_attr_is_set(field) && isObjectField(f)) {
      // self._save_<field>(context)
      const value = inst.get<VersionedObject | null>(field);
      switch (field) {
        case 'info_cache':
          if (value && value.obj_what_changed().has('network_info')) {
            infoCacheRow = { ...objToRow(value), instance_uuid: uuid, network_info: JSON.stringify(value.get('network_info') ?? []) };
          }
          value?.obj_reset_changes();
          break;
        case 'security_groups':
          value?.obj_reset_changes();
          break;
        case 'numa_topology':
          if (!junoish(flavour)) {
            extraUpdates.numa_topology = value ? JSON.stringify(value.obj_to_primitive()) : null;
            value?.obj_reset_changes();
          }
          break;
        case 'flavor':
          saveFlavor();
          break;
        case 'old_flavor':
        case 'new_flavor':
          if (changes.has(field)) saveFlavor();
          break;
        case 'vcpu_model':
        case 'migration_context':
          if (changes.has(field)) extraUpdates[field] = value ? JSON.stringify(value.obj_to_primitive()) : null;
          break;
        default:
          // fault, pci_requests, pci_devices, tags, ec2_ids: nothing to write
          break;
      }
    } else if (changes.has(field)) {
      updates[field] = inst.get(field);
    }
  }
  const writer = writerOf(flavour);
  if (Object.keys(extraUpdates).length || infoCacheRow) {
    const current = await db.instance_get_by_uuid(uuid);
    const values: Row = {};
    if (Object.keys(extraUpdates).length) values.extra = extraUpdates;
    if (infoCacheRow) values.info_cache = infoCacheRow;
    await db.instance_update_and_get_original(uuid, syncFlavorStorage(values, current, writer));
  }
  if (Object.keys(updates).length === 0) return;

  const values: Row = {};
  for (const [k, v] of Object.entries(updates)) {
    if (k === 'cleaned') values.cleaned = v ? 1 : 0;
    else if (k === 'system_metadata') values.system_metadata = stringifySysmeta(v as Record<string, unknown>);
    else values[k] = toRowValue(v);
  }
  let expected_task_state = a.expected_task_state as unknown;
  if (expected_task_state !== null && expected_task_state !== undefined) {
    if (inst.VERSION === '1.9' && expected_task_state === 'image_snapshot') {
      // Icehouse's pending state, tolerated for Havana-era instances.
      expected_task_state = [expected_task_state, 'image_snapshot_pending'];
    }
  }
  const expect: { expected_task_state?: (string | null)[] | string | null; expected_vm_state?: (string | null)[] | string | null } = {};
  if (expected_task_state !== null && expected_task_state !== undefined) {
    expect.expected_task_state = expected_task_state as (string | null)[] | string;
  }
  if (a.expected_vm_state !== null && a.expected_vm_state !== undefined) {
    expect.expected_vm_state = a.expected_vm_state as (string | null)[] | string;
  }
  const expected_attrs = JOINED[flavour].filter((x) => inst.obj_attr_is_set(x) && x !== 'pci_devices');
  if (!expected_attrs.includes('system_metadata')) {
    expected_attrs.push('system_metadata');
    if (flavour === 'kilo') expected_attrs.push('flavor');
  }
  const current = await db.instance_get_by_uuid(uuid);
  const [, inst_ref] = await db.instance_update_and_get_original(uuid, syncFlavorStorage(values, current, writer), expect);
  instanceFromDbObject(env, flavour, ctxt, inst, inst_ref, expandExpected(flavour, expected_attrs));
  inst.obj_reset_changes();
}

async function instanceRefresh(env: ObjectsEnv, flavour: InstanceFlavour, inst: NovaInstance, ctxt: unknown): Promise<void> {
  const extra = instanceOptionalAttrs(flavour).filter((f) => inst.obj_attr_is_set(f));
  const current = await instanceGetByUuid(env, flavour, inst.cls, ctxt, inst.get<string>('uuid'), extra);
  current._context = null;
  for (const field of Object.keys(inst.fields)) {
    if (!inst.obj_attr_is_set(field) || !current.obj_attr_is_set(field)) continue;
    if (field === 'info_cache') {
      const mine = inst.get<VersionedObject | null>('info_cache');
      const theirs = current.get<VersionedObject | null>('info_cache');
      if (mine && theirs) {
        for (const [k, v] of theirs.items()) mine.set(k, v);
        mine.obj_reset_changes();
        if (junoish(flavour)) inst.set('info_cache', mine);
      } else inst.set('info_cache', theirs);
    } else if (!pyEquals(inst.get(field), current.get(field))) {
      inst.set(field, current.get(field));
    }
  }
  inst.obj_reset_changes();
}

async function instanceDestroy(env: ObjectsEnv, flavour: InstanceFlavour, inst: NovaInstance, ctxt: unknown): Promise<void> {
  if (!inst.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'destroy', reason: 'already destroyed' }, NOVA);
  if (!inst.obj_attr_is_set('uuid')) throw new ObjectActionError({ action: 'destroy', reason: 'no uuid' }, NOVA);
  const db = requireDb(env, 'Instance.destroy');
  const row = await db.instance_destroy(inst.get<string>('uuid'));
  instanceFromDbObject(env, flavour, ctxt, inst, row);
  inst.del('id');
}

// ---------------------------------------------------------------- lists

export interface InstanceListFilters {
  host?: string;
  node?: string;
  uuid?: string | string[];
  vm_state?: string | string[];
  task_state?: string | null | Array<string | null>;
  project_id?: string;
  deleted?: boolean;
}

function matchOne(want: unknown, have: unknown): boolean {
  return Array.isArray(want) ? want.includes(have) : want === have;
}

/** _make_instance_list. */
export function makeInstanceList(
  env: ObjectsEnv,
  flavour: InstanceFlavour,
  listName: string,
  instName: string,
  ctxt: unknown,
  rows: Row[],
  expected_attrs: string[] | null,
): VersionedObject {
  const expected = expected_attrs ? [...expected_attrs] : null;
  const getFault = !!expected && expected.includes('fault');
  if (getFault) expected!.splice(expected!.indexOf('fault'), 1);
  const list = make(env, listName, {}, ctxt);
  const objects = rows.map((row) => {
    const inst = instanceFromDbObject(env, flavour, ctxt, make(env, instName, {}, ctxt), row, expected ? expandExpected(flavour, expected) : null);
    if (getFault) {
      const f = latestFault(row);
      inst.set('fault', f ? objFromRow(env, 'InstanceFault', f, ctxt) : null);
      inst.obj_reset_changes(['fault']);
    }
    return inst;
  });
  list.set('objects', objects);
  list.obj_reset_changes();
  return list;
}

/** The remotable classmethods of InstanceList (get_all only from Kilo's 1.16). */
export function instanceListClassmethods(
  env: ObjectsEnv,
  flavour: InstanceFlavour,
  listName: string,
  instName: string,
  withGetAll: boolean,
): Record<string, RemotableClassImpl> {
  const fetch = async (ctxt: unknown, filters: InstanceListFilters, expected: string[] | null, sort: { key: string; dir: string; limit: number | null }) => {
    const db = requireDb(env, `${listName} query`);
    let rows: Row[] = await db.instance_get_all({
      ...(filters.host !== undefined ? { host: filters.host } : {}),
      ...(filters.deleted !== undefined ? { deleted: filters.deleted } : {}),
    });
    if (filters.deleted === true) rows = rows.filter((r) => r.deleted);
    for (const key of ['node', 'uuid', 'vm_state', 'task_state', 'project_id'] as const) {
      if (key in filters) rows = rows.filter((r) => matchOne(filters[key], r[key]));
    }
    const k = sort.key;
    rows.sort((x, y) => {
      const a = String(x[k] ?? '');
      const b = String(y[k] ?? '');
      const c = a < b ? -1 : a > b ? 1 : Number(x.id) - Number(y.id);
      return sort.dir === 'desc' ? -c : c;
    });
    if (sort.limit !== null && sort.limit !== undefined) rows = rows.slice(0, sort.limit);
    return makeInstanceList(env, flavour, listName, instName, ctxt, rows, expected);
  };
  const methods: Record<string, RemotableClassImpl> = {
    async get_by_host(ctxt, args, kwargs) {
      const a = bindArgs(['host', 'expected_attrs', 'use_slave'], args, kwargs, { expected_attrs: null, use_slave: false });
      return fetch(ctxt, { host: String(a.host) }, a.expected_attrs as string[] | null, { key: 'id', dir: 'asc', limit: null });
    },
    async get_by_filters(ctxt, args, kwargs) {
      const a = bindArgs(
        ['filters', 'sort_key', 'sort_dir', 'limit', 'marker', 'expected_attrs', 'use_slave', 'sort_keys', 'sort_dirs'],
        args,
        kwargs,
        { sort_key: 'created_at', sort_dir: 'desc', limit: null, marker: null, expected_attrs: null, use_slave: false, sort_keys: null, sort_dirs: null },
      );
      return fetch(ctxt, (a.filters ?? {}) as InstanceListFilters, a.expected_attrs as string[] | null, {
        key: String(a.sort_key),
        dir: String(a.sort_dir),
        limit: a.limit as number | null,
      });
    },
  };
  if (withGetAll) {
    methods.get_all = async function (ctxt, args, kwargs) {
      const a = bindArgs(['expected_attrs'], args, kwargs, { expected_attrs: null });
      return fetch(ctxt, {}, a.expected_attrs as string[] | null, { key: 'id', dir: 'asc', limit: null });
    };
  }
  return methods;
}

// ---------------------------------------------------------------- helpers for managers

/**
 * nova's lazy-load of an optional attribute, made explicit: get_by_uuid
 * with expected_attrs=[attr] (through conductor when the world has an
 * indirection API), then copy the attribute. Kilo's flavor load also
 * refreshes system_metadata, as Instance._load_flavor does.
 */
export async function loadInstanceAttr(inst: VersionedObject, attrname: string): Promise<void> {
  if (inst.obj_attr_is_set(attrname)) return;
  if (inst._context === null || inst._context === undefined) {
    throw new OrphanedObjectError({ method: 'obj_load_attr', objtype: 'Instance' }, NOVA);
  }
  const world = inst._world;
  if (!world) throw new Error('instance has no object world');
  const expected = attrname.includes('flavor') ? ['flavor', 'system_metadata'] : [attrname];
  const fresh = (await remotable_classmethod_call(world, inst.cls, inst._context, 'get_by_uuid', [inst.get('uuid')], {
    expected_attrs: expected,
  })) as VersionedObject;
  if (attrname.includes('flavor')) {
    for (const a of ['flavor', 'old_flavor', 'new_flavor']) {
      if (fresh.obj_attr_is_set(a) && !inst.obj_attr_is_set(a)) inst.set(a, fresh.get(a));
    }
    inst.obj_reset_changes(['flavor', 'old_flavor', 'new_flavor']);
    return;
  }
  if (!fresh.obj_attr_is_set(attrname)) {
    throw new ObjectActionError({ action: 'obj_load_attr', reason: `loading ${attrname} requires recursion` }, NOVA);
  }
  inst.set(attrname, fresh.get(attrname));
  inst.obj_reset_changes([attrname]);
}

/**
 * Instance.get_flavor(namespace): Juno builds a Flavor from system_metadata
 * (flavors.extract_flavor), Kilo/Liberty return the [old_|new_]flavor field.
 */
export function instanceGetFlavor(inst: VersionedObject, namespace: string | null = null): VersionedObject | null {
  const prefix = namespace !== null ? `${namespace}_` : '';
  if (Object.prototype.hasOwnProperty.call(inst.fields, 'flavor')) return inst.get<VersionedObject | null>(`${prefix}flavor`);
  const world = inst._world;
  if (!world) throw new Error('instance has no object world');
  const Flavor = world.registry.get('Flavor');
  const props = extract_flavor(inst.get<Record<string, unknown>>('system_metadata'), prefix);
  const f = new Flavor({}, { context: inst._context, world });
  for (const [k, v] of Object.entries(props)) if (k !== 'extra_specs') f.set(k, v);
  return f;
}

export { flavorEnvelope };
