/**
 * Client side of the compute RPC API (nova/compute/rpcapi.py) for Icehouse
 * (2014.1), Juno (2014.2), Kilo (2015.1.0) and Liberty (12.0.0) (and
 * Mitaka's 13.0.0 client).
 *
 * Every method is called as `method(ctxt, kwargs)` with the Python keyword
 * names (defaults applied as in the Python signature) and returns a Promise:
 * a cast resolves to undefined, a call to the reply. Each one picks its
 * version the way nova does — newest first, asking `this.client
 * .can_send_version()` — drops or converts what the older version did not
 * carry, routes with `_compute_host`, then prepare(server, version) and
 * cast/call. A version above the cap is still prepared: oslo.messaging then
 * refuses it at send time with RPCVersionCapError.
 *
 * The methods lessons show are written out below, release by release. The
 * other, plain methods are installed from the facts extracted from nova
 * (src/nova/data/rpcapi-methods.json) and sent by rpcapi_table.ts.
 *
 * Subclass a release to change one method in lesson code:
 *
 *   class MyKiloAPI extends KiloComputeAPI {
 *     override async shelve_offload_instance(ctxt: unknown, kwargs: Kwargs) {
 *       // ...your version of the ladder...
 *       return super.shelve_offload_instance(ctxt, kwargs);
 *     }
 *   }
 */
import { PyAttributeError, PyException } from '../../oslo/exception';
import { Target, type RPCClient } from '../../oslo/messaging';
import { LiveMigrationWithOldNovaNotSafe, LiveMigrationWithOldNovaNotSupported, TriggerCrashDumpNotSupported } from '../exception';
import type { KnownRelease } from '../releases';
import { get_client, type RpcEnv } from '../rpc';
import { MitakaComputeCap, resolveVersionCap, versionAliases } from '../upgrade_levels';
import type { IcehouseTableMethods, JunoSecurityGroupTableMethods, JunoTableMethods, KiloTableMethods, LibertyTableMethods, MitakaTableMethods } from './rpcapi_names';
import {
  _compute_host,
  _compute_host_juno,
  as_tuples,
  unpack,
  bindArgs,
  dictWith,
  getitem,
  isObjectLike,
  obj_to_primitive,
  pyIn,
  to_primitive,
  truthy,
  type DecisionHook,
  type Kwargs,
} from './rpcapi_support';
import { clientFacts, computeMethods, paramsOf, securityGroupMethods, sendFromTable, type MethodSpec } from './rpcapi_table';

export type { Kwargs } from './rpcapi_support';

/** Hooks into the rest of the world a few client methods need (all optional). */
export interface ComputeAPIOptions {
  /** CONF.compute_topic (default "compute"). */
  topic?: string;
  /** Optional trace of what each send decided (version, dropped arguments). */
  decisions?: DecisionHook;
  /**
   * objects.BlockDeviceMapping.get_by_volume_id: reserve_block_device_name
   * loads the BDM itself when the reply is not a BlockDeviceMapping object.
   */
  bdm_get_by_volume_id?: (ctxt: unknown, volume_id: unknown) => Promise<unknown>;
  /** nova.utils.is_neutron() (Kilo build_and_run_instance below 3.33). Default false (nova-network). */
  is_neutron?: () => boolean;
  /**
   * Kilo build_and_run_instance below 3.40: the legacy JSON of the NUMA
   * limits, from the host's ComputeNode topology
   * (`topology_limits.to_dict_legacy(host_topology)`, JSON-dumped).
   */
  numa_limits_to_legacy?: (ctxt: unknown, host: unknown, node: unknown, topology_limits: unknown) => Promise<string> | string;
  /**
   * Mitaka: the process's nova.compute.rpcapi module state (LAST_VERSION and
   * the minimum nova-compute version it reads) for `[upgrade_levels]
   * compute = auto`. Without it `auto` is used verbatim as a cap.
   */
  compute_cap?: MitakaComputeCap;
  /**
   * Mitaka: migrate_data_obj.LiveMigrateData.detect_implementation(legacy):
   * check_can_live_migrate_destination turns a legacy dict reply into an
   * object with it. Without it the dict is returned.
   */
  live_migrate_data_from_legacy?: (legacy: unknown) => unknown;
}

/** isinstance(x, migrate_data_obj.LiveMigrateData), duck-typed. */
function isLiveMigrateDataLike(v: unknown): v is { from_legacy_dict(l: unknown): void; to_legacy_dict(p?: boolean): unknown } {
  return typeof v === 'object' && v !== null && typeof (v as { to_legacy_dict?: unknown }).to_legacy_dict === 'function' && typeof (v as { from_legacy_dict?: unknown }).from_legacy_dict === 'function';
}

/** What every release's ComputeAPI shares: the client, the helpers, the table path. */
export abstract class BaseComputeAPI {
  /** Which nova release this client class models. */
  static release: KnownRelease = 'kilo';
  /** messaging.Target(topic=CONF.compute_topic, version=...). */
  static TARGET_VERSION = '4.0';

  static get VERSION_ALIASES(): Record<string, string> {
    return versionAliases('compute', this.release);
  }

  /** The oslo.messaging RPCClient, public as in nova. */
  readonly client: RPCClient;
  readonly release: KnownRelease;
  /** Optional trace hook: what each send decided. */
  decisions?: DecisionHook;

