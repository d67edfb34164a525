/**
 * Mitaka (13.0.0) ConductorAPI, ComputeTaskAPI and SchedulerAPI: every
 * method under several caps against its ladder in
 * src/nova/data/rpcapi-methods.json (read from nova/conductor/rpcapi.py
 * and nova/scheduler/rpcapi.py at 13.0.0).
 */
import { describe, expect, it } from 'vitest';
import rpcapiMethods from '../../src/nova/data/rpcapi-methods.json';
import { FakeObject, recordingTransport } from '../../src/conformance/nova_rpc';
import { LibertyConductorAPI, MitakaComputeTaskAPI, MitakaConductorAPI, computeTaskAPIFor, conductorAPIFor } from '../../src/nova/conductor/rpcapi';
import type { LadderRung, MethodSpec } from '../../src/nova/compute/rpcapi_table';
import { RequestContext } from '../../src/nova/context';
import type { RpcEnv } from '../../src/nova/rpc';
import { MitakaSchedulerAPI, schedulerAPIFor } from '../../src/nova/scheduler/rpcapi';
import { resolveVersionCap } from '../../src/nova/upgrade_levels';
import { version_is_compatible, type Target } from '../../src/oslo/messaging';
import { get_client } from '../../src/nova/rpc';

type Facts = { target_version: string; methods: Record<string, MethodSpec> };
const DATA = rpcapiMethods as unknown as Record<'conductor' | 'compute_task' | 'scheduler', Record<string, Facts>>;
const ctxt = new RequestContext({ request_id: 'req-m' });

function env() {
  const transport = recordingTransport();
  const e: RpcEnv = { transport, serializer: null, oslo: '1.16' };
  return { env: e, sent: transport.sent };
}

/** can_send_version(v) of oslo.messaging: no cap, or same major and cap minor >= v minor. */
function canSend(cap: string | null, v: string): boolean {
  return cap === null || version_is_compatible(cap, v);
}

/** Evaluate a ladder condition ("can_send_version(X)", "not ... and ...", "else", "always"). */
function holds(cap: string | null, when: string): boolean {
  if (when === 'always' || when === 'else') return true;
  return when.split(' and ').every((term) => {
    const m = /^(not )?can_send_version\(([\d.]+)\)$/.exec(term.trim());
    if (!m) throw new Error(`condition ${when}`);
    return m[1] ? !canSend(cap, m[2]!) : canSend(cap, m[2]!);
  });
}

/** What the ladder says a call under `cap` sends (or that it is refused at send time). */
function expected(facts: Facts, spec: MethodSpec, cap: string | null) {
  const rung: LadderRung = spec.ladder.find((r) => holds(cap, r.when)) ?? spec.ladder[spec.ladder.length - 1]!;
  const version = rung.version ?? facts.target_version;
  if (!canSend(cap, version)) return { outcome: 'RPCVersionCapError', version };
  return { outcome: 'sent', method: rung.message_name ?? null, version, args: [...rung.args].sort() };
}

async function run(send: () => Promise<unknown>, sent: { msg: { method: string; version?: string; args: Record<string, unknown> } }[]) {
  try {
    await send();
  } catch (e) {
    return { outcome: (e as { pyClass?: string }).pyClass ?? String(e), version: (e as { version?: string }).version };
  }
  const m = sent[sent.length - 1]!.msg;
  return { outcome: 'sent', method: m.method, version: m.version, args: Object.keys(m.args).sort() };
}

