/**
 * Server side of the conductor RPC APIs (nova/conductor/manager.py):
 *
 * - ConductorManager (no namespace): Icehouse 1.64 (plus
 *   _ConductorManagerV2Proxy 2.0), Juno 2.0, Kilo 2.1, Liberty 2.3 (plus
 *   _ConductorManagerV3Proxy 3.0 in additional_endpoints). The object
 *   methods (object_class_action, object_action, object_backport and
 *   Liberty's *_versions) follow nova line by line; the DB helpers the
 *   compute service of these releases uses at start-up (service_get_all_by,
 *   service_create, service_update) and instance_update/instance_get_by_uuid
 *   work on the database; the rest accept and log.
 * - ComputeTaskManager (namespace compute_task, Icehouse 1.6 (build_instances
 *   through scheduler run_instance), Juno 1.9, Kilo/Liberty 1.11): build_instances, unshelve_instance, migrate_server (live:
 *   LiveMigrationTask in short; cold: _cold_migrate -> prep_resize),
 *   rebuild_instance (minimal).
 */
import { PyException, asPyException, isPy, isPyAny, pyStarArgs, pyStarKwargs, pyTypeName } from '../../oslo/exception';
import { ExpectedException, Target, type Endpoint } from '../../oslo/messaging';
import {
  VersionedObject,
  object_action_local,
  remotable_call,
  remotable_classmethod_call,
  type ObjectWorld,
} from '../../oslo/objects';
import { to_primitive } from '../compute/rpcapi_support';
import { exceptionToDict } from '../compute/decorators';
import { attr, describeArgs, installGenericMethods, instancePrefix, type LogFn } from '../compute/manager_support';
import type { NovaConf } from '../conf';
import type { Database, Row } from '../db/api';
import { InstanceInvalidState, InstanceNotRunning, NovaException, NoValidHost } from '../exception';
import { task_states, vm_states, power_state } from '../objects/states';
import { requestSpecFromPrimitives } from '../objects/mitaka';
import { prepareForBackport } from '../objects/world';
import { loadInstanceAttr } from '../objects/instance';
import { libertyOrLater, type Release } from '../releases';
import {
  computeTaskSignatures,
  conductorManagerSignatures,
  conductorV2ProxySignatures,
  conductorV3ProxySignatures,
  type SignatureTable,
} from '../signatures';

type Kwargs = Record<string, unknown>;
type RpcClientLike = Record<string, unknown>;

export interface ConductorDeps {
  release: Release;
  host: string;
  conf: NovaConf;
  db: Database;
  world: ObjectWorld;
  log: LogFn;
  now(): string;
  /** compute_rpcapi.ComputeAPI() of this release (capped by [upgrade_levels] compute). */
  compute_rpcapi: RpcClientLike;
  /** scheduler_rpcapi.SchedulerAPI() (scheduler_client.select_destinations). */
  scheduler_rpcapi: RpcClientLike;
}

async function callClient(client: RpcClientLike, method: string, ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
  const fn = client[method];
  if (typeof fn !== 'function') {
    throw new PyException('AttributeError', 'exceptions', `'${String(client.constructor?.name)}' object has no attribute '${method}'`);
  }
  return (fn as (c: unknown, k: Kwargs) => Promise<unknown>).call(client, ctxt, kwargs);
}

const HostBinaryNotFound = (host: unknown, binary: unknown) =>
  new NovaException('HostBinaryNotFound', `Could not find binary ${String(binary)} on host ${String(host)}.`, { host, binary });

/** Raise inside an @messaging.expected_exceptions(...) method: listed classes go back without error logs. */
function expected(e: unknown, classes: readonly string[]): never {
  // oslo.messaging's decorator is `except exceptions: raise ExpectedException()`: subclasses count.
  if (isPyAny(e, classes)) throw new ExpectedException(e);
  throw e;
}

// ===========================================================================
// ConductorManager
// ===========================================================================

export class BaseConductorManager implements Endpoint {
  [method: string]: unknown;
  static release: Release = 'kilo';
  static TARGET_VERSION = '2.1';
  readonly target: Target;
  readonly endpointName = 'ConductorManager';
  readonly signatures: SignatureTable;
  readonly service_name = 'conductor';
  /** Endpoints after the manager and BaseRPCAPI: the ComputeTaskManager, Liberty's 3.0 proxy. */
  additional_endpoints: Endpoint[] = [];

  constructor(readonly deps: ConductorDeps) {
    const cls = this.constructor as typeof BaseConductorManager;
    this.target = new Target({ version: cls.TARGET_VERSION });
    this.signatures = conductorManagerSignatures(cls.release);
  }

  get release(): Release {
    return (this.constructor as typeof BaseConductorManager).release;
  }
  get db(): Database {
    return this.deps.db;
  }
  get world(): ObjectWorld {
    return this.deps.world;
  }

  async _generic(method: string, ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    this.deps.log('info', `${method}(${describeArgs(kwargs)}) accepted (not modelled)`, ctxt);
    return null;
  }

  // ---- object methods ------------------------------------------------------

  /** getattr(target, method)(...) inside try: any failure goes back as an ExpectedException. */
  async _object_dispatch(run: () => Promise<unknown>): Promise<unknown> {
    try {
      return await run();
    } catch (e) {
      throw new ExpectedException(asPyException(e));
    }
  }

