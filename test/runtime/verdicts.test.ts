// Every run ends with a verdict: work waiting outside the simulation is
// abandoned with a message, crash loops stop, forged or oversized step
// results are refused, storms hit a budget, and a halted run leaves no
// service wedged.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/runtime/cluster';
import { ServiceHost } from '../../src/runtime/service_host';
import { NovaConf } from '../../src/nova/conf';
import { loadServiceFactory } from '../../src/runtime/modules';
import type { Spawner } from '../../src/runtime/cluster';
import type { WorkerLink } from '../../src/runtime/broker';
import { stepResultProblem } from '../../src/runtime/step_result';
import { inProcess } from './helpers';

const apiCode = (body: string) =>
  [
    "const { KiloComputeAPI } = require('nova/compute/rpcapi');",
    'class ComputeAPI extends KiloComputeAPI {',
    '  async stop_instance(ctxt, kwargs) {',
    body,
    '  }',
    '}',
    'exports.ComputeAPI = ComputeAPI;',
  ].join('\n');

async function kilo(seed: string, spawn: Spawner = inProcess(), code?: Record<string, string>) {
  const cluster = new Cluster({ spawn, seed });
  await cluster.addService({ id: 'conductor', binary: 'nova-conductor', release: 'kilo' });
  await cluster.addService({ id: 'scheduler', binary: 'nova-scheduler', release: 'kilo' });
  await cluster.addService({ id: 'compute1', binary: 'nova-compute', release: 'kilo' });
  await cluster.addService({ id: 'api', binary: 'nova-api', release: 'kilo', code });
  return cluster;
}

