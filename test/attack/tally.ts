/**
 * The attack suite's tally: every hostile case counts as clean, or as a
 * crash (an unexpected exception), a hang (over its time budget), a leak
 * (a prototype changed) or data lost; refused inputs also count whether
 * the refusal message was clear. Each file prints its table and writes it
 * to test-results/attack/<file>.json; test-results/attack-summary.json
 * holds them all.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface Tally {
  cases: number;
  crashes: number;
  hangs: number;
  leaks: number;
  dataLost: number;
  refused: number;
  clearRefusals: number;
}

export function newTally(): Tally {
  return { cases: 0, crashes: 0, hangs: 0, leaks: 0, dataLost: 0, refused: 0, clearRefusals: 0 };
}

/** Own keys of the built-in prototypes, to notice any change. */
export function prototypeFingerprint(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Reflect.ownKeys(p).map(String).sort().join(','))
    .join('|');
}

/** A refusal is clear when it says what was refused and why in words, with no engine jargon. */
export function isClearMessage(m: string): boolean {
  return m.length >= 20 && m.length <= 400 && !/Maximum call stack|is not a function|Cannot read propert|undefined is not|\[object Object\]|RangeError|TypeError/.test(m);
}

export function report(file: string, t: Tally): void {
  const dir = 'test-results/attack';
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${file}.json`, JSON.stringify(t));
  const all: Record<string, Tally> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) all[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Tally;
  const total = Object.values(all).reduce((a, x) => {
    for (const k of Object.keys(a) as (keyof Tally)[]) a[k] += x[k];
    return a;
  }, newTally());
  writeFileSync('test-results/attack-summary.json', JSON.stringify({ total, files: all }, null, 2));
  const row = (name: string, x: Tally) =>
    [name.padEnd(10), x.cases, x.crashes, x.hangs, x.leaks, x.dataLost, x.refused ? `${((100 * x.clearRefusals) / x.refused).toFixed(1)}% of ${x.refused}` : 'n/a']
      .map((c, i) => (i === 0 ? String(c) : String(c).padStart(i === 6 ? 16 : 7)))
      .join(' ');
  console.log(
    [`attack suite (after ${file})`, `${'file'.padEnd(10)}   cases crashes   hangs   leaks    lost  clear refusals`, ...Object.entries(all).map(([n, x]) => row(n, x)), row('total', total)].join('\n'),
  );
}

/** A small seeded PRNG (mulberry32): the same cases on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