  async object_action(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const objinst = kw.objinst as VersionedObject;
    // oldobj = objinst.obj_clone(), before the dispatch's try
    if (!(objinst instanceof VersionedObject)) throw new PyException('AttributeError', 'exceptions', `'${pyTypeName(objinst)}' object has no attribute 'obj_clone'`);
    const objmethod = String(kw.objmethod);
    const [updates, result] = (await this._object_dispatch(() =>
      object_action_local(ctxt, objinst, objmethod, pyStarArgs(objmethod, kw.args), pyStarKwargs(objmethod, kw.kwargs)),
    )) as [Kwargs, unknown];
    // A Python method without a return statement returns None.
    return [updates, result === undefined ? null : result];
  }

}

/**
 * The 2.x ConductorManager of 2014.2, 2015.1.0 and 12.0.0: object_class_action
 * and object_backport, and the DB helpers older computes call. 13.0.0's 3.0
 * ConductorManager has none of them (a message naming one is NoSuchMethod).
 */
export abstract class V2ConductorManager extends BaseConductorManager {
  async object_class_action(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const objname = kw.objname as string;
    const objver = kw.objver as string;
    // Outside the try: a too-new objver is the caller's IncompatibleObjectVersion_Remote.
    const objclass = this.world.registry.obj_class_from_name(objname, objver);
    const objmethod = String(kw.objmethod);
    const result = await this._object_dispatch(() =>
      remotable_classmethod_call(this.world, objclass, ctxt, objmethod, pyStarArgs(objmethod, kw.args), pyStarKwargs(objmethod, kw.kwargs)),
    );
    // Honour the version the caller asked for.
    if (result instanceof VersionedObject) await prepareForBackport(this.world, result, objver);
    return result instanceof VersionedObject ? result.obj_to_primitive(objver) : (result ?? null);
  }

  async object_backport(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const objinst = kw.objinst;
    if (!(objinst instanceof VersionedObject)) throw new PyException('AttributeError', 'exceptions', `'${pyTypeName(objinst)}' object has no attribute 'obj_to_primitive'`);
    await prepareForBackport(this.world, objinst, kw.target_version as string);
    return objinst.obj_to_primitive(kw.target_version as string);
  }

  // ---- DB helpers compute uses (Juno/Kilo service start-up) -----------------

  async service_get_all_by(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const { topic, host, binary } = kw as { topic: string | null; host: string | null; binary: string | null };
    try {
      let result: unknown;
      if (!topic && !host && !binary) result = await this.db.service_get_all();
      else if (topic && host) {
        const rows = (await this.db.service_get_all({ topic })).filter((s) => s.host === host);
        if (rows.length === 0) {
          throw new NovaException('ComputeHostNotFound', `Compute host ${host} could not be found.`, { host });
        }
        let first: Row = rows[0]!;
        if (topic === 'compute') first = { ...first, compute_node: await this._compute_nodes_for(_ctxt, first) };
        result = topic === 'compute' ? [first] : first;
      } else if (host && binary) {
        const row = await this.db.service_get_by_host_and_binary(host, binary);
        if (!row) throw HostBinaryNotFound(host, binary);
        result = row;
      } else if (topic) result = await this.db.service_get_all({ topic });
      else result = (await this.db.service_get_all()).filter((s) => s.host === host);
      return to_primitive(result);
    } catch (e) {
      expected(e, ['ComputeHostNotFound', 'HostBinaryNotFound']);
    }
  }

  /**
   * The compute_node list service_get_all_by(topic='compute', host) carries:
   * 2014.2's db.service_get_by_compute_host joins the compute_nodes rows;
   * 2015.1.0 and 12.0.0 add ComputeNodeList.get_all_by_host(context, host)
   * ("only Juno computes are still calling this"), which raises
   * ComputeHostNotFound when the host has no compute node yet.
   */
  protected async _compute_nodes_for(ctxt: unknown, service: Row): Promise<unknown> {
    if (this.release === 'juno' || this.release === 'icehouse') return this.db.compute_nodes_get_by_service_id(Number(service.id)).catch(() => []);
    const ComputeNodeList = this.world.registry.get('ComputeNodeList');
    return remotable_classmethod_call(this.world, ComputeNodeList, ctxt, 'get_all_by_host', [service.host], {});
  }

  /** compute_node_create(values) (2.0; gone from the 3.0 API): the row, as jsonutils.to_primitive gives it. */
  async compute_node_create(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return to_primitive(await this.db.compute_node_create(kw.values as Row));
  }

  /** compute_node_update(node, values): db.compute_node_update(node['id'], values). */
  async compute_node_update(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return to_primitive(await this.db.compute_node_update(Number(attr(kw.node, 'id')), kw.values as Row));
  }

  async service_create(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return to_primitive(await this.db.service_create(kw.values as Row));
  }

  async service_update(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    try {
      const id = Number(attr(kw.service, 'id'));
      return to_primitive(await this.db.service_update(id, kw.values as Row));
    } catch (e) {
      expected(e, ['ServiceNotFound']);
    }
  }

  async instance_update(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    try {
      const updates = { ...((kw.updates as Kwargs) ?? {}) };
      const expect: Record<string, unknown> = {};
      for (const k of ['expected_task_state', 'expected_vm_state']) {
        if (k in updates) {
          expect[k] = updates[k];
          delete updates[k];
        }
      }
      const [, row] = await this.db.instance_update_and_get_original(kw.instance_uuid as string, updates, expect);
      return to_primitive(row);
    } catch (e) {
      expected(e, ['KeyError', 'ValueError', 'InvalidUUID', 'InstanceNotFound', 'UnexpectedTaskStateError']);
    }
  }

  async instance_get_by_uuid(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    try {
      return to_primitive(await this.db.instance_get_by_uuid(kw.instance_uuid as string));
    } catch (e) {
      expected(e, ['InstanceNotFound']);
    }
  }
}

