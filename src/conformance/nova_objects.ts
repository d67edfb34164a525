/**
 * Conformance adapters for the nova-object categories:
 *
 *   instance_backport_kilo - a real Kilo Instance 1.19 (every field set with
 *                            plausible values, or only `set_fields`) from a
 *                            Kilo object world, obj_to_primitive(target)
 *   list_backport_kilo     - a real Kilo InstanceList 1.16 of N instances
 *
 * Which sub-objects were converted is observed with spies wrapped around
 * obj_make_compatible of the world's child classes, not re-derived from the
 * rules. Both are wired into the runner (runner.ts).
 */
import objectsData from '../nova/data/objects.json';
import { makeObjectWorld, UNICODE_ATTRIBUTES, type NovaObjectWorld } from '../nova/objects';
import { isListOfObjectsField, isObjectField, type Primitive, type VersionedObject, type VersionedObjectClass } from '../oslo/objects';

type Json = Record<string, unknown>;

const K = {
  name: 'nova_object.name',
  version: 'nova_object.version',
  data: 'nova_object.data',
} as const;

const UUID = 'b6a7c9f2-1d4e-4c57-9a3b-5e8f0d2c4a61';
const STAMP = '2015-04-30T12:00:00Z';

/** Instance versions -> fields added (objects.json), for "did this field exist at the target?". */
const INSTANCE_VERSIONS = (objectsData as unknown as { objects: { Instance: { versions: Array<{ version: string; fields_added?: string[] }> } } })
  .objects.Instance.versions;

