/**
 * The planner's executors in the browser: one Web Worker each, running
 * whole clusters (services in the worker's own thread).
 */
import type { Executor } from '../../planner/pool';
import type { OrderJob, OrderResult } from '../../planner/run';
import type { CompatJob, CompatJobResult } from '../../planner/compat';
import PlanWorker from './plan.worker.ts?worker';

export interface BrowserExecutor extends Executor {
  compat(job: CompatJob): Promise<CompatJobResult>;
}

export function browserExecutor(): BrowserExecutor {
  let worker: Worker | null = null;
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const get = () => {
    if (!worker) {
      worker = new PlanWorker({ name: 'nova-planner' });
      worker.onmessage = (ev: MessageEvent<{ id: number; ok: boolean; result?: unknown; error?: string }>) => {
        const p = pending.get(ev.data.id);
        if (!p) return;
        pending.delete(ev.data.id);
        if (ev.data.ok) p.resolve(ev.data.result);
        else p.reject(new Error(ev.data.error));
      };
      worker.onerror = (ev) => {
        for (const p of pending.values()) p.reject(new Error(`planner worker error: ${ev.message}`));
        pending.clear();
      };
    }
    return worker;
  };
  const call = <T,>(type: 'order' | 'compat', job: OrderJob | CompatJob): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      get().postMessage({ id, type, job });
    });
  return {
    run: (job: OrderJob) => call<OrderResult>('order', job),
    compat: (job: CompatJob) => call<CompatJobResult>('compat', job),
    terminate() {
      worker?.terminate();
      worker = null;
      pending.clear();
    },
  };
}

/** Orders in flight by default: the cores the browser reports, at least 2, at most 6. */
export function defaultConcurrency(): number {
  return Math.max(2, Math.min(6, navigator.hardwareConcurrency || 2));
}
