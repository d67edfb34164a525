/** The Share and Embed dialogs, and the "open shared code over your edits?" question. */
import { useState } from 'preact/hooks';
import { CopyField, Dialog } from '../components/Dialog';
import { appBase, appUrl, iframeSnippet, PANES, scriptSnippet, type EmbedChoice, type Pane } from './links';
import type { ShareState } from './state';
import { t, useLocale } from '../i18n';

export function describeState(s: ShareState): string {
  if (s.mode === 'lesson') {
    const n = Object.keys(s.files ?? {}).length;
    return t('share.stateLesson', { lesson: s.lesson ?? '', files: n ? t(n === 1 ? 'share.filesEdited1' : 'share.filesEditedN', { n }) : t('share.filesStart'), seed: s.seed ?? 'default' });
  }
  const n = s.steps?.length ?? 0;
  return t('share.stateSandbox', { services: s.services?.length ?? 0, steps: t(n === 1 ? 'share.steps1' : 'share.stepsN', { n }), seed: s.seed ?? 'default' });
}

export function ShareDialog({ state, copied, onClose }: { state: ShareState; copied: boolean | null; onClose(): void }) {
  const locale = useLocale();
  const url = appUrl(location.href, state, undefined, locale);
  return (
    <Dialog title={t('share.title')} onClose={onClose} class="share-dialog" initialFocus=".copy-row button">
      <p>{t('share.holds', { what: describeState(state) })}</p>
      <CopyField id="share-url" label={t('share.link')} value={url} rows={3} />
      <p class="muted small" role="status">
        {copied === true ? t('share.copied') : copied === false ? t('share.noClipboard') : ''}
        {url.length > 8000 ? t('share.long', { n: url.length }) : ''}
      </p>
      <div class="dialog-actions">
        <button class="btn" onClick={onClose}>
          {t('share.done')}
        </button>
      </div>
    </Dialog>
  );
}

export function EmbedDialog({ base: start, onClose }: { base: EmbedChoice; onClose(): void }) {
  useLocale();
  // The reader's own language unless the author picks one (the select below).
  const [choice, setChoice] = useState<EmbedChoice>(start);
  const base = appBase(location.href);
  const toggle = (p: Pane) => {
    const view = choice.view.includes(p) ? choice.view.filter((v) => v !== p) : PANES.filter((x) => x === p || choice.view.includes(x));
    if (view.length) setChoice({ ...choice, view });
  };
  const height = 120 + (choice.view.includes('lesson') ? 380 : 0) + (choice.view.includes('editor') ? 340 : 0) + (choice.view.includes('trace') ? 320 : 0) + (choice.view.includes('inspector') ? 260 : 0);
  const lessonish = Boolean(choice.lesson || choice.state?.mode === 'lesson');
  return (
    <Dialog title={t('embed.title')} onClose={onClose} class="embed-dialog">
      <fieldset class="embed-panes">
        <legend>{t('embed.panes')}</legend>
        {PANES.filter((p) => lessonish || (p !== 'lesson' && p !== 'editor')).map((p) => (
          <label key={p}>
            <input type="checkbox" checked={choice.view.includes(p)} onChange={() => toggle(p)} /> {p}
          </label>
        ))}
      </fieldset>
      <div class="row wrap embed-opts">
        {lessonish && (
          <label>
            <input type="checkbox" checked={Boolean(choice.readonly)} onChange={(e) => setChoice({ ...choice, readonly: (e.target as HTMLInputElement).checked })} /> {t('embed.readonly')}
          </label>
        )}
        <label>
          {t('embed.theme')}{' '}
          <select value={choice.theme ?? ''} onChange={(e) => setChoice({ ...choice, theme: ((e.target as HTMLSelectElement).value || undefined) as EmbedChoice['theme'] })}>
            <option value="">{t('embed.themeReader')}</option>
            <option value="light">{t('embed.themeLight')}</option>
            <option value="dark">{t('embed.themeDark')}</option>
          </select>
        </label>
        <label>
          {t('embed.language')}{' '}
          <select value={choice.lang ?? ''} onChange={(e) => setChoice({ ...choice, lang: (e.target as HTMLSelectElement).value || undefined })}>
            <option value="">{t('embed.langReader')}</option>
            <option value="en">English</option>
            <option value="zh-CN">简体中文</option>
          </select>
        </label>
      </div>
      <CopyField id="embed-script" label={t('embed.withScript')} value={scriptSnippet(base, choice)} rows={3} />
      <CopyField id="embed-iframe" label={t('embed.iframe')} value={iframeSnippet(base, choice, height)} rows={3} />
      <p class="muted small">{t('embed.needsNothing')}</p>
      <div class="dialog-actions">
        <button class="btn" onClick={onClose}>
          {t('share.done')}
        </button>
      </div>
    </Dialog>
  );
}

export function ConflictDialog({ lessonTitle, files, onKeep, onOpen }: { lessonTitle: string; files: string[]; onKeep(): void; onOpen(): void }) {
  return (
    <Dialog title={t('conflict.title')} onClose={onKeep} class="conflict-dialog" initialFocus=".keep-mine">
      <p>{t('conflict.saved', { lesson: lessonTitle })}</p>
      <ul class="mono small">
        {files.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <p>{t('conflict.replaces')}</p>
      <div class="dialog-actions">
        <button class="btn keep-mine" onClick={onKeep}>
          {t('conflict.keep')}
        </button>
        <button class="btn primary open-shared" onClick={onOpen}>
          {t('conflict.open')}
        </button>
      </div>
    </Dialog>
  );
}
