/**
 * nova 13.0.0 (Mitaka), on oslo.versionedobjects 1.x: one Instance class
 * (2.1, which adds `services`, dropped below 2.1) and one InstanceList
 * (2.0); InstanceV1 / InstanceListV1 are gone, so a 1.x peer cannot be
 * served. No object has obj_relationships any more: sub-objects follow the
 * version manifest. Plus the scheduler's RequestSpec (1.5) and what it
 * holds, which Mitaka's conductor sends to the scheduler (select_destinations
 * 4.3) instead of the legacy request_spec / filter_properties dicts
 * (nova/objects/request_spec.py, image_meta.py, instance_group.py,
 * compute_node.py @13.0.0).
 */
import { PyAttributeError } from '../../oslo/exception';
import {
  MitakaNovaObject,
  persistentObjectFields,
  type ObjectWorld,
  type VersionedObject,
  type VersionedObjectClass,
} from '../../oslo/objects';
import { below, dataFields, defineList, defineObject, fieldsFromSpecs, make, releaseVersion, type ObjectsEnv } from './common';
import { obj_to_primitive } from '../compute/rpcapi_support';
import { defineInstance, instanceListClassmethods } from './instance';
import { defineSubobjects } from './subobjects';

type Dict = Record<string, unknown>;

function register(env: ObjectsEnv, C: VersionedObjectClass): VersionedObjectClass {
  env.world.registry.register(C);
  env.classes[C.obj_name()] = C;
  return C;
}

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { get?: unknown }).get !== 'function';
const isObj = (v: unknown): v is VersionedObject => typeof v === 'object' && v !== null && typeof (v as { obj_name?: unknown }).obj_name === 'function';
/** dict.get(key) of a plain dict; attribute access of an object. */
function dget(d: unknown, key: string, dflt: unknown = null): unknown {
  if (isObj(d)) return d.obj_attr_is_set(key) ? d.get(key) : dflt;
  if (isDict(d)) return key in d ? d[key] : dflt;
  return dflt;
}

