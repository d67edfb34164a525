import { describe, expect, it } from 'vitest';
import { notStarted, planOpen } from '../../src/ui/share/open';
import { decodeShare, encodeShare } from '../../src/ui/share/state';

describe('opening a share link', () => {
  const paths = ['nova/compute/rpcapi.ts', 'conf/api.conf'];

  it('a link with code waits for Run; one without runs the lesson as it starts', () => {
    const withCode = planOpen({ v: 1, mode: 'lesson', lesson: 'x', files: { 'nova/compute/rpcapi.ts': 'x' } }, paths);
    expect(withCode.waitForRun).toBe(true);
    expect(withCode.text).toMatch(/1 edited file is in the editor\. Nothing has run: read the code, then press Run\./);
    expect(planOpen({ v: 1, mode: 'lesson', lesson: 'x' }, paths).waitForRun).toBe(false);
  });

  it('counts only the files the lesson has, and names the others as ignored', () => {
    const p = planOpen({ v: 1, mode: 'lesson', lesson: 'x', files: { 'conf/api.conf': 'x', 'nova/evil.ts': 'x', 'other.conf': 'y' } }, paths);
    expect(p.files).toEqual(['conf/api.conf']);
    expect(p.ignored).toEqual(['nova/evil.ts', 'other.conf']);
    expect(p.text).toMatch(/^Opened a shared link: 1 edited file .* they were ignored: nova\/evil\.ts, other\.conf\.$/);
    // Only files the lesson does not have: nothing to open, nothing to run from the link.
    expect(planOpen({ v: 1, mode: 'lesson', lesson: 'x', files: { 'nova/evil.ts': 'x' } }, paths).waitForRun).toBe(false);
  });

  it('a replayed sandbox is not reported as replayed when a service did not boot', () => {
    expect(notStarted([{ id: 'api', state: 'running' }, { id: 'c1', state: 'starting' }, { id: 'c2', state: 'stopped' }, { id: 'c3', state: 'crashed' }])).toEqual(['c1', 'c3']);
    expect(notStarted([{ id: 'api', state: 'running' }])).toEqual([]);
  });

  it('a decoded state keeps only its known parts, in prototype-free file maps', () => {
    const r = decodeShare(encodeShare({ v: 1, mode: 'lesson', lesson: 'x', files: { 'conf/api.conf': '[DEFAULT]\n' } }));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.getPrototypeOf(r.state.files)).toBeNull();
      expect(r.state.files!['toString' as string]).toBeUndefined();
    }
  });
});
