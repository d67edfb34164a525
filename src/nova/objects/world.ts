/**
 * makeObjectWorld: the object classes of one release, defined afresh for one
 * simulated service, registered on that service's own registry.
 */
import {
  ObjectRegistry,
  ObjectWorld,
  type IndirectionAPI,
  type SerializerLogic,
  type VersionedObjectClass,
} from '../../oslo/objects';
import type { Observer } from '../../oslo/observer';
import type { Database } from '../db/api';
import { RELEASE_INFO, type Release } from '../releases';
import type { ObjectsEnv } from './common';
import { defineJunoObjects } from './juno';
import { defineKiloObjects } from './kilo';
import { defineLibertyObjects } from './liberty';

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
}

const DEFINE: Record<Release, (env: ObjectsEnv) => void> = {
  juno: defineJunoObjects,
  kilo: defineKiloObjects,
  liberty: defineLibertyObjects,
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
  const env: ObjectsEnv = { release, db: opts.db ?? null, world, classes: {} };
  DEFINE[release](env);
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
