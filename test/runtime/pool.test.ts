// Warm workers: a stopped service's thread hosts the next service, unless
// user code changed something the next one would share.
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/runtime/cluster';
import { nodeSpawner } from '../../src/runtime/node/spawn';
import { workerPool } from '../../src/runtime/pool';
import { changedSince, fingerprint, sharedSurface } from '../../src/runtime/tamper';
import { runScenario } from '../../src/runtime/run_scenario';
import { scenario } from './helpers';

const spawn = nodeSpawner();
afterAll(() => spawn.close());

const apiCode = (extra: string) =>
  [
    extra,
    "const { KiloComputeAPI } = require('nova/compute/rpcapi');",
    'class ComputeAPI extends KiloComputeAPI {}',
    'exports.ComputeAPI = ComputeAPI;',
  ].join('\n');

async function runWith(code: string) {
  const cluster = new Cluster({ spawn, seed: 'pool' });
  await cluster.addServices([
    { id: 'conductor', binary: 'nova-conductor', release: 'kilo' },
    { id: 'api', binary: 'nova-api', release: 'kilo', code: { 'nova/compute/rpcapi': code } },
  ]);
  cluster.dispose();
  // Releases are asynchronous: wait until both workers are back or gone.
  await spawn.pool.quiet();
}

describe('the warm worker pool', () => {
  it('runs the same scenario to the same trace on fresh and on reused workers', async () => {
    const a = await runScenario(scenario('shelve-offload-pinned'), { spawn });
    a.cluster.dispose();
    await spawn.pool.quiet();
    const before = spawn.pool.stats();
    const b = await runScenario(scenario('shelve-offload-pinned'), { spawn });
    b.cluster.dispose();
    expect(spawn.pool.stats().reused).toBeGreaterThan(before.reused);
    expect(b.events.map((e) => [e.kind, e.service, e.text])).toEqual(a.events.map((e) => [e.kind, e.service, e.text]));
  }, 60000);

  it('reuses a worker whose user code only extended the model, and replaces one whose code patched a shared class', async () => {
    await runWith(apiCode(''));
    const before = spawn.pool.stats();
    await runWith(apiCode(''));
    expect(spawn.pool.stats().discarded).toBe(before.discarded); // both workers went back to the pool
    expect(spawn.pool.stats().reused).toBe(before.reused + 2);
    await runWith(apiCode("require('oslo.messaging').RPCClient.prototype.sneaky = 1;"));
    expect(spawn.pool.stats().discarded).toBe(before.discarded + 1); // the patched one was replaced
  }, 60000);
});

describe('spares', () => {
  it('are not created before `sparesWhen` settles, and are created after it', async () => {
    let made = 0;
    let open!: () => void;
    const after = new Promise<void>((r) => (open = r));
    const pool = workerPool({
      create: () => {
        made += 1;
        return { boot: async () => ({ ok: true as const }), release: async () => ({ reusable: true }), kill() {}, onFailure() {} };
      },
      channel: () => ({ mine: { postMessage() {}, on() {} }, theirs: null }),
      spares: 2,
      sparesWhen: () => after,
    });
    const link = await pool.spawn({ id: 'a', binary: 'nova-api', release: 'kilo', conf: {}, seed: 's' });
    await new Promise((r) => setTimeout(r, 20));
    expect(made).toBe(1); // the service's own worker, no spare yet
    open();
    await after;
    // The refill is a timer after the promise: wait for the state, not for a delay.
    while (made < 3) await new Promise((r) => setTimeout(r, 5));
    await pool.quiet();
    expect(made).toBe(3);
    expect(pool.stats().idle).toBe(2);
    link.terminate();
  });
});

describe('which worker a service boots in', () => {
  /** A pool of fake threads that records which thread booted which service. */
  const fakePool = () => {
    let n = 0;
    const boots: Array<[number, string]> = [];
    const pool = workerPool({
      create: () => {
        const thread = ++n;
        return {
          boot: async (b: { id: string }) => (boots.push([thread, b.id]), { ok: true as const }),
          release: async () => ({ reusable: true }),
          kill() {},
          onFailure() {},
        };
      },
      channel: () => ({ mine: { postMessage() {}, on() {} }, theirs: null }),
    });
    return { pool, boots, threadOf: (id: string) => boots.filter(([, b]) => b === id).map(([t]) => t) };
  };
  const boot = (id: string) => ({ id, binary: 'nova-api' as const, release: 'kilo' as const, conf: {}, seed: 's' });

  it('is the one it ran in before, when that one is free (its code is already compiled there): released and idle, or still on its way back', async () => {
    const { pool, threadOf } = fakePool();
    const first = await Promise.all(['api', 'conductor', 'compute1'].map((id) => pool.spawn(boot(id))));
    for (const l of first) l.release!();
    await pool.quiet();
    // Idle now: booted in another order, each still finds its own thread.
    const second = [];
    for (const id of ['compute1', 'api', 'conductor']) second.push(await pool.spawn(boot(id)));
    // A Run disposes the old cluster and boots the new one at once: the releases are still on their way.
    for (const l of second) l.release!();
    for (const id of ['conductor', 'compute1', 'api']) await pool.spawn(boot(id));
    for (const id of ['api', 'conductor', 'compute1']) expect(new Set(threadOf(id)).size, id).toBe(1);
    expect(pool.stats().created).toBe(3);
  });

  it('is any free one for a new service, before a new thread is made', async () => {
    const { pool, boots } = fakePool();
    (await pool.spawn(boot('api'))).release!();
    await pool.spawn(boot('compute9'));
    expect(boots.map(([t]) => t)).toEqual([1, 1]);
  });
});

describe('tamper check', () => {
  it('sees a patched prototype, an added global and a replaced export, and nothing when nothing changed', () => {
    class Model {
      m() {
        return 1;
      }
    }
    const mods = [{ Model }];
    const fp = fingerprint(sharedSurface(mods));
    expect(changedSince(fp)).toBeNull();
    const original = Model.prototype.m;
    Model.prototype.m = () => 2;
    expect(changedSince(fp)).toMatch(/Model\.m was changed/);
    Model.prototype.m = original;
    (globalThis as Record<string, unknown>).leak = 1;
    expect(changedSince(fp)).toMatch(/globalThis\.leak was added/);
    delete (globalThis as Record<string, unknown>).leak;
    expect(changedSince(fp)).toBeNull();
  });
});
