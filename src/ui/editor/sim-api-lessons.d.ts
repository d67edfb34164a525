// Extra types the course's lesson code needs, on top of sim-api.d.ts.
// Everything declared here exists at run time in the modules user code
// imports (src/runtime/modules.ts, src/nova/service.ts).

declare module 'nova/objects' {
  /** An object's data dict as obj_make_compatible sees it (the `nova_object.data` of a primitive). */
  export type Primitive = Record<string, unknown>;

  /** A field definition (oslo fields.Field). */
  export interface Field {
    readonly nullable: boolean;
  }
  export interface FieldOptions {
    nullable?: boolean;
    default?: unknown;
    read_only?: boolean;
  }
  export function StringField(options?: FieldOptions): Field;
  export function IntegerField(options?: FieldOptions): Field;
  export function BooleanField(options?: FieldOptions): Field;
  /** A field from a spec string, e.g. "String [nullable]". */
  export function fieldFromSpec(spec: string): Field;

  /** versionutils.convert_version_to_tuple: '1.19' -> [1, 19], '1.19.1' -> [1, 19, 1]. */
  export function convert_version_to_tuple(version: string): number[];

  interface NovaObject {
    /**
     * Rewrite `primitive` (this object's data, already serialized) so an
     * older release can read it as `target_version`. Subclasses call super
     * first, then strip or convert what `target_version` did not have.
     */
    obj_make_compatible(primitive: Primitive, target_version: string): void;
  }

  /** The class side of a versioned object. */
  export interface NovaObjectClass {
    new (kwargs?: Record<string, unknown>): NovaObject;
    readonly prototype: NovaObject;
    /** This class's version, e.g. '1.19'. */
    VERSION: string;
    /** The fields this class adds (its ancestors' fields are inherited). */
    fields: Record<string, Field>;
    /** The wire name (`nova_object.name`); a subclass must keep its parent's. */
    obj_name(): string;
  }

  /**
   * This service's object classes by name, newest first (Kilo:
   * NovaObject._obj_classes; Liberty: NovaObjectRegistry). A released
   * service holds one class per name; a lesson's module may add a newer one.
   */
  export interface ObjectRegistry {
    /** The newest registered class of that name (UnsupportedObjectError when unknown). */
    get(name: string): NovaObjectClass;
    latest(name: string): NovaObjectClass | undefined;
  }
  export const registry: ObjectRegistry;
}

declare module 'nova/kilo/compute/rpcapi' {
  interface KiloComputeAPI {
    pause_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
    unpause_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
    suspend_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
    resume_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  }
}

declare module 'nova/liberty/compute/rpcapi' {
  import type { RPCClient } from 'oslo.messaging';
  import type { Kwargs } from 'nova/kilo/compute/rpcapi';
  export type { Kwargs };

  /** nova/compute/rpcapi.py ComputeAPI at Liberty (12.0.0): target 4.5, VERSION_ALIASES kilo = 4.0. */
  export class LibertyComputeAPI {
    static readonly TARGET_VERSION: string;
    static readonly VERSION_ALIASES: Record<string, string>;
    /** The RPC client, capped by `[upgrade_levels] compute`. */
    readonly client: RPCClient;
    /** Routing: `host` when given, else the instance's host. */
    _compute_host(host: unknown, instance: unknown): string;

    stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
    start_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    pause_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
    shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    [method: string]: unknown;
  }
}

declare module 'nova/compute/manager' {
  import type { Target } from 'oslo.messaging';

  /** Python keyword arguments, by name. */
  export type Kwargs = Record<string, unknown>;

  /**
   * A Python method signature after (self, context): the dispatcher binds a
   * message's args against it, so an argument not listed is a TypeError and
   * a missing optional one gets its default.
   */
  export interface Signature {
    required: string[];
    optional: Record<string, unknown>;
  }

  /** What nova/service.py hands a manager (opaque to lesson code). */
  export interface ComputeDeps {
    readonly host: string;
  }

  /** The simulated hypervisor: instance uuid -> power state. */
  export interface FakeDriver {
    get_info(uuid: string): number;
    power_off(uuid: string): void;
    power_on(uuid: string): void;
    pause(uuid: string): void;
    suspend(uuid: string): void;
  }

  /** nova.compute.manager.ComputeManager: the compute RPC API's server side. */
  export class BaseComputeManager {
    /** The compute RPC version this manager implements (its target). */
    static TARGET_VERSION: string;
    constructor(deps: ComputeDeps);
    readonly target: Target;
    /** Method name -> Python signature (this instance's own copy: changing it is safe). */
    readonly signatures: Record<string, Signature>;
    readonly host: string;
    readonly driver: FakeDriver;
    /** LOG.<level>(msg, instance=instance) */
    protected log(level: 'debug' | 'info' | 'warning' | 'error', msg: string, ctxt: unknown, instance?: unknown): void;
    /**
     * instance.save(**kwargs): a @remotable method. On nova-compute (no
     * database) it is an object_action call to nova-conductor, whose
     * updates are applied to `instance` when the reply comes back.
     */
    protected save(instance: unknown, kwargs?: Kwargs): Promise<void>;
    _get_power_state(ctxt: unknown, instance: unknown): number;

    stop_instance(ctxt: unknown, kw: Kwargs): Promise<void>;
    start_instance(ctxt: unknown, kw: Kwargs): Promise<void>;
    pause_instance(ctxt: unknown, kw: Kwargs): Promise<void>;
    unpause_instance(ctxt: unknown, kw: Kwargs): Promise<void>;
    suspend_instance(ctxt: unknown, kw: Kwargs): Promise<void>;
    resume_instance(ctxt: unknown, kw: Kwargs): Promise<void>;
  }
  /** Juno (2014.2): target 3.35. */
  export class JunoComputeManager extends BaseComputeManager {}
  /** Kilo (2015.1.0): target 3.40, plus _ComputeV4Proxy (4.0) in additional_endpoints. */
  export class KiloComputeManager extends BaseComputeManager {}
  /** Liberty (12.0.0): target 4.5. */
  export class LibertyComputeManager extends BaseComputeManager {}
  /** The loading service's release's manager. */
  export const ComputeManager: typeof BaseComputeManager;
}
