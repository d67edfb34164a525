/**
 * Client side of the scheduler RPC API (nova/scheduler/rpcapi.py).
 *
 * Juno: target 3.0, select_destinations is a call prepared without a
 * version (the message carries 3.0). Kilo and Liberty: target 4.0 and NO
 * 3.x fallback — select_destinations is always 4.0, so `[upgrade_levels]
 * scheduler=juno` (3.0) makes it raise RPCVersionCapError: the scheduler is
 * upgraded together with conductor. The 4.1/4.2 cache updates are fanout
 * casts to every scheduler. Methods are called as `method(ctxt, kwargs)`.
 */
import { PyAttributeError } from '../../oslo/exception';
import { Target, type RPCClient } from '../../oslo/messaging';
import { bindArgs, to_primitive, type Kwargs } from '../compute/rpcapi_support';
import { clientFacts } from '../compute/rpcapi_table';
import type { Release } from '../releases';
import { get_client, type RpcEnv } from '../rpc';
import { resolveVersionCap, versionAliases } from '../upgrade_levels';

export interface SchedulerAPIOptions {
  /** CONF.scheduler_topic (default "scheduler"). */
  topic?: string;
}

export abstract class BaseSchedulerAPI {
  static release: Release = 'kilo';
  static TARGET_VERSION = '4.0';

  static get VERSION_ALIASES(): Record<string, string> {
    return versionAliases('scheduler', this.release);
  }

  readonly client: RPCClient;
  readonly release: Release;

  constructor(
    readonly env: RpcEnv,
    level: string | null = null,
    readonly options: SchedulerAPIOptions = {},
  ) {
    const cls = this.constructor as typeof BaseSchedulerAPI;
    this.release = cls.release;
    const target = new Target({ topic: options.topic ?? 'scheduler', version: cls.TARGET_VERSION });
    this.client = get_client(env, target, resolveVersionCap('scheduler', this.release, level));
  }

  protected _args(method: string, kwargs: Kwargs = {}): Kwargs {
    return bindArgs(method, clientFacts('scheduler', this.release).methods[method]!.params, kwargs);
  }

  abstract select_destinations(ctxt: unknown, kwargs: Kwargs): Promise<unknown>;
}

export class JunoSchedulerAPI extends BaseSchedulerAPI {
  static override release: Release = 'juno';
  static override TARGET_VERSION = '3.0';

  select_destinations(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const { request_spec, filter_properties } = this._args('select_destinations', kwargs);
    const cctxt = this.client.prepare();
    return cctxt.call(ctxt, 'select_destinations', { request_spec, filter_properties });
  }
}

/**
 * Icehouse (2014.1): target 3.0, every method prepared without a version
 * (so sent at 3.0): select_destinations (call), run_instance and
 * prep_resize (casts; prep_resize turns its arguments into primitives).
 */
export class IcehouseSchedulerAPI extends JunoSchedulerAPI {
  static override release: Release = 'icehouse';

  async run_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const a = this._args('run_instance', kwargs);
    const cctxt = this.client.prepare();
    await cctxt.cast(ctxt, 'run_instance', {
      request_spec: a.request_spec,
      admin_password: a.admin_password,
      injected_files: a.injected_files,
      requested_networks: a.requested_networks,
      is_first_time: a.is_first_time,
      filter_properties: a.filter_properties,
      legacy_bdm_in_spec: a.legacy_bdm_in_spec,
    });
  }

  async prep_resize(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const a = this._args('prep_resize', kwargs);
    const cctxt = this.client.prepare();
    await cctxt.cast(ctxt, 'prep_resize', {
      instance: to_primitive(a.instance),
      instance_type: to_primitive(a.instance_type),
      image: to_primitive(a.image),
      request_spec: a.request_spec,
      filter_properties: a.filter_properties,
      reservations: to_primitive(a.reservations),
    });
  }
}

export class KiloSchedulerAPI extends BaseSchedulerAPI {
  static override release: Release = 'kilo';
  static override TARGET_VERSION = '4.0';

  select_destinations(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const { request_spec, filter_properties } = this._args('select_destinations', kwargs);
    const cctxt = this.client.prepare({ version: '4.0' });
    return cctxt.call(ctxt, 'select_destinations', { request_spec, filter_properties });
  }

  async update_aggregates(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { aggregates } = this._args('update_aggregates', kwargs);
    const cctxt = this.client.prepare({ fanout: true, version: '4.1' });
    await cctxt.cast(ctxt, 'update_aggregates', { aggregates });
  }

  async delete_aggregate(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { aggregate } = this._args('delete_aggregate', kwargs);
    const cctxt = this.client.prepare({ fanout: true, version: '4.1' });
    await cctxt.cast(ctxt, 'delete_aggregate', { aggregate });
  }

  async update_instance_info(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { host_name, instance_info } = this._args('update_instance_info', kwargs);
    const cctxt = this.client.prepare({ version: '4.2', fanout: true });
    await cctxt.cast(ctxt, 'update_instance_info', { host_name, instance_info });
  }

  async delete_instance_info(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { host_name, instance_uuid } = this._args('delete_instance_info', kwargs);
    const cctxt = this.client.prepare({ version: '4.2', fanout: true });
    await cctxt.cast(ctxt, 'delete_instance_info', { host_name, instance_uuid });
  }

  async sync_instance_info(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const { host_name, instance_uuids } = this._args('sync_instance_info', kwargs);
    const cctxt = this.client.prepare({ version: '4.2', fanout: true });
    await cctxt.cast(ctxt, 'sync_instance_info', { host_name, instance_uuids });
  }
}

/** Liberty's client is Kilo's unchanged. */
export class LibertySchedulerAPI extends KiloSchedulerAPI {
  static override release: Release = 'liberty';
}

/** What a Mitaka client needs of the RequestSpec it sends (nova/objects/request_spec.py @13.0.0). */
export interface LegacyRequestSpecSource {
  to_legacy_request_spec_dict(): unknown;
  to_legacy_filter_properties_dict(): unknown;
}

/**
 * Mitaka 13.0.0: select_destinations(ctxt, spec_obj) sends the RequestSpec
 * object at 4.3; under a cap below 4.3 (e.g. `liberty` = 4.2) it sends the
 * legacy request_spec / filter_properties dicts at 4.0.
 */
export class MitakaSchedulerAPI extends KiloSchedulerAPI {
  static override release: Release = 'mitaka';

  override select_destinations(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const { spec_obj } = this._args('select_destinations', kwargs);
    let version = '4.3';
    let msg_args: Kwargs = { spec_obj };
    if (!this.client.can_send_version(version)) {
      const spec = spec_obj as LegacyRequestSpecSource | null;
      if (typeof spec?.to_legacy_request_spec_dict !== 'function') {
        throw new PyAttributeError(`'${spec === null ? 'NoneType' : typeof spec === 'object' ? 'dict' : typeof spec}' object has no attribute 'to_legacy_request_spec_dict'`);
      }
      msg_args = { request_spec: spec.to_legacy_request_spec_dict(), filter_properties: spec.to_legacy_filter_properties_dict() };
      version = '4.0';
    }
    const cctxt = this.client.prepare({ version });
    return cctxt.call(ctxt, 'select_destinations', msg_args);
  }
}

const BY_RELEASE = { icehouse: IcehouseSchedulerAPI, juno: JunoSchedulerAPI, kilo: KiloSchedulerAPI, liberty: LibertySchedulerAPI, mitaka: MitakaSchedulerAPI } as const;

export function schedulerAPIFor<R extends Release>(release: R): (typeof BY_RELEASE)[R] {
  return BY_RELEASE[release];
}