describe('a run always ends with a verdict', () => {
  it('abandons a request whose handler awaits a real timer, says so, and keeps serving', async () => {
    const cluster = await kilo('timer', inProcess(), { 'nova/compute/rpcapi': apiCode('    await new Promise((r) => setTimeout(r, 10));\n    return super.stop_instance(ctxt, kwargs);') });
    await cluster.act({ action: 'create', name: 'vm1' });
    const r = await cluster.act({ action: 'stop', server: 'vm1' });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r.result)).toMatch(/outside the simulation/);
    expect(cluster.events.some((e) => e.kind === 'log' && e.service === 'api' && /waiting for something outside the simulation/.test(e.text))).toBe(true);
    // What the abandoned handler does later is not sent.
    await new Promise((r) => setTimeout(r, 30));
    expect((await cluster.act({ action: 'create', name: 'vm2' })).ok).toBe(true);
    expect(cluster.events.filter((e) => e.kind === 'send' && e.data?.method === 'stop_instance')).toHaveLength(0);
  });

  it('abandons a request that awaits a promise nothing settles', async () => {
    const cluster = await kilo('never', inProcess(), { 'nova/compute/rpcapi': apiCode('    await new Promise(() => {});') });
    await cluster.act({ action: 'create', name: 'vm1' });
    const r = await cluster.act({ action: 'stop', server: 'vm1' });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r.result)).toMatch(/HandlerAbandoned/);
  });

  it('stops restarting a service that crashes at every start, and says why', async () => {
    // A worker whose every step crashes (as code that breaks the host would).
    const crashing: Spawner = async () => ({ run: async () => ({ t: 'fatal', message: 'boom at start' }), terminate() {} }) as WorkerLink;
    const cluster = new Cluster({ spawn: crashing, seed: 'loop' });
    await cluster.addService({ id: 'api', binary: 'nova-api', release: 'kilo' });
    await cluster.settle();
    const crashes = cluster.events.filter((e) => e.kind === 'lifecycle' && e.data?.action === 'crash');
    expect(crashes.length).toBe(4); // three crashes, then the verdict
    expect(crashes.at(-1)!.text).toMatch(/crashed 3 times in a row and stays down: .*boom at start/);
    expect(cluster.snapshot().services[0]!.state).toBe('crashed');
  });

  it('refuses a forged step result (too many publishes, unknown outputs) as a crash of that worker', async () => {
    const real = inProcess();
    let forge = false;
    const spawn: Spawner = async (boot) => {
      const link = await real(boot);
      if (boot.id !== 'compute1') return link;
      return {
        ...link,
        run: async (step) => {
          const r = await link.run(step);
          if (!forge || r.t !== 'done') return r;
          const env = { 'oslo.version': '2.0', 'oslo.message': '{}' };
          const flood = Array.from({ length: 20000 }, (_, i) => ({ k: 'publish', lid: `F${i}`, target: { topic: 'conductor' }, envelope: env, method: 'x', version: null }));
          return { ...r, out: [...r.out, ...flood] } as typeof r;
        },
      };
    };
    const cluster = await kilo('forged', spawn);
    await cluster.act({ action: 'create', name: 'vm1' });
    forge = true;
    await cluster.act({ action: 'stop', server: 'vm1' });
    const crash = cluster.events.find((e) => e.kind === 'lifecycle' && e.service === 'compute1' && e.data?.action === 'crash');
    expect(crash?.text).toMatch(/step result the bus refused: \d+ (outputs|messages published) in one step/);
    expect(cluster.events.filter((e) => e.kind === 'send' && e.data?.method === 'x')).toHaveLength(0);
  });

  it('checks the shape of what a worker posts', () => {
    expect(stepResultProblem({ t: 'done', step: 1, events: [], out: [] }, 500)).toBeNull();
    expect(stepResultProblem('garbage', 500)).toMatch(/not an object/);
    expect(stepResultProblem({ t: 'done', step: 1, events: [{ lid: 'L1', kind: 'nonsense', text: 'x' }], out: [] }, 500)).toMatch(/malformed trace event/);
    expect(stepResultProblem({ t: 'done', step: 1, events: [], out: [{ k: 'eval', code: 'x' }] }, 500)).toMatch(/unknown output/);
    expect(stepResultProblem({ t: 'done', step: 1, events: [], out: [{ k: 'reply', lid: 'L', reply_q: 'q', msg_id: 'm', envelopes: [], failure: null }] }, 500)).toMatch(/malformed reply/);
  });

  it('halts a storm of fanout casts at the run budget, with the numbers, and the cluster serves again', async () => {
    const code = apiCode(
      "    const c = this.client.prepare({ fanout: true, version: '4.0' });\n    for (let i = 0; i < 400; i++) await c.cast(ctxt, 'refresh_instance_security_rules', { instance: kwargs.instance });",
    );
    const cluster = new Cluster({ spawn: inProcess(), seed: 'storm' });
    await cluster.addService({ id: 'conductor', binary: 'nova-conductor', release: 'kilo' });
    await cluster.addService({ id: 'scheduler', binary: 'nova-scheduler', release: 'kilo' });
    for (const n of [1, 2, 3]) await cluster.addService({ id: `compute${n}`, binary: 'nova-compute', release: 'kilo' });
    await cluster.addService({ id: 'api', binary: 'nova-api', release: 'kilo', code: { 'nova/compute/rpcapi': code } });
    (cluster.broker as unknown as { options: { budget: object } }).options.budget = { messages: 300 };
    await cluster.act({ action: 'create', name: 'vm1' });
    await cluster.act({ action: 'stop', server: 'vm1' });
    const halt = cluster.events.find((e) => e.data?.action === 'halt');
    expect(halt?.text).toMatch(/published \d+ messages, over its budget of 300/);
    (cluster.broker as unknown as { options: { budget: object } }).options.budget = {};
    expect((await cluster.act({ action: 'create', name: 'vm2' })).ok).toBe(true);
  });

  it('uses the same host for a reboot: a fresh ServiceHost per boot leaves nothing behind', () => {
    const boot = { id: 'api', binary: 'nova-api' as const, release: 'kilo' as const, conf: {}, seed: 's' };
    const a = new ServiceHost({ id: 'api', spec: { binary: 'nova-api', release: 'kilo', conf: new NovaConf({}) }, seed: 's' }, loadServiceFactory(boot));
    const b = new ServiceHost({ id: 'api', spec: { binary: 'nova-api', release: 'kilo', conf: new NovaConf({}) }, seed: 's' }, loadServiceFactory(boot));
    expect(a.replyQueue).toBe(b.replyQueue);
  });
});
