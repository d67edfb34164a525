/**
 * ComputeNode / ComputeNodeList and Service.compute_node as
 * nova/objects/compute_node.py and nova/objects/service.py had them at
 * 2014.2, 2015.1.0 and 12.0.0: reading a compute_nodes row
 * (_from_db_object), create / save, the lookups, Service's compute node
 * (joined in 2014.2, lazy-loaded later) and the _do_compute_node that a
 * Kilo or Liberty Service runs when it is backported below 1.10.
 */
import { remotable_classmethod_call, type Primitive, type RemotableClassImpl, type RemotableImpl, type VersionedObject } from '../../oslo/objects';
import { ObjectActionError, OrphanedObjectError } from '../../oslo/objects';
import { PyException, isPy } from '../../oslo/exception';
import type { Database, Row } from '../db/api';
import { NovaException } from '../exception';
import type { Release } from '../releases';
import { below, bindArgs, make, requireDb, type ObjectsEnv } from './common';

const NOVA = 'nova.exception';

const ComputeHostNotFound = (host: unknown) => new NovaException('ComputeHostNotFound', `Compute host ${String(host)} could not be found.`, { host });

/** nova 12.0.0 [DEFAULT] cpu_allocation_ratio / ram_allocation_ratio default 0.0, read as 16.0 / 1.5 (13.0.0 adds disk_allocation_ratio: 0.0 read as 1.0). */
const RATIO_DEFAULTS: Record<string, number> = { cpu_allocation_ratio: 16.0, ram_allocation_ratio: 1.5, disk_allocation_ratio: 1.0 };

/** PciDevicePool.from_dict: the known keys, everything else goes to tags. */
function poolFromDict(env: ObjectsEnv, d: Record<string, unknown>, ctxt: unknown): VersionedObject {
  const pool = make(env, 'PciDevicePool', {}, ctxt);
  const tags: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(d)) {
    if (k === 'product_id' || k === 'vendor_id' || k === 'count') pool.set(k, v);
    else if (k === 'numa_node') pool.set(k, v ?? null);
    else tags[k] = v === null || v === undefined ? null : String(v);
  }
  pool.set('tags', tags);
  return pool;
}

/**
 * pci_device_pool.from_pci_stats (2015.1.0 / 12.0.0): pci_stats JSON text
 * holding either a PciDevicePoolList primitive (what 2015.1.0+ writes) or
 * a list of pool dicts (what 2014.2 wrote); None when there are none.
 */
function fromPciStats(env: ObjectsEnv, pci_stats: unknown, ctxt: unknown): VersionedObject | null {
  let stats: unknown = pci_stats;
  if (typeof stats === 'string') {
    try {
      stats = JSON.parse(stats);
    } catch {
      stats = null;
    }
  }
  if (!stats || (Array.isArray(stats) && stats.length === 0)) return null;
  if (typeof stats === 'object' && !Array.isArray(stats) && 'nova_object.namespace' in stats) {
    return env.world.registry.get('PciDevicePoolList').obj_from_primitive(stats as Primitive, env.world, ctxt);
  }
  if (!Array.isArray(stats)) return null;
  const list = make(env, 'PciDevicePoolList', {}, ctxt);
  list.set('objects', stats.map((d) => poolFromDict(env, d as Record<string, unknown>, ctxt)));
  return list;
}

