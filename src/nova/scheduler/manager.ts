/**
 * Server side of the scheduler RPC API (nova/scheduler/manager.py):
 *
 * - Icehouse 2014.1: SchedulerManager 2.9 and _SchedulerManagerV3Proxy 3.0
 *   (select_destinations, run_instance, prep_resize).
 * - Juno 2014.2: SchedulerManager 3.0 (run_instance, prep_resize,
 *   select_destinations).
 * - Kilo 2015.1.0: SchedulerManager 4.2 (select_destinations plus the 4.1
 *   aggregate and 4.2 instance-info fanout casts) and _SchedulerManagerV3Proxy
 *   3.0 (select_destinations only) in additional_endpoints, for Juno
 *   conductors.
 * - Liberty 12.0.0: SchedulerManager 4.2; the 3.0 proxy is gone.
 *
 * select_destinations is a tiny filter scheduler over the services table:
 * enabled nova-compute services in registration order, minus the hosts the
 * request excludes (retry hosts, ignore_hosts), with room for the flavor
 * (8 instances, 32768 MB of RAM per host). Nothing fits: NoValidHost
 * (an expected exception, as @messaging.expected_exceptions(NoValidHost)).
 */
import { PyAttributeError, isPy } from '../../oslo/exception';
import type { ObjectWorld } from '../../oslo/objects';
import { requestSpecFromPrimitives } from '../objects/mitaka';
import type { LegacyRequestSpecSource } from './rpcapi';
import { ExpectedException, Target, type Endpoint } from '../../oslo/messaging';
import { NoValidHost } from '../exception';
import type { Database } from '../db/api';
import type { Release } from '../releases';
import { icehouseSchedulerV3ProxySignatures, schedulerManagerSignatures, schedulerV3ProxySignatures, type SignatureTable } from '../signatures';
import { attr, describeArgs, installGenericMethods, type LogFn } from '../compute/manager_support';

/** Capacity of every simulated compute host. */
export const HOST_MAX_INSTANCES = 8;
export const HOST_MEMORY_MB = 32768;

export interface SchedulerDeps {
  release: Release;
  host: string;
  db: Database;
  log: LogFn;
  /** The scheduler's object world (Mitaka hydrates RequestSpec from legacy dicts). */
  world?: ObjectWorld;
  /** compute_rpcapi.ComputeAPI() (Icehouse's run_instance casts to the chosen compute). */
  compute_rpcapi?: Record<string, unknown> | null;
  now?(): string;
  /** The service's nova.conf ([DEFAULT] scheduler_max_attempts for run_instance's retries). */
  conf?: { get(section: string, option: string): string | null | undefined } | null;
}

export interface HostState {
  host: string;
  nodename: string;
  limits: Record<string, unknown>;
}

export class BaseSchedulerManager implements Endpoint {
  [method: string]: unknown;
  static release: Release = 'kilo';
  static TARGET_VERSION = '4.2';
  readonly target: Target;
  readonly endpointName = 'SchedulerManager';
  readonly signatures: SignatureTable;
  readonly service_name = 'scheduler';
  /** Endpoints nova/service.py appends after the manager and BaseRPCAPI. */
  additional_endpoints: Endpoint[] = [];

  constructor(readonly deps: SchedulerDeps) {
    const cls = this.constructor as typeof BaseSchedulerManager;
    this.target = new Target({ version: cls.TARGET_VERSION });
    this.signatures = schedulerManagerSignatures(cls.release);
  }

  get release(): Release {
    return (this.constructor as typeof BaseSchedulerManager).release;
  }

  async _generic(method: string, ctxt: unknown, kwargs: Record<string, unknown>): Promise<unknown> {
    this.deps.log('debug', `${method}(${describeArgs(kwargs)})`, ctxt);
    return null;
  }

  /** The driver's select_destinations: one host dict per requested instance. */
  async select_destinations(ctxt: unknown, kwargs: { request_spec: unknown; filter_properties: unknown }): Promise<HostState[]> {
    try {
      return await this._schedule(ctxt, kwargs.request_spec, kwargs.filter_properties);
    } catch (e) {
      if (isPy(e, 'NoValidHost')) {
        throw new ExpectedException(e);
      }
      throw e;
    }
  }

