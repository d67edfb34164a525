/**
 * Spawns each service in a Web Worker: Comlink for control, a
 * MessageChannel port for the bus. Workers come from a warm pool (pool.ts),
 * so a Run, a restart or a new cluster boots services in threads that have
 * already loaded the simulator. A boot deadline keeps a broken worker from
 * hanging the page.
 */
import * as Comlink from 'comlink';
import type { Spawner } from '../cluster';
import { workerPool, type PooledWorker, type WorkerPool } from '../pool';
import type { BusPort, WorkerControl } from '../worker_api';
import ServiceWorker from './worker.ts?worker';

export type BrowserSpawner = Spawner & { pool: WorkerPool };

export function browserSpawner({ bootTimeoutMs = 15000, spares = 2 } = {}): BrowserSpawner {
  let n = 0;
  const create = (): PooledWorker => {
    n += 1;
    const worker = new ServiceWorker({ name: `nova-service-${n}` });
    const control = Comlink.wrap<WorkerControl>(worker);
    let onFail: ((reason: string) => void) | null = null;
    worker.addEventListener('error', (ev) => onFail?.(`worker error: ${ev.message}`));
    return {
      boot: (boot, port) => control.boot(boot, Comlink.transfer(port as BusPort, [port as Transferable])),
      release: () => control.release(),
      kill: () => {
        control[Comlink.releaseProxy]();
        worker.terminate();
      },
      onFailure: (fn) => {
        onFail = fn;
      },
    };
  };
  const pool = workerPool({
    create,
    channel: () => {
      const { port1, port2 } = new MessageChannel();
      return { mine: port1 as unknown as BusPort & { close(): void }, theirs: port2 };
    },
    bootTimeoutMs,
    spares,
  });
  const spawn = ((boot) => pool.spawn(boot)) as BrowserSpawner;
  spawn.pool = pool;
  return spawn;
}
