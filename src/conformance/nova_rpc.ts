/**
 * Conformance adapters for the nova RPC client categories. They drive the
 * real client classes the playground uses (src/nova/compute/rpcapi.ts)
 * through a transport that only records what would have been sent.
 *
 *   alias_resolution     -> runAliasResolution
 *   compute_client_send  -> runComputeClientSend
 */
import { PyException } from '../oslo/exception';
import { RPCVersionCapError, version_is_compatible, type RpcMessage, type Target, type Transport } from '../oslo/messaging';
import { IcehouseSecurityGroupAPI, JunoSecurityGroupAPI, computeAPIFor, type BaseComputeAPI } from '../nova/compute/rpcapi';
import { bindArgs, type Kwargs, type ParamSpec } from '../nova/compute/rpcapi_support';
import { computeMethods, rpcOf, securityGroupMethods, type MethodSpec } from '../nova/compute/rpcapi_table';
import { isKnownRelease, osloOf, type KnownRelease } from '../nova/releases';
import type { RpcEnv } from '../nova/rpc';
import { MitakaComputeCap, resolveVersionCap } from '../nova/upgrade_levels';

type Input = Record<string, unknown>;

type ComputeClientRelease = 'icehouse' | 'juno' | 'kilo' | 'liberty' | 'mitaka';
function isComputeClientRelease(r: string): r is ComputeClientRelease {
  return r === 'icehouse' || r === 'juno' || r === 'kilo' || r === 'liberty' || r === 'mitaka';
}

/** The target version of each modelled client (what its first version check compares against). */
const CLIENT_TARGETS: Record<string, Partial<Record<KnownRelease, string>>> = {
  compute: { icehouse: '3.0', juno: '3.0', kilo: '4.0', liberty: '4.0', mitaka: '4.0' },
  conductor: { icehouse: '2.0', juno: '2.0', kilo: '2.0', liberty: '3.0', mitaka: '3.0' },
  scheduler: { icehouse: '3.0', juno: '3.0', kilo: '4.0', liberty: '4.0', mitaka: '4.0' },
};

/**
 * `[upgrade_levels] <service>` -> the client's cap, VERSION_ALIASES.get(level,
 * level); a cap that is no version makes the first comparison raise.
 */
export function runAliasResolution(input: Input): Record<string, unknown> {
  const service = input.service as string;
  const release = input.client_release as string;
  if (!isKnownRelease(release)) throw new Error(`Unknown release ${release}`);
  const version_cap = resolveVersionCap(service, release, (input.upgrade_level as string | null) ?? null);
  let comparison_error: string | null = null;
  if (version_cap) {
    try {
      version_is_compatible(version_cap, CLIENT_TARGETS[service]?.[release] ?? '1.0');
    } catch (e) {
      comparison_error = e instanceof PyException ? e.pyClass : String(e);
    }
  }
  return { version_cap, comparison_error };
}

interface Sent {
  target: Target;
  msg: RpcMessage;
  wait: boolean;
}

/** A transport that records each message instead of sending it (calls get a null reply). */
export function recordingTransport(): Transport & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    conf: { rpc_response_timeout: 60 },
    allowed_remote_exmods: ['nova.exception'],
    async _send(target, _ctxt, msg, options) {
      sent.push({ target, msg, wait: options.wait_for_reply });
      return null;
    },
    _listen() {
      return { stop() {} };
    },
  };
}

/** A stand-in versioned object: fields read with get(), listed by items(). */
export class FakeObject {
  constructor(
    readonly name: string,
    readonly values: Record<string, unknown>,
  ) {}
  get(field: string): unknown {
    return this.values[field] ?? null;
  }
  items(): Array<[string, unknown]> {
    return Object.entries(this.values);
  }
  obj_name(): string {
    return this.name;
  }
}

/** A stand-in LiveMigrateData (Mitaka): to_legacy_dict() gives the pre-4.8 dict. */
export class FakeLiveMigrateData extends FakeObject {
  constructor() {
    super('LibvirtLiveMigrateData', { is_shared_block_storage: false, is_shared_instance_path: false });
  }
  to_legacy_dict(pre_migration_result = false): Record<string, unknown> {
    const legacy: Record<string, unknown> = { is_shared_block_storage: false, is_shared_instance_path: false };
    if (pre_migration_result) legacy.pre_live_migration_result = {};
    return legacy;
  }
}

/**
 * The instance a case routes by: a test double with the attributes the
 * client reads (host, uuid, node), as a unit test of nova's rpcapi passes.
 * It is not a versioned object, so jsonutils.to_primitive and
 * obj_to_primitive hand it back unchanged on the oldest branches.
 */
export class FakeInstance {
  constructor(
    readonly host: string | null,
    readonly uuid = '9b3f3e7c-5f62-4a7e-9f0e-2f1d9c1e0a11',
    readonly node = 'node1',
  ) {}
}

