/**
 * A planner pool worker in the browser: runs one order (or one
 * compatibility configuration) at a time, each on its own fresh cluster
 * whose services run inside this worker. The pool gives the parallelism;
 * terminating the worker stops its cluster.
 */
import { inProcessSpawner } from '../../runtime/in_process';
import { loadServiceFactory } from '../../runtime/modules';
import { runOrder, type OrderJob } from '../../planner/run';
import { runCompatJob, type CompatJob } from '../../planner/compat';

export type PlanWorkerRequest = { id: number; type: 'order'; job: OrderJob } | { id: number; type: 'compat'; job: CompatJob };

/**
 * Zero-delay timers as an immediate macrotask. Cluster.settle yields with
 * setTimeout(0), which browsers clamp to 4 ms once timers nest: with the
 * services in this same thread that clamp was most of an order's time. This
 * worker runs only clusters; timers with a real delay (the watchdog) keep
 * the browser's setTimeout.
 */
function fastZeroTimers(): void {
  const realSet = globalThis.setTimeout.bind(globalThis);
  const realClear = globalThis.clearTimeout.bind(globalThis);
  const queue: { id: number; fn: () => void }[] = [];
  const cancelled = new Set<number>();
  let next = 0;
  const ch = new MessageChannel();
  ch.port1.onmessage = () => {
    const item = queue.shift();
    if (!item) return;
    if (cancelled.delete(item.id)) return;
    item.fn();
  };
  (globalThis as { setTimeout: unknown }).setTimeout = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (ms) return realSet(fn, ms, ...args);
    const id = -++next;
    queue.push({ id, fn: () => fn(...args) });
    ch.port2.postMessage(0);
    return id;
  };
  (globalThis as { clearTimeout: unknown }).clearTimeout = (id?: number) => {
    if (typeof id === 'number' && id < 0) cancelled.add(id);
    else realClear(id);
  };
}
fastZeroTimers();

const spawn = inProcessSpawner(loadServiceFactory);

self.onmessage = (ev: MessageEvent<PlanWorkerRequest>) => {
  const m = ev.data;
  const p: Promise<unknown> = m.type === 'order' ? runOrder(m.job, spawn) : runCompatJob(m.job, spawn);
  p.then(
    (result) => self.postMessage({ id: m.id, ok: true, result }),
    (err: unknown) => self.postMessage({ id: m.id, ok: false, error: String((err as Error)?.message ?? err) }),
  );
};