  constructor(
    readonly env: RpcEnv,
    level: string | null = null,
    readonly options: ComputeAPIOptions = {},
  ) {
    const cls = this.constructor as typeof BaseComputeAPI;
    this.release = cls.release;
    this.decisions = options.decisions;
    const target = new Target({ topic: options.topic ?? 'compute', version: cls.TARGET_VERSION });
    const version_cap = this._version_cap(level, target);
    this.client = this.get_client(target, version_cap);
  }

  /** [upgrade_levels] compute -> the client's version_cap (VERSION_ALIASES.get(level, level)). */
  protected _version_cap(level: string | null, _target: Target): string | null {
    return resolveVersionCap('compute', this.release, level);
  }

  get_client(target: Target, version_cap: string | null): RPCClient {
    return get_client(this.env, target, version_cap);
  }

  /** Bind Python keyword arguments to this release's signature of `method`. */
  protected _args(method: string, kwargs: Kwargs = {}): Kwargs {
    return bindArgs(method, paramsOf('compute', this.release, method), kwargs);
  }

  /** Routing: `host` when given, else the instance's host (Kilo/Liberty: attribute access). */
  _compute_host(host: unknown, instance: unknown): string {
    return _compute_host(host, instance);
  }

  /** Kilo's _compat_ver(current, legacy). */
  _compat_ver(current: string, legacy: string): string {
    return this.client.can_send_version(current) ? current : legacy;
  }

  /** Tell the optional trace hook which version a hand-written method chose and what it left out. */
  protected _decided(method: string, version: string | null, msg_args: Kwargs, bound: Kwargs, routing: string[] = [], transforms: string[] = []): void {
    if (!this.decisions) return;
    const sent = new Set(Object.keys(msg_args));
    const dropped = Object.keys(bound).filter((n) => !sent.has(n) && !routing.includes(n));
    this.decisions({ api: 'compute', method, version, dropped, transforms });
  }

  /** The generic path for a plain method: its ladder from the extracted facts. */
  protected _send_plain(method: string, ctxt: unknown, kwargs: Kwargs = {}, spec?: MethodSpec): Promise<unknown> {
    return sendFromTable({
      api: 'compute',
      client: this.client,
      ctxt,
      method,
      spec: spec ?? computeMethods(this.release)[method]!,
      args: this._args(method, kwargs),
      compute_host: (h, i) => this._compute_host(h, i),
      decisions: this.decisions,
    });
  }

  /**
   * reserve_block_device_name: a plain call, but a reply that is not a
   * BlockDeviceMapping object (an older compute) makes the client load the
   * BDM by volume id itself.
   */
  async reserve_block_device_name(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const args = this._args('reserve_block_device_name', kwargs);
    const volume_bdm = await this._send_plain('reserve_block_device_name', ctxt, args);
    const isBdm = isObjectLike(volume_bdm) && volume_bdm.obj_name?.() === 'BlockDeviceMapping';
    if (!isBdm && this.options.bdm_get_by_volume_id) return this.options.bdm_get_by_volume_id(ctxt, args.volume_id);
    return volume_bdm;
  }

  abstract shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract shelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract start_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract reboot_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract rescue_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract build_and_run_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract prep_resize(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract resize_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract live_migration(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract terminate_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
}

const TABLE_INSTALLED = new WeakMap<object, Set<string>>();

/** Is `name` written out by hand on this prototype or an ancestor (not installed from a table)? */
function handWritten(proto: object, name: string): boolean {
  for (let p: object | null = proto; p; p = Object.getPrototypeOf(p) as object | null) {
    if (Object.prototype.hasOwnProperty.call(p, name)) return !TABLE_INSTALLED.get(p)?.has(name);
  }
  return false;
}

/** Install every table method a class does not write out itself (an ancestor's table method is replaced). */
function installTableMethods(cls: { prototype: object }, methods: Record<string, MethodSpec>): void {
  const installed = TABLE_INSTALLED.get(cls.prototype) ?? new Set<string>();
  TABLE_INSTALLED.set(cls.prototype, installed);
  for (const [name, spec] of Object.entries(methods)) {
    if (spec.present === false || handWritten(cls.prototype, name)) continue;
    installed.add(name);
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function (this: BaseComputeAPI, ctxt: unknown, kwargs: Kwargs = {}) {
        return (this as unknown as { _send_plain: BaseComputeAPI['_send_plain'] })._send_plain.call(this, name, ctxt, kwargs, spec);
      },
    });
  }
}

// ---------------------------------------------------------------------------
// Icehouse (2014.1): target 3.0, final 3.23; every method ladders down to
// Havana's 2.x (`_get_compat_version('3.0', '2.N')`) under the `havana` (2.47)
// or `grizzly` alias; `icehouse-compat` is 3.0. No build_and_run_instance.
// ---------------------------------------------------------------------------

export interface IcehouseComputeAPI extends IcehouseTableMethods {}

export class IcehouseComputeAPI extends BaseComputeAPI {
  static override release: KnownRelease = 'icehouse';
  static override TARGET_VERSION = '3.0';

  /** 2014.1 reads instance['host'] (item access, so primitive dicts route too). */
  override _compute_host(host: unknown, instance: unknown): string {
    return _compute_host_juno(host, instance);
  }

  /** nova 2014.1 _get_compat_version(current, havana_compat). */
  _get_compat_version(current: string, havana_compat: string): string {
    return this.client.can_send_version(current) ? current : havana_compat;
  }

