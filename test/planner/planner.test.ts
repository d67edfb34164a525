/**
 * The upgrade planner as an operator sees it: the two shipped rolling
 * upgrades (the article's order and scheduler first) come out of the
 * matrix with the same verdicts as their scenarios, the reason is the
 * refused message, and the rules and exports say it in plain words.
 */
import { describe, expect, it } from 'vitest';
import { inProcessSpawner } from '../../src/runtime/in_process';
import { nodeSpawner } from '../../src/runtime/node/spawn';
import { loadServiceFactory } from '../../src/runtime/modules';
import { allOrders, buildOrder, columnsFor, orderKey, parseOrder } from '../../src/planner/build';
import { runOrder, type OrderResult } from '../../src/planner/run';
import { deriveRules, groupRows, planResult, sortRows, toRow } from '../../src/planner/matrix';
import { toCsv, toMarkdown, toRunbook, toText } from '../../src/planner/export';
import { runPlan, inlineExecutor } from '../../src/planner/pool';
import { adjacentPairs, autoPinAvailable, defaultPlan, parsePlan, planFromQuery, planToQuery, PlanError } from '../../src/planner/spec';
import { WORKLOAD, workloadSteps } from '../../src/planner/workload';
import { compatJobs, compatMap, runCompatJob } from '../../src/planner/compat';

const spawn = inProcessSpawner(loadServiceFactory);
const ARTICLE = parseOrder('conductor>scheduler>computes>api');
const SAFE = parseOrder('scheduler>conductor>computes>api');
const spec = defaultPlan(); // juno -> kilo, 2 computes as a group, pins: none and article, the scenarios' workload
const PINNED = 1;

const cache = new Map<string, Promise<OrderResult>>();
function run(order = ARTICLE, policy = PINNED, s = spec): Promise<OrderResult> {
  const key = `${JSON.stringify(s)}|${orderKey(order)}|${policy}`;
  if (!cache.has(key)) cache.set(key, runOrder({ spec: s, order, policy }, spawn));
  return cache.get(key)!;
}

describe('orders and scenarios', () => {
  it('enumerates the 24 orders of four units, each once', () => {
    const orders = allOrders();
    expect(orders).toHaveLength(24);
    expect(new Set(orders.map(orderKey)).size).toBe(24);
  });

  it('builds the article order as the shipped scenario does: pins in every conf, the workload after every step, the pins removed at the end', () => {
    const b = buildOrder(spec, ARTICLE, spec.pins[PINNED]!);
    expect(b.scenario.services.map((s) => [s.id, s.release, s.conf?.upgrade_levels?.compute])).toEqual([
      ['conductor', 'juno', 'juno'],
      ['scheduler', 'juno', 'juno'],
      ['compute1', 'juno', 'juno'],
      ['compute2', 'juno', 'juno'],
      ['api', 'juno', 'juno'],
    ]);
    const upgrades = b.scenario.steps.filter((s) => s.do === 'upgrade').map((s) => (s as { service: string }).service);
    expect(upgrades).toEqual(['conductor', 'scheduler', 'compute1', 'compute2', 'api']);
    expect(b.columns.map((c) => c.label)).toEqual(['before', 'conductor', 'scheduler', 'computes', 'api', 'unpin']);
    // After the conductor: boot, stop, start, reboot, shelve, unshelve, like the scenario.
    const afterConductor = b.scenario.steps.filter((_, i) => b.stepColumn[i] === 1 && _.do === 'action').map((s) => (s as { action: string }).action);
    expect(afterConductor).toEqual(['create', 'stop', 'start', 'reboot', 'shelve', 'unshelve']);
    const unpin = b.scenario.steps.filter((s) => s.do === 'configure');
    expect(unpin).toHaveLength(5);
    expect(unpin.every((s) => s.do === 'configure' && s.value === null && s.option === 'compute')).toBe(true);
  });

  it('computes one by one give one column per compute; no pins, no unpin column', () => {
    const each = { ...spec, computeMode: 'each' as const, computes: 3 };
    expect(columnsFor(each, SAFE, { kind: 'none' }).map((c) => c.label)).toEqual(['before', 'scheduler', 'conductor', 'compute1', 'compute2', 'compute3', 'api']);
  });

  it('the workload is data: every entry produces scenario steps, live-migrate and resize need two computes', () => {
    for (const [id, w] of Object.entries(WORKLOAD)) expect(w.steps({ base: 'b', fresh: 'f', computes: ['c1', 'c2'], step: 1 }).length, id).toBeGreaterThan(0);
    expect(workloadSteps(['live_migrate', 'resize'], { base: 'b', fresh: 'f', computes: ['c1'], step: 1 })).toEqual([]);
  });
});

