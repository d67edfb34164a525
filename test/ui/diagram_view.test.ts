import { describe, expect, it } from 'vitest';
import { buildDiagram, type MessageItem } from '../../src/ui/model/diagram';
import { focusOrder, isFailure, nextFailure, NO_FILTER, viewOf } from '../../src/ui/model/diagram_view';
import { diffRuns } from '../../src/ui/model/run_diff';
import { foldRepeats, inspect } from '../../src/ui/model/inspect';
import { buildFixture, FIXTURE } from './fixtures/trace';
import { owningSend } from '../../src/ui/model/trace_index';

const model = buildDiagram(FIXTURE);
const labels = (v: { items: { type: string }[] }) => v.items.filter((i): i is MessageItem => i.type === 'message').map((m) => m.label);

describe('diagram view: search and filters', () => {
  it('is the model itself without a filter', () => {
    const v = viewOf(model, NO_FILTER);
    expect(v.items).toBe(model.items);
    expect(v.hidden).toBe(0);
  });

  it('searches method, service and version, every term', () => {
    expect(labels(viewOf(model, { ...NO_FILTER, query: 'shelve_offload' }))).toEqual(['shelve_offload_instance v4.0', 'shelve_offload_instance v3.0']);
    expect(labels(viewOf(model, { ...NO_FILTER, query: 'shelve_offload 4.0' }))).toEqual(['shelve_offload_instance v4.0']);
    expect(labels(viewOf(model, { ...NO_FILTER, query: 'SCHEDULER' }))).toContain('select_destinations v4.0');
  });

  it('searches the request id from the wire', () => {
    const send = FIXTURE.find((e) => e.kind === 'send' && e.data?.method === 'migrate_server')!;
    const rid = (JSON.parse(String((send.data as { envelope: Record<string, string> }).envelope['oslo.message'])) as Record<string, string>)._context_request_id!;
    const v = viewOf(model, { ...NO_FILTER, query: rid });
    expect(labels(v)).toContain('migrate_server v1.11');
    expect(labels(v).length).toBeLessThan(labels(model).length);
  });

  it('renumbers rows so hidden ones take no room, and keeps replies with their call', () => {
    const v = viewOf(model, { ...NO_FILTER, query: 'migrate_server' });
    expect(v.rows.length).toBeLessThan(model.rows.length);
    const rows = v.items.flatMap((it) => (it.type === 'message' ? [it.row0, it.row1] : [it.row]));
    expect(Math.max(...rows)).toBe(v.rows.length - 1);
    expect(v.items.some((i) => i.type === 'reply' && !i.ok)).toBe(true);
    expect(v.modelRow.every((r, i) => model.rows[r] === v.rows[i])).toBe(true);
  });

  it('shows only failures, only one service, only some outcomes', () => {
    const f = viewOf(model, { ...NO_FILTER, onlyFailures: true });
    expect(f.items.length).toBeGreaterThan(0);
    expect(f.items.every(isFailure)).toBe(true);
    const s = viewOf(model, { ...NO_FILTER, service: 'scheduler' });
    expect(s.items.filter((i): i is MessageItem => i.type === 'message').every((m) => m.from === 'scheduler' || m.to === 'scheduler')).toBe(true);
    const capped = viewOf(model, { ...NO_FILTER, outcomes: ['capped'] });
    const ms = capped.items.filter((i): i is MessageItem => i.type === 'message');
    expect(ms).toHaveLength(model.counts.capped);
    expect(ms.every((m) => m.tags.includes('capped'))).toBe(true);
  });

  it('hides housekeeping', () => {
    // object_backport is the lesson, not housekeeping.
    expect(labels(viewOf(model, { ...NO_FILTER, hideHousekeeping: true }))).toEqual(labels(model));
    const renamed = FIXTURE.map((e) => (e.kind === 'send' && e.data?.method === 'select_destinations' ? { ...e, data: { ...e.data, method: 'object_action' } } : e));
    const m2 = buildDiagram(renamed);
    const v = viewOf(m2, { ...NO_FILTER, hideHousekeeping: true });
    expect(labels(m2).some((l) => l.startsWith('object_action'))).toBe(true);
    expect(labels(v).some((l) => l.startsWith('object_action'))).toBe(false);
    expect(v.items.some((i) => i.type === 'reply' && i.from === 'scheduler')).toBe(false);
    expect(labels(v).length).toBe(labels(m2).length - 1);
  });

  it('jumps between failures in drawing order, one stop per failed message, wrapping around', () => {
    const order = focusOrder(model);
    const seen = new Set<string>();
    const failures = order.filter(isFailure).filter((it) => {
      const key = it.type === 'message' || it.type === 'reply' ? it.send : (owningSend(model.index, it.id)?.id ?? it.id);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    // The rejected v4.0 arrow and its UnsupportedVersion marker are one stop.
    const rejected = order.find((it) => it.type === 'message' && it.outcome === 'rejected')!;
    const marker = order.find((it) => it.type === 'marker' && it.kind === 'dispatch')!;
    expect(owningSend(model.index, marker.id)!.id).toBe((rejected as MessageItem).send);
    expect(nextFailure(model, rejected.id, 1)).not.toBe(marker);
    expect(failures.length).toBeGreaterThan(1);
    expect(nextFailure(model, null, 1)).toBe(failures[0]);
    expect(nextFailure(model, failures[0]!.id, 1)).toBe(failures[1]);
    expect(nextFailure(model, failures[0]!.id, -1)).toBe(failures[failures.length - 1]);
    expect(nextFailure(model, failures[failures.length - 1]!.id, 1)).toBe(failures[0]);
  });
});

describe('run against run', () => {
  it('pairs messages and reports version and outcome changes', () => {
    const before = buildDiagram(buildFixture({ pinned: false }));
    const after = buildDiagram(buildFixture({ pinned: true }));
    const d = diffRuns(before, after);
    expect(d.changed.length + d.added.length + d.removed.length).toBeGreaterThan(0);
    for (const c of d.changed) {
      expect(c.version || c.outcome).toBe(true);
      expect(d.bySend.get(c.after.send)).toBe(c);
    }
    const same = diffRuns(after, after);
    expect(same.changed).toEqual([]);
    expect(same.added).toEqual([]);
    expect(same.removed).toEqual([]);
  });

  it('reports a message sent to another routing key (lesson 1: compute, then compute.compute1)', () => {
    const send = FIXTURE.find((e) => e.kind === 'send' && e.data?.method === 'select_destinations')!;
    const moved = FIXTURE.map((e) => (e.id === send.id ? { ...e, data: { ...e.data, queue: 'scheduler.scheduler' } } : e));
    const d = diffRuns(model, buildDiagram(moved));
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]).toMatchObject({ queue: true, version: false, outcome: false });
    expect(d.changed[0]!.before.queue).toBe('scheduler');
    expect(d.changed[0]!.after.queue).toBe('scheduler.scheduler');
  });

  it('finds the n-th message of a method between the same services', () => {
    const d = diffRuns(model, model);
    expect(d.same).toBe(labels(model).length);
  });
});

