/** The inspector for the selected message: outcome, decisions, objects, context, wire JSON. */
import { useState } from 'preact/hooks';
import type { Inspection } from '../model/inspect';
import { JsonTree } from './JsonTree';

type Tab = 'decisions' | 'wire' | 'context';

export function Inspector({ x, onSelect }: { x: Inspection | null; onSelect(id: string): void }) {
  const [tab, setTab] = useState<Tab>('decisions');
  if (!x) {
    return (
      <section class="inspector empty" aria-label="Inspector">
        <p class="muted">Click an arrow to see the message on the wire, its objects and every decision taken on it.</p>
      </section>
    );
  }
  const d = x.data;
  return (
    <section class="inspector" aria-label="Inspector">
      <header class="insp-head">
        <div class="insp-title">
          {x.outcome && <span class={`outcome-pill o-${x.outcome}`}>{x.outcome}</span>}
          <h2 class="mono" data-testid="inspector-title">
            {x.title}
          </h2>
        </div>
        {d && (
          <dl class="facts">
            <div>
              <dt>version</dt>
              <dd class="mono" data-testid="inspector-version">
                {d.version ?? '1.0'}
              </dd>
            </div>
            <div>
              <dt>from</dt>
              <dd class="mono">{x.send!.service}</dd>
            </div>
            <div>
              <dt>queue</dt>
              <dd class="mono">{d.queue}</dd>
            </div>
            {d.namespace && (
              <div>
                <dt>namespace</dt>
                <dd class="mono">{d.namespace}</dd>
              </div>
            )}
            <div>
              <dt>t</dt>
              <dd class="mono">{(x.send!.time / 1000).toFixed(3)}s</dd>
            </div>
          </dl>
        )}
        <div class="tabs small" role="tablist" aria-label="Inspector views">
          {(['decisions', 'wire', 'context'] as Tab[]).map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} class={`tab${tab === t ? ' active' : ''}`} onClick={() => setTab(t)} disabled={t !== 'decisions' && !d}>
              {t === 'decisions' ? `Decisions (${x.decisions.length})` : t === 'wire' ? 'Wire JSON' : `Context (${x.context.length})`}
            </button>
          ))}
        </div>
      </header>
      <div class="insp-body" role="tabpanel" tabIndex={0} aria-label={`${tab} of ${x.title}`}>
        {tab === 'decisions' && (
          <>
            <ol class="decisions">
              {x.decisions.map((dec, i) => (
                <li key={i} class={`dec t-${dec.tone} s-${dec.stage}`}>
                  <span class="stage">{dec.stage}</span>
                  <span class="text mono">
                    {dec.event && dec.stage === 'nested' ? (
                      <button class="link" onClick={() => onSelect(dec.event!)}>
                        {dec.text}
                      </button>
                    ) : (
                      dec.text
                    )}
                  </span>
                  {dec.detail && (
                    <details class="tb">
                      <summary>traceback</summary>
                      <pre class="mono">{dec.detail.join('\n')}</pre>
                    </details>
                  )}
                </li>
              ))}
            </ol>
            {x.objects.length > 0 && (
              <>
                <h3 class="sub">Objects in args</h3>
                <ul class="objects">
                  {x.objects.map((o, i) => (
                    <li key={i} class="mono">
                      <span class="obj-name">{o.name}</span> <span class="obj-ver">{o.version}</span> <span class="muted">at {o.path}</span>
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
