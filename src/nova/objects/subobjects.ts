/**
 * The objects around Instance (Flavor, InstanceInfoCache, SecurityGroup,
 * InstanceFault, PciDevice, InstanceNUMATopology, InstancePCIRequests, Tag,
 * VirtCPUModel, EC2Ids, MigrationContext) and Service / ComputeNode, at the
 * versions each release shipped (objects.json release_object_versions),
 * with their fields, relationships / child_versions and obj_make_compatible
 * rules as in nova/objects/*.py @2014.2, @2015.1.0, @12.0.0, @13.0.0
 * (13.0.0 on oslo.versionedobjects 1.x: no relationship tables at all).
 */
import {
  persistentObjectFields,
  type Primitive,
  type RemotableClassImpl,
  type RemotableImpl,
  type VersionedObject,
  type VersionedObjectClass,
} from '../../oslo/objects';
import { BooleanField, EnumField, IPAddressField, IntegerField, ObjectActionError, OrphanedObjectError, StringField, UUIDField, type Field } from '../../oslo/objects';
import type { Row } from '../db/api';
import { FlavorNotFound, NovaException } from '../exception';
import { libertyOrLater, type Release } from '../releases';
import { SERVICE_VERSION, ServiceMinimumVersion, serviceTooOldError } from '../service_version';
import { computeNodeRemotables, doComputeNode, junoJoinedComputeNode } from './compute_node';
import { pciDeviceRemotables, pciRequestsRemotables } from './pci';
import {
  below,
  bindArgs,
  dataChildVersions,
  dataFields,
  dataRelationships,
  defineList,
  defineObject,
  fieldsFromSpecs,
  make,
  makeList,
  NOVA_KEYS,
  releaseVersion,
  requireDb,
  setFromRow,
  toRowValue,
  type ObjectsEnv,
} from './common';

const NOVA = 'nova.exception';

function register(env: ObjectsEnv, C: VersionedObjectClass): VersionedObjectClass {
  env.classes[C.obj_name()] = C;
  env.world.registry.register(C);
  return C;
}

/** primitive field removal below a version (the scalar-stripping rules). */
function dropBelow(primitive: Primitive, target: string, version: string, ...fields: string[]): void {
  if (!below(target, version)) return;
  for (const f of fields) delete primitive[f];
}

// ---------------------------------------------------------------- Flavor

/** Flavor._from_db_object: every non-optional field (Integer None -> 0), then extra_specs. */
function flavorFromRow(env: ObjectsEnv, row: Row, ctxt: unknown): VersionedObject {
  const Flavor = env.classes['Flavor']!;
  const f = new Flavor({}, { context: ctxt, world: env.world });
  for (const [name, field] of Object.entries(f.fields)) {
    if (name === 'extra_specs' || name === 'projects') continue;
    let v = row[name];
    if (field.type.describe() === 'Integer' && (v === null || v === undefined)) v = 0;
    if (v === undefined) v = null;
    f.set(name, v);
  }
  f.set('extra_specs', { ...((row.extra_specs ?? {}) as Record<string, string>) });
  f.obj_reset_changes();
  return f;
}

function flavorClassmethods(env: ObjectsEnv): Record<string, RemotableClassImpl> {
  return {
    async get_by_id(ctxt, args, kwargs) {
      const a = bindArgs(['id'], args, kwargs);
      return flavorFromRow(env, await requireDb(env, 'Flavor.get_by_id').flavor_get(Number(a.id)), ctxt);
    },
    async get_by_name(ctxt, args, kwargs) {
      const a = bindArgs(['name'], args, kwargs);
      return flavorFromRow(env, await requireDb(env, 'Flavor.get_by_name').flavor_get_by_name(String(a.name)), ctxt);
    },
    async get_by_flavor_id(ctxt, args, kwargs) {
      const a = bindArgs(['flavor_id', 'read_deleted'], args, kwargs, { read_deleted: null });
      const rows = await requireDb(env, 'Flavor.get_by_flavor_id').flavor_get_all();
      const row = rows.find((r) => String(r.flavorid) === String(a.flavor_id));
      if (!row) throw FlavorNotFound({ flavor_id: a.flavor_id });
      return flavorFromRow(env, row, ctxt);
    },
  };
}

function flavorListClassmethods(env: ObjectsEnv): Record<string, RemotableClassImpl> {
  return {
    async get_all(ctxt) {
      const rows = await requireDb(env, 'FlavorList.get_all').flavor_get_all();
      const list = new (env.classes['FlavorList']!)({}, { context: ctxt, world: env.world });
      list.set(
        'objects',
        rows.map((r) => flavorFromRow(env, r, ctxt)),
      );
      list.obj_reset_changes();
      return list;
    },
  };
}

// ---------------------------------------------------------------- Service

function serviceFromRow(env: ObjectsEnv, svc: VersionedObject, row: Row, ctxt: unknown): VersionedObject {
  for (const key of Object.keys(svc.fields)) {
    if (key === 'compute_node') continue; // lazy-loaded (Kilo) / not modelled
    if (key === 'availability_zone' && !(key in row)) continue;
    let v = row[key];
    if (key === 'version' && (v === undefined || v === null)) v = 0;
    if (key === 'forced_down' && (v === undefined || v === null)) v = false;
    if (key === 'last_seen_up' && v === undefined) v = null;
    if (key === 'deleted' && typeof v === 'number') v = v !== 0 && v === row.id;
    if (key === 'id' && svc.obj_attr_is_set('id')) continue; // read-only, already ours
    svc.set(key, v ?? null);
  }
  svc._context = ctxt;
  svc.obj_reset_changes();
  return svc;
}

