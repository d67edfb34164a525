/** The right-hand region: cluster, sequence diagram (with the run comparison), inspector. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ClusterView } from './cluster/ClusterView';
import { SequenceDiagram } from './diagram/SequenceDiagram';
import { Inspector } from './inspector/Inspector';
import { buildDiagram, type DiagramModel } from './model/diagram';
import { inspect } from './model/inspect';
import type { RunDiff, diffRuns as DiffRuns } from './model/run_diff';
import type { ChangeList as ChangeListT } from './diagram/RunCompare';
import { Splitter } from './components/Splitter';
import { t, useLocale } from './i18n';
import type { ClusterSnapshot, PlaygroundSession, TraceEvent } from './sim/session';
import { load, save } from './util/storage';
import { onSelectEvent } from './lessons/select';

interface RunCompareCode {
  diffRuns: typeof DiffRuns;
  ChangeList: typeof ChangeListT;
}
let compareCode: Promise<RunCompareCode> | null = null;
let compareLoaded: RunCompareCode | null = null;

/**
 * The run comparison's code: not part of the first page. The lesson page
 * asks for it once a Run ended and the page is idle, so the second Run,
 * the first with something to compare, does not load and evaluate it on
 * the thread its broker runs on (9 ms of a 160 ms Run).
 */
export function loadRunCompare(): Promise<RunCompareCode> {
  compareCode ??= Promise.all([import('./model/run_diff'), import('./diagram/RunCompare')]).then(
    ([a, b]) => (compareLoaded = { diffRuns: a.diffRuns, ChangeList: b.ChangeList }),
    (err: unknown) => {
      // A chunk that did not load (offline, a new deploy) is asked for again next time, not remembered as failed.
      compareCode = null;
      throw err;
    },
  );
  return compareCode;
}

interface Props {
  session: PlaygroundSession | null;
  snapshot: ClusterSnapshot | null;
  events: readonly TraceEvent[];
  /** Show the (compact) cluster view on top; the sandbox shows it in its own pane. */
  showCluster: boolean;
  emptyHint: string;
  onError(message: string): void;
  /** The previous run's trace (lessons), to compare with this one. */
  previous?: readonly TraceEvent[] | null;
  /** A lesson run is under way (the cluster is being rebuilt). */
  running?: boolean;
}

type Compare = 'current' | 'previous' | 'changes' | 'side';

export function clusterSummary(snapshot: ClusterSnapshot | null, busy: boolean): string {
  if (!snapshot || snapshot.services.length === 0) return busy ? t('cluster.summary.starting') : t('cluster.summary.none');
  const running = snapshot.services.filter((s) => s.state === 'running').length;
  const instances = snapshot.instances.filter((r) => !(r as { deleted?: unknown }).deleted).length;
  return t(instances === 1 ? 'cluster.summary.one' : 'cluster.summary', { running, total: snapshot.services.length, n: instances });
}