  /*
   * The methods the lessons and managers name are sent from the same
   * extracted ladders as the rest (rpcapi-methods.json compute.icehouse):
   * 3.x first, then 3.0, then the Havana 2.x rung with its conversions.
   */
  async live_migration(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('live_migration', ctxt, kwargs);
  }
  async prep_resize(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('prep_resize', ctxt, kwargs);
  }
  async reboot_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('reboot_instance', ctxt, kwargs);
  }
  async rescue_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('rescue_instance', ctxt, kwargs);
  }
  async resize_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('resize_instance', ctxt, kwargs);
  }
  async shelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('shelve_instance', ctxt, kwargs);
  }
  async shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('shelve_offload_instance', ctxt, kwargs);
  }
  async start_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('start_instance', ctxt, kwargs);
  }
  /** A cast unless do_cast is false. */
  async stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    return this._send_plain('stop_instance', ctxt, kwargs);
  }
  /** Below 3.22 the BDM objects go as block_device.legacy_mapping(bdms) primitives. */
  async terminate_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('terminate_instance', ctxt, kwargs);
  }
  /** Below 3.15 filter_properties and node are not sent. */
  async unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    await this._send_plain('unshelve_instance', ctxt, kwargs);
  }
  /** The 2014.1 client has no such method (its boots go through run_instance). */
  async build_and_run_instance(_ctxt: unknown, _kwargs: Kwargs): Promise<void> {
    throw new PyAttributeError("'ComputeAPI' object has no attribute 'build_and_run_instance'");
  }
  /** 2014.1's reserve_block_device_name returns the reply as it comes (no BDM reload). */
  override async reserve_block_device_name(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    return this._send_plain('reserve_block_device_name', ctxt, kwargs);
  }
}

// ---------------------------------------------------------------------------
// Juno (2014.2): target 3.0, fixed versions; live migration refuses old nova.
// ---------------------------------------------------------------------------

export interface JunoComputeAPI extends JunoTableMethods {}

export class JunoComputeAPI extends BaseComputeAPI {
  static override release: KnownRelease = 'juno';
  static override TARGET_VERSION = '3.0';

  /** Juno reads instance['host'] (item access, so primitive dicts route too). */
  override _compute_host(host: unknown, instance: unknown): string {
    return _compute_host_juno(host, instance);
  }

  /** Below 3.32 live migration with shared block storage is unsafe: refuse before preparing anything. */
  _check_live_migration_api_version(server: unknown): void {
    if (!this.client.can_send_version('3.32')) {
      throw LiveMigrationWithOldNovaNotSafe({ server });
    }
  }

  async check_can_live_migrate_destination(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const { instance, destination, block_migration, disk_over_commit } = this._args('check_can_live_migrate_destination', kwargs);
    this._check_live_migration_api_version(destination);
    const cctxt = this.client.prepare({ server: destination as string, version: '3.32' });
    return cctxt.call(ctxt, 'check_can_live_migrate_destination', { instance, block_migration, disk_over_commit });
  }

  async check_can_live_migrate_source(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const { instance, dest_check_data } = this._args('check_can_live_migrate_source', kwargs);
    const source = this._compute_host(null, instance);
    this._check_live_migration_api_version(source);
    const cctxt = this.client.prepare({ server: source, version: '3.32' });
    return cctxt.call(ctxt, 'check_can_live_migrate_source', { instance, dest_check_data });
  }

