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

const spawn = inProcessSpawner(loadServiceFactory);

self.onmessage = (ev: MessageEvent<PlanWorkerRequest>) => {
  const m = ev.data;
  const p: Promise<unknown> = m.type === 'order' ? runOrder(m.job, spawn) : runCompatJob(m.job, spawn);
  p.then(
    (result) => self.postMessage({ id: m.id, ok: true, result }),
    (err: unknown) => self.postMessage({ id: m.id, ok: false, error: String((err as Error)?.message ?? err) }),
  );
};
