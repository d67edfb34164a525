/**
 * Server side of the compute RPC API: nova.compute.manager.ComputeManager
 * for Icehouse (2014.1, target 3.23, no other endpoint), Juno (2014.2, target 3.35), Kilo (2015.1.0, target 3.40, plus
 * _ComputeV4Proxy 4.0 in additional_endpoints) and Liberty (12.0.0, 4.5).
 *
 * Every RPC method exists exactly when the release's manager has it, with
 * the Python signature taken from src/nova/data/rpc-history.json (so an
 * unexpected or missing keyword argument raises the interpreter's
 * TypeError). The methods whose state changes the simulator models follow
 * nova's code step by step (rpcapi-methods.json -> manager_behaviour):
 * every step is an `instance.save(expected_task_state=...)`, which on
 * nova-compute is an object_action call to nova-conductor. The hypervisor
 * is a map of power states. Every other method accepts the call and logs it.
 *
 * Constructed as `new Cls(deps)`; a user override of
 * 'nova/compute/manager' exports `ComputeManager` (usually a subclass of
 * the release's class, e.g. `class extends KiloComputeManager {...}`).
 */
import { PyException, classLineage, isPy } from '../../oslo/exception';
import { Target, type Endpoint } from '../../oslo/messaging';
import { VersionedObject, remotable_call, remotable_classmethod_call, type ObjectWorld } from '../../oslo/objects';
import { instanceFromDict } from '../objects/world';
import { loadServiceComputeNode } from '../objects/compute_node';
import { loadInstanceAttr } from '../objects/instance';
import { isLiveMigrateData, liveMigrateDataFromLegacy } from '../objects/mitaka';
import { bindCall } from '../../oslo/pycall';
import v4proxy from '../data/kilo-v4-proxy.json';
import type { NovaConf } from '../conf';
import { NovaException } from '../exception';
import { power_state, task_states, vm_states } from '../objects/states';
import { libertyOrLater, RELEASE_INFO, type Release } from '../releases';
import { computeManagerSignatures, computeV4ProxySignatures, type SignatureTable } from '../signatures';
import { addInstanceFaultFromExc, computeDecorators, decorate, type DecoratorHost } from './decorators';
import { attr, describeArgs, installGenericMethods, instancePrefix, type LogFn } from './manager_support';
import { to_primitive } from './rpcapi_support';
import { ResourceTracker } from './resource_tracker';

type Kwargs = Record<string, unknown>;

/** Python truthiness of a dict argument (None and {} are false). */
function truthyDict(v: unknown): v is Kwargs {
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
}
/** The RPC clients a manager uses (duck-typed: `method(ctxt, kwargs)`). */
type RpcClientLike = Record<string, unknown>;

export interface ComputeDeps {
  release: Release;
  host: string;
  conf: NovaConf;
  log: LogFn;
  now(): string;
  /** This service's object world (indirection_api = conductor on nova-compute). */
  world: ObjectWorld;
  /** compute_rpcapi.ComputeAPI() of the release (capped by [upgrade_levels] compute). */
  compute_rpcapi: RpcClientLike;
  /** conductor.ComputeTaskAPI() (reschedules; unused by the simplified paths). */
  compute_task_api?: RpcClientLike | null;
  /** scheduler_client (Kilo/Liberty report instance info to the schedulers). */
  scheduler_rpcapi?: RpcClientLike | null;
  /** conductor_api (Juno/Kilo _instance_update -> conductor instance_update). */
  conductor_api?: RpcClientLike | null;
}

/**
 * Failures a scenario or the sandbox injects into a compute through its
 * nova.conf section [fault_injection] (a simulator-only section: nova has no
 * such options). Each option's value is the error the hypervisor raises:
 * "Class: message" or just a message (class Exception). Options: spawn
 * (driver.spawn), pre_live_migration, check_can_live_migrate_source,
 * check_can_live_migrate_destination, resize (migrate_disk_and_power_off).
 */
export const FAULT_SECTION = 'fault_injection';

export function injectedFault(conf: NovaConf | undefined, point: string): PyException | null {
  const raw = conf?.get(FAULT_SECTION, point);
  if (raw === null || raw === undefined || raw === '') return null;
  const m = /^([A-Za-z_]\w*): (.*)$/.exec(raw);
  const cls = m ? m[1]! : 'Exception';
  const message = m ? m[2]! : raw;
  const novaClass = classLineage(cls).includes('NovaException');
  return novaClass ? new NovaException(cls, message, { code: 500 }) : new PyException(cls, 'exceptions', message);
}

/** The simulated hypervisor: uuid -> power state. */
export class FakeDriver {
  readonly vms = new Map<string, number>();
  constructor(readonly conf?: NovaConf) {}
  /** Raise the failure injected at `point`, if any. */
  fail(point: string): void {
    const e = injectedFault(this.conf, point);
    if (e) throw e;
  }
  get_info(uuid: string): number {
    return this.vms.get(uuid) ?? power_state.NOSTATE;
  }
  spawn(uuid: string): void {
    this.fail('spawn');
    this.vms.set(uuid, power_state.RUNNING);
  }
  power_off(uuid: string): void {
    if (this.vms.has(uuid)) this.vms.set(uuid, power_state.SHUTDOWN);
  }
  power_on(uuid: string): void {
    this.vms.set(uuid, power_state.RUNNING);
  }
  pause(uuid: string): void {
    this.vms.set(uuid, power_state.PAUSED);
  }
  suspend(uuid: string): void {
    this.vms.set(uuid, power_state.SUSPENDED);
  }
  destroy(uuid: string): void {
    this.vms.delete(uuid);
  }
  /**
   * nova/virt/fake.py FakeDriver.get_available_resource (2015.1.0): lots of
   * everything, one node named after the host. `running_vms` is what the
   * resource tracker counts from the host's instances.
   */
  get_available_resource(nodename: string): Record<string, unknown> {
    return {
      vcpus: 1000,
      memory_mb: 800000,
      local_gb: 600000,
      vcpus_used: 0,
      memory_mb_used: 0,
      local_gb_used: 0,
      hypervisor_type: 'fake',
      hypervisor_version: 1000,
      hypervisor_hostname: nodename,
      cpu_info: JSON.stringify({ arch: 'x86_64', model: 'Nehalem', vendor: 'Intel', features: ['pge', 'clflush'], topology: { cores: 1, threads: 1, sockets: 4 } }),
      disk_available_least: 0,
      supported_instances: JSON.stringify([['x86_64', 'fake', 'hvm']]),
      numa_topology: null,
      running_vms: this.vms.size,
      ...(this.pciDevices().length ? { pci_passthrough_devices: JSON.stringify(this.pciDevices()) } : {}),
    };
  }

  /**
   * The simulated host's PCI devices (two SR-IOV VFs of an Intel 82599,
   * 8086:10ed, and their PF 8086:10fb), as the libvirt driver reports the
   * ones [DEFAULT] pci_passthrough_whitelist (JSON, or a JSON list) lets
   * through; none without a whitelist.
   */
  pciDevices(): Array<Record<string, unknown>> {
    const raw = this.conf?.get('DEFAULT', 'pci_passthrough_whitelist');
    if (!raw) return [];
    let wl: unknown;
    try {
      wl = JSON.parse(raw);
    } catch {
      return [];
    }
    const specs = (Array.isArray(wl) ? wl : [wl]) as Array<Record<string, string>>;
    const host = [
      { address: '0000:04:00.0', vendor_id: '8086', product_id: '10fb', dev_type: 'type-PF' },
      { address: '0000:04:10.0', vendor_id: '8086', product_id: '10ed', dev_type: 'type-VF' },
      { address: '0000:04:10.2', vendor_id: '8086', product_id: '10ed', dev_type: 'type-VF' },
    ];
    return host
      .filter((d) => d.dev_type !== 'type-PF' && specs.some((s) => (!s.vendor_id || s.vendor_id === d.vendor_id) && (!s.product_id || s.product_id === d.product_id)))
      .map((d) => ({ ...d, label: `label_${d.vendor_id}_${d.product_id}`, dev_id: `pci_${d.address.replace(/[:.]/g, '_')}` }));
  }
}

export abstract class BaseComputeManager implements Endpoint {
  [method: string]: unknown;
  static release: Release = 'kilo';
  static TARGET_VERSION = '3.40';

  readonly target: Target;
  readonly endpointName = 'ComputeManager';
  readonly signatures: SignatureTable;
  readonly service_name = 'compute';
  readonly driver: FakeDriver;
  /** Endpoints nova/service.py appends after the manager and BaseRPCAPI. */
  additional_endpoints: Endpoint[] = [];

  constructor(readonly deps: ComputeDeps) {
    const cls = this.constructor as typeof BaseComputeManager;
    this.driver = new FakeDriver(deps.conf);
    this.target = new Target({ version: cls.TARGET_VERSION });
    this.signatures = computeManagerSignatures(cls.release);
    this._applyDecorators();
  }

  protected _decoratorHost(): DecoratorHost {
    return {
      release: this.release,
      host: this.deps.host,
      world: this.deps.world,
      log: this.deps.log,
    };
  }

  /** Wrap every RPC method in the decorators nova has on it at this release (./decorators.ts). */
  private _applyDecorators(): void {
    const host: DecoratorHost = {
      release: this.release,
      host: this.deps.host,
      world: this.deps.world,
      log: this.deps.log,
      instance_update: (ctxt, instance_uuid, updates) => {
        const client = (this.deps.conductor_api as { client?: { prepare(o?: object): { call(c: unknown, m: string, k: Kwargs): Promise<unknown> } } } | null | undefined)?.client;
        if (!client) return Promise.resolve(null);
        return client.prepare().call(ctxt, 'instance_update', { instance_uuid, updates, service: 'conductor' });
      },
    };
    for (const name of Object.keys(this.signatures)) {
      const fn = this[name];
      if (typeof fn !== 'function' || computeDecorators(this.release, name).length === 0) continue;
      this[name] = decorate(host, name, (fn as (c: unknown, k: Kwargs) => Promise<unknown>).bind(this));
    }
  }

