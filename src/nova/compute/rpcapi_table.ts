/**
 * The data-driven half of the compute client: the per-release method facts
 * extracted from nova (src/nova/data/rpcapi-methods.json) and a generic
 * sender that walks a method's ladder exactly as the plain nova methods do
 * (`_compat_ver(...)` or an if/elif chain of can_send_version checks, then
 * prepare(server=..., version=...) and cast/call). The methods lessons show
 * are written out by hand in rpcapi.ts; everything else goes through here.
 */
import rpcapiMethods from '../data/rpcapi-methods.json';
import type { KnownRelease, Release } from '../releases';
import type { RPCClient } from '../../oslo/messaging';
import { PyAttributeError } from '../../oslo/exception';
import {
  isPyDict,
  legacy_mapping,
  obj_to_primitive,
  to_primitive,
  truthy,
  type DecisionHook,
  type Kwargs,
  type ParamSpec,
} from './rpcapi_support';

export interface LadderRung {
  /** "can_send_version(X)", "else", "always", or an explicit cascade condition. */
  when: string;
  version: string | null;
  args: string[];
  transforms?: string[];
  arg_from_param?: Record<string, string>;
  raises?: string;
  notes?: string[];
  message_name?: string;
}

export interface ServerRule {
  from: 'instance.host' | 'param' | 'param_or_instance' | 'instances[0].host';
  param?: string;
  fallback?: string;
}

export interface MethodSpec {
  params: ParamSpec[];
  rpc: string;
  rpc_rule?: string;
  server?: ServerRule;
  fanout?: boolean;
  uses_compat_ver?: boolean;
  ladder: LadderRung[];
  notes?: string[];
  present?: boolean;
}

interface ClientFacts {
  target_version: string;
  version_aliases?: Record<string, string>;
  methods: Record<string, MethodSpec>;
  security_group_api?: { target_version: string; methods: Record<string, MethodSpec> };
}

type Api = 'compute' | 'conductor' | 'compute_task' | 'scheduler';
const DATA = rpcapiMethods as unknown as Record<Api, Record<Release, ClientFacts> & Partial<Record<KnownRelease, ClientFacts>>>;

/** A release whose client of `api` the data has (Mitaka: compute only, so far). */
export function hasClientFacts(api: Api, release: KnownRelease): boolean {
  return DATA[api][release] !== undefined;
}

export function clientFacts(api: Api, release: KnownRelease): ClientFacts {
  const facts = DATA[api][release];
  if (!facts) throw new Error(`No ${api} RPC client facts for ${release}`);
  return facts;
}

export function computeMethods(release: KnownRelease): Record<string, MethodSpec> {
  return clientFacts('compute', release).methods;
}

/** The separate SecurityGroupAPI client of Icehouse and Juno (Kilo folded it into ComputeAPI). */
export function securityGroupMethods(release: 'icehouse' | 'juno' = 'juno'): Record<string, MethodSpec> {
  return clientFacts('compute', release).security_group_api!.methods;
}

/** The Python parameters (after ctxt) of a client method. */
export function paramsOf(api: Api, release: KnownRelease, method: string): ParamSpec[] {
  const spec = clientFacts(api, release).methods[method] ?? (api === 'compute' && (release === 'juno' || release === 'icehouse') ? securityGroupMethods(release)[method] : undefined);
  if (!spec || spec.present === false) throw new Error(`No ${api} client method ${method} in ${release}`);
  return spec.params;
}

/** The `version` of a "can_send_version(X)" condition. */
export function checkedVersion(when: string): string | null {
  const m = /^can_send_version\(([\d.]+)\)$/.exec(when);
  return m ? m[1]! : null;
}

/**
 * Pick the rung an if/elif ladder takes: the first whose can_send_version
 * check passes (each check asked of the client, in order, as nova does),
 * else the "else" rung (still prepared: a cap below it refuses at send
 * time), or the single "always" rung.
 */
export function chooseRung(client: RPCClient, ladder: LadderRung[]): LadderRung {
  for (const rung of ladder) {
    if (rung.when === 'always' || rung.when === 'else') return rung;
    const v = checkedVersion(rung.when);
    if (v === null) throw new Error(`Ladder condition "${rung.when}" needs a hand-written method`);
    if (client.can_send_version(v)) return rung;
  }
  return ladder[ladder.length - 1]!;
}

