import { beforeAll, describe, expect, it } from 'vitest';
import { loadCodec } from '../../src/ui/share/codec';

// The app loads the link codec on demand; links with a state need it loaded.
beforeAll(() => loadCodec());
import LZString from 'lz-string';
import {
  appUrl,
  changedFiles,
  conflictingEdits,
  embedUrl,
  iframeSnippet,
  isResizeMessage,
  parseEmbedParams,
  parseView,
  resizeMessage,
  scriptSnippet,
  sharedBuffers,
  sharePayload,
} from '../../src/ui/share/links';
import { decodeShare, encodeShare, MAX_STEPS, type ShareState } from '../../src/ui/share/state';
import { parseRoute, routeHref } from '../../src/ui/util/route';

const sandbox: ShareState = {
  v: 1,
  mode: 'sandbox',
  services: [
    { id: 'api', binary: 'nova-api', release: 'kilo' },
    { id: 'compute1', binary: 'nova-compute', release: 'juno' },
  ],
  steps: [{ do: 'action', action: 'create', name: 'vm1', flavor: 'm1.small' }, { do: 'upgrade', service: 'compute1', release: 'kilo' }],
  seed: 'nova-upgrade-lab',
};

describe('share link URLs', () => {
  it('find the payload in the fragment or the query', () => {
    expect(sharePayload('#share=abc', '')).toBe('abc');
    expect(sharePayload('', '?embed=1&share=xyz')).toBe('xyz');
    expect(sharePayload('#/lesson/x', '?embed=1')).toBeNull();
  });

  it('route #share= links and keep the other routes', () => {
    expect(parseRoute('#share=abc$+-')).toEqual({ name: 'share', payload: 'abc$+-' });
    expect(parseRoute('#/share=abc')).toEqual({ name: 'share', payload: 'abc' });
    expect(parseRoute('#/sandbox')).toEqual({ name: 'sandbox' });
    expect(parseRoute('#/lesson/pin-the-compute-api')).toEqual({ name: 'lesson', slug: 'pin-the-compute-api' });
    expect(parseRoute('#/lesson/%E0%A4%A')).toEqual({ name: 'lesson', slug: null });
    expect(parseRoute('')).toEqual({ name: 'lesson', slug: null });
    expect(routeHref({ name: 'share', payload: 'p' })).toBe('#share=p');
  });

  it('build the full-app link from any page of the app, dropping embed parameters', () => {
    const url = appUrl('https://h.example/docs/lab/index.html?embed=1&frame=f1&view=trace&scenario=x&session=fixture#share=old', sandbox);
    expect(url.startsWith('https://h.example/docs/lab/index.html?session=fixture#share=')).toBe(true);
    const d = decodeShare(url.split('#')[1]!);
    expect(d).toEqual({ ok: true, state: sandbox });
    expect(appUrl('https://h.example/docs/lab/#/sandbox', null)).toBe('https://h.example/docs/lab/#/');
  });

  it('build embed URLs and snippets that embed.js and the app agree on', () => {
    const base = 'https://h.example/lab/';
    const c = { view: ['trace' as const, 'inspector' as const], scenario: 'shelve-offload-pinned', theme: 'dark' as const };
    const src = embedUrl(base, c);
    expect(src).toBe('https://h.example/lab/index.html?embed=1&view=trace%2Cinspector&scenario=shelve-offload-pinned&theme=dark');
    const u = new URL(src);
    expect(parseEmbedParams(u.search, u.hash)).toEqual({ frame: '', view: ['trace', 'inspector'], scenario: 'shelve-offload-pinned', readonly: false, theme: 'dark' });
    expect(iframeSnippet(base, c, 400)).toContain('src="https://h.example/lab/index.html?embed=1&amp;view=trace%2Cinspector');
    const s = scriptSnippet(base, { ...c, readonly: true, state: sandbox });
    expect(s).toContain('<script src="https://h.example/lab/embed.js" defer></script>');
    expect(s).toMatch(/<nova-upgrade-lab scenario="shelve-offload-pinned" view="trace,inspector" readonly theme="dark" share="[A-Za-z0-9+\-$]+"><\/nova-upgrade-lab>/);
    const withState = new URL(embedUrl(base, { view: ['trace'], state: sandbox }));
    expect(decodeShare(parseEmbedParams(withState.search, withState.hash)!.share!)).toEqual({ ok: true, state: sandbox });
  });

  it('parse embed parameters defensively', () => {
    expect(parseEmbedParams('?view=trace')).toBeNull();
    expect(parseEmbedParams('?embed=0')).toBeNull();
    const p = parseEmbedParams('?embed=1&frame=<script>&view=bogus,editor,editor&lesson=../x&scenario=ok-1&readonly&theme=purple');
    // A lesson name that is not a slug stays (only to be reported as unknown: the embed must not open lesson 1 instead).
    expect(p).toEqual({ frame: '', view: ['editor'], scenario: 'ok-1', lesson: '../x', readonly: true });
    expect(parseView(null)).toEqual(['trace', 'inspector']);
    expect(parseView('nothing')).toEqual(['trace', 'inspector']);
  });

  it('schema-check resize messages', () => {
    expect(isResizeMessage(resizeMessage('nul1-abc', 512.2))).toBe(true);
    expect(resizeMessage('f', 512.2).height).toBe(513);
    for (const bad of [null, 'x', { source: 'other', type: 'resize', frame: 'f', height: 1 }, { source: 'nova-upgrade-lab', type: 'resize', frame: 'f', height: Infinity }, { source: 'nova-upgrade-lab', type: 'resize', frame: 'a b', height: 10 }, { source: 'nova-upgrade-lab', type: 'resize', frame: 'f', height: '10' }]) {
      expect(isResizeMessage(bad)).toBe(false);
    }
  });
});

