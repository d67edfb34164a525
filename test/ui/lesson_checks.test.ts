/** A failed goal check in words (src/ui/lessons/checks.ts): expected vs observed, and the event to show. */
import { describe, expect, it } from 'vitest';
import { explainCheck } from '../../src/ui/lessons/checks';
import type { Expectation, ExpectationResult } from '../../src/runtime/scenario';
import type { TraceEvent } from '../../src/runtime/trace';

const ev = (id: string, kind: string, service: string, text: string, data: Record<string, unknown> = {}): TraceEvent => ({ id, seq: Number(id.slice(1)), time: 0, kind: kind as TraceEvent['kind'], service, text, data });
const res = (x: Expectation, detail: string): ExpectationResult => ({ expectation: x, ok: false, detail });

const events = [
  ev('e1', 'send', 'api', 'cast stop_instance v4.0 -> compute', { method: 'stop_instance', version: '4.0', queue: 'compute' }),
  ev('e2', 'dispatch', 'compute1', 'UnsupportedVersion', { outcome: 'UnsupportedVersion' }),
  ev('e3', 'dispatch', 'compute1', 'UnsupportedVersion', { outcome: 'UnsupportedVersion' }),
];

describe('explainCheck', () => {
  it('says how many events were wanted and seen, in both languages', () => {
    const x: Expectation = { expect: 'event', match: { kind: 'send', method: 'stop_instance', queue: 'compute.compute1' }, count: 1 };
    expect(explainCheck(x, res(x, ''), events, 'en')).toEqual({ text: 'Expected exactly 1 such event(s); the run had 0. Events like it had queue compute, not compute.compute1. The first one:', eventId: 'e1' });
    expect(explainCheck(x, res(x, ''), events, 'zh-CN').text).toBe('期望恰好 1 个这样的事件，这次运行有 0 个。相近的事件中 queue 是 compute，而不是 compute.compute1。第一个是：');
    const none: Expectation = { expect: 'event', match: { kind: 'timeout', service: 'api' }, min: 1 };
    expect(explainCheck(none, res(none, ''), events, 'en')).toEqual({ text: 'Expected at least 1 such event(s); the run had 0.' });
  });

  it('points at the first offending event of a no_event check', () => {
    const x: Expectation = { expect: 'no_event', match: { kind: 'dispatch', outcome: 'UnsupportedVersion' } };
    const r = explainCheck(x, res(x, 'unexpected: e2 UnsupportedVersion'), events, 'en');
    expect(r.eventId).toBe('e2');
    expect(r.text).toMatch(/Expected none; the run had 2/);
  });

  it('turns an instance mismatch into expected vs observed', () => {
    const x: Expectation = { expect: 'instance', server: 'vm1', vm_state: 'paused', task_state: null };
    const r = explainCheck(x, res(x, 'vm1: vm_state active (wanted paused), task_state pausing (wanted null)'), [], 'en');
    expect(r.text).toBe('vm1: expected vm_state paused, the database says active. vm1: expected task_state None, the database says pausing.');
  });

  it('names the message a wire check failed on', () => {
    const x: Expectation = { expect: 'wire', match: { kind: 'send', method: 'stop_instance' }, lacks: 'clean_shutdown' };
    const r = explainCheck(x, res(x, 'the 1 message(s) matching kind="send": e1 does not satisfy: lacks "clean_shutdown"'), events, 'en');
    expect(r).toEqual({ text: 'Expected no such message to contain "clean_shutdown"; this one does:', eventId: 'e1' });
  });
});
