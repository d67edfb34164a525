/** The Share and Embed dialogs, and the "open shared code over your edits?" question. */
import { useState } from 'preact/hooks';
import { CopyField, Dialog } from '../components/Dialog';
import { appBase, appUrl, iframeSnippet, PANES, scriptSnippet, type EmbedChoice, type Pane } from './links';
import type { ShareState } from './state';

export function describeState(s: ShareState): string {
  if (s.mode === 'lesson') {
    const n = Object.keys(s.files ?? {}).length;
    return `the lesson "${s.lesson}" with ${n ? `your ${n} edited file${n > 1 ? 's' : ''}` : 'its starting files'}, run with seed "${s.seed ?? 'default'}"`;
  }
  const n = s.steps?.length ?? 0;
  return `a sandbox of ${s.services?.length ?? 0} services and the ${n} step${n === 1 ? '' : 's'} taken on it, with seed "${s.seed ?? 'default'}"`;
}

export function ShareDialog({ state, copied, onClose }: { state: ShareState; copied: boolean | null; onClose(): void }) {
  const url = appUrl(location.href, state);
  return (
    <Dialog title="Share this state" onClose={onClose} class="share-dialog" initialFocus=".copy-row button">
      <p>
        The link holds {describeState(state)}. Opening it restores this state and replays it to the same trace; nothing is uploaded anywhere.
      </p>
      <CopyField id="share-url" label="Link" value={url} rows={3} />
      <p class="muted small" role="status">
        {copied === true ? 'The link is on your clipboard.' : copied === false ? 'The clipboard is not available here: use Copy, or select the link.' : ''}
        {url.length > 8000 ? ` It is long (${url.length} characters): some chat tools cut long links.` : ''}
      </p>
      <div class="dialog-actions">
        <button class="btn" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

export function EmbedDialog({ base: start, onClose }: { base: EmbedChoice; onClose(): void }) {
  const [choice, setChoice] = useState<EmbedChoice>(start);
  const base = appBase(location.href);
  const toggle = (p: Pane) => {
    const view = choice.view.includes(p) ? choice.view.filter((v) => v !== p) : PANES.filter((x) => x === p || choice.view.includes(x));
    if (view.length) setChoice({ ...choice, view });
  };
  const height = 120 + (choice.view.includes('lesson') ? 380 : 0) + (choice.view.includes('editor') ? 340 : 0) + (choice.view.includes('trace') ? 320 : 0) + (choice.view.includes('inspector') ? 260 : 0);
  const lessonish = Boolean(choice.lesson || choice.state?.mode === 'lesson');
  return (
    <Dialog title="Embed in a page" onClose={onClose} class="embed-dialog">
      <fieldset class="embed-panes">
        <legend>Panes</legend>
        {PANES.filter((p) => lessonish || (p !== 'lesson' && p !== 'editor')).map((p) => (
          <label key={p}>
            <input type="checkbox" checked={choice.view.includes(p)} onChange={() => toggle(p)} /> {p}
          </label>
        ))}
      </fieldset>
      <div class="row wrap embed-opts">
        {lessonish && (
          <label>
            <input type="checkbox" checked={Boolean(choice.readonly)} onChange={(e) => setChoice({ ...choice, readonly: (e.target as HTMLInputElement).checked })} /> read-only editor
          </label>
        )}
        <label>
          theme{' '}
          <select value={choice.theme ?? ''} onChange={(e) => setChoice({ ...choice, theme: ((e.target as HTMLSelectElement).value || undefined) as EmbedChoice['theme'] })}>
            <option value="">reader's preference</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </div>
      <CopyField id="embed-script" label="With the embed script (sizes itself to its content)" value={scriptSnippet(base, choice)} rows={3} />
      <CopyField id="embed-iframe" label="Or a plain iframe (fixed height)" value={iframeSnippet(base, choice, height)} rows={3} />
      <p class="muted small">
        The page you embed in needs nothing else: the example runs in the reader's browser, from the files next to <code>embed.js</code>. See docs/embedding.md.
      </p>
      <div class="dialog-actions">
        <button class="btn" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

export function ConflictDialog({ lessonTitle, files, onKeep, onOpen }: { lessonTitle: string; files: string[]; onKeep(): void; onOpen(): void }) {
  return (
    <Dialog title="Open the shared code?" onClose={onKeep} class="conflict-dialog" initialFocus=".keep-mine">
      <p>
        You have saved edits in <strong>{lessonTitle}</strong> that differ from the code in this link:
      </p>
      <ul class="mono small">
        {files.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <p>Opening the shared code replaces them in the editor. Your edits are kept in a backup you can restore from the banner.</p>
      <div class="dialog-actions">
        <button class="btn keep-mine" onClick={onKeep}>
          Keep mine
        </button>
        <button class="btn primary open-shared" onClick={onOpen}>
          Open the shared code
        </button>
      </div>
    </Dialog>
  );
}
