/**
 * Client side of the conductor RPC APIs (nova/conductor/rpcapi.py):
 *
 * - ConductorAPI (topic 'conductor', no namespace): the object methods
 *   (remotable calls and backports) plus provider_fw_rule_get_all and, in
 *   Juno/Kilo, service_update. Every method is a call prepared *without* a
 *   version, so the message carries the client target version (2.0 in Juno
 *   and Kilo, 3.0 in Liberty); the cap comes from `[upgrade_levels]
 *   conductor`. The object methods take positional arguments as nova's
 *   NovaObject.indirection_api does, so an instance can serve as the
 *   objects world's indirection API.
 * - ComputeTaskAPI (namespace 'compute_task', target 1.0): build_instances,
 *   unshelve_instance, migrate_server, rebuild_instance. It has NO version
 *   cap at all (no upgrade_levels option), so it always sends its newest
 *   version: conductor must be upgraded before nova-api. Called as
 *   `method(ctxt, kwargs)` like the compute client.
 */
import { PyAttributeError } from '../../oslo/exception';
import { Target, type RPCClient } from '../../oslo/messaging';
import { as_tuples, bindArgs, obj_to_primitive, dictWith, getitem, pyIn, to_primitive, type Kwargs } from '../compute/rpcapi_support';
import { clientFacts } from '../compute/rpcapi_table';
import type { Release } from '../releases';
import { get_client, type RpcEnv } from '../rpc';
import { resolveVersionCap, versionAliases } from '../upgrade_levels';

export interface ConductorAPIOptions {
  /** CONF.conductor.topic (default "conductor"). */
  topic?: string;
  /**
   * ovo_base.obj_tree_get_versions(objname): the version manifest of an
   * object class and its children as this service knows them (Liberty's
   * object_class_action wrapper sends it). Provided by the objects world.
   */
  obj_tree_get_versions?: (objname: string) => Record<string, string>;
  /** CONF.report_interval (default 10): Kilo's service_update call timeout derives from it. */
  report_interval?: number;
}

/** What the three releases' ConductorAPI share. */
export abstract class BaseConductorAPI {
  static release: Release = 'kilo';
  static TARGET_VERSION = '2.0';

  static get VERSION_ALIASES(): Record<string, string> {
    return versionAliases('conductor', this.release);
  }

  readonly client: RPCClient;
  readonly release: Release;

  constructor(
    readonly env: RpcEnv,
    level: string | null = null,
    readonly options: ConductorAPIOptions = {},
  ) {
    const cls = this.constructor as typeof BaseConductorAPI;
    this.release = cls.release;
    const target = new Target({ topic: options.topic ?? 'conductor', version: cls.TARGET_VERSION });
    const version_cap = resolveVersionCap('conductor', this.release, level);
    this.client = get_client(env, target, version_cap);
  }

  provider_fw_rule_get_all(ctxt: unknown): Promise<unknown> {
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'provider_fw_rule_get_all');
  }

  /** Run a remotable method of an object on conductor; returns [updates, result]. */
  object_action(
    ctxt: unknown,
    objinst: unknown,
    objmethod: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
  ): Promise<[Record<string, unknown>, unknown]> {
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'object_action', { objinst, objmethod, args, kwargs }) as Promise<[Record<string, unknown>, unknown]>;
  }
}

/** Juno/Kilo: object_class_action carries the caller's objver; object_backport(target_version). */
abstract class V2ConductorAPI extends BaseConductorAPI {
  object_class_action(
    ctxt: unknown,
    objname: string,
    objmethod: string,
    objver: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
  ): Promise<unknown> {
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'object_class_action', { objname, objmethod, objver, args, kwargs });
  }

  object_backport(ctxt: unknown, objinst: unknown, target_version: string): Promise<unknown> {
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'object_backport', { objinst, target_version });
  }

  service_get_all_by(ctxt: unknown, topic: string | null = null, host: string | null = null, binary: string | null = null): Promise<unknown> {
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'service_get_all_by', { topic, host, binary });
  }

  /** The resource tracker's compute node row (2014.2; 2015.1.0 still creates it this way). */
  compute_node_create(ctxt: unknown, values: Record<string, unknown>): Promise<unknown> {
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'compute_node_create', { values });
  }

  compute_node_update(ctxt: unknown, node: unknown, values: Record<string, unknown>): Promise<unknown> {
    const node_p = to_primitive(node);
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'compute_node_update', { node: node_p, values });
  }
}

export class JunoConductorAPI extends V2ConductorAPI {
  static override release: Release = 'juno';
  static override TARGET_VERSION = '2.0';

  service_update(ctxt: unknown, service: unknown, values: unknown): Promise<unknown> {
    const service_p = to_primitive(service);
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'service_update', { service: service_p, values });
  }
}

