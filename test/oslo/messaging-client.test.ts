import { describe, expect, it } from 'vitest';
import {
  InvalidTarget,
  LoopbackBus,
  RPCClient,
  RPCVersionCapError,
  Target,
  type RpcMessage,
  type Transport,
} from '../../src/oslo/messaging';

/** A transport that records what would have been sent. */
function recordingTransport(): Transport & { sent: { target: Target; msg: RpcMessage; wait: boolean }[] } {
  const sent: { target: Target; msg: RpcMessage; wait: boolean }[] = [];
  return {
    sent,
    conf: { rpc_response_timeout: 60 },
    allowed_remote_exmods: [],
    async _send(target, _ctxt, msg, options) {
      sent.push({ target, msg, wait: options.wait_for_reply });
      return 'reply';
    },
    _listen() {
      return { stop() {} };
    },
  };
}

describe('RPCClient.prepare', () => {
  it('overrides only what it is given, and an explicit null overrides too', () => {
    const t = recordingTransport();
    const client = new RPCClient(t, new Target({ topic: 'compute', version: '4.0' }), { version_cap: '3.35' });
    const prepared = client.prepare({ server: 'host1', version: '3.0' });
    expect(prepared.target.topic).toBe('compute');
    expect(prepared.target.server).toBe('host1');
    expect(prepared.target.version).toBe('3.0');
    expect(prepared.version_cap).toBe('3.35');
    expect(client.prepare({ version_cap: null }).version_cap).toBeNull();
    expect(client.prepare({ version: null }).target.version).toBeNull();
  });

  it('never checks the cap: the refusal comes at send time, before anything is sent', async () => {
    const t = recordingTransport();
    const client = new RPCClient(t, new Target({ topic: 'compute', version: '4.0' }), { version_cap: '3.35' });
    const prepared = client.prepare({ server: 'h1', version: '3.37' });
    await expect(prepared.cast({}, 'shelve_offload_instance', { instance: 'x' })).rejects.toBeInstanceOf(RPCVersionCapError);
    await expect(prepared.call({}, 'shelve_offload_instance', { instance: 'x' })).rejects.toMatchObject({
      version: '3.37',
      version_cap: '3.35',
      message: 'Requested message version, 3.37 is too high. It needs to be lower than the specified version cap 3.35.',
    });
    expect(t.sent).toHaveLength(0);
  });
});

describe('can_send_version', () => {
  const make = (cap: string | null, version: string | null) =>
    new RPCClient(recordingTransport(), new Target({ topic: 't', version }), { version_cap: cap });

  it('is true without a cap', () => {
    expect(make(null, null).can_send_version()).toBe(true);
    expect(make(null, '4.0').can_send_version('9.9')).toBe(true);
  });

  it('checks the asked version against the cap', () => {
    const c = make('3.35', '4.0');
    expect(c.can_send_version('4.0')).toBe(false);
    expect(c.can_send_version('3.37')).toBe(false);
    expect(c.can_send_version('3.0')).toBe(true);
    expect(c.can_send_version('3.35')).toBe(true);
  });

  it('checks the target version when none is given (oslo test scenarios)', () => {
    expect(make('1.1', '1.0').can_send_version()).toBe(true);
    expect(make('1.0', '1.1').can_send_version()).toBe(false);
    expect(make('2.0', null).prepare({ version: '1.0' }).can_send_version()).toBe(false);
    expect(make('2.0', '1.0').prepare({ version_cap: '1.1', version: '1.0' }).can_send_version()).toBe(true);
    expect(make('1.1', '1.0').prepare({ version_cap: null }).can_send_version('1.1')).toBe(true);
  });

  it('with a non-alias word as cap, fails at the first comparison like nova did', () => {
    expect(() => make('havana-compat', '4.0').can_send_version('4.0')).toThrowError(/invalid literal for int/);
  });
});

describe('cast and call build the message dict', () => {
  it('carries method and serialized args, namespace and version only when set', async () => {
    const t = recordingTransport();
    const c = new RPCClient(t, new Target({ topic: 'conductor', namespace: 'compute_task', version: '1.11' }));
    await c.cast({}, 'build_instances', { instances: [] });
    expect(t.sent[0]!.msg).toEqual({ method: 'build_instances', args: { instances: [] }, namespace: 'compute_task', version: '1.11' });
    const bare = new RPCClient(t, new Target({ topic: 'x' }));
    await bare.call({}, 'ping', {});
    expect(t.sent[1]!.msg).toEqual({ method: 'ping', args: {} });
    expect(t.sent[1]!.wait).toBe(true);
  });

  it('refuses a call to a fanout target (1.8) but not in Juno\'s 1.4', async () => {
    const t = recordingTransport();
    const fan = new RPCClient(t, new Target({ topic: 'scheduler', fanout: true, version: '4.2' }));
    await expect(fan.call({}, 'update_instance_info')).rejects.toBeInstanceOf(InvalidTarget);
    const juno = new RPCClient(t, new Target({ topic: 'scheduler', fanout: true, version: '3.0' }), { oslo: '1.4' });
    await expect(juno.call({}, 'x')).resolves.toBe('reply');
  });

  it('uses each release\'s wording for the cap error', async () => {
    const t = recordingTransport();
    const juno = new RPCClient(t, new Target({ topic: 'c', version: '3.37' }), { version_cap: '3.35', oslo: '1.4' });
    await expect(juno.cast({}, 'm')).rejects.toThrow('Specified RPC version cap, 3.35, is too low. Needs to be higher than 3.37.');
  });

  it('times out a call nobody answers with MessagingTimeout', async () => {
    const bus = new LoopbackBus();
    const c = new RPCClient(bus.transport({ rpc_response_timeout: 30 }), new Target({ topic: 'nobody', version: '1.0' }));
    const p = c.call({}, 'hello');
    p.catch(() => {});
    await bus.settle();
    await expect(p).rejects.toMatchObject({ pyClass: 'MessagingTimeout' });
    expect(bus.now).toBe(30);
  });
});