describe('opening shared lesson files', () => {
  const start = { 'a.ts': 'A', 'conf/api.conf': 'C' };
  const paths = Object.keys(start);

  it('share only what differs from the start', () => {
    expect(changedFiles({ 'a.ts': 'A', 'conf/api.conf': 'C2' }, start)).toEqual({ 'conf/api.conf': 'C2' });
    expect(sharedBuffers(paths, start, { 'conf/api.conf': 'C2' })).toEqual({ 'a.ts': 'A', 'conf/api.conf': 'C2' });
  });

  it('ask only when saved edits differ from both the start and the shared files', () => {
    const shared = { 'conf/api.conf': 'SHARED' };
    // nothing saved, or saved = start, or saved = shared: no question
    expect(conflictingEdits(paths, start, { 'a.ts': null, 'conf/api.conf': null }, shared)).toEqual({});
    expect(conflictingEdits(paths, start, { 'a.ts': 'A', 'conf/api.conf': 'SHARED' }, shared)).toEqual({});
    // an edit the link would replace
    expect(conflictingEdits(paths, start, { 'a.ts': null, 'conf/api.conf': 'MINE' }, shared)).toEqual({ 'conf/api.conf': 'MINE' });
    // an edit in a file the link does not change: opening it resets that file to the start
    expect(conflictingEdits(paths, start, { 'a.ts': 'A-mine', 'conf/api.conf': null }, shared)).toEqual({ 'a.ts': 'A-mine' });
  });
});

describe('hostile share links', () => {
  const enc = (o: unknown) => LZString.compressToEncodedURIComponent(JSON.stringify(o));
  it('refuse user code and benchmark options smuggled in services', () => {
    for (const svc of [
      { id: 'api', binary: 'nova-api', release: 'kilo', code: { 'nova/compute/rpcapi': 'while(1){}' } },
      { id: 'api', binary: 'nova-api', release: 'kilo', kind: 'ping' },
    ]) {
      const r = decodeShare(enc({ v: 1, mode: 'sandbox', services: [svc], steps: [] }));
      expect(r.ok).toBe(false);
    }
    const r = decodeShare(enc({ ...sandbox, steps: [{ do: 'add_service', service: { id: 'c9', binary: 'nova-compute', release: 'kilo', code: { x: 'y' } } }] }));
    expect(r.ok).toBe(false);
  });

  it('cap the steps to replay', () => {
    const steps = Array.from({ length: MAX_STEPS + 1 }, () => ({ do: 'wait', seconds: 1 }));
    const r = decodeShare(enc({ ...sandbox, steps }));
    expect(r).toMatchObject({ ok: false });
    expect((r as { error: string }).error).toMatch(/at most/);
    expect(decodeShare(encodeShare(sandbox)).ok).toBe(true);
  });
});