/**
 * Icehouse (2014.1): the ConductorManager itself is the Havana 1.x API
 * (target 1.64); the 2.0 API that Icehouse and Juno clients send is served
 * by _ConductorManagerV2Proxy in additional_endpoints, which forwards to
 * the manager. The object methods behave as Juno's (object_class_action
 * already honours objver at 2014.1).
 */
export class IcehouseConductorManager extends V2ConductorManager {
  static override release: Release = 'icehouse';
  static override TARGET_VERSION = '1.64';

  constructor(deps: ConductorDeps) {
    super(deps);
    this.v2proxy = new _ConductorManagerV2Proxy(this);
  }
  readonly v2proxy: _ConductorManagerV2Proxy;

  async ping(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return to_primitive({ service: 'conductor', arg: kw.arg });
  }
}

export class JunoConductorManager extends V2ConductorManager {
  static override release: Release = 'juno';
  static override TARGET_VERSION = '2.0';

  async ping(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return to_primitive({ service: 'conductor', arg: kw.arg });
  }
}

export class KiloConductorManager extends V2ConductorManager {
  static override release: Release = 'kilo';
  static override TARGET_VERSION = '2.1';

  async ping(_ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return to_primitive({ service: 'conductor', arg: kw.arg });
  }
}

export class LibertyConductorManager extends V2ConductorManager {
  static override release: Release = 'liberty';
  static override TARGET_VERSION = '2.3';

  constructor(deps: ConductorDeps) {
    super(deps);
    this.v3proxy = new _ConductorManagerV3Proxy(this);
  }
  readonly v3proxy: _ConductorManagerV3Proxy;

  async object_class_action_versions(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return objectClassActionVersions(this, ctxt, kw);
  }

  async object_backport_versions(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return objectBackportVersions(this, ctxt, kw);
  }
}

/** ConductorManager.object_class_action_versions (12.0.0 and 13.0.0 alike). */
async function objectClassActionVersions(m: BaseConductorManager, ctxt: unknown, kw: Kwargs): Promise<unknown> {
  {
    const objname = kw.objname as string;
    const object_versions = (kw.object_versions as Record<string, string>) ?? {};
    const objver = object_versions[objname] as string;
    const objclass = m.world.registry.obj_class_from_name(objname, objver);
    const result = await m._object_dispatch(() =>
      remotable_classmethod_call(m.world, objclass, ctxt, kw.objmethod as string, (kw.args as unknown[]) ?? [], (kw.kwargs as Kwargs) ?? {}),
    );
    if (result instanceof VersionedObject) await prepareForBackport(m.world, result, objver);
    return result instanceof VersionedObject ? result.obj_to_primitive(objver, object_versions) : (result ?? null);
  }
}

/** ConductorManager.object_backport_versions (12.0.0 and 13.0.0 alike). */
async function objectBackportVersions(m: BaseConductorManager, _ctxt: unknown, kw: Kwargs): Promise<unknown> {
  {
    const objinst = kw.objinst as VersionedObject;
    const object_versions = (kw.object_versions as Record<string, string>) ?? {};
    const target = object_versions[objinst.obj_name()] ?? objinst.VERSION;
    await prepareForBackport(m.world, objinst, target);
    return objinst.obj_to_primitive(target, object_versions);
  }
}

/**
 * 13.0.0: ConductorManager is the 3.0 endpoint itself (no 2.x manager, no
 * proxy): provider_fw_rule_get_all (an empty result "for compat reasons"),
 * object_class_action_versions, object_action, object_backport_versions.
 */
export class MitakaConductorManager extends BaseConductorManager {
  static override release: Release = 'mitaka';
  static override TARGET_VERSION = '3.0';

  async provider_fw_rule_get_all(): Promise<unknown> {
    return [];
  }

  async object_class_action_versions(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return objectClassActionVersions(this, ctxt, kw);
  }

  async object_backport_versions(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    return objectBackportVersions(this, ctxt, kw);
  }
}

installGenericMethods(IcehouseConductorManager.prototype, conductorManagerSignatures('icehouse'));
installGenericMethods(JunoConductorManager.prototype, conductorManagerSignatures('juno'));
installGenericMethods(KiloConductorManager.prototype, conductorManagerSignatures('kilo'));
installGenericMethods(LibertyConductorManager.prototype, conductorManagerSignatures('liberty'));
installGenericMethods(MitakaConductorManager.prototype, conductorManagerSignatures('mitaka'));

/** Liberty: the 3.0 endpoint, forwarding to the 2.3 manager. */
export class _ConductorManagerV3Proxy implements Endpoint {
  [method: string]: unknown;
  readonly target = new Target({ version: '3.0' });
  readonly endpointName = '_ConductorManagerV3Proxy';
  readonly signatures = conductorV3ProxySignatures();
  constructor(readonly manager: BaseConductorManager) {
    for (const name of Object.keys(this.signatures)) {
      this[name] = (ctxt: unknown, kwargs: Kwargs) => (this.manager[name] as (c: unknown, k: Kwargs) => Promise<unknown>).call(this.manager, ctxt, kwargs);
    }
  }
}

/** Icehouse: the 2.0 endpoint, forwarding to the 1.64 manager. */
export class _ConductorManagerV2Proxy implements Endpoint {
  [method: string]: unknown;
  readonly target = new Target({ version: '2.0' });
  readonly endpointName = '_ConductorManagerV2Proxy';
  readonly signatures = conductorV2ProxySignatures();
  constructor(readonly manager: BaseConductorManager) {
    for (const name of Object.keys(this.signatures)) {
      this[name] = (ctxt: unknown, kwargs: Kwargs) => (this.manager[name] as (c: unknown, k: Kwargs) => Promise<unknown>).call(this.manager, ctxt, kwargs);
    }
  }
}

