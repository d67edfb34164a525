/**
 * Spawns each service in its own worker_threads Worker, with Comlink for
 * control and a MessageChannel for the bus, as the browser does with Web
 * Workers.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Spawner } from '../cluster';
import { portLink } from '../link';
import type { BusPort, WorkerBoot, WorkerControl } from '../worker_api';

import { workerBundle } from './bundle';

export function nodeSpawner({ bootTimeoutMs = 20000 } = {}): Spawner & { workers: Set<Worker> } {
  const workers = new Set<Worker>();
  const spawn = (async (boot: WorkerBoot) => {
    const worker = new Worker(await workerBundle());
    workers.add(worker);
    worker.unref();
    const control = Comlink.wrap<WorkerControl>(nodeEndpoint(worker as never));
    const { port1, port2 } = new MessageChannel();
    let failLink: ((reason: string) => void) | null = null;
    worker.on('error', (err) => failLink?.(`worker error: ${err.message}`));
    worker.on('exit', () => {
      workers.delete(worker);
      failLink?.('worker exited');
    });
    const booted = await Promise.race([
      control.boot(boot, Comlink.transfer(port2 as unknown as BusPort, [port2 as unknown as Transferable])),
      new Promise<{ ok: false; error: string }>((r) => setTimeout(() => r({ ok: false, error: `worker did not boot within ${bootTimeoutMs} ms` }), bootTimeoutMs)),
    ]);
    if (!booted.ok) {
      void worker.terminate();
      throw new Error(`cannot boot ${boot.id}: ${booted.error}`);
    }
    const link = portLink(port1 as unknown as BusPort, () => {
      control[Comlink.releaseProxy]();
      void worker.terminate();
    });
    failLink = link.fail;
    return link;
  }) as unknown as Spawner & { workers: Set<Worker> };
  spawn.workers = workers;
  return spawn;
}
