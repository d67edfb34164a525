/** The list of what changed between the previous run and this one (loaded with the first comparison). */
import { t } from '../i18n';
import type { RunDiff, RunMessage } from '../model/run_diff';

function messageLine(m: RunMessage): string {
  return `${m.from} → ${m.to ?? '?'} ${m.method} v${m.version}`;
}

export function ChangeList({ diff, onSelect }: { diff: RunDiff; onSelect(id: string): void }) {
  const none = diff.changed.length + diff.added.length + diff.removed.length === 0;
  return (
    <div class="change-list" role="region" aria-label={t('diagram.compare.list')}>
      <p class="small">
        <strong>{t('diagram.compare.summary', { changed: diff.changed.length, added: diff.added.length, removed: diff.removed.length, same: diff.same })}</strong>
      </p>
      {none ? (
        <p class="muted small">{t('diagram.compare.identical')}</p>
      ) : (
        <ul>
          {diff.changed.map((c) => (
            <li key={c.key} class="chg">
              <button class="link mono" onClick={() => onSelect(c.after.send)}>
                {c.after.from} → {c.after.to ?? '?'} {c.after.method}
              </button>{' '}
              {c.version && (
                <span class="mono">
                  <span class="muted">{t('diagram.compare.version')}</span> v{c.before.version} → v{c.after.version}
                </span>
              )}{' '}
              {c.queue && (
                <span class="mono">
                  <span class="muted">{t('diagram.compare.queue')}</span> {c.before.queue} → {c.after.queue}
                </span>
              )}{' '}
              {c.outcome && (
                <span>
                  <span class="muted">{t('diagram.compare.outcome')}</span> <span class={`o-${c.before.outcome} oc`}>{t(`diagram.outcome.${c.before.outcome}`)}</span> →{' '}
                  <span class={`o-${c.after.outcome} oc`}>{t(`diagram.outcome.${c.after.outcome}`)}</span>
                </span>
              )}
            </li>
          ))}
          {diff.added.map((m) => (
            <li key={`a${m.send}`} class="chg added">
              <span class="muted">{t('diagram.compare.added')}:</span>{' '}
              <button class="link mono" onClick={() => onSelect(m.send)}>
                {messageLine(m)}
              </button>
            </li>
          ))}
          {diff.removed.map((m) => (
            <li key={`r${m.send}`} class="chg removed">
              <span class="muted">{t('diagram.compare.removed')}:</span> <span class="mono">{messageLine(m)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
