/**
 * The real PlaygroundSession: a `Cluster` (services in workers around one
 * broker) driven by the UI, and `runScenario` for lesson runs. The spawner
 * is injected: the browser's Web Worker spawner in the app, an in-process
 * or worker_threads one in tests.
 */
import { Cluster, type ClusterSnapshot, type Spawner } from '../../runtime/cluster';
import { runScenario, runStep } from '../../runtime/run_scenario';
import type { ServiceDef, Step } from '../../runtime/scenario';
import type { TraceEvent } from '../../runtime/trace';
import { NovaConf } from '../../nova/conf';
import type { Release } from '../../nova/releases';
import type { UserAction } from '../../nova/service_api';
import { activityEnded, activityStarted, firstClusterSettled } from '../util/startup';
import { DEFAULT_SEED, type PlaygroundSession, type RunInput, type RunResult, type SessionHistory, type SessionStatus } from './session';

export interface ClusterSessionOptions {
  spawn: Spawner;
  /** Wall-clock ms a worker step may take before the watchdog ends it. */
  watchdogMs?: number;
}

export class ClusterSession implements PlaygroundSession {
  /** 'starting' until the first cluster is up (the page says so, and Run waits for it). */
  status: SessionStatus = { phase: 'starting', booted: 0, total: 0 };
  private cluster: Cluster | null = null;
  private list: TraceEvent[] = [];
  private listeners = new Set<() => void>();
  private pending = 0;
  /** Bumped for every new cluster: events of an old one are ignored. */
  private generation = 0;
  /** The current cluster as services + the steps taken on it (share links replay it). */
  private record: SessionHistory | null = null;

  constructor(private readonly options: ClusterSessionOptions) {}

  get busy(): boolean {
    return this.pending > 0;
  }

  private runs = 0;
  get running(): boolean {
    return this.runs > 0;
  }