// ===========================================================================
// ComputeTaskManager
// ===========================================================================

/** A dict of an object's set fields, as jsonutils.to_primitive leaves a NovaObject. */
function plain(v: unknown): unknown {
  return to_primitive(v);
}

export class BaseComputeTaskManager implements Endpoint {
  [method: string]: unknown;
  static release: Release = 'kilo';
  static TARGET_VERSION = '1.11';
  readonly target: Target;
  readonly endpointName = 'ComputeTaskManager';
  readonly signatures: SignatureTable;

  constructor(readonly deps: ConductorDeps) {
    const cls = this.constructor as typeof BaseComputeTaskManager;
    this.target = new Target({ namespace: 'compute_task', version: cls.TARGET_VERSION });
    this.signatures = computeTaskSignatures(cls.release);
  }

  get release(): Release {
    return (this.constructor as typeof BaseComputeTaskManager).release;
  }
  /** Icehouse (2014.1) behaves as Juno wherever the model distinguishes Juno from Kilo+. */
  get junoOrOlder(): boolean {
    return this.release === 'icehouse' || this.release === 'juno';
  }
  get db(): Database {
    return this.deps.db;
  }

  protected log(level: 'debug' | 'info' | 'warning' | 'error', msg: string, ctxt: unknown, instance?: unknown): void {
    this.deps.log(level, `${instance ? instancePrefix(instance) : ''}${msg}`, ctxt);
  }

  protected select_destinations(ctxt: unknown, request_spec: unknown, filter_properties: unknown): Promise<unknown> {
    return callClient(this.deps.scheduler_rpcapi, 'select_destinations', ctxt, { request_spec, filter_properties });
  }

  /**
   * build_request_spec's `instance.get_flavor()` (2015.1.0 and later): the
   * flavor field, lazy-loaded from the database when the instance came
   * without it. 2014.2 reads the flavor from system_metadata instead
   * (left as the attribute here). undefined = let build_request_spec read it.
   */
  protected async _get_flavor(instance: unknown): Promise<unknown> {
    if (this.release === 'juno' || !(instance instanceof VersionedObject) || !('flavor' in instance.fields)) return undefined;
    await loadInstanceAttr(instance, 'flavor');
    return instance.get('flavor');
  }

  /** scheduler_utils.build_request_spec: primitives only. */
  protected build_request_spec(image: unknown, instances: unknown[], instance_type?: unknown): Record<string, unknown> {
    const instance = instances[0];
    let flavor = instance_type;
    if (flavor === undefined) {
      flavor = attr(instance, 'flavor') ?? null;
    }
    const instance_properties: Record<string, unknown> = {};
    for (const f of ['uuid', 'project_id', 'user_id', 'memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb', 'host', 'node', 'instance_type_id', 'vm_state', 'task_state']) {
      const v = attr(instance, f);
      if (v !== undefined) instance_properties[f] = v;
    }
    return plain({
      image: image ?? {},
      instance_properties,
      instance_type: flavor,
      num_instances: instances.length,
    }) as Record<string, unknown>;
  }

  /**
   * scheduler_utils.populate_retry: unless scheduler_max_attempts is 1 (or
   * hosts are forced), count the attempt, log the previous host's error,
   * and raise NoValidHost once the attempts exceed the maximum.
   */
  protected populate_retry(filter_properties: Kwargs, instance_uuid: string, ctxt: unknown = null): void {
    const max_attempts = Math.max(1, Number(this.deps.conf.get('DEFAULT', 'scheduler_max_attempts') ?? 3) || 3);
    const forced = (attr<unknown[]>(filter_properties, 'force_hosts') ?? []).length || (attr<unknown[]>(filter_properties, 'force_nodes') ?? []).length;
    if (max_attempts === 1 || forced) return;
    const retry = (filter_properties.retry ??= { num_attempts: 0, hosts: [] }) as { num_attempts: number; hosts: unknown[][]; exc?: unknown };
    retry.num_attempts += 1;
    // _log_compute_error
    if (retry.exc && retry.hosts.length) {
      const [last_host, last_node] = retry.hosts[retry.hosts.length - 1]!;
      this.deps.log('error', `[instance: ${instance_uuid}] Error from last host: ${String(last_host)} (node ${String(last_node)}): ${JSON.stringify(retry.exc)}`, ctxt);
    }
    const exc = retry.exc ?? null;
    delete retry.exc;
    if (retry.num_attempts > max_attempts) {
      throw NoValidHost({
        reason: `Exceeded max scheduling attempts ${max_attempts} for instance ${instance_uuid}. Last exception: ${exc === null ? 'None' : JSON.stringify(exc)}`,
      });
    }
  }

  /** scheduler_utils.set_vm_state_and_notify: straight to the database. */
  protected async _set_vm_state_and_notify(ctxt: unknown, instance_uuid: string, method: string, updates: Kwargs, ex: unknown): Promise<void> {
    this.deps.log('warning', `Failed to compute_task_${method}: ${(ex as Error).message}`, ctxt);
    const values = { ...updates };
    const expect: Record<string, unknown> = {};
    if ('expected_task_state' in values) {
      expect.expected_task_state = values.expected_task_state;
      delete values.expected_task_state;
    }
    this.deps.log('warning', `[instance: ${instance_uuid}] Setting instance to ${String(values.vm_state).toUpperCase()} state.`, ctxt);
    try {
      await this.db.instance_update_and_get_original(instance_uuid, values, expect);
      // compute_utils.add_instance_fault_from_exc(context, new_ref, ex, ...)
      const { code, message } = exceptionToDict(ex);
      await this.db.instance_fault_create({ instance_uuid, code, message, details: code === 500 ? `${asPyException(ex).pyClass}: ${message}` : '', host: this.deps.host });
    } catch (e) {
      this.deps.log('warning', `could not update instance ${instance_uuid}: ${(e as Error).message}`, ctxt);
    }
  }

