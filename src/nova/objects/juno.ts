/**
 * nova 2014.2 (Juno): Instance 1.15 and InstanceList 1.9 with Juno's
 * hand-written backport rules (the base obj_make_compatible is a no-op and
 * there are no obj_relationships).
 */
import { JunoNovaObject, persistentObjectFields, type Primitive, type VersionedObject, type VersionedObjectClass } from '../../oslo/objects';
import { below, dataChildVersions, dataFields, defineList, NOVA_KEYS, releaseVersion, type ObjectsEnv } from './common';
import { asciiEncodeStrings, defineInstance, instanceListClassmethods } from './instance';
import { defineSubobjects } from './subobjects';

/** InstanceList.child_versions @2014.2 */
export const JUNO_INSTANCE_LIST_CHILD_VERSIONS = dataChildVersions('InstanceList', 'juno');

/** Instance.obj_make_compatible @2014.2, rule by rule in nova's order. */
export function junoInstanceCompat(self: VersionedObject, primitive: Primitive, target: string): void {
  if (below(target, '1.14') && 'numa_topology' in primitive) delete primitive['numa_topology'];
  if (below(target, '1.10') && 'info_cache' in primitive) {
    // Instance <= 1.9 (Havana) had InstanceInfoCache 1.4
    const sub = primitive['info_cache'] as Primitive;
    self.get<VersionedObject>('info_cache').obj_make_compatible(sub[NOVA_KEYS.data] as Primitive, '1.4');
    sub[NOVA_KEYS.version] = '1.4';
  }
  if (below(target, '1.7')) asciiEncodeStrings(primitive);
  if (below(target, '1.15') && 'pci_devices' in primitive) {
    // Instance <= 1.14 (Icehouse) had PciDeviceList 1.0
    const sub = primitive['pci_devices'] as Primitive;
    self.get<VersionedObject>('pci_devices').obj_make_compatible(sub[NOVA_KEYS.data] as Primitive, '1.0');
    sub[NOVA_KEYS.version] = '1.0';
  }
  if (below(target, '1.6') && 'pci_devices' in primitive) delete primitive['pci_devices'];
}

export function defineJunoObjects(env: ObjectsEnv): void {
  const Base = JunoNovaObject as unknown as VersionedObjectClass;
  defineSubobjects(env, Base);
  const Instance = defineInstance({
    env,
    flavour: 'juno',
    Base,
    version: releaseVersion('juno', 'Instance'),
    fields: { ...persistentObjectFields(), ...dataFields('Instance', 'juno_1_15') },
    compat: (self, p, t) => junoInstanceCompat(self, p, t),
  });
  env.classes.Instance = env.world.registry.register(Instance);
  const InstanceList = defineList(Base, 'InstanceList', releaseVersion('juno', 'InstanceList'), 'Instance', {
    child_versions: JUNO_INSTANCE_LIST_CHILD_VERSIONS,
    classmethods: instanceListClassmethods(env, 'juno', 'InstanceList', 'Instance', false),
  });
  env.classes.InstanceList = env.world.registry.register(InstanceList);
}
