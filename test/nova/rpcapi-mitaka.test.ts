import { describe, expect, it } from 'vitest';
import rpcHistory from '../../src/nova/data/rpc-history.json';
import { FakeInstance, FakeLiveMigrateData, recordingTransport, runComputeClientSend } from '../../src/conformance/nova_rpc';
import { LibertyComputeAPI, MitakaComputeAPI, type Kwargs } from '../../src/nova/compute/rpcapi';
import { MITAKA_COMPUTE_METHODS } from '../../src/nova/compute/rpcapi_names';
import { computeMethods } from '../../src/nova/compute/rpcapi_table';
import type { RpcEnv } from '../../src/nova/rpc';
import { MitakaComputeCap, resolveVersionCap } from '../../src/nova/upgrade_levels';
import { version_is_compatible } from '../../src/oslo/messaging';
import { isPy } from '../../src/oslo/exception';

type Entry = { version: string; args: string[] };
const LADDERS = (rpcHistory as unknown as { apis: { compute: { client_send_ladders: Record<string, Record<string, Entry[]>> } } }).apis.compute
  .client_send_ladders;
const MITAKA = LADDERS.mitaka!;

const CAPS = [null, 'icehouse', 'juno', 'kilo', 'liberty', '3.35', '4.0', '4.1', '4.2', '4.4', '4.5', '4.6', '4.7', '4.8', '4.9', '4.10', '4.11', '4.12', '5.0'];
const ROUTING = { 'instance.host': 'h1', host_arg: 'h2' };

function expectedSend(method: string, level: string | null) {
  const entries = MITAKA[method]!;
  const cap = resolveVersionCap('compute', 'mitaka', level);
  let allowed: Entry[];
  try {
    allowed = entries.filter((e) => !cap || version_is_compatible(cap, e.version));
  } catch {
    return { outcome: 'ValueError' };
  }
  const chosen = allowed[allowed.length - 1];
  if (!chosen) return { outcome: 'RPCVersionCapError', prepared_version: entries[0]!.version };
  return { outcome: 'sent', message_version: chosen.version, message_args: [...chosen.args].sort() };
}

describe('Mitaka 13.0.0 ComputeAPI: every method against its ladder', () => {
  it(`${Object.keys(MITAKA).length} methods x ${CAPS.length} caps`, async () => {
    let checked = 0;
    for (const method of Object.keys(MITAKA)) {
      for (const level of CAPS) {
        const exp = expectedSend(method, level);
        const routing = method === 'check_instance_shared_storage' ? { 'instance.host': 'h1' } : ROUTING;
        const actual = await runComputeClientSend({ client_release: 'mitaka', upgrade_levels_compute: level, method, routing_inputs: routing });
        const label = `mitaka ${method} cap=${level}`;
        if (method === 'trigger_crash_dump' && exp.outcome === 'RPCVersionCapError') {
          // Refused by the client itself below 4.6, nothing prepared.
          expect(actual.outcome, label).toBe('TriggerCrashDumpNotSupported');
        } else if (exp.outcome === 'sent') {
          expect(actual, label).toMatchObject(exp);
        } else {
          expect(actual, label).toMatchObject(exp);
        }
        checked++;
      }
    }
    expect(checked).toBe(71 * CAPS.length);
  });

  it('the names, the table and the ladders agree; 13.0.0 dropped three methods and added three', () => {
    expect([...MITAKA_COMPUTE_METHODS].sort()).toEqual(Object.keys(MITAKA).sort());
    expect(Object.keys(computeMethods('mitaka')).sort()).toEqual(Object.keys(MITAKA).sort());
    const api = new MitakaComputeAPI(env(), null) as unknown as Record<string, unknown>;
    for (const m of Object.keys(MITAKA)) expect(typeof api[m], m).toBe('function');
    for (const gone of ['refresh_provider_fw_rules', 'refresh_security_group_rules', 'refresh_security_group_members']) {
      expect(api[gone], gone).toBeUndefined();
      expect(typeof (new LibertyComputeAPI(env(), null) as unknown as Record<string, unknown>)[gone]).toBe('function');
    }
    for (const added of ['trigger_crash_dump', 'live_migration_force_complete', 'live_migration_abort']) expect(MITAKA[added]).toBeDefined();
    expect(MitakaComputeAPI.VERSION_ALIASES).toEqual({ icehouse: '3.23', juno: '3.35', kilo: '4.0', liberty: '4.5' });
  });

  it('a Liberty table method is replaced by Mitaka\'s spec (detach_volume 4.7 with attachment_id)', async () => {
    const t = recordingTransport();
    const api = new MitakaComputeAPI({ transport: t, serializer: null, oslo: '1.16' }, null);
    await api.detach_volume({}, { instance: new FakeInstance('h1'), volume_id: 'v1', attachment_id: 'a1' });
    expect(t.sent[0]!.msg).toMatchObject({ version: '4.7', args: { instance: expect.anything(), volume_id: 'v1', attachment_id: 'a1' } });
    const pinned = recordingTransport();
    const old = new MitakaComputeAPI({ transport: pinned, serializer: null, oslo: '1.16' }, 'liberty');
    await old.detach_volume({}, { instance: new FakeInstance('h1'), volume_id: 'v1', attachment_id: 'a1' });
    expect(pinned.sent[0]!.msg.version).toBe('4.0');
    expect(Object.keys(pinned.sent[0]!.msg.args).sort()).toEqual(['instance', 'volume_id']);
  });

  it('check_can_live_migrate_destination: None flags need 4.11, else 4.0 below it', async () => {
    const t = recordingTransport();
    const api = new MitakaComputeAPI({ transport: t, serializer: null, oslo: '1.16' }, 'liberty');
    const kw: Kwargs = { instance: new FakeInstance('h1'), destination: 'h2', block_migration: null, disk_over_commit: false };
    await expect(api.check_can_live_migrate_destination({}, kw)).rejects.toSatisfy((e: unknown) => isPy(e, 'LiveMigrationWithOldNovaNotSupported'));
    await api.check_can_live_migrate_destination({}, { ...kw, block_migration: true });
    expect(t.sent[0]!.msg.version).toBe('4.0');
    const fresh = recordingTransport();
    await new MitakaComputeAPI({ transport: fresh, serializer: null, oslo: '1.16' }, null).check_can_live_migrate_destination({}, kw);
    expect(fresh.sent[0]!.msg.version).toBe('4.11');
  });

  it('live_migration: migrate_data goes as an object at 4.8, as its legacy dict (pre_migration_result) at 4.2', async () => {
    const kw: Kwargs = { instance: new FakeInstance('h1'), dest: 'h2', block_migration: false, host: 'h1', migration: null, migrate_data: new FakeLiveMigrateData() };
    const a = recordingTransport();
    await new MitakaComputeAPI({ transport: a, serializer: null, oslo: '1.16' }, null).live_migration({}, kw);
    expect(a.sent[0]!.msg.version).toBe('4.8');
    expect(a.sent[0]!.msg.args.migrate_data).toBeInstanceOf(FakeLiveMigrateData);
    const b = recordingTransport();
    await new MitakaComputeAPI({ transport: b, serializer: null, oslo: '1.16' }, 'liberty').live_migration({}, kw);
    expect(b.sent[0]!.msg.version).toBe('4.2');
    expect(b.sent[0]!.msg.args.migrate_data).toEqual({ is_shared_block_storage: false, is_shared_instance_path: false, pre_live_migration_result: {} });
  });
});

