/**
 * The source article's scenarios (a Juno -> Kilo rolling upgrade), run on
 * in-process services over a LoopbackBus and asserted on what actually
 * crossed the wire (bus.wire) and what the services' oslo cores decided
 * (dispatch and object hydration events).
 */
import { describe, expect, it } from 'vitest';
import { KiloComputeAPI, type Kwargs } from '../../src/nova/compute/rpcapi';
import type { ConfSections } from '../../src/nova/conf';
import { remotable_classmethod_call, type VersionedObject } from '../../src/oslo/objects';
import type { Release } from '../../src/nova/releases';
import { LoopbackCluster, SimulatedNovaService, type LoopbackServiceDef } from '../../src/nova/service';
import { deserialize_msg } from '../../src/oslo/messaging';

const PIN_JUNO: ConfSections = { upgrade_levels: { compute: 'juno' } };
/** Keep a shelved instance shelved (the compute would otherwise offload it at once). */
const KEEP_SHELVED: ConfSections = { DEFAULT: { shelved_offload_time: '-1' } };

interface Sent {
  from: string;
  to: string;
  method: string;
  version: string | null;
  namespace: string | null;
  args: Record<string, unknown>;
}

/** Every request (not reply) that crossed the bus, decoded. */
function sent(c: LoopbackCluster): Sent[] {
  const out: Sent[] = [];
  for (const w of c.bus.wire) {
    if (w.from === 'reply') continue;
    const m = deserialize_msg(w.envelope) as { method?: string; version?: string; namespace?: string; args?: Record<string, unknown> };
    if (!m.method) continue;
    out.push({ from: w.from, to: w.to, method: m.method, version: m.version ?? null, namespace: m.namespace ?? null, args: m.args ?? {} });
  }
  return out;
}

function dispatches(c: LoopbackCluster, service: string, method: string) {
  return c.events
    .filter((e) => e.service === service && e.event.kind === 'dispatch' && e.event.method === method)
    .map((e) => e.event as Extract<typeof e.event, { kind: 'dispatch' }>);
}

function hydrations(c: LoopbackCluster, service: string) {
  return c.events
    .filter((e) => e.service === service && e.event.kind === 'object_hydrate')
    .map((e) => e.event as Extract<typeof e.event, { kind: 'object_hydrate' }>);
}

async function build(defs: LoopbackServiceDef[]): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}

function merge(...confs: ConfSections[]): ConfSections {
  const out: ConfSections = {};
  for (const conf of confs) for (const [s, opts] of Object.entries(conf)) Object.assign((out[s] ??= {}), opts);
  return out;
}

/** Kilo control plane (optionally pinned) + one compute of `computeRelease`; plus an unpinned Kilo api. */
function kiloControlPlane(computeRelease: Release, pinned: boolean, apiOverrides?: LoopbackServiceDef['overrides']): LoopbackServiceDef[] {
  const conf = pinned ? PIN_JUNO : {};
  return [
    { id: 'conductor', binary: 'nova-conductor', release: 'kilo', conf },
    { id: 'scheduler', binary: 'nova-scheduler', release: 'kilo', conf },
    { id: 'compute1', binary: 'nova-compute', release: computeRelease, conf: KEEP_SHELVED },
    { id: 'api', binary: 'nova-api', release: 'kilo', conf, ...(apiOverrides ? { overrides: apiOverrides } : {}) },
  ];
}

async function instanceRow(c: LoopbackCluster, name: string) {
  return (await c.db.instance_get_all({ deleted: true })).find((r) => r.display_name === name)!;
}