  // ---- build ----------------------------------------------------------------

  async build_instances(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instances = (kw.instances as unknown[]) ?? [];
    const image = kw.image;
    const filter_properties = { ...((kw.filter_properties as Kwargs) ?? {}) };
    const request_spec = this.build_request_spec(image, instances, attr(filter_properties, 'instance_type'));
    let hosts: Array<{ host: string; nodename: string; limits: unknown }>;
    try {
      this.populate_retry(filter_properties, String(attr(instances[0], 'uuid')), ctxt);
      hosts = (await this.select_destinations(ctxt, request_spec, filter_properties)) as typeof hosts;
    } catch (exc) {
      for (const instance of instances) {
        await this._set_vm_state_and_notify(ctxt, String(attr(instance, 'uuid')), 'build_instances', { vm_state: vm_states.ERROR, task_state: null }, exc);
      }
      return;
    }
    for (let i = 0; i < instances.length && i < hosts.length; i++) {
      const instance = instances[i];
      const host = hosts[i]!;
      try {
        await remotable_call(instance as VersionedObject, 'refresh', [], {});
      } catch (e) {
        if (isPyAny(e, ['InstanceNotFound', 'InstanceInfoCacheNotFound'])) {
          this.log('debug', 'Instance deleted during build', ctxt, instance);
          continue;
        }
        throw e;
      }
      const local_filter_props = JSON.parse(JSON.stringify(to_primitive(filter_properties))) as Kwargs;
      if (attr(filter_properties, 'instance_type') instanceof VersionedObject) local_filter_props.instance_type = filter_properties.instance_type;
      // scheduler_utils.populate_filter_properties (_add_retry_host only when retry is on)
      const retry = local_filter_props.retry as { hosts: unknown[] } | undefined;
      if (retry) retry.hosts.push([host.host, host.nodename]);
      local_filter_props.limits = host.limits;
      const bdms = await this._bdms_for(ctxt, instance);
      await callClient(this.deps.compute_rpcapi, 'build_and_run_instance', ctxt, {
        instance,
        host: host.host,
        image,
        request_spec,
        filter_properties: local_filter_props,
        admin_password: kw.admin_password ?? null,
        injected_files: kw.injected_files ?? null,
        requested_networks: kw.requested_networks ?? null,
        security_groups: kw.security_groups ?? null,
        block_device_mapping: bdms,
        node: host.nodename,
        limits: host.limits,
      });
    }
  }

  /** objects.BlockDeviceMappingList.get_by_instance_uuid when the release's world has it. */
  protected async _bdms_for(ctxt: unknown, instance: unknown): Promise<unknown> {
    const cls = this.deps.world.registry.latest('BlockDeviceMappingList');
    if (!cls) return [];
    try {
      return await remotable_classmethod_call(this.deps.world, cls, ctxt, 'get_by_instance_uuid', [attr(instance, 'uuid')], {});
    } catch {
      return [];
    }
  }

  // ---- unshelve ---------------------------------------------------------------

