/**
 * A planner pool worker under Node's worker_threads: runs one order at a
 * time, each on its own fresh cluster whose services run in this thread
 * (one cluster is one simulation; the pool gives the parallelism).
 */
import { parentPort } from 'node:worker_threads';
import { inProcessSpawner } from '../src/runtime/in_process';
import { loadServiceFactory } from '../src/runtime/modules';
import { runOrder, type OrderJob } from '../src/planner/run';

const spawn = inProcessSpawner(loadServiceFactory);
parentPort!.on('message', (job: OrderJob) => {
  runOrder(job, spawn).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: String((err as Error)?.message ?? err) }),
  );
});
