/** The inspector for the selected message: outcome, decisions, objects, context, wire JSON. */
import { useState } from 'preact/hooks';
import { Icon } from '../components/Icon';
import { t, useLocale } from '../i18n';
import type { Inspection } from '../model/inspect';
import { JsonTree } from './JsonTree';

type Tab = 'decisions' | 'wire' | 'context';

export function Inspector({ x, onSelect, onClose }: { x: Inspection | null; onSelect(id: string): void; onClose?(): void }) {
  useLocale();
  const [tab, setTab] = useState<Tab>('decisions');
  if (!x) {
    return (
      <section class="inspector empty" aria-label={t('inspector.label')}>
        <p class="muted">{t('inspector.empty')}</p>
      </section>
    );
  }
  const d = x.data;
  const tabs: Tab[] = ['decisions', 'wire', 'context'];
  return (
    <section
      class="inspector"
      aria-label={t('inspector.label')}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onClose) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header class="insp-head">
        <div class="insp-title">
          {x.outcome && <span class={`outcome-pill o-${x.outcome}`}>{t(`diagram.outcome.${x.outcome}`)}</span>}
          <h2 class="mono" data-testid="inspector-title">
            {x.title}
          </h2>
          {onClose && (
            <button class="icon-btn insp-close" onClick={onClose} aria-label={t('inspector.close')} title={t('inspector.close')}>
              <Icon name="close" size={12} />
            </button>
          )}
        </div>
        {d && (
          <dl class="facts">
            <div>
              <dt>{t('inspector.version')}</dt>
              <dd class="mono" data-testid="inspector-version">
                {d.version ?? '1.0'}
              </dd>
            </div>
            <div>
              <dt>{t('inspector.from')}</dt>
              <dd class="mono">{x.send!.service}</dd>
            </div>
            <div>
              <dt>{t('inspector.queue')}</dt>
              <dd class="mono">{d.queue}</dd>
            </div>
            {d.namespace && (
              <div>
                <dt>{t('inspector.namespace')}</dt>
                <dd class="mono">{d.namespace}</dd>
              </div>
            )}
            <div>
              <dt>t</dt>
              <dd class="mono">{(x.send!.time / 1000).toFixed(3)}s</dd>
            </div>
          </dl>
        )}
        <div
          class="tabs small"
          role="tablist"
          aria-label={t('inspector.views')}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            const usable = tabs.filter((k) => k === 'decisions' || d);
            const next = usable[(usable.indexOf(tab) + (e.key === 'ArrowRight' ? 1 : usable.length - 1)) % usable.length]!;
            setTab(next);
            ((e.currentTarget as HTMLElement).querySelector(`[data-tab="${next}"]`) as HTMLElement | null)?.focus();
            e.preventDefault();
          }}
        >
          {tabs.map((k) => (
            <button key={k} role="tab" data-tab={k} aria-selected={tab === k} tabIndex={tab === k ? 0 : -1} class={`tab${tab === k ? ' active' : ''}`} onClick={() => setTab(k)} disabled={k !== 'decisions' && !d}>
              {k === 'decisions' ? t('inspector.tab.decisions', { n: x.decisions.length }) : k === 'wire' ? t('inspector.tab.wire') : t('inspector.tab.context', { n: x.context.length })}
            </button>
          ))}
        </div>
      </header>
      <div class="insp-body" role="tabpanel" tabIndex={0} aria-label={t(`inspector.panel.${tab}`, { title: x.title })}>
        {tab === 'decisions' && (
          <>
            <ol class="decisions">
              {x.decisions.map((dec, i) => (
                <li key={i} class={`dec t-${dec.tone} s-${dec.stage}`}>
                  <span class="stage">{t(`inspector.stage.${dec.stage}`)}</span>
                  <span class="text mono">
                    {dec.event && dec.stage === 'nested' ? (
                      <button class="link" onClick={() => onSelect(dec.event!)}>
                        {dec.text}
                      </button>
                    ) : (
                      dec.text
                    )}
                    {dec.count && dec.count > 1 ? (
                      <span class="times" title={t('inspector.times.title', { n: dec.count })}>
                        {' '}
                        ×{dec.count}
                      </span>
                    ) : null}
                  </span>
                  {dec.detail && (
                    <details class="tb">
                      <summary>{t('inspector.traceback')}</summary>
                      <pre class="mono">{dec.detail.join('\n')}</pre>
                    </details>
                  )}
                </li>
              ))}
            </ol>
            {x.objects.length > 0 && (
              <>
                <h3 class="sub">{t('inspector.objects')}</h3>
                <ul class="objects">
                  {x.objects.map((o, i) => (
                    <li key={i} class="mono">
                      <span class="obj-name">{o.name}</span> <span class="obj-ver">{o.version}</span> <span class="muted">{t('inspector.objectAt', { path: o.path })}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
        {tab === 'wire' && x.wire !== undefined && (
          <div class="json mono">
            <JsonTree value={x.wire} open={3} />
          </div>
        )}
        {tab === 'context' && (
          <table class="table ctx">
            <tbody>
              {x.context.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row" class="mono">
                    {k.replace(/^_context_/, '')}
                  </th>
                  <td class="mono">{JSON.stringify(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
