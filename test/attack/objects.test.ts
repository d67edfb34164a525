/**
 * Prototype names and hostile values through every map built from outside
 * data: nova.conf text, a cluster's configure, a lesson's plan.json, a
 * scenario's conf; and nested or cyclic values on the way to the wire.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { NovaConf } from '../../src/nova/conf';
import { makeObjectWorld } from '../../src/nova/objects';
import { NovaObjectSerializer } from '../../src/oslo/objects';
import { WireSerializationError } from '../../src/oslo/wire';
import { Cluster } from '../../src/runtime/cluster';
import { applyPlan } from '../../src/runtime/plan';
import { parseScenario } from '../../src/runtime/scenario_schema';
import type { Scenario } from '../../src/runtime/scenario';
import { inProcess } from '../runtime/helpers';
import { isClearMessage, newTally, prototypeFingerprint, report } from './tally';

const tally = newTally();
afterAll(() => report('objects', tally));

/** Run one hostile case: it must throw a clear error (or pass cleanly when `mayPass`), change no prototype, and be quick. */
async function hostile(what: string, f: () => unknown, why: RegExp, { mayPass = false } = {}): Promise<void> {
  tally.cases += 1;
  const before = prototypeFingerprint();
  const t0 = performance.now();
  let error: unknown = null;
  try {
    await f();
  } catch (err) {
    error = err;
  }
  if (performance.now() - t0 > 2000) tally.hangs += 1;
  const leaked = prototypeFingerprint() !== before || ({} as { polluted?: unknown }).polluted !== undefined || ({} as { code?: unknown }).code !== undefined;
  if (leaked) tally.leaks += 1;
  expect(leaked, `${what}: a prototype changed`).toBe(false);
  if (error === null) {
    if (!mayPass) tally.crashes += 1;
    expect(mayPass, `${what}: should be refused`).toBe(true);
    return;
  }
  tally.refused += 1;
  const message = (error as Error).message ?? String(error);
  if (error instanceof RangeError || error instanceof TypeError) tally.crashes += 1;
  else if (isClearMessage(message) && why.test(message)) tally.clearRefusals += 1;
  expect(error, `${what}: ${message}`).not.toBeInstanceOf(RangeError);
  expect(error, `${what}: ${message}`).not.toBeInstanceOf(TypeError);
  expect(message, what).toMatch(why);
}

const NAMES = ['__proto__', 'constructor', 'prototype'];
const base: Scenario = { title: 't', services: [{ id: 'api', binary: 'nova-api', release: 'kilo' }], steps: [] };

