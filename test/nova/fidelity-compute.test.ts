/**
 * Issue 11 items 4-6: Kilo's _ComputeV4Proxy forwards as written, the
 * ComputeManager decorators of each tag, Juno's 3.23 network tuples.
 */
import { describe, expect, it } from 'vitest';
import { recordingTransport } from '../../src/conformance/nova_rpc';
import { JunoComputeAPI, KiloComputeAPI } from '../../src/nova/compute/rpcapi';
import { computeDecorators } from '../../src/nova/compute/decorators';
import { RequestContext } from '../../src/nova/context';
import { RELEASE_INFO, type Release } from '../../src/nova/releases';
import type { RpcEnv } from '../../src/nova/rpc';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import { get_client } from '../../src/nova/rpc';
import { Target } from '../../src/oslo/messaging';
import { PyException } from '../../src/oslo/exception';
import { bindCall } from '../../src/oslo/pycall';

const ctxt = new RequestContext({ request_id: 'req-1' });

async function cluster(release: Release, computes = ['compute1']): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release },
    { id: 'scheduler', binary: 'nova-scheduler', release },
    ...computes.map((id) => ({ id, binary: 'nova-compute' as const, release })),
    { id: 'api', binary: 'nova-api', release },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}

/** A call or cast straight onto compute1's queue, as an older (or hand-made) client would send it. */
async function rawCall(c: LoopbackCluster, version: string, method: string, args: Record<string, unknown>, cast = false) {
  const conductor = c.services.get('conductor') as unknown as { rpcEnv: RpcEnv };
  const client = get_client(conductor.rpcEnv, new Target({ topic: 'compute', version: '3.0' }), null);
  const p = client.prepare({ server: 'compute1', version });
  let out: { ok: boolean; value: unknown } | null = null;
  const run = (cast ? p.cast(ctxt, method, args) : p.call(ctxt, method, args)).then(
    (value) => (out = { ok: true, value }),
    (value: unknown) => (out = { ok: false, value }),
  );
  await c.bus.settle();
  await run;
  return out as unknown as { ok: boolean; value: unknown };
}

describe('item 4: Kilo _ComputeV4Proxy forwards positionally as nova/compute/manager.py @2015.1.0 writes it', () => {
  it('remove_volume_connection(ctxt, instance, volume_id) lands in the 3.40 manager as volume_id=<instance>, instance=<volume id>', async () => {
    const c = await cluster('kilo');
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const compute = c.services.get('compute1') as unknown as { manager: Record<string, unknown> };
    const seen: Record<string, unknown>[] = [];
    compute.manager.remove_volume_connection = async (_c: unknown, kw: Record<string, unknown>) => {
      seen.push(kw);
      return null;
    };
    const conductor = c.services.get('conductor') as unknown as { compute_rpcapi: KiloComputeAPI; world: { registry: { latest(n: string): unknown } } };
    const kiloApi = conductor.compute_rpcapi;
    const { instanceGetByUuid } = await import('../../src/nova/objects/api');
    const inst = await instanceGetByUuid({ world: conductor.world, classes: { Instance: conductor.world.registry.latest('Instance') } } as never, ctxt, uuid);
    const done = kiloApi.remove_volume_connection(ctxt, { instance: inst, volume_id: 'vol-1', host: 'compute1' });
    await c.bus.settle();
    await done;
    expect(seen).toHaveLength(1);
    expect(seen[0]!.instance).toBe('vol-1');
    expect((seen[0]!.volume_id as { get(k: string): unknown }).get('uuid')).toBe(uuid);
  });

  it('swap_volume is swapped the same way; attach_volume passes None for mountpoint and volume_id', () => {
    const sig = { required: ['old_volume_id', 'new_volume_id', 'instance'], optional: {} };
    expect(bindCall('swap_volume', sig, ['INST', 'old', 'new'], {})).toEqual({ old_volume_id: 'INST', new_volume_id: 'old', instance: 'new' });
    const attach = { required: ['volume_id', 'mountpoint', 'instance'], optional: { bdm: null } };
    expect(bindCall('attach_volume', attach, [null, null], { instance: 'I', bdm: 'B' })).toEqual({ volume_id: null, mountpoint: null, instance: 'I', bdm: 'B' });
  });

  it('Python 2.7 wording for a bad binding', () => {
    const sig = { required: ['a', 'b'], optional: {} };
    expect(() => bindCall('f', sig, ['x'], { a: 1 })).toThrow("f() got multiple values for keyword argument 'a'");
    expect(() => bindCall('f', sig, [1, 2, 3], {})).toThrow('f() takes exactly 4 arguments (5 given)');
  });
});

