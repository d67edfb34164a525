/**
 * Hostile and failing browser storage (a stand-in localStorage in Node):
 * damaged values of every key the app reads are set aside, not fatal; a
 * full storage reports the failed save with the text to keep.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { asideKey, editKey, load, onStorageProblem, save, type StorageProblem } from '../../src/ui/util/storage';
import { isClearMessage, newTally, prototypeFingerprint, report, rng } from './tally';
import { t } from '../../src/ui/i18n';

const tally = newTally();
afterAll(() => report('storage', tally));

/** A localStorage with a quota, as a browser's. */
class FakeStorage {
  data = new Map<string, string>();
  constructor(public quota = Infinity) {}
  get length() {
    return this.data.size;
  }
  getItem(k: string) {
    return this.data.has(k) ? this.data.get(k)! : null;
  }
  setItem(k: string, v: string) {
    const used = [...this.data].reduce((n, [a, b]) => n + a.length + b.length, 0) - (this.data.get(k)?.length ?? 0);
    if (used + k.length + v.length > this.quota) {
      const e = new Error("Failed to execute 'setItem' on 'Storage': Setting the value exceeded the quota.");
      e.name = 'QuotaExceededError';
      throw e;
    }
    this.data.set(k, String(v));
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
  key(i: number) {
    return [...this.data.keys()][i] ?? null;
  }
  clear() {
    this.data.clear();
  }
}

let store: FakeStorage;
const problems: StorageProblem[] = [];
onStorageProblem((p) => problems.push(p));
beforeEach(() => {
  store = new FakeStorage();
  (globalThis as { localStorage?: unknown }).localStorage = store;
  problems.length = 0;
});

/** What the app reads at start, with the fallbacks it passes. */
const READS: [string, unknown][] = [
  ['solved', []],
  [editKey('03-pin-the-compute-api', 'conf/api.conf'), null],
  ['lastLesson', null],
  ['layout:left', 300],
  ['theme', null],
];
const HOSTILE = ['5', '{}', 'null', '"x"', '[1,2]', '{"__proto__":{"polluted":1}}', 'not json', '', '[', '{"length":1e9}', `"${'x'.repeat(10)}"`, 'true', '[[[[[[[[[[]]]]]]]]]]', '1e999'];

describe('attack: damaged saved values', () => {
  it('every hostile value of every key: the default is used, the value is set aside, the user is told', () => {
    for (const [key, fallback] of READS) {
      for (const raw of HOSTILE) {
        store.clear();
        problems.length = 0;
        store.setItem(`nul:${key}`, raw);
        tally.cases += 1;
        const before = prototypeFingerprint();
        let v: unknown;
        try {
          v = load(key, fallback);
        } catch (err) {
          tally.crashes += 1;
          throw err;
        }
        if (prototypeFingerprint() !== before || ({} as { polluted?: unknown }).polluted !== undefined) tally.leaks += 1;
        if (store.getItem(`nul:${key}`) === raw) {
          // Kept: it must be what the app expects under this key.
          const expected = key === 'solved' ? Array.isArray(v) : key === 'layout:left' ? typeof v === 'number' : key === 'theme' ? v === 'light' || v === 'dark' : typeof v === 'string';
          expect(expected, `${key}=${raw} kept as ${JSON.stringify(v)}`).toBe(true);
          continue;
        }
        // Refused: the default is used, the value is kept aside (nothing is lost), and the user is told.
        tally.refused += 1;
        expect(v).toBe(fallback);
        if (store.getItem(`nul:${asideKey(key)}`) !== raw) tally.dataLost += 1;
        expect(store.getItem(`nul:${asideKey(key)}`), `${key}=${raw} set aside`).toBe(raw);
        expect(problems).toContainEqual({ kind: 'set-aside', key, aside: asideKey(key) });
        if (isClearMessage(t('safety.set-aside', { key, aside: asideKey(key) }))) tally.clearRefusals += 1;
      }
    }
    expect(tally.crashes + tally.leaks + tally.dataLost).toBe(0);
  });

  it('a corrupted `solved` (the value that blanked the app) loads as "nothing solved yet"', () => {
    store.setItem('nul:solved', '{"0":"01-anatomy"}');
    const solved = load<string[]>('solved', []);
    expect(() => new Set(solved)).not.toThrow();
    expect([...new Set(solved)]).toEqual([]);
  });

  it('a saved edit that is not text is set aside, and the start file is used', () => {
    const key = editKey('03-pin-the-compute-api', 'nova/compute/rpcapi.ts');
    store.setItem(`nul:${key}`, '{"text":"export class X {}"}');
    expect(load<string | null>(key, null)).toBeNull();
    expect(store.getItem(`nul:${asideKey(key)}`)).toBe('{"text":"export class X {}"}');
  });
});

describe('attack: a full storage', () => {
  it('a failed save says so and hands over the text to keep; nothing is claimed saved', () => {
    const next = rng(8);
    store.quota = 2000;
    const key = editKey('03-pin-the-compute-api', 'conf/api.conf');
    for (let i = 0; i < 40; i++) {
      tally.cases += 1;
      problems.length = 0;
      const text = `[upgrade_levels]\ncompute = juno\n# ${'x'.repeat(Math.floor(next() * 4000))}`;
      const ok = save(key, text);
      const fitted = JSON.stringify(text).length + `nul:${key}`.length <= 2000;
      expect(ok).toBe(fitted);
      if (!ok) {
        tally.refused += 1;
        expect(problems).toEqual([{ kind: 'save-failed', key, value: text, reason: 'quota' }]);
        const msg = t('safety.save-failed', { path: 'conf/api.conf', why: t('safety.why-quota') });
        if (isClearMessage(msg)) tally.clearRefusals += 1;
        else tally.dataLost += 1;
      } else {
        expect(load(key, null)).toBe(text);
      }
    }
    expect(tally.dataLost).toBe(0);
  });

  it('problems before anyone listens are kept for the first listener (the first render reads storage)', () => {
    store.quota = 0;
    const seen: StorageProblem[] = [];
    // The module-level listener above is registered: add a late one and check it gets later problems.
    save('layout:left', 300);
    const off = onStorageProblem((p) => seen.push(p));
    save('layout:left', 310);
    off();
    expect(seen.at(-1)).toMatchObject({ kind: 'save-failed', key: 'layout:left', value: 310 });
  });
});
