/**
 * The upgrade planner (#/planner?<plan>): pick the releases, the topology,
 * the pin policies and the workload; run every order on its own cluster in
 * a pool of Web Workers; the matrix fills in as they finish. A cell opens
 * the first failing request of its step in the sequence diagram and the
 * inspector (the order is replayed for its trace: same seed, same trace).
 * Below: the summary and its rules, exports, the compatibility map.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { SequenceDiagram } from '../diagram/SequenceDiagram';
import { Inspector } from '../inspector/Inspector';
import { buildDiagram } from '../model/diagram';
import { inspect } from '../model/inspect';
import { getLocale, t, useLocale } from '../i18n';
import { allOrders, columnsFor, orderKey, type Order } from '../../planner/build';
import type { Cell } from '../../planner/classify';
import { compatJobs, compatMap, type CompatJobResult, type CompatMap } from '../../planner/compat';
import { toCsv, toMarkdown, toRunbook } from '../../planner/export';
import { groupRows, matrixData, planJobs, sortRows, toRow, type PlanResult, type Row, type Rule, type SortKey } from '../../planner/matrix';
import { Cancelled, runPlan, type PlanRun } from '../../planner/pool';
import type { OrderResult } from '../../planner/run';
import {
  DEFAULT_SEED,
  PlanError,
  adjacentPairs,
  autoIntroducedIn,
  autoPinAvailable,
  customText,
  defaultPlan,
  parseCustomPins,
  planFromQuery,
  planToQuery,
  policyId,
  type PinPolicy,
  type PlanSpec,
  type Unit,
} from '../../planner/spec';
import { WORKLOAD, WORKLOAD_IDS, type WorkloadId } from '../../planner/workload';
import type { TraceEvent } from '../../runtime/trace';
import { browserExecutor, defaultConcurrency, type BrowserExecutor } from './executor';
import { load, save } from '../util/storage';
import './planner.css';

type RunState = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

interface Props {
  /** The plan as a URL query (from #/planner?…). */
  query: string;
  /** Embed mode: the result only, run at once. */
  embed?: boolean;
  onNotice?(n: { tone: 'info' | 'error'; text: string } | null): void;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const rel = (r: string | null | undefined) => (r ? cap(r) : '?');

function initialSpec(query: string): { spec: PlanSpec; error: string | null } {
  if (!query) {
    // #/planner without a plan: the last plan of this browser, else the default.
    try {
      const last = load<string>('planner:last', '');
      return { spec: last ? planFromQuery(last) : defaultPlan(), error: null };
    } catch {
      return { spec: defaultPlan(), error: null };
    }
  }
  try {
    return { spec: planFromQuery(query), error: null };
  } catch (err) {
    return { spec: defaultPlan(), error: (err as Error).message };
  }
}

/** The test and tool hook: window.__novaLab.planner. */
const lab = ((globalThis as unknown as { __novaLab?: Record<string, unknown> }).__novaLab ??= {});

