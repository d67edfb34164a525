/**
 * nova/service.py for the simulator: createService(spec, env) assembles one
 * nova binary of one release — its object world and serializer, its RPC
 * clients, its manager(s) — and start() does what Service.start() does:
 * register the service record, then serve on the binary's topic with
 * server=host and the endpoints in nova's order
 * [manager, BaseRPCAPI, ...manager.additional_endpoints].
 *
 * nova-compute has no database: its object world's indirection_api is the
 * release's ConductorAPI client (nova/cmd/compute.py sets
 * NovaObject.indirection_api = conductor_rpcapi.ConductorAPI()), so every
 * remotable call is an object_class_action / object_action call to
 * nova-conductor. Every service's NovaObjectSerializer asks conductor for
 * backports (its `conductor` is conductor.API(), remote by default).
 *
 * Module overrides (ServiceSpec.overrides: module name -> exports) this
 * factory honours, each replacing the built-in class of the release:
 *   'nova/compute/rpcapi'    -> { ComputeAPI }           new (rpcEnv, level)
 *   'nova/conductor/rpcapi'  -> { ConductorAPI }         new (rpcEnv, level, options)
 *                               { ComputeTaskAPI }       new (rpcEnv)
 *   'nova/scheduler/rpcapi'  -> { SchedulerAPI }         new (rpcEnv, level)
 *   'nova/compute/manager'   -> { ComputeManager }       new (ComputeDeps)
 *   'nova/conductor/manager' -> { ConductorManager }     new (ConductorDeps)
 *                               { ComputeTaskManager }   new (ConductorDeps)
 *   'nova/scheduler/manager' -> { SchedulerManager }     new (SchedulerDeps)
 * ('nova/objects/*' overrides are not supported: makeObjectWorld defines
 * each world's classes afresh and takes no replacement classes.)
 */
import { compatWalk, type CompatWalkResult } from './objects/compat_walk';
import { SERVICE_VERSION, ServiceMinimumVersion, startServiceRow } from './service_version';
import { MitakaComputeCap } from './upgrade_levels';
import { isPy, PyException, asPyException } from '../oslo/exception';
import { MessagingTimeout, Target, type Endpoint, type RPCServer } from '../oslo/messaging';
import * as osloObjects from '../oslo/objects';
import { NovaObjectSerializer, VersionedObject, remotable_call, remotable_classmethod_call, type IndirectionAPI, type ObjectWorld, type VersionedObjectClass } from '../oslo/objects';
import { NovaComputeAPI } from './api/compute_api';
import { BaseRPCAPI } from './baserpc_endpoint';
import { BaseAPI } from './baserpc';
import { computeAPIFor } from './compute/rpcapi';
import { computeManagerFor, type BaseComputeManager, type ComputeDeps } from './compute/manager';
import { computeTaskManagerFor, conductorManagerFor, IcehouseConductorManager, LibertyConductorManager, type ConductorDeps } from './conductor/manager';
import { computeTaskAPIFor, conductorAPIFor } from './conductor/rpcapi';
import { RequestContext } from './context';
import { makeObjectWorld } from './objects';
import { liveMigrateDataFromLegacy } from './objects/mitaka';
import { RELEASE_INFO, libertyOrLater } from './releases';
import { get_server, type RpcEnv } from './rpc';
import { schedulerManagerFor, type SchedulerDeps } from './scheduler/manager';
import { schedulerAPIFor } from './scheduler/rpcapi';
import { TOPIC_OF, type NovaService, type ServiceEnv, type ServiceFactory, type ServiceSpec, type UserAction } from './service_api';

type AnyCtor = new (...args: never[]) => unknown;
type Obj = Record<string, unknown>;

/** The overriding export when user code provides one, else the built-in. */
function pick<T>(spec: ServiceSpec, module: string, name: string, builtin: T): T {
  const mod = spec.overrides?.[module];
  const v = mod?.[name];
  return (typeof v === 'function' ? v : builtin) as T;
}

