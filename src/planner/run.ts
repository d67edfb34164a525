/**
 * Runs one order of a plan on its own fresh cluster (the spawner is
 * injected: services in the calling thread inside a pool worker, or one
 * worker each), step by step through the runtime's public API, and
 * classifies what the workload saw in every step.
 */
import { Cluster, type Spawner } from '../runtime/cluster';
import { runStep } from '../runtime/run_scenario';
import type { ActionResult } from '../runtime/broker';
import type { TraceEvent } from '../runtime/trace';
import { buildOrder, orderKey, type Column, type Order } from './build';
import { classifyRun, type Cell, type ColumnRange } from './classify';
import { policyId, type PlanSpec } from './spec';

export interface OrderJob {
  spec: PlanSpec;
  order: Order;
  /** Index into spec.pins. */
  policy: number;
  /** Keep the whole trace (for the diagram); off for matrix runs. */
  trace?: boolean;
}

export interface OrderResult {
  /** `<policy id>|<order key>`. */
  key: string;
  order: Order;
  policy: number;
  policyId: string;
  columns: Column[];
  cells: Cell[];
  /** Wall-clock ms for this order (not part of the matrix). */
  ms: number;
  events: number;
  trace?: TraceEvent[];
}

export function jobKey(spec: PlanSpec, order: Order, policy: number): string {
  return `${policyId(spec.pins[policy]!)}|${orderKey(order)}`;
}

const now = () => (globalThis.performance ?? Date).now();

export async function runOrder(job: OrderJob, spawn: Spawner, options: { watchdogMs?: number } = {}): Promise<OrderResult> {
  const t0 = now();
  const policy = job.spec.pins[job.policy];
  if (!policy) throw new Error(`no pin policy #${job.policy} in this plan`);
  const built = buildOrder(job.spec, job.order, policy);
  const cluster = new Cluster({ spawn, seed: built.scenario.seed ?? built.scenario.title, ...(options.watchdogMs ? { watchdogMs: options.watchdogMs } : {}) });
  const actions: ActionResult[] = [];
  const ranges: ColumnRange[] = [];
  const seqNow = () => cluster.events.length ? cluster.events[cluster.events.length - 1]!.seq + 1 : 0;
  try {
    for (const def of built.scenario.services) await cluster.addService(def);
    let col = -1;
    let cur: ColumnRange | null = null;
    const close = () => {
      if (!cur) return;
      const snap = cluster.snapshot();
      cur.end = seqNow();
      cur.snapshot = { instances: snap.instances, queues: snap.queues };
      ranges.push(cur);
    };
    for (let i = 0; i < built.scenario.steps.length; i++) {
      const step = built.scenario.steps[i]!;
      if (built.stepColumn[i] !== col) {
        close();
        col = built.stepColumn[i]!;
        cur = { first: seqNow(), end: 0, snapshot: { instances: [], queues: {} }, stepErrors: [] };
      }
      try {
        await runStep(cluster, step, actions);
      } catch (err) {
        const service = 'service' in step && typeof step.service === 'string' ? step.service : null;
        cur!.stepErrors.push({ step: describeStep(step), message: (err as Error).message, service });
        cluster.broker.record('log', service ?? 'user', `planner: ${describeStep(step)} failed: ${(err as Error).message}`, undefined, { level: 'error' });
      }
    }
    await cluster.settle();
    close();
    const events = [...cluster.events];
    const cells = classifyRun(events, ranges, actions);
    return {
      key: jobKey(job.spec, job.order, job.policy),
      order: job.order,
      policy: job.policy,
      policyId: policyId(policy),
      columns: built.columns,
      cells,
      ms: Math.round(now() - t0),
      events: events.length,
      ...(job.trace ? { trace: events } : {}),
    };
  } finally {
    cluster.dispose();
  }
}

function describeStep(step: { do: string } & Record<string, unknown>): string {
  switch (step.do) {
    case 'upgrade':
      return `upgrade ${String(step.service)} to ${String(step.release)}`;
    case 'configure':
      return `set [${String(step.section)}] ${String(step.option)} on ${String(step.service)}`;
    default:
      return `${step.do} ${String(step.service ?? '')}`.trim();
  }
}