describe('article scenarios: Kilo control plane, Juno compute', () => {
  it('1. no pin: shelve_offload_instance goes out as 4.0 and the Juno compute rejects it (UnsupportedVersion, logged on the compute); the instance stays shelved', async () => {
    // Get a shelved instance onto the Juno compute through a pinned Kilo control plane...
    const c = await build([...kiloControlPlane('juno', true), { id: 'api-unpinned', binary: 'nova-api', release: 'kilo' }]);
    await c.action('api', { action: 'create', name: 'vm1' });
    await c.action('api', { action: 'shelve', server: 'vm1' });
    expect(await instanceRow(c, 'vm1')).toMatchObject({ vm_state: 'shelved', task_state: null, host: 'compute1' });
    const before = c.bus.wire.length;

    // ...then ask a Kilo nova-api that has no [upgrade_levels] compute.
    await c.action('api-unpinned', { action: 'shelve_offload', server: 'vm1' });
    const msgs = sent(c).filter((m) => m.method === 'shelve_offload_instance');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ from: 'api-unpinned', to: 'compute.compute1', version: '4.0' });
    expect(Object.keys(msgs[0]!.args).sort()).toEqual(['clean_shutdown', 'instance']);
    expect(c.bus.wire.length).toBeGreaterThan(before);

    expect(dispatches(c, 'compute1', 'shelve_offload_instance')).toEqual([
      expect.objectContaining({ version: '4.0', outcome: 'UnsupportedVersion' }),
    ]);
    // A cast: nobody hears about it but the compute's log (Juno's oslo.messaging 1.4 wording).
    const logged = c.logs.filter((l) => l.service === 'compute1' && l.level === 'error');
    expect(logged.map((l) => l.message)).toEqual(['Exception during message handling: Endpoint does not support RPC version 4.0']);
    // Nothing happened on the hypervisor: still shelved on compute1 (nova-api had set the task state before casting).
    expect(await instanceRow(c, 'vm1')).toMatchObject({ vm_state: 'shelved', task_state: 'shelving_offloading', host: 'compute1' });
    // The compute never touched the instance (no object_action went out from it after the cast).
    expect(c.bus.wire.slice(before).filter((w) => w.from === 'compute1')).toEqual([]);
  });

  it('2. [upgrade_levels] compute = juno: it goes out as 3.0 without clean_shutdown and the instance ends SHELVED_OFFLOADED', async () => {
    const c = await build(kiloControlPlane('juno', true));
    await c.action('api', { action: 'create', name: 'vm1' });
    await c.action('api', { action: 'shelve', server: 'vm1' });
    await c.action('api', { action: 'shelve_offload', server: 'vm1' });
    const msgs = sent(c).filter((m) => m.method === 'shelve_offload_instance');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ from: 'api', to: 'compute.compute1', version: '3.0' });
    expect(Object.keys(msgs[0]!.args)).toEqual(['instance']);
    expect(dispatches(c, 'compute1', 'shelve_offload_instance')).toEqual([
      expect.objectContaining({ version: '3.0', outcome: 'dispatched', endpoint: 'ComputeManager', endpoint_version: '3.35' }),
    ]);
    expect(await instanceRow(c, 'vm1')).toMatchObject({ vm_state: 'shelved_offloaded', task_state: null, host: null, node: null });
    expect(c.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('3. a client that forgets to drop clean_shutdown at 3.0: the Juno compute fails with the TypeError naming clean_shutdown', async () => {
    class ForgetfulComputeAPI extends KiloComputeAPI {
      override async shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
        const instance = kwargs.instance as { get(n: string): unknown };
        const clean_shutdown = kwargs.clean_shutdown ?? true;
        const version = this.client.can_send_version('4.0') ? '4.0' : '3.0';
        const cctxt = this.client.prepare({ server: instance.get('host') as string, version });
        await cctxt.cast(ctxt, 'shelve_offload_instance', { instance, clean_shutdown });
      }
    }
    const c = await build(kiloControlPlane('juno', true, { 'nova/compute/rpcapi': { ComputeAPI: ForgetfulComputeAPI } }));
    await c.action('api', { action: 'create', name: 'vm1' });
    await c.action('api', { action: 'shelve', server: 'vm1' });
    await c.action('api', { action: 'shelve_offload', server: 'vm1' });
    const msg = sent(c).find((m) => m.method === 'shelve_offload_instance')!;
    expect(msg).toMatchObject({ version: '3.0' });
    expect(Object.keys(msg.args).sort()).toEqual(['clean_shutdown', 'instance']);
    // The dispatcher found the 3.35 manager; the Python call itself failed.
    expect(dispatches(c, 'compute1', 'shelve_offload_instance')).toEqual([expect.objectContaining({ version: '3.0', outcome: 'dispatched' })]);
    const errors = c.logs.filter((l) => l.service === 'compute1' && l.level === 'error').map((l) => l.message);
    expect(errors).toEqual(["Exception during message handling: shelve_offload_instance() got an unexpected keyword argument 'clean_shutdown'"]);
    expect(await instanceRow(c, 'vm1')).toMatchObject({ vm_state: 'shelved', host: 'compute1' });
  });

  it('4. a Kilo conductor sends Instance 1.19 to the Juno compute: IncompatibleObjectVersion, object_backport on conductor, the compute works at 1.15', async () => {
    const c = await build(kiloControlPlane('juno', true));
    await c.action('api', { action: 'create', name: 'vm1' });
    const bar = sent(c).find((m) => m.method === 'build_and_run_instance')!;
    // Kilo's ladder under cap 3.35: 4.0 -> 3.40 -> 3.36 (refused) -> 3.33.
    expect(bar).toMatchObject({ from: 'conductor', to: 'compute.compute1', version: '3.33' });
    expect((bar.args.instance as Record<string, unknown>)['nova_object.version']).toBe('1.19');

    const h = hydrations(c, 'compute1').filter((e) => e.objname === 'Instance');
    expect(h.slice(0, 4)).toEqual([
      expect.objectContaining({ objver: '1.19', outcome: 'IncompatibleObjectVersion', class_version: '1.15' }),
      expect.objectContaining({ objver: '1.19', outcome: 'backport_requested', target_version: '1.15', detail: 'object_backport' }),
      // conductor's reply, already at 1.15, hydrates as is
      expect.objectContaining({ objver: '1.15', outcome: 'hydrated', class_version: '1.15' }),
      expect.objectContaining({ objver: '1.19', outcome: 'backported', target_version: '1.15' }),
    ]);
    const backport = sent(c).find((m) => m.method === 'object_backport')!;
    expect(backport).toMatchObject({ from: 'compute1', to: 'conductor', version: '2.0' });
    expect(backport.args.target_version).toBe('1.15');
    // From then on the compute saves its 1.15 instance through conductor.
    const saves = sent(c).filter((m) => m.from === 'compute1' && m.method === 'object_action');
    expect(saves.length).toBeGreaterThan(0);
    for (const s of saves) expect((s.args.objinst as Record<string, unknown>)['nova_object.version']).toBe('1.15');
    expect(await instanceRow(c, 'vm1')).toMatchObject({ vm_state: 'active', host: 'compute1' });
  });

  it('5. the Juno compute calls Instance.get_by_uuid through the Kilo conductor: the result comes back at 1.15', async () => {
    const c = await build(kiloControlPlane('juno', true));
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const compute = c.services.get('compute1') as SimulatedNovaService;
    const Instance = compute.world.registry.get('Instance');
    expect(Instance.VERSION).toBe('1.15');
    const mark = c.bus.wire.length;
    const p = remotable_classmethod_call(compute.world, Instance, c.ctxt(), 'get_by_uuid', [uuid], {});
    await c.bus.settle();
    const inst = (await p) as VersionedObject;

    const call = sent(c).find((m) => m.method === 'object_class_action' && m.args.objname === 'Instance')!;
    expect(call).toMatchObject({ from: 'compute1', to: 'conductor', version: '2.0' });
    expect(call.args).toMatchObject({ objname: 'Instance', objmethod: 'get_by_uuid', objver: '1.15', args: [uuid] });
    const reply = c.bus.wire.slice(mark).find((w) => w.from === 'reply')!;
    const result = (deserialize_msg(reply.envelope) as { result: Record<string, unknown> }).result;
    expect(result['nova_object.version']).toBe('1.15');
    expect(inst.VERSION).toBe('1.15');
    expect(inst.get('uuid')).toBe(uuid);
    // Already at the compute's version: no backport round trip.
    expect(hydrations(c, 'compute1').slice(-1)[0]).toMatchObject({ objname: 'Instance', objver: '1.15', outcome: 'hydrated' });
    expect(sent(c).slice(-1)[0]!.method).toBe('object_class_action');
  });
});