/** Is this export a versioned object class (to register in the service's world)? */
function isObjectClass(v: unknown): v is VersionedObjectClass {
  return typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof VersionedObject && typeof (v as { obj_name?: unknown }).obj_name === 'function';
}

export class SimulatedNovaService implements NovaService {
  readonly world: ObjectWorld;
  readonly serializer: NovaObjectSerializer;
  readonly rpcEnv: RpcEnv;
  /** conductor_rpcapi.ConductorAPI() (nova-compute's indirection API; everyone's backport helper). */
  readonly conductor_api: Obj;
  /** Replaced in start() when Mitaka's `[upgrade_levels] compute = auto` has read the services table. */
  compute_rpcapi: Obj;
  /** new ComputeAPI(...) of this service with extra options (Mitaka: the `auto` cap). */
  private readonly makeComputeAPI: (extra: Obj) => Obj;
  /**
   * Simulator-only `[simulator] update_service_version_on_start`: the fix for
   * nova bug 1579839 (13.1.2 / 14.0.0), where start() writes the running
   * SERVICE_VERSION into an existing services row and Service.save() no
   * longer skips a version-only change. Off: 13.0.0 as tagged.
   */
  private readonly versionUpdateFix: boolean;
  readonly compute_task_api: Obj;
  readonly scheduler_rpcapi: Obj;
  manager: Endpoint | null = null;
  rpcserver: RPCServer | null = null;
  service_ref: Obj | null = null;
  private api: NovaComputeAPI | null = null;

  spec: ServiceSpec;

