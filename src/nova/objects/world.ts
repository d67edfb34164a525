/**
 * makeObjectWorld: the object classes of one release, defined afresh for one
 * simulated service, registered on that service's own registry.
 */
import {
  ObjectRegistry,
  ObjectWorld,
  type IndirectionAPI,
  type SerializerLogic,
  type VersionedObject,
  type VersionedObjectClass,
} from '../../oslo/objects';
import type { Observer } from '../../oslo/observer';
import type { Database } from '../db/api';
import { RELEASE_INFO, type Release } from '../releases';
import type { ObjectsEnv } from './common';
import { instanceFromDbObject, instanceOptionalAttrs } from './instance';
import { PyKeyError } from '../../oslo/exception';
import type { Row } from '../db/api';
import { defineJunoObjects } from './juno';
import { defineIcehouseObjects } from './icehouse';
import { defineKiloObjects } from './kilo';
import { defineLibertyObjects } from './liberty';
import { defineMitakaObjects } from './mitaka';
import { prepareServiceBackport } from './compute_node';

/** The classes of a world. Release-specific ones are absent where the release lacks them. */
export interface NovaObjectClasses {
  Instance: VersionedObjectClass;
  InstanceList: VersionedObjectClass;
  Flavor: VersionedObjectClass;
  FlavorList: VersionedObjectClass;
  InstanceInfoCache: VersionedObjectClass;
  SecurityGroup: VersionedObjectClass;
  SecurityGroupList: VersionedObjectClass;
  InstanceFault: VersionedObjectClass;
  PciDevice: VersionedObjectClass;
  PciDeviceList: VersionedObjectClass;
  InstanceNUMATopology: VersionedObjectClass;
  InstanceNUMACell: VersionedObjectClass;
  InstancePCIRequests: VersionedObjectClass;
  InstancePCIRequest: VersionedObjectClass;
  Service: VersionedObjectClass;
  ComputeNode: VersionedObjectClass;
  /** Kilo+ */
  Tag?: VersionedObjectClass;
  TagList?: VersionedObjectClass;
  VirtCPUModel?: VersionedObjectClass;
  VirtCPUFeature?: VersionedObjectClass;
  VirtCPUTopology?: VersionedObjectClass;
  PciDevicePool?: VersionedObjectClass;
  PciDevicePoolList?: VersionedObjectClass;
  HVSpec?: VersionedObjectClass;
  /** Liberty */
  EC2Ids?: VersionedObjectClass;
  MigrationContext?: VersionedObjectClass;
  InstanceV1?: VersionedObjectClass;
  InstanceV2?: VersionedObjectClass;
  InstanceListV1?: VersionedObjectClass;
  InstanceListV2?: VersionedObjectClass;
  [name: string]: VersionedObjectClass | undefined;
}

export interface NovaObjectWorld {
  release: Release;
  world: ObjectWorld;
  registry: ObjectRegistry;
  classes: NovaObjectClasses;
  /** Which NovaObjectSerializer logic a service of this release uses. */
  serializer_logic: SerializerLogic;
  /** null on services that reach the DB only through conductor. */
  db: Database | null;
  env: ObjectsEnv;
}

export interface MakeObjectWorldOptions {
  /** The nova database (conductor, api, scheduler). nova-compute passes null. */
  db?: Database | null;
  /** NovaObject.indirection_api (nova-compute: the conductor RPC client). */
  indirection_api?: IndirectionAPI | null;
  observer?: Observer;
  /** Registry/world name, e.g. "compute-1". */
  name?: string;
  /** nova.utils.is_neutron() for NetworkRequest.to_tuple (the service's network_api_class). */
  is_neutron?: () => boolean;
  /** Mitaka with bug 1579839's fix (Service.save() writes a version-only change). */
  serviceVersionUpdateFix?: boolean;
}

const DEFINE: Record<Release, (env: ObjectsEnv) => void> = {
  icehouse: defineIcehouseObjects,
  juno: defineJunoObjects,
  kilo: defineKiloObjects,
  liberty: defineLibertyObjects,
  mitaka: defineMitakaObjects,
};

export function makeObjectWorld(release: Release, opts: MakeObjectWorldOptions = {}): NovaObjectWorld {
  const name = opts.name ?? `${release}-objects`;
  const registry = new ObjectRegistry({ name });
  const world = new ObjectWorld({
    registry,
    indirection_api: opts.indirection_api ?? null,
    ...(opts.observer ? { observer: opts.observer } : {}),
    name,
  });
  const env: ObjectsEnv = { release, db: opts.db ?? null, world, classes: {}, ...(opts.is_neutron ? { is_neutron: opts.is_neutron } : {}), ...(opts.serviceVersionUpdateFix ? { serviceVersionUpdateFix: true } : {}) };
  DEFINE[release](env);
  ENV_BY_WORLD.set(world, env);
  return {
    release,
    world,
    registry,
    classes: env.classes as unknown as NovaObjectClasses,
    serializer_logic: RELEASE_INFO[release].serializer,
    db: env.db,
    env,
  };
}

const ENV_BY_WORLD = new WeakMap<ObjectWorld, ObjectsEnv>();

/**
 * What a backport to `target` must fetch before the (synchronous)
 * obj_make_compatible runs: a Kilo/Liberty Service below 1.10 embeds its
 * host's compute node (_do_compute_node).
 */
export async function prepareForBackport(world: ObjectWorld, obj: unknown, target: string | null | undefined): Promise<void> {
  const env = ENV_BY_WORLD.get(world);
  if (env) await prepareServiceBackport(env, obj, target);
}

/** Key-value lists ([{key, value}], the Icehouse-era dict form) become dicts, as utils.instance_meta does. */
function metaDict(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const item of v) if (item && typeof item === 'object') out[String((item as Row).key)] = (item as Row).value;
  return out;
}

/**
 * Instance._from_db_object(context, objects.Instance(), instance_dict,
 * expected_attrs): what @object_compat does with an instance that arrives as
 * a dict. A column the dict lacks is Python's KeyError, as db_inst[field] is.
 */
export function instanceFromDict(world: ObjectWorld, ctxt: unknown, dict: Record<string, unknown>, expected_attrs: string[]): VersionedObject {
  const env = ENV_BY_WORLD.get(world);
  const Instance = (env?.classes as Record<string, VersionedObjectClass> | undefined)?.Instance;
  if (!env || !Instance) throw new PyKeyError("'Instance'");
  const inst = new Instance({}, { context: ctxt, world });
  const optional = instanceOptionalAttrs(env.release);
  for (const field of Object.keys(inst.fields)) {
    if (optional.includes(field) || field === 'scheduled_at') continue;
    if (!(field in dict)) throw new PyKeyError(`'${field}'`);
  }
  for (const a of expected_attrs) if (!(a in dict)) throw new PyKeyError(`'${a}'`);
  const row: Row = { ...dict, metadata: metaDict(dict.metadata), system_metadata: metaDict(dict.system_metadata) };
  return instanceFromDbObject(env, env.release, ctxt, inst, row, expected_attrs);
}