describe('attack: prototype names in nova.conf, configure, plans and scenarios', () => {
  it('nova.conf text with a reserved section or option name is refused', async () => {
    for (const n of NAMES) {
      await hostile(`[${n}]`, () => NovaConf.parse(`[${n}]\npolluted = yes\ncode = x\n`), /reserved and refused/);
      await hostile(`option ${n}`, () => NovaConf.parse(`[DEFAULT]\n${n} = x\n`), /reserved and refused/);
      await hostile(`set ${n}`, () => new NovaConf().set(n, 'keys', 'x'), /reserved and refused/);
    }
    // `[constructor] keys = x` used to break Object.keys for the whole page.
    expect(Object.keys({ a: 1 })).toEqual(['a']);
    // Ordinary names still work, and a conf's maps have no prototype to reach.
    const conf = NovaConf.parse('[upgrade_levels]\ncompute = juno\n[DEFAULT]\nhost = c1\n');
    expect(conf.upgradeLevel('compute')).toBe('juno');
    expect(conf.get('DEFAULT', 'toString')).toBeNull();
    expect(Object.getPrototypeOf(conf.sections)).toBeNull();
  });

  it("a cluster's configure refuses reserved names and values that are not text", async () => {
    const c = new Cluster({ spawn: inProcess() });
    await c.addService({ id: 'api', binary: 'nova-api', release: 'kilo' });
    for (const n of NAMES) {
      await hostile(`configure section ${n}`, () => c.configure('api', n, 'polluted', 'yes', false), /reserved name/);
      await hostile(`configure option ${n}`, () => c.configure('api', 'DEFAULT', n, 'yes', false), /reserved name/);
    }
    await hostile('configure value object', () => c.configure('api', 'DEFAULT', 'code', { m: 'x' } as never, false), /must be text or null/);
    await hostile('configure option number', () => c.configure('api', 'DEFAULT', 5 as never, 'x', false), /must be a name/);
    await hostile('an ordinary configure', () => c.configure('api', 'upgrade_levels', 'compute', 'juno', false), /./, { mayPass: true });
    expect(c.snapshot().services[0]!.upgrade_levels).toEqual({ compute: 'juno' });
    c.dispose();
  });

  it("a lesson's plan.json is held to the link's rules: no code, no raised limits, typed steps", async () => {
    const plan = (steps: unknown[]) => () => applyPlan(base, JSON.stringify({ steps }));
    await hostile('plan add_service code', plan([{ do: 'add_service', service: { id: 'c9', binary: 'nova-compute', release: 'kilo', code: { m: 'x' } } }]), /plan\.json: .*code is refused/);
    await hostile('plan maxPublishesPerStep', plan([{ do: 'add_service', service: { id: 'c9', binary: 'nova-compute', release: 'kilo', maxPublishesPerStep: 1e9 } }]), /maxPublishesPerStep is refused/);
    await hostile('plan configure __proto__', plan([{ do: 'configure', service: 'api', section: '__proto__', option: 'polluted', value: 'yes' }]), /reserved name/);
    await hostile('plan note 42', plan([{ do: 'note', text: 42 }]), /text must be text/);
    await hostile('plan note object', plan([{ do: 'note', text: {} }]), /text must be text/);
    await hostile('plan step null', plan([null]), /must be an object/);
    await hostile('plan __proto__ JSON', () => applyPlan(base, '{"steps":[{"do":"configure","service":"api","section":"DEFAULT","option":"x","value":"y","__proto__":{"polluted":1}}]}'), /unexpected key "__proto__"/);
    await hostile('an ordinary plan', plan([{ do: 'configure', service: 'api', section: 'upgrade_levels', option: 'compute', value: 'juno' }, { do: 'note', text: 'pinned' }]), /./, { mayPass: true });
  });

  it('scenario files: conf with reserved names and mistyped steps are refused by the scenario validator', async () => {
    const sc = (o: object) => () => parseScenario({ ...base, ...o });
    await hostile('scenario conf __proto__', () => parseScenario(JSON.parse('{"title":"t","services":[{"id":"api","binary":"nova-api","release":"kilo","conf":{"__proto__":{"code":"x"}}}],"steps":[]}')), /reserved name/);
    await hostile('scenario note null', sc({ steps: [{ do: 'note', text: null }] }), /text must be text/);
    // This name made `npm run scenario` exit with an unhandled rejection.
    await hostile('scenario name toString', sc({ steps: [{ do: 'action', action: 'create', name: { toString: 1 } }] }), /name must be text, not an object/);
    await hostile('scenario configure value', sc({ steps: [{ do: 'configure', service: 'api', section: 'DEFAULT', option: 'x', value: 5 }] }), /must be text or null/);
  });
});

describe('attack: nested and cyclic values', () => {
  it('a cyclic argument gets the wire\'s cycle message, not a stack overflow', async () => {
    const ser = new NovaObjectSerializer({ logic: 'kilo', world: makeObjectWorld('kilo').world, conductor: null });
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    await hostile('cyclic dict', () => ser.serialize_entity({}, { args: a }), /refers back to itself \(a cycle\)/);
    const l: unknown[] = [1];
    l.push(l);
    await hostile('cyclic list', () => ser.serialize_entity({}, l), /a cycle/);
    let thrown: unknown;
    try {
      ser.serialize_entity({}, a);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(WireSerializationError);
    // The same value twice (not a cycle) is fine.
    const shared = { k: 'v' };
    await hostile('shared, not cyclic', () => expect(ser.serialize_entity({}, { a: shared, b: [shared, shared] })).toEqual({ a: shared, b: [shared, shared] }), /./, { mayPass: true });
  });

  it('deeply nested plan steps are refused by shape, not by the stack', async () => {
    const deep = `${'['.repeat(50_000)}1${']'.repeat(50_000)}`;
    await hostile('deep plan', () => applyPlan(base, `{"steps":[{"do":"note","text":${deep}}]}`), /text must be text/);
  });
});
