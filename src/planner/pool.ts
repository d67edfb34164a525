/**
 * Runs a plan's orders through a small pool of executors, N in flight.
 * An executor is anything that runs one order on its own fresh cluster: a
 * Web Worker in the browser, a worker_threads worker in Node, the calling
 * thread in tests. Results come back in any order; `onResult` reports each
 * one and the caller draws it. `cancel()` stops every executor (their
 * clusters die with them).
 */
import type { Order } from './build';
import { planJobs, planResult, type PlanResult } from './matrix';
import type { OrderJob, OrderResult } from './run';
import type { PlanSpec } from './spec';

export interface Executor {
  run(job: OrderJob): Promise<OrderResult>;
  /** Stop at once (a running job's promise may never settle). */
  terminate(): void;
}

export interface PoolOptions {
  /** How many orders run at once (default 2). */
  concurrency?: number;
  /** Make one executor (called up to `concurrency` times). */
  executor(): Executor;
  onResult?(r: OrderResult, done: number, total: number): void;
  /** Only these jobs (default: every order under every policy). */
  jobs?: { order: Order; policy: number }[];
}

export class Cancelled extends Error {
  constructor() {
    super('the plan was cancelled');
  }
}

export interface PlanRun {
  done: Promise<PlanResult>;
  cancel(): void;
}

export function runPlan(spec: PlanSpec, options: PoolOptions): PlanRun {
  const jobs = options.jobs ?? planJobs(spec);
  const n = Math.max(1, Math.min(options.concurrency ?? 2, jobs.length));
  const executors: Executor[] = [];
  const results: OrderResult[] = [];
  let next = 0;
  let cancelled = false;
  let rejectAll: (e: Error) => void = () => {};
  const done = new Promise<PlanResult>((resolve, reject) => {
    rejectAll = reject;
    let active = 0;
    const pump = (ex: Executor) => {
      if (cancelled) return;
      if (next >= jobs.length) {
        if (active === 0) {
          for (const e of executors) e.terminate();
          resolve(planResult(spec, results));
        }
        return;
      }
      const job = jobs[next++]!;
      active += 1;
      ex.run({ spec, order: job.order, policy: job.policy }).then(
        (r) => {
          active -= 1;
          if (cancelled) return;
          results.push(r);
          options.onResult?.(r, results.length, jobs.length);
          pump(ex);
        },
        (err: unknown) => {
          active -= 1;
          if (cancelled) return;
          cancelled = true;
          for (const e of executors) e.terminate();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    };
    for (let i = 0; i < n; i++) {
      const ex = options.executor();
      executors.push(ex);
    }
    if (jobs.length === 0) resolve(planResult(spec, results));
    for (const ex of executors) pump(ex);
  });
  return {
    done,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      for (const e of executors) e.terminate();
      rejectAll(new Cancelled());
    },
  };
}

/**
 * An executor in the calling thread with an injected spawner (tests, or
 * inside a pool worker): one order at a time.
 */
export function inlineExecutor(spawn: import('../runtime/cluster').Spawner, run: (job: OrderJob, spawn: import('../runtime/cluster').Spawner) => Promise<OrderResult>): Executor {
  let dead = false;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    run(job) {
      const p = chain.then(() => (dead ? new Promise<OrderResult>(() => {}) : run(job, spawn)));
      chain = p.catch(() => undefined);
      return p;
    },
    terminate() {
      dead = true;
    },
  };
}
