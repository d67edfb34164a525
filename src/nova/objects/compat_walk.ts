/**
 * The unit test a nova reviewer asks for when a field is added to an
 * object: serialize the object at every older version of its major
 * (as nova's TestObjectVersions.test_obj_make_compatible walks them, 1.0,
 * 1.1 ... up to the current one) with the new field set, and check that
 * only the versions that have the field carry it.
 *
 * It runs against the classes a service actually loaded (user code
 * included), so a comparison of versions as strings ('1.9' > '1.20')
 * fails here even when no service in the cluster is old enough to show it.
 */
import type { ObjectWorld } from '../../oslo/objects/registry';
import { compare_tuples, convert_version_to_tuple } from '../../oslo/objects/versionutils';

export interface CompatWalkRequest {
  object: string;
  field: string;
  /** The version that added the field. */
  since: string;
  /** The value to set (a string by default). */
  value?: unknown;
}

export interface CompatWalkResult {
  test: string;
  versions: number;
  failures: string[];
}

export function compatWalk(world: ObjectWorld, req: CompatWalkRequest): CompatWalkResult {
  const test = `test_obj_make_compatible(${req.object}.${req.field}, added in ${req.since})`;
  const cls = world.registry.latest(req.object);
  if (!cls) return { test, versions: 0, failures: [`this service has no ${req.object} class`] };
  const [major, minor] = convert_version_to_tuple(cls.VERSION) as [number, number];
  const since = convert_version_to_tuple(req.since);
  const failures: string[] = [];
  let versions = 0;
  for (let n = 0; n <= minor; n++) {
    const target = `${major}.${n}`;
    versions += 1;
    const obj = new cls({}, { world });
    obj.set(req.field, req.value ?? 'test');
    let data: Record<string, unknown>;
    try {
      const prim = obj.obj_to_primitive(target) as Record<string, unknown>;
      data = (prim['nova_object.data'] ?? prim['versioned_object.data']) as Record<string, unknown>;
    } catch (e) {
      failures.push(`obj_to_primitive(target_version='${target}') raised ${(e as Error).name}: ${(e as Error).message}`);
      continue;
    }
    const wanted = compare_tuples(convert_version_to_tuple(target), since) >= 0;
    const has = Object.prototype.hasOwnProperty.call(data, req.field);
    if (has && !wanted) failures.push(`obj_to_primitive(target_version='${target}') still carries ${req.field} (added in ${req.since})`);
    if (!has && wanted) failures.push(`obj_to_primitive(target_version='${target}') lost ${req.field}, which ${target} has`);
  }
  return { test, versions, failures };
}