  get release(): Release {
    return (this.constructor as typeof BaseComputeManager).release;
  }
  get host(): string {
    return this.deps.host;
  }
  /** Icehouse (2014.1) behaves as Juno (2014.2) wherever the model distinguishes Juno from Kilo+. */
  get junoOrOlder(): boolean {
    return this.release === 'icehouse' || this.release === 'juno';
  }
  get compute_rpcapi(): RpcClientLike {
    return this.deps.compute_rpcapi;
  }

  // ---------------------------------------------------------------- helpers

  protected log(level: 'debug' | 'info' | 'warning' | 'error', msg: string, ctxt: unknown, instance?: unknown): void {
    this.deps.log(level, `${instance ? instancePrefix(instance) : ''}${msg}`, ctxt);
  }

  /** Methods the simulator does not model: accept, log. */
  async _generic(method: string, ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    this.deps.log('info', `${instancePrefix(kwargs.instance)}${method}(${describeArgs(kwargs)}) accepted (not modelled)`, ctxt);
    return null;
  }

  /** Call a client method of one of the RPC APIs (they are duck-typed here). */
  protected async rpc(client: RpcClientLike | null | undefined, method: string, ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const fn = client?.[method];
    if (typeof fn !== 'function') throw new PyException('AttributeError', 'exceptions', `'${String(client?.constructor?.name)}' object has no attribute '${method}'`);
    return (fn as (c: unknown, k: Kwargs) => Promise<unknown>).call(client, ctxt, kwargs);
  }

  /** instance.save(expected_task_state=..., ...): object_action on conductor when remote. */
  protected async save(instance: unknown, kwargs: Kwargs = {}): Promise<void> {
    await remotable_call(instance as VersionedObject, 'save', [], kwargs);
  }

  /** setattr(instance, name, value), skipping fields this release's Instance lacks. */
  protected setf(instance: unknown, values: Kwargs): void {
    const o = instance as VersionedObject;
    for (const [k, v] of Object.entries(values)) {
      if (Object.prototype.hasOwnProperty.call(o.fields, k)) o.set(k, v);
    }
  }

  protected uuid(instance: unknown): string {
    return String(attr(instance, 'uuid'));
  }

