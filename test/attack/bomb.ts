/**
 * Builds a share-link decompression bomb: a valid lz-string stream of the
 * URI-safe alphabet whose every code repeats the previous entry plus one
 * character, so `n` codes unpack to about n²/2 characters.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

export function lzBomb(targetChars: number): string {
  const bits: number[] = [];
  const put = (value: number, n: number) => {
    for (let i = 0; i < n; i++) bits.push((value >> i) & 1);
  };
  // First: a literal 8-bit character 'a' (code 0 in 2 bits).
  put(0, 2);
  put(97, 8);
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  // Each code names the entry being built (w + w[0]): the output grows by one more character each time.
  while (Math.ceil(bits.length / 6) < targetChars - 4) {
    put(dictSize, numBits);
    dictSize += 1;
    enlargeIn -= 1;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
  }
  put(2, numBits); // end of stream
  while (bits.length % 6) bits.push(0);
  let out = '';
  for (let i = 0; i < bits.length; i += 6) {
    let v = 0;
    for (let j = 0; j < 6; j++) v = (v << 1) | bits[i + j]!;
    out += ALPHABET[v];
  }
  return out;
}