export function defineMitakaObjects(env: ObjectsEnv): void {
  const Base = MitakaNovaObject as unknown as VersionedObjectClass;
  defineSubobjects(env, Base);
  const rel = (name: string) => releaseVersion('mitaka', name);
  const P = persistentObjectFields;

  const Instance = defineInstance({
    env,
    flavour: 'mitaka',
    Base,
    jsName: 'Instance',
    version: rel('Instance'),
    fields: { ...P(), ...dataFields('Instance', 'mitaka_2_1') },
    compat: (_self, p, t, sup) => {
      sup();
      if (below(t, '2.1')) delete p.services;
    },
  });
  register(env, Instance);
  register(
    env,
    defineList(Base, 'InstanceList', rel('InstanceList'), 'Instance', {
      classmethods: instanceListClassmethods(env, 'mitaka', 'InstanceList', 'Instance', true),
    }),
  );

  // ---- what RequestSpec holds -------------------------------------------
  // ComputeNodeList (with its remotables) comes from defineSubobjects.
  register(env, defineObject(Base, 'NUMATopologyLimits', rel('NUMATopologyLimits'), fieldsFromSpecs({ cpu_allocation_ratio: 'Float', ram_allocation_ratio: 'Float' })));
  register(
    env,
    defineObject(Base, 'InstanceGroup', rel('InstanceGroup'), {
      ...P(),
      ...fieldsFromSpecs({
        id: 'Integer',
        user_id: 'String [nullable]',
        project_id: 'String [nullable]',
        uuid: 'UUID',
        name: 'String [nullable]',
        policies: 'ListOfStrings [nullable]',
        members: 'ListOfStrings [nullable]',
        hosts: 'ListOfStrings [nullable]',
      }),
    }),
  );
  // ImageMetaProps 1.12 has some eighty hw_* / img_* / os_* fields; the model keeps a few.
  register(
    env,
    defineObject(
      Base,
      'ImageMetaProps',
      rel('ImageMetaProps'),
      fieldsFromSpecs({
        hw_architecture: 'Architecture',
        hw_disk_bus: 'String',
        hw_machine_type: 'String',
        hw_vif_model: 'String',
        img_hv_type: 'HVType',
        os_distro: 'String',
        os_type: 'String',
      }),
    ),
  );
  const ImageMetaProps = env.classes.ImageMetaProps!;
  register(
    env,
    defineObject(
      Base,
      'ImageMeta',
      rel('ImageMeta'),
      fieldsFromSpecs({
        id: 'UUID',
        name: 'String',
        status: 'String',
        visibility: 'String',
        protected: 'Boolean',
        checksum: 'String',
        owner: 'String',
        size: 'Integer',
        virtual_size: 'Integer',
        container_format: 'String',
        disk_format: 'String',
        created_at: 'DateTime [nullable]',
        updated_at: 'DateTime [nullable]',
        tags: 'ListOfStrings',
        direct_url: 'String',
        min_ram: 'Integer',
        min_disk: 'Integer',
        properties: 'Object<ImageMetaProps>',
      }),
    ),
  );
  register(env, defineObject(Base, 'SchedulerRetries', rel('SchedulerRetries'), fieldsFromSpecs({ num_attempts: 'Integer', hosts: 'Object<ComputeNodeList>' })));
  register(
    env,
    defineObject(
      Base,
      'SchedulerLimits',
      rel('SchedulerLimits'),
      fieldsFromSpecs({
        numa_topology: 'Object<NUMATopologyLimits> [nullable, default=None]',
        vcpu: 'Integer [nullable, default=None]',
        disk_gb: 'Integer [nullable, default=None]',
        memory_mb: 'Integer [nullable, default=None]',
      }),
    ),
  );

  /** ImageMeta.from_dict: properties through ImageMetaProps.from_dict; unknown keys are not fields. */
  const imageMetaFromDict = (image: Dict | null, ctxt: unknown): VersionedObject => {
    const meta = make(env, 'ImageMeta', {}, ctxt);
    const props = new ImageMetaProps({}, { context: ctxt, world: env.world });
    const rawProps = (image?.properties ?? {}) as Dict;
    for (const [k, v] of Object.entries(rawProps)) if (k in props.fields) props.set(k, v);
    for (const [k, v] of Object.entries(image ?? {})) {
      if (k === 'properties' || !(k in meta.fields)) continue;
      // NULLABLE_STRING_FIELDS -> '', NULLABLE_INTEGER_FIELDS -> 0
      meta.set(k, v === null ? (['name', 'checksum', 'owner', 'container_format', 'disk_format'].includes(k) ? '' : ['size', 'virtual_size', 'min_disk', 'min_ram'].includes(k) ? 0 : v) : v);
    }
    meta.set('properties', props);
    return meta;
  };

  const RequestSpec = defineObject(
    Base,
    'RequestSpec',
    rel('RequestSpec'),
    fieldsFromSpecs({
      id: 'Integer',
      image: 'Object<ImageMeta> [nullable]',
      numa_topology: 'Object<InstanceNUMATopology> [nullable]',
      pci_requests: 'Object<InstancePCIRequests> [nullable]',
      project_id: 'String [nullable]',
      availability_zone: 'String [nullable]',
      flavor: 'Object<Flavor>',
      num_instances: 'Integer [default=1]',
      ignore_hosts: 'ListOfStrings [nullable]',
      force_hosts: 'ListOfStrings [nullable]',
      force_nodes: 'ListOfStrings [nullable]',
      retry: 'Object<SchedulerRetries> [nullable]',
      limits: 'Object<SchedulerLimits> [nullable]',
      instance_group: 'Object<InstanceGroup> [nullable]',
      scheduler_hints: 'DictOfListOfStrings [nullable]',
      instance_uuid: 'UUID',
    }),
  );
  register(env, RequestSpec);

  Object.assign(env.classes.SchedulerRetries!.prototype, {
    to_dict(this: VersionedObject): Dict {
      const hosts = this.get<VersionedObject>('hosts').get<VersionedObject[]>('objects');
      return { num_attempts: this.get('num_attempts'), hosts: hosts.map((cn) => [cn.get('host'), cn.get('hypervisor_hostname')]) };
    },
  });
  Object.assign(env.classes.SchedulerLimits!.prototype, {
    to_dict(this: VersionedObject): Dict {
      const out: Dict = {};
      for (const f of Object.keys(this.fields)) if (this.get(f) !== null) out[f] = this.get(f);
      return out;
    },
  });
  Object.assign(RequestSpec.prototype, {
    to_legacy_request_spec_dict(this: VersionedObject): Dict {
      const set = (f: string) => this.obj_attr_is_set(f);
      // _to_legacy_image: base.obj_to_primitive(self.image) (a plain dict of set fields)
      const image = set('image') && this.get('image') ? obj_to_primitive(this.get('image')) : {};
      const instance: Dict = {};
      for (const f of ['numa_topology', 'pci_requests', 'project_id', 'availability_zone', 'instance_uuid']) {
        if (!set(f)) continue;
        instance[f === 'instance_uuid' ? 'uuid' : f] = this.get(f);
      }
      if (set('flavor')) {
        const flavor = this.get<VersionedObject>('flavor');
        for (const f of ['root_gb', 'ephemeral_gb', 'memory_mb', 'vcpus']) instance[f] = flavor.get(f);
      }
      return {
        num_instances: set('num_instances') ? this.get('num_instances') : 1,
        image,
        instance_properties: instance,
        instance_type: set('flavor') ? this.get('flavor') : {},
      };
    },
    to_legacy_filter_properties_dict(this: VersionedObject): Dict {
      const set = (f: string) => this.obj_attr_is_set(f) && Boolean(truthy(this.get(f)));
      const fp: Dict = {};
      for (const f of ['ignore_hosts', 'force_hosts', 'force_nodes']) if (set(f)) fp[f] = this.get(f);
      if (set('retry')) fp.retry = (this.get('retry') as unknown as { to_dict(): Dict }).to_dict();
      if (set('limits')) fp.limits = (this.get('limits') as unknown as { to_dict(): Dict }).to_dict();
      if (set('instance_group')) {
        const g = this.get<VersionedObject>('instance_group');
        fp.group_updated = true;
        fp.group_hosts = [...new Set(g.get<string[]>('hosts') ?? [])];
        fp.group_policies = [...new Set(g.get<string[]>('policies') ?? [])];
      }
      if (set('scheduler_hints')) {
        const hints = this.get<Record<string, unknown[]>>('scheduler_hints');
        fp.scheduler_hints = Object.fromEntries(Object.entries(hints).map(([k, v]) => [k, Array.isArray(v) && v.length === 1 ? v[0] : v]));
      }
      return fp;
    },
  });

  // ---- live migration data (nova/objects/migrate_data.py @13.0.0) ----------
  // LiveMigrateData is registered only through its subclasses (register_if(False)).
  const lmdBase = { is_volume_backed: 'Boolean', migration: 'Object<Migration>' };
  const LiveMigrateData = defineObject(Base, 'LiveMigrateData', '1.0', fieldsFromSpecs(lmdBase));
  env.classes.LiveMigrateData = LiveMigrateData;
  LMD_BY_WORLD.set(env.world, LiveMigrateData);
  register(
    env,
    defineObject(
      Base,
      'LibvirtLiveMigrateBDMInfo',
      rel('LibvirtLiveMigrateBDMInfo'),
      fieldsFromSpecs({ serial: 'String', bus: 'String', dev: 'String', type: 'String', format: 'String [nullable]', boot_index: 'Integer [nullable]', connection_info_json: 'String' }),
    ),
  );
  const LIBVIRT_ONLY: Record<string, string> = {
    filename: 'String',
    image_type: 'String',
    block_migration: 'Boolean',
    disk_over_commit: 'Boolean',
    disk_available_mb: 'Integer [nullable]',
    is_shared_instance_path: 'Boolean',
    is_shared_block_storage: 'Boolean',
    instance_relative_path: 'String',
    graphics_listen_addr_vnc: 'IPAddress [nullable]',
    graphics_listen_addr_spice: 'IPAddress [nullable]',
    serial_listen_addr: 'String [nullable]',
    bdms: 'ListOfObjects<LibvirtLiveMigrateBDMInfo>',
    target_connect_addr: 'String [nullable]',
  };
  const Libvirt = register(
    env,
    defineObject(Base, 'LibvirtLiveMigrateData', rel('LibvirtLiveMigrateData'), fieldsFromSpecs({ ...lmdBase, ...LIBVIRT_ONLY }), {
      compat: (_self, p, t, sup) => {
        sup();
        if (below(t, '1.1')) delete p.target_connect_addr;
      },
    }),
  );
  const baseToLegacy = (self: VersionedObject, pre: boolean): Dict => {
    const legacy: Dict = {};
    for (const f of ['is_volume_backed', 'migration']) if (self.obj_attr_is_set(f)) legacy[f] = self.get(f);
    if (pre) legacy.pre_live_migration_result = {};
    return legacy;
  };
  const baseFromLegacy = (self: VersionedObject, legacy: Dict) => {
    for (const f of ['is_volume_backed', 'migration']) if (f in legacy) self.set(f, legacy[f]);
  };
  Object.assign(LiveMigrateData.prototype, {
    to_legacy_dict(this: VersionedObject, pre_migration_result = false): Dict {
      return baseToLegacy(this, pre_migration_result);
    },
    from_legacy_dict(this: VersionedObject, legacy: Dict): void {
      baseFromLegacy(this, legacy);
    },
  });
  Object.assign(Libvirt.prototype, {
    to_legacy_dict(this: VersionedObject, pre_migration_result = false): Dict {
      const legacy = baseToLegacy(this, false);
      for (const k of Object.keys(LIBVIRT_ONLY)) if (k !== 'bdms' && this.obj_attr_is_set(k)) legacy[k] = this.get(k);
      const vnc = legacy.graphics_listen_addr_vnc ?? null;
      const spice = legacy.graphics_listen_addr_spice ?? null;
      const target = legacy.target_connect_addr ?? null;
      delete legacy.graphics_listen_addr_vnc;
      delete legacy.graphics_listen_addr_spice;
      delete legacy.target_connect_addr;
      const serial = 'serial_listen_addr' in legacy ? legacy.serial_listen_addr : null;
      delete legacy.serial_listen_addr;
      const live: Dict = {
        graphics_listen_addrs: { vnc: vnc === null ? null : String(vnc), spice: spice === null ? null : String(spice) },
        serial_listen_addr: serial,
        target_connect_addr: target,
      };
      if (pre_migration_result) {
        legacy.pre_live_migration_result = live;
        if (this.obj_attr_is_set('bdms')) {
          const volume: Dict = {};
          for (const b of this.get<VersionedObject[]>('bdms')) {
            const disk: Dict = { dev: b.get('dev'), bus: b.get('bus'), type: b.get('type') };
            if (b.obj_attr_is_set('format') && b.get('format')) disk.format = b.get('format');
            if (b.obj_attr_is_set('boot_index') && b.get('boot_index') !== null) disk.boot_index = String(b.get('boot_index'));
            volume[String(b.get('serial'))] = { disk_info: disk, connection_info: JSON.parse(String(b.get('connection_info_json'))) };
          }
          live.volume = volume;
        }
      }
      return legacy;
    },
    from_legacy_dict(this: VersionedObject, legacy: Dict): void {
      baseFromLegacy(this, legacy);
      for (const k of Object.keys(LIBVIRT_ONLY)) if (k !== 'bdms' && k in legacy) this.set(k, legacy[k]);
      if ('pre_live_migration_result' in legacy) {
        const pre = (legacy.pre_live_migration_result ?? {}) as Dict;
        const g = (pre.graphics_listen_addrs ?? {}) as Dict;
        this.set('graphics_listen_addr_vnc', g.vnc ?? null);
        this.set('graphics_listen_addr_spice', g.spice ?? null);
        this.set('target_connect_addr', pre.target_connect_addr ?? null);
        if ('serial_listen_addr' in pre) this.set('serial_listen_addr', pre.serial_listen_addr);
        const bdms: VersionedObject[] = [];
        for (const [serial, vol] of Object.entries((pre.volume ?? {}) as Record<string, Dict>)) {
          const d = (vol.disk_info ?? {}) as Dict;
          bdms.push(make(env, 'LibvirtLiveMigrateBDMInfo', { serial, connection_info_json: JSON.stringify(vol.connection_info), bus: d.bus, dev: d.dev, type: d.type }));
        }
        this.set('bdms', bdms);
      }
    },
  });

  /**
   * RequestSpec.from_primitives(context, request_spec, filter_properties):
   * the object hydrated from the legacy dicts (a classmethod, not remotable).
   */
  (RequestSpec as unknown as { from_primitives: unknown }).from_primitives = (ctxt: unknown, request_spec: unknown, filter_properties: unknown): VersionedObject => {
    if (!isDict(request_spec) || !isDict(filter_properties)) throw new PyAttributeError(`'${request_spec === null || filter_properties === null ? 'NoneType' : 'list'}' object has no attribute 'get'`);
    const spec = make(env, 'RequestSpec', {}, ctxt);
    spec.set('num_instances', dget(request_spec, 'num_instances', 1));
    const image = dget(request_spec, 'image');
    if (isObj(image) && image.obj_name() === 'ImageMeta') spec.set('image', image);
    else spec.set('image', isDict(image) ? imageMetaFromDict(image, ctxt) : null);
    const instance = dget(request_spec, 'instance_properties');
    if (isObj(instance) || isDict(instance)) {
      spec.set('numa_topology', dget(instance, 'numa_topology'));
      spec.set('pci_requests', dget(instance, 'pci_requests'));
      spec.set('instance_uuid', dget(instance, 'uuid'));
      spec.set('project_id', dget(instance, 'project_id'));
      spec.set('availability_zone', dget(instance, 'availability_zone'));
    }
    const flavor = dget(request_spec, 'instance_type');
    if (isObj(flavor) && flavor.obj_name() === 'Flavor') spec.set('flavor', flavor);
    else if (isDict(flavor)) {
      const f = make(env, 'Flavor', {}, ctxt);
      for (const [k, v] of Object.entries(flavor)) if (k in f.fields) f.set(k, v);
      spec.set('flavor', f);
    }
    spec.set('ignore_hosts', dget(filter_properties, 'ignore_hosts'));
    spec.set('force_hosts', dget(filter_properties, 'force_hosts'));
    spec.set('force_nodes', dget(filter_properties, 'force_nodes'));
    const retry = dget(filter_properties, 'retry', {}) as Dict | null;
    if (retry && Object.keys(retry).length) {
      const r = make(env, 'SchedulerRetries', {}, ctxt);
      // `('num_attempts' and 'hosts') in retry_dict` is `'hosts' in retry_dict`
      if ('hosts' in retry) {
        r.set('num_attempts', retry.num_attempts ?? null);
        const list = make(env, 'ComputeNodeList', {}, ctxt);
        list.set(
          'objects',
          ((retry.hosts ?? []) as unknown[][]).map(([host, node]) => make(env, 'ComputeNode', { host, hypervisor_hostname: node }, ctxt)),
        );
        r.set('hosts', list);
      }
      spec.set('retry', r);
    } else spec.set('retry', null);
    const limits = make(env, 'SchedulerLimits', {}, ctxt);
    for (const [k, v] of Object.entries((dget(filter_properties, 'limits', {}) ?? {}) as Dict)) if (k in limits.fields) limits.set(k, v);
    limits.obj_set_defaults();
    spec.set('limits', limits);
    if (dget(filter_properties, 'instance_group')) spec.set('instance_group', dget(filter_properties, 'instance_group'));
    else if (dget(filter_properties, 'group_updated') === true) {
      spec.set('instance_group', make(env, 'InstanceGroup', {
        policies: [...((dget(filter_properties, 'group_policies') ?? []) as string[])],
        hosts: [...((dget(filter_properties, 'group_hosts') ?? []) as string[])],
        members: [...((dget(filter_properties, 'group_members') ?? []) as string[])],
      }, ctxt));
    } else spec.set('instance_group', null);
    const hints = dget(filter_properties, 'scheduler_hints', {});
    if (hints === null) spec.set('scheduler_hints', null);
    else spec.set('scheduler_hints', Object.fromEntries(Object.entries(hints as Dict).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])));
    return spec;
  };
}

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && (v as { length?: number }).length === 0) return false;
  return true;
}