function serviceRemotables(env: ObjectsEnv, release: Release): {
  classmethods: Record<string, RemotableClassImpl>;
  methods: Record<string, RemotableImpl>;
} {
  const newService = (ctxt: unknown) => new (env.classes['Service']!)({}, { context: ctxt, world: env.world });
  const byHostBinary = async (ctxt: unknown, host: string, binary: string, missingOk: boolean) => {
    const row = await requireDb(env, 'Service lookup').service_get_by_host_and_binary(host, binary);
    if (!row) {
      if (missingOk) return null;
      throw new NovaException('HostBinaryNotFound', `Compute host ${host} could not be found.`, { host, binary });
    }
    return serviceFromRow(env, newService(ctxt), row, ctxt);
  };
  const classmethods: Record<string, RemotableClassImpl> = {
    async get_by_args(ctxt, args, kwargs) {
      const a = bindArgs(['host', 'binary'], args, kwargs);
      return byHostBinary(ctxt, String(a.host), String(a.binary), false);
    },
    async get_by_id(ctxt, args, kwargs) {
      const a = bindArgs(['service_id'], args, kwargs);
      return serviceFromRow(env, newService(ctxt), await requireDb(env, 'Service.get_by_id').service_get(Number(a.service_id)), ctxt);
    },
    /** db.service_get_by_compute_host (ComputeHostNotFound); 2014.2 joins the compute_node rows. */
    async get_by_compute_host(ctxt, args, kwargs) {
      const a = bindArgs(['host', 'use_slave'], args, kwargs, { use_slave: false });
      const db = requireDb(env, 'Service.get_by_compute_host');
      const rows = await db.service_get_all(release === 'juno' ? { topic: 'compute' } : {});
      const row = rows.find((r) => r.host === a.host && (release === 'juno' || r.binary === 'nova-compute') && !r.deleted);
      if (!row) throw new NovaException('ComputeHostNotFound', `Compute host ${String(a.host)} could not be found.`, { host: a.host });
      const svc = serviceFromRow(env, newService(ctxt), row, ctxt);
      await junoJoinedComputeNode(env, svc, ctxt);
      return svc;
    },
  };
  if (release !== 'icehouse' && release !== 'juno') {
    // Service 1.11 (Kilo): returns None when missing.
    classmethods.get_by_host_and_binary = async function (ctxt, args, kwargs) {
      const a = bindArgs(['host', 'binary'], args, kwargs);
      return byHostBinary(ctxt, String(a.host), String(a.binary), true);
    };
  }
  const minimum = () => new ServiceMinimumVersion(requireDb(env, 'Service.get_minimum_version'));
  if (release === 'mitaka') {
    // Service 1.19 (13.0.0): get_minimum_version(context, binary, use_slave=False), run where the database is.
    classmethods.get_minimum_version = async function (_ctxt, args, kwargs) {
      const a = bindArgs(['binary', 'use_slave'], args, kwargs, { use_slave: false });
      return minimum().get_minimum_version(String(a.binary));
    };
  }
  /** 13.0.0 _check_minimum_version: a service older than the deployment's minimum may not write its row. */
  const checkMinimumVersion = async (svc: VersionedObject) => {
    if (release !== 'mitaka' || !svc.obj_attr_is_set('version') || !svc.obj_attr_is_set('binary')) return;
    const minver = await minimum().get_minimum_version(String(svc.get('binary')));
    const mine = svc.get<number>('version');
    if (minver > mine) throw serviceTooOldError(mine, minver);
  };
  const methods: Record<string, RemotableImpl> = {
    async create(ctxt) {
      if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' }, NOVA);
      await checkMinimumVersion(this);
      const updates = this.obj_get_changes();
      const values: Row = {};
      for (const [k, v] of Object.entries(updates)) if (k !== 'compute_node') values[k] = toRowValue(v);
      const row = await requireDb(env, 'Service.create').service_create(values);
      serviceFromRow(env, this, row, ctxt);
    },
    async save(ctxt) {
      const updates = this.obj_get_changes();
      delete updates.id;
      // 13.0.0: version is dirtied by __init__; a save of nothing else is a no-op.
      if (release === 'mitaka' && !env.serviceVersionUpdateFix && Object.keys(updates).length === 1 && 'version' in updates) return;
      await checkMinimumVersion(this);
      const values: Row = {};
      for (const [k, v] of Object.entries(updates)) if (k !== 'compute_node') values[k] = toRowValue(v);
      const row = await requireDb(env, 'Service.save').service_update(this.get<number>('id'), values);
      serviceFromRow(env, this, row, ctxt);
    },
  };
  return { classmethods, methods };
}

/** SERVICE_VERSION of nova 12.0.0 (objects/service.py). */
export const LIBERTY_SERVICE_VERSION = 2;

// ---------------------------------------------------------------- definitions