  constructor(
    spec: ServiceSpec,
    readonly env: ServiceEnv,
  ) {
    this.spec = spec;
    const release = spec.release;
    const info = RELEASE_INFO[release];
    const isCompute = spec.binary === 'nova-compute';
    // A late-bound view of the conductor client: the serializer and the world
    // need it before the client (which needs the serializer) exists.
    const lazy: IndirectionAPI = {};
    const bind = (m: keyof IndirectionAPI) => {
      (lazy as Obj)[m] = (...a: unknown[]) => (this.conductor_api[m] as (...x: unknown[]) => Promise<unknown>)(...a);
    };
    if (libertyOrLater(release)) {
      bind('object_class_action');
      bind('object_class_action_versions');
      bind('object_action');
      bind('object_backport_versions');
    } else {
      bind('object_class_action');
      bind('object_action');
      bind('object_backport');
    }
    // nova.utils.is_neutron(): [DEFAULT] network_api_class names neutron's API (quantumv2 is its old name).
    const networkApiClass = spec.conf.get('DEFAULT', 'network_api_class') ?? 'nova.network.api.API';
    const is_neutron = () => networkApiClass === 'nova.network.neutronv2.api.API' || networkApiClass === 'nova.network.quantumv2.api.API';
    this.versionUpdateFix = /^(true|1|yes|on)$/i.test(spec.conf.get('simulator', 'update_service_version_on_start') ?? '');
    const made = makeObjectWorld(release, {
      serviceVersionUpdateFix: this.versionUpdateFix,
      db: isCompute ? null : env.db,
      indirection_api: isCompute ? lazy : null,
      observer: env.observer,
      name: `${spec.conf.host}:${spec.binary}`,
      is_neutron,
    });
    this.world = made.world;
    if (spec.loadUserModules) {
      // User code sees this service's own object classes and may register newer versions.
      const objectsModule: Record<string, unknown> = { ...osloObjects, ...made.classes, registry: made.registry, world: made.world };
      const extra = spec.loadUserModules(objectsModule);
      for (const exports of Object.values(extra)) {
        for (const v of Object.values(exports)) {
          if (!isObjectClass(v)) continue;
          made.registry.register(v);
          const name = v.obj_name();
          if (made.registry.latest(name) === v) (made.classes as Record<string, unknown>)[name] = v;
        }
      }
      // User code may also have removed versions (registry.unregister(name, version)):
      // nova.objects.<Name> is the newest class left, or gone.
      for (const name of Object.keys(made.classes)) {
        const latest = made.registry.latest(name);
        if (latest) (made.classes as Record<string, unknown>)[name] = latest;
        else delete (made.classes as Record<string, unknown>)[name];
      }
      spec = { ...spec, overrides: { ...(spec.overrides ?? {}), ...extra } };
      this.spec = spec;
    }
    // On nova-conductor itself a backport request would go back to a conductor
    // with the same registry: what it cannot hydrate it cannot backport, so
    // IncompatibleObjectVersion is raised (no call to itself, no loop).
    const backporter = spec.binary === 'nova-conductor' ? null : lazy;
    this.serializer = new NovaObjectSerializer({ logic: info.serializer, world: this.world, conductor: backporter, observer: env.observer });
    this.rpcEnv = { transport: env.transport, serializer: this.serializer, oslo: info.oslo, observer: env.observer };

    const conf = spec.conf;
    const ConductorAPI = pick(spec, 'nova/conductor/rpcapi', 'ConductorAPI', conductorAPIFor(release) as unknown as AnyCtor);
    this.conductor_api = new (ConductorAPI as unknown as new (e: RpcEnv, l: string | null, o: Obj) => Obj)(this.rpcEnv, conf.upgradeLevel('conductor'), {
      obj_tree_get_versions: (name: string) => this.world.registry.obj_tree_get_versions(name),
    });
    const ComputeAPI = pick(spec, 'nova/compute/rpcapi', 'ComputeAPI', computeAPIFor(release) as unknown as AnyCtor);
    // The client reports what each version choice left out, for the trace.
    const decisions = (d: { method: string; version: string | null; dropped: string[]; transforms: string[] }) => {
      if (d.dropped.length) env.observer?.({ kind: 'client_note', text: `${d.method} v${d.version}: drops ${d.dropped.join(', ')} (version ${d.version} does not carry it)` });
      for (const t of d.transforms) env.observer?.({ kind: 'client_note', text: `${d.method} v${d.version}: ${t}` });
    };
    this.makeComputeAPI = (extra: Obj) => new (ComputeAPI as unknown as new (e: RpcEnv, l: string | null, o: Obj) => Obj)(this.rpcEnv, conf.upgradeLevel('compute'), {
      ...extra,
      decisions,
      is_neutron,
      bdm_get_by_volume_id: (ctxt: unknown, volume_id: unknown) => {
        const BDM = this.world.registry.latest('BlockDeviceMapping');
        if (!BDM) throw new PyException('AttributeError', 'exceptions', "'module' object has no attribute 'BlockDeviceMapping'");
        return remotable_classmethod_call(this.world, BDM, ctxt, 'get_by_volume_id', [volume_id], {});
      },
      ...(release === 'mitaka' ? { live_migrate_data_from_legacy: (legacy: unknown) => liveMigrateDataFromLegacy(this.world, legacy) } : {}),
    });
    this.compute_rpcapi = this.makeComputeAPI({});
    const ComputeTaskAPI = pick(spec, 'nova/conductor/rpcapi', 'ComputeTaskAPI', computeTaskAPIFor(release) as unknown as AnyCtor);
    this.compute_task_api = new (ComputeTaskAPI as unknown as new (e: RpcEnv) => Obj)(this.rpcEnv);
    const SchedulerAPI = pick(spec, 'nova/scheduler/rpcapi', 'SchedulerAPI', schedulerAPIFor(release) as unknown as AnyCtor);
    this.scheduler_rpcapi = new (SchedulerAPI as unknown as new (e: RpcEnv, l: string | null) => Obj)(this.rpcEnv, conf.upgradeLevel('scheduler'));
  }

  get host(): string {
    return this.spec.conf.host;
  }
  get topic(): string | null {
    return TOPIC_OF[this.spec.binary];
  }