  async unshelve_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance as VersionedObject;
    const sys_meta = { ...((attr<Record<string, string | null>>(instance, 'system_metadata') ?? {}) as Record<string, string | null>) };
    const vm_state = attr(instance, 'vm_state');
    if (vm_state === vm_states.SHELVED) {
      instance.set('task_state', task_states.POWERING_ON);
      await remotable_call(instance, 'save', [], { expected_task_state: task_states.UNSHELVING });
      await callClient(this.deps.compute_rpcapi, 'start_instance', ctxt, { instance });
      if (sys_meta.shelved_image_id) this.log('debug', `Deleting shelved snapshot image ${sys_meta.shelved_image_id}`, ctxt, instance);
    } else if (vm_state === vm_states.SHELVED_OFFLOADED) {
      const image_id = sys_meta.shelved_image_id;
      const image = image_id ? { id: image_id, name: `${String(attr(instance, 'display_name') ?? '')}-shelved`, status: 'active' } : null;
      try {
        const filter_properties: Kwargs = { retry: { num_attempts: 1, hosts: [] } };
        const request_spec = this.build_request_spec(image, [instance], await this._get_flavor(instance));
        const hosts = (await this.select_destinations(ctxt, request_spec, filter_properties)) as Array<{ host: string; nodename: string; limits: unknown }>;
        const host_state = hosts[0]!;
        (filter_properties.retry as { hosts: unknown[] }).hosts.push([host_state.host, host_state.nodename]);
        filter_properties.limits = host_state.limits;
        await callClient(this.deps.compute_rpcapi, 'unshelve_instance', ctxt, {
          instance,
          host: host_state.host,
          image,
          filter_properties,
          node: host_state.nodename,
        });
      } catch (e) {
        if (isPyAny(e, ['NoValidHost', 'UnsupportedPolicyException'])) {
          instance.set('task_state', null);
          await remotable_call(instance, 'save', [], {});
          this.log('warning', 'No valid host found for unshelve instance', ctxt, instance);
          return;
        }
        throw e;
      }
    } else {
      this.log('error', 'Unshelve attempted but vm_state not SHELVED or SHELVED_OFFLOADED', ctxt, instance);
      instance.set('vm_state', vm_states.ERROR);
      await remotable_call(instance, 'save', [], {});
      return;
    }
    for (const key of ['shelved_at', 'shelved_image_id', 'shelved_host']) delete sys_meta[key];
    instance.set('system_metadata', sys_meta);
    await remotable_call(instance, 'save', [], {});
  }

  // ---- migrate ----------------------------------------------------------------

  /**
   * The classes ComputeTaskManager.migrate_server lists in
   * @messaging.expected_exceptions, per tag: 2014.2 has InstanceNotRunning
   * and neither InstanceInvalidState, LiveMigrationWithOldNovaNotSafe (added
   * in 2014.2.2) nor UnsupportedPolicyException; 2015.1.0 and 12.0.0 have
   * those three and not InstanceNotRunning.
   */
  static migrateServerExpected(release: Release): readonly string[] {
    return (release === 'juno' || release === 'icehouse') ? JUNO_LIVE_MIGRATE_EXPECTED : [...KILO_LIVE_MIGRATE_EXPECTED, 'UnsupportedPolicyException'];
  }

  /** The `except (...)` tuple of _live_migrate: the same list without UnsupportedPolicyException. */
  static liveMigrateExpected(release: Release): readonly string[] {
    return (release === 'juno' || release === 'icehouse') ? JUNO_LIVE_MIGRATE_EXPECTED : KILO_LIVE_MIGRATE_EXPECTED;
  }

  async migrate_server(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const instance = kw.instance;
    const live = Boolean(kw.live);
    const rebuild = Boolean(kw.rebuild);
    const flavor = kw.flavor;
    try {
      if (live && !rebuild && !flavor) {
        await this._live_migrate(ctxt, instance, (kw.scheduler_hint as Kwargs) ?? {}, kw.block_migration, kw.disk_over_commit);
      } else if (!live && !rebuild && flavor) {
        const hint = (kw.scheduler_hint as Kwargs) ?? {};
        await this._cold_migrate(ctxt, instance, flavor, { ...((hint.filter_properties as Kwargs) ?? {}) }, kw.reservations, kw.clean_shutdown ?? true);
      } else {
        throw new PyException('NotImplementedError', 'exceptions', '');
      }
    } catch (e) {
      expected(e, BaseComputeTaskManager.migrateServerExpected(this.release));
    }
    return null;
  }

  /**
   * ComputeTaskManager._live_migrate. Expected failures put the instance back
   * to its vm_state with no task. Anything else is logged as "unexpectedly
   * failed" and re-raised as MigrationError; 2015.1.0 and 12.0.0 first set
   * vm_state ERROR (keeping the task_state), 2014.2 leaves the row alone
   * (the instance stays in task_state MIGRATING).
   */
  protected async _live_migrate(ctxt: unknown, instance: unknown, scheduler_hint: Kwargs, block_migration: unknown, disk_over_commit: unknown): Promise<void> {
    const destination = (scheduler_hint.host as string | null) ?? null;
    const uuid = String(attr(instance, 'uuid'));
    try {
      await this._live_migrate_execute(ctxt, instance, destination, block_migration, disk_over_commit);
    } catch (ex) {
      if (isPyAny(ex, BaseComputeTaskManager.liveMigrateExpected(this.release))) {
        await this._set_vm_state_and_notify(ctxt, uuid, 'migrate_server', {
          vm_state: attr(instance, 'vm_state'),
          task_state: null,
          expected_task_state: task_states.MIGRATING,
        }, ex);
        throw ex;
      }
      this.log('error', `Migration of instance ${uuid} to host ${destination === null || destination === undefined ? 'None' : String(destination)} unexpectedly failed.`, ctxt);
      if (!this.junoOrOlder) {
        await this._set_vm_state_and_notify(ctxt, uuid, 'migrate_server', {
          vm_state: vm_states.ERROR,
          task_state: attr(instance, 'task_state'),
          expected_task_state: task_states.MIGRATING,
        }, ex);
      }
      const reason = ex instanceof Error ? ex.message : String(ex);
      throw new NovaException('MigrationError', `Migration error: ${reason}`, { reason });
    }
  }

  /** nova.conductor.tasks.live_migrate.LiveMigrationTask.execute (_execute in 12.0.0). */
  protected async _live_migrate_execute(ctxt: unknown, instance: unknown, destination: string | null, block_migration: unknown, disk_over_commit: unknown): Promise<void> {
    const source = String(attr(instance, 'host'));
    const ps = Number(attr(instance, 'power_state'));
    if (this.junoOrOlder) {
      // 2014.2 _check_instance_is_running
      if (ps !== power_state.RUNNING) throw InstanceNotRunning({ instance_id: attr(instance, 'uuid') });
    } else if (ps !== power_state.RUNNING && ps !== power_state.PAUSED) {
      // 2015.1.0 / 12.0.0 _check_instance_is_active
      throw InstanceInvalidState({ instance_uuid: attr(instance, 'uuid'), attr: 'power_state', state: attr(instance, 'power_state'), method: 'live migrate' });
    }
    await this._check_host_is_up(source);
    let migrate_data: unknown;
    if (!destination) {
      [destination, migrate_data] = await this._find_destination(ctxt, instance, source, block_migration, disk_over_commit);
    } else {
      if (destination === source) {
        throw new NovaException('UnableToMigrateToSelf', `Unable to migrate instance (${String(attr(instance, 'uuid'))}) to current host (${source}).`, { instance_id: attr(instance, 'uuid'), host: destination });
      }
      await this._check_host_is_up(destination);
      migrate_data = await this._call_livem_checks_on_host(ctxt, instance, destination, block_migration, disk_over_commit);
    }
    const args: Kwargs = { instance, dest: destination, block_migration, host: source, migrate_data };
    // Liberty creates a Migration record first; the model sends none (None).
    if (libertyOrLater(this.release)) args.migration = null;
    await callClient(this.deps.compute_rpcapi, 'live_migration', ctxt, args);
  }

  /**
   * LiveMigrationTask._find_destination: ask the scheduler, ignoring the hosts
   * tried so far, until one passes the checks. A host is skipped only for
   * exception.Invalid (2014.2, 2015.1.0) or Invalid / MigrationPreCheckError
   * (12.0.0); any other error propagates. migrate_max_retries defaults to -1
   * (no limit: the scheduler's NoValidHost ends the loop); past the limit
   * 2014.2/2015.1.0 raise NoValidHost, 12.0.0 MaxRetriesExceeded.
   */
  protected async _find_destination(ctxt: unknown, instance: unknown, source: string, block_migration: unknown, disk_over_commit: unknown): Promise<[string, unknown]> {
    const attempted = [source];
    const request_spec = this.build_request_spec({}, [instance], await this._get_flavor(instance));
    const skip = libertyOrLater(this.release) ? ['Invalid', 'MigrationPreCheckError'] : ['Invalid'];
    const maxRetries = Number(this.deps.conf.get('DEFAULT', 'migrate_max_retries') ?? -1);
    for (;;) {
      const retries = attempted.length - 1;
      if (maxRetries !== -1 && retries > maxRetries) {
        const reason = `Exceeded max scheduling retries ${retries} for instance ${String(attr(instance, 'uuid'))} during live migration`;
        throw libertyOrLater(this.release)
          ? new NovaException('MaxRetriesExceeded', `Exceeded maximum number of retries. ${reason}`, { reason })
          : NoValidHost({ reason });
      }
      const hosts = (await this.select_destinations(ctxt, request_spec, { ignore_hosts: [...attempted] })) as Array<{ host: string }>;
      const host = hosts[0]!.host;
      try {
        return [host, await this._call_livem_checks_on_host(ctxt, instance, host, block_migration, disk_over_commit)];
      } catch (e) {
        if (!isPyAny(e, skip)) throw e;
        this.deps.log('debug', `Skipping host: ${host} because: ${(e as Error).message}`, ctxt);
        attempted.push(host);
      }
    }
  }

  protected async _check_host_is_up(host: string): Promise<void> {
    const svc = await this.db.service_get_by_host_and_binary(host, 'nova-compute');
    if (!svc || svc.disabled) throw new NovaException('ComputeServiceUnavailable', `Compute service of ${host} is unavailable at this time.`, { host });
  }

  /** 12.0.0 turns a MessagingTimeout of the check into MigrationPreCheckError. */
  protected async _call_livem_checks_on_host(ctxt: unknown, instance: unknown, destination: string, block_migration: unknown, disk_over_commit: unknown): Promise<unknown> {
    try {
      return await callClient(this.deps.compute_rpcapi, 'check_can_live_migrate_destination', ctxt, {
        instance,
        destination,
        block_migration,
        disk_over_commit,
      });
    } catch (e) {
      if (libertyOrLater(this.release) && isPy(e, 'MessagingTimeout')) {
        const msg = `Timeout while checking if we can live migrate to host: ${destination}`;
        throw new NovaException('MigrationPreCheckError', msg, {}, );
      }
      throw e;
    }
  }

  protected async _cold_migrate(ctxt: unknown, instance: unknown, flavor: unknown, filter_properties: Kwargs, reservations: unknown, clean_shutdown: unknown): Promise<void> {
    const image = { id: attr(instance, 'image_ref') ?? null };
    const request_spec = this.build_request_spec(image, [instance], flavor);
    let host_state: { host: string; nodename: string; limits: unknown };
    try {
      filter_properties.retry = { num_attempts: 1, hosts: [] };
      host_state = ((await this.select_destinations(ctxt, request_spec, filter_properties)) as Array<typeof host_state>)[0]!;
    } catch (ex) {
      if (isPy(ex, 'NoValidHost')) {
        const vm_state = (attr<string>(instance, 'vm_state') as string) || vm_states.ACTIVE;
        await this._set_vm_state_and_notify(ctxt, String(attr(instance, 'uuid')), 'migrate_server', { vm_state, task_state: null }, ex);
        const same = attr(flavor, 'id') === attr(instance, 'instance_type_id');
        throw NoValidHost({ reason: same ? 'No valid host found for cold migrate' : 'No valid host found for resize' });
      }
      throw ex;
    }
    (filter_properties.retry as { hosts: unknown[] }).hosts.push([host_state.host, host_state.nodename]);
    filter_properties.limits = host_state.limits;
    const args: Kwargs = {
      image,
      instance,
      instance_type: flavor,
      host: host_state.host,
      reservations: reservations ?? null,
      request_spec,
      filter_properties,
      node: host_state.nodename,
    };
    if (!this.junoOrOlder) args.clean_shutdown = clean_shutdown;
    await callClient(this.deps.compute_rpcapi, 'prep_resize', ctxt, args);
  }

  // ---- rebuild (minimal) --------------------------------------------------------

  async rebuild_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    let host = (kw.host as string | null) ?? null;
    if (!host) {
      const request_spec = this.build_request_spec({ id: kw.image_ref }, [instance], await this._get_flavor(instance));
      const hosts = (await this.select_destinations(ctxt, request_spec, { ignore_hosts: [attr(instance, 'host')] })) as Array<{ host: string }>;
      host = hosts[0]!.host;
    }
    await callClient(this.deps.compute_rpcapi, 'rebuild_instance', ctxt, {
      instance,
      new_pass: kw.new_pass,
      injected_files: kw.injected_files,
      image_ref: kw.image_ref,
      orig_image_ref: kw.orig_image_ref,
      orig_sys_metadata: kw.orig_sys_metadata,
      bdms: kw.bdms,
      recreate: kw.recreate,
      on_shared_storage: kw.on_shared_storage,
      preserve_ephemeral: kw.preserve_ephemeral ?? false,
      host,
    });
  }
}

