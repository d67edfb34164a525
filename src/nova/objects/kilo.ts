/**
 * nova 2015.1.0 (Kilo): Instance 1.19 and InstanceList 1.16. Instance
 * backports run the generic relationship pass first (NovaObject base), then
 * the Instance rules: ascii-encode strings below 1.7, fold the flavors into
 * system_metadata below 1.18 (only when system_metadata is in the
 * primitive). No scalar field is ever stripped.
 */
import { KiloNovaObject, persistentObjectFields, type VersionedObjectClass } from '../../oslo/objects';
import { below, dataChildVersions, dataRelationships, dataFields, defineList, releaseVersion, type ObjectsEnv } from './common';
import { asciiEncodeStrings, defineInstance, foldFlavorsIntoSysmeta, instanceListClassmethods } from './instance';
import { defineSubobjects } from './subobjects';

/**
 * Instance.obj_relationships @2015.1.0. fault (1.0 -> 1.0) and
 * numa_topology (1.14 -> 1.0) were never bumped when InstanceFault went to
 * 1.2 and InstanceNUMATopology to 1.1, so every backport relabels them 1.0.
 */
export const KILO_INSTANCE_RELATIONSHIPS = dataRelationships('Instance', 'kilo');

/** InstanceList.child_versions @2015.1.0 (a missing key, e.g. "1.0", means Instance "1.0"). */
export const KILO_INSTANCE_LIST_CHILD_VERSIONS = dataChildVersions('InstanceList', 'kilo');

export function defineKiloObjects(env: ObjectsEnv): void {
  const Base = KiloNovaObject as unknown as VersionedObjectClass;
  defineSubobjects(env, Base);
  const Instance = defineInstance({
    env,
    flavour: 'kilo',
    Base,
    version: releaseVersion('kilo', 'Instance'),
    fields: { ...persistentObjectFields(), ...dataFields('Instance', 'kilo_1_19') },
    relationships: KILO_INSTANCE_RELATIONSHIPS,
    compat: (self, p, t, sup) => {
      sup();
      if (below(t, '1.7')) asciiEncodeStrings(p);
      if (below(t, '1.18')) foldFlavorsIntoSysmeta(self, p);
    },
  });
  env.classes.Instance = env.world.registry.register(Instance);
  const InstanceList = defineList(Base, 'InstanceList', releaseVersion('kilo', 'InstanceList'), 'Instance', {
    child_versions: KILO_INSTANCE_LIST_CHILD_VERSIONS,
    classmethods: instanceListClassmethods(env, 'kilo', 'InstanceList', 'Instance', true),
  });
  env.classes.InstanceList = env.world.registry.register(InstanceList);
}