describe('item 5: ComputeManager decorators per tag (object_compat, wrap_instance_fault, reverts_task_state)', () => {
  it('the decorator table matches the tags for the live-migration methods', () => {
    expect(computeDecorators('juno', 'pre_live_migration')).toEqual(['object_compat', 'wrap_exception', 'wrap_instance_fault']);
    expect(computeDecorators('kilo', 'post_live_migration_at_destination')).toEqual(['object_compat', 'wrap_exception', 'wrap_instance_fault']);
    expect(computeDecorators('liberty', 'pre_live_migration')).toEqual(['wrap_exception', 'wrap_instance_event', 'wrap_instance_fault']);
    expect(computeDecorators('kilo', 'remove_volume_connection')).toEqual(['wrap_exception']);
    expect(computeDecorators('juno', 'resize_instance')).toContain('errors_out_migration');
  });

  it('2014.2 object_compat: a 3.0 pre_live_migration with an instance dict runs on an Instance built by _from_db_object', async () => {
    const c = await cluster('juno');
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const row = (await c.db.instance_get_by_uuid(uuid)) as Record<string, unknown>;
    const compute = c.services.get('compute1') as unknown as { manager: Record<string, unknown> };
    let got: unknown = null;
    // The wrapped method is the instance property; replace the inner function through the prototype chain.
    const proto = Object.getPrototypeOf(compute.manager) as Record<string, unknown>;
    const inner = proto.pre_live_migration as (c: unknown, k: Record<string, unknown>) => Promise<unknown>;
    proto.pre_live_migration = async function (this: unknown, cx: unknown, kw: Record<string, unknown>) {
      got = kw.instance;
      return inner.call(this, cx, kw);
    };
    try {
      // re-apply the decorators around the spy, as the constructor does
      delete compute.manager.pre_live_migration;
      (compute.manager as unknown as { _applyDecorators(): void })._applyDecorators();
      const res = await rawCall(c, '3.0', 'pre_live_migration', { instance: JSON.parse(JSON.stringify(row)), block_migration: false, disk: null, migrate_data: null });
      expect(res.ok).toBe(true);
      expect((got as { obj_name(): string }).obj_name()).toBe('Instance');
      expect((got as { get(k: string): unknown }).get('uuid')).toBe(uuid);
    } finally {
      proto.pre_live_migration = inner;
    }
  });

  it('2014.2 object_compat: an instance dict without its columns is KeyError (db_inst[field]), never a JavaScript TypeError', async () => {
    const c = await cluster('juno');
    await c.action('api', { action: 'create', name: 'vm1' });
    const res = await rawCall(c, '3.0', 'pre_live_migration', { instance: { uuid: 'u' }, block_migration: false, disk: null, migrate_data: null });
    expect(res.ok).toBe(false);
    const e = res.value as PyException;
    expect(e.pyClass).toBe('KeyError');
    expect(e.message).not.toMatch(/undefined|null to object/);
  });

  it('wrap_instance_fault (all tags): a failing check_can_live_migrate_source records an instance fault with the exception message', async () => {
    for (const release of ['juno', 'kilo', 'liberty', 'mitaka'] as const) {
      const c = await cluster(release, ['compute1', 'compute2']);
      const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
      const src = (await c.db.instance_get_by_uuid(uuid)).host as string;
      const dest = src === 'compute1' ? 'compute2' : 'compute1';
      // The source's check raises (the undecorated method is replaced; the tag's decorators are re-applied).
      const m = c.services.get(src) as unknown as { manager: Record<string, unknown> & { _applyDecorators(): void } };
      const proto = Object.getPrototypeOf(m.manager) as Record<string, unknown>;
      const own = Object.getOwnPropertyDescriptor(proto, 'check_can_live_migrate_source');
      proto.check_can_live_migrate_source = async () => {
        throw new PyException('MigrationPreCheckError', 'nova.exception', 'Migration pre-check error: injected', { reason: 'injected', code: 500 });
      };
      delete m.manager.check_can_live_migrate_source;
      m.manager._applyDecorators();
      if (own) Object.defineProperty(proto, 'check_can_live_migrate_source', own);
      await c.action('api', { action: 'live_migrate', server: 'vm1', host: dest }).catch(() => undefined);
      const faults = ((await c.db.instance_get_by_uuid(uuid)) as Record<string, unknown>).faults as Record<string, unknown>[];
      // The source records the fault, and the destination records it again: its
      // check_can_live_migrate_destination (also @wrap_instance_fault) re-raises
      // the source's MigrationPreCheckError_Remote; then conductor's
      // scheduler_utils.set_vm_state_and_notify adds its own.
      expect(faults.map((f) => [f.host, f.code, f.message]), release).toEqual([
        [src, 500, 'Migration pre-check error: injected'],
        [dest, 500, 'Migration pre-check error: injected'],
        ['conductor', 500, 'Migration pre-check error: injected'],
      ]);
    }
  });
});

describe("item 6: build_and_run_instance's 3.23 fallback unpacks network tuples (nova/compute/rpcapi.py)", () => {
  function env(release: Release) {
    const transport = recordingTransport();
    const e: RpcEnv = { transport, serializer: null, oslo: RELEASE_INFO[release].oslo };
    return { env: e, sent: transport.sent };
  }
  const args = (tuples: unknown[][]) => ({
    instance: { uuid: 'u', host: null },
    host: 'h1',
    image: {},
    request_spec: {},
    filter_properties: {},
    requested_networks: { as_tuples: () => tuples },
    node: 'h1',
    limits: {},
  });

  it('2014.2: four items -> three on the wire', async () => {
    const { env: e, sent } = env('juno');
    await new JunoComputeAPI(e, 'icehouse').build_and_run_instance(ctxt, args([['net', '10.0.0.2', 'port', null]]));
    expect(sent[0]!.msg.version).toBe('3.23');
    expect(sent[0]!.msg.args.requested_networks).toEqual([['net', '10.0.0.2', 'port']]);
  });

  it("2014.2: nova-network's 2-tuples raise ValueError: need more than 2 values to unpack", async () => {
    const { env: e, sent } = env('juno');
    await expect(new JunoComputeAPI(e, 'icehouse').build_and_run_instance(ctxt, args([['net', null]]))).rejects.toMatchObject({
      pyClass: 'ValueError',
      message: 'need more than 2 values to unpack',
    });
    expect(sent).toHaveLength(0);
  });

  it('2015.1.0 with nova-network unpacks exactly two; a 4-tuple is "too many values to unpack"', async () => {
    const { env: e } = env('kilo');
    await expect(new KiloComputeAPI(e, 'icehouse').build_and_run_instance(ctxt, args([['net', null, null, null]]))).rejects.toMatchObject({
      pyClass: 'ValueError',
      message: 'too many values to unpack',
    });
  });
});