describe('article scenarios: Liberty compute', () => {
  it('6. a Liberty compute behind a Juno-pinned Kilo client: the 3.x messages are UnsupportedVersion', async () => {
    const liberty: LoopbackServiceDef[] = [
      { id: 'conductor', binary: 'nova-conductor', release: 'liberty' },
      { id: 'scheduler', binary: 'nova-scheduler', release: 'liberty' },
      { id: 'compute1', binary: 'nova-compute', release: 'liberty' },
      { id: 'api', binary: 'nova-api', release: 'kilo', conf: PIN_JUNO },
    ];
    const c = await build(liberty);
    await c.action('api', { action: 'create', name: 'vm1' });
    expect(await instanceRow(c, 'vm1')).toMatchObject({ vm_state: 'active', host: 'compute1' });

    await c.action('api', { action: 'stop', server: 'vm1' });
    const stop = sent(c).find((m) => m.method === 'stop_instance')!;
    expect(stop).toMatchObject({ from: 'api', to: 'compute.compute1', version: '3.0' });
    expect(dispatches(c, 'compute1', 'stop_instance')).toEqual([expect.objectContaining({ version: '3.0', outcome: 'UnsupportedVersion' })]);
    expect(c.logs.filter((l) => l.service === 'compute1' && l.level === 'error').map((l) => l.message)).toEqual([
      'Exception during message handling: Endpoint does not support RPC version 3.0. Attempted method: stop_instance',
    ]);
    expect(await instanceRow(c, 'vm1')).toMatchObject({ vm_state: 'active', task_state: 'powering-off', power_state: 1 });

    // The same Kilo api unpinned would have sent 4.0, which Liberty's 4.5 manager takes.
    const c2 = await build(liberty.map((d) => (d.id === 'api' ? { ...d, conf: {} } : d)));
    await c2.action('api', { action: 'create', name: 'vm1' });
    await c2.action('api', { action: 'stop', server: 'vm1' });
    expect(dispatches(c2, 'compute1', 'stop_instance')).toEqual([
      expect.objectContaining({ version: '4.0', outcome: 'dispatched', endpoint_version: '4.5' }),
    ]);
    expect(await instanceRow(c2, 'vm1')).toMatchObject({ vm_state: 'stopped', task_state: null });
  });
});

