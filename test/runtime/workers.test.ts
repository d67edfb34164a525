import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/runtime/cluster';
import { existsSync } from 'node:fs';
import { nodeSpawner } from '../../src/runtime/node/spawn';
import { workerBundle } from '../../src/runtime/node/bundle';
import { runScenario } from '../../src/runtime/run_scenario';
import { inProcess, scenario } from './helpers';

const spawners: ReturnType<typeof nodeSpawner>[] = [];
const spawn = () => {
  const s = nodeSpawner();
  spawners.push(s);
  return s;
};
afterAll(async () => {
  for (const s of spawners) await s.close();
});

const strip = (events: { data?: unknown }[]) => JSON.stringify(events);

describe('services in worker_threads', () => {
  it('run a scenario to the same trace as in-process, event for event, twice', async () => {
    const s = scenario('shelve-offload-pinned');
    const a = await runScenario(s, { spawn: spawn() });
    const b = await runScenario(s, { spawn: spawn() });
    const c = await runScenario(s, { spawn: inProcess() });
    a.cluster.dispose();
    b.cluster.dispose();
    expect(a.ok).toBe(true);
    expect(strip(a.events)).toBe(strip(b.events));
    expect(strip(a.events)).toBe(strip(c.events));
  }, 60000);

  it('start new workers from the code cache a compute worker saved, and give the same trace', async () => {
    const s = scenario('shelve-offload-pinned');
    const first = await runScenario(s, { spawn: spawn() });
    first.cluster.dispose();
    // Released computes save the cache that holds the code they ran.
    const warm = `${await workerBundle()}.v8cache.warm`;
    await expect.poll(() => existsSync(warm), { timeout: 30000, interval: 50 }).toBe(true);
    const next = await runScenario(s, { spawn: spawn() });
    next.cluster.dispose();
    const floor = await runScenario(s, { spawn: inProcess() });
    expect(next.ok).toBe(true);
    expect(strip(next.events)).toBe(strip(floor.events));
  }, 60000);

  it('cut off an infinite loop in user code with the watchdog, restart the service, and carry on', async () => {
    const loop = [
      "const { KiloComputeAPI } = require('nova/compute/rpcapi');",
      'class ComputeAPI extends KiloComputeAPI {',
      '  stop_instance(ctxt, kwargs) { for (;;) {} }',
      '}',
      'exports.ComputeAPI = ComputeAPI;',
    ].join('\n');
    // Wall-clock moments of the watchdog's verdict and of the api serving again.
    const seen: Record<string, number> = {};
    const cluster = new Cluster({
      spawn: spawn(),
      seed: 'watchdog',
      watchdogMs: 1500,
      onEvent: (e) => {
        if (e.service !== 'api') return;
        if (e.kind === 'lifecycle' && /watchdog terminated/.test(e.text)) seen.crash ??= Date.now();
        if (e.kind === 'log' && seen.crash && /Starting nova-api/.test(e.text)) seen.serving ??= Date.now();
      },
    });
    await cluster.addService({ id: 'conductor', binary: 'nova-conductor', release: 'kilo' });
    await cluster.addService({ id: 'scheduler', binary: 'nova-scheduler', release: 'kilo' });
    await cluster.addService({ id: 'compute1', binary: 'nova-compute', release: 'kilo' });
    await cluster.addService({ id: 'api', binary: 'nova-api', release: 'kilo', code: { 'nova/compute/rpcapi': loop } });
    expect((await cluster.act({ action: 'create', name: 'vm1' })).ok).toBe(true);
    const started = Date.now();
    const stuck = await cluster.act({ action: 'stop', server: 'vm1' });
    await cluster.settle();
    expect(stuck.ok).toBe(false);
    expect(JSON.stringify(stuck.result)).toMatch(/watchdog/);
    expect(cluster.events.some((e) => e.kind === 'lifecycle' && e.service === 'api' && /watchdog/.test(e.text))).toBe(true);
    // The api is back (restarted with the same code) and serves what does not hit the loop.
    // Wait for that state (its start logged), however long a loaded machine takes to restart it.
    for (let i = 0; !seen.serving && i < 3000; i++) await new Promise((r) => setTimeout(r, 10));
    await cluster.settle();
    // Not before the 1.5 s deadline (how soon after it is a benchmark's business, not a test's).
    expect(seen.crash! - started).toBeGreaterThanOrEqual(1400);
    expect(seen.serving).toBeDefined();
    if (process.env.SHOW_TIMES) console.log(`watchdog verdict after ${seen.crash! - started} ms, serving again ${seen.serving! - seen.crash!} ms later`);
    expect(cluster.snapshot().services.find((s) => s.id === 'api')!.state).toBe('running');
    const next = await cluster.act({ action: 'create', name: 'vm2' });
    expect(next.ok).toBe(true);
    expect(cluster.snapshot().instances.find((i) => i.display_name === 'vm2')!.vm_state).toBe('active');
    cluster.dispose();
  }, 60000);
});

describe('the worker pool in a plain Node process', () => {
  it('keeps the process alive while it waits for a warm worker, so a second run on the same pool finishes', async () => {
    // Warm workers are unref'd so a finished CLI run can exit; a run that
    // reused them once ended the process mid-run (exit code 13, an
    // unsettled top-level await) while the pool waited for a release.
    const { spawnSync } = await import('node:child_process');
    const fixture = new URL('./fixtures/two-runs.ts', import.meta.url).pathname;
    const r = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/run 1: ok, (\d+) events\nrun 2: ok, \1 events\n/);
    expect(r.stdout).toMatch(/reused [1-9]/);
  }, 130_000);
});