/** 2014.2 migrate_server / _live_migrate. */
const JUNO_LIVE_MIGRATE_EXPECTED = [
  'NoValidHost',
  'ComputeServiceUnavailable',
  'InvalidHypervisorType',
  'InvalidCPUInfo',
  'UnableToMigrateToSelf',
  'DestinationHypervisorTooOld',
  'InvalidLocalStorage',
  'InvalidSharedStorage',
  'HypervisorUnavailable',
  'InstanceNotRunning',
  'MigrationPreCheckError',
] as const;
/** 2015.1.0 / 12.0.0 _live_migrate. */
const KILO_LIVE_MIGRATE_EXPECTED = [
  'NoValidHost',
  'ComputeServiceUnavailable',
  'InvalidHypervisorType',
  'InvalidCPUInfo',
  'UnableToMigrateToSelf',
  'DestinationHypervisorTooOld',
  'InvalidLocalStorage',
  'InvalidSharedStorage',
  'HypervisorUnavailable',
  'InstanceInvalidState',
  'MigrationPreCheckError',
  'LiveMigrationWithOldNovaNotSafe',
] as const;

/**
 * Icehouse (2014.1) ComputeTaskManager 1.6: build_instances hands the whole
 * request to the scheduler (scheduler_rpcapi.run_instance, which picks the
 * hosts and casts compute run_instance); unshelve and migrate_server as
 * Juno's for what is modelled.
 */