  async rollback_live_migration_at_destination(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, host, destroy_disks, migrate_data } = this._args('rollback_live_migration_at_destination', kwargs);
    this._check_live_migration_api_version(host);
    const cctxt = this.client.prepare({ server: host as string, version: '3.32' });
    await cctxt.cast(ctxt, 'rollback_live_migration_at_destination', { instance, destroy_disks, migrate_data });
  }

  async check_instance_shared_storage(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const args = this._args('check_instance_shared_storage', kwargs);
    let instance = args.instance;
    let version: string;
    if (this.client.can_send_version('3.29')) {
      version = '3.29';
    } else {
      version = '3.0';
      instance = to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    return cctxt.call(ctxt, 'check_instance_shared_storage', { instance, data: args.data });
  }

  async detach_volume(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('detach_volume', kwargs);
    let instance = args.instance;
    let version: string;
    if (this.client.can_send_version('3.25')) {
      version = '3.25';
    } else {
      version = '3.0';
      instance = to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'detach_volume', { instance, volume_id: args.volume_id });
  }

  async get_console_output(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const args = this._args('get_console_output', kwargs);
    let instance = args.instance;
    let version: string;
    if (this.client.can_send_version('3.28')) {
      version = '3.28';
    } else {
      version = '3.0';
      instance = to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    return cctxt.call(ctxt, 'get_console_output', { instance, tail_length: args.tail_length });
  }

  async live_migration(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('live_migration', kwargs);
    let instance = args.instance;
    let version: string;
    if (this.client.can_send_version('3.26')) {
      version = '3.26';
    } else {
      version = '3.0';
      instance = to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: args.host as string, version });
    await cctxt.cast(ctxt, 'live_migration', {
      instance,
      dest: args.dest,
      block_migration: args.block_migration,
      migrate_data: args.migrate_data,
    });
  }

  async prep_resize(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('prep_resize', kwargs);
    const version = '3.0';
    const instance_type_p = to_primitive(args.instance_type);
    const image_p = to_primitive(args.image);
    const cctxt = this.client.prepare({ server: args.host as string, version });
    await cctxt.cast(ctxt, 'prep_resize', {
      instance: args.instance,
      instance_type: instance_type_p,
      image: image_p,
      reservations: args.reservations,
      request_spec: args.request_spec,
      filter_properties: args.filter_properties,
      node: args.node,
    });
  }

  async reboot_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, block_device_info, reboot_type } = this._args('reboot_instance', kwargs);
    const version = '3.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'reboot_instance', { instance, block_device_info, reboot_type });
  }

  async rescue_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('rescue_instance', kwargs);
    const msg_args: Kwargs = { rescue_password: args.rescue_password };
    let version: string;
    if (this.client.can_send_version('3.24')) {
      version = '3.24';
      msg_args.rescue_image_ref = args.rescue_image_ref;
    } else {
      version = '3.9';
    }
    msg_args.instance = args.instance;
    this._decided('rescue_instance', version, msg_args, args);
    const cctxt = this.client.prepare({ server: this._compute_host(null, args.instance), version });
    await cctxt.cast(ctxt, 'rescue_instance', msg_args);
  }

  async resize_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('resize_instance', kwargs);
    const version = '3.0';
    const instance_type_p = to_primitive(args.instance_type);
    const cctxt = this.client.prepare({ server: this._compute_host(null, args.instance), version });
    await cctxt.cast(ctxt, 'resize_instance', {
      instance: args.instance,
      migration: args.migration,
      image: args.image,
      reservations: args.reservations,
      instance_type: instance_type_p,
    });
  }

  async start_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance } = this._args('start_instance', kwargs);
    const version = '3.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'start_instance', { instance });
  }

  /** A cast unless do_cast is false (compute.api's stop/force_stop pass it through). */
  async stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const { instance, do_cast } = this._args('stop_instance', kwargs);
    const version = '3.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    if (truthy(do_cast)) return cctxt.cast(ctxt, 'stop_instance', { instance });
    return cctxt.call(ctxt, 'stop_instance', { instance });
  }

  async terminate_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, bdms, reservations } = this._args('terminate_instance', kwargs);
    const version = '3.22';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'terminate_instance', { instance, bdms, reservations });
  }

  async shelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, image_id } = this._args('shelve_instance', kwargs);
    const version = '3.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'shelve_instance', { instance, image_id });
  }

  async shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance } = this._args('shelve_offload_instance', kwargs);
    const version = '3.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'shelve_offload_instance', { instance });
  }

  async unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, host, image, filter_properties, node } = this._args('unshelve_instance', kwargs);
    const version = '3.15';
    const msg_kwargs = { instance, image, filter_properties, node };
    const cctxt = this.client.prepare({ server: host as string, version });
    await cctxt.cast(ctxt, 'unshelve_instance', msg_kwargs);
  }

  async build_and_run_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('build_and_run_instance', kwargs);
    let requested_networks = args.requested_networks;
    let version = '3.33';
    if (!this.client.can_send_version(version)) {
      version = '3.23';
      if (requested_networks !== null) {
        // 2014.2: `for (network_id, address, port_id, _) in as_tuples()`: four
        // items or ValueError (nova-network's to_tuple() gives two).
        requested_networks = as_tuples(requested_networks).map((t) => unpack(t, 4).slice(0, 3));
      }
    }
    const cctxt = this.client.prepare({ server: args.host as string, version });
    await cctxt.cast(ctxt, 'build_and_run_instance', {
      instance: args.instance,
      image: args.image,
      request_spec: args.request_spec,
      filter_properties: args.filter_properties,
      admin_password: args.admin_password,
      injected_files: args.injected_files,
      requested_networks,
      security_groups: args.security_groups,
      block_device_mapping: args.block_device_mapping,
      node: args.node,
      limits: args.limits,
    });
  }
}

// ---------------------------------------------------------------------------
// Kilo (2015.1.0): target 4.0; 3.x fallbacks for pinned (juno=3.35, kilo=3.40) clients.
// ---------------------------------------------------------------------------

export interface KiloComputeAPI extends KiloTableMethods {}

export class KiloComputeAPI extends BaseComputeAPI {
  static override release: KnownRelease = 'kilo';
  static override TARGET_VERSION = '4.0';

