// Types of the simulation API that lesson code sees (Monaco extra lib).
// Kept small and honest: only what lesson code calls. Every rpcapi method
// takes (ctxt, kwargs) with nova's Python keyword names and returns a
// Promise (a cast resolves to undefined, a call to the reply).

declare module 'oslo.messaging' {
  /** messaging.Target: where a message goes and at which version. */
  export class Target {
    constructor(fields?: { topic?: string | null; server?: string | null; version?: string | null; namespace?: string | null; fanout?: boolean | null; exchange?: string | null });
    readonly topic: string | null;
    readonly server: string | null;
    readonly version: string | null;
    readonly namespace: string | null;
    readonly fanout: boolean | null;
  }

  export interface PrepareOptions {
    server?: string | null;
    version?: string | null;
    topic?: string | null;
    namespace?: string | null;
    fanout?: boolean | null;
    timeout?: number | null;
    version_cap?: string | null;
  }

  /** A prepared client (oslo's _CallContext). cast/call refuse a version above the cap with RPCVersionCapError. */
  export interface CallContext {
    readonly target: Target;
    readonly version_cap: string | null;
    can_send_version(version?: string | null): boolean;
    cast(ctxt: unknown, method: string, kwargs?: Record<string, unknown>): Promise<void>;
    call(ctxt: unknown, method: string, kwargs?: Record<string, unknown>): Promise<unknown>;
    prepare(options?: PrepareOptions): CallContext;
  }

  /** oslo.messaging RPCClient. prepare() never checks the cap; cast()/call() do. */
  export class RPCClient {
    readonly target: Target;
    readonly version_cap: string | null;
    /** True when there is no version_cap or the cap accepts `version`. */
    can_send_version(version?: string | null): boolean;
    prepare(options?: PrepareOptions): CallContext;
    cast(ctxt: unknown, method: string, kwargs?: Record<string, unknown>): Promise<void>;
    call(ctxt: unknown, method: string, kwargs?: Record<string, unknown>): Promise<unknown>;
  }
}

declare module 'nova/objects' {
  /**
   * A versioned object (nova.objects.base.NovaObject), e.g. an Instance:
   * fields are read and written with get/set; remotable methods (save,
   * get_by_uuid...) run through conductor on a compute.
   */
  export interface NovaObject {
    obj_name(): string;
    /** The version of this object: its class's VERSION, or the one it arrived at. */
    readonly VERSION: string;
    obj_attr_is_set(name: string): boolean;
    obj_what_changed(): Set<string>;
    obj_to_primitive(target_version?: string): Record<string, unknown>;
    get(name: string): unknown;
    set(name: string, value: unknown): void;
  }

  /** nova.objects.Instance (the service's own release). */
  export type Instance = NovaObject;
}

declare module 'nova/kilo/compute/rpcapi' {
  import type { RPCClient } from 'oslo.messaging';

  /** Python keyword arguments, by name. */
  export type Kwargs = Record<string, unknown>;

  /** nova/compute/rpcapi.py ComputeAPI at Kilo (2015.1.0): target 4.0, VERSION_ALIASES juno = 3.35. */
  export class KiloComputeAPI {
    static readonly TARGET_VERSION: string;
    static readonly VERSION_ALIASES: Record<string, string>;
    /** The RPC client, capped by `[upgrade_levels] compute`. */
    readonly client: RPCClient;
    /** Routing: `host` when given, else the instance's host. */
    _compute_host(host: unknown, instance: unknown): string;
    /** can_send_version(current) ? current : legacy */
    _compat_ver(current: string, legacy: string): string;

    shelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    reboot_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    start_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    rescue_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    terminate_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    build_and_run_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    resize_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    prep_resize(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    live_migration(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    check_can_live_migrate_destination(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
    [method: string]: unknown;
  }
}

declare module 'nova/icehouse/compute/rpcapi' {
  import type { RPCClient } from 'oslo.messaging';
  import type { Kwargs } from 'nova/kilo/compute/rpcapi';
  export type { Kwargs };

  /** nova/compute/rpcapi.py ComputeAPI at Icehouse (2014.1): target 3.0, VERSION_ALIASES grizzly = 2.27, havana = 2.47, icehouse-compat = 3.0; no build_and_run_instance (boots use run_instance). */
  export class IcehouseComputeAPI {
    static readonly TARGET_VERSION: string;
    static readonly VERSION_ALIASES: Record<string, string>;
    readonly client: RPCClient;
    _compute_host(host: unknown, instance: unknown): string;
    /** can_send_version(current) ? current : havana_compat */
    _get_compat_version(current: string, havana_compat: string): string;

    shelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    reboot_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    start_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    run_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    [method: string]: unknown;
  }
}

declare module 'nova/juno/compute/rpcapi' {
  import type { RPCClient } from 'oslo.messaging';
  import type { Kwargs } from 'nova/kilo/compute/rpcapi';
  export type { Kwargs };

  /** nova/compute/rpcapi.py ComputeAPI at Juno (2014.2): target 3.0, VERSION_ALIASES icehouse = 3.23, juno = 3.35. */
  export class JunoComputeAPI {
    static readonly TARGET_VERSION: string;
    static readonly VERSION_ALIASES: Record<string, string>;
    readonly client: RPCClient;
    _compute_host(host: unknown, instance: unknown): string;

    shelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    reboot_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    start_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    build_and_run_instance(ctxt: unknown, kwargs: Kwargs): Promise<void>;
    [method: string]: unknown;
  }
}