  /**
   * filter_scheduler.schedule_run_instance (2014.1 and 2014.2 alike for
   * what is modelled): pick the hosts, then per instance instance_update_db
   * (host/node None, scheduled_at now), populate the filter properties and
   * cast compute run_instance with the updated DB row; NoValidHost sets the
   * instances to ERROR and is not re-raised.
   */
  protected async _run_instance_2014(ctxt: unknown, kw: Record<string, unknown>): Promise<void> {
    const request_spec = (kw.request_spec ?? {}) as Record<string, unknown>;
    const filter_properties = (kw.filter_properties ?? {}) as Record<string, unknown>;
    const instance_uuids = [...((request_spec.instance_uuids as string[] | undefined) ?? [])];
    this.deps.log('info', `Attempting to build ${instance_uuids.length} instance(s) uuids: [${instance_uuids.map((u) => `u'${u}'`).join(', ')}]`, ctxt);
    let hosts: HostState[];
    try {
      this._populate_retry(ctxt, filter_properties, String(instance_uuids[0] ?? ''));
      hosts = await this._schedule(ctxt, { ...request_spec, num_instances: instance_uuids.length }, filter_properties);
    } catch (e) {
      if (!isPy(e, 'NoValidHost')) throw e;
      // SchedulerManager.run_instance: except NoValidHost -> _set_vm_state_and_notify (not re-raised)
      this.deps.log('warning', `Failed to scheduler_run_instance: ${(e as Error).message}`, ctxt);
      for (const uuid of instance_uuids) await this._schedule_error(ctxt, uuid, e);
      return;
    }
    for (const [num, uuid] of instance_uuids.entries()) {
      const props = (request_spec.instance_properties ?? {}) as Record<string, unknown>;
      props.launch_index = num;
      const host = hosts.shift();
      if (!host) {
        await this._schedule_error(ctxt, uuid, NoValidHost({ reason: '' }));
        continue;
      }
      this.deps.log('info', `Choosing host ${host.host} for instance ${uuid}`, ctxt);
      // driver.instance_update_db: clear host and node, set scheduled_at
      const updated = await this.deps.db.instance_update_and_get_original(uuid, { host: null, node: null, scheduled_at: this.deps.now?.() ?? null }, {});
      // scheduler_utils.populate_filter_properties (the retry host only when retry is on)
      const retry = filter_properties.retry as { hosts: unknown[] } | undefined;
      if (retry) retry.hosts.push([host.host, host.nodename]);
      filter_properties.limits = host.limits;
      const fn = this.deps.compute_rpcapi?.run_instance;
      if (typeof fn !== 'function') throw new Error('IcehouseSchedulerManager.run_instance needs compute_rpcapi');
      await (fn as (c: unknown, k: Record<string, unknown>) => Promise<void>).call(this.deps.compute_rpcapi, ctxt, {
        instance: updated[1],
        host: host.host,
        request_spec: { ...request_spec, instance_uuids: [uuid] },
        filter_properties,
        requested_networks: kw.requested_networks ?? null,
        injected_files: kw.injected_files ?? null,
        admin_password: kw.admin_password ?? null,
        is_first_time: kw.is_first_time ?? true,
        node: host.nodename,
        legacy_bdm_in_spec: kw.legacy_bdm_in_spec ?? true,
      });
    }
  }

  /**
   * filter_scheduler._populate_retry (2014.1/2014.2): unless
   * scheduler_max_attempts is 1 (or hosts are forced), count the attempt,
   * log the last host's error and raise NoValidHost past the maximum.
   */
  protected _populate_retry(ctxt: unknown, filter_properties: Record<string, unknown>, instance_uuid: string): void {
    const max_attempts = Math.max(1, Number(this.deps.conf?.get('DEFAULT', 'scheduler_max_attempts') ?? 3) || 3);
    const forced = (attr<unknown[]>(filter_properties, 'force_hosts') ?? []).length || (attr<unknown[]>(filter_properties, 'force_nodes') ?? []).length;
    if (max_attempts === 1 || forced) return;
    const retry = (filter_properties.retry as { num_attempts: number; hosts: unknown[][]; exc?: unknown } | undefined) ?? { num_attempts: 0, hosts: [] };
    retry.num_attempts += 1;
    filter_properties.retry = retry;
    // _log_compute_error
    if (retry.exc && retry.hosts.length) {
      const [last_host, last_node] = retry.hosts[retry.hosts.length - 1]!;
      this.deps.log('error', `[instance: ${instance_uuid}] Error from last host: ${String(last_host)} (node ${String(last_node)}): ${JSON.stringify(retry.exc)}`, ctxt);
    }
    if (retry.num_attempts > max_attempts) {
      throw NoValidHost({ reason: `Exceeded max scheduling attempts ${max_attempts} for instance ${instance_uuid}` });
    }
  }