describe('Juno -> Kilo, the two shipped orders', () => {
  it("the article's order: one boot fails, while the Kilo conductor faces the Juno scheduler; the refused message says why", async () => {
    const r = await run(ARTICLE);
    expect(r.cells.map((c) => c.status)).toEqual(['ok', 'failed', 'ok', 'ok', 'ok', 'ok']);
    const cell = r.cells[1]!;
    expect(cell.count).toBe(1);
    const p = cell.problems[0]!;
    expect(p.request).toBe('create server vm-after-conductor (m1.tiny)');
    expect(p.kind).toBe('UnsupportedVersion');
    expect(p.message).toMatchObject({
      method: 'select_destinations',
      version: '4.0',
      client: 'conductor',
      clientRelease: 'kilo',
      server: 'scheduler',
      serverRelease: 'juno',
      endpointVersion: '3.0',
      asked: false,
      refusal: 'UnsupportedVersion',
    });
    // The shelve and unshelve the api then refuses (the instance is in ERROR) follow from it and are not counted.
    expect(cell.consequences.map((c) => c.request)).toEqual(['shelve vm-after-conductor', 'unshelve vm-after-conductor']);
  });

  it('scheduler first: every step is all good', async () => {
    const r = await run(SAFE);
    expect(r.cells.every((c) => c.status === 'ok' && c.count === 0)).toBe(true);
    expect(r.cells.every((c) => c.requests >= 6)).toBe(true);
  });

  it('the rule behind it is derived from the refused message, in plain words', async () => {
    const rows = [toRow(await run(ARTICLE)), toRow(await run(SAFE))];
    const rules = deriveRules(rows);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.text).toBe('The scheduler must not be older than the conductor');
    expect(rules[0]!.because).toBe("Kilo's SchedulerAPI (in nova-conductor) sends select_destinations at 4.0 with no fallback, and Juno's nova-scheduler refuses it (UnsupportedVersion; it speaks 3.0)");
    expect(rules[0]!.first).toBe('scheduler');
    expect(rules[0]!.then).toBe('conductor');
  });

  it('without a pin, the conductor before the computes fails a boot: Kilo sends build_and_run_instance 4.0 to a Juno compute', async () => {
    const r = await run(SAFE, 0);
    expect(r.cells.map((c) => c.status)).toEqual(['ok', 'ok', 'failed', 'ok', 'ok']);
    expect(r.cells[2]!.problems[0]!.message).toMatchObject({ method: 'build_and_run_instance', version: '4.0', serverRelease: 'juno', asked: true, cap: null });
  });

  it('rows sort by first failure and total, identical rows group, the summary names the safe orders', async () => {
    const results = await Promise.all([run(ARTICLE), run(SAFE), run(parseOrder('conductor>scheduler>api>computes'))]);
    const res = planResult({ ...spec, pins: [spec.pins[PINNED]!] }, results.map((r) => ({ ...r, policy: 0 })));
    expect(sortRows(res.rows, 'first')[0]!.order).toEqual(SAFE);
    expect(sortRows(res.rows, 'total').at(-1)!.total).toBe(1);
    expect(groupRows(res.rows).map((g) => g.rows.length).sort()).toEqual([1, 2]);
    expect(res.summary.policies[0]!.safe.map(orderKey)).toEqual([orderKey(SAFE)]);
    expect(res.summary.lines[0]).toMatch(/^With \[upgrade_levels\] compute = juno on every service, set before the first upgrade and removed after the last: 1 of 3 orders are safe: scheduler → conductor → computes → api\.$/);
    expect(res.summary.lines[1]).toContain('The scheduler must not be older than the conductor, because');
  });
});