const instance = new FakeObject('Instance', { uuid: 'u1', host: 'h1' });
const flavor = new FakeObject('Flavor', { flavorid: '1', memory_mb: 512 });
/** A stand-in RequestSpec with the two legacy converters the client calls below 4.3. */
const specObj = Object.assign(new FakeObject('RequestSpec', { num_instances: 1 }), {
  to_legacy_request_spec_dict: () => ({ num_instances: 1, image: {}, instance_properties: {}, instance_type: flavor }),
  to_legacy_filter_properties_dict: () => ({ ignore_hosts: ['h9'] }),
});
const ARGS: Record<string, Record<string, unknown>> = {
  object_class_action: {},
  object_class_action_versions: {},
  object_action: {},
  object_backport_versions: {},
  migrate_server: {
    instance,
    scheduler_hint: {},
    live: false,
    rebuild: false,
    flavor,
    block_migration: false,
    disk_over_commit: false,
    request_spec: specObj,
  },
  build_instances: {
    instances: [instance],
    image: { id: 'img' },
    filter_properties: { instance_type: flavor },
    admin_password: 'pw',
    injected_files: [],
    requested_networks: { as_tuples: () => [['net', null, null, null]] },
    security_groups: ['default'],
    block_device_mapping: [],
  },
  unshelve_instance: { instance, request_spec: specObj },
  rebuild_instance: {
    instance,
    new_pass: 'p',
    injected_files: [],
    image_ref: 'i2',
    orig_image_ref: 'i1',
    orig_sys_metadata: {},
    bdms: [],
    request_spec: specObj,
  },
  select_destinations: { spec_obj: specObj },
  update_aggregates: { aggregates: [] },
  delete_aggregate: { aggregate: {} },
  update_instance_info: { host_name: 'h', instance_info: [] },
  delete_instance_info: { host_name: 'h', instance_uuid: 'u' },
  sync_instance_info: { host_name: 'h', instance_uuids: [] },
};

describe('Mitaka 13.0.0 ConductorAPI against its data', () => {
  const facts = DATA.conductor.mitaka!;
  const CAPS = [null, 'kilo', 'liberty', '3.0', '3.1', '2.3'];
  it(`every present method x ${CAPS.length} caps`, async () => {
    let checked = 0;
    for (const [method, spec] of Object.entries(facts.methods)) {
      if (spec.present === false) continue;
      for (const level of CAPS) {
        const { env: e, sent } = env();
        const api = new MitakaConductorAPI(e, level, { obj_tree_get_versions: () => ({ Instance: '2.1' }) }) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const positional: Record<string, unknown[]> = {
          object_class_action: ['Instance', 'get_by_uuid', '2.1', ['u'], {}],
          object_class_action_versions: ['Instance', 'get_by_uuid', { Instance: '2.1' }, ['u'], {}],
          object_action: [{ o: 1 }, 'save', [], {}],
          object_backport_versions: [{ o: 1 }, { Instance: '2.0' }],
        };
        const actual = await run(() => api[method]!.call(api, ctxt, ...positional[method]!), sent);
        const exp = expected(facts, spec, resolveVersionCap('conductor', 'mitaka', level));
        const label = `conductor ${method} cap=${level}`;
        if (exp.outcome === 'sent') expect(actual, label).toEqual({ ...exp, method: exp.method ?? method });
        else expect(actual, label).toMatchObject(exp);
        checked++;
      }
    }
    expect(checked).toBe(4 * CAPS.length);
  });

  it('13.0.0 removed provider_fw_rule_get_all from the client; aliases gain liberty = 3.0', () => {
    const { env: e } = env();
    expect((new MitakaConductorAPI(e, null) as unknown as Record<string, unknown>).provider_fw_rule_get_all).toBeUndefined();
    expect(typeof (new LibertyConductorAPI(e, null) as unknown as Record<string, unknown>).provider_fw_rule_get_all).toBe('function');
    expect(facts.methods.provider_fw_rule_get_all!.present).toBe(false);
    expect(MitakaConductorAPI.VERSION_ALIASES.liberty).toBe('3.0');
    expect(new MitakaConductorAPI(e, 'liberty').client.version_cap).toBe('3.0');
    expect(conductorAPIFor('mitaka')).toBe(MitakaConductorAPI);
  });
});