  /** A copy of instance.system_metadata with changes (assigning marks the field changed). */
  protected updateSysmeta(instance: unknown, changes: Record<string, string | null | undefined>): void {
    const current = { ...((attr<Record<string, string | null>>(instance, 'system_metadata') ?? {}) as Record<string, string | null>) };
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) delete current[k];
      else current[k] = v;
    }
    this.setf(instance, { system_metadata: current });
  }

  _get_power_state(_ctxt: unknown, instance: unknown): number {
    return this.driver.get_info(this.uuid(instance));
  }

  /** timeutils.strtime() */
  protected strtime(): string {
    return this.deps.now().replace('Z', '').replace(/(\.\d{3})$/, '$1000');
  }

  /** Kilo/Liberty: tell the schedulers what this host runs now (fanout cast 4.2). */
  protected async _update_scheduler_instance_info(ctxt: unknown, instance: unknown): Promise<void> {
    if (this.junoOrOlder || !this.deps.scheduler_rpcapi) return;
    try {
      await this.rpc(this.deps.scheduler_rpcapi, 'update_instance_info', ctxt, { host_name: this.host, instance_info: instance });
    } catch (e) {
      this.log('warning', `update_instance_info failed: ${(e as Error).message}`, ctxt, instance);
    }
  }

  protected async _delete_scheduler_instance_info(ctxt: unknown, instance_uuid: string): Promise<void> {
    if (this.junoOrOlder || !this.deps.scheduler_rpcapi) return;
    try {
      await this.rpc(this.deps.scheduler_rpcapi, 'delete_instance_info', ctxt, { host_name: this.host, instance_uuid });
    } catch (e) {
      this.deps.log('warning', `delete_instance_info failed: ${(e as Error).message}`, ctxt);
    }
  }

  protected async _set_instance_error_state(ctxt: unknown, instance: unknown): Promise<void> {
    this.setf(instance, { vm_state: vm_states.ERROR });
    if (libertyOrLater(this.release)) this.setf(instance, { task_state: null });
    try {
      await this.save(instance);
    } catch (e) {
      this.log('debug', `Instance has been destroyed from under us while trying to set it to ERROR (${(e as Error).message})`, ctxt, instance);
    }
  }

  /** The resource tracker's claim: the instance lands on this host (rt._set_instance_host_and_node). */
  protected async _claim(ctxt: unknown, instance: unknown, node: unknown): Promise<void> {
    // rt.instance_claim: the PCI test and allocation (the other resources are not modelled)
    await this.resource_tracker.instance_claim_pci(ctxt, instance as VersionedObject, () => loadInstanceAttr(instance as VersionedObject, 'pci_devices'));
    this.setf(instance, { host: this.host, launched_on: this.host, node: (node as string | null) ?? this.host });
    await this.save(instance);
  }

  /** conductor_api.instance_update(context, instance_uuid, **values) -> ConductorAPI.instance_update(..., 'compute'). */
  protected async _instance_update(ctxt: unknown, instance: unknown, updates: Kwargs): Promise<unknown> {
    const client = (this.deps.conductor_api as { client?: { prepare(o?: object): { call(c: unknown, m: string, k: Kwargs): Promise<unknown> } } } | null | undefined)?.client;
    if (!client) throw new PyException('AttributeError', 'exceptions', "'API' object has no attribute 'instance_update'");
    const ref = await client.prepare().call(ctxt, 'instance_update', { instance_uuid: this.uuid(instance), updates: to_primitive(updates), service: 'compute' });
    // The caller's copy learns the values written: an object (reset, so a later save does not write them
    // again), or the dict (resource_tracker sets instance_ref['host'] etc. itself).
    if (instance instanceof VersionedObject) {
      const written = Object.keys(updates).filter((k) => k !== 'expected_task_state' && Object.prototype.hasOwnProperty.call(instance.fields, k));
      for (const k of written) instance.set(k, updates[k]);
      instance.obj_reset_changes(written);
    } else if (instance && typeof instance === 'object' && ('host' in updates)) {
      for (const k of ['host', 'node', 'launched_on']) if (k in updates) (instance as Kwargs)[k] = updates[k];
    }
    return ref;
  }

  /**
   * run_instance (Icehouse 3.0 / 2.x from Havana; Juno 3.0 or 3.27, the
   * path a Juno scheduler takes while conductor still runs Icehouse): the
   * instance arrives as the DB row
   * the scheduler updated (a dict) and becomes an Instance
   * (@object_compat, expected_attrs metadata, system_metadata, info_cache,
   * security_groups). Then _run_instance -> _build_instance. A failure is
   * recorded as a fault and the instance set to ERROR (the 2014.1
   * reschedule through scheduler run_instance is not modelled).
   */
  protected async _run_instance_2014(ctxt: unknown, kw: Kwargs): Promise<void> {
    // 2014.1 keeps the DB dict until _spawn (@object_compat there); 2014.2's
    // run_instance has @object_compat itself, so the decorators hand an Instance.
    let instance = kw.instance;
    this.log('info', 'Starting instance...', ctxt, instance);
    try {
      // _prebuild_instance -> _start_building
      await this._instance_update(ctxt, instance, { vm_state: vm_states.BUILDING, task_state: null, expected_task_state: [task_states.SCHEDULING, null] });
    } catch (e) {
      if (isPy(e, 'InstanceNotFound') || isPy(e, 'UnexpectedTaskStateError')) {
        this.log('debug', (e as Error).message, ctxt, instance);
        return;
      }
      throw e;
    }
    try {
      await this._claim(ctxt, instance, kw.node);
      // _allocate_network: task NETWORKING, then the network info (the network API writes the cache)
      await this._instance_update(ctxt, instance, { vm_state: vm_states.BUILDING, task_state: task_states.NETWORKING, expected_task_state: [null] });
      await this._build_networks_for_instance(ctxt, instance, kw.requested_networks);
      await this._instance_update(ctxt, instance, { vm_state: vm_states.BUILDING, task_state: task_states.BLOCK_DEVICE_MAPPING });
      const bdms = await this._bdms_of(ctxt, instance);
      await this._prep_block_device(ctxt, instance, { objects: bdms });
      // _spawn (@object_compat: Instance._from_db_object(..., expected_attrs=['metadata', 'system_metadata']))
      if (!(instance instanceof VersionedObject)) {
        instance = instanceFromDict(this.deps.world, ctxt, instance as Record<string, unknown>, ['metadata', 'system_metadata']);
      }
      this.setf(instance, { vm_state: vm_states.BUILDING, task_state: task_states.SPAWNING });
      await this.save(instance, { expected_task_state: task_states.BLOCK_DEVICE_MAPPING });
      this.driver.spawn(this.uuid(instance));
    } catch (e) {
      this.log('error', `Instance failed to spawn: ${(e as Error).message}`, ctxt, instance);
      if (isPy(e, 'InstanceNotFound') || isPy(e, 'UnexpectedDeletingTaskStateError') || isPy(e, 'UnexpectedTaskStateError')) throw e;
      // _build_instance: except Exception -> _reschedule_or_error: a fault, the VM cleaned up, then _reschedule
      if (instance instanceof VersionedObject) await addInstanceFaultFromExc(this._decoratorHost(), ctxt, instance, e);
      this.driver.destroy(this.uuid(instance));
      let rescheduled = false;
      try {
        rescheduled = await this._reschedule_2014(ctxt, kw, instance, e);
      } catch (err) {
        this.log('error', `Error trying to reschedule: ${(err as Error).message}`, ctxt, instance);
      }
      // RescheduledException: _run_instance notifies the error and returns
      if (rescheduled) return;
      // otherwise _run_instance: _set_instance_error_state(context, instance['uuid']) and re-raise
      try {
        await this._instance_update(ctxt, instance, { vm_state: vm_states.ERROR });
      } catch (inner) {
        this.log('debug', `Instance has been destroyed from under us while trying to set it to ERROR (${(inner as Error).message})`, ctxt, instance);
      }
      throw e;
    }
    this.log('info', 'Instance spawned successfully.', ctxt, instance);
    this._update_instance_after_spawn(ctxt, instance);
    await this.save(instance, { expected_task_state: task_states.SPAWNING });
  }

  /**
   * _reschedule (2014.1/2014.2) with scheduler_rpcapi.run_instance: without
   * retry information (or a request spec) nothing is rescheduled; else the
   * task goes back to SCHEDULING (conductor instance_update), the error is
   * kept in retry['exc'] and the whole request goes back to the scheduler.
   * (A 2014.2 SchedulerAPI has no run_instance: AttributeError, "Error
   * trying to reschedule", as in 2014.2.)
   */
  protected async _reschedule_2014(ctxt: unknown, kw: Kwargs, instance: unknown, exc: unknown): Promise<boolean> {
    const filter_properties = (kw.filter_properties ?? {}) as Kwargs;
    const retry = filter_properties.retry as Kwargs | undefined;
    const uuid = this.uuid(instance);
    if (!truthyDict(retry)) {
      this.log('debug', 'Retry info not present, will not reschedule', ctxt, instance);
      return false;
    }
    const request_spec = kw.request_spec as Kwargs | null | undefined;
    if (!truthyDict(request_spec)) {
      this.log('debug', 'No request spec, will not reschedule', ctxt, instance);
      return false;
    }
    request_spec.instance_uuids = [uuid];
    const run_instance = (this.deps.scheduler_rpcapi as RpcClientLike | null | undefined)?.run_instance;
    this.log('debug', `Re-scheduling run_instance: attempt ${String(retry.num_attempts)}`, ctxt, instance);
    await this._instance_update(ctxt, instance, { task_state: task_states.SCHEDULING });
    const name = exc instanceof PyException ? exc.pyClass : 'Exception';
    retry.exc = ['Traceback (most recent call last):\n', `${name}: ${(exc as Error).message}\n`];
    if (typeof run_instance !== 'function') {
      throw new PyException('AttributeError', 'exceptions', "'SchedulerAPI' object has no attribute 'run_instance'");
    }
    await (run_instance as (c: unknown, k: Kwargs) => Promise<void>).call(this.deps.scheduler_rpcapi, ctxt, {
      request_spec,
      admin_password: kw.admin_password ?? null,
      injected_files: kw.injected_files ?? null,
      requested_networks: kw.requested_networks ?? null,
      is_first_time: kw.is_first_time ?? true,
      filter_properties,
      legacy_bdm_in_spec: kw.legacy_bdm_in_spec ?? true,
    });
    return true;
  }

  // ---------------------------------------------------------------- start-up

  /** The resource tracker of this host's one node (_get_resource_tracker). */
  private _rt: ResourceTracker | null = null;
  get resource_tracker(): ResourceTracker {
    this._rt ??= new ResourceTracker({
      release: this.release,
      host: this.host,
      conf: this.deps.conf,
      log: this.deps.log,
      world: this.deps.world,
      driver: this.driver,
      conductor_api: this.deps.conductor_api,
    });
    return this._rt;
  }

  /**
   * pre_start_hook: after the service record, before the RPC server,
   * update_available_resource once so the compute node row exists.
   */
  async pre_start_hook(ctxt: unknown): Promise<void> {
    try {
      await this.update_available_resource(ctxt);
    } catch (e) {
      // 2014.2 / 2015.1.0 let this end the start (nova-compute exits). The
      // model goes on, as its init_host does when the instance list fails,
      // so an upgrade-order mistake still shows its later messages.
      this.deps.log('error', `update_available_resource failed at start-up (nova-compute ${RELEASE_INFO[this.release].tag} would exit here): ${(e as Error).message.split('\n')[0]}`, ctxt);
    }
  }

  /**
   * The update_available_resource periodic task (also run by
   * pre_start_hook): the node's resource tracker; 12.0.0 catches and logs
   * its failures, 2014.2 and 2015.1.0 let them out. The orphan compute node
   * clean-up that follows is not modelled.
   */
  async update_available_resource(ctxt: unknown): Promise<void> {
    const rt = this.resource_tracker;
    if (!libertyOrLater(this.release)) return rt.update_available_resource(ctxt);
    try {
      await rt.update_available_resource(ctxt);
    } catch (e) {
      if (isPy(e, 'ComputeHostNotFound')) {
        this.deps.log('info', `Compute node '${rt.nodename}' not found in update_available_resource.`, ctxt);
        this._rt = null;
        return;
      }
      this.deps.log('error', `Error updating resources for node ${rt.nodename}: ${(e as Error).message.split('\n')[0]}`, ctxt);
    }
  }

  /**
   * init_host: the VMs on this host survive a nova-compute restart, so the
   * driver learns them back from InstanceList.get_by_host (object_class_action
   * through conductor), as _init_instance walks them in nova.
   */
  async init_host(ctxt: unknown): Promise<void> {
    const world = this.deps.world;
    const cls = world.registry.latest('InstanceList');
    if (!cls) return;
    try {
      const list = await remotable_classmethod_call(world, cls, ctxt, 'get_by_host', [this.host], {});
      const objects = (attr<unknown[]>(list, 'objects') ?? []) as unknown[];
      for (const inst of objects) {
        const ps = Number(attr(inst, 'power_state') ?? 0);
        if (ps !== power_state.NOSTATE) this.driver.vms.set(this.uuid(inst), ps);
      }
      this.deps.log('debug', `init_host: ${objects.length} instance(s) on ${this.host}`, ctxt);
      for (const inst of objects) await this._init_instance(ctxt, inst);
    } catch (e) {
      this.deps.log('warning', `init_host could not list instances: ${(e as Error).message}`, ctxt);
    }
  }

  /**
   * The part of _init_instance (2014.2, 2015.1.0, 12.0.0 alike here) that
   * finishes a power request a previous process of this service never did
   * (it died with the stop_instance / start_instance cast): an instance left
   * in task_state powering-off / powering-on gets the request retried
   * (12.0.0 passes clean_shutdown=True), and a failure is only logged so it
   * does not block init_host. Other transitional states are not modelled.
   */
  protected async _init_instance(ctxt: unknown, instance: unknown): Promise<void> {
    if (attr(instance, 'vm_state') === vm_states.ERROR) return;
    const task = attr<string | null>(instance, 'task_state');
    if (task !== task_states.POWERING_OFF && task !== task_states.POWERING_ON) return;
    const stop = task === task_states.POWERING_OFF;
    this.log('debug', `Instance in transitional state ${task} at start-up retrying ${stop ? 'stop' : 'start'} request`, ctxt, instance);
    try {
      const args: Kwargs = stop && libertyOrLater(this.release) ? { instance, clean_shutdown: true } : { instance };
      const fn = (stop ? this.stop_instance : this.start_instance) as (c: unknown, k: Kwargs) => Promise<void>;
      await fn.call(this, ctxt, args);
    } catch (e) {
      this.log('error', `${stop ? 'Failed to stop instance' : 'Failed to start instance'}: ${(e as Error).message}`, ctxt, instance);
    }
  }

  // ---------------------------------------------------------------- build

  /**
   * build_and_run_instance -> _do_build_and_run_instance ->
   * _build_and_run_instance (2014.2 / 2015.1.0 / 12.0.0 alike for what is
   * modelled). A spawn failure aborts the resource claim (which flags the
   * in-memory instance vm_state DELETED, as abort_instance_claim does) and
   * becomes RescheduledException; with retry information the instance goes
   * back to task_state SCHEDULING (that save also writes the DELETED flag)
   * and to conductor's build_instances, which schedules it elsewhere;
   * without, a fault is recorded and the instance set to ERROR.
   */
  async build_and_run_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const filter_properties = (kw.filter_properties ?? {}) as Kwargs;
    this.log('info', 'Starting instance...', ctxt, instance);
    try {
      this.setf(instance, { vm_state: vm_states.BUILDING, task_state: null });
      await this.save(instance, { expected_task_state: [task_states.SCHEDULING, null] });
    } catch (e) {
      if (isPy(e, 'InstanceNotFound') || isPy(e, 'UnexpectedTaskStateError')) {
        this.log('debug', (e as Error).message, ctxt, instance);
        return;
      }
      throw e;
    }
    try {
      await this._build_and_run_instance(ctxt, instance, kw);
    } catch (e) {
      if (isPy(e, 'RescheduledException')) {
        const retry = filter_properties.retry as Kwargs | undefined;
        if (!retry) {
          this.log('debug', 'Retry info not present, will not reschedule', ctxt, instance);
          await addInstanceFaultFromExc(this._decoratorHost(), ctxt, instance, e);
          await this._set_instance_error_state(ctxt, instance);
          return;
        }
        this.log('debug', (e as Error).message, ctxt, instance);
        retry.exc = [`Traceback (most recent call last):\n`, `RescheduledException: ${(e as Error).message}\n`];
        this.setf(instance, { task_state: task_states.SCHEDULING });
        await this.save(instance);
        await this.rpc(this.deps.compute_task_api, 'build_instances', ctxt, {
          instances: [instance],
          image: kw.image,
          filter_properties,
          admin_password: kw.admin_password ?? null,
          injected_files: kw.injected_files ?? null,
          requested_networks: kw.requested_networks ?? null,
          security_groups: kw.security_groups ?? null,
          block_device_mapping: kw.block_device_mapping ?? null,
          legacy_bdm: false,
        });
        return;
      }
      if (isPy(e, 'InstanceNotFound') || isPy(e, 'UnexpectedDeletingTaskStateError')) {
        this.log('info', `Instance disappeared during build (${(e as Error).message})`, ctxt, instance);
        this.driver.destroy(this.uuid(instance));
        return;
      }
      this.log('error', `Build of instance ${this.uuid(instance)} aborted: ${(e as Error).message}`, ctxt, instance);
      await addInstanceFaultFromExc(this._decoratorHost(), ctxt, instance, e);
      await this._set_instance_error_state(ctxt, instance);
      return;
    }
    await this._update_scheduler_instance_info(ctxt, instance);
  }

  /** _build_and_run_instance: claim, block devices, spawn; a spawn failure is RescheduledException. */
  protected async _build_and_run_instance(ctxt: unknown, instance: unknown, kw: Kwargs): Promise<void> {
    try {
      await this._claim(ctxt, instance, kw.node);
    } catch (e) {
      // except exception.ComputeResourcesUnavailable as e: ... raise exception.RescheduledException
      if (!isPy(e, 'ComputeResourcesUnavailable')) throw e;
      const reason = (e as Error).message;
      this.log('debug', reason, ctxt, instance);
      throw new NovaException('RescheduledException', `Build of instance ${this.uuid(instance)} was re-scheduled: ${reason}`, { instance_uuid: this.uuid(instance), reason });
    }
    try {
      // _build_resources: networks, then block devices
      await this._build_networks_for_instance(ctxt, instance, kw.requested_networks);
      this.setf(instance, { vm_state: vm_states.BUILDING, task_state: task_states.BLOCK_DEVICE_MAPPING });
      await this.save(instance);
      await this._prep_block_device(ctxt, instance, kw.block_device_mapping);
      this.setf(instance, { vm_state: vm_states.BUILDING, task_state: task_states.SPAWNING });
      await this.save(instance, { expected_task_state: task_states.BLOCK_DEVICE_MAPPING });
      this.driver.spawn(this.uuid(instance));
    } catch (e) {
      // Claim.__exit__ -> abort -> rt.abort_instance_claim: instance['vm_state'] = DELETED (in memory)
      this.setf(instance, { vm_state: vm_states.DELETED });
      if (isPy(e, 'InstanceNotFound') || isPy(e, 'UnexpectedDeletingTaskStateError') || isPy(e, 'BuildAbortException')) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      throw new NovaException('RescheduledException', `Build of instance ${this.uuid(instance)} was re-scheduled: ${reason}`, {
        instance_uuid: this.uuid(instance),
        reason,
      });
    }
    this.log('info', 'Instance spawned successfully.', ctxt, instance);
    this._update_instance_after_spawn(ctxt, instance);
    await this.save(instance, { expected_task_state: task_states.SPAWNING });
  }

  /** nova.utils.is_neutron() for this compute: [DEFAULT] network_api_class. */
  protected is_neutron(): boolean {
    const cls = this.deps.conf.get('DEFAULT', 'network_api_class') ?? 'nova.network.api.API';
    return cls === 'nova.network.neutronv2.api.API' || cls === 'nova.network.quantumv2.api.API';
  }

  /**
   * _build_networks_for_instance -> network_api.allocate_for_instance: one
   * VIF per requested network (the default network when none is asked for),
   * in the shape the configured network API gives it (nova-network: a Linux
   * bridge br100; neutron: an OVS port on br-int), stored in the instance's
   * info_cache (saved through conductor).
   */
  protected async _build_networks_for_instance(ctxt: unknown, instance: unknown, requested_networks: unknown): Promise<void> {
    // A NetworkRequestList, or (2014.1, and Juno's 3.23 messages) a list of (network_id, address, port_id) tuples.
    const requests = Array.isArray(requested_networks)
      ? (requested_networks as unknown[][]).map((t) => ({ network_id: t[0] ?? null, address: t[1] ?? null, port_id: t[2] ?? null }))
      : ((attr<unknown[]>(requested_networks, 'objects') ?? []) as unknown[]);
    const asked = requests.length ? requests : [null];
    const neutron = this.is_neutron();
    const uuid = this.uuid(instance);
    const vifs = asked.map((req, i) => {
      const net_id = (attr<string>(req, 'network_id') ?? null) || 'private';
      const port_id = (attr<string>(req, 'port_id') ?? null) || `${uuid.slice(0, 8)}-${String(i + 1).padStart(4, '0')}-4000-8000-${uuid.slice(-12)}`;
      const address = (attr<string>(req, 'address') ?? null) || `10.0.${i}.${3 + (parseInt(uuid.slice(0, 2), 16) % 200)}`;
      const network = {
        id: net_id,
        bridge: neutron ? 'br-int' : 'br100',
        label: net_id,
        subnets: [{ cidr: `10.0.${i}.0/24`, ips: [{ address, type: 'fixed', version: 4, floating_ips: [] }], gateway: { address: `10.0.${i}.1` }, dns: [], routes: [], version: 4 }],
        meta: neutron ? { injected: false, tenant_id: attr(instance, 'project_id') ?? null } : { multi_host: false, should_create_bridge: true, tenant_id: attr(instance, 'project_id') ?? null },
      };
      return neutron
        ? { id: port_id, address: `fa:16:3e:00:0${i}:${uuid.slice(0, 2)}`, type: 'ovs', devname: `tap${port_id.slice(0, 11)}`, ovs_interfaceid: port_id, network, details: { port_filter: true, ovs_hybrid_plug: true }, active: true, vnic_type: 'normal' }
        : { id: port_id, address: `fa:16:3e:00:0${i}:${uuid.slice(0, 2)}`, type: 'bridge', devname: null, ovs_interfaceid: null, network, details: {}, active: false, vnic_type: 'normal' };
    });
    this.log('debug', `Allocated network(s) through ${neutron ? 'neutron' : 'nova-network'}: ${vifs.map((v) => `${v.network.id} ${v.network.subnets[0]!.ips[0]!.address}`).join(', ')}`, ctxt, instance);
    const cache = attr<VersionedObject | null>(instance, 'info_cache');
    if (cache instanceof VersionedObject) {
      cache.set('network_info', vifs);
      await this.save(instance);
    }
  }

  /** _prep_block_device: connect every volume BDM (initialize_connection) and save its connection_info. */
  protected async _prep_block_device(ctxt: unknown, instance: unknown, block_device_mapping: unknown): Promise<void> {
    const bdms = (attr<unknown[]>(block_device_mapping, 'objects') ?? []) as unknown[];
    // _default_block_device_names: the root is /dev/vda, the others follow
    const used = new Set(bdms.map((b) => attr<string>(b, 'device_name')).filter(Boolean));
    const nextName = () => {
      for (let i = 1; i < 26; i++) {
        const n = `/dev/vd${String.fromCharCode(97 + i)}`;
        if (!used.has(n)) {
          used.add(n);
          return n;
        }
      }
      return null;
    };
    for (const bdm of bdms) {
      if (!(bdm instanceof VersionedObject) || attr(bdm, 'destination_type') !== 'volume') continue;
      this.driver.fail('attach_volume');
      if (!attr(bdm, 'device_name')) bdm.set('device_name', attr(bdm, 'boot_index') === 0 ? '/dev/vda' : nextName());
      bdm.set('connection_info', this._connection_info(bdm.get('volume_id')));
      await remotable_call(bdm, 'save', [], {});
      this.log('info', `Volume ${String(bdm.get('volume_id'))} connected as ${String(attr(bdm, 'device_name') ?? '')}`, ctxt, instance);
    }
  }

  _update_instance_after_spawn(ctxt: unknown, instance: unknown): void {
    this.setf(instance, {
      power_state: this._get_power_state(ctxt, instance),
      vm_state: vm_states.ACTIVE,
      task_state: null,
      launched_at: this.deps.now(),
    });
  }

  // ---------------------------------------------------------------- power

  async stop_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const current = this._get_power_state(ctxt, instance);
    this.log(
      'debug',
      `Stopping instance; current vm_state: ${String(attr(instance, 'vm_state'))}, current task_state: ${String(attr(instance, 'task_state'))}, current DB power_state: ${String(attr(instance, 'power_state'))}, current VM power_state: ${current}`,
      ctxt,
      instance,
    );
    const expected: (string | null)[] = [task_states.POWERING_OFF];
    if (([power_state.NOSTATE, power_state.SHUTDOWN, power_state.CRASHED] as number[]).includes(current)) expected.push(null);
    this.driver.power_off(this.uuid(instance));
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), vm_state: vm_states.STOPPED, task_state: null });
    await this.save(instance, { expected_task_state: expected });
  }

  async start_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.driver.power_on(this.uuid(instance));
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), vm_state: vm_states.ACTIVE, task_state: null });
    await this.save(instance, { expected_task_state: task_states.POWERING_ON });
  }

  async reboot_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const soft = kw.reboot_type === 'SOFT';
    const [pending, started, expected] = soft
      ? [task_states.REBOOT_PENDING, task_states.REBOOT_STARTED, [task_states.REBOOTING, task_states.REBOOT_PENDING, task_states.REBOOT_STARTED]]
      : [
          task_states.REBOOT_PENDING_HARD,
          task_states.REBOOT_STARTED_HARD,
          [task_states.REBOOTING_HARD, task_states.REBOOT_PENDING_HARD, task_states.REBOOT_STARTED_HARD],
        ];
    this.log('info', 'Rebooting instance', ctxt, instance);
    this.setf(instance, { task_state: pending });
    await this.save(instance, { expected_task_state: expected });
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), task_state: started });
    await this.save(instance, { expected_task_state: pending });
    this.driver.power_on(this.uuid(instance));
    const new_vm_state = attr(instance, 'vm_state') === vm_states.RESCUED ? vm_states.RESCUED : vm_states.ACTIVE;
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), vm_state: new_vm_state, task_state: null });
    await this.save(instance);
  }

  async pause_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.driver.pause(this.uuid(instance));
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), vm_state: vm_states.PAUSED, task_state: null });
    await this.save(instance, { expected_task_state: task_states.PAUSING });
  }

  async unpause_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.driver.power_on(this.uuid(instance));
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), vm_state: vm_states.ACTIVE, task_state: null });
    await this.save(instance, { expected_task_state: task_states.UNPAUSING });
  }

  async suspend_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    // libvirt's suspend detaches the instance's PCI devices first:
    // pci_manager.get_instance_pci_devs(instance) reads instance.pci_devices,
    // lazy-loaded through conductor (the model does it on hosts with a PCI whitelist).
    if (this.driver.pciDevices().length > 0 && instance instanceof VersionedObject) {
      await loadInstanceAttr(instance, 'pci_devices');
      const devs = instance.get<VersionedObject>('pci_devices').get<VersionedObject[]>('objects');
      this.log('debug', `detaching PCI devices: ${devs.map((d) => `${String(d.get('address'))} (PciDevice ${d.VERSION})`).join(', ') || 'none'}`, ctxt, instance);
    }
    this.driver.suspend(this.uuid(instance));
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), vm_state: vm_states.SUSPENDED, task_state: null });
    await this.save(instance, { expected_task_state: task_states.SUSPENDING });
  }

  async resume_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.driver.power_on(this.uuid(instance));
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), vm_state: vm_states.ACTIVE, task_state: null });
    await this.save(instance, { expected_task_state: task_states.RESUMING });
  }

  async rescue_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.log('info', 'Rescuing', ctxt, instance);
    this.driver.power_off(this.uuid(instance));
    this.driver.power_on(this.uuid(instance));
    this.setf(instance, {
      vm_state: vm_states.RESCUED,
      task_state: null,
      power_state: this._get_power_state(ctxt, instance),
      launched_at: this.deps.now(),
    });
    await this.save(instance, { expected_task_state: task_states.RESCUING });
  }

  async unrescue_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.log('info', 'Unrescuing', ctxt, instance);
    this.driver.power_on(this.uuid(instance));
    this.setf(instance, { vm_state: vm_states.ACTIVE, task_state: null, power_state: this._get_power_state(ctxt, instance) });
    await this.save(instance, { expected_task_state: task_states.UNRESCUING });
  }

  // ---------------------------------------------------------------- shelve

  async shelve_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const image_id = kw.image_id as string | null;
    this.driver.power_off(this.uuid(instance));
    // driver.snapshot(..., update_task_state) with the shelving state map
    this.setf(instance, { task_state: task_states.SHELVING_IMAGE_PENDING_UPLOAD });
    await this.save(instance, { expected_task_state: task_states.SHELVING });
    this.setf(instance, { task_state: task_states.SHELVING_IMAGE_UPLOADING });
    await this.save(instance, { expected_task_state: task_states.SHELVING_IMAGE_PENDING_UPLOAD });

    this.updateSysmeta(instance, { shelved_at: this.strtime(), shelved_image_id: image_id, shelved_host: this.host });
    const offloadNow = this.deps.conf.shelved_offload_time === 0;
    this.setf(instance, {
      vm_state: vm_states.SHELVED,
      task_state: offloadNow ? task_states.SHELVING_OFFLOADING : null,
      power_state: this._get_power_state(ctxt, instance),
    });
    await this.save(instance, { expected_task_state: [task_states.SHELVING, task_states.SHELVING_IMAGE_UPLOADING] });
    this.log('info', 'Instance shelved', ctxt, instance);
    if (offloadNow) {
      // A direct call, not RPC: Juno passes no clean_shutdown, Kilo/Liberty pass False.
      const args: Kwargs = this.junoOrOlder ? { instance } : { instance, clean_shutdown: false };
      await (this.shelve_offload_instance as (c: unknown, k: Kwargs) => Promise<void>).call(this, ctxt, args);
    }
  }

  async shelve_offload_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.driver.power_off(this.uuid(instance));
    const current = this._get_power_state(ctxt, instance);
    this.driver.destroy(this.uuid(instance));
    this.setf(instance, {
      power_state: current,
      host: null,
      node: null,
      vm_state: vm_states.SHELVED_OFFLOADED,
      task_state: null,
    });
    await this.save(instance, { expected_task_state: [task_states.SHELVING, task_states.SHELVING_OFFLOADING] });
    this.log('info', 'Instance shelved offloaded', ctxt, instance);
    if (libertyOrLater(this.release)) await this._delete_scheduler_instance_info(ctxt, this.uuid(instance));
  }

  async unshelve_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.log('info', 'Unshelving', ctxt, instance);
    this.setf(instance, { task_state: task_states.SPAWNING });
    await this.save(instance);
    await this._claim(ctxt, instance, kw.node);
    this.driver.spawn(this.uuid(instance));
    const image = kw.image;
    const imageId = attr<string>(image, 'id');
    if (imageId && this.release === 'juno') this.setf(instance, { image_ref: imageId });
    this._update_instance_after_spawn(ctxt, instance);
    await this.save(instance, { expected_task_state: task_states.SPAWNING });
    await this._update_scheduler_instance_info(ctxt, instance);
  }

  // ---------------------------------------------------------------- resize

  /** migration.status = status; migration.save() (a Migration object; through conductor on a compute). */
  protected async _migration_status(migration: unknown, status: string): Promise<void> {
    if (migration instanceof VersionedObject) {
      migration.set('status', status);
      await remotable_call(migration, 'save', [], {});
    }
  }

  /**
   * Destination: stash old_vm_state, then the resource tracker's resize_claim
   * creates the Migration row (status pre-migrating), and resize_instance goes
   * to the source with it.
   */
  async prep_resize(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const instance_type = kw.instance_type;
    const node = (kw.node as string | null) ?? this.host;
    this.updateSysmeta(instance, { old_vm_state: String(attr(instance, 'vm_state')) });
    await this.save(instance);
    // ResourceTracker._create_migration
    const Migration = this.deps.world.registry.get('Migration');
    const migration = new Migration({}, { context: ctxt, world: this.deps.world });
    const values: Kwargs = {
      dest_compute: this.host,
      dest_node: node,
      dest_host: this.host,
      old_instance_type_id: attr(instance, 'instance_type_id') ?? null,
      new_instance_type_id: attr(instance_type, 'id') ?? null,
      status: 'pre-migrating',
      instance_uuid: this.uuid(instance),
      source_compute: attr<string>(instance, 'host') ?? null,
      source_node: attr<string>(instance, 'node') ?? null,
    };
    if (libertyOrLater(this.release)) values.migration_type = values.old_instance_type_id !== values.new_instance_type_id ? 'resize' : 'migration';
    for (const [k, v] of Object.entries(values)) migration.set(k, v);
    await remotable_call(migration, 'create', [], {});
    this.log('info', 'Migrating', ctxt, instance);
    const args: Kwargs = {
      instance,
      migration,
      image: kw.image,
      instance_type,
      reservations: kw.reservations ?? null,
    };
    if (!this.junoOrOlder) args.clean_shutdown = kw.clean_shutdown ?? true;
    await this.rpc(this.compute_rpcapi, 'resize_instance', ctxt, args);
  }

  /** Source: power off, move the disk, hand over to the destination. */
  async resize_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const migration = kw.migration;
    await this._migration_status(migration, 'migrating');
    this.setf(instance, { task_state: task_states.RESIZE_MIGRATING });
    await this.save(instance, { expected_task_state: task_states.RESIZE_PREP });
    this.driver.fail('resize');
    this.driver.power_off(this.uuid(instance));
    this.driver.destroy(this.uuid(instance));
    await this._migration_status(migration, 'post-migrating');
    this.setf(instance, {
      host: attr(migration, 'dest_compute') ?? null,
      node: attr(migration, 'dest_node') ?? null,
      task_state: task_states.RESIZE_MIGRATED,
    });
    await this.save(instance, { expected_task_state: task_states.RESIZE_MIGRATING });
    await this.rpc(this.compute_rpcapi, 'finish_resize', ctxt, {
      instance,
      migration,
      image: kw.image,
      disk_info: '[]',
      host: attr(migration, 'dest_compute'),
      reservations: kw.reservations ?? null,
    });
  }

  /** Destination: the instance runs here now, RESIZED until confirmed or reverted. */
  async finish_resize(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const migration = kw.migration;
    const newType = attr(migration, 'new_instance_type_id');
    if (newType !== null && newType !== undefined) this.setf(instance, { instance_type_id: newType });
    this.setf(instance, { task_state: task_states.RESIZE_FINISH });
    await this.save(instance, { expected_task_state: task_states.RESIZE_MIGRATED });
    const sysmeta = attr<Record<string, string>>(instance, 'system_metadata') ?? {};
    const oldVmState = sysmeta.old_vm_state ?? vm_states.ACTIVE;
    this.driver.spawn(this.uuid(instance));
    if (oldVmState === vm_states.STOPPED) this.driver.power_off(this.uuid(instance));
    await this._migration_status(migration, 'finished');
    this.setf(instance, {
      vm_state: vm_states.RESIZED,
      task_state: null,
      power_state: this._get_power_state(ctxt, instance),
      launched_at: this.deps.now(),
    });
    await this.save(instance, { expected_task_state: task_states.RESIZE_FINISH });
    this.log('info', 'Instance resized; waiting for confirm or revert', ctxt, instance);
  }

  /** Source: forget the old VM; the instance stays where it runs; the migration is confirmed. */
  async confirm_resize(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.updateSysmeta(instance, { old_vm_state: undefined });
    await this._migration_status(kw.migration, 'confirmed');
    const ps = Number(attr(instance, 'power_state') ?? power_state.RUNNING);
    this.setf(instance, { vm_state: ps === power_state.SHUTDOWN ? vm_states.STOPPED : vm_states.ACTIVE, task_state: null });
    await this.save(instance, { expected_task_state: [null, task_states.DELETING] });
    this.log('info', 'Resize confirmed', ctxt, instance);
  }

  /** Destination: destroy the new VM, mark the migration reverted, then finish_revert_resize on the source. */
  async revert_resize(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const migration = kw.migration;
    this.driver.destroy(this.uuid(instance));
    await this._migration_status(migration, 'reverted');
    await this.rpc(this.compute_rpcapi, 'finish_revert_resize', ctxt, {
      instance,
      migration,
      host: attr(migration, 'source_compute'),
      reservations: kw.reservations ?? null,
    });
  }

  async finish_revert_resize(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const migration = kw.migration;
    const sysmeta = attr<Record<string, string>>(instance, 'system_metadata') ?? {};
    const oldVmState = sysmeta.old_vm_state ?? vm_states.ACTIVE;
    const oldType = attr(migration, 'old_instance_type_id');
    if (oldType !== null && oldType !== undefined) this.setf(instance, { instance_type_id: oldType });
    this.updateSysmeta(instance, { old_vm_state: undefined });
    this.setf(instance, { host: attr(migration, 'source_compute') ?? this.host, node: attr(migration, 'source_node') ?? this.host });
    this.driver.spawn(this.uuid(instance));
    if (oldVmState === vm_states.STOPPED) {
      this.setf(instance, { task_state: task_states.POWERING_OFF, power_state: this._get_power_state(ctxt, instance) });
      await this.save(instance);
      const args: Kwargs = libertyOrLater(this.release) ? { instance, clean_shutdown: true } : { instance };
      await (this.stop_instance as (c: unknown, k: Kwargs) => Promise<void>).call(this, ctxt, args);
    } else {
      this.setf(instance, { vm_state: vm_states.ACTIVE, task_state: null, power_state: this._get_power_state(ctxt, instance) });
      await this.save(instance);
    }
    this.log('info', 'Resize reverted', ctxt, instance);
  }

  // ---------------------------------------------------------------- live migration

  /** Destination: check, then ask the source (a call) and return what it says. */
  /**
   * _get_compute_info: 2014.2 reads Service.get_by_compute_host(host).compute_node
   * (a Kilo or Liberty conductor backports that Service to 1.4 and puts the
   * compute node in: Service._do_compute_node); 2015.1.0 and 12.0.0 ask for
   * ComputeNode.get_first_node_by_host_for_old_compat(host).
   */
  async _get_compute_info(ctxt: unknown, host: string): Promise<VersionedObject> {
    const world = this.deps.world;
    if (this.release === 'icehouse') {
      // 2014.1: conductor_api.service_get_by_compute_host(context, host)['compute_node'][0] (dicts)
      const client = (this.deps.conductor_api as { client?: { prepare(o?: object): { call(c: unknown, m: string, k: Kwargs): Promise<unknown> } } } | null | undefined)?.client;
      if (!client) throw new PyException('AttributeError', 'exceptions', "'API' object has no attribute 'service_get_by_compute_host'");
      const services = (await client.prepare().call(ctxt, 'service_get_all_by', { topic: 'compute', host, binary: null })) as Array<{ compute_node?: unknown[] }>;
      const node = services[0]?.compute_node?.[0];
      if (!node) throw new PyException('NotFound', 'nova.exception', `Host ${host} not found`);
      return node as VersionedObject;
    }
    if (this.release === 'juno') {
      const service = (await remotable_classmethod_call(world, world.registry.get('Service'), ctxt, 'get_by_compute_host', [host], {})) as VersionedObject;
      return loadServiceComputeNode(service);
    }
    return (await remotable_classmethod_call(world, world.registry.get('ComputeNode'), ctxt, 'get_first_node_by_host_for_old_compat', [host], {})) as VersionedObject;
  }

  async check_can_live_migrate_destination(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const instance = kw.instance;
    // src_compute_info / dst_compute_info: obj_to_primitive of each host's compute node, for the driver
    const src = await this._get_compute_info(ctxt, String(attr(instance, 'host')));
    const dst = await this._get_compute_info(ctxt, this.host);
    // 2014.1 gets dicts (the compute_nodes rows), later releases ComputeNode objects.
    const describe = (n: unknown) => (n instanceof VersionedObject ? `${String(n.get('hypervisor_hostname'))} (ComputeNode ${n.VERSION})` : `${String(attr(n, 'hypervisor_hostname'))} (a compute_nodes row)`);
    this.log('debug', `compute info: source ${describe(src)}, destination ${describe(dst)}`, ctxt, instance);
    this.driver.fail('check_can_live_migrate_destination');
    const dest_check_data: Record<string, unknown> = {
      block_migration: kw.block_migration ?? false,
      disk_over_commit: kw.disk_over_commit ?? false,
      disk_available_mb: 100 * 1024,
      dest_host: this.host,
    };
    const from_source = (await this.rpc(this.compute_rpcapi, 'check_can_live_migrate_source', ctxt, { instance, dest_check_data })) as Record<string, unknown> | null;
    return { ...(from_source ?? {}) };
  }

  /**
   * Source: the instance must run here. Like the libvirt driver it reports
   * the storage layout: the simulated instance directories are shared unless
   * the instance boots from a volume (no local disk), so that
   * _live_migration_cleanup_flags asks the destination to clean up then.
   */
  async check_can_live_migrate_source(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const instance = kw.instance;
    this.driver.fail('check_can_live_migrate_source');
    if (attr(instance, 'host') !== this.host) {
      throw new NovaException('MigrationPreCheckError', `Migration pre-check error: instance is not on ${this.host}`, { reason: `instance is not on ${this.host}` });
    }
    const is_volume_backed = !attr(instance, 'image_ref');
    return {
      ...((kw.dest_check_data ?? {}) as Record<string, unknown>),
      is_volume_backed,
      is_shared_block_storage: true,
      is_shared_instance_path: !is_volume_backed,
      source_host: this.host,
    };
  }

  async pre_live_migration(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    this.driver.fail('pre_live_migration');
    this.log('debug', 'pre_live_migration data is prepared', ctxt, kw.instance);
    return {};
  }

  /** Source (a cast): pre_live_migration on the destination, move, post on the destination. */
  async live_migration(ctxt: unknown, kw: Kwargs): Promise<void> {
    return this._live_migration(ctxt, kw);
  }

  protected async _live_migration(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const dest = kw.dest as string;
    const block_migration = kw.block_migration ?? false;
    // 13.0.0: a LiveMigrateData object, which the client fills from the destination's answer
    let migrate_data: Record<string, unknown> | VersionedObject = isLiveMigrateData(kw.migrate_data)
      ? (kw.migrate_data as VersionedObject)
      : { ...((kw.migrate_data ?? {}) as Record<string, unknown>) };
    try {
      const pre = await this.rpc(this.compute_rpcapi, 'pre_live_migration', ctxt, {
        instance,
        block_migration,
        disk: null,
        host: dest,
        migrate_data,
      });
      if (isLiveMigrateData(migrate_data)) migrate_data = isLiveMigrateData(pre) ? (pre as VersionedObject) : migrate_data;
      else (migrate_data as Record<string, unknown>).pre_live_migration_result = pre;
    } catch (e) {
      this.log('error', `Pre live migration failed at ${dest}: ${(e as Error).message}`, ctxt, instance);
      await this._rollback_live_migration(ctxt, instance, dest, block_migration, migrate_data);
      throw e;
    }
    // driver.live_migration -> _post_live_migration
    this.driver.destroy(this.uuid(instance));
    await this.rpc(this.compute_rpcapi, 'post_live_migration_at_destination', ctxt, {
      instance,
      block_migration,
      host: dest,
    });
    this.log('info', `Migrating instance to ${dest} finished successfully.`, ctxt, instance);
  }

  /**
   * _rollback_live_migration: the task goes back to None (2014.2 also sets
   * vm_state ACTIVE); the destination drops its volume connections
   * (remove_volume_connection per volume BDM) and, when
   * _live_migration_cleanup_flags says so, cleans up
   * (rollback_live_migration_at_destination).
   */
  async _rollback_live_migration(ctxt: unknown, instance: unknown, dest?: string, block_migration: unknown = false, migrate_data: Record<string, unknown> | VersionedObject | null = null): Promise<void> {
    if (this.junoOrOlder) this.setf(instance, { vm_state: vm_states.ACTIVE });
    this.setf(instance, { task_state: null });
    await this.save(instance, { expected_task_state: [task_states.MIGRATING] });
    if (!dest) return;
    for (const bdm of await this._bdms_of(ctxt, instance)) {
      if (attr(bdm, 'destination_type') === 'volume') {
        await this.rpc(this.compute_rpcapi, 'remove_volume_connection', ctxt, { instance, volume_id: attr(bdm, 'volume_id'), host: dest });
      }
    }
    // _live_migration_cleanup_flags
    let is_shared_block_storage = !block_migration;
    let is_shared_instance_path = !block_migration;
    if (isLiveMigrateData(migrate_data)) {
      // 13.0.0: the object's fields, when it has them
      if (migrate_data.obj_attr_is_set('is_shared_block_storage' as never)) is_shared_block_storage = Boolean(migrate_data.get('is_shared_block_storage'));
      if (migrate_data.obj_attr_is_set('is_shared_instance_path' as never)) is_shared_instance_path = Boolean(migrate_data.get('is_shared_instance_path'));
    } else if (migrate_data) {
      if ('is_shared_block_storage' in migrate_data) is_shared_block_storage = Boolean(migrate_data.is_shared_block_storage);
      if ('is_shared_instance_path' in migrate_data) is_shared_instance_path = Boolean(migrate_data.is_shared_instance_path);
    }
    const do_cleanup = Boolean(block_migration) || !is_shared_instance_path;
    if (do_cleanup) {
      await this.rpc(this.compute_rpcapi, 'rollback_live_migration_at_destination', ctxt, {
        instance,
        host: dest,
        destroy_disks: !is_shared_block_storage,
        migrate_data,
      });
    }
    this.log('info', `Live migration to ${dest} rolled back`, ctxt, instance);
  }

  /** objects.BlockDeviceMappingList.get_by_instance_uuid (through conductor), [] where the release's world has none. */
  protected async _bdms_of(ctxt: unknown, instance: unknown): Promise<unknown[]> {
    const cls = this.deps.world.registry.latest('BlockDeviceMappingList');
    if (!cls) return [];
    const list = await remotable_classmethod_call(this.deps.world, cls, ctxt, 'get_by_instance_uuid', [this.uuid(instance)], {});
    return ((attr<unknown[]>(list, 'objects') ?? []) as unknown[]);
  }

  async post_live_migration_at_destination(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.log('info', 'Post operation of migration started', ctxt, instance);
    this.driver.spawn(this.uuid(instance));
    if (Number(attr(instance, 'power_state')) === power_state.PAUSED) this.driver.pause(this.uuid(instance));
    this.setf(instance, { host: this.host, power_state: this._get_power_state(ctxt, instance), task_state: null, node: this.host });
    if (this.junoOrOlder) this.setf(instance, { vm_state: vm_states.ACTIVE });
    await this.save(instance, { expected_task_state: task_states.MIGRATING });
    await this._update_scheduler_instance_info(ctxt, instance);
  }

  async rollback_live_migration_at_destination(ctxt: unknown, kw: Kwargs): Promise<void> {
    this.driver.destroy(this.uuid(kw.instance));
    this.log('info', 'Rolled back live migration at destination', ctxt, kw.instance);
  }

  // ---------------------------------------------------------------- volumes

  /** The simulated volume service's answer to initialize_connection for this host. */
  protected _connection_info(volume_id: unknown): string {
    return JSON.stringify({ driver_volume_type: 'iscsi', serial: volume_id, data: { volume_id, target_portal: '192.0.2.100:3260', target_iqn: `iqn.2010-10.org.openstack:volume-${String(volume_id)}`, initiator_host: this.host } });
  }

  /**
   * reserve_block_device_name (a call from nova-api): the next free device
   * name after the instance's BDMs (root /dev/vda), a new volume BDM created
   * through conductor; the BDM object when asked for it (3.35+ / 4.0 proxy),
   * else the device name (12.0.0 and 13.0.0: always the object).
   */
  async reserve_block_device_name(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const instance = kw.instance;
    const bdms = await this._bdms_of(ctxt, instance);
    const used = new Set(bdms.map((b) => attr<string>(b, 'device_name')).filter(Boolean));
    used.add('/dev/vda');
    let device_name = kw.device as string | null;
    if (!device_name) {
      for (let i = 1; i < 26 && !device_name; i++) {
        const candidate = `/dev/vd${String.fromCharCode(97 + i)}`;
        if (!used.has(candidate)) device_name = candidate;
      }
    }
    const BDM = this.deps.world.registry.get('BlockDeviceMapping');
    const bdm = new BDM({}, { context: ctxt, world: this.deps.world });
    for (const [k, v] of Object.entries({
      source_type: 'volume',
      destination_type: 'volume',
      instance_uuid: this.uuid(instance),
      // 13.0.0 no longer substitutes 'reserved' for a missing volume_id
      volume_id: this.release === 'mitaka' ? (kw.volume_id as string | null) : (kw.volume_id as string | null) || 'reserved',
      device_name,
      disk_bus: kw.disk_bus ?? null,
      device_type: kw.device_type ?? null,
    })) {
      if (Object.prototype.hasOwnProperty.call(bdm.fields, k)) bdm.set(k, v);
    }
    await remotable_call(bdm, 'create', [], {});
    // 2014.2 / 2015.1.0: the object only when asked (return_bdm_object); 12.0.0 and 13.0.0 always return new_bdm.
    return libertyOrLater(this.release) || kw.return_bdm_object ? bdm : device_name;
  }

  /** attach_volume: load the BDM when none came (3.x without one), connect, save connection_info. */
  async attach_volume(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    let bdm = kw.bdm as VersionedObject | null | undefined;
    if (!bdm) {
      const BDM = this.deps.world.registry.get('BlockDeviceMapping');
      bdm = (await remotable_classmethod_call(this.deps.world, BDM, ctxt, 'get_by_volume_id', [kw.volume_id], {})) as VersionedObject;
    }
    this.driver.fail('attach_volume');
    bdm.set('connection_info', this._connection_info(bdm.get('volume_id')));
    await remotable_call(bdm, 'save', [], {});
    this.log('info', `Attaching volume ${String(bdm.get('volume_id'))} to ${String(bdm.get('device_name'))}`, ctxt, instance);
  }

  /** detach_volume: disconnect, terminate the connection, destroy the BDM. */
  async detach_volume(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    const BDM = this.deps.world.registry.get('BlockDeviceMapping');
    const bdm = (await remotable_classmethod_call(this.deps.world, BDM, ctxt, 'get_by_volume_id', [kw.volume_id], {})) as VersionedObject;
    this.log('info', `Detach volume ${String(kw.volume_id)} from mountpoint ${String(bdm.get('device_name'))}`, ctxt, instance);
    await remotable_call(bdm, 'destroy', [], {});
  }

  /**
   * remove_volume_connection(context, volume_id, instance) at every tag:
   * an instance dict is loaded by hand (object_compat cannot be used: the
   * instance is not the first argument); BlockDeviceMapping.get_by_volume_id;
   * driver detach and terminate_connection; `except exception.NotFound: pass`.
   * Called through Kilo's 4.0 proxy the two arguments arrive swapped: the
   * lookup by an Instance finds no BDM and the NotFound is swallowed, so the
   * connection stays.
   */
  async remove_volume_connection(ctxt: unknown, kw: Kwargs): Promise<void> {
    let instance = kw.instance;
    if (instance && typeof instance === 'object' && !(instance instanceof VersionedObject) && !Array.isArray(instance)) {
      instance = instanceFromDict(this.deps.world, ctxt, instance as Record<string, unknown>, ['metadata', 'system_metadata']);
    }
    try {
      const BDM = this.deps.world.registry.get('BlockDeviceMapping');
      const bdm = (await remotable_classmethod_call(this.deps.world, BDM, ctxt, 'get_by_volume_id', [kw.volume_id], {})) as VersionedObject;
      this.log('info', `Removed the connection of volume ${String(bdm.get('volume_id'))} on ${this.host}`, ctxt, instance);
    } catch (e) {
      if (!isPy(e, 'NotFound')) throw e;
      this.log('debug', `remove_volume_connection: ${(e as Error).message.split('\n')[0]} (ignored: except exception.NotFound)`, ctxt);
    }
  }

  // ---------------------------------------------------------------- delete

  async terminate_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.log('info', 'Terminating instance', ctxt, instance);
    try {
      this.driver.destroy(this.uuid(instance));
      this.setf(instance, { vm_state: vm_states.DELETED, task_state: null, terminated_at: this.deps.now() });
      if (!this.junoOrOlder) this.setf(instance, { power_state: power_state.NOSTATE });
      await this.save(instance);
      await remotable_call(instance as VersionedObject, 'destroy', [], {});
      // _complete_deletion -> rt.update_usage: the instance's PCI devices go back to the pool
      await this.resource_tracker.free_pci(ctxt, this.uuid(instance));
    } catch (e) {
      if (isPy(e, 'InstanceNotFound')) {
        this.log('info', 'Instance disappeared during terminate', ctxt, instance);
        return;
      }
      this.log('error', `Setting instance vm_state to ERROR (${(e as Error).message})`, ctxt, instance);
      await this._set_instance_error_state(ctxt, instance);
      throw e;
    }
    this.log('info', 'Instance destroyed successfully.', ctxt, instance);
    await this._delete_scheduler_instance_info(ctxt, this.uuid(instance));
  }
}

