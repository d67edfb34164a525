/**
 * Spawns each service in a worker_threads Worker, with Comlink for control
 * and a MessageChannel for the bus, as the browser does with Web Workers.
 * Workers come from a warm pool (pool.ts): a stopped service's thread boots
 * the next service.
 */
import { MessageChannel, type Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Spawner } from '../cluster';
import { pooledWorker, portPair, workerPool, type PooledWorker, type WorkerPool } from '../pool';
import type { WorkerControl } from '../worker_api';

import { startBundledWorker, workerBundle } from './bundle';

export type NodeSpawner = Spawner & { pool: WorkerPool; workers: Set<Worker>; close(): Promise<void> };

export function nodeSpawner({ bootTimeoutMs = 20000, spares = 0 } = {}): NodeSpawner {
  const workers = new Set<Worker>();
  let bundle: string | null = null;
  const create = (): PooledWorker => {
    // The bundle path is known before the first create (see spawn below).
    const worker = startBundledWorker(bundle!);
    workers.add(worker);
    const w = pooledWorker(Comlink.wrap<WorkerControl>(nodeEndpoint(worker as never)), () => void worker.terminate());
    // After Comlink's listener is attached (which refs it): a warm worker
    // waiting in the pool must not keep a finished CLI run alive. While the
    // pool waits for it (a boot, a release), something must: a ref'd
    // timer, dropped when the call settles or the thread ends (a worker's
    // own ref did not always keep Node from ending mid-await, exit code 13).
    worker.unref();
    const holds = new Set<() => void>();
    const held =
      <A extends unknown[], T>(call: (...a: A) => Promise<T>) =>
      (...a: A): Promise<T> => {
        const drop = keepAlive();
        holds.add(drop);
        return call(...a).finally(() => {
          holds.delete(drop);
          drop();
        });
      };
    w.boot = held(w.boot);
    w.release = held(w.release);
    worker.on('error', (err) => w.fail(`worker error: ${err.message}`));
    worker.on('exit', () => {
      for (const drop of holds) drop();
      holds.clear();
      workers.delete(worker);
      w.fail('worker exited');
    });
    return w;
  };
  const pool = workerPool({ create, channel: () => portPair(() => new MessageChannel()), bootTimeoutMs, spares });
  const spawn = (async (boot) => {
    bundle ??= await workerBundle();
    return pool.spawn(boot);
  }) as NodeSpawner;
  spawn.pool = pool;
  spawn.workers = workers;
  spawn.close = async () => {
    pool.close();
    const drop = keepAlive();
    try {
      await Promise.all([...workers].map((w) => w.terminate()));
    } finally {
      drop();
    }
  };
  return spawn;
}

/** Keep the process alive until the returned function is called. */
function keepAlive(): () => void {
  const timer = setInterval(() => undefined, 60_000);
  return () => clearInterval(timer);
}
