/**
 * Icehouse (2014.1) RPC clients against the facts read from the tag
 * (nova/compute/rpcapi.py, nova/conductor/rpcapi.py, nova/scheduler/rpcapi.py
 * @87f57c0a): every ComputeAPI method under Havana, icehouse-compat and 3.x
 * caps, the SecurityGroupAPI, and the modelled conductor / compute_task /
 * scheduler methods.
 */
import { describe, expect, it } from 'vitest';
import rpcHistory from '../../src/nova/data/rpc-history.json';
import { FakeObject, recordingTransport, runComputeClientSend } from '../../src/conformance/nova_rpc';
import { IcehouseComputeAPI, IcehouseSecurityGroupAPI, JunoComputeAPI, type Kwargs } from '../../src/nova/compute/rpcapi';
import { ICEHOUSE_COMPUTE_METHODS } from '../../src/nova/compute/rpcapi_names';
import { computeMethods, securityGroupMethods } from '../../src/nova/compute/rpcapi_table';
import type { RpcEnv } from '../../src/nova/rpc';
import { resolveVersionCap } from '../../src/nova/upgrade_levels';
import { version_is_compatible } from '../../src/oslo/messaging';
import { isPy } from '../../src/oslo/exception';

type Entry = { version: string; args: string[] };
const LADDERS = (rpcHistory as unknown as { apis: { compute: { client_send_ladders: Record<string, Record<string, Entry[]>> } } }).apis.compute
  .client_send_ladders;
const ICEHOUSE = LADDERS.icehouse!;

const CAPS = [null, 'grizzly', 'havana', 'icehouse-compat', 'icehouse', 'juno', '2.0', '2.27', '2.31', '2.47', '2.48', '3.0', '3.4', '3.9', '3.15', '3.17', '3.18', '3.19', '3.21', '3.22', '3.23', '3.35', '4.0'];
const ROUTING = { 'instance.host': 'h1', host_arg: 'h2' };
const env = (): RpcEnv => ({ transport: recordingTransport(), serializer: null, oslo: '1.4' });

function expectedSend(method: string, level: string | null) {
  const entries = ICEHOUSE[method]!;
  const cap = resolveVersionCap('compute', 'icehouse', level);
  let allowed: Entry[];
  try {
    allowed = entries.filter((e) => !cap || version_is_compatible(cap, e.version));
  } catch {
    // 2014.1 has no 'icehouse' (or 'juno') alias: the word is used as the cap and the first comparison fails.
    return { outcome: 'ValueError' };
  }
  const chosen = allowed[allowed.length - 1];
  if (!chosen) return { outcome: 'RPCVersionCapError', prepared_version: entries[0]!.version };
  return { outcome: 'sent', message_version: chosen.version, message_args: [...chosen.args].sort() };
}