describe('Mitaka [upgrade_levels] compute = auto through the client', () => {
  it('the cap follows the minimum nova-compute version, is cached per process and re-read after reset', async () => {
    let min: number | null = 2;
    const logs: string[] = [];
    const cap = new MitakaComputeCap(() => min, (level, msg) => logs.push(`${level}: ${msg}`));
    const t = recordingTransport();
    const e: RpcEnv = { transport: t, serializer: null, oslo: '1.16' };
    const first = new MitakaComputeAPI(e, 'auto', { compute_cap: cap });
    expect(first.client.version_cap).toBe('4.5');
    await expect(first.trigger_crash_dump({}, { instance: new FakeInstance('h1') })).rejects.toSatisfy((x: unknown) => isPy(x, 'TriggerCrashDumpNotSupported'));
    min = 9; // the last compute restarted on Mitaka
    expect(new MitakaComputeAPI(e, 'auto', { compute_cap: cap }).client.version_cap).toBe('4.5'); // LAST_VERSION still cached
    expect(cap.db_queries).toBe(1);
    cap.reset(); // SIGHUP, or a restart (a new process has a new module)
    const after = new MitakaComputeAPI(e, 'auto', { compute_cap: cap });
    expect(after.client.version_cap).toBe('4.11');
    await after.trigger_crash_dump({}, { instance: new FakeInstance('h1') });
    expect(t.sent.at(-1)!.msg.version).toBe('4.6');
    expect(logs).toEqual([
      'info: Automatically selected compute RPC version 4.5 from minimum service version 2',
      'info: Automatically selected compute RPC version 4.11 from minimum service version 9',
    ]);
  });

  it('a minimum past the history is ServiceTooOld (logged), and nothing is cached', () => {
    const logs: string[] = [];
    const cap = new MitakaComputeCap(() => 10, (level, msg) => logs.push(`${level}: ${msg}`));
    expect(() => new MitakaComputeAPI(env(), 'auto', { compute_cap: cap })).toThrow(/older \(v9\) than the minimum \(v10\)/);
    expect(cap.LAST_VERSION).toBeNull();
    expect(logs).toEqual(['error: Failed to extract compute RPC version from service history because I am too old (minimum version is now 10)']);
  });

  it('no nova-compute row: version 0 -> 4.0', () => {
    const cap = new MitakaComputeCap(() => null);
    expect(new MitakaComputeAPI(env(), 'auto', { compute_cap: cap }).client.version_cap).toBe('4.0');
  });
});

describe('compute_client_send with a Mitaka client and auto', () => {
  it('the minimum compute version picks the rung; past the history nothing is built', async () => {
    const send = (min: number | null) =>
      runComputeClientSend({ client_release: 'mitaka', upgrade_levels_compute: 'auto', method: 'detach_volume', routing_inputs: ROUTING, min_nova_compute_service_version: min });
    expect(await send(2)).toMatchObject({ outcome: 'sent', message_version: '4.0' });
    expect(await send(5)).toMatchObject({ outcome: 'sent', message_version: '4.7', message_args: ['attachment_id', 'instance', 'volume_id'] });
    expect(await send(null)).toMatchObject({ outcome: 'sent', message_version: '4.0' });
    expect(await send(10)).toMatchObject({ outcome: 'ServiceTooOld' });
  });
});

function env(): RpcEnv {
  return { transport: recordingTransport(), serializer: null, oslo: '1.16' };
}
