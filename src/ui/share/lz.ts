/**
 * lz-string's `decompressFromEncodedURIComponent` with a cap on the output,
 * checked while decompressing. LZ codes can refer to ever longer dictionary
 * entries, so a link of 150 k characters can unpack to gigabytes: checking
 * the size afterwards froze the page for seconds and took gigabytes of
 * memory. This decoder stops as soon as the output passes `maxChars`.
 *
 * The algorithm follows lz-string 1.5.0 (MIT licence, (c) 2013 pieroxy),
 * with the bit reader factored out; it decodes exactly what
 * `LZString.compressToEncodedURIComponent` produces (a test checks it).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

export type LzResult = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'damaged' | 'bad-character'; detail?: string };

export function decompressCapped(input: string, maxChars: number): LzResult {
  input = input.replace(/ /g, '+');
  if (input === '') return { ok: false, reason: 'damaged' };
  for (let i = 0; i < input.length; i++) {
    if (!VALUE.has(input[i]!)) return { ok: false, reason: 'bad-character', detail: JSON.stringify(input[i]) };
  }
  const length = input.length;
  // 6 bits per character, most significant first.
  let val = VALUE.get(input[0]!)!;
  let position = 32;
  let index = 1;
  const read = (n: number): number => {
    let bits = 0;
    for (let power = 1, max = 1 << n; power !== max; power <<= 1) {
      const b = val & position;
      position >>= 1;
      if (position === 0) {
        position = 32;
        val = index < length ? VALUE.get(input[index]!)! : 0;
        index += 1;
      }
      if (b > 0) bits |= power;
    }
    return bits;
  };

  const dictionary: string[] = ['', '', ''];
  let enlargeIn = 4;
  let dictSize = 4;
  let numBits = 3;
  let out = 0;
  const result: string[] = [];

  const first = read(2);
  if (first === 2) return { ok: true, text: '' };
  if (first !== 0 && first !== 1) return { ok: false, reason: 'damaged' };
  let w = String.fromCharCode(read(first === 0 ? 8 : 16));
  dictionary[3] = w;
  result.push(w);
  out = 1;
  for (;;) {
    if (index > length) return { ok: false, reason: 'damaged' };
    let c = read(numBits);
    if (c === 0 || c === 1) {
      dictionary[dictSize++] = String.fromCharCode(read(c === 0 ? 8 : 16));
      c = dictSize - 1;
      enlargeIn -= 1;
    } else if (c === 2) {
      return { ok: true, text: result.join('') };
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
    let entry: string;
    if (c < dictSize && dictionary[c]) entry = dictionary[c]!;
    else if (c === dictSize) entry = w + w.charAt(0);
    else return { ok: false, reason: 'damaged' };
    out += entry.length;
    // The cap, checked before the entry is kept: nothing beyond it is ever built.
    if (out > maxChars) return { ok: false, reason: 'too-large' };
    result.push(entry);
    dictionary[dictSize++] = w + entry.charAt(0);
    enlargeIn -= 1;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
  }
}