describe('Icehouse 2014.1 ComputeAPI: every method against its ladder', () => {
  it(`${Object.keys(ICEHOUSE).length} methods x ${CAPS.length} caps`, async () => {
    let checked = 0;
    for (const method of Object.keys(ICEHOUSE)) {
      for (const level of CAPS) {
        const exp = expectedSend(method, level);
        const actual = await runComputeClientSend({ client_release: 'icehouse', upgrade_levels_compute: level, method, routing_inputs: ROUTING });
        const label = `icehouse ${method} cap=${level}`;
        if (method === 'restore_instance' && (level === '3.18' || level === '3.19')) {
          // 2014.1 restore_instance checks can_send_version('3.18') but prepares 3.20:
          // a cap of 3.18 or 3.19 passes the check and the cast refuses 3.20.
          expect(actual, label).toMatchObject({ outcome: 'RPCVersionCapError', prepared_version: '3.20' });
        } else {
          expect(actual, label).toMatchObject(exp);
        }
        checked++;
      }
    }
    expect(checked).toBe(63 * CAPS.length);
  });

  it('names, table and ladders agree; no build_and_run_instance, run_instance present; aliases', async () => {
    expect([...ICEHOUSE_COMPUTE_METHODS].sort()).toEqual(Object.keys(ICEHOUSE).sort());
    expect(Object.keys(computeMethods('icehouse')).sort()).toEqual(Object.keys(ICEHOUSE).sort());
    const api = new IcehouseComputeAPI(env(), null) as unknown as Record<string, unknown>;
    for (const m of Object.keys(ICEHOUSE)) expect(typeof api[m], m).toBe('function');
    expect(ICEHOUSE.build_and_run_instance).toBeUndefined();
    await expect(new IcehouseComputeAPI(env(), null).build_and_run_instance({}, {})).rejects.toSatisfy((e: unknown) => isPy(e, 'AttributeError'));
    expect(IcehouseComputeAPI.VERSION_ALIASES).toEqual({ grizzly: '2.27', havana: '2.47', 'icehouse-compat': '3.0' });
    // Juno's client knows 'icehouse' = 3.23, Icehouse's does not.
    expect(new JunoComputeAPI(env(), 'icehouse').client.version_cap).toBe('3.23');
    expect(new IcehouseComputeAPI(env(), 'icehouse').client.version_cap).toBe('icehouse');
  });

  it('under havana the instance goes as a plain primitive and the 2.x version (stop 2.29, unshelve 2.31 without node)', async () => {
    const inst = new FakeObject('Instance', { host: 'h1', uuid: 'u1', vm_state: 'active' });
    const t = recordingTransport();
    const api = new IcehouseComputeAPI({ transport: t, serializer: null, oslo: '1.4' }, 'havana');
    await api.stop_instance({}, { instance: inst });
    expect(t.sent[0]).toMatchObject({ wait: false, msg: { method: 'stop_instance', version: '2.29' } });
    await api.stop_instance({}, { instance: inst, do_cast: false });
    expect(t.sent[1]).toMatchObject({ wait: true, msg: { version: '2.29' } });
    await api.get_vnc_console({}, { instance: inst, console_type: 'novnc' });
    expect(t.sent[2]!.msg.version).toBe('2.0');
    expect(t.sent[2]!.msg.args.instance).toEqual({ host: 'h1', uuid: 'u1', vm_state: 'active' });
    expect(t.sent[2]!.msg.args.instance).not.toBeInstanceOf(FakeObject);
    await api.unshelve_instance({}, { instance: inst, host: 'h2', image: null, filter_properties: { a: 1 }, node: 'n' });
    expect(t.sent[3]!.msg.version).toBe('2.31');
    expect(Object.keys(t.sent[3]!.msg.args).sort()).toEqual(['image', 'instance']);
    expect(t.sent[3]!.target.server).toBe('h2');
  });

  it('icehouse-compat (3.0): the 3.x-object methods fall back to 3.0 with primitives; rebuild drops preserve_ephemeral below 3.5', async () => {
    const inst = new FakeObject('Instance', { host: 'h1', uuid: 'u1' });
    const t = recordingTransport();
    const api = new IcehouseComputeAPI({ transport: t, serializer: null, oslo: '1.4' }, 'icehouse-compat');
    await api.rescue_instance({}, { instance: inst, rescue_password: 'p' });
    expect(t.sent[0]!.msg.version).toBe('3.0');
    expect(t.sent[0]!.msg.args.instance).toEqual({ host: 'h1', uuid: 'u1' });
    const bdms = [
      { source_type: 'volume', destination_type: 'volume', device_name: '/dev/vdb', volume_id: 'v1', delete_on_termination: false },
      { source_type: 'image', destination_type: 'local', device_name: '/dev/vda' },
      { source_type: 'blank', destination_type: 'local', guest_format: null, device_name: '/dev/vdc' },
    ];
    const kw: Kwargs = { instance: inst, new_pass: 'x', injected_files: [], image_ref: 'i', orig_image_ref: 'i', orig_sys_metadata: {}, bdms };
    await api.rebuild_instance({}, kw);
    expect(t.sent[1]!.msg.version).toBe('3.0');
    expect(t.sent[1]!.msg.args).not.toHaveProperty('preserve_ephemeral');
    // block_device.legacy_mapping: the image->local mapping has no legacy form.
    expect(t.sent[1]!.msg.args.bdms).toEqual([
      { device_name: '/dev/vdb', delete_on_termination: false, volume_id: 'v1', virtual_name: null },
      { device_name: '/dev/vdc', virtual_name: 'ephemeral0' },
    ]);
    const none = recordingTransport();
    await new IcehouseComputeAPI({ transport: none, serializer: null, oslo: '1.4' }, null).rebuild_instance({}, kw);
    expect(none.sent[0]!.msg.version).toBe('3.21');
    expect(none.sent[0]!.msg.args).toMatchObject({ preserve_ephemeral: false, bdms });
  });

  it('SecurityGroupAPI: 3.0, or 2.0 under a Havana cap; no serializer', async () => {
    expect(Object.keys(securityGroupMethods('icehouse')).sort()).toEqual([
      'refresh_instance_security_rules',
      'refresh_security_group_members',
      'refresh_security_group_rules',
    ]);
    const t = recordingTransport();
    await new IcehouseSecurityGroupAPI({ transport: t, serializer: null, oslo: '1.4' }, 'havana').refresh_security_group_rules({}, { security_group_id: 1, host: 'h1' });
    await new IcehouseSecurityGroupAPI({ transport: t, serializer: null, oslo: '1.4' }, null).refresh_security_group_rules({}, { security_group_id: 1, host: 'h1' });
    expect(t.sent.map((s) => s.msg.version)).toEqual(['2.0', '3.0']);
    const r = await runComputeClientSend({ client_release: 'icehouse', upgrade_levels_compute: 'grizzly', method: 'refresh_instance_security_rules', routing_inputs: ROUTING });
    expect(r).toMatchObject({ outcome: 'sent', message_version: '2.0', server: 'h1' });
  });
});