function download(name: string, text: string, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export function policyLabel(spec: PlanSpec, p: PinPolicy): string {
  if (p.kind === 'none') return t('planner.policy.none');
  if (p.kind === 'release') return t('planner.policy.release', { from: spec.from });
  if (p.kind === 'auto') return 'compute=auto';
  return customText(p.pins);
}

function policyWords(spec: PlanSpec, p: PinPolicy): string {
  if (p.kind === 'none') return t('planner.policyWords.none');
  if (p.kind === 'release') return t('planner.policyWords.pinned', { pins: `[upgrade_levels] compute = ${spec.from}` });
  if (p.kind === 'auto') return t('planner.policyWords.pinned', { pins: '[upgrade_levels] compute = auto' });
  return t('planner.policyWords.pinned', { pins: customText(p.pins) });
}

const unitName = (u: Unit | null) => (u ? t(`planner.unit.${u}`) : '?');

export function ruleText(r: Rule): { text: string; because: string } {
  const f = r.facts;
  if (r.kind === 'cap') {
    const unit = (['api', 'conductor', 'scheduler'] as const).find((u) => u === f.client) ?? (/^compute\d+$/.test(f.client) ? 'computes' : null);
    return {
      text: t('planner.rule.cap', { unit: unitName(unit), method: f.method, version: f.version ?? '?', cap: f.cap ?? '?' }),
      because: t('planner.rule.capBecause', { client: f.clientBinary ?? f.client, method: f.method, version: f.version ?? '?', cap: f.cap ?? '?' }),
    };
  }
  if (f.refusal === null) {
    const first = r.because.indexOf(', the request ends in ');
    return {
      text: getLocale() === 'en' ? cap(t('planner.rule.order', { first: unitName(r.first), then: unitName(r.then) })) : t('planner.rule.order', { first: unitName(r.first), then: unitName(r.then) }),
      because: t('planner.rule.hopBecause', {
        clientRelease: rel(f.clientRelease),
        clientBinary: f.clientBinary ?? f.client,
        method: f.method,
        version: f.version ?? '1.0',
        serverRelease: rel(f.serverRelease),
        serverBinary: f.serverBinary ?? f.server ?? '?',
        outcome: first >= 0 ? r.because.slice(first + ', the request ends in '.length) : r.because,
      }),
    };
  }
  const because = t('planner.rule.because', {
    clientRelease: rel(f.clientRelease),
    class: f.clientClass ?? 'rpcapi',
    clientBinary: f.clientBinary ?? f.client,
    method: f.method,
    version: f.version ?? '1.0',
    how: f.cap ? t('planner.how.capped', { cap: f.cap }) : f.asked ? t('planner.how.uncapped') : t('planner.how.noFallback'),
    serverRelease: rel(f.serverRelease),
    serverBinary: f.serverBinary ?? f.server ?? '?',
    refusal: f.refusal ?? '?',
    speaks: f.endpointVersion ? t('planner.speaks', { v: f.endpointVersion }) : '',
  });
  if (r.kind === 'unavoidable') return { text: t('planner.rule.unavoidable', { client: rel(f.clientRelease), server: rel(f.serverRelease), method: f.method }), because };
  const text = t('planner.rule.order', { first: unitName(r.first), then: unitName(r.then) });
  return { text: getLocale() === 'en' ? cap(text) : text, because };
}

const STATUS_MARK: Record<Cell['status'], string> = { ok: '✓', failed: '✗', hung: '◔', nostart: '⊘' };

export function PlannerView({ query, embed = false, onNotice }: Props) {
  const init = useMemo(() => initialSpec(query), []);
  const [spec, setSpec] = useState<PlanSpec>(init.spec);
  const [customPins, setCustomPins] = useState(() => {
    const c = init.spec.pins.find((p) => p.kind === 'custom');
    return c && c.kind === 'custom' ? customText(c.pins) : `*.compute=${init.spec.from}`;
  });
  const [customError, setCustomError] = useState<string | null>(null);
  const [concurrency, setConcurrency] = useState(defaultConcurrency);
  const [state, setState] = useState<RunState>('idle');
  const [error, setError] = useState<string | null>(null);
  /** The plan of the current / last run (the form may have changed since). */
  const [ran, setRan] = useState<PlanSpec | null>(null);
  const [results, setResults] = useState<OrderResult[]>([]);
  const [final, setFinal] = useState<PlanResult | null>(null);
  /** Run start and end (performance.now()); the progress line keeps its own clock. */
  const [clock, setClock] = useState<{ t0: number; t1: number | null }>({ t0: 0, t1: null });
  const [sort, setSort] = useState<SortKey>('order');
  const [grouped, setGrouped] = useState(false);
  const [sel, setSel] = useState<{ key: string; column: number } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const run = useRef<PlanRun | null>(null);
  const stateRef = useRef<RunState>('idle');
  stateRef.current = state;
  const finalRef = useRef<PlanResult | null>(null);
  finalRef.current = final;

  useEffect(() => {
    if (init.error) onNotice?.({ tone: 'error', text: t('planner.badPlan', { message: init.error }) });
  }, []);

  // The deep link follows the form (no new history entry, no hashchange).
  useEffect(() => {
    if (embed) return;
    history.replaceState(history.state, '', `${location.pathname}${location.search}#/planner?${planToQuery(spec)}`);
    save('planner:last', planToQuery(spec));
  }, [spec]);

  useEffect(() => {
    document.body.dataset.plannerState = state;
  }, [state]);
  useEffect(() => {
    lab.planner = { state: () => stateRef.current, matrix: () => (finalRef.current ? matrixData(finalRef.current) : null) };
    return () => {
      run.current?.cancel();
      stopTracer();
      delete document.body.dataset.plannerState;
    };
  }, []);

  // Results arrive from the workers one by one; the page draws them once per frame.
  const inbox = useRef<OrderResult[]>([]);
  const frame = useRef(0);
  const flush = () => {
    frame.current = 0;
    const batch = inbox.current;
    inbox.current = [];
    if (batch.length) setResults((r) => [...r, ...batch]);
  };

  const start = () => {
    if (state === 'running') return;
    run.current?.cancel();
    const s = spec;
    setRan(s);
    setResults([]);
    setFinal(null);
    setSel(null);
    setError(null);
    setState('running');
    inbox.current = [];
    const t0 = performance.now();
    setClock({ t0, t1: null });
    const r = runPlan(s, {
      concurrency,
      executor: browserExecutor,
      onResult: (res) => {
        inbox.current.push(res);
        frame.current ||= requestAnimationFrame(flush);
      },
    });
    run.current = r;
    r.done.then(
      (res) => {
        if (run.current !== r) return;
        cancelAnimationFrame(frame.current);
        flush();
        setClock({ t0, t1: performance.now() });
        setFinal(res);
        setState('done');
      },
      (err: unknown) => {
        if (run.current !== r) return;
        cancelAnimationFrame(frame.current);
        frame.current = 0;
        setClock({ t0, t1: performance.now() });
        if (err instanceof Cancelled) setState('cancelled');
        else {
          setError((err as Error).message);
          setState('error');
        }
      },
    );
  };

  const cancel = () => {
    run.current?.cancel();
  };

  // Embeds run at once.
  useEffect(() => {
    if (embed) start();
  }, []);

  // --- the matrix --------------------------------------------------------------------------
  const shownSpec = ran ?? spec;
  const jobs = useMemo(() => planJobs(shownSpec), [shownSpec]);
  const byKey = useMemo(() => new Map(results.map((r) => [r.key, r])), [results]);
  const rows: (Row | { pending: true; key: string; order: Order; policy: number })[] = useMemo(() => {
    if (final) return sortRows(final.rows, sort);
    return jobs.map((j) => {
      const key = `${policyId(shownSpec.pins[j.policy]!)}|${orderKey(j.order)}`;
      const r = byKey.get(key);
      return r ? toRow(r) : { pending: true as const, key, order: j.order, policy: j.policy };
    });
  }, [final, sort, jobs, byKey]);
  const groups = useMemo(() => (final && grouped ? groupRows(sortRows(final.rows, sort)) : null), [final, grouped, sort]);
  const width = useMemo(() => Math.max(...shownSpec.pins.map((p) => columnsFor(shownSpec, allOrders()[0]!, p).length)), [shownSpec]);

  const selRow = final?.rows.find((r) => r.key === sel?.key) ?? (sel ? (rows.find((r) => r.key === sel.key && !('pending' in r)) as Row | undefined) : undefined);

  const link = () => `${location.origin}${location.pathname}#/planner?${planToQuery(shownSpec)}`;
  const copy = async (what: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
      setTimeout(() => setCopied(null), 1500);
    } catch {
      setCopied(null);
    }
  };

  // The table is rebuilt only when its rows change (the progress line ticks on its own).
  const locale = useLocale();
  const running = state === 'running';
  const table = useMemo(
    () => (
        <table class="planner-table" data-testid="planner-matrix">
          <thead>
            <tr>
              <th scope="col">{t('planner.col.pins')}</th>
              <th scope="col">{t('planner.col.order')}</th>
              {Array.from({ length: width }, (_, i) => (
                <th scope="col">{i === 0 ? t('planner.col.before') : t('planner.col.step', { n: i })}</th>
              ))}
              <th scope="col">{t('planner.col.total')}</th>
            </tr>
          </thead>
          <tbody>
            {(groups ? groups.map((g) => ({ row: g.rows[0]!, more: g.rows.slice(1) })) : rows.map((row) => ({ row, more: [] as Row[] }))).map(({ row, more }) => {
              const p = shownSpec.pins[row.policy]!;
              if ('pending' in row) {
                return (
                  <tr class="pending" key={row.key}>
                    <td class="mono small">{policyLabel(shownSpec, p)}</td>
                    <td class="order">{row.order.join(' → ')}</td>
                    {Array.from({ length: width }, () => (
                      <td class={`cell${running ? ' c-pending' : ''}`} aria-label={running ? t('planner.status.pending') : undefined} />
                    ))}
                    <td />
                  </tr>
                );
              }
              return (
                <tr key={row.key} class={row.safe ? 'safe' : ''} data-key={row.key}>
                  <td class="mono small">{policyLabel(shownSpec, p)}</td>
                  <td class="order">
                    {row.order.join(' → ')}
                    {more.length > 0 && (
                      <details class="more">
                        <summary>{t('planner.groupOf', { n: more.length })}</summary>
                        {more.map((m) => (
                          <div class="small">{m.order.join(' → ')}</div>
                        ))}
                      </details>
                    )}
                  </td>
                  {Array.from({ length: width }, (_, i) => {
                    const c = row.cells[i];
                    const col = row.columns[i];
                    if (!c || !col) return <td />;
                    const stepName = i === 0 ? t('planner.col.before') : col.kind === 'unpin' ? t('planner.col.unpin') : col.label;
                    const selected = sel?.key === row.key && sel.column === i;
                    return (
                      <td class={`cell c-${c.status}${selected ? ' selected' : ''}`} data-status={c.status} data-column={i}>
                        <button
                          class="cell-btn"
                          title={t('planner.cellTitle', { order: row.order.join(' → '), step: stepName, status: t(`planner.status.${c.status}`), count: c.count, requests: c.requests })}
                          aria-pressed={selected}
                          onClick={() => setSel({ key: row.key, column: i })}
                        >
                          <span class="cell-step">{i === 0 ? '' : stepName}</span>
                          <span class="cell-mark">
                            {STATUS_MARK[c.status]}
                            {c.status !== 'ok' && <b>{c.count}</b>}
                          </span>
                        </button>
                      </td>
                    );
                  })}
                  <td class="num">{row.total}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
    ),
    [rows, groups, width, sel, shownSpec, locale, running],
  );

  const matrix = (
    <section class="planner-matrix" aria-label={t('planner.matrix')}>
      <div class="planner-bar">
        <h2 class="pane-title">{t('planner.matrix')}</h2>
        <div class="planner-progress" role="status" aria-live="polite">
          <progress max={jobs.length} value={state === 'idle' ? 0 : results.length} aria-label={t('planner.matrix')} />
          <ProgressText state={state} done={results.length} total={jobs.length} clock={clock} error={error} />
        </div>
        {!embed && (
          <>
            <label class="small">
              {t('planner.sort')}{' '}
              <select value={sort} onChange={(e) => setSort((e.target as HTMLSelectElement).value as SortKey)} disabled={!final}>
                <option value="order">{t('planner.sort.order')}</option>
                <option value="first">{t('planner.sort.first')}</option>
                <option value="total">{t('planner.sort.total')}</option>
              </select>
            </label>
            <label class="small">
              <input type="checkbox" checked={grouped} disabled={!final} onChange={(e) => setGrouped((e.target as HTMLInputElement).checked)} /> {t('planner.group')}
            </label>
          </>
        )}
      </div>
      <div class="planner-table-wrap">{table}</div>
      <p class="muted small legend">
        <span class="chip c-ok">✓ {t('planner.status.ok')}</span> <span class="chip c-failed">✗ {t('planner.status.failed')}</span> <span class="chip c-hung">◔ {t('planner.status.hung')}</span>{' '}
        <span class="chip c-nostart">⊘ {t('planner.status.nostart')}</span> · {t('planner.legend')}
      </p>
    </section>
  );

  const summary = final && <Summary result={final} onOpen={(key, column) => setSel({ key, column })} />;
  const why = ran && sel && selRow && <Why spec={ran} row={selRow} column={sel.column} />;

  if (embed) {
    return (
      <div class="planner embed-planner">
        {matrix}
        {summary}
        {why}
        <p class="small">
          <a href={link()} target="_blank" rel="noopener">
            {t('planner.title')} ↗
          </a>
        </p>
      </div>
    );
  }

  const pairs = adjacentPairs();
  const setPins = (pins: PinPolicy[]) => setSpec({ ...spec, pins });
  const has = (k: PinPolicy['kind']) => spec.pins.some((p) => p.kind === k);
  const toggle = (k: PinPolicy['kind'], on: boolean) => {
    if (on && !has(k)) {
      let p: PinPolicy = { kind: k } as PinPolicy;
      if (k === 'custom') {
        try {
          p = { kind: 'custom', pins: parseCustomPins(customPins) };
        } catch (err) {
          setCustomError((err as Error).message);
          return;
        }
      }
      setPins([...spec.pins, p].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]));
    } else if (!on && spec.pins.length > 1) setPins(spec.pins.filter((p) => p.kind !== k));
  };
  const autoOk = autoPinAvailable(spec.from) && autoPinAvailable(spec.to);
  const toggleWork = (id: WorkloadId, on: boolean) => {
    const next = on ? WORKLOAD_IDS.filter((w) => w === id || spec.workload.includes(w)) : spec.workload.filter((w) => w !== id);
    if (next.length) setSpec({ ...spec, workload: next });
  };
  const embedCode = `<iframe src="${location.origin}${location.pathname}?embed=1#/planner?${planToQuery(shownSpec)}" width="100%" height="560" style="border:0" title="${t('planner.title')}"></iframe>`;
  const cli = `npm run plan -- --from ${shownSpec.from} --to ${shownSpec.to} --computes ${shownSpec.computes}${shownSpec.computeMode === 'each' ? ' --mode each' : ''} --pins '${shownSpec.pins.map((p) => (p.kind === 'release' ? 'article' : policyId(p))).join(';')}' --workload ${shownSpec.workload.join(',')}${shownSpec.seed !== DEFAULT_SEED ? ` --seed '${shownSpec.seed}'` : ''}`;

  return (
    <main class="main planner" aria-label={t('planner.title')}>
      <section class="pane planner-form" aria-label={t('planner.plan')}>
        <div class="pane-bar">
          <h2 class="pane-title">{t('planner.title')}</h2>
        </div>
        <div class="planner-scroll">
          <p class="intro">{t('planner.intro')}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              start();
            }}
          >
            <fieldset disabled={state === 'running'}>
              <label class="field">
                <span>{t('planner.releases')}</span>
                <select
                  data-testid="planner-pair"
                  value={`${spec.from}>${spec.to}`}
                  onChange={(e) => {
                    const [from, to] = (e.target as HTMLSelectElement).value.split('>') as [PlanSpec['from'], PlanSpec['to']];
                    setSpec({ ...spec, from, to });
                  }}
                >
                  {pairs.map(([a, b]) => (
                    <option value={`${a}>${b}`}>{t('planner.pair', { from: cap(a), to: cap(b) })}</option>
                  ))}
                </select>
              </label>
              <label class="field">
                <span>{t('planner.computes')}</span>
                <input type="number" min={1} max={8} value={spec.computes} data-testid="planner-computes" onInput={(e) => setSpec({ ...spec, computes: Math.max(1, Math.min(8, Number((e.target as HTMLInputElement).value) || 1)) })} />
              </label>
              <fieldset class="field">
                <legend>{t('planner.computeMode')}</legend>
                {(['group', 'each'] as const).map((m) => (
                  <label class="check">
                    <input type="radio" name="computeMode" checked={spec.computeMode === m} onChange={() => setSpec({ ...spec, computeMode: m })} /> {t(`planner.mode.${m}`)}
                  </label>
                ))}
              </fieldset>
              <fieldset class="field">
                <legend>{t('planner.pins')}</legend>
                <label class="check">
                  <input type="checkbox" data-testid="pin-none" checked={has('none')} onChange={(e) => toggle('none', (e.target as HTMLInputElement).checked)} /> {t('planner.pin.none')}
                </label>
                <label class="check">
                  <input type="checkbox" data-testid="pin-release" checked={has('release')} onChange={(e) => toggle('release', (e.target as HTMLInputElement).checked)} /> {t('planner.pin.release', { from: spec.from })}
                </label>
                <label class="check">
                  <input type="checkbox" checked={has('custom')} onChange={(e) => toggle('custom', (e.target as HTMLInputElement).checked)} /> {t('planner.pin.custom')}
                </label>
                <input
                  class="mono small custom-pins"
                  value={customPins}
                  aria-label={t('planner.pin.custom')}
                  aria-invalid={customError ? true : undefined}
                  onInput={(e) => {
                    const v = (e.target as HTMLInputElement).value;
                    setCustomPins(v);
                    try {
                      const pins = parseCustomPins(v);
                      setCustomError(null);
                      if (has('custom')) setPins(spec.pins.map((p) => (p.kind === 'custom' ? { kind: 'custom', pins } : p)));
                    } catch (err) {
                      setCustomError(err instanceof PlanError ? err.message : String(err));
                    }
                  }}
                />
                <span class={`small ${customError ? 'err' : 'muted'}`}>{customError ?? t('planner.pin.customHelp')}</span>
                <label class={`check${autoOk ? '' : ' disabled'}`} title={autoOk ? '' : t('planner.pin.autoMissing', { from: spec.from, to: spec.to, since: autoIntroducedIn() ?? '?' })}>
                  <input type="checkbox" checked={has('auto')} disabled={!autoOk} onChange={(e) => toggle('auto', (e.target as HTMLInputElement).checked)} /> {t('planner.pin.auto')}
                  {!autoOk && <span class="muted small"> ({t('planner.pin.autoMissing', { from: spec.from, to: spec.to, since: autoIntroducedIn() ?? '?' })})</span>}
                </label>
              </fieldset>
              <fieldset class="field">
                <legend>{t('planner.workload')}</legend>
                {WORKLOAD_IDS.map((id) => {
                  const w = WORKLOAD[id] as { label: string; unavailable?: (c: { computes: string[] }) => string | null };
                  const off = w.unavailable?.({ computes: Array.from({ length: spec.computes }, (_, i) => `compute${i + 1}`) });
                  return (
                    <label class={`check${off ? ' disabled' : ''}`}>
                      <input type="checkbox" checked={spec.workload.includes(id)} onChange={(e) => toggleWork(id, (e.target as HTMLInputElement).checked)} /> {workLabel(id, w.label)}
                      {off && <span class="muted small"> ({t('planner.workload.needs2')})</span>}
                    </label>
                  );
                })}
              </fieldset>
              <label class="field">
                <span>{t('planner.concurrency')}</span>
                <input type="number" min={1} max={8} value={concurrency} onInput={(e) => setConcurrency(Math.max(1, Math.min(8, Number((e.target as HTMLInputElement).value) || 1)))} />
              </label>
            </fieldset>
            <p class="muted small">
              {t('planner.jobs', { n: allOrders().length, p: spec.pins.length, total: allOrders().length * spec.pins.length })}
              {spec.computeMode === 'each' && spec.computes > 1 ? ` · ${t('planner.folded', { n: spec.computes })}` : ''}
            </p>
            <div class="row">
              <button class="btn primary" type="submit" disabled={state === 'running' || Boolean(customError && has('custom'))} data-testid="planner-run">
                {t('planner.run')}
              </button>
              <button class="btn danger" type="button" onClick={cancel} disabled={state !== 'running'} data-testid="planner-cancel">
                {t('planner.cancel')}
              </button>
            </div>
            <div class="row">
              <button class="btn small" type="button" onClick={() => void copy('link', link())}>
                {copied === 'link' ? t('planner.linkCopied') : t('planner.copyLink')}
              </button>
              <button class="btn small" type="button" onClick={() => void copy('embed', embedCode)}>
                {copied === 'embed' ? t('planner.linkCopied') : t('planner.embedCode')}
              </button>
            </div>
          </form>
          <h3>{t('planner.export.cli')}</h3>
          <pre class="mono small cli">{cli}</pre>
          {final && (
            <>
              <h3>{t('planner.exports')}</h3>
              <div class="row">
                <button class="btn small" onClick={() => download('upgrade-plan.md', toMarkdown(final), 'text/markdown')}>
                  {t('planner.export.md')}
                </button>
                <button class="btn small" onClick={() => download('upgrade-plan.csv', toCsv(final), 'text/csv')}>
                  {t('planner.export.csv')}
                </button>
              </div>
              {selRow && (
                <details open>
                  <summary>{t('planner.export.runbook')}</summary>
                  <pre class="mono small runbook" data-testid="planner-runbook">
                    {toRunbook(final.spec, selRow)}
                  </pre>
                </details>
              )}
            </>
          )}
        </div>
      </section>
      <section class="pane planner-main">
        {matrix}
        {summary}
        <div class="planner-why-wrap">{why ?? <p class="muted small why-hint">{t('planner.why.pick')}</p>}</div>
        <Compat concurrency={concurrency} />
      </section>
    </main>
  );
}