  private log = (level: 'debug' | 'info' | 'warning' | 'error', msg: string, ctxt?: unknown) => this.env.log(level, msg, ctxt);

  // ---------------------------------------------------------------- managers

  private makeManager(): Endpoint {
    const { release, conf } = this.spec;
    const base = { release, host: this.host, conf, log: this.log, now: () => this.env.now(), world: this.world };
    switch (this.spec.binary) {
      case 'nova-compute': {
        const Cls = pick(this.spec, 'nova/compute/manager', 'ComputeManager', computeManagerFor(release));
        const deps: ComputeDeps = {
          ...base,
          compute_rpcapi: this.compute_rpcapi,
          compute_task_api: this.compute_task_api,
          scheduler_rpcapi: this.scheduler_rpcapi,
          conductor_api: this.conductor_api,
        };
        return new Cls(deps);
      }
      case 'nova-conductor': {
        const deps: ConductorDeps = {
          ...base,
          db: this.env.db!,
          compute_rpcapi: this.compute_rpcapi,
          scheduler_rpcapi: this.scheduler_rpcapi,
        };
        const Mgr = pick(this.spec, 'nova/conductor/manager', 'ConductorManager', conductorManagerFor(release));
        const Task = pick(this.spec, 'nova/conductor/manager', 'ComputeTaskManager', computeTaskManagerFor(release));
        const manager = new Mgr(deps);
        // Kilo: additional_endpoints.append(compute_task_mgr); Liberty also the 3.0 proxy.
        manager.additional_endpoints = [new Task(deps)];
        if (manager instanceof LibertyConductorManager) manager.additional_endpoints.push(manager.v3proxy);
        // Icehouse: additional_endpoints.append(_ConductorManagerV2Proxy(self)) in ConductorManager.__init__, before compute_task.
        if (manager instanceof IcehouseConductorManager) manager.additional_endpoints.unshift(manager.v2proxy);
        return manager;
      }
      case 'nova-scheduler': {
        const deps: SchedulerDeps = { release, host: this.host, db: this.env.db!, log: this.log, world: this.world, compute_rpcapi: this.compute_rpcapi, now: () => this.env.now(), conf };
        const Cls = pick(this.spec, 'nova/scheduler/manager', 'SchedulerManager', schedulerManagerFor(release));
        return new Cls(deps);
      }
      default:
        throw new PyException('ValueError', 'exceptions', `${this.spec.binary} has no manager`);
    }
  }

  // ---------------------------------------------------------------- start / stop

  /** Mitaka, `[upgrade_levels] compute = auto`: the services in this process that build a ComputeAPI. */
  private get autoComputeCap(): boolean {
    return this.spec.release === 'mitaka' && this.spec.conf.upgradeLevel('compute') === 'auto' && this.spec.binary !== 'nova-scheduler';
  }

  /**
   * ComputeAPI.__init__ @13.0.0 with `auto`: _determine_version_cap reads
   * objects.Service.get_minimum_version(ctxt, 'nova-compute') (a remotable
   * classmethod: nova-compute asks its conductor) and caches the history's
   * compute_rpc in LAST_VERSION for the life of the process.
   */
  private async resolveAutoComputeCap(ctxt: RequestContext): Promise<void> {
    let min: number;
    if (this.env.db) {
      min = await new ServiceMinimumVersion(this.env.db).get_minimum_version('nova-compute');
    } else {
      const Service = this.world.registry.latest('Service');
      if (!Service) throw new PyException('AttributeError', 'exceptions', "'module' object has no attribute 'Service'");
      min = Number(await remotable_classmethod_call(this.world, Service, ctxt, 'get_minimum_version', ['nova-compute'], {}));
    }
    const cap = new MitakaComputeCap(() => min, (level, msg) => this.log(level, msg, ctxt));
    this.compute_rpcapi = this.makeComputeAPI({ compute_cap: cap });
  }