/**
 * Define and register every non-Instance class of `release` on env.world's
 * registry. `Base` is the release's NovaObject base.
 */
export function defineSubobjects(env: ObjectsEnv, Base: VersionedObjectClass): void {
  const release = env.release;
  const rel = (name: string) => releaseVersion(release, name);
  // objects.json fields keyed by release; an object unchanged since 2014.1 has only its 'juno' entry.
  const specKey = release;
  const sameSinceIcehouse = release === 'icehouse' ? 'juno' : release;
  /** Icehouse and Juno: no obj_relationships, hand-written compat rules (Kilo+ have the generic pass). */
  const junoOrOlder = release === 'icehouse' || release === 'juno';
  const P = persistentObjectFields;

  // Flavor 1.1 / FlavorList 1.1
  register(
    env,
    defineObject(Base, 'Flavor', rel('Flavor'), dataFields('Flavor', sameSinceIcehouse), {
      classmethods: flavorClassmethods(env),
      load: (self, attr) => {
        if (attr === 'extra_specs' || attr === 'projects') {
          if (!self._context) throw new OrphanedObjectError({ method: 'obj_load_attr', objtype: 'Flavor' }, NOVA);
          // extra_specs come with every DB load here; projects are not modelled.
          self.set(attr, attr === 'extra_specs' ? {} : []);
          self.obj_reset_changes([attr]);
          return;
        }
        throw new ObjectActionError({ action: 'obj_load_attr', reason: `attribute ${attr} not lazy-loadable` }, NOVA);
      },
    }),
  );
  register(
    env,
    defineList(Base, 'FlavorList', rel('FlavorList'), 'Flavor', {
      ...(libertyOrLater(release)
        ? { relationships: { objects: [['1.0', '1.0'], ['1.1', '1.1']] } }
        : { child_versions: release === 'icehouse' ? dataChildVersions('FlavorList', 'icehouse') : { '1.0': '1.0', '1.1': '1.1' } }),
      classmethods: flavorListClassmethods(env),
    }),
  );

  // InstanceInfoCache 1.5
  register(env, defineObject(Base, 'InstanceInfoCache', rel('InstanceInfoCache'), dataFields('InstanceInfoCache', sameSinceIcehouse)));

  // SecurityGroup 1.1 / SecurityGroupList 1.0 (child 1.1)
  register(env, defineObject(Base, 'SecurityGroup', rel('SecurityGroup'), dataFields('SecurityGroup', sameSinceIcehouse)));
  register(
    env,
    defineList(
      Base,
      'SecurityGroupList',
      rel('SecurityGroupList'),
      'SecurityGroup',
      libertyOrLater(release) ? { relationships: { objects: [['1.0', '1.1']] } } : { child_versions: { '1.0': '1.1' } },
    ),
  );

  // InstanceFault 1.2 (no compat rules)
  register(
    env,
    defineObject(Base, 'InstanceFault', rel('InstanceFault'), dataFields('InstanceFault', sameSinceIcehouse), {
      methods: {
        // InstanceFault.create (@remotable): instance_fault_create, then _from_db_object.
        async create(ctxt) {
          if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' }, NOVA);
          const values: Row = {};
          for (const k of ['instance_uuid', 'code', 'message', 'details', 'host']) {
            if (this.obj_attr_is_set(k)) values[k] = toRowValue(this.get(k));
          }
          const row = await requireDb(env, 'InstanceFault.create').instance_fault_create(values);
          for (const k of Object.keys(this.fields)) if (k in row) this.set(k, row[k] ?? null);
          this._context = ctxt;
          this.obj_reset_changes();
        },
      },
    }),
  );

  // PciDevice (Icehouse 1.1 without request_id and without compat rules, Juno 1.2, Kilo/Liberty 1.3): request_id below 1.2
  register(
    env,
    defineObject(Base, 'PciDevice', rel('PciDevice'), dataFields('PciDevice', specKey), {
      methods: pciDeviceRemotables(env).methods,
      compat: release === 'icehouse' ? undefined : (_self, p, t) => {
        dropBelow(p, t, '1.2', 'request_id');
        if (release !== 'mitaka') return;
        // 13.0.0 (no super call): parent_addr goes back into extra_info below 1.4;
        // the 1.5 statuses cannot be expressed below 1.5.
        if (below(t, '1.4') && 'parent_addr' in p) {
          if (p.parent_addr !== null) {
            const extra = (p.extra_info ?? {}) as Record<string, unknown>;
            extra.phys_function = p.parent_addr;
            p.extra_info = extra;
          }
          delete p.parent_addr;
        }
        if (below(t, '1.5') && 'parent_addr' in p && (p.status === 'unclaimable' || p.status === 'unavailable')) {
          throw new ObjectActionError({ action: 'obj_make_compatible', reason: `status=${String(p.status)} not supported in version ${t}` }, NOVA);
        }
      },
    }),
  );
  const pciListCv: Record<Release, Record<string, string>> = {
    icehouse: dataChildVersions('PciDeviceList', 'icehouse'),
    juno: { '1.0': '1.1', '1.1': '1.2' },
    kilo: { '1.0': '1.1', '1.1': '1.2', '1.2': '1.3' },
    liberty: {},
    mitaka: {},
  };
  register(
    env,
    defineList(
      Base,
      'PciDeviceList',
      rel('PciDeviceList'),
      'PciDevice',
      libertyOrLater(release)
        ? { relationships: { objects: [['1.0', '1.1'], ['1.1', '1.2'], ['1.2', '1.3']] }, classmethods: pciDeviceRemotables(env).listClassmethods }
        : { child_versions: pciListCv[release], classmethods: pciDeviceRemotables(env).listClassmethods },
    ),
  );

  // BlockDeviceMapping / BlockDeviceMappingList (nova/objects/block_device.py):
  // the rows of the block_device_mapping table; remotables go to conductor on nova-compute.
  const bdmFromRow = (row: Row, ctxt: unknown) => setFromRow(make(env, 'BlockDeviceMapping', {}, ctxt), row, ['instance']);
  register(
    env,
    defineObject(Base, 'BlockDeviceMapping', rel('BlockDeviceMapping'), dataFields('BlockDeviceMapping', sameSinceIcehouse), {
      ...(junoOrOlder ? {} : { relationships: dataRelationships('BlockDeviceMapping', release) }),
      classmethods: {
        // get_by_volume_id(context, volume_id, instance_uuid=None, expected_attrs=None)
        async get_by_volume_id(ctxt, args, kwargs) {
          const a = bindArgs(['volume_id', 'instance_uuid', 'expected_attrs'], args, kwargs, { instance_uuid: null, expected_attrs: null });
          const row = await requireDb(env, 'BlockDeviceMapping.get_by_volume_id').block_device_mapping_get_by_volume_id(a.volume_id, (a.instance_uuid as string | null) ?? null);
          if (!row) {
            throw new NovaException('VolumeBDMNotFound', `No volume Block Device Mapping with id ${typeof a.volume_id === 'string' ? a.volume_id : String(a.volume_id)}.`, { volume_id: a.volume_id });
          }
          return bdmFromRow(row, ctxt);
        },
      },
      methods: {
        async create(ctxt) {
          if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' }, NOVA);
          const values: Row = {};
          for (const [k, v] of Object.entries(this.obj_get_changes())) if (k !== 'instance') values[k] = toRowValue(v);
          setFromRow(this, await requireDb(env, 'BlockDeviceMapping.create').block_device_mapping_create(values), ['instance']);
          this._context = ctxt;
          this.obj_reset_changes();
        },
        async save() {
          const values: Row = {};
          for (const [k, v] of Object.entries(this.obj_get_changes())) if (k !== 'instance' && k !== 'id') values[k] = toRowValue(v);
          if (Object.keys(values).length === 0) return;
          setFromRow(this, await requireDb(env, 'BlockDeviceMapping.save').block_device_mapping_update(this.get<number>('id'), values), ['instance']);
          this.obj_reset_changes();
        },
        async destroy() {
          if (!this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'destroy', reason: 'already destroyed' }, NOVA);
          await requireDb(env, 'BlockDeviceMapping.destroy').block_device_mapping_destroy(this.get<number>('id'));
        },
      },
    }),
  );
  const bdmListClassmethods: Record<string, RemotableClassImpl> = {
    // get_by_instance_uuid(context, instance_uuid, use_slave=False)
    async get_by_instance_uuid(ctxt, args, kwargs) {
      const a = bindArgs(['instance_uuid', 'use_slave'], args, kwargs, { use_slave: false });
      const rows = await requireDb(env, 'BlockDeviceMappingList.get_by_instance_uuid').block_device_mapping_get_all_by_instance(String(a.instance_uuid));
      return makeList(env, 'BlockDeviceMappingList', rows, (r) => bdmFromRow(r, ctxt), ctxt);
    },
  };
  register(
    env,
    defineList(
      Base,
      'BlockDeviceMappingList',
      rel('BlockDeviceMappingList'),
      'BlockDeviceMapping',
      libertyOrLater(release)
        ? { relationships: dataRelationships('BlockDeviceMappingList', 'liberty'), classmethods: bdmListClassmethods }
        : { child_versions: dataChildVersions('BlockDeviceMappingList', release), classmethods: bdmListClassmethods },
    ),
  );

  // NetworkRequest / NetworkRequestList (nova/objects/network_request.py): 2014.2
  // ships NetworkRequest at VERSION 1.0 although it has pci_request_id (its
  // comment says 1.1), 2015.1.0 and 12.0.0 at 1.1; the list is 1.1 everywhere.
  // (2014.1 has neither: requested_networks are lists of tuples there.)
  if (release !== 'icehouse') defineNetworkRequests(env, Base, release);

  // Migration / MigrationList (nova/objects/migration.py): 1.1 in 2014.2 and
  // 2015.1.0; 12.0.0 adds migration_type and hidden (1.2, dropped below it).
  const migrationFields: Record<string, Field> = {
    ...persistentObjectFields(),
    id: IntegerField(),
    source_compute: StringField({ nullable: true }),
    dest_compute: StringField({ nullable: true }),
    source_node: StringField({ nullable: true }),
    dest_node: StringField({ nullable: true }),
    dest_host: StringField({ nullable: true }),
    old_instance_type_id: IntegerField({ nullable: true }),
    new_instance_type_id: IntegerField({ nullable: true }),
    instance_uuid: StringField({ nullable: true }),
    status: StringField({ nullable: true }),
  };
  if (libertyOrLater(release)) {
    migrationFields.migration_type = EnumField(['migration', 'resize', 'live-migration', 'evacuate'], { nullable: false });
    migrationFields.hidden = BooleanField({ nullable: false, default: false });
  }
  if (release === 'mitaka') {
    // 13.0.0 Migration 1.4: live-migration progress detail.
    for (const f of ['memory_total', 'memory_processed', 'memory_remaining', 'disk_total', 'disk_processed', 'disk_remaining']) {
      migrationFields[f] = IntegerField({ nullable: true });
    }
  }
  const migrationFromRow = (obj: VersionedObject, row: Row, ctxt: unknown) => {
    setFromRow(obj, row);
    obj._context = ctxt;
    obj.obj_reset_changes();
    return obj;
  };
  register(
    env,
    defineObject(Base, 'Migration', release === 'mitaka' ? rel('Migration') : libertyOrLater(release) ? '1.2' : '1.1', migrationFields, {
      compat: (_self, p, t, sup) => {
        sup();
        if (libertyOrLater(release) && below(t, '1.2') && 'migration_type' in p) {
          delete p.migration_type;
          delete p.hidden;
        }
        if (release === 'mitaka' && below(t, '1.4') && 'memory_total' in p) {
          for (const f of ['memory_total', 'memory_processed', 'memory_remaining', 'disk_total', 'disk_processed', 'disk_remaining']) delete p[f];
        }
      },
      load: (self, attr) => {
        if (libertyOrLater(release) && attr === 'migration_type') {
          // determine_migration_type: some older node sent it without one
          self.set('migration_type', self.get('old_instance_type_id') !== self.get('new_instance_type_id') ? 'resize' : 'migration');
        } else if (libertyOrLater(release) && attr === 'hidden') self.set('hidden', false);
        else throw new ObjectActionError({ action: 'obj_load_attr', reason: `attribute ${attr} not lazy-loadable` }, NOVA);
      },
      classmethods: {
        async get_by_id(ctxt, args, kwargs) {
          const a = bindArgs(['migration_id'], args, kwargs);
          return migrationFromRow(make(env, 'Migration', {}, ctxt), await requireDb(env, 'Migration.get_by_id').migration_get(Number(a.migration_id)), ctxt);
        },
        async get_by_instance_and_status(ctxt, args, kwargs) {
          const a = bindArgs(['instance_uuid', 'status'], args, kwargs);
          const row = await requireDb(env, 'Migration.get_by_instance_and_status').migration_get_by_instance_and_status(String(a.instance_uuid), String(a.status));
          return migrationFromRow(make(env, 'Migration', {}, ctxt), row, ctxt);
        },
      },
      methods: {
        async create(ctxt) {
          if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' }, NOVA);
          const updates = this.obj_get_changes();
          if (libertyOrLater(release) && !('migration_type' in updates)) {
            throw new ObjectActionError({ action: 'create', reason: 'cannot create a Migration object without a migration_type set' }, NOVA);
          }
          const values: Row = {};
          for (const [k, v] of Object.entries(updates)) values[k] = toRowValue(v);
          migrationFromRow(this, await requireDb(env, 'Migration.create').migration_create(values), ctxt);
        },
        async save(ctxt) {
          const values: Row = {};
          for (const [k, v] of Object.entries(this.obj_get_changes())) if (k !== 'id') values[k] = toRowValue(v);
          migrationFromRow(this, await requireDb(env, 'Migration.save').migration_update(this.get<number>('id'), values), ctxt);
        },
      },
    }),
  );
  register(
    env,
    defineList(
      Base,
      'MigrationList',
      release === 'mitaka' ? rel('MigrationList') : libertyOrLater(release) ? '1.2' : '1.1',
      'Migration',
      libertyOrLater(release) ? { relationships: { objects: [['1.0', '1.1'], ['1.1', '1.1'], ['1.2', '1.2']] } } : { child_versions: { '1.0': '1.1', '1.1': '1.1' } },
    ),
  );

  // VirtCPUTopology / VirtCPUFeature / VirtCPUModel (Kilo+)
  if (!junoOrOlder) {
    register(
      env,
      defineObject(
        Base,
        'VirtCPUTopology',
        rel('VirtCPUTopology'),
        fieldsFromSpecs({
          sockets: 'Integer [nullable, default=1]',
          cores: 'Integer [nullable, default=1]',
          threads: 'Integer [nullable, default=1]',
        }),
      ),
    );
    const nullLoad = (self: VersionedObject, attr: string) => self.set(attr, null);
    register(
      env,
      defineObject(
        Base,
        'VirtCPUFeature',
        '1.0',
        fieldsFromSpecs({
          policy: libertyOrLater(release) ? 'CPUFeaturePolicy [nullable]' : 'Enum [nullable]',
          name: 'String',
        }),
        { load: nullLoad },
      ),
    );
    register(
      env,
      defineObject(Base, 'VirtCPUModel', rel('VirtCPUModel'), dataFields('VirtCPUModel', specKey), {
        relationships: { topology: [['1.0', '1.0']], features: [['1.0', '1.0']] },
        load: nullLoad,
      }),
    );
  }

  // InstanceNUMACell / InstanceNUMATopology (2014.2+), InstancePCIRequest(s) (2014.2+)
  if (release === 'icehouse') {
    // none of them exist at 2014.1
  } else if (release === 'juno') {
    register(
      env,
      defineObject(Base, 'InstanceNUMACell', '1.0', fieldsFromSpecs({ id: 'Integer [read_only]', cpuset: 'SetOfIntegers', memory: 'Integer' })),
    );
    register(env, defineObject(Base, 'InstanceNUMATopology', rel('InstanceNUMATopology'), dataFields('InstanceNUMATopology', 'juno')));
  } else {
    register(
      env,
      defineObject(
        Base,
        'InstanceNUMACell',
        rel('InstanceNUMACell'),
        fieldsFromSpecs({
          id: 'Integer',
          cpuset: 'SetOfIntegers',
          memory: 'Integer',
          pagesize: 'Integer [nullable]',
          cpu_topology: 'Object<VirtCPUTopology> [nullable]',
          cpu_pinning_raw: 'DictOfIntegers [nullable]',
          // 13.0.0 InstanceNUMACell 1.3 (CPUAllocationPolicy / CPUThreadAllocationPolicy enums)
          ...(release === 'mitaka' ? { cpu_policy: 'Enum [nullable]', cpu_thread_policy: 'Enum [nullable]' } : {}),
        }),
        {
          relationships: { cpu_topology: [['1.2', '1.0']] },
          ...(release === 'mitaka'
            ? {
                compat: (_self: VersionedObject, p: Primitive, t: string, sup: () => void) => {
                  sup();
                  if (below(t, '1.3')) {
                    delete p.cpu_policy;
                    delete p.cpu_thread_policy;
                  }
                },
              }
            : {}),
          // __init__: pagesize, cpu_topology and cpu_pinning default to None (changes reset)
          init: (self, kwargs) => {
            for (const [k, f] of [
              ['pagesize', 'pagesize'],
              ['cpu_topology', 'cpu_topology'],
              ['cpu_pinning', 'cpu_pinning_raw'],
            ] as const) {
              if (!(k in kwargs) && !(f in kwargs)) {
                self.set(f, null);
                self.obj_reset_changes([f]);
              }
            }
          },
        },
      ),
    );
    register(
      env,
      defineObject(Base, 'InstanceNUMATopology', rel('InstanceNUMATopology'), dataFields('InstanceNUMATopology', specKey), {
        relationships: release === 'kilo' ? { cells: [['1.0', '1.0']] } : { cells: [['1.0', '1.0'], ['1.2', '1.2']] },
      }),
    );
  }

  if (release !== 'icehouse') {
    // InstancePCIRequest 1.1 / InstancePCIRequests 1.1
    register(
      env,
      defineObject(
        Base,
        'InstancePCIRequest',
        rel('InstancePCIRequest'),
        fieldsFromSpecs({
          count: 'Integer',
          spec: 'ListOfDictOfNullableStrings',
          alias_name: 'String [nullable]',
          is_new: 'Boolean [default=False]',
          request_id: 'UUID [nullable]',
        }),
        {
          compat: (_self, p, t) => dropBelow(p, t, '1.1', 'request_id'),
          load: (self, attr) => self.set(attr, null),
        },
      ),
    );
    register(
      env,
      defineObject(Base, 'InstancePCIRequests', rel('InstancePCIRequests'), dataFields('InstancePCIRequests', specKey), {
        relationships: { requests: [['1.0', '1.0'], ['1.1', '1.1']] },
        ...pciRequestsRemotables(env),
        // Juno..Liberty override without calling super: requests relabelled 1.0 below 1.1.
        compat: (self, p, t) => {
          if (below(t, '1.1') && 'requests' in p) {
            self.get<VersionedObject[]>('requests').forEach((request, i) => {
              const sub = (p.requests as Primitive[])[i]!;
              request.obj_make_compatible(sub[NOVA_KEYS.data] as Primitive, '1.0');
              sub[NOVA_KEYS.version] = '1.0';
            });
          }
        },
      }),
    );
  }

  // Tag / TagList (Kilo+)
  if (!junoOrOlder) {
    register(env, defineObject(Base, 'Tag', rel('Tag'), dataFields('Tag', specKey)));
    register(
      env,
      defineList(
        Base,
        'TagList',
        rel('TagList'),
        'Tag',
        libertyOrLater(release) ? { relationships: { objects: [['1.0', '1.0'], ['1.1', '1.1']] } } : { child_versions: { '1.0': '1.0' } },
      ),
    );
  }

  // Liberty only: EC2Ids, MigrationContext
  if (libertyOrLater(release)) {
    register(env, defineObject(Base, 'EC2Ids', rel('EC2Ids'), dataFields('EC2Ids', 'liberty')));
    register(
      env,
      defineObject(Base, 'MigrationContext', rel('MigrationContext'), dataFields('MigrationContext', 'liberty'), {
        relationships: { new_numa_topology: [['1.0', '1.2']], old_numa_topology: [['1.0', '1.2']] },
      }),
    );
  }

  // ComputeNode (fields and backport rules; no DB methods) and its children
  if (!junoOrOlder) {
    register(
      env,
      defineObject(
        Base,
        'PciDevicePool',
        rel('PciDevicePool'),
        fieldsFromSpecs({
          product_id: 'String',
          vendor_id: 'String',
          numa_node: 'Integer [nullable]',
          tags: 'DictOfNullableStrings',
          count: 'Integer',
        }),
        { compat: (_self, p, t) => dropBelow(p, t, '1.1', 'numa_node') },
      ),
    );
    register(
      env,
      defineList(
        Base,
        'PciDevicePoolList',
        rel('PciDevicePoolList'),
        'PciDevicePool',
        libertyOrLater(release) ? { relationships: { objects: [['1.0', '1.0'], ['1.1', '1.1']] } } : { child_versions: { '1.0': '1.0', '1.1': '1.1' } },
      ),
    );
    register(
      env,
      defineObject(
        Base,
        'HVSpec',
        rel('HVSpec'),
        fieldsFromSpecs(
          libertyOrLater(release)
            ? { arch: 'Architecture', hv_type: 'HVType', vm_mode: 'VMMode' }
            : { arch: 'String', hv_type: 'String', vm_mode: 'String' },
        ),
      ),
    );
  }
  const computeRules: Record<Release, (self: VersionedObject, p: Primitive, t: string, sup: () => void) => void> = {
    // 2014.1 ComputeNode 1.3: only stats (1.3) is dropped.
    icehouse: (_self, p, t) => {
      dropBelow(p, t, '1.3', 'stats');
    },
    juno: (_self, p, t) => {
      dropBelow(p, t, '1.5', 'numa_topology');
      dropBelow(p, t, '1.4', 'host_ip');
      dropBelow(p, t, '1.3', 'stats');
    },
    kilo: (_self, p, t, sup) => {
      sup();
      dropBelow(p, t, '1.7', 'host');
      dropBelow(p, t, '1.5', 'numa_topology');
      dropBelow(p, t, '1.4', 'host_ip');
      dropBelow(p, t, '1.3', 'stats');
    },
    mitaka: (self, p, t, sup) => {
      // 13.0.0 ComputeNode 1.16: uuid (1.15) and disk_allocation_ratio (1.16), then Liberty's rules.
      dropBelow(p, t, '1.16', 'disk_allocation_ratio');
      dropBelow(p, t, '1.15', 'uuid');
      computeRules.liberty(self, p, t, sup);
    },
    liberty: (_self, p, t, sup) => {
      sup();
      dropBelow(p, t, '1.14', 'ram_allocation_ratio', 'cpu_allocation_ratio');
      // service_id is required before 1.13: nova looks the service up and falls back to -1.
      if (below(t, '1.13') && (p.service_id === null || p.service_id === undefined)) p.service_id = -1;
      dropBelow(p, t, '1.7', 'host');
      dropBelow(p, t, '1.5', 'numa_topology');
      dropBelow(p, t, '1.4', 'host_ip');
      dropBelow(p, t, '1.3', 'stats');
    },
  };
  const cn = computeNodeRemotables(env);
  register(
    env,
    defineObject(Base, 'ComputeNode', rel('ComputeNode'), dataFields('ComputeNode', specKey), {
      classmethods: cn.classmethods,
      methods: cn.methods,
      ...(junoOrOlder
        ? {}
        : {
            relationships:
              release === 'kilo'
                ? { pci_device_pools: [['1.9', '1.0'], ['1.11', '1.1']], supported_hv_specs: [['1.6', '1.0']] }
                : { pci_device_pools: [['1.9', '1.0'], ['1.11', '1.1']], supported_hv_specs: [['1.6', '1.0'], ['1.12', '1.1']] },
          }),
      compat: computeRules[release],
    }),
  );

  // ComputeNodeList: child_versions up to 1.5 (2014.2) / 1.11 (2015.1.0) map each version to itself
  // (below 1.5 as nova lists them); 12.0.0 has the same pairs as obj_relationships.
  const cnPairs: Array<[string, string]> = [['1.0', '1.2'], ['1.1', '1.3'], ['1.2', '1.3'], ['1.3', '1.4'], ['1.4', '1.5'], ['1.5', '1.5']];
  const cnMinor = Number(rel('ComputeNodeList').split('.')[1]);
  for (let m = 6; m <= cnMinor; m++) cnPairs.push([`1.${m}`, `1.${m}`]);
  register(
    env,
    defineList(
      Base,
      'ComputeNodeList',
      rel('ComputeNodeList'),
      'ComputeNode',
      // 13.0.0 objects carry no obj_relationships (the version manifest decides).
      release === 'mitaka'
        ? { classmethods: cn.listClassmethods }
        : release === 'liberty'
          ? { relationships: { objects: cnPairs }, classmethods: cn.listClassmethods }
          : { child_versions: Object.fromEntries(cnPairs), classmethods: cn.listClassmethods },
    ),
  );

  // Service
  const svc = serviceRemotables(env, release);
  const serviceFields: Record<Release, Record<string, string>> = {
    icehouse: {},
    juno: {},
    kilo: {},
    liberty: { last_seen_up: 'DateTime [nullable]', forced_down: 'Boolean', version: 'Integer' },
    mitaka: { last_seen_up: 'DateTime [nullable]', forced_down: 'Boolean', version: 'Integer' },
  };
  const serviceRels: Record<Release, Array<[string, string]>> = {
    icehouse: [],
    juno: [],
    kilo: [['1.1', '1.4'], ['1.3', '1.5'], ['1.5', '1.6'], ['1.7', '1.8'], ['1.8', '1.9'], ['1.9', '1.10'], ['1.12', '1.11']],
    liberty: [
      ['1.1', '1.4'], ['1.3', '1.5'], ['1.5', '1.6'], ['1.7', '1.8'], ['1.8', '1.9'], ['1.9', '1.10'],
      ['1.12', '1.11'], ['1.15', '1.12'], ['1.17', '1.13'], ['1.18', '1.14'],
    ],
    mitaka: [],
  };
  register(
    env,
    defineObject(
      Base,
      'Service',
      rel('Service'),
      {
        ...P(),
        ...fieldsFromSpecs({
          // 2014.1's id is a plain IntegerField (read_only came with 2014.2).
          id: release === 'icehouse' ? 'Integer' : 'Integer [read_only]',
          host: 'String [nullable]',
          binary: 'String [nullable]',
          topic: 'String [nullable]',
          report_count: 'Integer',
          disabled: 'Boolean',
          disabled_reason: 'String [nullable]',
          availability_zone: 'String [nullable]',
          compute_node: 'Object<ComputeNode>',
          ...serviceFields[release],
        }),
      },
      {
        ...(junoOrOlder ? {} : { relationships: { compute_node: serviceRels[release] } }),
        classmethods: svc.classmethods,
        methods: svc.methods,
        init: (self) => {
          if (libertyOrLater(release)) {
            // 12.0.0 and 13.0.0 always stamp the running code's SERVICE_VERSION.
            self.set('version', SERVICE_VERSION[release] ?? LIBERTY_SERVICE_VERSION);
          }
        },
        compat: (self, p, t, sup) => {
          // 2014.1 Service 1.2 has no obj_make_compatible (the base no-op).
          if (release === 'icehouse') return;
          if (release === 'juno') {
            if (below(t, '1.3') && 'compute_node' in p) {
              const sub = p.compute_node as Primitive;
              self.get<VersionedObject>('compute_node').obj_make_compatible(sub[NOVA_KEYS.data] as Primitive, '1.4');
              sub[NOVA_KEYS.version] = '1.4';
            }
            return;
          }
          if (libertyOrLater(release)) {
            sup();
            dropBelow(p, t, '1.16', 'version');
            dropBelow(p, t, '1.14', 'forced_down');
            dropBelow(p, t, '1.13', 'last_seen_up');
            // below 1.10: _do_compute_node puts the host's first compute node in, at the child version
            if (below(t, '1.10')) doComputeNode(self, p, t);
            return;
          }
          // Kilo: _do_compute_node below 1.10, then super.
          if (below(t, '1.10')) doComputeNode(self, p, t);
          sup();
        },
        load: (self, attr) => {
          if (!self._context) throw new OrphanedObjectError({ method: 'obj_load_attr', objtype: 'Service' }, NOVA);
          throw new ObjectActionError({ action: 'obj_load_attr', reason: `attribute ${attr} not lazy-loadable` }, NOVA);
        },
      },
    ),
  );
  // 13.0.0 Instance 2.1 holds a ServiceList (1.18); the list has no queries here.
  if (release === 'mitaka') register(env, defineList(Base, 'ServiceList', rel('ServiceList'), 'Service'));
}