/** A workload entry's name: translated when the catalog has it (a new action works before it is translated). */
function workLabel(id: string, fallback: string): string {
  const key = `planner.work.${id}`;
  const s = t(key);
  return s === key ? fallback : s;
}

function ProgressText({ state, done, total, clock, error }: { state: RunState; done: number; total: number; clock: { t0: number; t1: number | null }; error: string | null }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (state !== 'running') return;
    const id = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(id);
  }, [state]);
  const s = (((clock.t1 ?? performance.now()) - clock.t0) / 1000).toFixed(1);
  const text =
    state === 'running'
      ? t('planner.progress', { done, total, s })
      : state === 'done'
        ? t('planner.state.done', { total, s })
        : state === 'cancelled'
          ? t('planner.state.cancelled')
          : state === 'error'
            ? t('planner.state.error', { message: error ?? '' })
            : t('planner.state.idle');
  return (
    <span class="muted small" data-testid="planner-progress">
      {text}
    </span>
  );
}

const ORDER: Record<PinPolicy['kind'], number> = { none: 0, release: 1, custom: 2, auto: 3 };

/** Rules that say the same thing (two messages behind one ordering), together. */
function groupByText(rules: Rule[]): Rule[][] {
  const m = new Map<string, Rule[]>();
  for (const r of rules) (m.get(r.text) ?? m.set(r.text, []).get(r.text)!).push(r);
  return [...m.values()];
}