  get events(): readonly TraceEvent[] {
    return this.list;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Bumped on every change: snapshot() is rebuilt only when it moved. */
  private version = 0;
  private cached: { version: number; value: ClusterSnapshot } | null = null;

  private emit = (): void => {
    this.version += 1;
    for (const fn of this.listeners) fn();
  };

  private hooks() {
    const gen = this.generation;
    return {
      onEvent: (e: TraceEvent) => {
        if (gen !== this.generation) return;
        this.list.push(e);
        this.emit();
      },
      onChange: () => {
        if (gen === this.generation) this.emit();
      },
    };
  }

  /** The same object until something changes (the UI memoizes on it; building one copies the database). */
  snapshot(): ClusterSnapshot {
    if (this.cached?.version !== this.version) {
      this.cached = { version: this.version, value: this.cluster?.snapshot() ?? { time: 0, services: [], queues: {}, instances: [] } };
    }
    return this.cached.value;
  }

  private get c(): Cluster {
    if (!this.cluster) throw new Error('No cluster yet');
    return this.cluster;
  }

  private booting(total: number): void {
    this.status = { phase: 'starting', booted: 0, total };
    this.emit();
  }

  private onBooted = (done: number, total: number): void => {
    this.status = { phase: 'starting', booted: done, total };
    this.emit();
  };

  private booted(): void {
    if (this.status.phase === 'ready') return;
    this.status = { phase: 'ready' };
    // For the page benchmark: when the first cluster of the page was up.
    if (typeof performance !== 'undefined' && performance.getEntriesByName('nova-lab:cluster-ready').length === 0) performance.mark('nova-lab:cluster-ready');
    firstClusterSettled();
    this.emit();
  }

  /** Operations run one after another (a run never interleaves with a reset or a replay). */
  private chain: Promise<unknown> = Promise.resolve();

  private op<T>(f: () => Promise<T>): Promise<T> {
    this.pending += 1;
    activityStarted();
    this.emit();
    const p = this.chain.then(f).finally(() => {
      this.pending -= 1;
      activityEnded();
      this.emit();
    });
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Remember a step (before it runs: a failing step is replayed, and fails, the same way). */
  private log(step: Step): void {
    this.record?.steps.push(structuredClone(step));
  }

  act(action: UserAction): Promise<void> {
    return this.op(async () => {
      this.log({ do: 'action', ...action } as Step);
      await this.c.act(action);
    });
  }
  upgrade(id: string, release: Release): Promise<void> {
    return this.op(() => (this.log({ do: 'upgrade', service: id, release }), this.c.upgrade(id, release)));
  }
  stop(id: string): Promise<void> {
    return this.op(() => (this.log({ do: 'stop', service: id }), this.c.stop(id)));
  }
  start(id: string): Promise<void> {
    return this.op(() => (this.log({ do: 'start', service: id }), this.c.start(id)));
  }
  restart(id: string): Promise<void> {
    return this.op(() => (this.log({ do: 'restart', service: id }), this.c.restart(id)));
  }
  configure(id: string, section: string, option: string, value: string | null): Promise<void> {
    return this.op(() => (this.log({ do: 'configure', service: id, section, option, value }), this.c.configure(id, section, option, value)));
  }

  addCompute(release: Release): Promise<string> {
    return this.op(async () => {
      const ids = this.c.snapshot().services.map((s) => s.id);
      let n = 1;
      while (ids.includes(`compute${n}`)) n++;
      const id = `compute${n}`;
      const def: ServiceDef = { id, binary: 'nova-compute', release };
      this.log({ do: 'add_service', service: def });
      await this.c.addService(def);
      return id;
    });
  }

  history(): SessionHistory | null {
    return this.record ? structuredClone(this.record) : null;
  }

  reset(services: ServiceDef[], seed: string = DEFAULT_SEED): Promise<void> {
    return this.op(async () => {
      await this.fresh(services, seed);
    });
  }

  private async fresh(services: ServiceDef[], seed: string): Promise<Cluster> {
    this.cluster?.dispose();
    this.generation += 1;
    this.list = [];
    this.record = { services: structuredClone(services), steps: [], seed };
    const cluster = new Cluster({ spawn: this.options.spawn, watchdogMs: this.options.watchdogMs, seed, ...this.hooks() });
    this.cluster = cluster;
    this.booting(services.length);
    try {
      await cluster.addServices(services, this.onBooted);
    } finally {
      this.booted();
    }
    return cluster;
  }

  replay(services: ServiceDef[], steps: Step[], seed: string = DEFAULT_SEED): Promise<void> {
    return this.op(async () => {
      const cluster = await this.fresh(services, seed);
      const gen = this.generation;
      for (const step of steps) {
        if (gen !== this.generation) return; // a newer cluster replaced this one
        this.log(step);
        try {
          await runStep(cluster, step, []);
        } catch {
          // It failed when it was taken too (the user saw the error then); nothing is added to the trace.
        }
      }
      await cluster.settle();
    });
  }

  run(input: RunInput): Promise<RunResult> {
    this.runs += 1;
    return this.op(async () => {
      let scenario;
      try {
        scenario = withConf(input);
      } catch (err) {
        return { events: [...this.list], results: [], ok: false, error: (err as Error).message };
      }
      this.cluster?.dispose();
      this.cluster = null;
      this.generation += 1;
      this.list = [];
      this.emit();
      const code = Object.keys(input.code).length ? input.code : undefined;
      this.booting(scenario.services.length);
      const run = await runScenario(scenario, {
        spawn: this.options.spawn,
        watchdogMs: this.options.watchdogMs,
        ...this.hooks(),
        ...(code ? { code } : {}),
        onBooted: (done, total) => {
          this.onBooted(done, total);
          if (done === total) this.booted();
        },
      }).finally(() => this.booted());
      this.cluster = run.cluster;
      this.list = [...run.events];
      // Without user code, the run is plain scenario data (and so shareable as a sandbox).
      this.record = code ? null : { services: structuredClone(scenario.services), steps: structuredClone(scenario.steps), seed: scenario.seed ?? scenario.title };
      return { events: run.events, results: run.results, ok: run.ok, ...(run.error ? { error: run.error } : {}) };
    }).finally(() => {
      this.runs -= 1;
    });
  }

  dispose(): void {
    this.cluster?.dispose();
    this.cluster = null;
    this.listeners.clear();
  }
}

/** Merge `conf/<id>.conf` texts over the scenario's services' conf. */
export function withConf(input: RunInput): RunInput['scenario'] {
  const scenario = structuredClone(input.scenario);
  for (const [id, text] of Object.entries(input.conf)) {
    const svc = scenario.services.find((s) => s.id === id);
    if (!svc) throw new Error(`conf/${id}.conf: the scenario has no service "${id}"`);
    let parsed;
    try {
      parsed = NovaConf.parse(text).sections;
    } catch (err) {
      throw new Error(`conf/${id}.conf: ${(err as Error).message}`);
    }
    const conf = (svc.conf ??= {});
    for (const [section, opts] of Object.entries(parsed)) conf[section] = { ...(conf[section] ?? {}), ...opts };
  }
  return scenario;
}