/** NetworkRequest / NetworkRequestList (2014.2+). */
function defineNetworkRequests(env: ObjectsEnv, Base: VersionedObjectClass, release: Release): void {
  const NetworkRequest = register(
    env,
    defineObject(Base, 'NetworkRequest', release === 'juno' ? '1.0' : '1.1', {
      network_id: StringField({ nullable: true }),
      address: IPAddressField({ nullable: true }),
      port_id: UUIDField({ nullable: true }),
      pci_request_id: UUIDField({ nullable: true }),
    }, {
      // obj_load_attr: setattr(self, attr, None)
      load: (self, attr) => self.set(attr, null),
    }),
  );
  const is_neutron = () => env.is_neutron?.() ?? false;
  Object.assign(NetworkRequest.prototype, {
    /** to_tuple(): (network_id, address, port_id, pci_request_id) with neutron, else (network_id, address). */
    to_tuple(this: VersionedObject): unknown[] {
      const g = (f: string) => (this.obj_attr_is_set(f) ? this.get(f) : null);
      const address = g('address') === null ? null : String(g('address'));
      return is_neutron() ? [g('network_id'), address, g('port_id'), g('pci_request_id')] : [g('network_id'), address];
    },
  });
  const NetworkRequestList = register(
    env,
    defineList(
      Base,
      'NetworkRequestList',
      '1.1',
      'NetworkRequest',
      libertyOrLater(release) ? { relationships: { objects: [['1.0', '1.0'], ['1.1', '1.1']] } } : { child_versions: { '1.0': '1.0', '1.1': '1.1' } },
    ),
  );
  Object.assign(NetworkRequestList.prototype, {
    as_tuples(this: VersionedObject): unknown[][] {
      return (this.get<VersionedObject[]>('objects') ?? []).map((x) => (x as unknown as { to_tuple(): unknown[] }).to_tuple());
    },
  });
}