/** Plausible values for every parameter a ComputeAPI method takes. */
export function plausibleKwargs(params: ParamSpec[], routing: Record<string, unknown>, release?: KnownRelease): Kwargs {
  const instance = new FakeInstance((routing['instance.host'] as string | undefined) ?? null);
  const hostArg = 'host_arg' in routing ? routing.host_arg : undefined;
  const kw: Kwargs = {};
  for (const p of params) {
    const required = !('default' in p);
    switch (p.name) {
      case 'instance':
        kw.instance = instance;
        break;
      case 'instances':
        kw.instances = [instance];
        break;
      case 'host':
      case 'destination':
        if (hostArg !== undefined) kw[p.name] = hostArg;
        else if (required) kw[p.name] = null;
        break;
      case 'instance_type':
        kw.instance_type = new FakeObject('Flavor', { flavorid: '1', name: 'm1.tiny', memory_mb: 512 });
        break;
      case 'migration':
        if (required) kw.migration = new FakeObject('Migration', { id: 1, status: 'migrating' });
        break;
      case 'bdm':
        if (required) kw.bdm = new FakeObject('BlockDeviceMapping', { volume_id: 'vol-1' });
        break;
      case 'image':
        kw.image = { id: 'image-1', properties: {} };
        break;
      case 'filter_properties':
      case 'request_spec':
        if (required) kw[p.name] = {};
        break;
      case 'limits':
        kw.limits = {};
        break;
      case 'host_param':
        kw.host_param = 'aggregate-host';
        break;
      case 'dest_check_data':
      case 'migrate_data':
        // Mitaka passes a LiveMigrateData object (older releases a dict).
        if (release === 'mitaka') kw[p.name] = new FakeLiveMigrateData();
        else if (required) kw[p.name] = `${p.name}-value`;
        break;
      default:
        if (required) kw[p.name] = `${p.name}-value`;
    }
  }
  return kw;
}

function specOf(release: ComputeClientRelease, method: string): { spec: MethodSpec; securityGroup: boolean } | null {
  const spec = computeMethods(release)[method];
  if (spec && spec.present !== false) return { spec, securityGroup: false };
  if ((release === 'juno' || release === 'icehouse') && securityGroupMethods(release)[method]) {
    return { spec: securityGroupMethods(release)[method]!, securityGroup: true };
  }
  return null;
}

/**
 * Instantiate the release's real ComputeAPI with `[upgrade_levels] compute`,
 * call the method with plausible arguments, and report what went out (or
 * what refused it).
 */
export async function runComputeClientSend(input: Input): Promise<Record<string, unknown>> {
  const release = input.client_release as string;
  if (!isComputeClientRelease(release)) throw new Error(`Unknown release ${release}`);
  const method = input.method as string;
  const found = specOf(release, method);
  if (!found) throw new Error(`No ComputeAPI method ${method} in ${release}`);
  const transport = recordingTransport();
  const env: RpcEnv = { transport, serializer: null, oslo: osloOf(release) };
  const level = (input.upgrade_levels_compute as string | null) ?? null;
  const kwargs = plausibleKwargs(found.spec.params, (input.routing_inputs as Record<string, unknown>) ?? {}, release);
  const rpc = rpcOf(method, found.spec, bindArgs(method, found.spec.params, kwargs));
  // Mitaka `auto`: the deployment's minimum nova-compute version (services.version), when given.
  const options =
    release === 'mitaka' && 'min_nova_compute_service_version' in input
      ? { compute_cap: new MitakaComputeCap(() => (input.min_nova_compute_service_version as number | null) ?? null) }
      : {};
  let api: BaseComputeAPI | JunoSecurityGroupAPI;
  try {
    const SG = release === 'icehouse' ? IcehouseSecurityGroupAPI : JunoSecurityGroupAPI;
    api = found.securityGroup ? new SG(env, level) : new (computeAPIFor(release))(env, level, options);
  } catch (e) {
    if (e instanceof PyException) return { rpc, outcome: e.pyClass, message: e.message };
    throw e;
  }
  const fn = (api as unknown as Record<string, (c: unknown, k: Kwargs) => Promise<unknown>>)[method]!;
  try {
    await fn.call(api, {}, kwargs);
  } catch (e) {
    if (e instanceof RPCVersionCapError) return { rpc, outcome: 'RPCVersionCapError', prepared_version: e.version };
    if (e instanceof PyException) return { rpc, outcome: e.pyClass, message: e.message };
    throw e;
  }
  const sent = transport.sent[0];
  if (!sent) throw new Error(`${method} sent nothing`);
  return {
    rpc: sent.wait ? 'call' : 'cast',
    outcome: 'sent',
    message_version: sent.msg.version ?? null,
    message_args: Object.keys(sent.msg.args).sort(),
    server: sent.target.server,
  };
}

/** category auto_upgrade_level (Mitaka 13.0.0 `[upgrade_levels] compute = auto`) */
export function runAutoUpgradeLevel(input: Input): Record<string, unknown> {
  if (input.release !== 'mitaka') return { outcome: 'skipped' };
  const min = input.min_nova_compute_service_version as number | null;
  const cap = new MitakaComputeCap(() => min);
  cap.LAST_VERSION = (input.last_version_cached as string | null) ?? null;
  if (input.reset_first) cap.reset();
  const level = (input.upgrade_levels_compute as string | null) ?? null;
  let version_cap: string | null = null;
  try {
    for (let i = 0; i < Number(input.constructions ?? 1); i++) version_cap = cap.construct(level);
  } catch (e) {
    const pe = e as PyException;
    return {
      outcome: pe.pyClass,
      version_cap: null,
      db_queries: cap.db_queries,
      last_version_after: cap.LAST_VERSION,
      exception: { class: pe.pyClass, thisver: pe.kwargs.thisver, minver: pe.kwargs.minver, message: pe.message },
    };
  }
  return { outcome: 'constructed', version_cap, db_queries: cap.db_queries, last_version_after: cap.LAST_VERSION };
}
