/**
 * The real PlaygroundSession: a `Cluster` (services in workers around one
 * broker) driven by the UI, and `runScenario` for lesson runs. The spawner
 * is injected: the browser's Web Worker spawner in the app, an in-process
 * or worker_threads one in tests.
 */
import { Cluster, type ClusterSnapshot, type Spawner } from '../../runtime/cluster';
import { runScenario } from '../../runtime/run_scenario';
import type { ServiceDef } from '../../runtime/scenario';
import type { TraceEvent } from '../../runtime/trace';
import { NovaConf } from '../../nova/conf';
import type { Release } from '../../nova/releases';
import type { UserAction } from '../../nova/service_api';
import type { PlaygroundSession, RunInput, RunResult } from './session';

export interface ClusterSessionOptions {
  spawn: Spawner;
  /** Wall-clock ms a worker step may take before the watchdog ends it. */
  watchdogMs?: number;
}

export class ClusterSession implements PlaygroundSession {
  readonly kind = 'cluster' as const;
  private cluster: Cluster | null = null;
  private list: TraceEvent[] = [];
  private listeners = new Set<() => void>();
  private pending = 0;
  /** Bumped for every new cluster: events of an old one are ignored. */
  private generation = 0;

  constructor(private readonly options: ClusterSessionOptions) {}

  get busy(): boolean {
    return this.pending > 0;
  }

  get events(): readonly TraceEvent[] {
    return this.list;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit = (): void => {
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

  snapshot(): ClusterSnapshot {
    return this.cluster?.snapshot() ?? { time: 0, services: [], queues: {}, instances: [] };
  }

  private get c(): Cluster {
    if (!this.cluster) throw new Error('No cluster yet');
    return this.cluster;
  }

  private async op<T>(f: () => Promise<T>): Promise<T> {
    this.pending += 1;
    this.emit();
    try {
      return await f();
    } finally {
      this.pending -= 1;
      this.emit();
    }
  }

  act(action: UserAction): Promise<void> {
    return this.op(async () => {
      await this.c.act(action);
    });
  }
  upgrade(id: string, release: Release): Promise<void> {
    return this.op(() => this.c.upgrade(id, release));
  }
  stop(id: string): Promise<void> {
    return this.op(() => this.c.stop(id));
  }
  start(id: string): Promise<void> {
    return this.op(() => this.c.start(id));
  }
  restart(id: string): Promise<void> {
    return this.op(() => this.c.restart(id));
  }
  configure(id: string, section: string, option: string, value: string | null): Promise<void> {
    return this.op(() => this.c.configure(id, section, option, value));
  }

  addCompute(release: Release): Promise<string> {
    return this.op(async () => {
      const ids = this.c.snapshot().services.map((s) => s.id);
      let n = 1;
      while (ids.includes(`compute${n}`)) n++;
      const id = `compute${n}`;
      await this.c.addService({ id, binary: 'nova-compute', release });
      return id;
    });
  }

  reset(services: ServiceDef[]): Promise<void> {
    return this.op(async () => {
      this.cluster?.dispose();
      this.generation += 1;
      this.list = [];
      this.cluster = new Cluster({ spawn: this.options.spawn, watchdogMs: this.options.watchdogMs, ...this.hooks() });
      for (const def of services) await this.cluster.addService(def);
    });
  }

  run(input: RunInput): Promise<RunResult> {
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
      const targets = input.codeServices ?? scenario.services.map((s) => s.id);
      const code = Object.keys(input.code).length ? Object.fromEntries(targets.map((id) => [id, input.code])) : undefined;
      const run = await runScenario(scenario, { spawn: this.options.spawn, watchdogMs: this.options.watchdogMs, ...this.hooks(), ...(code ? { code } : {}) });
      this.cluster = run.cluster;
      this.list = [...run.events];
      return { events: run.events, results: run.results, ok: run.ok };
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