describe('Mitaka 13.0.0 ComputeTaskAPI against its data (no cap in nova; caps set by a subclass)', () => {
  const facts = DATA.compute_task.mitaka!;
  const CAPS = [null, '1.3', '1.4', '1.6', '1.8', '1.9', '1.10', '1.11', '1.12', '1.13', '1.14'];
  it(`every method x ${CAPS.length} caps`, async () => {
    let checked = 0;
    for (const [method, spec] of Object.entries(facts.methods)) {
      for (const cap of CAPS) {
        class Capped extends MitakaComputeTaskAPI {
          override get_client(target: Target) {
            return get_client(this.env, target, cap);
          }
        }
        const { env: e, sent } = env();
        const api = new Capped(e) as unknown as Record<string, (c: unknown, k: unknown) => Promise<unknown>>;
        const actual = await run(() => api[method]!.call(api, ctxt, ARGS[method]), sent);
        const exp = expected(facts, spec, cap);
        const label = `compute_task ${method} cap=${cap}`;
        if (exp.outcome === 'sent') expect(actual, label).toEqual({ ...exp, method: exp.method ?? method });
        else expect(actual, label).toMatchObject(exp);
        checked++;
      }
    }
    expect(checked).toBe(4 * CAPS.length);
  });

  it('uncapped, as nova runs it: 1.13 / 1.10 / 1.14 / 1.12 with request_spec on the wire', async () => {
    const { env: e, sent } = env();
    const api = new MitakaComputeTaskAPI(e);
    expect(api.client.version_cap).toBeNull();
    await api.migrate_server(ctxt, ARGS.migrate_server!);
    await api.build_instances(ctxt, ARGS.build_instances!);
    await api.unshelve_instance(ctxt, ARGS.unshelve_instance!);
    await api.rebuild_instance(ctxt, ARGS.rebuild_instance!);
    expect(sent.map((s) => [s.msg.method, s.msg.namespace, s.msg.version, s.wait])).toEqual([
      ['migrate_server', 'compute_task', '1.13', true],
      ['build_instances', 'compute_task', '1.10', false],
      ['unshelve_instance', 'compute_task', '1.14', false],
      ['rebuild_instance', 'compute_task', '1.12', false],
    ]);
    expect(sent[0]!.msg.args.request_spec).toBe(specObj);
    // request_spec defaults to None (an instance without a RequestSpec) and is still sent.
    await api.unshelve_instance(ctxt, { instance });
    expect(sent[4]!.msg.args).toEqual({ instance, request_spec: null });
    expect(computeTaskAPIFor('mitaka')).toBe(MitakaComputeTaskAPI);
  });
});

describe('Mitaka 13.0.0 SchedulerAPI against its data', () => {
  const facts = DATA.scheduler.mitaka!;
  const CAPS = [null, 'juno', 'kilo', 'liberty', '3.0', '4.0', '4.1', '4.2', '4.3', '4.4', '5.0'];
  it(`every method x ${CAPS.length} caps`, async () => {
    let checked = 0;
    for (const [method, spec] of Object.entries(facts.methods)) {
      for (const level of CAPS) {
        const { env: e, sent } = env();
        const api = new MitakaSchedulerAPI(e, level) as unknown as Record<string, (c: unknown, k: unknown) => Promise<unknown>>;
        const actual = await run(() => api[method]!.call(api, ctxt, ARGS[method]), sent);
        const exp = expected(facts, spec, resolveVersionCap('scheduler', 'mitaka', level));
        const label = `scheduler ${method} cap=${level}`;
        if (exp.outcome === 'sent') expect(actual, label).toEqual({ ...exp, method: exp.method ?? method });
        else expect(actual, label).toMatchObject(exp);
        checked++;
      }
    }
    expect(checked).toBe(6 * CAPS.length);
  });

  it('below 4.3 select_destinations sends the RequestSpec as its legacy dicts at 4.0', async () => {
    const { env: e, sent } = env();
    await new MitakaSchedulerAPI(e, 'liberty').select_destinations(ctxt, { spec_obj: specObj });
    await new MitakaSchedulerAPI(e, null).select_destinations(ctxt, { spec_obj: specObj });
    expect(sent[0]!.msg).toMatchObject({ version: '4.0', args: { request_spec: { num_instances: 1 }, filter_properties: { ignore_hosts: ['h9'] } } });
    expect(sent[1]!.msg).toMatchObject({ version: '4.3', args: { spec_obj: specObj } });
    expect(schedulerAPIFor('mitaka')).toBe(MitakaSchedulerAPI);
  });
});
