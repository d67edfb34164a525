/**
 * nova 12.0.0 (Liberty), on oslo.versionedobjects: InstanceV2 2.0 is the
 * default Instance, InstanceV1 1.23 stays registered for 1.x peers; same for
 * InstanceListV2 2.0 / InstanceListV1 1.22. A 2.0 object asked for any 1.x
 * version re-reads itself as a 1.23 InstanceV1 and applies the 1.x rules.
 */
import { LibertyNovaObject, persistentObjectFields, type Primitive, type VersionedObject, type VersionedObjectClass } from '../../oslo/objects';
import { below, dataRelationships, dataFields, defineList, NOVA_KEYS, type ObjectsEnv } from './common';
import { asciiEncodeStrings, defineInstance, foldFlavorsIntoSysmeta, instanceListClassmethods } from './instance';
import { defineSubobjects } from './subobjects';

/** InstanceV1.obj_relationships @12.0.0 */
export const LIBERTY_V1_RELATIONSHIPS = dataRelationships('Instance', 'liberty_v1');

/** InstanceListV1.obj_relationships['objects'] @12.0.0 */
export const LIBERTY_LIST_V1_OBJECTS = dataRelationships('InstanceList', 'liberty_v1').objects!;

export function defineLibertyObjects(env: ObjectsEnv): void {
  const Base = LibertyNovaObject as unknown as VersionedObjectClass;
  defineSubobjects(env, Base);
  const P = persistentObjectFields;

  const InstanceV1 = defineInstance({
    env,
    flavour: 'liberty',
    Base,
    jsName: 'InstanceV1',
    version: '1.23',
    fields: { ...P(), ...dataFields('Instance', 'liberty_1_23') },
    relationships: LIBERTY_V1_RELATIONSHIPS,
    compat: (self, p, t, sup) => {
      sup();
      if (below(t, '1.7')) asciiEncodeStrings(p);
      if (below(t, '1.18')) foldFlavorsIntoSysmeta(self, p);
    },
  });
  const InstanceV2 = defineInstance({
    env,
    flavour: 'liberty',
    Base,
    jsName: 'InstanceV2',
    version: '2.0',
    fields: { ...P(), ...dataFields('Instance', 'liberty_2_0') },
    compat: (self, p, t, sup) => {
      if (t.startsWith('1.')) {
        // Serialize, relabel 1.23, re-read as InstanceV1, let it continue the backport.
        const myPrim = self.obj_to_primitive();
        myPrim[NOVA_KEYS.version] = InstanceV1.VERSION;
        const instv1 = Base.obj_from_primitive(myPrim, env.world, self._context);
        instv1.obj_make_compatible(p, t);
        return;
      }
      sup();
    },
  });
  env.world.registry.register(InstanceV1);
  env.world.registry.register(InstanceV2);
  env.classes.InstanceV1 = InstanceV1;
  env.classes.InstanceV2 = InstanceV2;
  env.classes.Instance = InstanceV2;

  const ListV1 = defineList(Base, 'InstanceList', '1.22', 'Instance', {
    relationships: { objects: LIBERTY_LIST_V1_OBJECTS },
    classmethods: instanceListClassmethods(env, 'liberty', 'InstanceListV1', 'InstanceV1', true),
  });
  const ListV2 = defineList(Base, 'InstanceList', '2.0', 'Instance', {
    classmethods: instanceListClassmethods(env, 'liberty', 'InstanceListV2', 'InstanceV2', true),
    compat: (self: VersionedObject, p: Primitive, t: string, sup: () => void) => {
      if (t.startsWith('1.')) {
        const myPrim = self.obj_to_primitive();
        myPrim[NOVA_KEYS.version] = ListV1.VERSION;
        const listv1 = Base.obj_from_primitive(myPrim, env.world, self._context);
        listv1.obj_make_compatible(p, t);
        return;
      }
      sup();
    },
  });
  Object.defineProperty(ListV1, 'name', { value: 'InstanceListV1' });
  Object.defineProperty(ListV2, 'name', { value: 'InstanceListV2' });
  env.world.registry.register(ListV1);
  env.world.registry.register(ListV2);
  env.classes.InstanceListV1 = ListV1;
  env.classes.InstanceListV2 = ListV2;
  env.classes.InstanceList = ListV2;
}
