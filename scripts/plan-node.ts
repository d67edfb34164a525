/**
 * The planner's pool in Node: worker_threads, each running whole clusters
 * (scripts/plan-worker.ts, bundled once per process with esbuild).
 */
import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tmpdir, availableParallelism } from 'node:os';
import type { Executor } from '../src/planner/pool';
import type { OrderJob, OrderResult } from '../src/planner/run';
import type { CompatJob, CompatJobResult } from '../src/planner/compat';

let bundled: Promise<string> | null = null;

function planWorkerBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const dir = join(tmpdir(), `nova-upgrade-lab-plan-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'plan-worker.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./plan-worker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bundled;
}

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
  const get = () => (ready ??= planWorkerBundle().then((file) => (worker = new Worker(file))));
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
