import { describe, expect, it } from 'vitest';
import { FakeObject, recordingTransport } from '../../src/conformance/nova_rpc';
import { BaseAPI } from '../../src/nova/baserpc';
import {
  JunoComputeTaskAPI,
  JunoConductorAPI,
  KiloComputeTaskAPI,
  KiloConductorAPI,
  LibertyComputeTaskAPI,
  LibertyConductorAPI,
  computeTaskAPIFor,
  conductorAPIFor,
} from '../../src/nova/conductor/rpcapi';
import { RequestContext } from '../../src/nova/context';
import { RELEASES, RELEASE_INFO, type Release } from '../../src/nova/releases';
import { get_client, type RpcEnv } from '../../src/nova/rpc';
import { JunoSchedulerAPI, KiloSchedulerAPI, LibertySchedulerAPI, schedulerAPIFor } from '../../src/nova/scheduler/rpcapi';
import { RPCVersionCapError, type Target } from '../../src/oslo/messaging';

function env(release: Release = 'kilo') {
  const transport = recordingTransport();
  const e: RpcEnv = { transport, serializer: null, oslo: RELEASE_INFO[release].oslo };
  return { env: e, sent: transport.sent };
}
const ctxt = new RequestContext({ request_id: 'req-2' });

describe('ConductorAPI', () => {
  it('every call goes to topic conductor at the client target version, no per-method version', async () => {
    for (const [release, version] of [
      ['juno', '2.0'],
      ['kilo', '2.0'],
      ['liberty', '3.0'],
    ] as const) {
      const { env: e, sent } = env(release);
      const api = new (conductorAPIFor(release))(e, null, { obj_tree_get_versions: () => ({ Instance: '2.0' }) });
      await api.provider_fw_rule_get_all(ctxt);
      await api.object_action(ctxt, { o: 1 }, 'save', [], {});
      await api.object_class_action(ctxt, 'Instance', 'get_by_uuid', '1.19', ['u'], {});
      expect(sent.map((s) => [s.target.topic, s.target.namespace, s.target.server, s.msg.version, s.wait])).toEqual(
        Array(3).fill(['conductor', null, null, version, true]),
      );
    }
  });

  it('Juno/Kilo object_class_action carries objver; object_backport(target_version)', async () => {
    const { env: e, sent } = env();
    const api = new KiloConductorAPI(e, 'juno');
    expect(api.client.version_cap).toBe('2.0');
    await api.object_class_action(ctxt, 'Instance', 'get_by_uuid', '1.19', ['u'], { expected_attrs: [] });
    await api.object_backport(ctxt, { prim: 1 }, '1.16');
    expect(sent.map((s) => [s.msg.method, Object.keys(s.msg.args)])).toEqual([
      ['object_class_action', ['objname', 'objmethod', 'objver', 'args', 'kwargs']],
      ['object_backport', ['objinst', 'target_version']],
    ]);
    expect((new JunoConductorAPI(e, null) as unknown as Record<string, unknown>).object_class_action_versions).toBeUndefined();
  });

  it("Liberty's object_class_action sends object_class_action_versions with the local manifest", async () => {
    const { env: e, sent } = env('liberty');
    const asked: string[] = [];
    const api = new LibertyConductorAPI(e, null, {
      obj_tree_get_versions: (name) => {
        asked.push(name);
        return { Instance: '2.0', Flavor: '1.1' };
      },
    });
    await api.object_class_action(ctxt, 'Instance', 'get_by_uuid', '2.0', ['u'], {});
    await api.object_backport_versions(ctxt, { prim: 1 }, { Instance: '1.23' });
    expect(asked).toEqual(['Instance']);
    expect(sent[0]!.msg).toMatchObject({
      method: 'object_class_action_versions',
      version: '3.0',
      args: { objname: 'Instance', objmethod: 'get_by_uuid', object_versions: { Instance: '2.0', Flavor: '1.1' }, args: ['u'], kwargs: {} },
    });
    expect('objver' in sent[0]!.msg.args).toBe(false);
    expect(sent[1]!.msg.method).toBe('object_backport_versions');
    expect((api as unknown as Record<string, unknown>).object_backport).toBeUndefined();
  });

  it('a Liberty client pinned to kilo (2.1) refuses its 3.0 messages at send time', async () => {
    const { env: e, sent } = env('liberty');
    const api = new LibertyConductorAPI(e, 'kilo');
    await expect(api.provider_fw_rule_get_all(ctxt)).rejects.toMatchObject({ pyClass: 'RPCVersionCapError', version: '3.0', version_cap: '2.1' });
    expect(sent).toHaveLength(0);
  });

  it('Kilo service_update: primitive service, timeout report_interval - 1', async () => {
    const { env: e, sent } = env();
    const api = new KiloConductorAPI(e, null, { report_interval: 10 });
    const prepared: unknown[] = [];
    const orig = api.client.prepare.bind(api.client);
    (api.client as unknown as { prepare: typeof orig }).prepare = (o = {}) => {
      prepared.push(o);
      return orig(o);
    };
    await api.service_update(ctxt, new FakeObject('Service', { host: 'h', binary: 'nova-compute' }), { report_count: 3 });
    expect(prepared).toEqual([{ timeout: 9 }]);
    expect(sent[0]!.msg.args).toEqual({ service: { host: 'h', binary: 'nova-compute' }, values: { report_count: 3 } });
  });
});

