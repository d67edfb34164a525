/**
 * Spawns each service in its own Web Worker: Comlink for control, a
 * MessageChannel port for the bus. A boot deadline keeps a broken worker
 * from hanging the page.
 */
import * as Comlink from 'comlink';
import type { Spawner } from '../cluster';
import { portLink } from '../link';
import type { BusPort, WorkerControl } from '../worker_api';
import ServiceWorker from './worker.ts?worker';

export function browserSpawner({ bootTimeoutMs = 15000 } = {}): Spawner {
  return async (boot) => {
    const worker = new ServiceWorker({ name: `nova-${boot.id}` });
    const control = Comlink.wrap<WorkerControl>(worker);
    const { port1, port2 } = new MessageChannel();
    let failLink: ((reason: string) => void) | null = null;
    worker.addEventListener('error', (ev) => failLink?.(`worker error: ${ev.message}`));
    const booted = await Promise.race([
      control.boot(boot, Comlink.transfer(port2 as unknown as BusPort, [port2])),
      new Promise<{ ok: false; error: string }>((r) => setTimeout(() => r({ ok: false, error: `worker did not boot within ${bootTimeoutMs} ms` }), bootTimeoutMs)),
    ]);
    if (!booted.ok) {
      worker.terminate();
      throw new Error(`cannot boot ${boot.id}: ${booted.error}`);
    }
    const link = portLink(port1 as unknown as BusPort, () => {
      control[Comlink.releaseProxy]();
      worker.terminate();
    });
    failLink = link.fail;
    return link;
  };
}