/**
 * Icehouse (2014.1): ComputeManager target 3.23 and no other endpoint (no
 * 2.x proxy: Havana computes were upgraded behind `icehouse-compat`). What
 * differs from Juno in the modelled paths (nova/compute/manager.py and
 * resource_tracker.py @2014.1):
 * - run_instance (the 2014.1 boot path: scheduler run_instance ->
 *   compute run_instance with the instance as a DB dict, @object_compat);
 *   _start_building, _allocate_network and the block-device step go through
 *   conductor's instance_update (2.0), the spawn steps through instance.save;
 * - the resource tracker's claim writes host/node/launched_on with
 *   conductor instance_update, not instance.save;
 * - stop_instance expects task_state POWERING_OFF only.
 */
export class IcehouseComputeManager extends BaseComputeManager {
  static override release: Release = 'icehouse';
  static override TARGET_VERSION = '3.23';

  /** rt.instance_claim -> _set_instance_host_and_node: conductor instance_update(host, node, launched_on). */
  protected override async _claim(ctxt: unknown, instance: unknown, node: unknown): Promise<void> {
    await this._instance_update(ctxt, instance, { host: this.host, node: (node as string | null) ?? this.host, launched_on: this.host });
  }

  async run_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    return this._run_instance_2014(ctxt, kw);
  }

  override async stop_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance;
    this.driver.power_off(this.uuid(instance));
    this.setf(instance, { power_state: this._get_power_state(ctxt, instance), vm_state: vm_states.STOPPED, task_state: null });
    await this.save(instance, { expected_task_state: task_states.POWERING_OFF });
  }
}