describe('ComputeTaskAPI: namespace compute_task, never capped', () => {
  const build = {
    instances: [new FakeObject('Instance', { uuid: 'u', host: null })],
    image: { id: 'img' },
    filter_properties: {},
    admin_password: 'pw',
    injected_files: [],
    requested_networks: { as_tuples: () => [['net', null, null, null]] },
    security_groups: ['default'],
    block_device_mapping: [],
  };
  const migrate = {
    instance: new FakeObject('Instance', { uuid: 'u', host: 'h' }),
    scheduler_hint: {},
    live: false,
    rebuild: false,
    flavor: new FakeObject('Flavor', { flavorid: '1' }),
    block_migration: false,
    disk_over_commit: false,
  };

  it('Kilo sends 1.10 / 1.11 whatever [upgrade_levels] says', async () => {
    const { env: e, sent } = env();
    const api = new KiloComputeTaskAPI(e);
    expect(api.client.version_cap).toBeNull();
    await api.build_instances(ctxt, build);
    await api.migrate_server(ctxt, migrate);
    await api.unshelve_instance(ctxt, { instance: migrate.instance });
    expect(sent.map((s) => [s.msg.method, s.msg.namespace, s.msg.version, s.target.topic, s.wait])).toEqual([
      ['build_instances', 'compute_task', '1.10', 'conductor', false],
      ['migrate_server', 'compute_task', '1.11', 'conductor', true],
      ['unshelve_instance', 'compute_task', '1.3', 'conductor', false],
    ]);
    expect(sent[0]!.msg.args.image).toEqual({ id: 'img' });
    expect('block_device_mapping' in sent[0]!.msg.args).toBe(false);
    expect(sent[1]!.msg.args.clean_shutdown).toBe(true);
  });

  it('Juno sends 1.9 / 1.6 (flavor as a primitive); Liberty is Kilo', async () => {
    const { env: e, sent } = env('juno');
    await new JunoComputeTaskAPI(e).build_instances(ctxt, build);
    await new JunoComputeTaskAPI(e).migrate_server(ctxt, migrate);
    await new LibertyComputeTaskAPI(e).migrate_server(ctxt, migrate);
    expect(sent.map((s) => s.msg.version)).toEqual(['1.9', '1.6', '1.11']);
    expect(sent[1]!.msg.args.flavor).toEqual({ flavorid: '1' });
    expect(computeTaskAPIFor('liberty')).toBe(LibertyComputeTaskAPI);
  });

  it('the older rungs still exist for a lesson that caps the client itself', async () => {
    class Capped extends KiloComputeTaskAPI {
      override get_client(target: Target) {
        return get_client(this.env, target, '1.6');
      }
    }
    const { env: e, sent } = env();
    await new Capped(e).build_instances(ctxt, build);
    await new Capped(e).migrate_server(ctxt, migrate);
    expect(sent.map((s) => s.msg.version)).toEqual(['1.5', '1.6']);
    expect(sent[0]!.msg.args.requested_networks).toEqual([['net', null, null, null]]);
    expect(sent[0]!.msg.args.legacy_bdm).toBe(true);
    expect(sent[1]!.msg.args.flavor).toEqual({ flavorid: '1' });
  });
});

