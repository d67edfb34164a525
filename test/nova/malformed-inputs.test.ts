/**
 * Issue 16 item 5: one bad object must not wedge conductor, and every error a
 * user sees is nova's or Python's wording, never JavaScript's.
 *
 * Sources: nova/objects/base.py obj_class_from_name (2015.1.0) with
 * nova.utils.convert_version_to_tuple (int() of each part: ValueError
 * "invalid literal for int() with base 10: 'x'"); NovaObjectSerializer
 * ._process_object; nova/context.py RequestContext.__init__ (2015.1.0:
 * roles or [], read_deleted checked, timestamp through timeutils.parse_strtime);
 * oslo_messaging/rpc/dispatcher.py _dispatch (1.8.3).
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import { RequestContext } from '../../src/nova/context';
import { PyException } from '../../src/oslo/exception';
import { Target } from '../../src/oslo/messaging';
import type { Release } from '../../src/nova/releases';

const JS_WORDS = /undefined|null to object|is not iterable|\[object Object\]|is not a function|Cannot read prop|Cannot convert/;

async function cluster(release: Release): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release },
    { id: 'scheduler', binary: 'nova-scheduler', release },
    { id: 'compute1', binary: 'nova-compute', release },
    { id: 'api', binary: 'nova-api', release },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}

/** A raw call from the api's transport: any context dict, any message. */
async function raw(c: LoopbackCluster, target: Target, ctxt: Record<string, unknown>, message: Record<string, unknown>) {
  const api = c.services.get('api') as unknown as { rpcEnv: { transport: { _send(t: Target, c: unknown, m: unknown, o: unknown): Promise<unknown> } } };
  let out: { ok: boolean; value: unknown } | null = null;
  const p = api.rpcEnv.transport._send(target, ctxt, message, { wait_for_reply: true, timeout: 60, retry: null }).then(
    (value) => (out = { ok: true, value }),
    (value: unknown) => (out = { ok: false, value }),
  );
  await c.bus.settle();
  await p;
  return out as unknown as { ok: boolean; value: unknown };
}

const goodCtxt = () => new RequestContext({ request_id: 'req-x', user_id: 'u', project_id: 'p', roles: ['member'] }).to_dict();

function instancePrimitive(version: unknown): Record<string, unknown> {
  return {
    'nova_object.name': 'Instance',
    'nova_object.namespace': 'nova',
    'nova_object.version': version,
    'nova_object.data': { uuid: '5b3c0a1e-0000-4000-8000-000000000001', host: 'compute1' },
    'nova_object.changes': [],
  };
}

describe('malformed object versions reach conductor (Kilo)', () => {
  const conductor = new Target({ topic: 'conductor', version: '2.0' });

  it.each([
    ['1.x', 'ValueError', "invalid literal for int() with base 10: 'x'"],
    ['', 'ValueError', "invalid literal for int() with base 10: ''"],
    ['99.0', 'IncompatibleObjectVersion_Remote', 'Version 99.0 of Instance is not supported'],
    ['-1.0', 'IncompatibleObjectVersion_Remote', 'Version -1.0 of Instance is not supported'],
  ])('object_backport of an Instance at %j: %s, and conductor still serves a boot afterwards', async (version, cls, message) => {
    const c = await cluster('kilo');
    const res = await raw(c, conductor, goodCtxt(), {
      method: 'object_backport',
      version: '2.0',
      args: { objinst: instancePrimitive(version), target_version: '1.15' },
    });
    expect(res.ok).toBe(false);
    const e = res.value as PyException;
    expect(e.pyClass).toBe(cls);
    expect(e.message.split('\n')[0]).toBe(message);
    // no backport through itself: conductor never called object_backport on conductor
    const backports = c.bus.wire.filter((w) => String((w.envelope as unknown as Record<string, string>)['oslo.message'] ?? '').includes('"object_backport"'));
    expect(backports).toHaveLength(1);
    const uuid = (await c.action('api', { action: 'create', name: 'vm2' })) as string;
    expect((await c.db.instance_get_by_uuid(uuid)).vm_state).toBe('active');
  });
});

