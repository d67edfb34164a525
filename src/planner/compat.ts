/**
 * The compatibility map of releases, computed by the simulator: for every
 * pair of modelled releases, clusters where one service (api, conductor,
 * scheduler or one compute) runs the other release than the rest, the
 * whole workload run once unpinned and once with every [upgrade_levels]
 * topic pinned to the older release. Every message between two services
 * at different releases is then counted by client -> server pair: it
 * passes unpinned, passes only with the pin on its topic, or cannot pass.
 */
import { Cluster, type Spawner } from '../runtime/cluster';
import { runStep } from '../runtime/run_scenario';
import type { ServiceDef } from '../runtime/scenario';
import type { TraceEvent } from '../runtime/trace';
import { RELEASES, type Release } from '../nova/releases';
import type { Binary } from '../nova/service_api';
import { PIN_TOPICS, releasePairs } from './spec';
import { WORKLOAD_IDS, workloadSteps } from './workload';

export interface CompatJob {
  older: Release;
  newer: Release;
  /** The service at the other release. */
  odd: 'api' | 'conductor' | 'scheduler' | 'compute1';
  /** Which release the odd service runs (the rest run the other). */
  oddRelease: Release;
  pinned: boolean;
}

export interface PairObservation {
  client: Binary;
  clientRelease: Release;
  server: Binary;
  serverRelease: Release;
  topic: string;
  passed: number;
  failed: number;
  /** The first failing message: method, version, why. */
  failure: { method: string; version: string | null; why: string; endpointVersion: string | null } | null;
  methods: string[];
}

export interface CompatJobResult {
  job: CompatJob;
  pairs: PairObservation[];
  /** A service could not start in this configuration. */
  nostart: string[];
  /** The same, as binary@release of the services that could not start. */
  nostartServices: string[];
  /** Methods a client refused to send (RPCVersionCapError), by client binary. */
  capRefusals: { client: Binary; clientRelease: Release; method: string; version: string | null; cap: string | null }[];
}

const ODD: CompatJob['odd'][] = ['api', 'conductor', 'scheduler', 'compute1'];

export function compatJobs(): CompatJob[] {
  const out: CompatJob[] = [];
  for (const [older, newer] of releasePairs()) {
    for (const odd of ODD) for (const oddRelease of [newer, older]) for (const pinned of [false, true]) out.push({ older, newer, odd, oddRelease, pinned });
  }
  return out;
}

function binaryOf(id: string): Binary {
  if (id === 'api') return 'nova-api';
  if (id === 'conductor') return 'nova-conductor';
  if (id === 'scheduler') return 'nova-scheduler';
  return 'nova-compute';
}

export async function runCompatJob(job: CompatJob, spawn: Spawner): Promise<CompatJobResult> {
  const rest = job.oddRelease === job.newer ? job.older : job.newer;
  const conf = job.pinned ? { upgrade_levels: Object.fromEntries(PIN_TOPICS.map((t) => [t, job.older])) } : undefined;
  const ids = ['conductor', 'scheduler', 'compute1', 'compute2', 'api'];
  const services: ServiceDef[] = ids.map((id) => ({ id, binary: binaryOf(id), release: id === job.odd ? job.oddRelease : rest, ...(conf ? { conf } : {}) }));
  const cluster = new Cluster({ spawn, seed: `compat:${job.older}:${job.newer}:${job.odd}:${job.oddRelease}:${job.pinned}` });
  const nostart: string[] = [];
  try {
    for (const def of services) {
      try {
        await cluster.addService(def);
      } catch (err) {
        nostart.push(`${def.id}: ${(err as Error).message}`);
      }
    }
    const steps = [{ do: 'action', action: 'create', name: 'vm-base', flavor: 'm1.tiny' } as const, ...workloadSteps(WORKLOAD_IDS, { base: 'vm-base', fresh: 'vm-fresh', computes: ['compute1', 'compute2'], step: 0 })];
    for (const s of steps) {
      try {
        await runStep(cluster, s, []);
      } catch {
        /* the trace has it */
      }
    }
    await cluster.settle();
    const failed = startFailures(cluster.events);
    const ids = new Set([...nostart.map((n) => n.split(':')[0]!), ...failed.map((n) => n.split(':')[0]!)]);
    const nostartServices = services.filter((s) => ids.has(s.id)).map((s) => `${s.binary}@${s.release}`);
    return { job, ...observe(cluster.events, services), nostart: [...nostart, ...failed], nostartServices };
  } finally {
    cluster.dispose();
  }
}

function startFailures(events: readonly TraceEvent[]): string[] {
  return events.filter((e) => (e.kind === 'log' && e.data?.level === 'error' && /failed to start/.test(e.text)) || (e.kind === 'lifecycle' && e.data?.action === 'crash')).map((e) => `${e.service}: ${e.text.split('\n')[0]}`);
}