describe('exports', () => {
  it('Markdown, CSV, text and the runbook', async () => {
    const res = planResult({ ...spec, pins: [spec.pins[PINNED]!] }, [{ ...(await run(ARTICLE)), policy: 0 }, { ...(await run(SAFE)), policy: 0 }]);
    const md = toMarkdown(res);
    expect(md).toContain('| pins | order | before | step 1 | step 2 | step 3 | step 4 | step 5 | problems |');
    expect(md).toContain('| article | conductor → scheduler → computes → api | ✓ | conductor ✗ 1 | scheduler ✓ |');
    const csv = toCsv(res).trim().split('\n');
    expect(csv[0]).toBe('pins,order,step,upgrade,status,count,requests,first problem');
    expect(csv).toHaveLength(1 + 2 * 6);
    expect(csv.find((l) => l.startsWith('article,conductor>scheduler>computes>api,1,'))).toMatch(/,failed,1,6,create server vm-after-conductor \(m1.tiny\): scheduler: UnsupportedVersion: select_destinations v4.0; this server speaks 3.0$/);
    expect(toText(res)).toContain('conductor → scheduler → computes → api');
    const book = toRunbook(res.spec, res.rows.find((r) => orderKey(r.order) === orderKey(SAFE))!).trim().split('\n');
    expect(book[0]).toBe('# Runbook: juno → kilo, scheduler → conductor → computes → api (pins: article)');
    expect(book[2]).toBe('1. Set [upgrade_levels] compute = juno on api, conductor, scheduler, compute1, compute2; restart those services. — check: boot a server, stop / start, reboot, shelve / unshelve — simulated: all good');
    expect(book[3]).toMatch(/^2\. Upgrade scheduler to kilo/);
    expect(book.at(-1)).toMatch(/^6\. Remove \[upgrade_levels\] compute on api, conductor, scheduler, compute1, compute2; restart those services\./);
  });
});

describe('plans', () => {
  it('rejects what cannot be planned, saying why', () => {
    expect(() => parsePlan({ from: 'kilo', to: 'juno' })).toThrow(/one release at a time \(icehouse -> juno, juno -> kilo, kilo -> liberty, liberty -> mitaka\)/);
    expect(() => parsePlan({ computes: 9 })).toThrow('computes: must be a whole number from 1 to 8');
    expect(() => parsePlan({ workload: ['boot', 'attach_volume'] })).toThrow(/workload\[1\]: "attach_volume" is not one of boot, /);
    expect(() => parsePlan({ pins: ['auto'] })).toThrow(/compute = auto is not in juno or kilo \(the data says it came with 13.0.0 \(mitaka\)\)/);
    expect(() => parsePlan({ pins: ['custom(conductor.computer=juno)'] })).toThrow(PlanError);
  });

  it('auto pins come from the data: only Mitaka (13.0.0) has them', () => {
    expect(['icehouse', 'juno', 'kilo', 'liberty', 'mitaka'].map((r) => autoPinAvailable(r as 'juno'))).toEqual([false, false, false, false, true]);
  });

  it('liberty -> mitaka with auto: each service gets compute = auto as it is upgraded, and keeps it', () => {
    const spec = parsePlan({ from: 'liberty', to: 'mitaka', computes: 2, pins: ['auto'], workload: ['boot'] });
    const built = buildOrder(spec, ['scheduler', 'conductor', 'api', 'computes'], spec.pins[0]!);
    expect(built.scenario.services.every((s) => s.conf === undefined)).toBe(true);
    const steps = built.scenario.steps.filter((s) => s.do === 'configure' || s.do === 'upgrade').map((s) => [s.do, (s as { service: string }).service]);
    expect(steps).toEqual(
      ['scheduler', 'conductor', 'api', 'compute1', 'compute2'].flatMap((id) => [
        ['configure', id],
        ['upgrade', id],
      ]),
    );
    expect(built.columns.map((c) => c.kind)).not.toContain('unpin');
  });

  it('a plan survives its URL', () => {
    const p = parsePlan({ from: 'kilo', to: 'liberty', computes: 3, computeMode: 'each', pins: ['none', 'custom(*.compute=4.0)'], workload: ['boot', 'resize'] });
    expect(planFromQuery(planToQuery(p))).toEqual(p);
  });

  it('runs for every adjacent pair of releases the model has', async () => {
    for (const [from, to] of adjacentPairs()) {
      const s = parsePlan({ from, to, computes: 1, pins: ['none'], workload: ['boot'] });
      const r = await runOrder({ spec: s, order: parseOrder('conductor>scheduler>computes>api'), policy: 0 }, spawn);
      expect(r.cells).toHaveLength(5);
      expect(r.cells[0]!.status, `${from} -> ${to} before`).toBe('ok');
    }
  }, 60000);

  it('the pool runs every order through N executors and reports each one', async () => {
    const s = parsePlan({ computes: 1, pins: ['article'], workload: ['boot'] });
    const seen: number[] = [];
    const r = await runPlan(s, { concurrency: 2, executor: () => inlineExecutor(spawn, runOrder), onResult: (_r, done) => seen.push(done), jobs: allOrders().slice(0, 4).map((order) => ({ order, policy: 0 })) }).done;
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(r.rows).toHaveLength(4);
  }, 60000);

  it('a cluster whose services share the pool worker gives the same trace as one worker per service', async () => {
    const s = parsePlan({ computes: 1, pins: ['article'], workload: ['boot', 'stop_start'] });
    const spawnWorkers = nodeSpawner();
    const inProc = await runOrder({ spec: s, order: ARTICLE, policy: 0, trace: true }, spawn);
    const workers = await runOrder({ spec: s, order: ARTICLE, policy: 0, trace: true }, spawnWorkers);
    for (const w of spawnWorkers.workers) await w.terminate();
    expect(workers.cells).toEqual(inProc.cells);
    expect(workers.trace!.map((e) => `${e.id} ${e.kind} ${e.service} ${e.text}`)).toEqual(inProc.trace!.map((e) => `${e.id} ${e.kind} ${e.service} ${e.text}`));
  }, 60000);

  it('cancel stops the run', async () => {
    const s = parsePlan({ computes: 1, pins: ['none'], workload: ['boot'] });
    const run = runPlan(s, { concurrency: 1, executor: () => inlineExecutor(spawn, runOrder) });
    run.cancel();
    await expect(run.done).rejects.toThrow('the plan was cancelled');
  });
});

