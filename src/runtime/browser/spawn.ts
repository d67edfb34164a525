/**
 * Spawns each service in a Web Worker: Comlink for control, a
 * MessageChannel port for the bus. Workers come from a warm pool (pool.ts),
 * so a Run, a restart or a new cluster boots services in threads that have
 * already loaded the simulator. A boot deadline keeps a broken worker from
 * hanging the page.
 */
import * as Comlink from 'comlink';
import type { Spawner } from '../cluster';
import { pooledWorker, portPair, workerPool, type PooledWorker, type WorkerPool } from '../pool';
import type { WorkerControl } from '../worker_api';
import { createServiceWorker, takeEarlyWorker } from './early';

export type BrowserSpawner = Spawner & { pool: WorkerPool };

export function browserSpawner({ bootTimeoutMs = 15000, spares = 2, sparesWhen }: { bootTimeoutMs?: number; spares?: number; sparesWhen?: () => Promise<unknown> } = {}): BrowserSpawner {
  const create = (): PooledWorker => {
    // One the page started early, when there is one (early.ts).
    const early = takeEarlyWorker();
    const worker = early?.worker ?? createServiceWorker();
    const w = pooledWorker(Comlink.wrap<WorkerControl>(worker), () => worker.terminate());
    worker.addEventListener('error', (ev) => w.fail(`worker error: ${ev.message}`));
    if (early?.error) queueMicrotask(() => w.fail(`worker error: ${early.error}`));
    return w;
  };
  const pool = workerPool({ create, channel: () => portPair(() => new MessageChannel()), bootTimeoutMs, spares, refillDelayMs: 1500, sparesWhen });
  const spawn = ((boot) => pool.spawn(boot)) as BrowserSpawner;
  spawn.pool = pool;
  return spawn;
}
