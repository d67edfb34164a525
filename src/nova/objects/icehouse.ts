/**
 * nova 2014.1 (Icehouse): Instance 1.13 and InstanceList 1.6 with
 * Icehouse's hand-written backport rules (the base obj_make_compatible is a
 * no-op and there are no obj_relationships, as in Juno). Instance 1.13 has
 * no numa_topology (Juno 1.14) and its pci_devices are PciDeviceList 1.0.
 */
import { JunoNovaObject, persistentObjectFields, type Primitive, type VersionedObject, type VersionedObjectClass } from '../../oslo/objects';
import { below, dataChildVersions, dataFields, defineList, NOVA_KEYS, releaseVersion, type ObjectsEnv } from './common';
import { asciiEncodeStrings, defineInstance, instanceListClassmethods } from './instance';
import { defineSubobjects } from './subobjects';

/** InstanceList.child_versions @2014.1 */
export const ICEHOUSE_INSTANCE_LIST_CHILD_VERSIONS = dataChildVersions('InstanceList', 'icehouse');

/** Instance.obj_make_compatible @2014.1, rule by rule in nova's order. */
export function icehouseInstanceCompat(self: VersionedObject, primitive: Primitive, target: string): void {
  if (below(target, '1.10') && 'info_cache' in primitive) {
    // Instance <= 1.9 (Havana) had InstanceInfoCache 1.4. 2014.1 hands the
    // whole sub-primitive to InstanceInfoCache.obj_make_compatible, which is
    // the base no-op, then relabels it.
    const sub = primitive['info_cache'] as Primitive;
    self.get<VersionedObject>('info_cache').obj_make_compatible(sub, '1.4');
    sub[NOVA_KEYS.version] = '1.4';
  }
  if (below(target, '1.7')) asciiEncodeStrings(primitive);
  if (below(target, '1.6') && 'pci_devices' in primitive) delete primitive['pci_devices'];
}

export function defineIcehouseObjects(env: ObjectsEnv): void {
  const Base = JunoNovaObject as unknown as VersionedObjectClass;
  defineSubobjects(env, Base);
  const Instance = defineInstance({
    env,
    flavour: 'icehouse',
    Base,
    version: releaseVersion('icehouse', 'Instance'),
    fields: { ...persistentObjectFields(), ...dataFields('Instance', 'icehouse_1_13') },
    compat: (self, p, t) => icehouseInstanceCompat(self, p, t),
  });
  env.classes.Instance = env.world.registry.register(Instance);
  const InstanceList = defineList(Base, 'InstanceList', releaseVersion('icehouse', 'InstanceList'), 'Instance', {
    child_versions: ICEHOUSE_INSTANCE_LIST_CHILD_VERSIONS,
    classmethods: instanceListClassmethods(env, 'icehouse', 'InstanceList', 'Instance', false),
  });
  env.classes.InstanceList = env.world.registry.register(InstanceList);
}
