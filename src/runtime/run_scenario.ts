/**
 * Runs a scenario on a cluster and checks its expectations against the
 * trace and the final state.
 */
import type { ActionResult } from './broker';
import { Cluster, type ClusterOptions } from './cluster';
import type { EventMatch, Expectation, ExpectationResult, Scenario, Step } from './scenario';
import type { TraceEvent } from './trace';
import { eventMatches } from './match';
import { backupDatabase, dbSync, migrateFlavorData, restoreDatabase, schemaProblem } from '../nova/db/migrations';

export { eventMatches };

export interface ScenarioRun {
  scenario: Scenario;
  events: TraceEvent[];
  results: ExpectationResult[];
  actions: ActionResult[];
  ok: boolean;
  /** Set when the scenario could not be played through (a service that cannot boot...). */
  error?: string;
  cluster: Cluster;
}


function describeMatch(m: EventMatch): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
}

export function checkExpectation(x: Expectation, cluster: Cluster, events: TraceEvent[], actions: ActionResult[]): ExpectationResult {
  switch (x.expect) {
    case 'event': {
      const n = events.filter((e) => eventMatches(e, x.match)).length;
      const min = x.count ?? x.min ?? 1;
      const max = x.count ?? x.max ?? Infinity;
      const ok = n >= min && n <= max;
      return { expectation: x, ok, detail: `${n} event(s) matching ${describeMatch(x.match)}${ok ? '' : `, wanted ${x.count ?? `${min}..${max}`}`}` };
    }
    case 'no_event': {
      const hits = events.filter((e) => eventMatches(e, x.match));
      return {
        expectation: x,
        ok: hits.length === 0,
        detail: hits.length === 0 ? `no event matching ${describeMatch(x.match)}` : `unexpected: ${hits[0]!.id} ${hits[0]!.text}`,
      };
    }
    case 'instance': {
      const rows = cluster.snapshot().instances.filter((r) => r.display_name === x.server || r.uuid === x.server);
      const row = rows.find((r) => !r.deleted) ?? rows[rows.length - 1];
      if (!row) return { expectation: x, ok: false, detail: `no instance ${x.server}` };
      const problems: string[] = [];
      if (x.vm_state !== undefined && row.vm_state !== x.vm_state) problems.push(`vm_state ${row.vm_state} (wanted ${x.vm_state})`);
      if (x.task_state !== undefined && row.task_state !== x.task_state) problems.push(`task_state ${row.task_state} (wanted ${x.task_state})`);
      if (x.host !== undefined && row.host !== x.host) problems.push(`host ${row.host} (wanted ${x.host})`);
      // the newest instance_faults row (nova shows it as the server's "fault")
      const faults = ((row as { faults?: Array<{ message?: string }> }).faults ?? []);
      const fault = faults.length ? String(faults[faults.length - 1]!.message ?? '') : null;
      if (x.fault !== undefined && (x.fault === null ? fault !== null : !(fault ?? '').includes(x.fault))) problems.push(`fault ${JSON.stringify(fault)} (wanted ${JSON.stringify(x.fault)})`);
      return {
        expectation: x,
        ok: problems.length === 0,
        detail: problems.length
          ? `${x.server}: ${problems.join(', ')}`
          : `${x.server}: vm_state ${row.vm_state}, task_state ${row.task_state}, host ${row.host}${x.fault !== undefined ? `, fault ${JSON.stringify(fault)}` : ''}`,
      };
    }
    case 'actions': {
      const ok = actions.filter((a) => a.ok).length;
      const failed = actions.length - ok;
      const good =
        (x.ok === undefined || x.ok === ok) && (x.failed === undefined || x.failed === failed) && (x.all_ok !== true || failed === 0);
      return { expectation: x, ok: good, detail: `${ok} accepted, ${failed} refused by the api` };
    }
    case 'wire': {
      const sends = events.filter((e) => e.kind === 'send' && eventMatches(e, x.match));
      if (sends.length === 0) return { expectation: x, ok: false, detail: `no message matching ${describeMatch(x.match)}` };
      const texts = x.reply
        ? sends.map((s) => {
            const r = events.find((e) => e.kind === 'reply' && e.data?.call === s.id);
            return r ? JSON.stringify(r.data?.envelopes ?? r.data?.failure ?? '') : null;
          })
        : sends.map((s) => JSON.stringify(s.data?.envelope ?? ''));
      const fails = (t: string | null) => t === null || (x.contains !== undefined && !t.includes(x.contains)) || (x.lacks !== undefined && t.includes(x.lacks));
      if (x.any) {
        const hit = texts.findIndex((t) => !fails(t));
        const rule = [x.contains !== undefined ? `contains "${x.contains}"` : '', x.lacks !== undefined ? `lacks "${x.lacks}"` : ''].filter(Boolean).join(' and ');
        const what = `${x.reply ? 'the reply to ' : ''}${sends.length} message(s) matching ${describeMatch(x.match)}`;
        return { expectation: x, ok: hit !== -1, detail: hit !== -1 ? `${what}: ${sends[hit]!.id} ${rule}` : `${what}: none ${rule}` };
      }
      const bad = texts.findIndex(fails);
      const what = `${x.reply ? 'the reply to ' : ''}${sends.length} message(s) matching ${describeMatch(x.match)}`;
      const rule = [x.contains !== undefined ? `contains "${x.contains}"` : '', x.lacks !== undefined ? `lacks "${x.lacks}"` : ''].filter(Boolean).join(' and ');
      return {
        expectation: x,
        ok: bad === -1,
        detail: bad === -1 ? `${what}: each ${rule}` : `${what}: ${sends[bad]!.id} ${texts[bad] === null ? 'got no reply' : `does not satisfy: ${rule}`}`,
      };
    }
    case 'queue': {
      const depth = cluster.snapshot().queues[x.queue] ?? 0;
      return { expectation: x, ok: depth === x.depth, detail: `${x.queue} holds ${depth} message(s)${depth === x.depth ? '' : `, wanted ${x.depth}`}` };
    }
  }
}