export class JunoComputeManager extends BaseComputeManager {
  static override release: Release = 'juno';
  static override TARGET_VERSION = '3.35';

  /** 2014.2 still serves run_instance (3.0, 3.27): a Juno scheduler sends it while conductor runs Icehouse. */
  async run_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    return this._run_instance_2014(ctxt, kw);
  }
}

export class KiloComputeManager extends BaseComputeManager {
  static override release: Release = 'kilo';
  static override TARGET_VERSION = '3.40';

  constructor(deps: ComputeDeps) {
    super(deps);
    this.additional_endpoints = [new _ComputeV4Proxy(this)];
  }
}

export class LibertyComputeManager extends BaseComputeManager {
  static override release: Release = 'liberty';
  static override TARGET_VERSION = '4.5';
}

installGenericMethods(IcehouseComputeManager.prototype, computeManagerSignatures('icehouse'));
installGenericMethods(JunoComputeManager.prototype, computeManagerSignatures('juno'));
installGenericMethods(KiloComputeManager.prototype, computeManagerSignatures('kilo'));
/**
 * 13.0.0: target 4.11 and no other endpoint (no 3.x proxy, no 5.0 one), so a
 * 3.x message from a Kilo client is UnsupportedVersion. 4.6..4.11 add
 * trigger_crash_dump, detach_volume's attachment_id, LiveMigrateData
 * objects, live_migration_force_complete / _abort; refresh_provider_fw_rules
 * and refresh_security_group_members are gone from the manager.
 */