describe('Kilo -> Liberty', () => {
  it('a Liberty compute facing a Kilo conductor cannot start, and the planner says which message was refused', async () => {
    const s = parsePlan({ from: 'kilo', to: 'liberty', computes: 1, pins: ['none'], workload: ['boot'] });
    const r = await runOrder({ spec: s, order: parseOrder('computes>conductor>scheduler>api'), policy: 0 }, spawn);
    const cell = r.cells[1]!;
    expect(cell.status).toBe('nostart');
    expect(cell.problems[0]).toMatchObject({ kind: 'start_failed', request: 'start compute1' });
    expect(cell.problems[0]!.message).toMatchObject({ method: 'object_class_action_versions', version: '3.0', clientRelease: 'liberty', serverRelease: 'kilo', refusal: 'UnsupportedVersion' });
    const [rule] = deriveRules([toRow(r)]);
    expect(rule!.text).toBe('The conductor must not be older than the computes');
  }, 30000);
});

describe('the compatibility map', () => {
  it('is computed by the simulator: Juno / Kilo pairs pass unpinned, only with a pin, or not at all', async () => {
    const jobs = compatJobs().filter((j) => j.older === 'juno' && j.newer === 'kilo');
    expect(jobs).toHaveLength(16);
    const results = [];
    for (const j of jobs) results.push(await runCompatJob(j, spawn));
    const map = compatMap(results);
    const find = (c: string, cr: string, sv: string, sr: string) => map.entries.find((e) => e.client === c && e.clientRelease === cr && e.server === sv && e.serverRelease === sr);
    expect(find('nova-conductor', 'kilo', 'nova-scheduler', 'juno')).toMatchObject({ verdict: 'none', detail: expect.stringContaining('a major version gap: select_destinations v4.0 against 3.0') });
    expect(find('nova-compute', 'kilo', 'nova-compute', 'juno')).toMatchObject({ verdict: 'pin', pin: '[upgrade_levels] compute = juno on the nova-compute' });
    expect(find('nova-conductor', 'juno', 'nova-scheduler', 'kilo')).toMatchObject({ verdict: 'pass' });
    expect(find('nova-api', 'kilo', 'nova-conductor', 'juno')).toMatchObject({ verdict: 'none' });
  }, 120000);
});

describe('Kilo -> Liberty, every order', () => {
  it('without a pin: the conductor goes before the api and the computes, and these rules are exactly the safe orders', async () => {
    const s = parsePlan({ from: 'kilo', to: 'liberty', computes: 1, pins: ['none'], workload: ['boot', 'stop_start'] });
    const res = await runPlan(s, { concurrency: 1, executor: () => inlineExecutor(spawn, runOrder) }).done;
    const ps = res.summary.policies[0]!;
    expect(ps.safe.length).toBeGreaterThan(0);
    expect(ps.rulesExplain).toBe(true);
    expect(ps.unexplained).toEqual([]);
    const texts = ps.rules.map((id) => res.rules.find((r) => r.id === id)!.text);
    expect(texts).toContain('The conductor must not be older than the computes');
    expect(texts).toContain('The conductor must not be older than the api');
    for (const o of ps.safe) expect(o.indexOf('conductor')).toBeLessThan(o.indexOf('computes'));
  }, 180000);
});