  /** driver.handle_schedule_error: the instance to ERROR (task None) and a fault, straight to the database. */
  protected async _schedule_error(ctxt: unknown, instance_uuid: string, ex: unknown): Promise<void> {
    this.deps.log('warning', `[instance: ${instance_uuid}] Setting instance to ERROR state.`, ctxt);
    try {
      await this.deps.db.instance_update_and_get_original(instance_uuid, { vm_state: 'error', task_state: null }, {});
      const e = ex as { message?: string; kwargs?: Record<string, unknown> };
      await this.deps.db.instance_fault_create({ instance_uuid, code: 500, message: `No valid host was found. ${String(e.kwargs?.reason ?? '')}`.trim(), details: '', host: this.deps.host });
    } catch (err) {
      this.deps.log('warning', `could not update instance ${instance_uuid}: ${(err as Error).message}`, ctxt);
    }
  }

  async _schedule(ctxt: unknown, request_spec: unknown, filter_properties: unknown): Promise<HostState[]> {
    const num = Number(attr(request_spec, 'num_instances') ?? 1) || 1;
    const flavor = attr(request_spec, 'instance_type') ?? attr(filter_properties, 'instance_type');
    const memory = Number(attr(flavor, 'memory_mb') ?? 0) || 0;
    const excluded = new Set<string>();
    const retry = attr<Record<string, unknown>>(filter_properties, 'retry');
    for (const h of (attr<unknown[]>(retry, 'hosts') ?? []) as unknown[]) {
      excluded.add(Array.isArray(h) ? String(h[0]) : String(h));
    }
    for (const h of (attr<unknown[]>(filter_properties, 'ignore_hosts') ?? []) as unknown[]) excluded.add(String(h));
    const forced = (attr<unknown[]>(filter_properties, 'force_hosts') ?? []) as unknown[];

    const services = (await this.deps.db.service_get_all({ topic: 'compute', disabled: false }))
      .filter((s) => s.binary === 'nova-compute')
      .sort((a, b) => Number(a.id) - Number(b.id));
    const usage = new Map<string, { count: number; memory: number }>();
    for (const s of services) {
      const rows = await this.deps.db.instance_get_all({ host: String(s.host) });
      usage.set(String(s.host), {
        count: rows.length,
        memory: rows.reduce((sum, r) => sum + (Number(r.memory_mb) || 0), 0),
      });
    }
    const chosen: HostState[] = [];
    for (let i = 0; i < num; i++) {
      const host = services
        .map((s) => String(s.host))
        .find((h) => {
          if (excluded.has(h)) return false;
          if (forced.length && !forced.map(String).includes(h)) return false;
          const u = usage.get(h)!;
          return u.count + 1 <= HOST_MAX_INSTANCES && u.memory + memory <= HOST_MEMORY_MB;
        });
      if (!host) {
        this.deps.log('debug', `Filtering removed all hosts for the request (${services.length} compute services, excluded: ${[...excluded].join(', ') || 'none'})`, ctxt);
        throw NoValidHost({ reason: 'There are not enough hosts available.' });
      }
      const u = usage.get(host)!;
      u.count += 1;
      u.memory += memory;
      chosen.push({ host, nodename: host, limits: {} });
    }
    this.deps.log('debug', `Selected host(s): ${chosen.map((c) => c.host).join(', ')}`, ctxt);
    return chosen;
  }
}

/**
 * Icehouse 2014.1: SchedulerManager 2.9 (the Havana API) and
 * _SchedulerManagerV3Proxy 3.0 (select_destinations, run_instance,
 * prep_resize) in additional_endpoints: the 3.0 that Icehouse and Juno
 * clients send goes to the proxy. run_instance is 2014.1's boot path.
 */
export class IcehouseSchedulerManager extends BaseSchedulerManager {
  static override release: Release = 'icehouse';
  static override TARGET_VERSION = '2.9';

  constructor(deps: SchedulerDeps) {
    super(deps);
    this.additional_endpoints = [new _IcehouseSchedulerManagerV3Proxy(this)];
  }

  async run_instance(ctxt: unknown, kw: Record<string, unknown>): Promise<void> {
    return this._run_instance_2014(ctxt, kw);
  }
}

export class JunoSchedulerManager extends BaseSchedulerManager {
  static override release: Release = 'juno';
  static override TARGET_VERSION = '3.0';

  /** 2014.2 still serves run_instance (3.0), which an Icehouse conductor sends. */
  async run_instance(ctxt: unknown, kw: Record<string, unknown>): Promise<void> {
    return this._run_instance_2014(ctxt, kw);
  }
}

export class KiloSchedulerManager extends BaseSchedulerManager {
  static override release: Release = 'kilo';
  static override TARGET_VERSION = '4.2';

