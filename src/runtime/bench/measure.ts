/**
 * Benchmark measurements shared by the Node runner and the browser page:
 * the cost of an RPC call through the bus versus a raw MessageChannel
 * ping-pong between two workers, casts per second, and a rolling upgrade
 * with a growing number of computes. Wall-clock numbers; not tests.
 */
import { Cluster, type Spawner } from '../cluster';
import { runScenario } from '../run_scenario';
import type { Scenario } from '../scenario';
import type { UserAction } from '../../nova/service_api';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
  /** For a scenario run: how many rounds it took, and how many of them ran more than one service at once. */
  rounds?: { rounds: number; parallel: number };
}

/** Round trips per run of the raw baseline: (ms per round trip). */
export type RawPingPong = (n: number, payloadBytes: number) => Promise<number>;

const now = () => (globalThis.performance ?? Date).now();

async function pingCluster(spawn: Spawner): Promise<Cluster> {
  // The cast benchmark publishes 5,000 messages in one step: on a loaded
  // machine that step alone can outlast the default watchdog, which would end
  // the measurement instead of timing it.
  const cluster = new Cluster({ spawn, seed: 'bench', watchdogMs: 20_000 });
  await cluster.addService({ id: 'p1', binary: 'nova-api', release: 'kilo', kind: 'ping', maxPublishesPerStep: 1_000_000 });
  await cluster.addService({ id: 'p2', binary: 'nova-api', release: 'kilo', kind: 'ping' });
  return cluster;
}

/**
 * At least `min` batches, then more until the last three agree within 10 %
 * (at most `max`); the median of the last three. The messaging code runs in
 * three threads (two services and the broker) and V8 kept optimizing it for
 * 10,000-15,000 calls (a quiet run's batches: 244, 238, 267, 257, 215,
 * 199, 172, 197 µs), long after the raw ping-pong's few lines; three
 * batches that happened to agree early stopped on a plateau of the JIT.
 */
async function steadyState(batch: () => Promise<number>, min = 3, max = 12): Promise<{ ms: number; batches: number[] }> {
  const batches: number[] = [];
  const lastThree = () => batches.slice(-3);
  const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / Math.min(...xs);
  while (batches.length < min || (spread(lastThree()) > 0.1 && batches.length < max)) batches.push(await batch());
  return { ms: median(lastThree()), batches };
}

/**
 * `raw`: two workers ping-pong over a MessageChannel (the target's
 * baseline); `rawToBroker`: the broker's thread ping-pongs one worker, the hop a bus call takes four times (worker -> broker -> worker
 * and back), shown as the floor of the transport the bus runs on.
 */