export class KiloConductorAPI extends V2ConductorAPI {
  static override release: Release = 'kilo';
  static override TARGET_VERSION = '2.0';

  /** A periodic call: its timeout stays below the report interval (minus 1 when above 5 s). */
  service_update(ctxt: unknown, service: unknown, values: unknown): Promise<unknown> {
    const service_p = to_primitive(service);
    let timeout = this.options.report_interval ?? 10;
    if (timeout && timeout > 5) timeout -= 1;
    const cctxt = timeout ? this.client.prepare({ timeout }) : this.client.prepare();
    return cctxt.call(ctxt, 'service_update', { service: service_p, values });
  }
}

/** Liberty: target 3.0; object methods carry the caller's whole version manifest. */
export class LibertyConductorAPI extends BaseConductorAPI {
  static override release: Release = 'liberty';
  static override TARGET_VERSION = '3.0';

  /** No object_class_action message any more: send the manifest with object_class_action_versions. */
  object_class_action(
    ctxt: unknown,
    objname: string,
    objmethod: string,
    objver: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
  ): Promise<unknown> {
    void objver;
    const tree = this.options.obj_tree_get_versions;
    if (!tree) throw new Error('LibertyConductorAPI.object_class_action needs options.obj_tree_get_versions');
    const versions = tree(objname);
    return this.object_class_action_versions(ctxt, objname, objmethod, versions, args, kwargs);
  }

  object_class_action_versions(
    ctxt: unknown,
    objname: string,
    objmethod: string,
    object_versions: Record<string, string>,
    args: unknown[],
    kwargs: Record<string, unknown>,
  ): Promise<unknown> {
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'object_class_action_versions', { objname, objmethod, object_versions, args, kwargs });
  }

  object_backport_versions(ctxt: unknown, objinst: unknown, object_versions: Record<string, string>): Promise<unknown> {
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'object_backport_versions', { objinst, object_versions });
  }
}

/**
 * Mitaka 13.0.0: Liberty's client without provider_fw_rule_get_all (the
 * 3.0 ConductorManager still answers it, with []); VERSION_ALIASES gains
 * liberty = 3.0.
 */
export class MitakaConductorAPI extends LibertyConductorAPI {
  static override release: Release = 'mitaka';
  static override TARGET_VERSION = '3.0';
}
// Python: AttributeError on the client.
Object.defineProperty(MitakaConductorAPI.prototype, 'provider_fw_rule_get_all', { configurable: true, writable: true, enumerable: false, value: undefined });

/** Icehouse (2014.1): the same 2.0 client as Juno for every modelled method. */
export class IcehouseConductorAPI extends JunoConductorAPI {
  static override release: Release = 'icehouse';
}

const CONDUCTOR_BY_RELEASE = { icehouse: IcehouseConductorAPI, juno: JunoConductorAPI, kilo: KiloConductorAPI, liberty: LibertyConductorAPI, mitaka: MitakaConductorAPI } as const;

export function conductorAPIFor<R extends Release>(release: R): (typeof CONDUCTOR_BY_RELEASE)[R] {
  return CONDUCTOR_BY_RELEASE[release];
}

// ---------------------------------------------------------------------------
// ComputeTaskAPI
// ---------------------------------------------------------------------------

export interface ComputeTaskAPIOptions {
  topic?: string;
}

export abstract class BaseComputeTaskAPI {
  static release: Release = 'kilo';

  readonly client: RPCClient;
  readonly release: Release;

  /** No `level`: ComputeTaskAPI never has a version cap. */
  constructor(
    readonly env: RpcEnv,
    readonly options: ComputeTaskAPIOptions = {},
  ) {
    const cls = this.constructor as typeof BaseComputeTaskAPI;
    this.release = cls.release;
    const target = new Target({ topic: options.topic ?? 'conductor', namespace: 'compute_task', version: '1.0' });
    this.client = this.get_client(target);
  }

  /** rpc.get_client(target, serializer=...): no version_cap argument at all. */
  get_client(target: Target): RPCClient {
    return get_client(this.env, target, null);
  }

  protected _args(method: string, kwargs: Kwargs = {}): Kwargs {
    return bindArgs(method, clientFacts('compute_task', this.release).methods[method]!.params, kwargs);
  }