export function SimPane({ session, snapshot, events, showCluster, emptyHint, onError, previous = null, running = false }: Props) {
  useLocale();
  const [selected, setSelected] = useState<string | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const [prevCursor, setPrevCursor] = useState<number | null>(null);
  const [inspH, setInspH] = useState(() => load('layout:inspector', Math.round(Math.min(280, Math.max(150, innerHeight * 0.3)))));
  // On a phone the cards fold to their one-line summary: the diagram needs the rows.
  const [clusterOpen, setClusterOpen] = useState(() => innerWidth >= 600);
  const [compare, setCompare] = useState<Compare>('current');
  useEffect(() => void save('layout:inspector', inspH), [inspH]);
  // A goal check's "show in the diagram" link (src/ui/lessons/select.ts).
  useEffect(() => onSelectEvent((id) => setSelected(id)), []);

  const hints = useMemo(() => (snapshot?.services ?? []).map((s) => ({ id: s.id, binary: s.binary, release: s.release, host: s.host })), [snapshot?.services]);
  // Rebuild on new events (by count and identity of the first event).
  const current = useMemo(() => buildDiagram(events, hints), [events, events.length, hints]);
  const busy = running || Boolean(session?.busy);
  const hasPrev = Boolean(previous && previous.length);
  const mode: Compare = hasPrev ? compare : 'current';
  // The previous run's diagram is built when something shows it: its own
  // view, side by side, or the changes once this run has ended. Not while
  // a Run is under way in the current view: the page's thread is the
  // broker's, and the model of the last run is 4-5 ms of it.
  const needPrev = hasPrev && (mode !== 'current' || !busy);
  const prevModel = useMemo(() => (needPrev ? buildDiagram(previous!, hints) : null), [needPrev, previous, hints]);
  // The comparison's code loads when there is something to compare, unless the page loaded it ahead.
  const [, setCompareReady] = useState(0);
  useEffect(() => {
    if (!hasPrev || compareLoaded) return;
    let alive = true;
    loadRunCompare().then(
      () => alive && setCompareReady((n) => n + 1),
      () => undefined, // no comparison this time: the runs still show; the next run asks again
    );
    return () => {
      alive = false;
    };
  }, [hasPrev]);
  const cmp = hasPrev ? compareLoaded : null;
  const diff = useMemo<RunDiff | null>(() => (cmp && prevModel && !busy ? cmp.diffRuns(prevModel, current) : null), [cmp, prevModel, current, busy]);
  const model: DiagramModel = mode === 'previous' && prevModel ? prevModel : current;

  const first = events[0]?.id;
  useEffect(() => {
    setCursor(null);
    if (selected && !model.index.byId.has(selected)) setSelected(null);
  }, [first, mode]);
  // Side by side, the selection may be in either run.
  const inspected = mode === 'side' && prevModel && selected && !current.index.byId.has(selected) ? prevModel : model;
  const inspection = useMemo(() => (selected && inspected.index.byId.has(selected) ? inspect(inspected.index, selected) : null), [selected, inspected]);

  const tools = hasPrev ? (
    <span class="compare" role="group" aria-label={t('diagram.compare')}>
      {(['current', 'previous', 'changes', 'side'] as Compare[]).map((c) => (
        <button key={c} class={`btn small toggle${mode === c ? ' on' : ''}`} aria-pressed={mode === c} onClick={() => setCompare(c)}>
          {t(`diagram.compare.${c}`)}
          {c === 'changes' && diff ? <span class="count">{diff.changed.length + diff.added.length + diff.removed.length}</span> : null}
        </button>
      ))}
    </span>
  ) : null;

  return (
    <section class="pane sim-pane" aria-label={t('layout.simulation')} id="sim-pane">
      {showCluster && (
        <div class={`cluster-wrap${clusterOpen ? '' : ' closed'}`}>
          <button class="section-toggle" aria-expanded={clusterOpen} onClick={() => setClusterOpen(!clusterOpen)}>
            <span class="caret" aria-hidden="true">
              ▸
            </span>
            {t('cluster.title')}
            <span class="muted small cluster-summary">
              {clusterSummary(snapshot, busy)}
              {busy && <span class="spinner inline" role="img" aria-label={t('cluster.working')} />}
            </span>
          </button>
          {clusterOpen && <ClusterView session={session} snapshot={snapshot} full={false} onError={onError} running={running} />}
        </div>
      )}
      {mode === 'changes' && diff && cmp && <cmp.ChangeList diff={diff} onSelect={setSelected} />}
      {mode === 'side' && prevModel ? (
        <div class="side-by-side">
          <div class="side" role="group" aria-label={t('diagram.compare.previous')}>
            <h3 class="side-title">{t('diagram.compare.previous')}</h3>
            <SequenceDiagram model={prevModel} selected={selected} onSelect={setSelected} cursor={prevCursor} setCursor={setPrevCursor} emptyHint={emptyHint} compact />
          </div>
          <div class="side" role="group" aria-label={t('diagram.compare.current')}>
            <h3 class="side-title">{t('diagram.compare.current')}</h3>
            <SequenceDiagram model={current} selected={selected} onSelect={setSelected} cursor={cursor} setCursor={setCursor} emptyHint={emptyHint} diff={diff} tools={tools} compact />
          </div>
        </div>
      ) : (
        <SequenceDiagram model={model} selected={selected} onSelect={setSelected} cursor={cursor} setCursor={setCursor} emptyHint={emptyHint} diff={mode === 'changes' ? diff : null} tools={tools} />
      )}
      {inspection ? (
        <>
          <Splitter label={t('layout.resizeInspector')} orientation="horizontal" value={inspH} min={120} max={700} sign={-1} onChange={setInspH} />
          <div class="inspector-wrap" style={{ height: `${inspH}px` }}>
            <Inspector x={inspection} onSelect={setSelected} onClose={() => setSelected(null)} />
          </div>
        </>
      ) : (
        <div class="inspector-wrap empty">
          <Inspector x={null} onSelect={setSelected} />
        </div>
      )}
    </section>
  );
}