  async start(ctxt: RequestContext): Promise<void> {
    const { binary, release } = this.spec;
    if (this.autoComputeCap && binary !== 'nova-compute') await this.resolveAutoComputeCap(ctxt);
    if (binary === 'nova-api') {
      this.api = new NovaComputeAPI({
        release,
        conf: this.spec.conf,
        db: this.env.db!,
        world: this.world,
        compute_rpcapi: this.compute_rpcapi,
        compute_task_api: this.compute_task_api,
        log: this.log,
        now: () => this.env.now(),
        ids: this.env.ids,
      });
      this.log('info', `Starting nova-api (${RELEASE_INFO[release].tag}): osapi_compute listening`, ctxt);
      return;
    }
    const topic = this.topic!;
    this.log('info', `Starting ${topic} node (version ${RELEASE_INFO[release].tag})`, ctxt);
    if (binary === 'nova-compute' && this.autoComputeCap) {
      // The manager's ComputeAPI needs conductor to read the minimum version.
      await this.wait_until_ready(ctxt);
      await this.resolveAutoComputeCap(ctxt);
    }
    const manager = this.makeManager();
    this.manager = manager;
    if (binary === 'nova-compute') {
      // Service.__init__: conductor_api.wait_until_ready (BaseAPI ping to conductor).
      if (!this.autoComputeCap) await this.wait_until_ready(ctxt);
      const init_host = (manager as unknown as BaseComputeManager).init_host;
      if (typeof init_host === 'function') await init_host.call(manager, ctxt);
      await this.registerThroughConductor(ctxt);
      const pre_start_hook = (manager as unknown as BaseComputeManager).pre_start_hook;
      if (typeof pre_start_hook === 'function') await pre_start_hook.call(manager, ctxt);
    } else {
      await this.registerInDb();
    }
    this.log('debug', `Creating RPC server for service ${topic}`, ctxt);
    const endpoints: Endpoint[] = [
      manager,
      new BaseRPCAPI(String((manager as Obj).service_name ?? topic), null),
      ...(((manager as Obj).additional_endpoints as Endpoint[] | undefined) ?? []),
    ];
    this.rpcserver = get_server(this.rpcEnv, new Target({ topic, server: this.host }), endpoints);
    this.rpcserver.start();
    this.log('info', `${binary} (${release}) serving on topic ${topic} as ${this.host}`, ctxt);
  }

  /** Periodic tasks the model runs on cue: nova-compute's update_available_resource. */
  async periodic(ctxt: RequestContext, task: string): Promise<void> {
    const fn = this.spec.binary === 'nova-compute' && task === 'update_available_resource' ? (this.manager as Obj | null)?.[task] : undefined;
    if (typeof fn !== 'function') throw new PyException('AttributeError', 'exceptions', `${this.spec.binary} has no periodic task ${task}`);
    await (fn as (c: unknown) => Promise<void>).call(this.manager, ctxt);
  }

  async stop(): Promise<void> {
    this.rpcserver?.stop();
    this.rpcserver = null;
  }

  /** conductor.API.wait_until_ready: ping conductor until it answers. */
  private async wait_until_ready(ctxt: RequestContext): Promise<void> {
    const base = new BaseAPI(this.rpcEnv, 'conductor', this.spec.conf.upgradeLevel('baseapi'), { release: this.spec.release });
    for (let attempt = 1; ; attempt++) {
      try {
        await base.ping(ctxt, '1.21 GigaWatts', 10);
        return;
      } catch (e) {
        if (!(e instanceof MessagingTimeout) || attempt >= 3) throw e;
        this.log(
          'warning',
          'Timed out waiting for nova-conductor.  Is it running? Or did this service start before nova-conductor?  Reattempting establishment of nova-conductor connection...',
          ctxt,
        );
      }
    }
  }