export class MitakaComputeManager extends BaseComputeManager {
  static override release: Release = 'mitaka';
  static override TARGET_VERSION = '4.11';

  private lmd(legacy: unknown, ctxt: unknown): VersionedObject {
    return liveMigrateDataFromLegacy(this.deps.world, legacy, ctxt);
  }

  /**
   * 13.0.0: the libvirt driver answers with a LibvirtLiveMigrateData
   * (filename, image_type, block_migration, disk_over_commit,
   * disk_available_mb), which goes to the source as is (4.8) or as its
   * legacy dict (below 4.8, done by the client).
   */
  override async check_can_live_migrate_destination(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const instance = kw.instance;
    this.driver.fail('check_can_live_migrate_destination');
    const Libvirt = this.deps.world.registry.get('LibvirtLiveMigrateData');
    const dest_check_data = new Libvirt(
      { filename: 'tmp-dest-check', image_type: 'default', block_migration: Boolean(kw.block_migration), disk_over_commit: Boolean(kw.disk_over_commit), disk_available_mb: 100 * 1024 },
      { context: ctxt, world: this.deps.world },
    );
    return this.rpc(this.compute_rpcapi, 'check_can_live_migrate_source', ctxt, { instance, dest_check_data });
  }

  /** A legacy dict becomes an object (detect_implementation) and goes back as a dict. */
  override async check_can_live_migrate_source(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    const instance = kw.instance;
    this.driver.fail('check_can_live_migrate_source');
    if (attr(instance, 'host') !== this.host) {
      throw new NovaException('MigrationPreCheckError', `Migration pre-check error: instance is not on ${this.host}`, { reason: `instance is not on ${this.host}` });
    }
    const got = isLiveMigrateData(kw.dest_check_data);
    const data = got ? (kw.dest_check_data as VersionedObject) : this.lmd(kw.dest_check_data ?? {}, ctxt);
    const is_volume_backed = !attr(instance, 'image_ref');
    data.set('is_volume_backed', is_volume_backed);
    if ('is_shared_block_storage' in data.fields) {
      // the simulated hosts share their instance directories (not for a volume-backed instance)
      data.set('is_shared_block_storage', true);
      data.set('is_shared_instance_path', !is_volume_backed);
    }
    return got ? data : (data as unknown as { to_legacy_dict(): unknown }).to_legacy_dict();
  }