function observe(events: readonly TraceEvent[], services: ServiceDef[]): Omit<CompatJobResult, 'job' | 'nostart' | 'nostartServices'> {
  const rel = new Map(services.map((s) => [s.id, s]));
  const byId = new Map(events.map((e) => [e.id, e]));
  const children = new Map<string, TraceEvent[]>();
  for (const e of events) if (e.cause) (children.get(e.cause) ?? children.set(e.cause, []).get(e.cause)!).push(e);
  const pairs = new Map<string, PairObservation>();
  const capRefusals: CompatJobResult['capRefusals'] = [];
  for (const e of events) {
    if (e.kind === 'refused') {
      const c = rel.get(e.service);
      const decisions = (e.data?.decisions as string[] | undefined) ?? [];
      const method = /^([a-z_]+) v/.exec(decisions.find((x) => /^[a-z_]+ v[\d.]+/.test(x)) ?? '')?.[1] ?? '?';
      if (c) capRefusals.push({ client: c.binary, clientRelease: c.release, method, version: (e.data?.version as string | undefined) ?? null, cap: (e.data?.version_cap as string | undefined) ?? null });
      continue;
    }
    if (e.kind !== 'send') continue;
    const d = e.data as Record<string, unknown>;
    const deliver = (children.get(e.id) ?? []).find((x) => x.kind === 'deliver');
    const dispatch = deliver ? (children.get(deliver.id) ?? []).find((x) => x.kind === 'dispatch') : undefined;
    if (!dispatch) continue;
    const c = rel.get(e.service);
    const s = rel.get(dispatch.service);
    if (!c || !s || c.release === s.release) continue;
    const key = `${c.binary}@${c.release}>${s.binary}@${s.release}`;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { client: c.binary, clientRelease: c.release, server: s.binary, serverRelease: s.release, topic: String(d.topic), passed: 0, failed: 0, failure: null, methods: [] }));
    const method = String(d.method);
    if (!p.methods.includes(method)) p.methods.push(method);
    const dd = dispatch.data as Record<string, unknown>;
    const objErr = (children.get(dispatch.id) ?? []).some((x) => x.kind === 'object' && x.data?.outcome === 'error');
    if (dd.outcome === 'dispatched' && !objErr) p.passed += 1;
    else {
      p.failed += 1;
      p.failure ??= { method, version: (d.version as string | null) ?? null, why: objErr ? 'an object could not be made compatible' : String(dd.outcome), endpointVersion: (dd.endpoint_version as string | undefined) ?? null };
    }
  }
  void byId;
  return { pairs: [...pairs.values()], capRefusals };
}

export type Verdict = 'pass' | 'pin' | 'none' | 'unseen';

export interface CompatEntry {
  older: Release;
  newer: Release;
  client: Binary;
  clientRelease: Release;
  server: Binary;
  serverRelease: Release;
  verdict: Verdict;
  /** The pin that makes it pass (verdict 'pin'). */
  pin: string | null;
  /** Why it cannot pass, or what failed unpinned. */
  detail: string;
  methods: string[];
}

export interface CompatMap {
  entries: CompatEntry[];
  nostart: string[];
}

const major = (v: string | null) => (v ? v.split('.')[0] : null);

