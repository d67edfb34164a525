/**
 * Tells the learner, at once, when this browser's storage lets them down:
 * an edit that could not be saved (kept in this tab; Copy and Download
 * keep it for good), a damaged saved value that was set aside, or another
 * tab that changed a file of this lesson (load theirs, or keep mine and
 * save it again). Without it the tab claimed "saved" and the edit was gone
 * on reload, and two tabs silently overwrote each other.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { editKey, onOtherTabChange, onStorageProblem, save } from '../util/storage';

interface EditorLike {
  values(): Record<string, string>;
  setAll(files: Record<string, string>): void;
}

interface Props {
  /** The open lesson (its folder name, as in edit keys); null when none. */
  lessonKey: string | null;
  editor: { current: EditorLike | null };
  /** The lesson's starting files (a removed edit means "back to the start"). */
  start: Record<string, string>;
}

type Shown =
  | { kind: 'save-failed'; path: string | null; key: string; text: string | null; why: string }
  | { kind: 'set-aside'; key: string; aside: string }
  | { kind: 'other-tab'; path: string; theirs: string };

/** The file path of an edit key of `lesson` (edit:<lesson>:<path>), or null. */
function pathOf(key: string, lesson: string | null): string | null {
  const m = /^edit:([^:]+):(.+)$/.exec(key);
  return m && (lesson === null || m[1] === lesson) ? m[2]! : null;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name.split('/').pop() || 'edit.txt';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function StorageGuard({ lessonKey, editor, start }: Props) {
  const [shown, setShown] = useState<Shown[]>([]);
  const [copied, setCopied] = useState<string | null>(null);
  const add = (s: Shown) => setShown((list) => [...list.filter((x) => !(x.kind === s.kind && ('path' in x ? x.path === (s as { path?: unknown }).path : x.key === (s as { key?: unknown }).key))), s]);
  const drop = (s: Shown) => setShown((list) => list.filter((x) => x !== s));

  useEffect(
    () =>
      onStorageProblem((p) => {
        if (p.kind === 'set-aside') return add({ kind: 'set-aside', key: p.key, aside: p.aside });
        const why = t(p.reason === 'quota' ? 'safety.why-quota' : 'safety.why-unavailable');
        add({ kind: 'save-failed', path: pathOf(p.key, null), key: p.key, text: typeof p.value === 'string' ? p.value : null, why });
      }),
    [],
  );

  useEffect(
    () =>
      onOtherTabChange((key, value) => {
        const path = pathOf(key, lessonKey);
        if (!path || !editor.current) return;
        const theirs = typeof value === 'string' ? value : (start[path] ?? '');
        const mine = editor.current.values()[path];
        if (mine === undefined || mine === theirs) return;
        add({ kind: 'other-tab', path, theirs });
      }),
    [lessonKey, start],
  );

  // A banner about another lesson's file is stale once the lesson changes.
  useEffect(() => setShown((list) => list.filter((x) => x.kind !== 'other-tab')), [lessonKey]);

  if (!shown.length) return null;
  return (
    <div class="storage-guard" style={{ position: "fixed", left: 0, right: 0, bottom: 0, zIndex: 50 }}>
      {shown.map((s, i) => (
        <div key={i} class={`banner ${s.kind === 'set-aside' ? 'info' : 'error'}`} role={s.kind === 'set-aside' ? 'status' : 'alert'} data-storage={s.kind}>
          {s.kind === 'save-failed' && (
            <>
              <span>{s.path ? t('safety.save-failed', { path: s.path, why: s.why }) : t('safety.save-failed-other', { key: s.key, why: s.why })}</span>
              {s.path && s.text !== null && (
                <>
                  <button
                    class="btn small"
                    onClick={() =>
                      navigator.clipboard.writeText(s.text!).then(
                        () => setCopied(t('safety.copied')),
                        () => setCopied(t('safety.copy-failed')),
                      )
                    }
                  >
                    {t('safety.copy')}
                  </button>
                  <button class="btn small" onClick={() => download(s.path!, s.text!)}>
                    {t('safety.download')}
                  </button>
                  {copied && <span class="muted small">{copied}</span>}
                </>
              )}
            </>
          )}
          {s.kind === 'set-aside' && <span>{t('safety.set-aside', { key: s.key, aside: s.aside })}</span>}
          {s.kind === 'other-tab' && (
            <>
              <span>{t('safety.other-tab', { path: s.path })}</span>
              <button
                class="btn small load-theirs"
                onClick={() => {
                  editor.current?.setAll({ [s.path]: s.theirs });
                  drop(s);
                }}
              >
                {t('safety.load-theirs')}
              </button>
              <button
                class="btn small keep-mine-tab"
                onClick={() => {
                  const mine = editor.current?.values()[s.path];
                  if (lessonKey && mine !== undefined) save(editKey(lessonKey, s.path), mine);
                  drop(s);
                }}
              >
                {t('safety.keep-mine')}
              </button>
            </>
          )}
          <button class="btn small ghost" aria-label={t('safety.dismiss')} onClick={() => drop(s)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