function Summary({ result, onOpen }: { result: PlanResult; onOpen(key: string, column: number): void }) {
  return (
    <section class="planner-summary" aria-label={t('planner.summary')} data-testid="planner-summary">
      <h2 class="pane-title">{t('planner.summary')}</h2>
      {result.summary.policies.map((ps) => {
        const p = result.spec.pins[ps.policy]!;
        const rules = ps.rules.map((id) => result.rules.find((r) => r.id === id)!);
        return (
          <div class="policy-summary">
            <p class={ps.safe.length ? 'ok' : 'bad'}>
              <b>{ps.safe.length ? t('planner.summary.safe', { policy: policyWords(result.spec, p), n: ps.safe.length, total: ps.orders }) : t('planner.summary.none', { policy: policyWords(result.spec, p) })}</b>
              {ps.safe.length > 0 && ':'}
            </p>
            {ps.safe.length > 0 && (
              <ul class="safe-orders">
                {ps.safe.map((o) => (
                  <li class="mono small">{o.join(' → ')}</li>
                ))}
              </ul>
            )}
            {rules.length > 0 && (
              <ul class="rules">
                {groupByText(rules).map((group) => {
                  const w = group.map(ruleText);
                  const seen = group.reduce((n, r) => n + r.rows, 0);
                  return (
                    <li>
                      <b>{w[0]!.text}</b>, {w.map((x) => x.because).join('; ')}.{' '}
                      <button class="linkish small" onClick={() => onOpen(group[0]!.example.key, group[0]!.example.column)}>
                        {t('planner.rule.seen', { n: seen })}
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            {ps.unexplained.length > 0 && (
              <ul class="rules unexplained">
                {ps.unexplained.map((u) => (
                  <li>
                    {t('planner.summary.unexplained', { order: u.order.join(' → ') })}{' '}
                    <button class="linkish small mono" onClick={() => onOpen(u.key, u.column)}>
                      {u.text}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {rules.length > 0 && ps.rulesExplain && <p class="muted small">{t('planner.summary.explains')}</p>}
          </div>
        );
      })}
    </section>
  );
}

/** One executor kept for replays (the trace of one order, on demand). */
let tracer: BrowserExecutor | null = null;
const traces = new Map<string, Promise<TraceEvent[]>>();

function stopTracer(): void {
  tracer?.terminate();
  tracer = null;
  traces.clear();
}

function traceOf(spec: PlanSpec, row: Row): Promise<TraceEvent[]> {
  const key = `${planToQuery(spec)}|${row.key}`;
  if (!traces.has(key)) {
    if (traces.size > 6) traces.delete(traces.keys().next().value!);
    tracer ??= browserExecutor();
    traces.set(
      key,
      tracer.run({ spec, order: row.order, policy: row.policy, trace: true }).then((r) => r.trace ?? []),
    );
    traces.get(key)!.catch(() => traces.delete(key));
  }
  return traces.get(key)!;
}

function Why({ spec, row, column }: { spec: PlanSpec; row: Row; column: number }) {
  const cell = row.cells[column]!;
  const col = row.columns[column]!;
  const [events, setEvents] = useState<TraceEvent[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [problem, setProblem] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'start' });
  }, [row.key, column, events]);
  useEffect(() => {
    let alive = true;
    setEvents(null);
    setFailed(null);
    setProblem(0);
    traceOf(spec, row).then(
      (ev) => alive && setEvents(ev),
      (err: unknown) => alive && setFailed((err as Error).message),
    );
    return () => {
      alive = false;
    };
  }, [spec, row.key]);
  const p = cell.problems[problem];
  const hints = useMemo(() => [{ id: 'conductor', binary: 'nova-conductor' }, { id: 'scheduler', binary: 'nova-scheduler' }, ...Array.from({ length: spec.computes }, (_, i) => ({ id: `compute${i + 1}`, binary: 'nova-compute' })), { id: 'api', binary: 'nova-api' }], [spec]);
  const built = useMemo(() => (events ? buildDiagram(events, hints) : null), [events]);
  // Lanes show each service's release when the failing request ran (the diagram alone shows the last one).
  const model = useMemo(() => {
    if (!built || !events) return built;
    // Each step of a plan run begins with a note: step `column` ends where the next one begins.
    const notes = events.filter((e) => e.kind === 'lifecycle' && e.data?.action === 'note');
    const at = built.index.byId.get(p?.event ?? '')?.seq ?? (notes[column + 1]?.seq ?? Infinity);
    const release = new Map<string, string>();
    for (const e of events) {
      if (e.seq > at) break;
      if (e.kind === 'lifecycle' && typeof e.data?.release === 'string') release.set(e.service, e.data.release);
    }
    return { ...built, lanes: built.lanes.map((l) => (release.has(l.id) ? { ...l, release: release.get(l.id) } : l)) };
  }, [built, problem, column]);
  useEffect(() => {
    if (!model) return;
    const target = p?.event ?? null;
    setSelected(target);
    // Reveal the story up to the failure (and a few rows after it); Play continues.
    const idx = target ? model.rows.findIndex((e) => e.id === target) : -1;
    setCursor(idx >= 0 ? Math.min(model.rows.length - 1, idx + 8) : null);
  }, [model, problem, column]);
  const inspection = useMemo(() => (model && selected ? inspect(model.index, selected) : null), [model, selected]);
  const stepName = column === 0 ? t('planner.col.before') : col.kind === 'unpin' ? t('planner.col.unpin') : col.label;
  return (
    <section class="planner-why" aria-label={t('planner.why')} data-testid="planner-why" ref={box}>
      <div class="why-head">
        <h2 class="pane-title">
          {t('planner.why')}: {t('planner.why.problems', { step: stepName, order: row.order.join(' → '), policy: policyLabel(spec, spec.pins[row.policy]!) })}
        </h2>
        {cell.status === 'ok' ? (
          <p class="small">{t('planner.why.ok', { step: stepName, n: cell.requests })}</p>
        ) : (
          <ol class="problems small">
            {cell.problems.map((x, i) => (
              <li class={i === problem ? 'current' : ''}>
                <button class="linkish" onClick={() => setProblem(i)} data-testid="planner-problem">
                  <span class={`chip c-${x.status}`}>{STATUS_MARK[x.status]}</span> <b>{x.request}</b>: <span class="mono">{x.text}</span>
                </button>
              </li>
            ))}
            {cell.consequences.map((x) => (
              <li class="muted">{t('planner.why.consequence', { request: x.request })}</li>
            ))}
          </ol>
        )}
      </div>
      {failed && <p class="err small">{failed}</p>}
      {!model && !failed && (
        <p class="muted small">
          <span class="spinner inline" /> {t('planner.why.loading', { order: row.order.join(' → '), policy: policyLabel(spec, spec.pins[row.policy]!) })}
        </p>
      )}
      {model && (
        <div class="why-body sim-pane">
          <SequenceDiagram model={model} selected={selected} onSelect={setSelected} cursor={cursor} setCursor={setCursor} emptyHint="" />
          <div class="inspector-wrap why-inspector">
            <Inspector x={inspection} onSelect={setSelected} />
          </div>
        </div>
      )}
    </section>
  );
}

// --- the compatibility map -----------------------------------------------------------------

function Compat({ concurrency }: { concurrency: number }) {
  const running = useRef<BrowserExecutor[]>([]);
  useEffect(() => () => running.current.forEach((e) => e.terminate()), []);
  const [map, setMap] = useState<CompatMap | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const go = async () => {
    const jobs = compatJobs();
    setProgress({ done: 0, total: jobs.length });
    setErr(null);
    const execs = Array.from({ length: Math.min(concurrency, jobs.length) }, () => browserExecutor());
    running.current = execs;
    const out: CompatJobResult[] = [];
    let next = 0;
    try {
      await Promise.all(
        execs.map(async (ex) => {
          while (next < jobs.length) {
            const job = jobs[next++]!;
            out.push(await ex.compat(job));
            setProgress({ done: out.length, total: jobs.length });
          }
        }),
      );
      setMap(compatMap(out));
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      for (const ex of execs) ex.terminate();
      setProgress(null);
    }
  };
  let pair = '';
  return (
    <section class="planner-compat" aria-label={t('planner.compat')}>
      <h3>{t('planner.compat')}</h3>
      <p class="muted small">{t('planner.compat.intro')}</p>
      <button class="btn small" onClick={() => void go()} disabled={progress !== null} data-testid="planner-compat-run">
        {t('planner.compat.run')}
      </button>
      {progress && (
        <span class="muted small">
          {' '}
          <progress max={progress.total} value={progress.done} /> {t('planner.compat.progress', progress)}
        </span>
      )}
      {err && <p class="err small">{err}</p>}
      {map && (
        <table class="compat-table small" data-testid="planner-compat">
          <thead>
            <tr>
              <th>{t('planner.compat.client')}</th>
              <th>{t('planner.compat.verdict')}</th>
              <th>{t('planner.compat.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {map.entries.map((e) => {
              const p = `${e.older} / ${e.newer}`;
              const head = p !== pair;
              pair = p;
              return (
                <>
                  {head && (
                    <tr class="pair">
                      <th colSpan={3}>{t('planner.pair', { from: cap(e.older), to: cap(e.newer) })}</th>
                    </tr>
                  )}
                  <tr class={`v-${e.verdict}`}>
                    <td class="mono">
                      {e.client.replace('nova-', '')} ({e.clientRelease}) → {e.server.replace('nova-', '')} ({e.serverRelease})
                    </td>
                    <td>{t(`planner.compat.${e.verdict}`)}</td>
                    <td class="mono">{e.pin ?? e.detail}</td>
                  </tr>
                </>
              );
            })}
          </tbody>
        </table>
      )}
      {map && map.nostart.length > 0 && (
        <details>
          <summary>{t('planner.compat.nostart')}</summary>
          <ul class="small mono">
            {map.nostart.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
