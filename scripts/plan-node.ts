/**
 * The planner's pool in Node: worker_threads, each running whole clusters
 * (scripts/plan-worker.ts, bundled once per process with esbuild).
 */
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { bundleWorker, startBundledWorker } from '../src/runtime/node/bundle';
import type { Executor } from '../src/planner/pool';
import type { OrderJob, OrderResult } from '../src/planner/run';
import type { CompatJob, CompatJobResult } from '../src/planner/compat';

const planWorkerBundle = () => bundleWorker(new URL('./plan-worker.ts', import.meta.url), 'plan-worker');

/** The default pool size: the machine's cores (at least 1, at most 8). */
export function defaultConcurrency(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Prepare the bundle before timing anything. */
export async function warmNodePool(): Promise<void> {
  await planWorkerBundle();
}

export interface NodeExecutor extends Executor {
  compat(job: CompatJob): Promise<CompatJobResult>;
}

export function nodeExecutor(): NodeExecutor {
  let worker: Worker | null = null;
  let ready: Promise<Worker> | null = null;
  let dead = false;
  const get = () => (ready ??= planWorkerBundle().then((file) => (worker = startBundledWorker(file))));
  const call = async <T,>(type: 'order' | 'compat', job: OrderJob | CompatJob): Promise<T> => {
      const w = await get();
      if (dead) return new Promise<T>(() => {});
      return new Promise<T>((resolve, reject) => {
        const onMsg = (m: { ok: boolean; result?: T; error?: string }) => {
          w.off('error', onErr);
          if (m.ok) resolve(m.result!);
          else reject(new Error(m.error));
        };
        const onErr = (e: Error) => {
          w.off('message', onMsg);
          reject(e);
        };
        w.once('message', onMsg);
        w.once('error', onErr);
        w.postMessage({ type, job });
      });
  };
  return {
    run: (job) => call<OrderResult>('order', job),
    compat: (job) => call<CompatJobResult>('compat', job),
    terminate() {
      dead = true;
      void worker?.terminate();
    },
  };
}
