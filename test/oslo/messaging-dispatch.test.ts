import { describe, expect, it } from 'vitest';
import {
  LoopbackBus,
  RemoteError,
  RPCClient,
  RPCDispatcher,
  RPCServer,
  Target,
  ExpectedException,
  unpack_message,
  type Endpoint,
} from '../../src/oslo/messaging';
import { PyException, PyTypeError, isPy } from '../../src/oslo/exception';
import type { CoreEvent } from '../../src/oslo/observer';

const ep = (namespace: string | null, version: string | null, methods: string[], legacy: string[] = []): Endpoint => {
  const e: Endpoint = { target: new Target({ namespace, version, legacy_namespaces: legacy }) };
  for (const m of methods) e[m] = async () => m;
  return e;
};

describe('RPCDispatcher endpoint choice', () => {
  it('takes the first endpoint matching namespace and version that has the method', () => {
    const d = new RPCDispatcher(new Target({ topic: 'compute' }), [ep(null, '3.40', ['stop_instance']), ep(null, '4.0', ['stop_instance'])]);
    expect(d.choose({ method: 'stop_instance', version: '3.0' })).toEqual({ outcome: 'dispatched', endpoint_index: 0 });
    expect(d.choose({ method: 'stop_instance', version: '4.0' })).toEqual({ outcome: 'dispatched', endpoint_index: 1 });
  });

  it('says UnsupportedVersion when nothing matches version, naming the method (1.8) or not (1.4)', () => {
    const eps = [ep(null, '3.35', ['shelve_offload_instance'])];
    const kilo = new RPCDispatcher(new Target(), eps).choose({ method: 'shelve_offload_instance', version: '4.0' });
    expect(kilo.outcome).toBe('UnsupportedVersion');
    expect(kilo.outcome !== 'dispatched' && kilo.error.message).toBe(
      'Endpoint does not support RPC version 4.0. Attempted method: shelve_offload_instance',
    );
    const juno = new RPCDispatcher(new Target(), eps, undefined, { oslo: '1.4' }).choose({ method: 'x', version: '3.37' });
    expect(juno.outcome !== 'dispatched' && juno.error.message).toBe('Endpoint does not support RPC version 3.37');
  });

  it('says NoSuchMethod when an endpoint matched but lacks the method', () => {
    const d = new RPCDispatcher(new Target(), [ep(null, '4.0', ['a'])]);
    const c = d.choose({ method: 'run_instance', version: '4.0' });
    expect(c.outcome).toBe('NoSuchMethod');
    expect(c.outcome !== 'dispatched' && c.error.message).toBe('Endpoint does not support RPC method run_instance');
  });

  it('treats a missing version as 1.0 and a wrong namespace as UnsupportedVersion', () => {
    const d = new RPCDispatcher(new Target(), [ep(null, null, ['foo'])]);
    expect(d.choose({ method: 'foo' }).outcome).toBe('dispatched');
    expect(d.choose({ method: 'foo', namespace: 'compute_task' }).outcome).toBe('UnsupportedVersion');
  });

  it('accepts legacy namespaces from 1.8 on, not in 1.4', () => {
    const eps = [ep('new', '1.0', ['foo'], ['old'])];
    expect(new RPCDispatcher(new Target(), eps).choose({ method: 'foo', namespace: 'old' }).outcome).toBe('dispatched');
    expect(new RPCDispatcher(new Target(), eps, undefined, { oslo: '1.4' }).choose({ method: 'foo', namespace: 'old' }).outcome).toBe(
      'UnsupportedVersion',
    );
  });

  it('never dispatches to JavaScript plumbing', () => {
    const d = new RPCDispatcher(new Target(), [ep(null, '1.0', [])]);
    expect(d.choose({ method: 'constructor' }).outcome).toBe('NoSuchMethod');
    expect(d.choose({ method: 'toString' }).outcome).toBe('NoSuchMethod');
  });
});