  /*
   * Three methods turn `instance` into a primitive dict on their 3.0 branch
   * *before* routing with _compute_host, which reads instance.host as an
   * attribute: below 3.25/3.28/3.29 (caps older than Juno) they raise
   * AttributeError before sending, exactly as Kilo's code does.
   */
  async check_instance_shared_storage(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const args = this._args('check_instance_shared_storage', kwargs);
    let instance = args.instance;
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
    } else if (this.client.can_send_version('3.29')) {
      version = '3.29';
    } else {
      version = '3.0';
      instance = to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: this._compute_host(args.host, instance), version });
    return cctxt.call(ctxt, 'check_instance_shared_storage', { instance, data: args.data });
  }

  async detach_volume(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('detach_volume', kwargs);
    let instance = args.instance;
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
    } else if (this.client.can_send_version('3.25')) {
      version = '3.25';
    } else {
      version = '3.0';
      instance = to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'detach_volume', { instance, volume_id: args.volume_id });
  }

  async get_console_output(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const args = this._args('get_console_output', kwargs);
    let instance = args.instance;
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
    } else if (this.client.can_send_version('3.28')) {
      version = '3.28';
    } else {
      version = '3.0';
      instance = to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    return cctxt.call(ctxt, 'get_console_output', { instance, tail_length: args.tail_length });
  }

  async live_migration(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('live_migration', kwargs);
    let instance = args.instance;
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
    } else if (this.client.can_send_version('3.26')) {
      version = '3.26';
    } else {
      version = '3.0';
      instance = to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: args.host as string, version });
    await cctxt.cast(ctxt, 'live_migration', {
      instance,
      dest: args.dest,
      block_migration: args.block_migration,
      migrate_data: args.migrate_data,
    });
  }

  async prep_resize(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('prep_resize', kwargs);
    const instance_type_p = to_primitive(args.instance_type);
    const image_p = to_primitive(args.image);
    const msg_args: Kwargs = {
      instance: args.instance,
      instance_type: instance_type_p,
      image: image_p,
      reservations: args.reservations,
      request_spec: args.request_spec,
      filter_properties: args.filter_properties,
      node: args.node,
      clean_shutdown: args.clean_shutdown,
    };
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
    } else if (this.client.can_send_version('3.38')) {
      version = '3.38';
    } else {
      delete msg_args.clean_shutdown;
      version = '3.0';
    }
    this._decided('prep_resize', version, msg_args, args, ['host']);
    const cctxt = this.client.prepare({ server: args.host as string, version });
    await cctxt.cast(ctxt, 'prep_resize', msg_args);
  }

  async reboot_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, block_device_info, reboot_type } = this._args('reboot_instance', kwargs);
    const version = this._compat_ver('4.0', '3.0');
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'reboot_instance', { instance, block_device_info, reboot_type });
  }

  async rescue_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('rescue_instance', kwargs);
    const msg_args: Kwargs = { rescue_password: args.rescue_password };
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
      msg_args.clean_shutdown = args.clean_shutdown;
      msg_args.rescue_image_ref = args.rescue_image_ref;
    } else if (this.client.can_send_version('3.37')) {
      version = '3.37';
      msg_args.clean_shutdown = args.clean_shutdown;
      msg_args.rescue_image_ref = args.rescue_image_ref;
    } else if (this.client.can_send_version('3.24')) {
      version = '3.24';
      msg_args.rescue_image_ref = args.rescue_image_ref;
    } else {
      version = '3.9';
    }
    msg_args.instance = args.instance;
    this._decided('rescue_instance', version, msg_args, args);
    const cctxt = this.client.prepare({ server: this._compute_host(null, args.instance), version });
    await cctxt.cast(ctxt, 'rescue_instance', msg_args);
  }

  async resize_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('resize_instance', kwargs);
    const instance_type_p = to_primitive(args.instance_type);
    const msg_args: Kwargs = {
      instance: args.instance,
      migration: args.migration,
      image: args.image,
      reservations: args.reservations,
      instance_type: instance_type_p,
    };
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
      msg_args.clean_shutdown = args.clean_shutdown;
    } else if (this.client.can_send_version('3.37')) {
      version = '3.37';
      msg_args.clean_shutdown = args.clean_shutdown;
    } else {
      version = '3.0';
    }
    this._decided('resize_instance', version, msg_args, args);
    const cctxt = this.client.prepare({ server: this._compute_host(null, args.instance), version });
    await cctxt.cast(ctxt, 'resize_instance', msg_args);
  }

  async start_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance } = this._args('start_instance', kwargs);
    const version = this._compat_ver('4.0', '3.0');
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'start_instance', { instance });
  }

  /** A cast unless do_cast is false; clean_shutdown only from 3.37 on. */
  async stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const args = this._args('stop_instance', kwargs);
    const msg_args: Kwargs = { instance: args.instance };
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
      msg_args.clean_shutdown = args.clean_shutdown;
    } else if (this.client.can_send_version('3.37')) {
      version = '3.37';
      msg_args.clean_shutdown = args.clean_shutdown;
    } else {
      version = '3.0';
    }
    this._decided('stop_instance', version, msg_args, args, ['do_cast']);
    const cctxt = this.client.prepare({ server: this._compute_host(null, args.instance), version });
    if (truthy(args.do_cast)) return cctxt.cast(ctxt, 'stop_instance', msg_args);
    return cctxt.call(ctxt, 'stop_instance', msg_args);
  }

  async terminate_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, bdms, reservations } = this._args('terminate_instance', kwargs);
    const version = this._compat_ver('4.0', '3.22');
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'terminate_instance', { instance, bdms, reservations });
  }

  async shelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('shelve_instance', kwargs);
    const msg_args: Kwargs = { instance: args.instance, image_id: args.image_id };
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
      msg_args.clean_shutdown = args.clean_shutdown;
    } else if (this.client.can_send_version('3.37')) {
      version = '3.37';
      msg_args.clean_shutdown = args.clean_shutdown;
    } else {
      version = '3.0';
    }
    this._decided('shelve_instance', version, msg_args, args);
    const cctxt = this.client.prepare({ server: this._compute_host(null, args.instance), version });
    await cctxt.cast(ctxt, 'shelve_instance', msg_args);
  }

  /** The article's example: 4.0 or 3.37 carry clean_shutdown, 3.0 (Juno) does not. */
  async shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('shelve_offload_instance', kwargs);
    const msg_args: Kwargs = { instance: args.instance };
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
      msg_args.clean_shutdown = args.clean_shutdown;
    } else if (this.client.can_send_version('3.37')) {
      version = '3.37';
      msg_args.clean_shutdown = args.clean_shutdown;
    } else {
      version = '3.0';
    }
    this._decided('shelve_offload_instance', version, msg_args, args);
    const cctxt = this.client.prepare({ server: this._compute_host(null, args.instance), version });
    await cctxt.cast(ctxt, 'shelve_offload_instance', msg_args);
  }

  async unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, host, image, filter_properties, node } = this._args('unshelve_instance', kwargs);
    const version = this._compat_ver('4.0', '3.15');
    const msg_kwargs = { instance, image, filter_properties, node };
    const cctxt = this.client.prepare({ server: host as string, version });
    await cctxt.cast(ctxt, 'unshelve_instance', msg_kwargs);
  }

  /**
   * A cascade: each step down applies its own conversion and they add up
   * (3.40 NUMA limits object -> legacy JSON below it; 3.36 Flavor object
   * -> primitive below it; 3.33 NetworkRequestList -> tuples below it).
   */
  async build_and_run_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('build_and_run_instance', kwargs);
    const { host, node, limits } = args;
    let filter_properties = args.filter_properties;
    let requested_networks = args.requested_networks;
    const transforms: string[] = [];

    let version = '4.0';
    if (!this.client.can_send_version(version)) {
      version = '3.40';
    }
    if (!this.client.can_send_version(version)) {
      version = '3.36';
      if (pyIn('numa_topology', limits) && truthy(getitem(limits, 'numa_topology'))) {
        const topology_limits = getitem(limits, 'numa_topology');
        // nova writes the legacy JSON back into the caller's limits dict.
        (limits as Record<string, unknown>).numa_topology = await this._legacy_numa_limits(ctxt, host, node, topology_limits);
        transforms.push('limits.numa_topology -> legacy JSON');
      }
    }
    if (!this.client.can_send_version(version)) {
      version = '3.33';
      if (pyIn('instance_type', filter_properties)) {
        const flavor = getitem(filter_properties, 'instance_type');
        const flavor_p = obj_to_primitive(flavor);
        filter_properties = dictWith(filter_properties, { instance_type: flavor_p });
        transforms.push('filter_properties.instance_type -> primitive');
      }
    }
    if (!this.client.can_send_version(version)) {
      version = '3.23';
      if (requested_networks !== null) {
        // 2015.1.0: neutron unpacks four items and keeps three, nova-network unpacks exactly two.
        const neutron = this.options.is_neutron?.() ?? false;
        requested_networks = as_tuples(requested_networks).map((t) => (neutron ? unpack(t, 4).slice(0, 3) : unpack(t, 2)));
        transforms.push('requested_networks -> tuples');
      }
    }
    const msg_args: Kwargs = {
      instance: args.instance,
      image: args.image,
      request_spec: args.request_spec,
      filter_properties,
      admin_password: args.admin_password,
      injected_files: args.injected_files,
      requested_networks,
      security_groups: args.security_groups,
      block_device_mapping: args.block_device_mapping,
      node,
      limits,
    };
    this._decided('build_and_run_instance', version, msg_args, args, ['host'], transforms);
    const cctxt = this.client.prepare({ server: host as string, version });
    await cctxt.cast(ctxt, 'build_and_run_instance', msg_args);
  }

  /** topology_limits.to_dict_legacy(host_topology), JSON-dumped (the ComputeNode lookup is the world's). */
  protected async _legacy_numa_limits(ctxt: unknown, host: unknown, node: unknown, topology_limits: unknown): Promise<string> {
    if (this.options.numa_limits_to_legacy) return this.options.numa_limits_to_legacy(ctxt, host, node, topology_limits);
    const legacy = (topology_limits as { to_dict_legacy?: (t: unknown) => unknown }).to_dict_legacy;
    if (typeof legacy === 'function') return JSON.stringify(legacy.call(topology_limits, null));
    throw new PyException(
      'NotImplementedError',
      'exceptions',
      'build_and_run_instance below 3.40 needs the host NUMA topology (pass numa_limits_to_legacy in the options)',
    );
  }
}