  async unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance } = this._args('unshelve_instance', kwargs);
    const cctxt = this.client.prepare({ version: '1.3' });
    await cctxt.cast(ctxt, 'unshelve_instance', { instance });
  }

  async rebuild_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const a = this._args('rebuild_instance', kwargs);
    const cctxt = this.client.prepare({ version: '1.8' });
    await cctxt.cast(ctxt, 'rebuild_instance', {
      instance: a.instance,
      new_pass: a.new_pass,
      injected_files: a.injected_files,
      image_ref: a.image_ref,
      orig_image_ref: a.orig_image_ref,
      orig_sys_metadata: a.orig_sys_metadata,
      bdms: a.bdms,
      recreate: a.recreate,
      on_shared_storage: a.on_shared_storage,
      preserve_ephemeral: a.preserve_ephemeral,
      host: a.host,
    });
  }

  abstract migrate_server(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
  abstract build_instances(ctxt: unknown, kwargs: Kwargs): Promise<void>;
}

export class JunoComputeTaskAPI extends BaseComputeTaskAPI {
  static override release: Release = 'juno';

  migrate_server(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const a = this._args('migrate_server', kwargs);
    let instance = a.instance;
    let version: string;
    if (this.client.can_send_version('1.6')) {
      version = '1.6';
    } else {
      instance = to_primitive(obj_to_primitive(instance));
      version = '1.4';
    }
    const flavor_p = to_primitive(a.flavor);
    const cctxt = this.client.prepare({ version });
    return cctxt.call(ctxt, 'migrate_server', {
      instance,
      scheduler_hint: a.scheduler_hint,
      live: a.live,
      rebuild: a.rebuild,
      flavor: flavor_p,
      block_migration: a.block_migration,
      disk_over_commit: a.disk_over_commit,
      reservations: a.reservations,
    });
  }

  async build_instances(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const a = this._args('build_instances', kwargs);
    const image_p = to_primitive(a.image);
    const kw: Kwargs = {
      instances: a.instances,
      image: image_p,
      filter_properties: a.filter_properties,
      admin_password: a.admin_password,
      injected_files: a.injected_files,
      requested_networks: a.requested_networks,
      security_groups: a.security_groups,
    };
    let version = '1.9';
    if (!this.client.can_send_version('1.9')) {
      version = '1.8';
      kw.requested_networks = as_tuples(kw.requested_networks);
    }
    if (!this.client.can_send_version('1.7')) {
      version = '1.5';
      kw.block_device_mapping = a.block_device_mapping;
      kw.legacy_bdm = a.legacy_bdm;
    }
    const cctxt = this.client.prepare({ version });
    await cctxt.cast(ctxt, 'build_instances', kw);
  }
}

/**
 * Icehouse (2014.1): build_instances is always 1.5 (block_device_mapping and
 * legacy_bdm, requested_networks as given); migrate_server as Juno's; no
 * rebuild_instance (added in 1.8, Juno).
 */
export class IcehouseComputeTaskAPI extends JunoComputeTaskAPI {
  static override release: Release = 'icehouse';

  override async build_instances(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const a = this._args('build_instances', kwargs);
    const image_p = to_primitive(a.image);
    const cctxt = this.client.prepare({ version: '1.5' });
    await cctxt.cast(ctxt, 'build_instances', {
      instances: a.instances,
      image: image_p,
      filter_properties: a.filter_properties,
      admin_password: a.admin_password,
      injected_files: a.injected_files,
      requested_networks: a.requested_networks,
      security_groups: a.security_groups,
      block_device_mapping: a.block_device_mapping,
      legacy_bdm: a.legacy_bdm,
    });
  }

  override async rebuild_instance(_ctxt: unknown, _kwargs: Kwargs): Promise<void> {
    throw new PyAttributeError("'ComputeTaskAPI' object has no attribute 'rebuild_instance'");
  }
}

/** Kilo (and, unchanged, Liberty): 1.10 Flavor objects, 1.11 clean_shutdown. */
export class KiloComputeTaskAPI extends BaseComputeTaskAPI {
  static override release: Release = 'kilo';

  migrate_server(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const a = this._args('migrate_server', kwargs);
    const kw: Kwargs = {
      instance: a.instance,
      scheduler_hint: a.scheduler_hint,
      live: a.live,
      rebuild: a.rebuild,
      flavor: a.flavor,
      block_migration: a.block_migration,
      disk_over_commit: a.disk_over_commit,
      reservations: a.reservations,
      clean_shutdown: a.clean_shutdown,
    };
    let version = '1.11';
    if (!this.client.can_send_version(version)) {
      delete kw.clean_shutdown;
      version = '1.10';
    }
    if (!this.client.can_send_version(version)) {
      kw.flavor = obj_to_primitive(a.flavor);
      version = '1.6';
    }
    if (!this.client.can_send_version(version)) {
      kw.instance = to_primitive(obj_to_primitive(a.instance));
      version = '1.4';
    }
    const cctxt = this.client.prepare({ version });
    return cctxt.call(ctxt, 'migrate_server', kw);
  }

