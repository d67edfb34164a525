import type { Observer } from '../oslo/observer';
import type { Transport } from '../oslo/messaging';
import type { RequestContext } from './context';
import type { Database } from './db/api';
import type { NovaConf } from './conf';
import type { Release } from './releases';

/** The nova binaries the simulator runs. */
export type Binary = 'nova-api' | 'nova-conductor' | 'nova-scheduler' | 'nova-compute';
export const BINARIES: readonly Binary[] = ['nova-api', 'nova-conductor', 'nova-scheduler', 'nova-compute'];

/** RPC topic each binary listens on (nova-api serves no RPC). */
export const TOPIC_OF: Record<Binary, string | null> = {
  'nova-api': null,
  'nova-conductor': 'conductor',
  'nova-scheduler': 'scheduler',
  'nova-compute': 'compute',
};

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

/**
 * Everything a running nova service gets from the process that hosts it
 * (an in-process test harness or a worker of the runtime).
 */
export interface ServiceEnv {
  transport: Transport;
  /** Direct database access: nova-api, nova-conductor, nova-scheduler. null for nova-compute. */
  db: Database | null;
  /** Decisions of the oslo core (can_send_version, dispatch, hydration). */
  observer?: Observer;
  /** Service log lines (what would go to nova-<binary>.log). */
  log(level: LogLevel, message: string, ctxt?: unknown): void;
  /** Virtual wall clock, ISO 8601 (deterministic). */
  now(): string;
  /** Deterministic ids. */
  ids: { uuid(): string; request_id(): string };
}

/**
 * User code loaded in place of a model module: module name -> exports.
 * e.g. { 'nova/compute/rpcapi': { ComputeAPI: class extends KiloComputeAPI {...} } }
 */
export type ModuleOverrides = Record<string, Record<string, unknown>>;

export interface ServiceSpec {
  binary: Binary;
  release: Release;
  conf: NovaConf;
  overrides?: ModuleOverrides;
  /**
   * Evaluates user code once the service's object world exists, so a user
   * module can extend this service's own object classes ('nova/objects').
   * Returns more overrides; exported object classes are registered.
   */
  loadUserModules?: (objects: Record<string, unknown>) => ModuleOverrides;
}

/** A user action on the api (what `nova boot`, `nova stop`... end up calling). */
export type UserAction =
  | {
      action: 'create';
      name: string;
      flavor?: string;
      image?: string;
      /** `nova boot --nic net-id=...,v4-fixed-ip=...,port-id=...`: requested_networks */
      networks?: Array<{ uuid?: string | null; fixed_ip?: string | null; port?: string | null }>;
      /** `--block-device source=volume,dest=volume,id=...`: volumes attached at boot */
      volumes?: string[];
      /** `--boot-volume ID`: boot from this volume (no image) */
      boot_volume?: string;
    }
  | { action: 'attach_volume'; server: string; volume_id: string; device?: string | null }
  /** `nova flavor-key <flavor> set <key>=<value>` (e.g. pci_passthrough:alias=a1:1) */
  | { action: 'flavor_key'; flavor: string; key: string; value: string }
  | { action: 'detach_volume'; server: string; volume_id: string }
  | { action: 'delete' | 'stop' | 'start' | 'shelve' | 'shelve_offload' | 'unshelve' | 'unrescue' | 'pause' | 'unpause' | 'suspend' | 'resume'; server: string }
  | { action: 'reboot'; server: string; reboot_type?: 'SOFT' | 'HARD' }
  | { action: 'rescue'; server: string; rescue_password?: string }
  | { action: 'resize'; server: string; flavor: string }
  | { action: 'confirm_resize' | 'revert_resize'; server: string }
  | { action: 'live_migrate'; server: string; host?: string | null; block_migration?: boolean }
  /**
   * Not an API call: the object unit test a contributor runs on the code a
   * service loaded (see nova/objects/compat_walk.ts); any service takes it.
   */
  | { action: 'unit_test'; test: 'obj_make_compatible'; object: string; field: string; since: string };

export interface NovaService {
  readonly spec: ServiceSpec;
  /** Create RPC servers, register the service record; then serve. */
  start(ctxt: RequestContext): Promise<void>;
  /** Stop consuming (queues stay on the broker). */
  stop(): Promise<void>;
  /** Run a periodic task of the manager (nova-compute: update_available_resource). */
  periodic?(ctxt: RequestContext, task: string): Promise<void>;
  /** nova-api only: run a user action through nova's compute API. */
  userAction?(ctxt: RequestContext, action: UserAction): Promise<unknown>;
  /** The object unit test on this service's loaded classes. */
  unitTest?(action: Extract<UserAction, { action: 'unit_test' }>): { test: string; versions: number; failures: string[] };
}

export type ServiceFactory = (spec: ServiceSpec, env: ServiceEnv) => NovaService;