  /** services other than compute (use_local conductor API = the database). */
  private async registerInDb(): Promise<void> {
    // Liberty and Mitaka create the row through objects.Service, which stamps
    // SERVICE_VERSION (Mitaka first checks the deployment's minimum); an
    // existing row keeps its version (12.0.0 and 13.0.0 never update it on
    // start) unless bug 1579839's fix is on.
    this.service_ref = await startServiceRow(this.env.db!, this.host, this.spec.binary, this.spec.release, {
      versionUpdateFix: this.versionUpdateFix,
      log: (level, msg) => this.log(level, msg),
    });
  }

  /**
   * nova-compute: Juno/Kilo Service.start asks conductor
   * (service_get_all_by(host, binary) then service_create); Liberty uses
   * objects.Service.get_by_host_and_binary and Service.create (remotables).
   */
  private async registerThroughConductor(ctxt: RequestContext): Promise<void> {
    const values = { host: this.host, binary: this.spec.binary, topic: this.topic, report_count: 0 };
    if (!libertyOrLater(this.spec.release)) {
      const client = (this.conductor_api as { client?: { prepare(o?: object): { call(c: unknown, m: string, k: Obj): Promise<unknown> } } }).client;
      if (!client) throw new PyException('AttributeError', 'exceptions', "'ConductorAPI' object has no attribute 'client'");
      try {
        this.service_ref = (await client.prepare().call(ctxt, 'service_get_all_by', { topic: null, host: this.host, binary: this.spec.binary })) as Obj;
      } catch (e) {
        if (!isPy(e, 'NotFound')) throw e; // except exception.NotFound
        this.service_ref = (await client.prepare().call(ctxt, 'service_create', { values })) as Obj;
      }
      return;
    }
    const Service = this.world.registry.latest('Service');
    if (!Service) throw new PyException('AttributeError', 'exceptions', "'module' object has no attribute 'Service'");
    let ref = await remotable_classmethod_call(this.world, Service, ctxt, 'get_by_host_and_binary', [this.host, this.spec.binary], {});
    if (!ref) {
      const svc = new Service({}, { context: ctxt, world: this.world });
      for (const [k, v] of Object.entries(values)) svc.set(k, v);
      await remotable_call(svc, 'create', [], {});
      ref = svc;
    }
    const stamp = SERVICE_VERSION[this.spec.release];
    const refObj = ref as VersionedObject;
    if (this.versionUpdateFix && stamp !== undefined && refObj.get('version') !== stamp) {
      // _update_service_ref (the bug 1579839 fix): save the running version.
      this.log('info', `Updating service version for ${this.spec.binary} on ${this.host} from ${String(refObj.get('version'))} to ${stamp}`, ctxt);
      refObj.set('version', stamp);
      await remotable_call(refObj, 'save', [], {});
    }
    this.service_ref = { id: refObj.get('id') };
  }

  // ---------------------------------------------------------------- nova-api

  /** The object unit test on the classes this service loaded (any binary). */
  unitTest(action: Extract<UserAction, { action: 'unit_test' }>): CompatWalkResult {
    return compatWalk(this.world, action);
  }

  async userAction(ctxt: RequestContext, action: UserAction): Promise<unknown> {
    if (!this.api) {
      if (this.spec.binary !== 'nova-api') throw new PyException('TypeError', 'exceptions', `${this.spec.binary} takes no user actions`);
      throw new PyException('ServiceUnavailable', 'nova.exception', 'Service is unavailable at this time.');
    }
    try {
      return await this.api.handle(ctxt, action);
    } catch (e) {
      const err = asPyException(e);
      this.log('info', `${action.action} failed: ${err.pyClass}: ${err.message}`, ctxt);
      throw err;
    }
  }
}

export const createService: ServiceFactory = (spec, env) => {
  const svc = new SimulatedNovaService(spec, env);
  if (spec.binary !== 'nova-api') {
    // Only nova-api takes user actions.
    (svc as { userAction?: unknown }).userAction = undefined;
  }
  return svc;
};

// ---------------------------------------------------------------------------
// In-process cluster (tests): services on one LoopbackBus sharing one database.
// ---------------------------------------------------------------------------