  async build_instances(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const a = this._args('build_instances', kwargs);
    const image_p = to_primitive(a.image);
    let filter_properties = a.filter_properties;
    let version = '1.10';
    if (!this.client.can_send_version(version)) {
      version = '1.9';
      if (pyIn('instance_type', filter_properties)) {
        const flavor = getitem(filter_properties, 'instance_type');
        const flavor_p = obj_to_primitive(flavor);
        filter_properties = dictWith(filter_properties, { instance_type: flavor_p });
      }
    }
    const kw: Kwargs = {
      instances: a.instances,
      image: image_p,
      filter_properties,
      admin_password: a.admin_password,
      injected_files: a.injected_files,
      requested_networks: a.requested_networks,
      security_groups: a.security_groups,
    };
    if (!this.client.can_send_version(version)) {
      version = '1.8';
      kw.requested_networks = as_tuples(kw.requested_networks);
    }
    if (!this.client.can_send_version('1.7')) {
      version = '1.5';
      const bdm_p = obj_to_primitive(a.block_device_mapping);
      kw.block_device_mapping = bdm_p;
      kw.legacy_bdm = a.legacy_bdm;
    }
    const cctxt = this.client.prepare({ version });
    await cctxt.cast(ctxt, 'build_instances', kw);
  }
}

export class LibertyComputeTaskAPI extends KiloComputeTaskAPI {
  static override release: Release = 'liberty';
}

/**
 * Mitaka 13.0.0: request_spec (a RequestSpec object, or None) on
 * rebuild_instance 1.12, migrate_server 1.13 and unshelve_instance 1.14,
 * each dropped when the version cannot be sent. There is still no cap, so
 * against a Liberty conductor (1.11) these three are UnsupportedVersion at
 * the server: conductor goes first.
 */
export class MitakaComputeTaskAPI extends KiloComputeTaskAPI {
  static override release: Release = 'mitaka';

  override migrate_server(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const a = this._args('migrate_server', kwargs);
    const kw: Kwargs = {
      instance: a.instance,
      scheduler_hint: a.scheduler_hint,
      live: a.live,
      rebuild: a.rebuild,
      flavor: a.flavor,
      block_migration: a.block_migration,
      disk_over_commit: a.disk_over_commit,
      reservations: a.reservations,
      clean_shutdown: a.clean_shutdown,
      request_spec: a.request_spec,
    };
    let version = '1.13';
    if (!this.client.can_send_version(version)) {
      delete kw.request_spec;
      version = '1.11';
    }
    if (!this.client.can_send_version(version)) {
      delete kw.clean_shutdown;
      version = '1.10';
    }
    if (!this.client.can_send_version(version)) {
      kw.flavor = obj_to_primitive(a.flavor);
      version = '1.6';
    }
    if (!this.client.can_send_version(version)) {
      kw.instance = to_primitive(obj_to_primitive(a.instance));
      version = '1.4';
    }
    const cctxt = this.client.prepare({ version });
    return cctxt.call(ctxt, 'migrate_server', kw);
  }

  override async unshelve_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { instance, request_spec } = this._args('unshelve_instance', kwargs);
    let version = '1.14';
    const kw: Kwargs = { instance, request_spec };
    if (!this.client.can_send_version(version)) {
      version = '1.3';
      delete kw.request_spec;
    }
    const cctxt = this.client.prepare({ version });
    await cctxt.cast(ctxt, 'unshelve_instance', kw);
  }

  override async rebuild_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const a = this._args('rebuild_instance', kwargs);
    let version = '1.12';
    const kw: Kwargs = {
      instance: a.instance,
      new_pass: a.new_pass,
      injected_files: a.injected_files,
      image_ref: a.image_ref,
      orig_image_ref: a.orig_image_ref,
      orig_sys_metadata: a.orig_sys_metadata,
      bdms: a.bdms,
      recreate: a.recreate,
      on_shared_storage: a.on_shared_storage,
      preserve_ephemeral: a.preserve_ephemeral,
      host: a.host,
      request_spec: a.request_spec,
    };
    if (!this.client.can_send_version(version)) {
      version = '1.8';
      delete kw.request_spec;
    }
    const cctxt = this.client.prepare({ version });
    await cctxt.cast(ctxt, 'rebuild_instance', kw);
  }
}

const TASK_BY_RELEASE = { icehouse: IcehouseComputeTaskAPI, juno: JunoComputeTaskAPI, kilo: KiloComputeTaskAPI, liberty: LibertyComputeTaskAPI, mitaka: MitakaComputeTaskAPI } as const;

export function computeTaskAPIFor<R extends Release>(release: R): (typeof TASK_BY_RELEASE)[R] {
  return TASK_BY_RELEASE[release];
}
