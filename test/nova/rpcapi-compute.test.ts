import { describe, expect, it } from 'vitest';
import rpcHistory from '../../src/nova/data/rpc-history.json';
import tables from './fixtures/kilo-method-tables.json';
import { FakeObject, plausibleKwargs, recordingTransport, runComputeClientSend } from '../../src/conformance/nova_rpc';
import {
  JunoComputeAPI,
  JunoSecurityGroupAPI,
  KiloComputeAPI,
  LibertyComputeAPI,
  computeAPIFor,
  type Kwargs,
} from '../../src/nova/compute/rpcapi';
import { JUNO_COMPUTE_METHODS, KILO_COMPUTE_METHODS, LIBERTY_COMPUTE_METHODS } from '../../src/nova/compute/rpcapi_names';
import type { RpcDecision } from '../../src/nova/compute/rpcapi_support';
import { computeMethods } from '../../src/nova/compute/rpcapi_table';
import { RequestContext } from '../../src/nova/context';
import { RELEASES, RELEASE_INFO, type Release } from '../../src/nova/releases';
import type { RpcEnv } from '../../src/nova/rpc';
import { resolveVersionCap } from '../../src/nova/upgrade_levels';
import { LoopbackBus, RPCVersionCapError, Target, version_is_compatible } from '../../src/oslo/messaging';
import { isPy } from '../../src/oslo/exception';

type Entry = { version: string; args: string[] };
const LADDERS = (rpcHistory as unknown as { apis: { compute: { client_send_ladders: Record<Release, Record<string, Entry[]>> } } }).apis.compute
  .client_send_ladders;

const CAPS = [null, 'icehouse', 'juno', 'kilo', '3.0', '3.9', '3.22', '3.23', '3.26', '3.32', '3.33', '3.35', '3.36', '3.37', '3.38', '3.39', '3.40', '4.0', '4.1', '4.3', '4.4', '4.5', '4.11', '2.9', '5.0'];

/** The newest ladder entry the cap allows, or the refusal of the last resort. */
function expectedSend(release: Release, method: string, level: string | null) {
  const entries = LADDERS[release][method]!;
  const cap = resolveVersionCap('compute', release, level);
  let allowed: Entry[];
  try {
    allowed = entries.filter((e) => !cap || version_is_compatible(cap, e.version));
  } catch {
    // A cap that is no version (juno has no 'kilo' alias) breaks the first comparison.
    return { outcome: 'ValueError' };
  }
  const chosen = allowed[allowed.length - 1];
  if (!chosen) return { outcome: 'RPCVersionCapError', prepared_version: entries[0]!.version };
  return { outcome: 'sent', message_version: chosen.version, message_args: [...chosen.args].sort() };
}

/** Where nova's client throws before sending (found by reading the release's code). */
function expectedRaise(release: Release, method: string, version: string | null, outcome: string): string | null {
  if (version === null) return null;
  if (release === 'juno' && ['check_can_live_migrate_destination', 'check_can_live_migrate_source', 'rollback_live_migration_at_destination'].includes(method)) {
    // Juno checks can_send_version('3.32') itself and refuses instead of preparing 3.32.
    return outcome === 'RPCVersionCapError' ? 'LiveMigrationWithOldNovaNotSafe' : null;
  }
  if (release === 'mitaka' && method === 'trigger_crash_dump') {
    // 13.0.0 refuses below 4.6 itself (TriggerCrashDumpNotSupported), nothing prepared.
    return outcome === 'RPCVersionCapError' ? 'TriggerCrashDumpNotSupported' : null;
  }
  // (Kilo's 3.0 branches of get_console_output / detach_volume /
  // check_instance_shared_storage and Liberty's refresh_instance_security_rules
  // below 4.4 turn a real Instance into a dict and then fail on .host; the
  // conformance cases route a plain test double, which to_primitive leaves
  // alone, so they send. The real-object failure is tested separately below.)
  return null;
}

const ROUTING = { 'instance.host': 'h1', host_arg: 'h2' };