describe('full boots', () => {
  it.each(['juno', 'kilo'] as const)('all-%s cluster boots an instance with every message dispatched', async (release) => {
    const c = await build([
      { id: 'conductor', binary: 'nova-conductor', release },
      { id: 'scheduler', binary: 'nova-scheduler', release },
      { id: 'compute1', binary: 'nova-compute', release },
      { id: 'api', binary: 'nova-api', release },
    ]);
    await c.action('api', { action: 'create', name: 'vm1' });
    const chain = sent(c)
      .filter((m) => ['build_instances', 'select_destinations', 'build_and_run_instance'].includes(m.method))
      .map((m) => `${m.from}->${m.to} ${m.method} ${m.version ?? ''}`);
    const v = release === 'juno' ? { bi: '1.9', sd: '3.0', bar: '3.33' } : { bi: '1.10', sd: '4.0', bar: '4.0' };
    expect(chain).toEqual([
      `api->conductor build_instances ${v.bi}`,
      `conductor->scheduler select_destinations ${v.sd}`,
      `conductor->compute.compute1 build_and_run_instance ${v.bar}`,
    ]);
    const outcomes = c.events.filter((e) => e.event.kind === 'dispatch').map((e) => (e.event as { outcome: string }).outcome);
    expect(new Set(outcomes)).toEqual(new Set(['dispatched']));
    expect(await instanceRow(c, 'vm1')).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1', power_state: 1 });
    expect(c.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});

// keep merge() available for ad-hoc configurations
void merge;
