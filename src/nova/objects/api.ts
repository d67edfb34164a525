/**
 * Typed shorthands for the managers: the remotable calls they make most,
 * through the core's remotable_classmethod_call / remotable_call (so they
 * go to conductor when the world has an indirection API).
 */
import { remotable_call, remotable_classmethod_call, type VersionedObject } from '../../oslo/objects';
import type { InstanceListFilters } from './instance';
import type { NovaObjectWorld } from './world';

export async function instanceGetByUuid(
  w: NovaObjectWorld,
  ctxt: unknown,
  uuid: string,
  expected_attrs: string[] | null = null,
): Promise<VersionedObject> {
  const kwargs = expected_attrs ? { expected_attrs } : {};
  return (await remotable_classmethod_call(w.world, w.classes.Instance, ctxt, 'get_by_uuid', [uuid], kwargs)) as VersionedObject;
}

export interface SaveExpectations {
  expected_task_state?: string | null | Array<string | null>;
  expected_vm_state?: string | null | Array<string | null>;
  admin_state_reset?: boolean;
}

/** instance.save(expected_task_state=..., expected_vm_state=...) */
export async function instanceSave(inst: VersionedObject, expect: SaveExpectations = {}): Promise<void> {
  const kwargs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(expect)) if (v !== undefined) kwargs[k] = v;
  await remotable_call(inst, 'save', [], kwargs);
}

export async function instanceListGetByHost(
  w: NovaObjectWorld,
  ctxt: unknown,
  host: string,
  expected_attrs: string[] | null = null,
): Promise<VersionedObject> {
  const kwargs = expected_attrs ? { expected_attrs } : {};
  return (await remotable_classmethod_call(w.world, w.classes.InstanceList, ctxt, 'get_by_host', [host], kwargs)) as VersionedObject;
}

export async function instanceListGetByFilters(
  w: NovaObjectWorld,
  ctxt: unknown,
  filters: InstanceListFilters,
  opts: { sort_key?: string; sort_dir?: string; limit?: number | null; expected_attrs?: string[] | null } = {},
): Promise<VersionedObject> {
  return (await remotable_classmethod_call(w.world, w.classes.InstanceList, ctxt, 'get_by_filters', [filters], { ...opts })) as VersionedObject;
}

export async function flavorGetByName(w: NovaObjectWorld, ctxt: unknown, name: string): Promise<VersionedObject> {
  return (await remotable_classmethod_call(w.world, w.classes.Flavor, ctxt, 'get_by_name', [name])) as VersionedObject;
}
