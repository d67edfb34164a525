import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/runtime/cluster';
import { parseScenario, ScenarioError } from '../../src/runtime/scenario_schema';
import { runScenario } from '../../src/runtime/run_scenario';
import { inProcess, scenario } from './helpers';

async function kiloCluster(seed: string, code?: Record<string, string>) {
  const cluster = new Cluster({ spawn: inProcess(), seed });
  await cluster.addService({ id: 'conductor', binary: 'nova-conductor', release: 'kilo' });
  await cluster.addService({ id: 'scheduler', binary: 'nova-scheduler', release: 'kilo' });
  await cluster.addService({ id: 'compute1', binary: 'nova-compute', release: 'kilo' });
  await cluster.addService({ id: 'api', binary: 'nova-api', release: 'kilo', code });
  return cluster;
}

describe('the bus', () => {
  it('counts its rounds: one service per round while requests run one at a time, several when their items fall due together', async () => {
    const cluster = await kiloCluster('rounds');
    await cluster.act({ action: 'create', name: 'vm1' });
    // One request at a time: every round is one service's step, each waiting for the one before.
    expect(cluster.broker.rounds.parallel).toBe(0);
    expect(cluster.broker.rounds.steps).toBe(cluster.broker.rounds.rounds);
    cluster.dispose();
    // A live migration that rolls back: the source and the destination compute get work at the same virtual time.
    const run = await runScenario(scenario('live-migration-rollback-volume'), { spawn: inProcess() });
    const { rounds, steps, parallel } = run.cluster.broker.rounds;
    expect(run.ok).toBe(true);
    expect(parallel).toBeGreaterThan(0);
    expect(steps).toBeGreaterThan(rounds);
    run.cluster.dispose();
  });

  it('keeps casts for a stopped compute in its queue and delivers them when it starts again, at its new release', async () => {
    const cluster = new Cluster({ spawn: inProcess(), seed: 'queued-casts' });
    const pin = { upgrade_levels: { compute: 'juno' } };
    await cluster.addService({ id: 'conductor', binary: 'nova-conductor', release: 'kilo', conf: pin });
    await cluster.addService({ id: 'scheduler', binary: 'nova-scheduler', release: 'kilo', conf: pin });
    await cluster.addService({ id: 'compute1', binary: 'nova-compute', release: 'juno' });
    await cluster.addService({ id: 'api', binary: 'nova-api', release: 'kilo', conf: pin });
    await cluster.act({ action: 'create', name: 'vm1' });
    await cluster.stop('compute1');
    const r = await cluster.act({ action: 'stop', server: 'vm1' });
    expect(r.ok).toBe(true);
    expect(cluster.snapshot().queues['compute.compute1']).toBe(1);
    expect(cluster.events.some((e) => e.kind === 'queued' && e.data?.queue === 'compute.compute1')).toBe(true);
    await cluster.upgrade('compute1', 'kilo');
    expect(cluster.snapshot().queues['compute.compute1']).toBe(0);
    const dispatch = cluster.events.filter((e) => e.kind === 'dispatch' && e.service === 'compute1' && e.data?.method === 'stop_instance');
    // The 3.0 message sent while compute1 was a stopped Juno node is served by the Kilo manager.
    expect(dispatch.map((e) => [e.data?.outcome, e.data?.endpoint_version])).toEqual([['dispatched', '3.40']]);
    expect(cluster.snapshot().instances[0]!.vm_state).toBe('stopped');
  });

  it('times out a call to a compute that never answers, in virtual time', async () => {
    const cluster = await kiloCluster('timeout');
    await cluster.addService({ id: 'compute2', binary: 'nova-compute', release: 'kilo' });
    await cluster.act({ action: 'create', name: 'vm1' });
    await cluster.stop('compute2');
    const before = cluster.broker.now;
    const r = await cluster.act({ action: 'live_migrate', server: 'vm1', host: 'compute2' });
    const timeouts = cluster.events.filter((e) => e.kind === 'timeout');
    expect(timeouts.length).toBeGreaterThan(0);
    expect(timeouts[0]!.text).toMatch(/MessagingTimeout/);
    expect(cluster.broker.now - before).toBeGreaterThanOrEqual(60000);
    expect(r.ok).toBe(false);
  });

  it('refuses at the sender a message that cannot be serialized, and keeps running', async () => {
    const code = [
      "const { KiloComputeAPI } = require('nova/compute/rpcapi');",
      'class ComputeAPI extends KiloComputeAPI {',
      '  stop_instance(ctxt, kwargs) {',
      "    return this.client.prepare({ server: kwargs.instance.get('host'), version: '4.0' }).cast(ctxt, 'stop_instance', { instance: kwargs.instance, callback: () => 1 });",
      '  }',
      '}',
      'exports.ComputeAPI = ComputeAPI;',
    ].join('\n');
    const cluster = await kiloCluster('unserializable', { 'nova/compute/rpcapi': code });
    await cluster.act({ action: 'create', name: 'vm1' });
    const r = await cluster.act({ action: 'stop', server: 'vm1' });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r.result)).toMatch(/callback is a function/);
    expect((await cluster.act({ action: 'create', name: 'vm2' })).ok).toBe(true);
  });

  it('bounds a storm of casts from user code', async () => {
    const code = [
      "const { KiloComputeAPI } = require('nova/compute/rpcapi');",
      'class ComputeAPI extends KiloComputeAPI {',
      '  async stop_instance(ctxt, kwargs) {',
      "    const c = this.client.prepare({ server: kwargs.instance.get('host'), version: '4.0' });",
      "    for (let i = 0; i < 100000; i++) await c.cast(ctxt, 'get_host_uptime', {});",
      '  }',
      '}',
      'exports.ComputeAPI = ComputeAPI;',
    ].join('\n');
    const cluster = await kiloCluster('storm', { 'nova/compute/rpcapi': code });
    await cluster.act({ action: 'create', name: 'vm1' });
    const r = await cluster.act({ action: 'stop', server: 'vm1' });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r.result)).toMatch(/MessageStorm|more than/);
    expect(cluster.events.filter((e) => e.kind === 'send' && e.data?.method === 'get_host_uptime').length).toBeLessThanOrEqual(500);
  });

  it('reports a syntax error in user code clearly and keeps the other services running', async () => {
    const cluster = await kiloCluster('syntax');
    await expect(cluster.loadCode('api', { 'nova/compute/rpcapi': 'class {' })).rejects.toThrow(/nova\/compute\/rpcapi\.ts/);
  });
});

