import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdSource } from '../../src/runtime/ids';

/** The ids as they were first defined: each word through toString(16), padded to eight digits. */
function referenceHex(source: IdSource, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(source.next() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

describe('seeded ids', () => {
  it('give the same hex digits as the word-by-word definition, draw after draw, for any seed and length', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), (seed, lengths) => {
        const fast = new IdSource(seed);
        const ref = new IdSource(seed);
        for (const n of lengths) expect(fast.hex(n)).toBe(referenceHex(ref, n));
      }),
    );
  });

  it('keep uuid4 form and the same sequence for the same seed', () => {
    const a = new IdSource('seed');
    const b = new IdSource('seed');
    const ids = Array.from({ length: 5 }, () => a.uuid());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Array.from({ length: 5 }, () => b.uuid())).toEqual(ids);
  });
});