function expectedServer(release: Release, method: string): string {
  const rule = computeMethods(release)[method]?.server ?? { from: 'param', param: 'host' };
  return rule.from === 'param' ? 'h2' : rule.from === 'param_or_instance' ? 'h2' : 'h1';
}

describe('every ComputeAPI method of every release follows its ladder (rpc-history client_send_ladders)', () => {
  for (const release of RELEASES) {
    it(`${release}: ${Object.keys(LADDERS[release]).length} methods x ${CAPS.length} caps`, async () => {
      let checked = 0;
      for (const method of Object.keys(LADDERS[release])) {
        for (const level of CAPS) {
          const exp = expectedSend(release, method, level);
          // Kilo's check_instance_shared_storage routes by its host argument when one is given.
          const routing = method === 'check_instance_shared_storage' ? { 'instance.host': 'h1' } : ROUTING;
          const actual = await runComputeClientSend({ client_release: release, upgrade_levels_compute: level, method, routing_inputs: routing });
          const raise = expectedRaise(release, method, (exp.message_version ?? exp.prepared_version ?? null) as string | null, exp.outcome);
          const label = `${release} ${method} cap=${level}`;
          if (raise) {
            expect(actual.outcome, label).toBe(raise);
          } else if (exp.outcome === 'sent') {
            expect(actual, label).toMatchObject({ ...exp, server: method === 'check_instance_shared_storage' ? 'h1' : expectedServer(release, method) });
          } else {
            expect(actual, label).toMatchObject(exp);
          }
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(60 * CAPS.length);
    });
  }

  it('the names, the table and the ladders agree', () => {
    expect([...JUNO_COMPUTE_METHODS].sort()).toEqual(Object.keys(LADDERS.juno).sort());
    expect([...KILO_COMPUTE_METHODS].sort()).toEqual(Object.keys(LADDERS.kilo).sort());
    expect([...LIBERTY_COMPUTE_METHODS].sort()).toEqual(Object.keys(LADDERS.liberty).sort());
    for (const release of RELEASES) {
      const api = new (computeAPIFor(release))(env().env, null) as unknown as Record<string, unknown>;
      for (const m of Object.keys(LADDERS[release])) expect(typeof api[m], `${release}.${m}`).toBe('function');
    }
    expect((new JunoComputeAPI(env().env, null) as unknown as Record<string, unknown>).quiesce_instance).toBeUndefined();
    expect((new KiloComputeAPI(env().env, null) as unknown as Record<string, unknown>).get_mks_console).toBeUndefined();
  });
});

describe('Kilo method tables (rpc-history method_tables, copied as a fixture)', () => {
  for (const [table, level] of [
    ['kilo_4_0', null],
    ['kilo_pinned_juno', 'juno'],
  ] as const) {
    it(`${table}: every method`, async () => {
      const methods = (tables as unknown as Record<string, { methods: Record<string, Record<string, unknown>> }>)[table]!.methods;
      expect(Object.keys(methods)).toHaveLength(70);
      for (const [method, row] of Object.entries(methods)) {
        const actual = await runComputeClientSend({ client_release: 'kilo', upgrade_levels_compute: level, method, routing_inputs: ROUTING });
        const rpc = String(row.rpc).split(' ')[0];
        expect(actual.rpc, method).toBe(rpc);
        if (row.prepared_version) {
          expect(actual, method).toMatchObject({ outcome: 'RPCVersionCapError', prepared_version: row.prepared_version });
        } else {
          expect(actual, method).toMatchObject({ outcome: 'sent', message_version: row.version, message_args: [...(row.args as string[])].sort() });
        }
      }
    });
  }
});

function env(release: Release = 'kilo') {
  const transport = recordingTransport();
  const e: RpcEnv = { transport, serializer: null, oslo: RELEASE_INFO[release].oslo };
  return { env: e, sent: transport.sent };
}

const ctxt = new RequestContext({ request_id: 'req-1', user_id: 'u', project_id: 'p' });
const instance = (host: string | null = 'compute1') => new FakeObject('Instance', { uuid: 'uuid-1', host });

describe("the article's example: Kilo shelve_offload_instance", () => {
  const cases: Array<[string | null, string, string[]]> = [
    [null, '4.0', ['clean_shutdown', 'instance']],
    ['kilo', '3.37', ['clean_shutdown', 'instance']],
    ['3.40', '3.37', ['clean_shutdown', 'instance']],
    ['3.37', '3.37', ['clean_shutdown', 'instance']],
    ['3.38', '3.37', ['clean_shutdown', 'instance']],
    ['3.36', '3.0', ['instance']],
    ['juno', '3.0', ['instance']],
    ['icehouse', '3.0', ['instance']],
  ];
  for (const [level, version, args] of cases) {
    it(`cap ${level} -> ${version} {${args.join(', ')}}`, async () => {
      const { env: e, sent } = env();
      const api = new KiloComputeAPI(e, level);
      await expect(api.shelve_offload_instance(ctxt, { instance: instance() })).resolves.toBeUndefined();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.msg.version).toBe(version);
      expect(Object.keys(sent[0]!.msg.args).sort()).toEqual(args);
      expect(sent[0]!.target.server).toBe('compute1');
      expect(sent[0]!.target.topic).toBe('compute');
      expect(sent[0]!.wait).toBe(false);
    });
  }

  it('a cap from another major refuses the 3.0 last resort at send time', async () => {
    const { env: e, sent } = env();
    const api = new KiloComputeAPI(e, '2.0');
    await expect(api.shelve_offload_instance(ctxt, { instance: instance() })).rejects.toMatchObject({ version: '3.0', version_cap: '2.0' });
    expect(sent).toHaveLength(0);
  });

  it('travels over a loopback bus to the compute host queue', async () => {
    const bus = new LoopbackBus();
    const got: unknown[] = [];
    const server = bus.transport({ name: 'compute1' });
    server._listen(new Target({ topic: 'compute', server: 'compute1' }), (incoming) => {
      got.push(incoming.message);
    });
    const api = new KiloComputeAPI({ transport: bus.transport({ name: 'api' }), serializer: null, oslo: '1.8' }, 'juno');
    await api.shelve_offload_instance(ctxt, { instance: { uuid: 'u1', host: 'compute1' } });
    await bus.settle();
    expect(got).toEqual([{ method: 'shelve_offload_instance', args: { instance: { uuid: 'u1', host: 'compute1' } }, version: '3.0' }]);
  });
});

describe('Python call semantics', () => {
  it('applies defaults and rejects unknown or missing arguments', async () => {
    const { env: e, sent } = env();
    const api = new KiloComputeAPI(e, null);
    await api.shelve_instance(ctxt, { instance: instance() });
    expect(sent[0]!.msg.args).toMatchObject({ image_id: null, clean_shutdown: true });
    await expect(api.shelve_instance(ctxt, { instance: instance(), bogus: 1 })).rejects.toMatchObject({
      pyClass: 'TypeError',
      message: "shelve_instance() got an unexpected keyword argument 'bogus'",
    });
    await expect(api.reboot_instance(ctxt, { instance: instance() })).rejects.toMatchObject({ pyClass: 'TypeError' });
  });

  it('stop_instance(do_cast=False) and confirm_resize(cast=False) are calls, returning the reply', async () => {
    const { env: e, sent } = env();
    const api = new KiloComputeAPI(e, null);
    await api.stop_instance(ctxt, { instance: instance() });
    await api.stop_instance(ctxt, { instance: instance(), do_cast: false });
    await api.confirm_resize(ctxt, { instance: instance(), migration: {}, host: 'src' });
    await api.confirm_resize(ctxt, { instance: instance(), migration: {}, host: 'src', cast: false });
    expect(sent.map((s) => [s.msg.method, s.wait, s.target.server])).toEqual([
      ['stop_instance', false, 'compute1'],
      ['stop_instance', true, 'compute1'],
      ['confirm_resize', false, 'src'],
      ['confirm_resize', true, 'src'],
    ]);
    expect(sent.every((s) => !('do_cast' in s.msg.args) && !('cast' in s.msg.args))).toBe(true);
  });

  it('renames host_param to the message key host and routes by host', async () => {
    const { env: e, sent } = env();
    await new KiloComputeAPI(e, 'juno').add_aggregate_host(ctxt, { aggregate: { id: 1 }, host_param: 'member', host: 'target' });
    expect(sent[0]!.msg).toMatchObject({ version: '3.0', args: { aggregate: { id: 1 }, host: 'member', slave_info: null } });
    expect(sent[0]!.target.server).toBe('target');
  });

  it('converts with jsonutils.to_primitive on the branches that do (Kilo prep_resize, live_migration 3.0)', async () => {
    const { env: e, sent } = env();
    const api = new KiloComputeAPI(e, 'icehouse');
    const flavor = new FakeObject('Flavor', { flavorid: '1', memory_mb: 512 });
    await api.prep_resize(ctxt, { image: {}, instance: instance(), instance_type: flavor, host: 'dest' });
    expect(sent[0]!.msg.args.instance_type).toEqual({ flavorid: '1', memory_mb: 512 });
    expect(sent[0]!.msg.args.instance).toBeInstanceOf(FakeObject);
    expect('clean_shutdown' in sent[0]!.msg.args).toBe(false);
    await api.live_migration(ctxt, { instance: instance(), dest: 'd', block_migration: false, host: 'src' });
    expect(sent[1]!.msg.version).toBe('3.0');
    expect(sent[1]!.msg.args.instance).toEqual({ uuid: 'uuid-1', host: 'compute1' });
  });
});

describe('routing (_compute_host)', () => {
  it('uses the instance host, or the explicit host when given', async () => {
    const { env: e, sent } = env();
    const api = new KiloComputeAPI(e, null);
    await api.revert_resize(ctxt, { instance: instance('a'), migration: {}, host: 'b' });
    await api.revert_resize(ctxt, { instance: instance('a'), migration: {}, host: null });
    await api.pause_instance(ctxt, { instance: instance('a') });
    await api.external_instance_event(ctxt, { instances: [instance('x'), instance('y')], events: [] });
    expect(sent.map((s) => s.target.server)).toEqual(['b', 'a', 'a', 'x']);
  });

  it('raises NovaException without a host, before sending anything', async () => {
    const { env: e, sent } = env();
    const api = new KiloComputeAPI(e, null);
    await expect(api.pause_instance(ctxt, { instance: instance(null) })).rejects.toMatchObject({
      pyClass: 'NovaException',
      module: 'nova.exception',
      message: 'Unable to find host for Instance uuid-1',
    });
    await expect(api.pause_instance(ctxt, { instance: null })).rejects.toMatchObject({ pyClass: 'NovaException', message: 'No compute host specified' });
    expect(sent).toHaveLength(0);
  });

  it('accepts a plain object instance; Juno also a primitive dict', async () => {
    const { env: e, sent } = env('juno');
    await new KiloComputeAPI(e, null).pause_instance(ctxt, { instance: { uuid: 'u', host: 'p' } });
    await new JunoComputeAPI(e, 'icehouse').get_console_output(ctxt, { instance: instance('j'), tail_length: 10 });
    expect(sent.map((s) => [s.target.server, s.msg.version])).toEqual([
      ['p', '4.0'],
      ['j', '3.0'],
    ]);
    expect(sent[1]!.msg.args.instance).toEqual({ uuid: 'uuid-1', host: 'j' });
  });

  it('Kilo: a primitive dict instance has no .host (below 3.28 get_console_output raises AttributeError)', async () => {
    const { env: e, sent } = env();
    await expect(new KiloComputeAPI(e, 'icehouse').get_console_output(ctxt, { instance: instance(), tail_length: 5 })).rejects.toMatchObject({
      pyClass: 'AttributeError',
      message: "'dict' object has no attribute 'host'",
    });
    expect(sent).toHaveLength(0);
  });
});

describe('Juno', () => {
  it('refuses live migration below 3.32 with LiveMigrationWithOldNovaNotSafe before preparing', async () => {
    const { env: e, sent } = env('juno');
    const api = new JunoComputeAPI(e, 'icehouse');
    await expect(
      api.check_can_live_migrate_destination(ctxt, { instance: instance(), destination: 'dst', block_migration: false, disk_over_commit: false }),
    ).rejects.toSatisfy((err: unknown) => isPy(err, 'LiveMigrationWithOldNovaNotSafe') && (err as Error).message.includes('Host dst'));
    await expect(api.rollback_live_migration_at_destination(ctxt, { instance: instance(), host: 'dst' })).rejects.toMatchObject({
      pyClass: 'LiveMigrationWithOldNovaNotSafe',
    });
    expect(sent).toHaveLength(0);
    await new JunoComputeAPI(e, 'juno').check_can_live_migrate_source(ctxt, { instance: instance(), dest_check_data: {} });
    expect(sent[0]!.msg.version).toBe('3.32');
  });

  it('has a separate SecurityGroupAPI on the compute topic with the compute cap', async () => {
    const { env: e, sent } = env('juno');
    const sg = new JunoSecurityGroupAPI(e, 'icehouse');
    expect(sg.client.version_cap).toBe('3.23');
    await sg.refresh_security_group_rules(ctxt, { security_group_id: 7, host: 'h' });
    await sg.refresh_instance_security_rules(ctxt, { host: 'ignored', instance: instance('i') });
    expect(sent.map((s) => [s.msg.method, s.msg.version, s.target.server])).toEqual([
      ['refresh_security_group_rules', '3.0', 'h'],
      ['refresh_instance_security_rules', '3.0', 'i'],
    ]);
    expect(sent[1]!.msg.args.instance).toEqual({ uuid: 'uuid-1', host: 'i' });
  });

  it('target 3.0 and the Juno aliases', () => {
    const api = new JunoComputeAPI(env('juno').env, 'juno');
    expect(api.client.target.version).toBe('3.0');
    expect(api.client.version_cap).toBe('3.35');
    expect(JunoComputeAPI.VERSION_ALIASES).toEqual({ icehouse: '3.23', juno: '3.35' });
  });
});

describe('Liberty: a 4.x-only client', () => {
  it('kilo = 4.0; a 3.x pin refuses every send', async () => {
    expect(new LibertyComputeAPI(env('liberty').env, 'kilo').client.version_cap).toBe('4.0');
    for (const method of ['shelve_offload_instance', 'pause_instance', 'build_and_run_instance', 'stop_instance']) {
      const r = await runComputeClientSend({ client_release: 'liberty', upgrade_levels_compute: 'juno', method, routing_inputs: ROUTING });
      expect(r, method).toMatchObject({ outcome: 'RPCVersionCapError', prepared_version: '4.0' });
    }
  });

  it('steps down inside 4.x: prep_resize 4.1 -> 4.0 with a primitive flavor; rebuild 4.5 -> 4.0', async () => {
    const { env: e, sent } = env('liberty');
    const api = new LibertyComputeAPI(e, 'kilo');
    const flavor = new FakeObject('Flavor', { flavorid: '2' });
    await api.prep_resize(ctxt, { image: {}, instance: instance(), instance_type: flavor, host: 'dest' });
    expect(sent[0]!.msg.version).toBe('4.0');
    expect(sent[0]!.msg.args.instance_type).toEqual({ flavorid: '2' });
    await new LibertyComputeAPI(e, null).prep_resize(ctxt, { image: {}, instance: instance(), instance_type: flavor, host: 'dest' });
    expect(sent[1]!.msg.version).toBe('4.1');
    expect(sent[1]!.msg.args.instance_type).toBe(flavor);
    const rebuild: Kwargs = { instance: instance(), new_pass: 'x', injected_files: [], image_ref: 'i', orig_image_ref: 'i', orig_sys_metadata: {}, bdms: [] };
    await api.rebuild_instance(ctxt, rebuild);
    await new LibertyComputeAPI(e, null).rebuild_instance(ctxt, rebuild);
    expect(sent.slice(2).map((s) => [s.msg.version, 'scheduled_node' in s.msg.args])).toEqual([
      ['4.0', false],
      ['4.5', true],
    ]);
  });

  it('12.0.0 still sends migration on the live_migration 4.0 fallback', async () => {
    const { env: e, sent } = env('liberty');
    await new LibertyComputeAPI(e, 'kilo').live_migration(ctxt, { instance: instance(), dest: 'd', block_migration: false, host: 'src', migration: {} });
    expect(sent[0]!.msg.version).toBe('4.0');
    expect(Object.keys(sent[0]!.msg.args)).toContain('migration');
  });
});

describe('lesson code', () => {
  it('can subclass a release and override one method', async () => {
    class NoCleanShutdown extends KiloComputeAPI {
      override async shelve_offload_instance(c: unknown, kwargs: Kwargs): Promise<void> {
        const cctxt = this.client.prepare({ server: this._compute_host(null, kwargs.instance), version: '3.0' });
        await cctxt.cast(c, 'shelve_offload_instance', { instance: kwargs.instance });
      }
      override async pause_instance(c: unknown, kwargs?: Kwargs): Promise<unknown> {
        return super.pause_instance(c, kwargs);
      }
    }
    const { env: e, sent } = env();
    const api = new NoCleanShutdown(e, null);
    await api.shelve_offload_instance(ctxt, { instance: instance() });
    await api.pause_instance(ctxt, { instance: instance() });
    await api.stop_instance(ctxt, { instance: instance() });
    expect(sent.map((s) => [s.msg.method, s.msg.version])).toEqual([
      ['shelve_offload_instance', '3.0'],
      ['pause_instance', '4.0'],
      ['stop_instance', '4.0'],
    ]);
  });

  it('optional decisions hook names what a pinned send dropped', async () => {
    const seen: RpcDecision[] = [];
    const { env: e } = env();
    const api = new KiloComputeAPI(e, 'juno', { decisions: (d) => seen.push(d) });
    await api.shelve_offload_instance(ctxt, { instance: instance() });
    await api.attach_volume(ctxt, { instance: instance(), volume_id: 'v', mountpoint: '/dev/vdb' });
    expect(seen).toEqual([
      { api: 'compute', method: 'shelve_offload_instance', version: '3.0', dropped: ['clean_shutdown'], transforms: [] },
      { api: 'compute', method: 'attach_volume', version: '3.16', dropped: [], transforms: [] },
    ]);
  });

  it('reserve_block_device_name loads the BDM itself when the reply is no BlockDeviceMapping', async () => {
    const { env: e } = env();
    const api = new KiloComputeAPI(e, null, { bdm_get_by_volume_id: async (_c, v) => ({ loaded: v }) });
    await expect(api.reserve_block_device_name(ctxt, { instance: instance(), device: null, volume_id: 'vol-9' })).resolves.toEqual({ loaded: 'vol-9' });
  });
});

describe('plausibleKwargs', () => {
  it('covers every required parameter of every method', () => {
    for (const release of RELEASES) {
      for (const [name, spec] of Object.entries(computeMethods(release))) {
        const kw = plausibleKwargs(spec.params, ROUTING);
        for (const p of spec.params) if (!('default' in p)) expect(p.name in kw, `${release}.${name}(${p.name})`).toBe(true);
      }
    }
  });
});

describe('client construction', () => {
  it('topic compute, release target, cap resolved from [upgrade_levels] compute', () => {
    const api = new (computeAPIFor('kilo'))(env().env, 'kilo');
    expect(api.client.target).toMatchObject({ topic: 'compute', version: '4.0', server: null });
    expect(api.client.version_cap).toBe('3.40');
    expect(new KiloComputeAPI(env().env, '3.38').client.version_cap).toBe('3.38');
    expect(new KiloComputeAPI(env().env, null).client.version_cap).toBeNull();
  });

  it('RPCVersionCapError uses the release oslo.messaging wording', async () => {
    const { env: e } = env('liberty');
    const err = await new LibertyComputeAPI(e, 'juno').pause_instance(ctxt, { instance: instance() }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(RPCVersionCapError);
    expect((err as Error).message).toContain('is incompatible');
  });
});