// ---------------------------------------------------------------------------
// Liberty (12.0.0): 4.x only (3.x dropped); the alias kilo = 4.0.
// ---------------------------------------------------------------------------

export interface LibertyComputeAPI extends LibertyTableMethods {}

export class LibertyComputeAPI extends BaseComputeAPI {
  static override release: KnownRelease = 'liberty';
  static override TARGET_VERSION = '4.0';

  /**
   * Below 4.4 the instance becomes a primitive dict before routing, and
   * _compute_host reads instance.host as an attribute: AttributeError
   * before anything is sent (as in 12.0.0).
   */
  async refresh_instance_security_rules(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    let { instance } = this._args('refresh_instance_security_rules', kwargs);
    let version = '4.4';
    if (!this.client.can_send_version(version)) {
      version = '4.0';
      instance = obj_to_primitive(instance);
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'refresh_instance_security_rules', { instance });
  }

  /** 4.2 adds migration; 12.0.0 still passes it on the 4.0 fallback (fixed later on stable/liberty). */
  async live_migration(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, dest, block_migration, host, migration, migrate_data } = this._args('live_migration', kwargs);
    const extra = { migration };
    let version = '4.2';
    if (!this.client.can_send_version(version)) {
      version = '4.0';
    }
    const cctxt = this.client.prepare({ server: host as string, version });
    await cctxt.cast(ctxt, 'live_migration', { instance, dest, block_migration, migrate_data, ...extra });
  }

  /** 4.1 sends the Flavor object; 4.0 its primitive dict. */
  async prep_resize(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('prep_resize', kwargs);
    const image_p = to_primitive(args.image);
    const msg_args: Kwargs = {
      instance: args.instance,
      instance_type: args.instance_type,
      image: image_p,
      reservations: args.reservations,
      request_spec: args.request_spec,
      filter_properties: args.filter_properties,
      node: args.node,
      clean_shutdown: args.clean_shutdown,
    };
    let version = '4.1';
    if (!this.client.can_send_version(version)) {
      version = '4.0';
      msg_args.instance_type = obj_to_primitive(args.instance_type);
    }
    const cctxt = this.client.prepare({ server: args.host as string, version });
    await cctxt.cast(ctxt, 'prep_resize', msg_args);
  }

  async reboot_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, block_device_info, reboot_type } = this._args('reboot_instance', kwargs);
    const version = '4.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'reboot_instance', { instance, block_device_info, reboot_type });
  }

  async rescue_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, rescue_password, rescue_image_ref, clean_shutdown } = this._args('rescue_instance', kwargs);
    const version = '4.0';
    const msg_args = { rescue_password, clean_shutdown, rescue_image_ref, instance };
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'rescue_instance', msg_args);
  }

  async resize_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('resize_instance', kwargs);
    const msg_args: Kwargs = {
      instance: args.instance,
      migration: args.migration,
      image: args.image,
      reservations: args.reservations,
      instance_type: args.instance_type,
      clean_shutdown: args.clean_shutdown,
    };
    let version = '4.1';
    if (!this.client.can_send_version(version)) {
      msg_args.instance_type = obj_to_primitive(args.instance_type);
      version = '4.0';
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, args.instance), version });
    await cctxt.cast(ctxt, 'resize_instance', msg_args);
  }

  async start_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance } = this._args('start_instance', kwargs);
    const version = '4.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'start_instance', { instance });
  }

  async stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const { instance, do_cast, clean_shutdown } = this._args('stop_instance', kwargs);
    const msg_args = { instance, clean_shutdown };
    const version = '4.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    if (truthy(do_cast)) return cctxt.cast(ctxt, 'stop_instance', msg_args);
    return cctxt.call(ctxt, 'stop_instance', msg_args);
  }

  /** delete_type is accepted but not sent. */
  async terminate_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, bdms, reservations } = this._args('terminate_instance', kwargs);
    const version = '4.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'terminate_instance', { instance, bdms, reservations });
  }

  async shelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, image_id, clean_shutdown } = this._args('shelve_instance', kwargs);
    const msg_args = { instance, image_id, clean_shutdown };
    const version = '4.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'shelve_instance', msg_args);
  }

  async shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, clean_shutdown } = this._args('shelve_offload_instance', kwargs);
    const msg_args = { instance, clean_shutdown };
    const version = '4.0';
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'shelve_offload_instance', msg_args);
  }

  async unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, host, image, filter_properties, node } = this._args('unshelve_instance', kwargs);
    const version = '4.0';
    const msg_kwargs = { instance, image, filter_properties, node };
    const cctxt = this.client.prepare({ server: host as string, version });
    await cctxt.cast(ctxt, 'unshelve_instance', msg_kwargs);
  }

  async build_and_run_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const args = this._args('build_and_run_instance', kwargs);
    const version = '4.0';
    const cctxt = this.client.prepare({ server: args.host as string, version });
    await cctxt.cast(ctxt, 'build_and_run_instance', {
      instance: args.instance,
      image: args.image,
      request_spec: args.request_spec,
      filter_properties: args.filter_properties,
      admin_password: args.admin_password,
      injected_files: args.injected_files,
      requested_networks: args.requested_networks,
      security_groups: args.security_groups,
      block_device_mapping: args.block_device_mapping,
      node: args.node,
      limits: args.limits,
    });
  }
}