describe('SchedulerAPI', () => {
  it('Juno: select_destinations at the 3.0 target', async () => {
    const { env: e, sent } = env('juno');
    await new JunoSchedulerAPI(e, 'juno').select_destinations(ctxt, { request_spec: {}, filter_properties: {} });
    expect(sent[0]).toMatchObject({ wait: true, msg: { method: 'select_destinations', version: '3.0' } });
    expect(sent[0]!.target.topic).toBe('scheduler');
  });

  it('Kilo has no fallback: scheduler=juno makes select_destinations raise RPCVersionCapError', async () => {
    const { env: e, sent } = env();
    const api = new KiloSchedulerAPI(e, 'juno');
    expect(api.client.version_cap).toBe('3.0');
    const err = await api.select_destinations(ctxt, { request_spec: {}, filter_properties: {} }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(RPCVersionCapError);
    expect(err).toMatchObject({ version: '4.0', version_cap: '3.0' });
    expect(sent).toHaveLength(0);
    await new KiloSchedulerAPI(e, 'kilo').select_destinations(ctxt, { request_spec: {}, filter_properties: {} });
    expect(sent[0]!.msg.version).toBe('4.0');
  });

  it('4.1 / 4.2 cache updates are fanout casts', async () => {
    const { env: e, sent } = env('liberty');
    const api = new LibertySchedulerAPI(e, null);
    await api.update_aggregates(ctxt, { aggregates: [] });
    await api.delete_aggregate(ctxt, { aggregate: {} });
    await api.update_instance_info(ctxt, { host_name: 'h', instance_info: [] });
    await api.delete_instance_info(ctxt, { host_name: 'h', instance_uuid: 'u' });
    await api.sync_instance_info(ctxt, { host_name: 'h', instance_uuids: [] });
    expect(sent.map((s) => [s.msg.method, s.msg.version, s.target.fanout, s.wait])).toEqual([
      ['update_aggregates', '4.1', true, false],
      ['delete_aggregate', '4.1', true, false],
      ['update_instance_info', '4.2', true, false],
      ['delete_instance_info', '4.2', true, false],
      ['sync_instance_info', '4.2', true, false],
    ]);
    for (const r of RELEASES) expect(schedulerAPIFor(r).release).toBe(r);
  });
});

describe('BaseAPI (baserpc)', () => {
  it('ping at 1.0 with the timeout, get_backdoor_port at 1.1 to one server, namespace baseapi', async () => {
    const { env: e, sent } = env();
    const api = new BaseAPI(e, 'compute');
    await api.ping(ctxt, { a: 1 }, 5);
    await api.get_backdoor_port(ctxt, 'host1');
    expect(sent.map((s) => [s.msg.method, s.msg.namespace, s.msg.version, s.target.topic, s.target.server])).toEqual([
      ['ping', 'baseapi', '1.0', 'compute', null],
      ['get_backdoor_port', 'baseapi', '1.1', 'compute', 'host1'],
    ]);
    expect(sent[0]!.msg.args).toEqual({ arg: { a: 1 } });
  });

  it('[upgrade_levels] baseapi=1.0 refuses get_backdoor_port', async () => {
    const { env: e } = env();
    await expect(new BaseAPI(e, 'compute', '1.0').get_backdoor_port(ctxt, 'h')).rejects.toMatchObject({ pyClass: 'RPCVersionCapError' });
  });
});