import { LoopbackBus } from '../oslo/messaging';
import type { CoreEvent } from '../oslo/observer';
import { MemoryDatabase } from './db/memory';
import { novaExceptionFactory } from './exception';
import type { Binary } from './service_api';
import type { Release } from './releases';
import { NovaConf, type ConfSections } from './conf';

export interface LoopbackServiceDef {
  id: string;
  binary: Binary;
  release: Release;
  conf?: ConfSections;
  overrides?: ServiceSpec['overrides'];
}

export interface LoopbackLogLine {
  service: string;
  level: string;
  message: string;
}

export interface LoopbackEvent {
  service: string;
  event: CoreEvent;
}

/**
 * Services started in order on a LoopbackBus (virtual clock, `bus.wire`
 * records every envelope), with every log line and core event collected.
 */
export class LoopbackCluster {
  readonly bus = new LoopbackBus();
  readonly db: MemoryDatabase;
  readonly services = new Map<string, NovaService>();
  readonly logs: LoopbackLogLine[] = [];
  readonly events: LoopbackEvent[] = [];
  private n = 0;

  constructor() {
    this.db = new MemoryDatabase(() => this.now());
  }

  now(): string {
    return new Date(Date.UTC(2015, 3, 30, 12, 0, 0) + this.bus.now * 1000).toISOString();
  }

  add(def: LoopbackServiceDef): NovaService {
    const sections: ConfSections = JSON.parse(JSON.stringify(def.conf ?? {})) as ConfSections;
    (sections.DEFAULT ??= {}).host ??= def.id;
    const conf = new NovaConf(sections);
    const transport = this.bus.transport({ name: def.id, rpc_response_timeout: conf.rpc_response_timeout, allowed_remote_exmods: ['nova.exception'], exceptionFactory: novaExceptionFactory(def.release) });
    let ids = 0;
    const svc = createService(
      { binary: def.binary, release: def.release, conf, ...(def.overrides ? { overrides: def.overrides } : {}) },
      {
        transport,
        db: def.binary === 'nova-compute' ? null : this.db,
        observer: (event) => {
          this.events.push({ service: def.id, event });
          if (event.kind === 'log') this.logs.push({ service: def.id, level: event.level, message: event.message });
        },
        log: (level, message) => this.logs.push({ service: def.id, level, message }),
        now: () => this.now(),
        ids: {
          uuid: () => {
            ids += 1;
            const h = `${def.id}-${ids}`.split('').reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16).padStart(8, '0');
            return `${h}-0000-4000-8000-${ids.toString(16).padStart(12, '0')}`;
          },
          request_id: () => `req-${(++this.n).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
        },
      },
    );
    this.services.set(def.id, svc);
    return svc;
  }

  ctxt(): RequestContext {
    return new RequestContext({ request_id: `req-${(++this.n).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`, user_id: 'demo', project_id: 'demo', roles: ['member'] });
  }

  /** Start one service and run the bus until everything settles. */
  async start(id: string): Promise<void> {
    const svc = this.services.get(id)!;
    const done = svc.start(RequestContext.admin(`req-start-${id}`));
    await this.bus.settle();
    await done;
  }

  async stop(id: string): Promise<void> {
    await this.services.get(id)!.stop();
  }

  /** Run a user action on a nova-api and settle the bus; resolves with the action's result. */
  async action(apiId: string, action: UserAction): Promise<unknown> {
    const svc = this.services.get(apiId)!;
    if (!svc.userAction) throw new Error(`${apiId} is not nova-api`);
    const p = svc.userAction(this.ctxt(), action);
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown } | null = null;
    p.then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    );
    await this.bus.settle();
    await p.catch(() => undefined);
    const o = outcome as { ok: true; value: unknown } | { ok: false; error: unknown } | null;
    if (!o) throw new Error('action did not finish');
    if (!o.ok) throw o.error;
    return o.value;
  }
}