installTableMethods(IcehouseComputeAPI, computeMethods('icehouse'));
installTableMethods(JunoComputeAPI, computeMethods('juno'));
installTableMethods(KiloComputeAPI, computeMethods('kilo'));
installTableMethods(LibertyComputeAPI, computeMethods('liberty'));

// ---------------------------------------------------------------------------
// Mitaka (13.0.0): target 4.0, 4.6..4.11 on top of Liberty's 4.5, and
// `[upgrade_levels] compute = auto`. Every method Liberty writes out by hand
// is unchanged in 13.0.0 except live_migration; the rest come from the table.
// ---------------------------------------------------------------------------

export interface MitakaComputeAPI extends MitakaTableMethods {}

export class MitakaComputeAPI extends LibertyComputeAPI {
  static override release: KnownRelease = 'mitaka';
  static override TARGET_VERSION = '4.0';

  /** ComputeAPI.__init__ @13.0.0: `auto` -> _determine_version_cap(target), else the aliases. */
  protected override _version_cap(level: string | null, target: Target): string | null {
    if (level === 'auto' && this.options.compute_cap) return this.options.compute_cap.construct(level);
    void target;
    return resolveVersionCap('compute', this.release, level);
  }

  /** 4.11 lets block_migration / disk_over_commit be None; an older cap refuses None before sending. */
  override async check_can_live_migrate_destination(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const { instance, destination, block_migration, disk_over_commit } = this._args('check_can_live_migrate_destination', kwargs);
    let version = '4.11';
    if (!this.client.can_send_version(version)) {
      if (block_migration === null || block_migration === undefined || disk_over_commit === null || disk_over_commit === undefined) {
        throw LiveMigrationWithOldNovaNotSupported();
      }
      version = '4.0';
    }
    const cctxt = this.client.prepare({ server: destination as string, version });
    const result = await cctxt.call(ctxt, 'check_can_live_migrate_destination', { instance, block_migration, disk_over_commit });
    // 13.0.0: an object as it came; a legacy dict through LiveMigrateData.detect_implementation
    if (isLiveMigrateDataLike(result) || !truthy(result) || !this.options.live_migrate_data_from_legacy) return result;
    return this.options.live_migrate_data_from_legacy(result);
  }