export async function benchCalls(spawn: Spawner, raw: RawPingPong, rawToBroker: RawPingPong, n = 2000): Promise<BenchResult[]> {
  const cluster = await pingCluster(spawn);
  const batch = async () => {
    const t0 = now();
    const r = await cluster.actOn('p1', { action: 'ping_many', to: 'p2', n } as unknown as UserAction);
    if (!r.ok) throw new Error(`ping benchmark failed: ${JSON.stringify(r.result)}`);
    return (now() - t0) / n;
  };
  await cluster.actOn('p1', { action: 'ping_many', to: 'p2', n: 50 } as unknown as UserAction);
  const coldMs = await batch();
  const bus = await steadyState(batch, 8);
  const envelopeBytes = JSON.stringify(cluster.events.find((e) => e.kind === 'send')?.data?.envelope ?? {}).length;
  cluster.dispose();
  const rawRun = await steadyState(() => raw(n, envelopeBytes));
  const us = (xs: number[]) => xs.map((x) => Math.round(x * 1000)).join(', ');
  const hop = await steadyState(() => rawToBroker(n, envelopeBytes));
  return [
    { name: 'rpc call through the bus, first 2,000 calls (JIT still warming up)', value: coldMs * 1000, unit: 'µs/call' },
    {
      name: 'rpc call through the bus (worker -> broker -> worker and back), steady state',
      value: bus.ms * 1000,
      unit: 'µs/call',
      note: `median of the last 3 of ${bus.batches.length} batches after the first: ${us(bus.batches)} µs`,
    },
    {
      name: `raw MessageChannel ping-pong between two workers (${envelopeBytes} B), steady state`,
      value: rawRun.ms * 1000,
      unit: 'µs/round trip',
      note: `median of the last 3 of ${rawRun.batches.length} runs: ${us(rawRun.batches)} µs`,
    },
    { name: 'ratio bus call / raw ping-pong, steady states (target <= 3)', value: bus.ms / rawRun.ms, unit: 'x' },
    { name: `raw ping-pong between the broker's thread and a worker (${envelopeBytes} B), steady state`, value: hop.ms * 1000, unit: 'µs/round trip' },
    { name: 'ratio bus call / two broker round trips (the hops a call takes)', value: bus.ms / (2 * hop.ms), unit: 'x' },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchCasts(spawn: Spawner, n = 5000): Promise<BenchResult[]> {
  const cluster = await pingCluster(spawn);
  const t0 = now();
  const r = await cluster.actOn('p1', { action: 'cast_many', to: 'p2', n } as unknown as UserAction);
  const ms = now() - t0;
  if (!r.ok) throw new Error(`cast benchmark failed: ${JSON.stringify(r.result)}`);
  const delivered = cluster.events.filter((e) => e.kind === 'dispatch' && e.service === 'p2').length;
  cluster.dispose();
  return [{ name: `casts through the bus, published and dispatched (${delivered} of ${n})`, value: (delivered / ms) * 1000, unit: 'casts/s' }];
}

/** The safe-order Juno -> Kilo upgrade with N computes and a small workload per step. */
export function rollingUpgradeScenario(computes: number): Scenario {
  const pin = { upgrade_levels: { compute: 'juno' } };
  const ids = Array.from({ length: computes }, (_, i) => `compute${i + 1}`);
  const services: Scenario['services'] = [
    { id: 'conductor', binary: 'nova-conductor', release: 'juno', conf: pin },
    { id: 'scheduler', binary: 'nova-scheduler', release: 'juno', conf: pin },
    ...ids.map((id) => ({ id, binary: 'nova-compute' as const, release: 'juno' as const, conf: pin })),
    { id: 'api', binary: 'nova-api', release: 'juno', conf: pin },
  ];
  const steps: Scenario['steps'] = [{ do: 'action', action: 'create', name: 'vm-base' }];
  for (const s of ['scheduler', 'conductor', ...ids, 'api']) {
    steps.push({ do: 'upgrade', service: s, release: 'kilo' });
    steps.push({ do: 'action', action: 'create', name: `vm-${s}` });
    steps.push({ do: 'action', action: 'stop', server: 'vm-base' });
    steps.push({ do: 'action', action: 'start', server: 'vm-base' });
  }
  return {
    title: `rolling upgrade with ${computes} computes`,
    services,
    steps,
    expect: [{ expect: 'actions', all_ok: true }, { expect: 'no_event', match: { kind: 'dispatch', outcome: 'UnsupportedVersion' } }],
  };
}

export async function benchRollingUpgrade(spawn: Spawner, sizes = [1, 8, 32, 64], label = ''): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of sizes) {
    const t0 = now();
    const run = await runScenario(rollingUpgradeScenario(n), { spawn });
    const ms = now() - t0;
    const { rounds, parallel } = run.cluster.broker.rounds;
    run.cluster.dispose();
    out.push({
      name: `rolling upgrade${label}, ${n} compute(s): ${run.events.length} events, ${rounds} rounds${run.ok ? '' : ' (EXPECTATIONS FAILED)'}`,
      value: ms,
      unit: 'ms',
      ...(parallel ? { note: `${parallel} of the rounds ran more than one service at once` } : {}),
      rounds: { rounds, parallel },
    });
  }
  return out;
}

/**
 * Ratios the targets are stated in: workers vs the same run in-process, and
 * 64 computes vs 8. With `brokerRoundTripMs` (the raw broker-thread <->
 * worker ping-pong of the same bench run), also the floor of the first one:
 * in workers every round costs at least one such round trip more than
 * in-process (the step goes out and its result comes back), and rounds that
 * run one service each cannot overlap, so no worker-side speed-up goes below
 * (in-process + rounds x round trip) / in-process.
 */
export function rollingUpgradeRatios(workers: BenchResult[], inProcess: BenchResult[], brokerRoundTripMs?: number): BenchResult[] {
  const row = (rows: BenchResult[], n: number) => rows.find((r) => new RegExp(`, ${n} compute`).test(r.name));
  const at = (rows: BenchResult[], n: number) => row(rows, n)?.value;
  const out: BenchResult[] = [];
  const w64 = at(workers, 64);
  const i64 = at(inProcess, 64);
  const w8 = at(workers, 8);
  if (w64 && i64) out.push({ name: 'ratio rolling upgrade 64 computes, workers / in-process (target <= 2)', value: w64 / i64, unit: 'x' });
  const r64 = row(workers, 64)?.rounds;
  if (i64 && r64 && brokerRoundTripMs) {
    const serial = r64.rounds - r64.parallel;
    out.push({
      name: 'floor of that ratio: (in-process + serial rounds x broker round trip) / in-process',
      value: (i64 + serial * brokerRoundTripMs) / i64,
      unit: 'x',
      note: `${serial} of its ${r64.rounds} rounds ran one service, each waiting for the one before; x ${(brokerRoundTripMs * 1000).toFixed(0)} µs (the raw broker <-> worker round trip above) = ${(serial * brokerRoundTripMs).toFixed(0)} ms of transport no worker-side change removes`,
    });
  }
  if (w64 && w8) out.push({ name: 'ratio rolling upgrade in workers, 64 computes / 8 (target <= 8)', value: w64 / w8, unit: 'x' });
  return out;
}
