/** The right-hand region: cluster, sequence diagram, inspector. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ClusterView } from './cluster/ClusterView';
import { SequenceDiagram } from './diagram/SequenceDiagram';
import { Inspector } from './inspector/Inspector';
import { buildDiagram } from './model/diagram';
import { inspect } from './model/inspect';
import { Splitter } from './components/Splitter';
import type { ClusterSnapshot, PlaygroundSession, TraceEvent } from './sim/session';
import { load, save } from './util/storage';
import { onSelectEvent } from './lessons/select';

interface Props {
  session: PlaygroundSession | null;
  snapshot: ClusterSnapshot | null;
  events: readonly TraceEvent[];
  /** Show the (compact) cluster view on top; the sandbox shows it in its own pane. */
  showCluster: boolean;
  emptyHint: string;
  onError(message: string): void;
}

export function SimPane({ session, snapshot, events, showCluster, emptyHint, onError }: Props) {
  const [selected, setSelected] = useState<string | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const [inspH, setInspH] = useState(() => load('layout:inspector', Math.round(Math.min(280, Math.max(150, innerHeight * 0.3)))));
  const [clusterOpen, setClusterOpen] = useState(true);
  useEffect(() => void save('layout:inspector', inspH), [inspH]);
  // A goal check's "show in the diagram" link (src/ui/lessons/select.ts).
  useEffect(() => onSelectEvent((id) => setSelected(id)), []);

  const hints = useMemo(() => (snapshot?.services ?? []).map((s) => ({ id: s.id, binary: s.binary, release: s.release, host: s.host })), [snapshot?.services]);
  // Rebuild on new events (by count and identity of the first event).
  const model = useMemo(() => buildDiagram(events, hints), [events, events.length, hints]);
  const first = events[0]?.id;
  useEffect(() => {
    setCursor(null);
    if (selected && !model.index.byId.has(selected)) setSelected(null);
  }, [first]);
  const inspection = useMemo(() => (selected ? inspect(model.index, selected) : null), [selected, model]);

  return (
    <section class="pane sim-pane" aria-label="Simulation">
      {showCluster && (<div class={`cluster-wrap${clusterOpen ? '' : ' closed'}`}>
        <button class="section-toggle" aria-expanded={clusterOpen} onClick={() => setClusterOpen(!clusterOpen)}>
          <span class="caret" aria-hidden="true">
            ▸
          </span>
          Cluster
          {snapshot && (
            <span class="muted small">
              {snapshot.services.filter((s) => s.state === 'running').length}/{snapshot.services.length} running · {snapshot.instances.length} instance{snapshot.instances.length === 1 ? '' : 's'}
              {session?.busy && <span class="spinner inline" aria-label="working" />}
            </span>
          )}
        </button>
        {clusterOpen && <ClusterView session={session} snapshot={snapshot} full={false} onError={onError} />}
      </div>)}
      <SequenceDiagram model={model} selected={selected} onSelect={setSelected} cursor={cursor} setCursor={setCursor} emptyHint={emptyHint} />
      <Splitter label="Resize the inspector" orientation="horizontal" value={inspH} min={120} max={700} sign={-1} onChange={setInspH} />
      <div class="inspector-wrap" style={{ height: `${inspH}px` }}>
        <Inspector x={inspection} onSelect={setSelected} />
      </div>
    </section>
  );
}