/** Apply one of the simple conversions the data names ("x -> jsonutils.to_primitive(x) ..."). */
export function applyTransform(text: string, msg: Kwargs): void {
  // Mitaka: "x -> x.to_legacy_dict(...) (when truthy)": a LiveMigrateData object becomes its legacy dict.
  const legacy = /^(\w+) -> \1\.to_legacy_dict\((pre_migration_result=True)?\) \(when truthy\)$/.exec(text);
  if (legacy) {
    const [, name, pre] = legacy as unknown as [string, string, string | undefined];
    const value = msg[name] as { to_legacy_dict?: (pre_migration_result?: boolean) => unknown } | null | undefined;
    if (!truthy(value)) return;
    if (typeof value?.to_legacy_dict !== 'function') {
      const kind = typeof value === 'string' ? 'str' : isPyDict(value) ? 'dict' : 'object';
      throw new PyAttributeError(`'${kind}' object has no attribute 'to_legacy_dict'`);
    }
    msg[name] = value.to_legacy_dict(pre !== undefined);
    return;
  }
  // Icehouse: a nested chain applied innermost first, e.g.
  // "bdms -> jsonutils.to_primitive(objects_base.obj_to_primitive(block_device.legacy_mapping(bdms)))".
  const chain = /^(\w+) -> ((?:[\w.]+\()+)\1\)+( \(.*\))?$/.exec(text);
  if (chain && chain[2]!.split('(').length > 2) {
    const [, name, calls] = chain as unknown as [string, string, string];
    const fns = calls.split('(').filter(Boolean).reverse();
    let value = msg[name];
    for (const fn of fns) {
      if (fn === 'jsonutils.to_primitive') value = to_primitive(value);
      else if (fn === 'objects_base.obj_to_primitive') value = obj_to_primitive(value);
      else if (fn === 'block_device.legacy_mapping') value = legacy_mapping(value);
      else throw new Error(`Transform "${text}" needs a hand-written method`);
    }
    msg[name] = value;
    return;
  }
  const m = /^(\w+) -> (jsonutils\.to_primitive|objects_base\.obj_to_primitive|literal True)/.exec(text);
  if (!m) throw new Error(`Transform "${text}" needs a hand-written method`);
  const [, name, how] = m as unknown as [string, string, string];
  if (how === 'literal True') msg[name] = true;
  else if (how === 'jsonutils.to_primitive') msg[name] = to_primitive(msg[name]);
  else msg[name] = obj_to_primitive(msg[name]);
}

/** Where the message goes, by the method's routing rule. */
export function routeOf(rule: ServerRule | undefined, args: Kwargs, compute_host: (h: unknown, i: unknown) => string): string | null {
  if (!rule) return null;
  switch (rule.from) {
    case 'instance.host':
      return compute_host(null, args.instance);
    case 'param':
      return (args[rule.param!] ?? null) as string | null;
    case 'param_or_instance':
      return compute_host(args[rule.param!], args.instance);
    case 'instances[0].host': {
      const instances = args.instances as unknown[];
      return compute_host(null, instances[0]);
    }
  }
}

/** cast or call: confirm_resize(cast=...) and stop_instance(do_cast=...) decide at run time. */
export function rpcOf(method: string, spec: MethodSpec, args: Kwargs): 'cast' | 'call' {
  if (spec.rpc_rule) {
    const flag = method === 'stop_instance' ? 'do_cast' : 'cast';
    return truthy(args[flag]) ? 'cast' : 'call';
  }
  return spec.rpc.startsWith('call') ? 'call' : 'cast';
}

export interface TableSendOptions {
  api: string;
  client: RPCClient;
  ctxt: unknown;
  method: string;
  spec: MethodSpec;
  args: Kwargs;
  compute_host: (h: unknown, i: unknown) => string;
  decisions?: DecisionHook;
}

/**
 * Send a plain method from its facts: choose the rung, build the message
 * keyword arguments (renames and conversions included), route, prepare and
 * cast or call. Conversions are applied to the message values only; the
 * routing reads the caller's original arguments (as in every plain nova
 * method; the few that convert `instance` before routing are hand-written).
 */
export async function sendFromTable(o: TableSendOptions): Promise<unknown> {
  const rung = chooseRung(o.client, o.spec.ladder);
  const msg: Kwargs = {};
  for (const name of rung.args) {
    const param = rung.arg_from_param?.[name] ?? name;
    msg[name] = o.args[param];
  }
  for (const t of rung.transforms ?? []) applyTransform(t, msg);
  const used = new Set(rung.args.map((a) => rung.arg_from_param?.[a] ?? a));
  const routing = new Set([o.spec.server?.param].filter(Boolean));
  o.decisions?.({
    api: o.api,
    method: o.method,
    version: rung.version,
    dropped: o.spec.params.map((p) => p.name).filter((n) => !used.has(n) && !routing.has(n) && n !== 'instances'),
    transforms: rung.transforms ?? [],
    ...(rung.notes ? { note: rung.notes.join('; ') } : {}),
  });
  const server = routeOf(o.spec.server, o.args, o.compute_host);
  const prep: { version?: string | null; server?: string | null; fanout?: boolean } = {};
  if (o.spec.server) prep.server = server;
  if (o.spec.fanout) prep.fanout = true;
  if (rung.version !== null) prep.version = rung.version;
  const cctxt = o.client.prepare(prep);
  const rpc = rpcOf(o.method, o.spec, o.args);
  const name = rung.message_name ?? o.method;
  if (rpc === 'call') return cctxt.call(o.ctxt, name, msg);
  await cctxt.cast(o.ctxt, name, msg);
  return undefined;
}
