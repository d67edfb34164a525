/**
 * Hostile share links through the real decoder and validator (Node):
 * the links from the attack round, then a few hundred seeded fuzz cases.
 * Every case must come back as a result (no exception), fast, with no
 * prototype changed, and a refusal must say clearly what and why.
 */
import { afterAll, describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { decodeShare, MAX_STATE_CHARS, type DecodeResult } from '../../src/ui/share/state';
import { decompressCapped } from '../../src/ui/share/lz';
import { parseScenario } from '../../src/runtime/scenario_schema';
import { FORBIDDEN_NAMES } from '../../src/runtime/untrusted';
import { lzBomb } from './bomb';
import { isClearMessage, newTally, prototypeFingerprint, report, rng } from './tally';

const tally = newTally();
afterAll(() => report('links', tally));

const enc = (o: unknown) => LZString.compressToEncodedURIComponent(JSON.stringify(o));
const sandbox = (steps: unknown[], services: unknown[] = [{ id: 'api', binary: 'nova-api', release: 'juno' }]) => ({ v: 1, mode: 'sandbox', services, steps });

/** Decode one link as the app does, and count what happened. */
function attempt(payload: string, budgetMs = 5000): DecodeResult {
  tally.cases += 1;
  const before = prototypeFingerprint();
  const t0 = performance.now();
  let r: DecodeResult;
  try {
    r = decodeShare(payload);
  } catch (err) {
    tally.crashes += 1;
    throw err;
  }
  if (performance.now() - t0 > budgetMs) tally.hangs += 1;
  if (prototypeFingerprint() !== before || ({} as { polluted?: unknown }).polluted !== undefined) tally.leaks += 1;
  if (!r.ok) {
    tally.refused += 1;
    if (isClearMessage(r.error) && /^The share link/.test(r.error)) tally.clearRefusals += 1;
  }
  return r;
}

function refused(payload: string, why: RegExp): string {
  const r = attempt(payload);
  expect(r.ok, `should be refused: ${JSON.stringify(r).slice(0, 200)}`).toBe(false);
  const error = (r as { error: string }).error;
  expect(error).toMatch(why);
  expect(isClearMessage(error), error).toBe(true);
  return error;
}

/** No key anywhere in an accepted state may be a prototype name. */
function noForbiddenKeys(v: unknown): void {
  if (typeof v !== 'object' || v === null) return;
  for (const k of Reflect.ownKeys(v)) {
    expect(FORBIDDEN_NAMES.has(String(k)), `key ${String(k)}`).toBe(false);
    noForbiddenKeys((v as Record<string, unknown>)[k as string]);
  }
}

describe('attack: share links from the attack round', () => {
  it('the prototype-polluting link of the report is refused and pollutes nothing', () => {
    const link =
      'N4IgbiBcCMA0IFsD2ATAplEBnAhgOxQCMkAPEeLNAJzAEsBjNLKAbVFpUxwAdbyRCtPDioBPTHiRgcAWh594VNABs0OSpgBWAV0kgAvgF0KAFzTdmkNiBRJM9JHgBmtAObal-SjQYZIIeS80ehNaR0wAfQjuKiQTJCj+JG5Q8P9uJGVlbTNOeGlsvxBRJgNDfSA';
    refused(link, /section "__proto__" is a reserved name/);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('configure steps with prototype names, non-text values or code are refused', () => {
    refused(enc(sandbox([{ do: 'configure', service: 'api', section: 'constructor', option: 'keys', value: 'x' }])), /reserved name/);
    refused(enc(sandbox([{ do: 'configure', service: 'api', section: 'DEFAULT', option: 'prototype', value: 'x' }])), /reserved name/);
    refused(enc(sandbox([{ do: 'configure', service: 'api', section: '__proto__', option: 'code', value: { 'nova/compute/manager': 'self.x=1' } }])), /reserved name|must be text/);
    refused(enc(sandbox([{ do: 'configure', service: 'api', section: 'DEFAULT', option: 'code', value: { a: 'b' } }])), /value must be text or null, not an object/);
    refused(enc(sandbox([{ do: 'configure', service: 'api', section: 'DEFAULT', option: 42, value: 'x' }])), /option must be a name/);
  });

  it('services and files with prototype names, code or raised limits are refused', () => {
    refused(enc(sandbox([], [JSON.parse('{"id":"api","binary":"nova-api","release":"juno","conf":{"__proto__":{"code":"x"}}}')])), /reserved name/);
    refused(enc(sandbox([{ do: 'add_service', service: { id: 'c9', binary: 'nova-compute', release: 'kilo', code: { m: 'x' } } }])), /code is refused/);
    refused(enc(sandbox([{ do: 'add_service', service: { id: 'c9', binary: 'nova-compute', release: 'kilo', maxPublishesPerStep: 1e9 } }])), /maxPublishesPerStep is refused/);
    refused(enc({ v: 1, mode: 'lesson', lesson: 'x', files: JSON.parse('{"__proto__":"x"}') }), /bad file path/);
    refused(enc({ v: 1, mode: 'lesson', lesson: 'x', files: { 'a/constructor': 'x' } }), /bad file path/);
    refused(enc(JSON.parse('{"v":1,"mode":"lesson","__proto__":{"polluted":"yes"}}')), /unexpected key "__proto__"/);
  });

  it('steps whose values have the wrong type are refused (they used to break rendering)', () => {
    for (const text of [42, null, {}, ['x']]) refused(enc(sandbox([{ do: 'note', text }])), /text must be text|text is required/);
    refused(enc(sandbox([{ do: 'action', action: 'create', name: { toString: 1 } }])), /name must be text, not an object/);
    refused(enc(sandbox([{ do: 'action', action: 'reboot', server: 'vm1', reboot_type: 'NOW' }])), /SOFT or HARD/);
    refused(enc(sandbox([{ do: 'wait', seconds: '5' }])), /seconds must be a number/);
    refused(enc(sandbox([{ do: 'upgrade', service: 'api', release: 'kilo', extra: 1 }])), /unexpected key "extra"/);
  });

  it('deeply nested and oversized states are refused with a clear message, not a stack overflow', () => {
    // Built as text: JSON.stringify itself cannot write something this deep.
    const deep = `${'['.repeat(20_000)}"x"${']'.repeat(20_000)}`;
    refused(LZString.compressToEncodedURIComponent(`{"v":1,"mode":"sandbox","services":[{"id":"api","binary":"nova-api","release":"juno"}],"steps":[{"do":"note","text":${deep}}]}`), /nested more than \d+ levels/);
    const obj = `${'{"a":'.repeat(5_000)}{}${'}'.repeat(5_000)}`;
    refused(LZString.compressToEncodedURIComponent(`{"v":1,"mode":"lesson","files":${obj}}`), /nested more than/);
    refused('A'.repeat(250_000), /too long/);
  });

  // How fast is for the benchmarks; here: the capped decoder stops at the cap instead of unpacking it all.
  it('a 149 k-character decompression bomb is refused at the cap, without unpacking it', () => {
    const bomb = lzBomb(149_000);
    expect(bomb.length).toBeGreaterThan(148_000);
    const error = refused(bomb, new RegExp(`unpacks to more than ${MAX_STATE_CHARS}`));
    expect(error).toMatch(/refused/);
  });

  it('the capped decoder reads exactly what lz-string writes', () => {
    const next = rng(7);
    for (let i = 0; i < 60; i++) {
      const text = Array.from({ length: Math.floor(next() * 3000) }, () => String.fromCharCode(next() < 0.8 ? 32 + Math.floor(next() * 90) : Math.floor(next() * 0xffff))).join('');
      const r = decompressCapped(LZString.compressToEncodedURIComponent(text), 1e7);
      expect(r.ok && r.text === text).toBe(true);
    }
    expect(decompressCapped('A!B', 100)).toMatchObject({ ok: false, reason: 'bad-character' });
  });
});

// --- fuzz --------------------------------------------------------------------------------------

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'code', 'kind', 'maxPublishesPerStep', 'toString', 'valueOf', 'x', ''];
const STEP_KINDS = ['action', 'upgrade', 'stop', 'start', 'restart', 'configure', 'add_service', 'wait', 'note', 'eval'];

function hostileValue(next: () => number, depth = 0): unknown {
  const r = next();
  if (depth > 3 || r < 0.3) return [42, -1, 1e308, null, true, '', 'juno', 'api', '__proto__', 'x'.repeat(3000), NaN][Math.floor(next() * 11)];
  if (r < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => hostileValue(next, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 4); i > 0; i--) o[HOSTILE_KEYS[Math.floor(next() * HOSTILE_KEYS.length)]!] = hostileValue(next, depth + 1);
  if (next() < 0.3) o['toString'] = 1;
  return o;
}

function hostileStep(next: () => number): Record<string, unknown> {
  const base: Record<string, unknown> = { do: STEP_KINDS[Math.floor(next() * STEP_KINDS.length)], service: next() < 0.7 ? 'api' : hostileValue(next) };
  for (const k of ['section', 'option', 'value', 'text', 'name', 'action', 'seconds', 'release']) if (next() < 0.35) base[k] = next() < 0.4 ? ['DEFAULT', 'host', 'create', 'kilo', 5][Math.floor(next() * 5)] : hostileValue(next);
  if (next() < 0.2) base[HOSTILE_KEYS[Math.floor(next() * HOSTILE_KEYS.length)]!] = hostileValue(next);
  return base;
}

/** JSON text with `__proto__` kept as an own key (as a real link's JSON would have it). */
function toJson(o: unknown): string {
  return JSON.stringify(o, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? 1e400 : v)).replace(/"x__proto__"/g, '"__proto__"');
}

describe('attack: fuzzed share links (seeded)', () => {
  it('400 hostile states: none throws, hangs or pollutes; refusals are clear; what is accepted is clean', () => {
    const next = rng(1048);
    let accepted = 0;
    for (let i = 0; i < 400; i++) {
      const state: Record<string, unknown> =
        next() < 0.5
          ? { v: 1, mode: 'sandbox', services: [{ id: 'api', binary: 'nova-api', release: 'juno', ...(next() < 0.3 ? { conf: hostileValue(next) } : {}) }], steps: Array.from({ length: 1 + Math.floor(next() * 3) }, () => hostileStep(next)) }
          : { v: next() < 0.9 ? 1 : hostileValue(next), mode: next() < 0.9 ? 'lesson' : 'sandbox', lesson: next() < 0.8 ? 'pin-the-compute-api' : hostileValue(next), files: next() < 0.8 ? { 'nova/compute/rpcapi.ts': 'x', [next() < 0.3 ? 'x__proto__' : 'conf/api.conf']: next() < 0.8 ? '[DEFAULT]\n' : hostileValue(next) } : hostileValue(next) };
      if (next() < 0.15) state[HOSTILE_KEYS[Math.floor(next() * HOSTILE_KEYS.length)]!] = hostileValue(next);
      const r = attempt(LZString.compressToEncodedURIComponent(toJson(state)));
      if (r.ok) {
        accepted += 1;
        noForbiddenKeys(r.state);
        if (r.state.services) parseScenario({ title: 't', services: r.state.services, steps: r.state.steps ?? [] });
        for (const st of r.state.steps ?? []) if (st.do === 'note') expect(typeof st.text).toBe('string');
      }
    }
    expect(tally.crashes + tally.hangs + tally.leaks).toBe(0);
    expect(accepted).toBeGreaterThan(0);
  });

  it('300 damaged links (valid ones with characters flipped, dropped, added or cut) never throw or hang', () => {
    const next = rng(2026);
    const good = enc(sandbox([{ do: 'action', action: 'create', name: 'vm1' }, { do: 'configure', service: 'api', section: 'upgrade_levels', option: 'compute', value: 'juno' }]));
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$ %#!';
    for (let i = 0; i < 300; i++) {
      const a = [...good];
      const n = 1 + Math.floor(next() * 4);
      for (let j = 0; j < n; j++) {
        const at = Math.floor(next() * a.length);
        const op = next();
        if (op < 0.4) a[at] = chars[Math.floor(next() * chars.length)]!;
        else if (op < 0.6) a.splice(at, 1);
        else if (op < 0.8) a.splice(at, 0, chars[Math.floor(next() * chars.length)]!);
        else a.length = at;
      }
      const r = attempt(a.join(''));
      if (r.ok) noForbiddenKeys(r.state);
    }
    expect(tally.crashes + tally.hangs + tally.leaks).toBe(0);
    expect(tally.clearRefusals).toBe(tally.refused);
  });
});