  /** 4.8 (object) or 4.0 (legacy dict); a legacy reply is folded back into the object sent (from_legacy_dict). */
  override async check_can_live_migrate_source(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const orig = this._args('check_can_live_migrate_source', kwargs).dest_check_data;
    const result = await this._send_plain('check_can_live_migrate_source', ctxt, kwargs);
    if (isLiveMigrateDataLike(result)) return result;
    if (truthy(orig) && truthy(result) && isLiveMigrateDataLike(orig)) {
      orig.from_legacy_dict(result);
      return orig;
    }
    return result;
  }

  /** As check_can_live_migrate_source, the legacy reply being the pre_live_migration_result. */
  override async pre_live_migration(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const orig = this._args('pre_live_migration', kwargs).migrate_data;
    const result = await this._send_plain('pre_live_migration', ctxt, kwargs);
    if (isLiveMigrateDataLike(result)) return result;
    if (truthy(orig) && truthy(result) && isLiveMigrateDataLike(orig)) {
      orig.from_legacy_dict({ pre_live_migration_result: result });
      return orig;
    }
    return result;
  }

  /** 4.8 sends migrate_data as a LiveMigrateData object; 4.2 and 4.0 its legacy dict. */
  override async live_migration(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    return this._send_plain('live_migration', ctxt, kwargs) as Promise<void>;
  }

  /** Refused below 4.6 (TriggerCrashDumpNotSupported), before anything is prepared. */
  async trigger_crash_dump(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance } = this._args('trigger_crash_dump', kwargs);
    const version = '4.6';
    if (!this.client.can_send_version(version)) throw TriggerCrashDumpNotSupported();
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    await cctxt.cast(ctxt, 'trigger_crash_dump', { instance });
  }

  /** 13.0.0 returns the reply as it comes (no BlockDeviceMapping reload for old computes). */
  override async reserve_block_device_name(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    return this._send_plain('reserve_block_device_name', ctxt, kwargs);
  }
}

// Methods 13.0.0 removed (Python: AttributeError on the client).
for (const gone of ['refresh_provider_fw_rules', 'refresh_security_group_rules', 'refresh_security_group_members']) {
  Object.defineProperty(MitakaComputeAPI.prototype, gone, { configurable: true, writable: true, enumerable: false, value: undefined });
}
installTableMethods(MitakaComputeAPI, computeMethods('mitaka'));

// ---------------------------------------------------------------------------
// Juno's separate SecurityGroupAPI (same topic and cap, no object serializer).
// ---------------------------------------------------------------------------

export interface JunoSecurityGroupAPI extends JunoSecurityGroupTableMethods {}

export class JunoSecurityGroupAPI {
  /** Icehouse's SecurityGroupAPI is the same client with 2014.1's ladders (3.0, or 2.0 under a Havana cap). */
  static release: 'icehouse' | 'juno' = 'juno';
  readonly client: RPCClient;
  decisions?: DecisionHook;

  constructor(
    readonly env: RpcEnv,
    level: string | null = null,
    options: Pick<ComputeAPIOptions, 'topic' | 'decisions'> = {},
  ) {
    const release = (this.constructor as typeof JunoSecurityGroupAPI).release;
    const target = new Target({ topic: options.topic ?? 'compute', version: clientFacts('compute', release).security_group_api!.target_version });
    // version_cap = ComputeAPI.VERSION_ALIASES.get(level, level); rpc.get_client(target, version_cap): no serializer.
    this.client = get_client({ ...env, serializer: null }, target, resolveVersionCap('compute', release, level));
    this.decisions = options.decisions;
  }

  _compute_host(host: unknown, instance: unknown): string {
    return _compute_host_juno(host, instance);
  }

  protected _send_plain(method: string, ctxt: unknown, kwargs: Kwargs = {}, spec?: MethodSpec): Promise<unknown> {
    const s = spec ?? securityGroupMethods((this.constructor as typeof JunoSecurityGroupAPI).release)[method]!;
    return sendFromTable({
      api: 'compute',
      client: this.client,
      ctxt,
      method,
      spec: s,
      args: bindArgs(method, s.params, kwargs),
      compute_host: (h, i) => this._compute_host(h, i),
      decisions: this.decisions,
    });
  }
}

installTableMethods(JunoSecurityGroupAPI, securityGroupMethods());

export interface IcehouseSecurityGroupAPI extends JunoSecurityGroupTableMethods {}

export class IcehouseSecurityGroupAPI extends JunoSecurityGroupAPI {
  static override release: 'icehouse' | 'juno' = 'icehouse';
}

installTableMethods(IcehouseSecurityGroupAPI, securityGroupMethods('icehouse'));

// ---------------------------------------------------------------------------

export type ComputeAPIClass = new (env: RpcEnv, level?: string | null, options?: ComputeAPIOptions) => BaseComputeAPI &
  Record<string, unknown>;

const BY_RELEASE = {
  icehouse: IcehouseComputeAPI,
  juno: JunoComputeAPI,
  kilo: KiloComputeAPI,
  liberty: LibertyComputeAPI,
  mitaka: MitakaComputeAPI,
} as const;

/** The ComputeAPI class of a release (Mitaka's client exists before Mitaka services do). */
export function computeAPIFor<R extends keyof typeof BY_RELEASE>(release: R): (typeof BY_RELEASE)[R] {
  return BY_RELEASE[release];
}