function vt(v: string): number[] {
  return v.split('.').map((x) => parseInt(x, 10));
}
function cmpV(a: string, b: string): number {
  const x = vt(a);
  const y = vt(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Instance fields that existed at `version` (1.x history; fault counts from 1.0 as nova's table does). */
export function instanceFieldsAt(version: string): Set<string> {
  const out = new Set<string>(['fault']);
  for (const v of INSTANCE_VERSIONS) {
    if (!v.version.startsWith('1.')) continue;
    if (cmpV(v.version, version) <= 0) for (const f of v.fields_added ?? []) out.add(f);
  }
  return out;
}

function flavorKw(id: number, name: string): Json {
  return {
    id,
    flavorid: String(id),
    name,
    memory_mb: 512 * id,
    vcpus: id,
    root_gb: 10 * id,
    ephemeral_gb: 0,
    swap: 0,
    rxtx_factor: 1.0,
    vcpu_weight: null,
    disabled: false,
    is_public: true,
    extra_specs: { 'hw:numa_cpus.0': '0', 'hw:numa_mem.0': String(512 * id), 'quota:cpu_shares': '1024' },
    projects: [],
    created_at: STAMP,
    updated_at: null,
    deleted_at: null,
    deleted: false,
  };
}

/** A plausible value for every Kilo Instance 1.19 field (sub-objects are real objects of that world). */
function plausibleValues(w: NovaObjectWorld, ctxt: unknown): Record<string, () => unknown> {
  const mk = (name: string, kw: Json) => new w.classes[name]!(kw, { context: ctxt, world: w.world });
  const list = (name: string, objects: VersionedObject[]) => mk(name, { objects });
  const uni = (f: string) => `${f.replace(/_/g, '-')}-\u2603`; // test_compat_strings uses a snowman too
  const values: Record<string, () => unknown> = {
    id: () => 42,
    uuid: () => UUID,
    created_at: () => STAMP,
    updated_at: () => STAMP,
    deleted_at: () => null,
    deleted: () => false,
    launch_index: () => 0,
    power_state: () => 1,
    vm_state: () => 'active',
    task_state: () => null,
    memory_mb: () => 512,
    vcpus: () => 1,
    root_gb: () => 10,
    ephemeral_gb: () => 0,
    ephemeral_key_uuid: () => '0f9b8c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b',
    instance_type_id: () => 1,
    reservation_id: () => 'r-3fhpjulh',
    scheduled_at: () => STAMP,
    launched_at: () => STAMP,
    terminated_at: () => null,
    locked: () => false,
    access_ip_v4: () => '192.0.2.10',
    access_ip_v6: () => '2001:db8::10',
    auto_disk_config: () => false,
    progress: () => 100,
    shutdown_terminate: () => false,
    disable_terminate: () => false,
    cleaned: () => false,
    metadata: () => ({ role: 'web' }),
    system_metadata: () => ({ image_min_disk: '1', image_base_image_ref: 'cirros' }),
    info_cache: () => mk('InstanceInfoCache', { instance_uuid: UUID, network_info: [], created_at: STAMP, updated_at: null, deleted_at: null, deleted: false }),
    security_groups: () =>
      list('SecurityGroupList', [
        mk('SecurityGroup', { id: 1, name: 'default', description: 'default', user_id: 'u1', project_id: 'p1', created_at: STAMP, updated_at: null, deleted_at: null, deleted: false }),
      ]),
    fault: () =>
      mk('InstanceFault', { id: 7, instance_uuid: UUID, code: 500, message: 'NoValidHost', details: '', host: 'compute-1', created_at: STAMP, updated_at: null, deleted_at: null, deleted: false }),
    pci_devices: () =>
      list('PciDeviceList', [
        mk('PciDevice', {
          id: 1, compute_node_id: 1, address: '0000:04:10.0', vendor_id: '8086', product_id: '1520', dev_type: 'type-VF',
          status: 'allocated', dev_id: 'pci_0000_04_10_0', label: 'label_8086_1520', instance_uuid: UUID,
          request_id: '5c9b0a3e-6f1d-4b2a-9c8e-7d6f5e4a3b2c', extra_info: {}, numa_node: 0,
          created_at: STAMP, updated_at: null, deleted_at: null, deleted: false,
        }),
      ]),
    numa_topology: () =>
      mk('InstanceNUMATopology', {
        id: 0,
        instance_uuid: UUID,
        cells: [
          mk('InstanceNUMACell', {
            id: 0, cpuset: new Set([0]), memory: 512, pagesize: null,
            cpu_topology: mk('VirtCPUTopology', { sockets: 1, cores: 1, threads: 1 }), cpu_pinning_raw: null,
          }),
        ],
      }),
    pci_requests: () =>
      mk('InstancePCIRequests', {
        instance_uuid: UUID,
        requests: [mk('InstancePCIRequest', { count: 1, spec: [{ vendor_id: '8086', product_id: '1520' }], alias_name: 'nic', is_new: false, request_id: '5c9b0a3e-6f1d-4b2a-9c8e-7d6f5e4a3b2c' })],
      }),
    tags: () => list('TagList', [mk('Tag', { resource_id: UUID, tag: 'web' })]),
    flavor: () => mk('Flavor', flavorKw(1, 'm1.tiny')),
    old_flavor: () => mk('Flavor', flavorKw(2, 'm1.small')),
    new_flavor: () => mk('Flavor', flavorKw(3, 'm1.medium')),
    vcpu_model: () =>
      mk('VirtCPUModel', {
        arch: 'x86_64', vendor: 'Intel', mode: 'host-model', model: 'Haswell', match: 'exact',
        topology: mk('VirtCPUTopology', { sockets: 1, cores: 1, threads: 1 }),
        features: [mk('VirtCPUFeature', { policy: 'require', name: 'vmx' })],
      }),
  };
  if (w.classes.EC2Ids) values.ec2_ids = () => mk('EC2Ids', { instance_id: 'i-0000002a', ami_id: 'ami-00000001', kernel_id: null, ramdisk_id: null });
  if (w.classes.MigrationContext) {
    values.migration_context = () =>
      mk('MigrationContext', { instance_uuid: UUID, migration_id: 1, new_numa_topology: null, old_numa_topology: null, created_at: STAMP, updated_at: null, deleted_at: null, deleted: false });
  }
  // 13.0.0 Instance 2.1: services (a ServiceList of the instance's host's services)
  if (w.classes.ServiceList) values.services = () => list('ServiceList', [mk('Service', { id: 1, host: 'compute1', binary: 'nova-compute', topic: 'compute', report_count: 1, disabled: false, disabled_reason: null, forced_down: false })]);
  for (const f of UNICODE_ATTRIBUTES) values[f] = () => uni(f);
  return values;
}

/** An Instance of `cls` (any release's, e.g. Liberty's InstanceV2 or InstanceV1) with every field it has set plausibly. */
export function plausibleInstance(w: NovaObjectWorld, cls: VersionedObjectClass, fields: string[] | null = null, ctxt: unknown = null): VersionedObject {
  const values = plausibleValues(w, ctxt);
  const inst = new cls({}, { context: ctxt, world: w.world });
  for (const f of fields ?? Object.keys(inst.fields)) if (values[f]) inst.set(f, values[f]!());
  return inst;
}

/**
 * A Kilo Instance 1.19 with `fields` set to the adapter's plausible values
 * (all fields when null); string fields carry a non-ASCII character.
 */
export function plausibleKiloInstance(w: NovaObjectWorld, fields: string[] | null = null, ctxt: unknown = null): VersionedObject {
  const values = plausibleValues(w, ctxt);
  const inst = new w.classes.Instance({}, { context: ctxt, world: w.world });
  for (const f of fields ?? Object.keys(inst.fields)) inst.set(f, values[f]!());
  return inst;
}

/** Wrap obj_make_compatible of every class of the world; returns the objects it was called on. */
export function spyOnMakeCompatible(w: NovaObjectWorld, except: string[]): Set<VersionedObject> {
  const called = new Set<VersionedObject>();
  for (const [name, C] of Object.entries(w.classes)) {
    if (!C || except.includes(name)) continue;
    const proto = C.prototype as VersionedObject;
    if (!Object.prototype.hasOwnProperty.call(proto, 'obj_make_compatible')) continue;
    const orig = proto.obj_make_compatible;
    Object.defineProperty(proto, 'obj_make_compatible', {
      configurable: true,
      writable: true,
      value: function (this: VersionedObject, primitive: Primitive, target: string) {
        called.add(this);
        return orig.call(this, primitive, target);
      },
    });
  }
  return called;
}

function isEnvelope(v: unknown): v is Primitive {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && K.version in (v as Primitive);
}

/** category instance_backport_kilo */
export function runInstanceBackportKilo(input: Json): Json {
  const target = String(input.target_version);
  const w = makeObjectWorld('kilo', { name: 'conformance-kilo' });
  const ctxt = null;
  const values = plausibleValues(w, ctxt);
  const inst = new w.classes.Instance({}, { context: ctxt, world: w.world });
  const allFields = Object.keys(inst.fields);

  let fieldsToSet: string[];
  if (input.all_fields_set) fieldsToSet = allFields;
  else fieldsToSet = ((input.set_fields ?? []) as string[]).filter((f) => allFields.includes(f));
  const explicit: Record<string, unknown> = {};
  for (const [key, field] of [
    ['fault_value', 'fault'],
    ['pci_requests_value', 'pci_requests'],
  ] as const) {
    if (key in input) {
      if (!fieldsToSet.includes(field)) fieldsToSet.push(field);
      explicit[field] = input[key];
    }
  }
  for (const f of fieldsToSet) {
    const v = f in explicit && explicit[f] === null ? null : values[f]!();
    inst.set(f, v);
  }
  // Sub-objects carry the version they were built (or received) at.
  for (const [f, ver] of Object.entries((input.subobject_current_versions ?? {}) as Record<string, string>)) {
    if (inst.obj_attr_is_set(f)) {
      const sub = inst.get<VersionedObject | null>(f);
      if (sub) sub.VERSION = ver;
    }
  }
  // An unset flavor would be lazy-loaded from the DB by nova (orphaned here):
  // treat it as absent, which is what a set_fields case describes.
  const realGet = inst.get.bind(inst);
  (inst as { get: typeof inst.get }).get = (<T>(name: string): T =>
    (name === 'flavor' || name === 'old_flavor' || name === 'new_flavor') && !inst.obj_attr_is_set(name)
      ? (null as T)
      : realGet<T>(name)) as typeof inst.get;

  const before = inst.obj_to_primitive()[K.data] as Primitive;
  const called = spyOnMakeCompatible(w, ['Instance']);
  const prim = inst.obj_to_primitive(target);
  const data = prim[K.data] as Primitive;

  const removed_fields = Object.keys(before).filter((k) => !(k in data));
  const subobject_versions: Record<string, string> = {};
  const subobjects_backported: string[] = [];
  for (const [k, v] of Object.entries(data)) if (isEnvelope(v)) subobject_versions[k] = String(v[K.version]);
  for (const f of allFields) {
    const field = inst.fields[f]!;
    if (!(isObjectField(field) || isListOfObjectsField(field)) || !inst.obj_attr_is_set(f)) continue;
    const sub = inst.get<VersionedObject | null>(f);
    if (sub && called.has(sub)) subobjects_backported.push(f);
  }
  const strings_ascii_encoded = UNICODE_ATTRIBUTES.some((f) => f in data && f in before && data[f] !== before[f]);
  const smBefore = (before.system_metadata ?? {}) as Record<string, unknown>;
  const smAfter = (data.system_metadata ?? {}) as Record<string, unknown>;
  const added = Object.keys(smAfter).filter((k) => !(k in smBefore));
  const prefixes = new Set<string>();
  for (const k of added) {
    const m = /^((?:old_|new_)?instance_type_)/.exec(k);
    if (m) prefixes.add(m[1]!);
  }
  const existing = instanceFieldsAt(target);
  const scalar_fields_kept_even_if_newer = Object.keys(data).filter((k) => {
    const field = inst.fields[k];
    return field && !isObjectField(field) && !isListOfObjectsField(field) && !existing.has(k);
  });
  return {
    envelope_version: prim[K.version],
    removed_fields,
    subobject_versions,
    subobjects_backported,
    strings_ascii_encoded,
    flavor_folded_into_system_metadata: prefixes.size > 0,
    system_metadata_keys_added_prefixes: [...prefixes],
    scalar_fields_kept_even_if_newer,
    data_keys: Object.keys(data),
    fault: 'fault' in data ? (data.fault ?? null) : null,
  };
}

/** category list_backport_kilo */
export function runListBackportKilo(input: Json): Json {
  const w = makeObjectWorld('kilo', { name: 'conformance-kilo' });
  const count = Number(input.element_count ?? 0);
  const objects = Array.from({ length: count }, (_, i) => {
    const inst = new w.classes.Instance(
      {
        id: i + 1,
        uuid: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        host: 'compute-1',
        vm_state: 'active',
        system_metadata: {},
        flavor: new w.classes.Flavor(flavorKw(1, 'm1.tiny'), { world: w.world }),
        old_flavor: null,
        new_flavor: null,
      },
      { world: w.world },
    );
    inst.obj_reset_changes();
    return inst;
  });
  const list = new w.classes.InstanceList({ objects }, { world: w.world });
  const prim = list.obj_to_primitive(String(input.target_version));
  const elements = (((prim[K.data] as Primitive).objects ?? []) as Primitive[]).map((e) => String(e[K.version]));
  return {
    envelope_version: prim[K.version],
    element_version: elements.length ? elements[0] : null,
    element_versions_all_equal: elements.every((v) => v === elements[0]),
    element_versions: elements,
    object_name: prim[K.name],
  };
}