describe('every failure a malformed message gets back is in Python words', () => {
  const conductor = new Target({ topic: 'conductor', version: '2.0' });
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['roles not a list', { ...goodCtxt(), roles: 5 }, { method: 'object_backport', version: '2.0', args: { objinst: instancePrimitive('1.19'), target_version: '1.15' } }],
    ['read_deleted bogus', { ...goodCtxt(), read_deleted: 'maybe' }, { method: 'object_backport', version: '2.0', args: { objinst: instancePrimitive('1.19'), target_version: '1.15' } }],
    ['timestamp bogus', { ...goodCtxt(), timestamp: 'yesterday' }, { method: 'object_backport', version: '2.0', args: { objinst: instancePrimitive('1.19'), target_version: '1.15' } }],
    ['data null', goodCtxt(), { method: 'object_backport', version: '2.0', args: { objinst: { ...instancePrimitive('1.19'), 'nova_object.data': null }, target_version: '1.15' } }],
    ['data missing', goodCtxt(), { method: 'object_backport', version: '2.0', args: { objinst: { 'nova_object.name': 'Instance', 'nova_object.namespace': 'nova', 'nova_object.version': '1.19' }, target_version: '1.15' } }],
    ['version a number', goodCtxt(), { method: 'object_backport', version: '2.0', args: { objinst: instancePrimitive(1.19), target_version: '1.15' } }],
    ['target_version 1.x', goodCtxt(), { method: 'object_backport', version: '2.0', args: { objinst: instancePrimitive('1.19'), target_version: '1.x' } }],
    ['target_version null', goodCtxt(), { method: 'object_backport', version: '2.0', args: { objinst: instancePrimitive('1.19'), target_version: null } }],
    ['args a list', goodCtxt(), { method: 'object_backport', version: '2.0', args: [1, 2] }],
    ['missing argument', goodCtxt(), { method: 'object_backport', version: '2.0', args: { objinst: instancePrimitive('1.19') } }],
    ['unknown argument', goodCtxt(), { method: 'object_backport', version: '2.0', args: { objinst: instancePrimitive('1.19'), target_version: '1.15', bogus: 1 } }],
    ['object_class_action on a list objver', goodCtxt(), { method: 'object_class_action', version: '2.0', args: { objname: 'Instance', objmethod: 'get_by_uuid', objver: ['1.15'], args: [], kwargs: {} } }],
    ['object_class_action args not a list', goodCtxt(), { method: 'object_class_action', version: '2.0', args: { objname: 'Instance', objmethod: 'get_by_uuid', objver: '1.19', args: {}, kwargs: {} } }],
    ['object_action objinst a string', goodCtxt(), { method: 'object_action', version: '2.0', args: { objinst: 'x', objmethod: 'save', args: [], kwargs: {} } }],
    ['object_action unknown method', goodCtxt(), { method: 'object_action', version: '2.0', args: { objinst: instancePrimitive('1.19'), objmethod: 'explode', args: [], kwargs: {} } }],
    ['message version 1.x', goodCtxt(), { method: 'object_backport', version: '2.x', args: {} }],
    ['instance_update updates a list', goodCtxt(), { method: 'instance_update', version: '2.0', args: { instance_uuid: 'u', updates: [1], service: null } }],
  ];

  it.each(cases)('%s', async (_name, ctxt, message) => {
    const c = await cluster('kilo');
    const res = await raw(c, conductor, ctxt, message);
    const text = res.ok ? JSON.stringify(res.value) : `${(res.value as PyException).pyClass}: ${(res.value as Error).message}`;
    expect(text).not.toMatch(JS_WORDS);
    if (!res.ok) expect(res.value).toBeInstanceOf(PyException);
    const logs = c.logs.map((l) => l.message).join('\n');
    expect(logs).not.toMatch(JS_WORDS);
    // conductor keeps serving
    const uuid = (await c.action('api', { action: 'create', name: 'vm2' })) as string;
    expect((await c.db.instance_get_by_uuid(uuid)).vm_state).toBe('active');
  });
});

describe('nova/context.py RequestContext from a dict (2015.1.0)', () => {
  it('roles are kept as given (roles or []), read_deleted is checked, timestamp goes through parse_strtime', () => {
    expect(RequestContext.from_dict({ roles: null }).roles).toEqual([]);
    expect(() => RequestContext.from_dict({ read_deleted: 'maybe' })).toThrow("read_deleted can only be one of 'no', 'yes' or 'only', not u'maybe'");
    expect(() => RequestContext.from_dict({ timestamp: 'yesterday' })).toThrow(
      "time data u'yesterday' does not match format '%Y-%m-%dT%H:%M:%S.%f'",
    );
  });
});

describe('Python 2.7 words for calls the conductor makes on behalf of a message', () => {
  it('object_class_action with args {} binds no positional argument: get_by_uuid() takes ... arguments', async () => {
    const c = await cluster('kilo');
    const res = await raw(c, new Target({ topic: 'conductor', version: '2.0' }), goodCtxt(), {
      method: 'object_class_action',
      version: '2.0',
      args: { objname: 'Instance', objmethod: 'get_by_uuid', objver: '1.19', args: {}, kwargs: {} },
    });
    expect(res.ok).toBe(false);
    expect((res.value as PyException).pyClass).toBe('TypeError');
    expect((res.value as PyException).message.split('\n')[0]).toMatch(/^get_by_uuid\(\) takes at least 3 arguments \(2 given\)/);
  });

  it("object_action on a string: AttributeError: 'unicode' object has no attribute 'obj_clone'", async () => {
    const c = await cluster('kilo');
    const res = await raw(c, new Target({ topic: 'conductor', version: '2.0' }), goodCtxt(), {
      method: 'object_action',
      version: '2.0',
      args: { objinst: 'x', objmethod: 'save', args: [], kwargs: {} },
    });
    expect((res.value as PyException).message.split('\n')[0]).toBe("'unicode' object has no attribute 'obj_clone'");
  });
});
