/**
 * The planner's target, measured for `npm run bench`: Juno -> Kilo with 2
 * computes, all 24 orders x 2 pin policies (none, article), the default
 * workload. In Node through the worker_threads pool, and in headless
 * Chromium through the page's pool of Web Workers (against the production
 * build), with the page's long tasks while it runs. Target: <= 20 s each on
 * a 2-core machine, no long task over 50 ms.
 */
import { cpus, loadavg } from 'node:os';
import type { BenchResult } from '../src/runtime/bench/measure';
import { runPlan } from '../src/planner/pool';
import { defaultPlan, planToQuery } from '../src/planner/spec';
import { defaultConcurrency, nodeExecutor, warmNodePool } from './plan-node';

const TARGET = defaultPlan();

async function nodeFigures(): Promise<BenchResult[]> {
  await warmNodePool();
  const concurrency = defaultConcurrency();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runPlan(TARGET, { concurrency, executor: nodeExecutor }).done;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const load = loadavg()[0]!.toFixed(1);
  return [
    { name: `planner matrix, Juno -> Kilo, 2 computes, ${result.rows.length} orders (${concurrency} in flight; load average ${load} on ${cpus().length} cores)`, value: ms, unit: 'ms', note: 'target <= 20000' },
    { name: 'planner matrix: CPU time over all threads', value: (cpu.user + cpu.system) / 1000, unit: 'ms' },
  ];
}

async function browserFigures(): Promise<BenchResult[]> {
  // @ts-expect-error plain JavaScript module shared with the e2e harness
  const { launchBrowser, startPreview } = await import('../test/e2e/harness.mjs');
  const preview = await startPreview(4176);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${preview.url}#/planner?${planToQuery(TARGET)}`);
    await page.waitForSelector('[data-testid=planner-run]');
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const t0 = Date.now();
    await page.click('[data-testid=planner-run]');
    await page.waitForFunction(() => document.body.dataset.plannerState === 'done', null, { timeout: 300000 });
    const ms = Date.now() - t0;
    const long = (await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks)) as number[];
    const pool = await page.inputValue('input[type=number] >> nth=1');
    return [
      { name: `planner matrix, Juno -> Kilo, 2 computes, 48 orders (${pool} Web Workers; load average ${loadavg()[0]!.toFixed(1)})`, value: ms, unit: 'ms', note: 'target <= 20000' },
      { name: 'planner page: long tasks over 50 ms during the run', value: long.length, unit: 'tasks' },
      { name: 'planner page: longest task during the run', value: long.length ? Math.max(...long) : 0, unit: 'ms', note: 'target <= 50' },
    ];
  } finally {
    await browser.close();
    preview.stop();
  }
}

/** The planner figures; the browser half expects the production build in dist/. */
export async function benchPlanner({ node = true, browser = true } = {}): Promise<Record<string, BenchResult[]>> {
  const out: Record<string, BenchResult[]> = {};
  if (node) out['Upgrade planner (Node)'] = await nodeFigures();
  if (browser) out['Upgrade planner (Chromium)'] = await browserFigures();
  return out;
}
