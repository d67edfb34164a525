/**
 * Service workers started by the page itself, before the runtime's modules
 * have loaded: loading the simulator into a worker is the slowest part of
 * a cluster's start, and the page can begin it as soon as what the reader
 * sees first is on screen (main.tsx). The spawner takes these first
 * (spawn.ts), then creates its own.
 */
import ServiceWorker from './worker.ts?worker';

let n = 0;

export function createServiceWorker(): Worker {
  n += 1;
  return new ServiceWorker({ name: `nova-service-${n}` });
}

interface Early {
  worker: Worker;
  /** Set when the worker reported an error before the spawner took it. */
  error: string | null;
}

const early: Early[] = [];

/**
 * Start `count` service workers now (nothing happens where Web Workers are
 * missing, or once the spawner has begun creating its own).
 */
export function startServiceWorkers(count: number): void {
  if (n > 0 || typeof Worker === 'undefined' || typeof MessageChannel === 'undefined') return;
  for (let i = 0; i < count; i++) {
    const e: Early = { worker: createServiceWorker(), error: null };
    e.worker.addEventListener('error', (ev) => {
      e.error ??= ev.message || 'the worker failed to load';
    });
    early.push(e);
  }
}

/** A worker started early, if one is left. */
export function takeEarlyWorker(): Early | undefined {
  return early.shift();
}
