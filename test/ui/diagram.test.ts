import { describe, expect, it } from 'vitest';
import { buildDiagram, type MessageItem } from '../../src/ui/model/diagram';
import { findObjects, inspect } from '../../src/ui/model/inspect';
import { FIXTURE } from './fixtures/trace';

const model = buildDiagram(FIXTURE);
const messages = model.items.filter((i): i is MessageItem => i.type === 'message');
const byLabel = (label: string) => messages.filter((m) => m.label === label);

describe('trace -> sequence diagram', () => {
  it('has a lane for the user and for every service', () => {
    expect(model.lanes.map((l) => l.id)).toEqual(['user', 'api', 'conductor', 'scheduler', 'compute1', 'compute2']);
    expect(model.lanes.find((l) => l.id === 'compute1')).toMatchObject({ release: 'juno', binary: 'nova-compute' });
  });

  it('draws one arrow per message, send -> deliver', () => {
    const sends = FIXTURE.filter((e) => e.kind === 'send');
    expect(messages).toHaveLength(sends.length);
    const [v4] = byLabel('shelve_offload_instance v4.0');
    expect(v4).toMatchObject({ from: 'api', to: 'compute1', delivered: true, rpc: 'cast' });
    expect(v4!.row1).toBeGreaterThan(v4!.row0);
  });

  it('colours by outcome', () => {
    expect(byLabel('shelve_offload_instance v4.0')[0]!.outcome).toBe('rejected');
    const v3 = byLabel('shelve_offload_instance v3.0')[0]!;
    expect(v3.outcome).toBe('backported');
    expect(v3.tags).toEqual(['backported', 'capped']);
    expect(byLabel('build_and_run_instance v3.33')[0]!.tags).toEqual(['backported', 'capped']);
    expect(byLabel('object_backport v2.0').every((m) => m.outcome === 'ok')).toBe(true);
    expect(byLabel('select_destinations v4.0')[0]!.outcome).toBe('ok');
    expect(byLabel('migrate_server v1.11')[0]!.outcome).toBe('error');
    const waiting = byLabel('check_can_live_migrate_destination v3.32')[0]!;
    expect(waiting).toMatchObject({ delivered: false, to: 'compute2', outcome: 'error' });
    expect(waiting.tags).toContain('queued');
  });

  it('draws replies, refusals and markers', () => {
    const replies = model.items.filter((i) => i.type === 'reply');
    expect(replies.map((r) => [r.from, r.to, r.ok])).toEqual([
      ['conductor', 'compute1', true],
      ['scheduler', 'conductor', true],
      ['conductor', 'compute1', true],
      ['conductor', 'api', false],
    ]);
    const refused = model.items.filter((i) => i.type === 'refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ from: 'api' });
    const markers = model.items.filter((i) => i.type === 'marker');
    expect(markers.some((m) => m.kind === 'dispatch' && m.tone === 'error' && m.lane === 'compute1')).toBe(true);
    expect(markers.some((m) => m.kind === 'object' && m.label === 'Instance 1.19 > 1.15')).toBe(true);
    expect(markers.some((m) => m.kind === 'queued' && m.lane === 'compute2')).toBe(true);
    expect(model.counts.rejected).toBe(1);
  });

  it('stays linear on a few thousand events', () => {
    const big = [];
    for (let k = 0; k < 60; k++) for (const e of FIXTURE) big.push({ ...e, id: `${e.id}_${k}`, cause: e.cause ? `${e.cause}_${k}` : undefined, seq: big.length + 1, data: e.data?.call ? { ...e.data, call: `${String(e.data.call)}_${k}` } : e.data });
    const t0 = performance.now();
    const m = buildDiagram(big);
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(m.items.filter((i) => i.type === 'message')).toHaveLength(messages.length * 60);
  });
});

describe('inspector', () => {
  it('collects the decisions of a capped, backported message', () => {
    const send = FIXTURE.find((e) => e.kind === 'send' && e.data?.method === 'shelve_offload_instance' && e.data?.version === '3.0')!;
    const x = inspect(model.index, send.id)!;
    expect(x.title).toBe('cast shelve_offload_instance v3.0');
    expect(x.data!.version).toBe('3.0');
    const texts = x.decisions.map((d) => d.text);
    expect(texts).toContain("can_send_version('4.0') -> False (version_cap 3.35)");
    expect(texts).toContain("can_send_version('3.37') -> False (version_cap 3.35)");
    expect(texts).toContain('IncompatibleObjectVersion: Instance 1.19 > 1.15 -> object_backport');
    expect(texts.some((t) => t.startsWith('→ call object_backport v2.0 to conductor (reply ok)'))).toBe(true);
    expect(texts).toContain('Instance 1.19 backported to 1.15');
    expect(texts.some((t) => t.startsWith('dispatched to ComputeManager (endpoint 3.35)'))).toBe(true);
    expect(x.decisions.find((d) => d.text.startsWith("can_send_version('4.0')"))!.tone).toBe('warn');
    expect(x.context.map(([k]) => k)).toContain('_context_request_id');
    expect(x.objects).toEqual([{ path: 'instance', name: 'Instance', version: '1.19', namespace: 'nova' }, { path: 'instance.flavor', name: 'Flavor', version: '1.1', namespace: 'nova' }]);
  });

  it('explains a rejected message', () => {
    const send = FIXTURE.find((e) => e.kind === 'send' && e.data?.version === '4.0' && e.data?.method === 'shelve_offload_instance')!;
    const x = inspect(model.index, send.id)!;
    expect(x.outcome).toBe('rejected');
    expect(x.decisions.map((d) => d.text)).toContain("UnsupportedVersion: compute1's ComputeManager speaks 3.35, the message is 4.0");
  });

  it('a reply, a deliver or an object event open their message', () => {
    const reply = FIXTURE.find((e) => e.kind === 'reply' && e.data?.ok === false)!;
    const x = inspect(model.index, reply.id)!;
    expect(x.title).toBe('call migrate_server v1.11');
    const fail = x.decisions.find((d) => d.stage === 'reply')!;
    expect(fail.tone).toBe('error');
    expect(fail.text).toMatch(/^reply failure from conductor: MigrationError/);
    expect(fail.detail!.join('\n')).toMatch(/Traceback/);
    const obj = FIXTURE.find((e) => e.kind === 'object')!;
    expect(inspect(model.index, obj.id)!.send!.kind).toBe('send');
  });

  it('explains a refusal at the client', () => {
    const r = FIXTURE.find((e) => e.kind === 'refused')!;
    const x = inspect(model.index, r.id)!;
    expect(x.outcome).toBe('rejected');
    expect(x.decisions.at(-1)!.text).toMatch(/nothing was sent/);
  });

  it('finds nested object primitives', () => {
    expect(findObjects({ instances: [{ 'nova_object.name': 'Instance', 'nova_object.version': '1.19', 'nova_object.data': {} }] })).toEqual([{ path: 'instances[0]', name: 'Instance', version: '1.19', namespace: undefined }]);
  });
});