export function compatMap(results: CompatJobResult[]): CompatMap {
  type Acc = { older: Release; newer: Release; un: PairObservation[]; pin: PairObservation[]; pinRefused: CompatJobResult['capRefusals']; pinNostart: string[] };
  const acc = new Map<string, Acc>();
  for (const r of results) {
    for (const p of r.pairs) {
      const key = `${r.job.older}-${r.job.newer}|${p.client}@${p.clientRelease}>${p.server}@${p.serverRelease}`;
      const a = acc.get(key) ?? acc.set(key, { older: r.job.older, newer: r.job.newer, un: [], pin: [], pinRefused: [], pinNostart: [] }).get(key)!;
      (r.job.pinned ? a.pin : a.un).push(p);
    }
  }
  // Client refusals under the pin belong to the pairs whose methods they are.
  for (const r of results) {
    if (!r.job.pinned) continue;
    for (const x of r.capRefusals) {
      for (const [key, a] of acc) {
        if (!key.startsWith(`${r.job.older}-${r.job.newer}|${x.client}@${x.clientRelease}>`)) continue;
        if (a.un.some((p) => p.methods.includes(x.method))) a.pinRefused.push(x);
      }
    }
  }
  // A pin that keeps the client or the server from starting does not make their messages pass.
  for (const r of results) {
    if (!r.job.pinned) continue;
    for (const [key, a] of acc) {
      if (!key.startsWith(`${r.job.older}-${r.job.newer}|`)) continue;
      const [c, s] = key.split('|')[1]!.split('>') as [string, string];
      for (const ns of r.nostartServices) if ((ns === c || ns === s) && !a.pinNostart.includes(ns)) a.pinNostart.push(ns);
    }
  }
  const entries: CompatEntry[] = [];
  for (const a of acc.values()) {
    const first = (a.un[0] ?? a.pin[0])!;
    const unFailed = a.un.reduce((n, p) => n + p.failed, 0);
    const unPassed = a.un.reduce((n, p) => n + p.passed, 0);
    const pinFailed = a.pin.reduce((n, p) => n + p.failed, 0) + a.pinRefused.length + a.pinNostart.length;
    const pinSeen = a.pin.reduce((n, p) => n + p.passed + p.failed, 0) + a.pinRefused.length;
    const fail = a.un.find((p) => p.failure)?.failure ?? a.pin.find((p) => p.failure)?.failure ?? null;
    const methods = [...new Set([...a.un, ...a.pin].flatMap((p) => p.methods))].sort();
    let verdict: Verdict;
    let pin: string | null = null;
    let detail = '';
    if (unPassed + unFailed === 0 && pinSeen === 0) verdict = 'unseen';
    else if (unFailed === 0 && unPassed > 0) {
      verdict = 'pass';
      detail = `${unPassed} message(s) passed unpinned`;
    } else if (pinFailed === 0 && pinSeen > 0) {
      verdict = 'pin';
      pin = `[upgrade_levels] ${first.topic} = ${a.older} on the ${first.client}`;
      detail = fail ? `unpinned, ${fail.method} v${fail.version ?? '1.0'}: ${fail.why}${fail.endpointVersion ? ` (the server speaks ${fail.endpointVersion})` : ''}` : '';
    } else {
      verdict = 'none';
      const refused = a.pinRefused[0];
      const majors = (fail?.endpointVersion ?? '').split(/,\s*/).filter(Boolean).map(major);
      const gap = fail && majors.length && !majors.includes(major(fail.version)) ? `a major version gap: ${fail.method} v${fail.version} against ${fail.endpointVersion}` : null;
      detail = [
        gap ?? (fail ? `${fail.method} v${fail.version ?? '1.0'}: ${fail.why}${fail.endpointVersion ? ` (the server speaks ${fail.endpointVersion})` : ''}` : ''),
        refused ? `with the pin, ${refused.method} v${refused.version ?? '?'} is above the cap ${refused.cap ?? '?'} (RPCVersionCapError)` : '',
        a.pinNostart.length ? `with the pins, ${a.pinNostart.map((x) => x.replace('@', ' (') + ')').join(' and ')} could not start` : '',
      ]
        .filter(Boolean)
        .join('; ');
    }
    entries.push({ older: a.older, newer: a.newer, client: first.client, clientRelease: first.clientRelease, server: first.server, serverRelease: first.serverRelease, verdict, pin, detail, methods });
  }
  const r = (x: Release) => RELEASES.indexOf(x);
  entries.sort((x, y) => r(x.older) - r(y.older) || r(x.newer) - r(y.newer) || x.client.localeCompare(y.client) || x.server.localeCompare(y.server) || r(x.clientRelease) - r(y.clientRelease));
  const nostart = [...new Set(results.flatMap((x) => x.nostart.map((n) => `${x.job.older}/${x.job.newer} (${x.job.odd} at ${x.job.oddRelease}${x.job.pinned ? ', pinned' : ''}): ${n}`)))];
  return { entries, nostart };
}

const VERDICT_WORD: Record<Verdict, string> = { pass: 'passes unpinned', pin: 'passes only with a pin', none: 'cannot pass', unseen: 'no message seen' };

const who = (b: Binary, r: Release) => `${b.replace('nova-', '')} (${r})`;

export function compatText(map: CompatMap): string {
  const out: string[] = ['Compatibility map: the workload\'s messages between services at different releases', ''];
  let pair = '';
  for (const e of map.entries) {
    const p = `${e.older} / ${e.newer}`;
    if (p !== pair) {
      out.push(`${pair ? '\n' : ''}${p}`);
      pair = p;
    }
    out.push(`  ${`${who(e.client, e.clientRelease)} -> ${who(e.server, e.serverRelease)}`.padEnd(44)} ${VERDICT_WORD[e.verdict]}${e.pin ? `: ${e.pin}` : ''}${e.detail && e.verdict !== 'pass' ? `  (${e.detail})` : ''}`);
  }
  if (map.nostart.length) out.push('', 'Services that could not start:', ...map.nostart.map((n) => `  ${n}`));
  return out.join('\n') + '\n';
}

export function compatMarkdown(map: CompatMap): string {
  const out = ['| releases | client -> server | verdict | pin / why |', '|---|---|---|---|'];
  for (const e of map.entries) out.push(`| ${e.older} / ${e.newer} | ${who(e.client, e.clientRelease)} → ${who(e.server, e.serverRelease)} | ${VERDICT_WORD[e.verdict]} | ${(e.pin ?? e.detail).replace(/\|/g, '\\|')} |`);
  return out.join('\n') + '\n';
}