describe('a server over the loopback bus', () => {
  function cluster(endpoints: Endpoint[], oslo: '1.4' | '1.8' = '1.8') {
    const bus = new LoopbackBus();
    const events: CoreEvent[] = [];
    const serverTransport = bus.transport({ name: 'compute1' });
    const target = new Target({ topic: 'compute', server: 'host1' });
    const dispatcher = new RPCDispatcher(target, endpoints, undefined, { oslo, observer: (e) => events.push(e) });
    new RPCServer(serverTransport, target, dispatcher).start();
    const clientTransport = bus.transport({ name: 'api', allowed_remote_exmods: ['nova.exception'] });
    return { bus, events, clientTransport };
  }

  it('binds keyword arguments like Python and returns the result to the caller', async () => {
    const manager: Endpoint = {
      target: new Target({ version: '3.35' }),
      signatures: { get_console_output: { required: ['instance', 'tail_length'], optional: {} } },
      async get_console_output(_ctxt: unknown, kw: Record<string, unknown>) {
        return `console of ${String(kw.instance)} (${String(kw.tail_length)})`;
      },
    };
    const { bus, clientTransport } = cluster([manager]);
    const client = new RPCClient(clientTransport, new Target({ topic: 'compute', version: '3.0' }));
    const p = client.prepare({ server: 'host1' }).call({}, 'get_console_output', { instance: 'vm1', tail_length: 10 });
    await bus.settle();
    await expect(p).resolves.toBe('console of vm1 (10)');
  });

  it('turns an unexpected argument into TypeError at the caller (builtins are re-created)', async () => {
    const manager: Endpoint = {
      target: new Target({ version: '3.35' }),
      signatures: { shelve_offload_instance: { required: ['instance'], optional: {} } },
      async shelve_offload_instance() {
        return null;
      },
    };
    const { bus, clientTransport } = cluster([manager]);
    const client = new RPCClient(clientTransport, new Target({ topic: 'compute', version: '3.0' }));
    const p = client.prepare({ server: 'host1' }).call({}, 'shelve_offload_instance', { instance: 'vm', clean_shutdown: true });
    p.catch(() => {});
    await bus.settle();
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PyException);
    expect((err as PyException).pyClass).toBe('TypeError');
    expect((err as PyException).message).toMatch(/^shelve_offload_instance\(\) got an unexpected keyword argument 'clean_shutdown'\n/);
  });

  it('gives the caller RemoteError for an UnsupportedVersion, and only logs it on the server for a cast', async () => {
    const { bus, events, clientTransport } = cluster([ep(null, '3.35', ['shelve_offload_instance'])]);
    const client = new RPCClient(clientTransport, new Target({ topic: 'compute', version: '4.0' }));
    const call = client.prepare({ server: 'host1' }).call({}, 'shelve_offload_instance', {});
    call.catch(() => {});
    await client.prepare({ server: 'host1' }).cast({}, 'shelve_offload_instance', {});
    await bus.settle();
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).exc_type).toBe('UnsupportedVersion');
    expect((err as RemoteError).value).toBe('Endpoint does not support RPC version 4.0. Attempted method: shelve_offload_instance');
    const logs = events.filter((e) => e.kind === 'log' && e.level === 'error');
    expect(logs).toHaveLength(2);
  });

  it('re-types exceptions of allowed modules as <Class>_Remote', async () => {
    const manager: Endpoint = {
      target: new Target({ version: '1.0' }),
      async get() {
        throw new PyException('InstanceNotFound', 'nova.exception', 'Instance x could not be found.', { instance_id: 'x' });
      },
    };
    const { bus, clientTransport } = cluster([manager]);
    const client = new RPCClient(clientTransport, new Target({ topic: 'compute', version: '1.0' }));
    const p = client.prepare({ server: 'host1' }).call({}, 'get');
    p.catch(() => {});
    await bus.settle();
    const err = (await p.catch((e: unknown) => e)) as PyException;
    expect(err.pyClass).toBe('InstanceNotFound_Remote');
    expect(err.module).toBe('nova.exception_Remote');
    expect(err.kwargs).toEqual({ instance_id: 'x' });
    expect(isPy(err, 'InstanceNotFound')).toBe(true);
  });

  it('returns expected exceptions without logging an error', async () => {
    const manager: Endpoint = {
      target: new Target({ version: '2.0' }),
      async object_class_action() {
        throw new ExpectedException(new PyException('InstanceNotFound', 'nova.exception', 'gone'));
      },
    };
    const { bus, events, clientTransport } = cluster([manager]);
    const client = new RPCClient(clientTransport, new Target({ topic: 'compute', version: '2.0' }));
    const p = client.prepare({ server: 'host1' }).call({}, 'object_class_action');
    p.catch(() => {});
    await bus.settle();
    expect(((await p.catch((e: unknown) => e)) as PyException).pyClass).toBe('InstanceNotFound_Remote');
    expect(events.some((e) => e.kind === 'log' && e.level === 'error')).toBe(false);
  });

  it('keeps casts queued for a stopped server and delivers them when it listens again', async () => {
    const bus = new LoopbackBus();
    const got: string[] = [];
    const target = new Target({ topic: 'compute', server: 'host1' });
    const endpoint: Endpoint = {
      target: new Target({ version: '3.35' }),
      async stop_instance(_c: unknown, kw: Record<string, unknown>) {
        got.push(String(kw.instance));
      },
    };
    const server = new RPCServer(bus.transport(), target, new RPCDispatcher(target, [endpoint]));
    server.start();
    server.stop();
    const client = new RPCClient(bus.transport(), new Target({ topic: 'compute', version: '3.0' }));
    await client.prepare({ server: 'host1' }).cast({}, 'stop_instance', { instance: 'vm1' });
    await bus.settle();
    expect(got).toEqual([]);
    expect(bus.backlog()['compute.host1']).toBe(1);
    server.start();
    await bus.settle();
    expect(got).toEqual(['vm1']);
  });

  it('puts only the oslo 2.0 envelope on the wire, context flattened', async () => {
    const { bus, clientTransport } = cluster([ep(null, '3.35', ['m'])]);
    const client = new RPCClient(clientTransport, new Target({ topic: 'compute', version: '3.0' }));
    await client.prepare({ server: 'host1' }).cast({ request_id: 'req-1', user_id: 'u' }, 'm', { a: 1 });
    await bus.settle();
    const rec = bus.wire[0]!;
    expect(rec.to).toBe('compute.host1');
    expect(Object.keys(rec.envelope)).toEqual(['oslo.version', 'oslo.message']);
    const raw = JSON.parse(rec.envelope['oslo.message']) as Record<string, unknown>;
    expect(raw._context_request_id).toBe('req-1');
    expect(raw._unique_id).toMatch(/^[0-9a-f]{32}$/);
    expect(raw._msg_id).toBeUndefined();
    expect(unpack_message(rec.envelope).message).toEqual({ method: 'm', args: { a: 1 }, version: '3.0' });
  });

  it('refuses at the sender what cannot cross a JSON wire', async () => {
    const { clientTransport } = cluster([ep(null, '1.0', ['m'])]);
    const client = new RPCClient(clientTransport, new Target({ topic: 'compute', server: 'host1', version: '1.0' }));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(client.cast({}, 'm', { f: () => 1 })).rejects.toThrow(/message\.args\.f is a function/);
    await expect(client.cast({}, 'm', { c: cyclic })).rejects.toThrow(/cycle/);
    await expect(client.cast({}, 'm', { big: 'x'.repeat(2 << 20) })).rejects.toThrow(/limit/);
  });

  it('raises a Python-worded TypeError for a missing argument', () => {
    expect(new PyTypeError('x').pyClass).toBe('TypeError');
  });
});