export class IcehouseComputeTaskManager extends BaseComputeTaskManager {
  static override release: Release = 'icehouse';
  static override TARGET_VERSION = '1.6';

  override async build_instances(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instances = (kw.instances as unknown[]) ?? [];
    const request_spec = this.build_request_spec(kw.image, instances, attr(kw.filter_properties, 'instance_type'));
    // scheduler_utils.build_request_spec @2014.1 carries the uuids; then, for compatibility, the BDMs and groups.
    request_spec.instance_uuids = instances.map((i) => String(attr(i, 'uuid')));
    request_spec.block_device_mapping = kw.block_device_mapping ?? null;
    request_spec.security_group = kw.security_groups ?? null;
    await callClient(this.deps.scheduler_rpcapi, 'run_instance', ctxt, {
      request_spec,
      admin_password: kw.admin_password ?? null,
      injected_files: kw.injected_files ?? null,
      requested_networks: kw.requested_networks ?? null,
      is_first_time: true,
      filter_properties: (kw.filter_properties as Kwargs) ?? {},
      legacy_bdm_in_spec: kw.legacy_bdm ?? true,
    });
  }
}

export class JunoComputeTaskManager extends BaseComputeTaskManager {
  static override release: Release = 'juno';
  static override TARGET_VERSION = '1.9';
}
export class KiloComputeTaskManager extends BaseComputeTaskManager {
  static override release: Release = 'kilo';
  static override TARGET_VERSION = '1.11';
}
export class LibertyComputeTaskManager extends BaseComputeTaskManager {
  static override release: Release = 'liberty';
  static override TARGET_VERSION = '1.11';
}

/**
 * 13.0.0 ComputeTaskManager 1.14: request_spec on migrate_server,
 * rebuild_instance and unshelve_instance (accepted; the model's tasks build
 * their request from the instance as before), and every way to the
 * scheduler goes through a RequestSpec object
 * (RequestSpec.from_primitives(context, request_spec, filter_properties),
 * then scheduler_client.select_destinations(context, spec_obj)).
 */
export class MitakaComputeTaskManager extends BaseComputeTaskManager {
  static override release: Release = 'mitaka';
  static override TARGET_VERSION = '1.14';

  protected override select_destinations(ctxt: unknown, request_spec: unknown, filter_properties: unknown): Promise<unknown> {
    const spec_obj = requestSpecFromPrimitives(this.deps.world, ctxt, request_spec, filter_properties);
    return callClient(this.deps.scheduler_rpcapi, 'select_destinations', ctxt, { spec_obj });
  }
}

export type ConductorManagerClass = new (deps: ConductorDeps) => BaseConductorManager;
export type ComputeTaskManagerClass = new (deps: ConductorDeps) => BaseComputeTaskManager;

const MANAGERS = { icehouse: IcehouseConductorManager, juno: JunoConductorManager, kilo: KiloConductorManager, liberty: LibertyConductorManager, mitaka: MitakaConductorManager } as const;
const TASKS = { icehouse: IcehouseComputeTaskManager, juno: JunoComputeTaskManager, kilo: KiloComputeTaskManager, liberty: LibertyComputeTaskManager, mitaka: MitakaComputeTaskManager } as const;

export function conductorManagerFor(release: Release): ConductorManagerClass {
  return MANAGERS[release];
}
export function computeTaskManagerFor(release: Release): ComputeTaskManagerClass {
  return TASKS[release];
}