/** RequestSpec.from_primitives of a Mitaka world's RequestSpec class. */
export function requestSpecFromPrimitives(world: ObjectWorld, ctxt: unknown, request_spec: unknown, filter_properties: unknown): VersionedObject {
  const C = world.registry.latest('RequestSpec') as unknown as { from_primitives?(c: unknown, r: unknown, f: unknown): VersionedObject } | undefined;
  if (!C?.from_primitives) throw new PyAttributeError("'module' object has no attribute 'RequestSpec'");
  return C.from_primitives(ctxt, request_spec, filter_properties);
}

/**
 * LiveMigrateData.detect_implementation(legacy_dict) @13.0.0: libvirt's
 * when the dict has instance_relative_path or image_type, else the base
 * class (Xen's is not modelled); filled with from_legacy_dict.
 */
export function liveMigrateDataFromLegacy(world: ObjectWorld, legacy: unknown, ctxt: unknown = null): VersionedObject {
  const d = (legacy && typeof legacy === 'object' ? legacy : {}) as Dict;
  const Libvirt = world.registry.latest('LibvirtLiveMigrateData');
  if (!Libvirt) throw new PyAttributeError("'module' object has no attribute 'LibvirtLiveMigrateData'");
  const useLibvirt = 'instance_relative_path' in d || 'image_type' in d;
  const Cls = useLibvirt ? Libvirt : (LMD_BY_WORLD.get(world) ?? Libvirt);
  const obj = new Cls({}, { context: ctxt, world });
  (obj as unknown as { from_legacy_dict(l: Dict): void }).from_legacy_dict(d);
  return obj;
}

/** A LiveMigrateData-like value (has to_legacy_dict / from_legacy_dict). */
export function isLiveMigrateData(v: unknown): v is VersionedObject & { to_legacy_dict(pre?: boolean): Dict; from_legacy_dict(l: Dict): void } {
  return typeof v === 'object' && v !== null && typeof (v as { to_legacy_dict?: unknown }).to_legacy_dict === 'function' && typeof (v as { from_legacy_dict?: unknown }).from_legacy_dict === 'function';
}

/** The unregistered LiveMigrateData base class of each Mitaka world. */
const LMD_BY_WORLD = new WeakMap<ObjectWorld, VersionedObjectClass>();