  /** The libvirt driver fills the listen addresses; a legacy caller gets pre_live_migration_result back. */
  override async pre_live_migration(ctxt: unknown, kw: Kwargs): Promise<unknown> {
    this.driver.fail('pre_live_migration');
    const got = isLiveMigrateData(kw.migrate_data);
    const data = got ? (kw.migrate_data as VersionedObject) : this.lmd(kw.migrate_data ?? {}, ctxt);
    if ('graphics_listen_addr_vnc' in data.fields) {
      data.set('graphics_listen_addr_vnc', '127.0.0.1');
      data.set('graphics_listen_addr_spice', '127.0.0.1');
      data.set('serial_listen_addr', '127.0.0.1');
      data.set('target_connect_addr', null);
      data.set('bdms', []);
    }
    this.log('debug', 'pre_live_migration data is prepared', ctxt, kw.instance);
    if (got) return data;
    return ((data as unknown as { to_legacy_dict(pre: boolean): Record<string, unknown> }).to_legacy_dict(true)).pre_live_migration_result;
  }

  /** A legacy migrate_data becomes an object first (13.0.0 live_migration). */
  override async live_migration(ctxt: unknown, kw: Kwargs): Promise<void> {
    const migrate_data = isLiveMigrateData(kw.migrate_data) ? kw.migrate_data : this.lmd(kw.migrate_data ?? {}, ctxt);
    return this._live_migration(ctxt, { ...kw, migrate_data });
  }
}

