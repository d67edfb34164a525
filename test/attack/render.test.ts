/**
 * A render error in one pane (a note whose text is not text, as a link
 * could once carry) must not stop the app: the pane says what happened,
 * the others keep updating. Rendered with a minimal DOM in Node.
 */
import { describe, expect, it, vi } from 'vitest';
import { h, render } from 'preact';
import { installFakeDom } from './fake-dom';
import { ErrorBoundary } from '../../src/ui/components/ErrorBoundary';

/** A pane that fails to render when its data is not what it expects (a note whose text is 42). */
function NotePane({ text }: { text: unknown }) {
  return h('p', null, (text as string).toUpperCase());
}

describe('ErrorBoundary', () => {
  it('a pane that throws shows what went wrong; the panes beside it keep rendering and updating', async () => {
    const body = installFakeDom();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const app = (n: number, text: unknown) =>
      h('main', null, h(ErrorBoundary, { name: 'trace', children: h(NotePane, { text }) }), h(ErrorBoundary, { name: 'editor', children: h('p', { 'data-editor': '' }, `edits: ${n}`) }));
    render(app(1, 42), body as never);
    await Promise.resolve();
    const failed = body.querySelector('section[data-pane-failed="trace"]');
    expect(failed?.textContent).toMatch(/This pane stopped working \(.*toUpperCase.*\)\. The rest of the page still works, and your edits are kept\./);
    expect(body.querySelector('p[data-editor]')?.textContent).toBe('edits: 1');
    // The app goes on updating around the failed pane.
    render(app(2, 42), body as never);
    await Promise.resolve();
    expect(body.querySelector('p[data-editor]')?.textContent).toBe('edits: 2');
    // Try again, with good data: the pane is back.
    render(app(2, 'a note'), body as never);
    body.querySelector('button')!.dispatch('click');
    await new Promise((r) => setTimeout(r, 0));
    expect(body.querySelector('section[data-pane-failed="trace"]')).toBeNull();
    expect(body.textContent).toContain('A NOTE');
  });
});
