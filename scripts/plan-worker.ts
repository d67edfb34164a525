/**
 * A planner pool worker under Node's worker_threads: runs one order at a
 * time, each on its own fresh cluster whose services run in this thread
 * (one cluster is one simulation; the pool gives the parallelism).
 */
import { parentPort } from 'node:worker_threads';
import { inProcessSpawner } from '../src/runtime/in_process';
import { loadServiceFactory } from '../src/runtime/modules';
import { runOrder, type OrderJob } from '../src/planner/run';
import { runCompatJob, type CompatJob } from '../src/planner/compat';

// Zero-delay timers as setImmediate: Cluster.settle yields with
// setTimeout(0), which Node rounds up to 1 ms (and much more on a busy
// machine); this worker runs only clusters, real delays keep setTimeout.
const realSetTimeout = globalThis.setTimeout;
(globalThis as { setTimeout: unknown }).setTimeout = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
  ms ? realSetTimeout(fn, ms, ...args) : setImmediate(fn, ...args);

const spawn = inProcessSpawner(loadServiceFactory);
parentPort!.on('message', (m: { type: 'order'; job: OrderJob } | { type: 'compat'; job: CompatJob }) => {
  (m.type === 'order' ? runOrder(m.job, spawn) : runCompatJob(m.job, spawn)).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: String((err as Error)?.message ?? err) }),
  );
});