describe('scenario validation', () => {
  it('names the offending path of a malformed scenario', () => {
    expect(() => parseScenario({ title: 'x', services: [{ id: 'c', binary: 'nova-foo', release: 'kilo' }], steps: [] })).toThrow(
      /services\[0\]\.binary/,
    );
    expect(() => parseScenario({ title: 'x', services: [{ id: 'c', binary: 'nova-api', release: 'havana' }], steps: [] })).toThrow(ScenarioError);
    expect(() => parseScenario('nope')).toThrow(/JSON object/);
  });
});

describe('the model stays deterministic', () => {
  // A step ends when every handler has finished or waits for a message; a
  // timer or a dynamic import in the model would let work escape its step.
  it('uses no timers and no dynamic imports in the oslo core or the nova model', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('scheduling.ts')) {
          const text = readFileSync(p, 'utf8');
          if (/\bawait import\(|\bsetTimeout\(|\bsetInterval\(|\bsetImmediate\(/.test(text)) offenders.push(p);
        }
      }
    };
    walk(new URL('../../src/nova', import.meta.url).pathname);
    walk(new URL('../../src/oslo', import.meta.url).pathname);
    expect(offenders).toEqual([]);
  });
});

describe('a conductor that cannot hydrate an object', () => {
  it('raises IncompatibleObjectVersion to the caller instead of asking itself for a backport (issue 16 item 5)', async () => {
    // A Juno conductor cannot read the Instance 1.19 a Kilo api sends it. A
    // backport it cannot do itself is an error for the caller, not a call to
    // its own topic: no nested calls, no exhausted executor pool, no halt.
    const cluster = new Cluster({ spawn: inProcess(), seed: 'self-call' });
    const pin = { upgrade_levels: { compute: 'juno' } };
    await cluster.addService({ id: 'conductor', binary: 'nova-conductor', release: 'juno' });
    await cluster.addService({ id: 'scheduler', binary: 'nova-scheduler', release: 'juno' });
    await cluster.addService({ id: 'compute1', binary: 'nova-compute', release: 'juno' });
    await cluster.addService({ id: 'api', binary: 'nova-api', release: 'juno', conf: pin });
    await cluster.act({ action: 'create', name: 'vm1' });
    await cluster.upgrade('api', 'kilo');
    await cluster.act({ action: 'stop', server: 'vm1' });
    const events = cluster.events;
    expect(events.some((e) => e.kind === 'object' && e.service === 'conductor' && e.data?.outcome === 'IncompatibleObjectVersion')).toBe(true);
    expect(events.some((e) => e.kind === 'send' && e.service === 'conductor' && e.data?.method === 'object_backport')).toBe(false);
    expect(events.some((e) => e.kind === 'log' && e.service === 'conductor' && /executor threads are busy/.test(e.text))).toBe(false);
    expect(events.some((e) => e.kind === 'lifecycle' && e.data?.action === 'halt')).toBe(false);
    expect(cluster.broker.idle).toBe(true);
    // conductor keeps serving: a Juno-era boot through it still works
    await cluster.upgrade('api', 'juno');
    const boot = await cluster.act({ action: 'create', name: 'vm2' });
    expect(boot.ok).toBe(true);
  }, 60000);
});