describe('inspector decisions', () => {
  it('folds a decision repeated in a row into one line with a count', () => {
    const f = foldRepeats([
      { stage: 'client', tone: 'info', text: "can_send_version('4.0') -> True" },
      { stage: 'client', tone: 'info', text: "can_send_version('4.0') -> True" },
      { stage: 'client', tone: 'info', text: "can_send_version('4.0') -> True" },
      { stage: 'client', tone: 'info', text: "can_send_version('4.0') -> True" },
      { stage: 'send', tone: 'info', text: 'cast x' },
    ]);
    expect(f).toHaveLength(2);
    expect(f[0]!.count).toBe(4);
  });

  it('names the queue a message came through, not a sender', () => {
    const send = FIXTURE.find((e) => e.kind === 'send' && e.data?.method === 'object_backport')!;
    const x = inspect(model.index, send.id)!;
    const dl = x.decisions.find((d) => d.stage === 'deliver')!;
    expect(dl.text).toMatch(/^delivered to conductor via queue /);
  });
});

describe('outcomes', () => {
  it('a message whose handler raised (a bad cap: ValueError) is an error, a refused one stays rejected', () => {
    const send = FIXTURE.find((e) => e.kind === 'send' && e.data?.method === 'select_destinations')!;
    const deliver = FIXTURE.find((e) => e.kind === 'deliver' && e.cause === send.id)!;
    const last = FIXTURE[FIXTURE.length - 1]!;
    const log = { ...deliver, id: 'elog', seq: last.seq + 1, kind: 'log' as const, cause: deliver.id, text: 'ValueError', data: { level: 'error', message: "Exception during message handling: invalid literal for int() with base 10: 'kilp'" } };
    const m = buildDiagram([...FIXTURE, log]);
    const msg = m.items.find((i): i is MessageItem => i.type === 'message' && i.send === send.id)!;
    expect(msg.tags).toContain('error');
    expect(m.counts.error).toBe(model.counts.error + 1);
    const rejected = m.items.find((i): i is MessageItem => i.type === 'message' && i.outcome === 'rejected')!;
    expect(rejected.tags).not.toContain('error');
  });
});
