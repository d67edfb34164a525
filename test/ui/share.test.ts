import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import LZString from 'lz-string';
import { decodeShare, encodeShare, shareFragment, type ShareState } from '../../src/ui/share/state';

const lessonState: ShareState = {
  v: 1,
  mode: 'lesson',
  lesson: '03-upgrade-levels',
  files: { 'nova/compute/rpcapi.ts': 'export class ComputeAPI {}\n// ünïcödé ✓', 'conf/api.conf': '[upgrade_levels]\ncompute = juno\n' },
  seed: 'abc',
};

describe('share links', () => {
  it('round-trip a lesson state and a sandbox state', () => {
    expect(decodeShare(shareFragment(lessonState))).toEqual({ ok: true, state: lessonState });
    const sandbox: ShareState = {
      v: 1,
      mode: 'sandbox',
      services: [
        { id: 'api', binary: 'nova-api', release: 'kilo', conf: { upgrade_levels: { compute: 'juno' } } },
        { id: 'compute1', binary: 'nova-compute', release: 'juno' },
      ],
      steps: [{ do: 'action', action: 'create', name: 'vm1' }, { do: 'upgrade', service: 'compute1', release: 'kilo' }],
    };
    expect(decodeShare(encodeShare(sandbox))).toEqual({ ok: true, state: sandbox });
  });

  it('round-trip any file contents', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,8}\/[a-z]{1,8}\.ts$/), fc.string({ maxLength: 300 }), { maxKeys: 5 }), (files) => {
        const s: ShareState = { v: 1, mode: 'lesson', lesson: 'x', files };
        const d = decodeShare(encodeShare(s));
        return d.ok && JSON.stringify(d.state.files) === JSON.stringify(files);
      }),
    );
  });

  it('explain truncated, corrupted, empty and oversized links', () => {
    const good = encodeShare(lessonState);
    const mid = Math.floor(good.length / 2);
    const flipped = good.slice(0, mid) + (good[mid] === 'A' ? 'B' : 'A') + good.slice(mid + 1);
    for (const bad of [good.slice(0, mid), 'garbage!!', '', 'x'.repeat(300_000)]) {
      const r = decodeShare(bad);
      expect(r.ok).toBe(false);
      expect((r as { error: string }).error).toMatch(/share link/);
    }
    // A flipped character either fails clearly or still yields a valid state, never a crash.
    const r = decodeShare(flipped);
    expect(r.ok ? typeof r.state : (r as { error: string }).error).toMatch(/object|share link/);
  });

  it('refuse hostile content: unknown keys, prototype tricks, bad paths, invalid clusters', () => {
    const enc = (o: unknown) => LZString.compressToEncodedURIComponent(JSON.stringify(o));
    const cases = [
      JSON.parse('{"v":1,"mode":"lesson","lesson":"x","__proto__":{"polluted":true}}'),
      JSON.parse('{"v":1,"mode":"lesson","constructor":{"prototype":{"x":1}}}'),
      { v: 1, mode: 'lesson', files: { '../../etc/passwd': 'x' } },
      { v: 1, mode: 'sandbox', services: [{ id: 'c', binary: 'rm -rf', release: 'kilo' }] },
      { v: 2, mode: 'lesson' },
      ['not', 'an', 'object'],
    ];
    for (const c of cases) {
      const r = decodeShare(enc(c));
      expect(r.ok, JSON.stringify(c)).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