  constructor(deps: SchedulerDeps) {
    super(deps);
    this.additional_endpoints = [new _SchedulerManagerV3Proxy(this)];
  }
}

export class LibertySchedulerManager extends BaseSchedulerManager {
  static override release: Release = 'liberty';
  static override TARGET_VERSION = '4.2';
}

/**
 * Mitaka 13.0.0: SchedulerManager 4.3. select_destinations(ctxt,
 * request_spec=None, filter_properties=None, spec_obj=_sentinel): a 4.0
 * message (legacy dicts) is turned into a RequestSpec with
 * RequestSpec.from_primitives; the driver works on the RequestSpec (here: on
 * its legacy dicts again, which carry everything the model's filters read).
 */
export class MitakaSchedulerManager extends BaseSchedulerManager {
  static override release: Release = 'mitaka';
  static override TARGET_VERSION = '4.3';
  override async select_destinations(ctxt: unknown, kwargs: { request_spec?: unknown; filter_properties?: unknown; spec_obj?: unknown }): Promise<HostState[]> {
    let spec_obj = kwargs.spec_obj as LegacyRequestSpecSource | null | undefined;
    try {
      // spec_obj is _sentinel when not sent (the signature's default here is None: see the data file).
      if (spec_obj === null || spec_obj === undefined) {
        if (!this.deps.world) throw new PyAttributeError("'module' object has no attribute 'RequestSpec'");
        spec_obj = requestSpecFromPrimitives(this.deps.world, ctxt, kwargs.request_spec ?? null, kwargs.filter_properties ?? null) as unknown as LegacyRequestSpecSource;
      }
      return await this._schedule(ctxt, spec_obj.to_legacy_request_spec_dict(), spec_obj.to_legacy_filter_properties_dict());
    } catch (e) {
      if (isPy(e, 'NoValidHost')) throw new ExpectedException(e);
      throw e;
    }
  }
}

installGenericMethods(IcehouseSchedulerManager.prototype, schedulerManagerSignatures('icehouse'));
installGenericMethods(JunoSchedulerManager.prototype, schedulerManagerSignatures('juno'));
installGenericMethods(KiloSchedulerManager.prototype, schedulerManagerSignatures('kilo'));
installGenericMethods(LibertySchedulerManager.prototype, schedulerManagerSignatures('liberty'));
installGenericMethods(MitakaSchedulerManager.prototype, schedulerManagerSignatures('mitaka'));

/** Kilo: serves 3.0 select_destinations from Juno conductors (the dict flavor is used as is here). */
export class _SchedulerManagerV3Proxy implements Endpoint {
  [method: string]: unknown;
  readonly target = new Target({ version: '3.0' });
  readonly endpointName = '_SchedulerManagerV3Proxy';
  readonly signatures = schedulerV3ProxySignatures();
  constructor(readonly manager: BaseSchedulerManager) {}

  select_destinations(ctxt: unknown, kwargs: { request_spec: unknown; filter_properties: unknown }): Promise<HostState[]> {
    return this.manager.select_destinations(ctxt, kwargs);
  }
}

/** Icehouse: the 3.0 API, forwarded to the 2.9 manager. */
export class _IcehouseSchedulerManagerV3Proxy implements Endpoint {
  [method: string]: unknown;
  readonly target = new Target({ version: '3.0' });
  readonly endpointName = '_SchedulerManagerV3Proxy';
  readonly signatures = icehouseSchedulerV3ProxySignatures();
  constructor(readonly manager: IcehouseSchedulerManager) {}

  select_destinations(ctxt: unknown, kwargs: { request_spec: unknown; filter_properties: unknown }): Promise<HostState[]> {
    return this.manager.select_destinations(ctxt, kwargs);
  }
  run_instance(ctxt: unknown, kwargs: Record<string, unknown>): Promise<void> {
    return this.manager.run_instance(ctxt, kwargs);
  }
  prep_resize(ctxt: unknown, kwargs: Record<string, unknown>): Promise<unknown> {
    return (this.manager.prep_resize as (c: unknown, k: Record<string, unknown>) => Promise<unknown>).call(this.manager, ctxt, kwargs);
  }
}

export type SchedulerManagerClass = new (deps: SchedulerDeps) => BaseSchedulerManager;

const BY_RELEASE = { icehouse: IcehouseSchedulerManager, juno: JunoSchedulerManager, kilo: KiloSchedulerManager, liberty: LibertySchedulerManager, mitaka: MitakaSchedulerManager } as const;

export function schedulerManagerFor(release: Release): SchedulerManagerClass {
  return BY_RELEASE[release];
}
