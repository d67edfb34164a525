/**
 * Deterministic ids: a seeded generator per service incarnation gives the
 * uuids, request ids and message ids that real nova draws at random, so a
 * scenario yields the same wire bytes on every run.
 */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class IdSource {
  private state: number;

  constructor(seed: string) {
    this.state = hashString(seed) || 1;
  }

  /** mulberry32: the next 32-bit word. */
  private word(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.word() / 4294967296;
  }

  /**
   * `length` hex digits, eight per word, most significant first. Built from
   * a byte table: a message draws two or three ids, and formatting them with
   * toString(16) and padStart was about an eighth of an in-process RPC call.
   */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const w = this.word();
      out += BYTE_HEX[w >>> 24]! + BYTE_HEX[(w >>> 16) & 255]! + BYTE_HEX[(w >>> 8) & 255]! + BYTE_HEX[w & 255]!;
    }
    return out.length === length ? out : out.slice(0, length);
  }

  /** uuid4().hex */
  hex32(): string {
    return this.hex(32);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  request_id(): string {
    return `req-${this.uuid()}`;
  }
}