export async function runStep(cluster: Cluster, step: Step, actions: ActionResult[]): Promise<void> {
  switch (step.do) {
    case 'action': {
      const { do: _do, expect_ok: _e, ...action } = step;
      actions.push(await cluster.act(action as Parameters<Cluster['act']>[0]));
      return;
    }
    case 'upgrade': {
      const problem = schemaProblem(cluster.db, cluster.service(step.service).def.binary, step.release);
      if (problem) {
        // The old process is stopped for the upgrade; the new code cannot work on this schema: the service stays down.
        if (cluster.service(step.service).state !== 'stopped') await cluster.stop(step.service);
        cluster.broker.record('log', step.service, `ERROR ${problem}; ${step.service} stays down`, undefined, { level: 'error', action: 'schema' });
        return;
      }
      return cluster.upgrade(step.service, step.release);
    }
    case 'db':
      return runDbStep(cluster, step);
    case 'unit_test': {
      const { do: _do, service, ...test } = step;
      actions.push(await cluster.actOn(service, { action: 'unit_test', ...test }));
      return;
    }
    case 'stop':
      return cluster.stop(step.service);
    case 'start':
      return cluster.start(step.service);
    case 'restart':
      return cluster.restart(step.service);
    case 'configure':
      return cluster.configure(step.service, step.section, step.option, step.value, step.restart ?? true);
    case 'inject':
      // nova.conf [fault_injection] <point> = <error>, read by the compute's fake driver
      return cluster.configure(step.service, 'fault_injection', step.point, 'method' in step ? step.method : step.error, true);
    case 'heal':
      return cluster.configure(step.service, 'fault_injection', step.point, null, true);
    case 'add_service':
      return cluster.addService(step.service);
    case 'wait':
      return cluster.wait(step.seconds);
    case 'periodic':
      return cluster.periodic(step.service, step.task);
    case 'note':
      cluster.broker.record('lifecycle', 'user', step.text, undefined, { action: 'note' });
      return;
  }
}

/** nova-manage on the cluster's database; its output becomes trace events (a failure ends the run). */
async function runDbStep(cluster: Cluster, step: Extract<Step, { do: 'db' }>): Promise<void> {
  const say = (text: string, data: Record<string, unknown> = {}) => cluster.broker.record('lifecycle', 'user', text, undefined, { action: 'db', command: step.command, ...data });
  try {
    await dbCommand(step, say, cluster);
  } catch (err) {
    // nova-manage exits with an error; the cloud goes on as it was.
    cluster.broker.record('log', 'user', `nova-manage db ${step.command} failed: ${(err as Error).message}`, undefined, { level: 'error', action: 'db', command: step.command });
  }
}

async function dbCommand(step: Extract<Step, { do: 'db' }>, say: (text: string, data?: Record<string, unknown>) => unknown, cluster: Cluster): Promise<void> {
  switch (step.command) {
    case 'backup':
      say(`database ${backupDatabase(cluster.db)}`);
      return;
    case 'restore': {
      say(`database ${restoreDatabase(cluster.db)}`);
      // Code newer than the restored schema cannot keep running on it.
      for (const svc of cluster.snapshot().services) {
        const problem = schemaProblem(cluster.db, svc.binary, svc.release);
        if (problem && svc.state !== 'stopped') {
          await cluster.stop(svc.id);
          cluster.broker.record('log', svc.id, `ERROR ${problem}; ${svc.id} stops`, undefined, { level: 'error', action: 'schema' });
        }
      }
      return;
    }
    case 'sync': {
      const r = await dbSync(cluster.db, step.release!);
      say(`nova-manage db sync (${step.release} code): schema ${r.from ?? 'unknown'} -> ${r.to}`, { from: r.from, to: r.to });
      for (const line of r.lines) say(`  ${line}`);
      return;
    }
    case 'migrate_flavor_data': {
      const r = await migrateFlavorData(cluster.db, step.max_number ?? null);
      say(`nova-manage db migrate_flavor_data${step.max_number !== undefined ? ` --max-number ${step.max_number}` : ''}: ${r.line}`, { matched: r.matched, done: r.done });
      return;
    }
  }
}

/** Build the scenario's cluster, run its steps, check its expectations. */
export async function runScenario(
  scenario: Scenario,
  options: Omit<ClusterOptions, 'seed'> & { code?: Record<string, Record<string, string>>; onBooted?(done: number, total: number): void },
): Promise<ScenarioRun> {
  const cluster = new Cluster({ ...options, seed: scenario.seed ?? scenario.title });
  const actions: ActionResult[] = [];
  let error: string | undefined;
  try {
    await cluster.addServices(
      scenario.services.map((def) => ({ ...def, code: options.code?.[def.id] ?? def.code })),
      options.onBooted,
    );
    for (const step of scenario.steps) await runStep(cluster, step, actions);
    await cluster.settle();
  } catch (err) {
    error = (err as Error).message;
    cluster.broker.record('log', 'user', `scenario error: ${error}`, undefined, { level: 'error' });
  }
  const events = [...cluster.events];
  const results = (scenario.expect ?? []).map((x) => checkExpectation(x, cluster, events, actions));
  return { scenario, events, results, actions, ok: !error && results.every((r) => r.ok), ...(error ? { error } : {}), cluster };
}