/** A compute node's uuid: generated once in nova; derived from its names here so that runs repeat. */
function nodeUuid(host: string, node: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const c of `${round}:${host}/${node}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const x = hex.join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-8${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

/** ComputeNode._from_db_object of the release (Kilo/Liberty: with _host_from_db_object). */
export async function computeNodeFromRow(env: ObjectsEnv, node: VersionedObject, row: Row, ctxt: unknown): Promise<VersionedObject> {
  const release = env.release;
  const special = (release === 'juno' || release === 'icehouse') ? ['stats'] : ['stats', 'supported_hv_specs', 'host', 'pci_device_pools'];
  for (const key of Object.keys(node.fields)) {
    if (special.includes(key)) continue;
    if (key === 'id' && node.obj_attr_is_set('id')) continue;
    // 13.0.0 loads uuid only when the row has one (rows from older computes have none)
    if (key === 'uuid' && !row.uuid) continue;
    let v = row[key] ?? null;
    if (key === 'deleted') v = Boolean(v);
    if ((release === 'liberty' || release === 'mitaka') && key in RATIO_DEFAULTS) {
      if (v === 0 || v === null) v = RATIO_DEFAULTS[key]!;
    }
    node.set(key, v);
  }
  const stats = row.stats;
  if (typeof stats === 'string' && stats) node.set('stats', JSON.parse(stats) as Record<string, string | null>);
  if ((release !== 'juno' && release !== 'icehouse')) {
    const sup = row.supported_instances;
    if (typeof sup === 'string' && sup) {
      const specs = (JSON.parse(sup) as unknown[][]).map((l) => make(env, 'HVSpec', { arch: l[0], hv_type: l[1], vm_mode: l[2] }, ctxt));
      node.set('supported_hv_specs', specs);
    }
    node.set('pci_device_pools', fromPciStats(env, row.pci_stats, ctxt));
    node._context = ctxt;
    // _host_from_db_object: a row written before the host column was filled (by a 2014.2 compute) takes its service's host.
    if (row.host !== null && row.host !== undefined) node.set('host', row.host);
    else if (row.service_id !== null && row.service_id !== undefined) {
      const svc = await requireDb(env, 'ComputeNode._host_from_db_object').service_get(Number(row.service_id)).catch((e: unknown) => {
        if (isPy(e, 'ServiceNotFound')) return null;
        throw e;
      });
      node.set('host', svc ? ((svc.host as string | null) ?? null) : null);
    } else node.set('host', null);
  }
  node._context = ctxt;
  node.obj_reset_changes();
  return node;
}

/** The conversions create() / save() do before writing (stats, host_ip, supported_hv_specs, pci_device_pools). */
function toDbFormat(release: Release, updates: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(updates)) {
    if (k === 'stats') {
      if (v !== null && v !== undefined) out.stats = JSON.stringify(v);
    } else if (k === 'host_ip') {
      if (v) out.host_ip = String(v);
    } else if (k === 'supported_hv_specs' && (release !== 'juno' && release !== 'icehouse')) {
      if (v !== null && v !== undefined) {
        out.supported_instances = JSON.stringify((v as VersionedObject[]).map((s) => [s.get('arch'), s.get('hv_type'), s.get('vm_mode')]));
      }
    } else if (k === 'pci_device_pools' && (release !== 'juno' && release !== 'icehouse')) {
      const pools = v as VersionedObject | null;
      if (pools && (pools.get<unknown[]>('objects') ?? []).length > 0) out.pci_stats = JSON.stringify(pools.obj_to_primitive());
    } else out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

async function computeNodesOfHost(env: ObjectsEnv, db: Database, ctxt: unknown, host: string): Promise<Row[]> {
  try {
    return await db.compute_node_get_all_by_host(host);
  } catch (e) {
    if (!isPy(e, 'ComputeHostNotFound')) throw e;
    // 2015.1.0 / 12.0.0: rows without a host (written by a 2014.2 compute) are found through the service.
    const svc = await db.service_get_all({ topic: 'compute' }).then((rows) => rows.find((r) => r.host === host && !r.deleted));
    if (!svc) throw ComputeHostNotFound(host);
    let rows: Row[];
    try {
      rows = await db.compute_nodes_get_by_service_id(Number(svc.id));
    } catch (e2) {
      if (isPy(e2, 'ServiceNotFound')) throw ComputeHostNotFound(host);
      throw e2;
    }
    return rows.map((r) => ({ ...r, host: svc.host }));
  }
}

/** ComputeNodeList.get_all_by_host (2015.1.0, 12.0.0), run where the database is. */
export async function computeNodeListGetAllByHost(env: ObjectsEnv, ctxt: unknown, host: string): Promise<VersionedObject> {
  const db = requireDb(env, 'ComputeNodeList.get_all_by_host');
  const rows = await computeNodesOfHost(env, db, ctxt, host);
  const nodes: VersionedObject[] = [];
  for (const r of rows) nodes.push(await computeNodeFromRow(env, make(env, 'ComputeNode', {}, ctxt), r, ctxt));
  return listOf(env, nodes, ctxt);
}

function listOf(env: ObjectsEnv, nodes: VersionedObject[], ctxt: unknown): VersionedObject {
  const list = make(env, 'ComputeNodeList', {}, ctxt);
  list.set('objects', nodes);
  list.obj_reset_changes();
  return list;
}

export function computeNodeRemotables(env: ObjectsEnv): {
  classmethods: Record<string, RemotableClassImpl>;
  methods: Record<string, RemotableImpl>;
  listClassmethods: Record<string, RemotableClassImpl>;
} {
  const release = env.release;
  const fresh = (ctxt: unknown) => make(env, 'ComputeNode', {}, ctxt);
  const classmethods: Record<string, RemotableClassImpl> = {
    async get_by_id(ctxt, args, kwargs) {
      const a = bindArgs(['compute_id'], args, kwargs);
      return computeNodeFromRow(env, fresh(ctxt), await requireDb(env, 'ComputeNode.get_by_id').compute_node_get(Number(a.compute_id)), ctxt);
    },
    async get_by_service_id(ctxt, args, kwargs) {
      const a = bindArgs(['service_id'], args, kwargs);
      const rows = await requireDb(env, 'ComputeNode.get_by_service_id').compute_nodes_get_by_service_id(Number(a.service_id));
      return computeNodeFromRow(env, fresh(ctxt), rows[0]!, ctxt);
    },
  };
  const listClassmethods: Record<string, RemotableClassImpl> = {
    async get_all(ctxt) {
      const db = requireDb(env, 'ComputeNodeList.get_all');
      const services = await db.service_get_all({ topic: 'compute' });
      const rows: Row[] = [];
      for (const s of services) rows.push(...(await db.compute_nodes_get_by_service_id(Number(s.id)).catch(() => [] as Row[])));
      const nodes: VersionedObject[] = [];
      for (const r of rows) nodes.push(await computeNodeFromRow(env, fresh(ctxt), r, ctxt));
      return listOf(env, nodes, ctxt);
    },
  };
  if ((release !== 'juno' && release !== 'icehouse')) {
    classmethods.get_by_host_and_nodename = async function (ctxt, args, kwargs) {
      const a = bindArgs(['host', 'nodename'], args, kwargs);
      const db = requireDb(env, 'ComputeNode.get_by_host_and_nodename');
      let row: Row | undefined;
      try {
        row = await db.compute_node_get_by_host_and_nodename(String(a.host), String(a.nodename));
      } catch (e) {
        if (!isPy(e, 'ComputeHostNotFound')) throw e;
        row = (await computeNodesOfHost(env, db, ctxt, String(a.host))).find((r) => r.hypervisor_hostname === a.nodename);
        if (!row) throw ComputeHostNotFound(a.host);
      }
      return computeNodeFromRow(env, fresh(ctxt), row, ctxt);
    };
    classmethods.get_first_node_by_host_for_old_compat = async function (ctxt, args, kwargs) {
      const a = bindArgs(['host', 'use_slave'], args, kwargs, { use_slave: false });
      const list = await computeNodeListGetAllByHost(env, ctxt, String(a.host));
      return list.get<VersionedObject[]>('objects')[0];
    };
    listClassmethods.get_all_by_host = async function (ctxt, args, kwargs) {
      const a = bindArgs(['host', 'use_slave'], args, kwargs, { use_slave: false });
      return computeNodeListGetAllByHost(env, ctxt, String(a.host));
    };
  }
  const methods: Record<string, RemotableImpl> = {
    async create(ctxt) {
      if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' }, NOVA);
      const updates = this.obj_get_changes();
      // 13.0.0: if 'uuid' not in updates: updates['uuid'] = uuidutils.generate_uuid()
      if (Object.prototype.hasOwnProperty.call(this.fields, 'uuid') && !('uuid' in updates)) updates.uuid = nodeUuid(String(updates.host ?? ''), String(updates.hypervisor_hostname ?? ''));
      const row = await requireDb(env, 'ComputeNode.create').compute_node_create(toDbFormat(release, updates));
      await computeNodeFromRow(env, this, row, ctxt);
    },
    async save(ctxt, args, kwargs) {
      bindArgs(['prune_stats'], args, kwargs, { prune_stats: false });
      const updates = this.obj_get_changes();
      delete updates.id;
      const row = await requireDb(env, 'ComputeNode.save').compute_node_update(this.get<number>('id'), toDbFormat(release, updates));
      await computeNodeFromRow(env, this, row, ctxt);
    },
  };
  return { classmethods, methods, listClassmethods };
}

// ---------------------------------------------------------------- Service.compute_node

/** What the _do_compute_node of a Service being backported below 1.10 found (fetched before the sync backport). */
const preparedNodes = new WeakMap<VersionedObject, VersionedObject | null>();

/**
 * Service.obj_make_compatible below 1.10 (2015.1.0, 12.0.0) runs
 * _do_compute_node: ComputeNodeList.get_all_by_host(context, host)[0],
 * any failure meaning "leave it out". The model's obj_make_compatible is
 * synchronous, so the query runs here, just before the backport (conductor's
 * object_class_action / object_action / object_backport call this first).
 */
export async function prepareServiceBackport(env: ObjectsEnv, obj: unknown, target: string | null | undefined): Promise<void> {
  if ((env.release === 'juno' || env.release === 'icehouse') || !env.db || !target) return;
  const svc = obj as VersionedObject;
  if (typeof svc?.obj_name !== 'function' || svc.obj_name() !== 'Service' || !below(target, '1.10')) return;
  try {
    const list = await computeNodeListGetAllByHost(env, svc._context, String(svc.get('host')));
    preparedNodes.set(svc, list.get<VersionedObject[]>('objects')[0] ?? null);
  } catch {
    preparedNodes.set(svc, null);
  }
}

/** Service._do_compute_node (2015.1.0, 12.0.0) from what prepareServiceBackport fetched. */
export function doComputeNode(svc: VersionedObject, primitive: Primitive, target: string): void {
  const child = svc.obj_calculate_child_version(target, 'compute_node');
  const node = preparedNodes.get(svc);
  if (!node || !child) return;
  primitive.compute_node = node.obj_to_primitive(child) as unknown as Primitive[string];
}

/**
 * Service.compute_node, loaded: 2014.2 obj_load_attr runs
 * ComputeNode.get_by_service_id(self.id); 2015.1.0 / 12.0.0
 * ComputeNodeList.get_all_by_host(self.host)[0] for a nova-compute service
 * (ServiceNotFound for any other binary). nova lazy-loads on attribute
 * access; the model makes it explicit, like loadInstanceAttr.
 */
export async function loadServiceComputeNode(svc: VersionedObject): Promise<VersionedObject> {
  if (svc.obj_attr_is_set('compute_node')) return svc.get<VersionedObject>('compute_node');
  if (svc._context === null || svc._context === undefined) throw new OrphanedObjectError({ method: 'obj_load_attr', objtype: 'Service' }, NOVA);
  const world = svc._world!;
  let node: VersionedObject;
  if (svc.cls.OBJ_COMPAT === 'juno') {
    node = (await remotable_classmethod_call(world, world.registry.get('ComputeNode'), svc._context, 'get_by_service_id', [svc.get('id')], {})) as VersionedObject;
  } else {
    if (svc.get('binary') !== 'nova-compute') throw new NovaException('ServiceNotFound', `Service ${String(svc.get('id'))} could not be found.`, { service_id: svc.get('id') });
    const list = (await remotable_classmethod_call(world, world.registry.get('ComputeNodeList'), svc._context, 'get_all_by_host', [svc.get('host')], {})) as VersionedObject;
    const first = list.get<VersionedObject[]>('objects')[0];
    if (!first) throw new PyException('IndexError', 'exceptions', 'list index out of range');
    node = first;
  }
  svc.set('compute_node', node);
  svc.obj_reset_changes(['compute_node']);
  return node;
}

/** 2014.2 Service._do_compute_node: the joined compute_node rows of service_get_by_compute_host. */
export async function junoJoinedComputeNode(env: ObjectsEnv, svc: VersionedObject, ctxt: unknown): Promise<void> {
  if ((env.release !== 'juno' && env.release !== 'icehouse') || !env.db) return;
  const rows = await env.db.compute_nodes_get_by_service_id(svc.get<number>('id')).catch(() => [] as Row[]);
  if (rows.length === 0) return;
  svc.set('compute_node', await computeNodeFromRow(env, make(env, 'ComputeNode', {}, ctxt), rows[0]!, ctxt));
  svc.obj_reset_changes(['compute_node']);
}