installGenericMethods(LibertyComputeManager.prototype, computeManagerSignatures('liberty'));
installGenericMethods(MitakaComputeManager.prototype, computeManagerSignatures('mitaka'));

/**
 * Kilo's _ComputeV4Proxy (target 4.0), exactly as nova/compute/manager.py
 * @2015.1.0 writes each method: the dispatcher binds the 4.0 message by
 * keyword to the proxy's parameters, and the proxy then calls the 3.40
 * manager with the positional and keyword arguments written in its body
 * (src/nova/data/kilo-v4-proxy.json). Where the proxy's positional order
 * differs from the manager's, the values land in the other parameters, as in
 * nova: remove_volume_connection(ctxt, instance, volume_id) into
 * (ctxt, volume_id, instance), swap_volume likewise. attach_volume passes
 * None for the mountpoint and volume_id 4.0 removed; reserve_block_device_name
 * asks for the BDM object.
 */
export class _ComputeV4Proxy implements Endpoint {
  [method: string]: unknown;
  readonly target = new Target({ version: '4.0' });
  readonly endpointName = '_ComputeV4Proxy';
  readonly signatures = computeV4ProxySignatures();

  constructor(readonly manager: BaseComputeManager) {
    for (const name of Object.keys(this.signatures)) {
      this[name] = (ctxt: unknown, kwargs: Kwargs) => this._forward(name, ctxt, kwargs);
    }
  }

  _forward(method: string, ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const call = V4_PROXY_CALLS[method];
    const valueOf = (e: ProxyArg): unknown => ('param' in e ? kwargs[e.param] : e.value);
    const target = call?.manager_method ?? method;
    const sig = this.manager.signatures[target];
    const fn = this.manager[target] as ((c: unknown, k: Kwargs) => Promise<unknown>) | undefined;
    if (typeof fn !== 'function') {
      throw new PyException('AttributeError', 'exceptions', `'ComputeManager' object has no attribute '${target}'`);
    }
    if (!call || !sig) return fn.call(this.manager, ctxt, kwargs);
    const positional = call.args.map(valueOf);
    const named: Kwargs = {};
    for (const [k, e] of Object.entries(call.kwargs)) named[k] = valueOf(e);
    return fn.call(this.manager, ctxt, bindCall(target, sig, positional, named));
  }
}

type ProxyArg = { param: string } | { value: unknown };
interface ProxyCall {
  params: string[];
  manager_method: string;
  args: ProxyArg[];
  kwargs: Record<string, ProxyArg>;
}
const V4_PROXY_CALLS = (v4proxy as unknown as { methods: Record<string, ProxyCall> }).methods;

export type ComputeManagerClass = new (deps: ComputeDeps) => BaseComputeManager;

const BY_RELEASE = { icehouse: IcehouseComputeManager, juno: JunoComputeManager, kilo: KiloComputeManager, liberty: LibertyComputeManager, mitaka: MitakaComputeManager } as const;

export function computeManagerFor(release: Release): ComputeManagerClass {
  return BY_RELEASE[release];
}
