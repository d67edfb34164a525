/**
 * Embed mode (?embed=1): the chosen panes stacked with natural heights, a
 * one-line footer linking to the full app with the same state, and the
 * content height posted to the parent page (public/embed.js sizes the
 * iframe with it). Storage is off in this mode (util/storage.ts).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ClusterView } from '../cluster/ClusterView';
import { SequenceDiagram } from '../diagram/SequenceDiagram';
import { Inspector } from '../inspector/Inspector';
import { buildDiagram, type DiagramModel } from '../model/diagram';
import { inspect } from '../model/inspect';
import { appUrl, resizeMessage, type Pane } from '../share/links';
import { t } from '../i18n';
import type { ShareState } from '../share/state';
import { bump, useLiveSession } from '../sim/live';
import { statusText } from '../sim/status_text';
import type { ClusterSnapshot, PlaygroundSession, Scenario, ServiceDef, TraceEvent } from '../sim/session';

export type Notice = { tone: 'error' | 'info'; text: string; action?: { label: string; run(): void } };

// --- frame ----------------------------------------------------------------------------------

export function EmbedFrame({ frame, notice, setNotice, getState, children }: { frame: string; notice: Notice | null; setNotice(n: Notice | null): void; getState(): ShareState | null; children: ComponentChildren }) {
  const root = useRef<HTMLDivElement>(null);
  const link = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    document.documentElement.classList.add('embed');
    const el = root.current!;
    if (window.parent === window) return;
    let last = -1;
    let raf = 0;
    const post = () => {
      raf = 0;
      const h = Math.ceil(el.getBoundingClientRect().height);
      if (h === last) return;
      last = h;
      window.parent.postMessage(resizeMessage(frame, h), '*');
    };
    const ro = new ResizeObserver(() => {
      if (!raf) raf = requestAnimationFrame(post);
    });
    ro.observe(el);
    post();
    return () => {
      ro.disconnect();
      cancelAnimationFrame(raf);
    };
  }, []);

  // The link carries the state at the moment it is used (edits included).
  const refresh = () => {
    if (link.current) link.current.href = appUrl(location.href, getState());
  };

  return (
    <div class="embed-root" ref={root}>
      {notice && (
        <div class={`banner ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          {/* A shared link's code waits for Run; with the editor hidden, this is the Run button. */}
          {notice.action && (
            <button class="btn small" onClick={notice.action.run}>
              {notice.action.label}
            </button>
          )}
          <button class="icon-btn" aria-label={t('embedFrame.dismiss')} onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {children}
      <footer class="embed-foot">
        <a ref={link} href={appUrl(location.href, null)} target="_blank" rel="noopener" onPointerDown={refresh} onFocus={refresh} onClick={refresh} onMouseEnter={refresh}>
          {t('embedFrame.open')}
        </a>
        <span class="muted">{t('embedFrame.tagline')}</span>
      </footer>
    </div>
  );
}

// --- panes ----------------------------------------------------------------------------------

/** Height of the diagram pane for n rows: all of them up to a cap (then it scrolls). */
export function diagramHeight(rows: number): number {
  return Math.min(640, Math.max(200, 118 + rows * 24));
}

/** The message a reader most likely wants to inspect: the first refused / failed / backported / capped one. */
function interesting(model: DiagramModel): string | null {
  for (const o of ['rejected', 'capped', 'backported', 'error'] as const) {
    const m = model.items.find((it) => it.type === 'message' && it.outcome === o);
    if (m && m.type === 'message') return m.send;
  }
  const first = model.items.find((it) => it.type === 'message');
  return first && first.type === 'message' ? first.send : null;
}

export function EmbedSim({ session, snapshot, events, view, emptyHint, onError }: { session: PlaygroundSession | null; snapshot: ClusterSnapshot | null; events: readonly TraceEvent[]; view: Pane[]; emptyHint: string; onError(m: string): void }) {
  const [selected, setSelected] = useState<string | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const hints = useMemo(() => (snapshot?.services ?? []).map((s) => ({ id: s.id, binary: s.binary, release: s.release, host: s.host })), [snapshot?.services]);
  const model = useMemo(() => buildDiagram(events, hints), [events, events.length, hints]);
  const first = events[0]?.id;
  useEffect(() => {
    setCursor(null);
    setSelected(null);
  }, [first]);
  // With an inspector, open on the message that tells the story, once the run is over.
  const busy = Boolean(session?.busy);
  useEffect(() => {
    if (view.includes('inspector') && !busy && selected === null && events.length) setSelected(interesting(model));
  }, [busy, events.length]);
  const inspection = useMemo(() => (selected && model.index.byId.has(selected) ? inspect(model.index, selected) : null), [selected, model]);
  return (
    <>
      {view.includes('cluster') && (
        <section class="embed-cluster" aria-label="Cluster">
          <ClusterView session={session} snapshot={snapshot} full={false} onError={onError} />
        </section>
      )}
      {view.includes('trace') && (
        <div class="embed-diagram" style={{ height: `${diagramHeight(model.rows.length)}px` }}>
          <SequenceDiagram model={model} selected={selected} onSelect={setSelected} cursor={cursor} setCursor={setCursor} emptyHint={busy ? t('embedFrame.running') : emptyHint} />
        </div>
      )}
      {view.includes('inspector') && (
        <div class={`embed-inspector${inspection ? '' : ' empty'}`}>
          <Inspector x={inspection} onSelect={setSelected} />
        </div>
      )}
    </>
  );
}

// --- scenarios and shared sandboxes -----------------------------------------------------------

const SCENARIOS = import.meta.glob<string>('/scenarios/*.json', { query: '?raw', import: 'default' });

export const scenarioNames = (): string[] => Object.keys(SCENARIOS).map((p) => p.replace(/^.*\/|\.json$/g, '')).sort();

/** A shipped scenario, validated; null when there is none by that name. */
export async function loadScenario(name: string): Promise<Scenario | null> {
  const load = SCENARIOS[`/scenarios/${name}.json`];
  if (!load) return null;
  const { parseScenario } = await import('../../runtime/scenario_schema');
  return parseScenario(JSON.parse(await load()));
}

/** A scenario as a sandbox share (services without code, its steps, its seed): what "Open in" carries. */
export function scenarioState(s: Scenario): ShareState {
  const clean = (d: ServiceDef): ServiceDef => ({ id: d.id, binary: d.binary, release: d.release, ...(d.conf ? { conf: d.conf } : {}), ...(d.start === false ? { start: false } : {}) });
  return {
    v: 1,
    mode: 'sandbox',
    services: s.services.map(clean),
    steps: s.steps.map((st) => (st.do === 'add_service' ? { ...st, service: clean(st.service) } : st)),
    seed: s.seed ?? s.title,
  };
}

/** A shipped scenario or a shared sandbox, replayed on a fresh cluster and shown in the chosen panes. */
export function EmbedSandbox({ source, view, setNotice, register }: { source: { scenario: string } | { state: ShareState }; view: Pane[]; setNotice(n: Notice | null): void; register(f: () => ShareState | null): void }) {
  const live = useLiveSession('sandbox');
  const [title, setTitle] = useState<string | null>(null);
  const state = useRef<ShareState | null>('state' in source ? source.state : null);
  register(() => live.session?.history() ? { v: 1, mode: 'sandbox', ...live.session.history()! } : state.current);
  useEffect(() => {
    if (!live.session) return;
    const session = live.session;
    let alive = true;
    (async () => {
      let st: ShareState | null = state.current;
      if ('scenario' in source) {
        const sc = await loadScenario(source.scenario).catch((e: unknown) => {
          setNotice({ tone: 'error', text: t('embedFrame.badScenario', { name: source.scenario ?? '', error: (e as Error).message }) });
          return undefined;
        });
        if (sc === undefined) return;
        if (!sc) {
          setNotice({ tone: 'error', text: t('embedFrame.noScenario', { name: source.scenario ?? '', list: scenarioNames().join(', ') }) });
          return;
        }
        if (!alive) return;
        setTitle(sc.title);
        st = state.current = scenarioState(sc);
      }
      if (!st?.services) return;
      await session.replay(st.services, st.steps ?? [], st.seed);
      bump('replays');
    })().catch((e: unknown) => setNotice({ tone: 'error', text: t('embedFrame.failed', { error: (e as Error).message }) }));
    return () => {
      alive = false;
    };
  }, [live.session]);
  return (
    <>
      {title && <h1 class="embed-title">{title}</h1>}
      <EmbedSim session={live.session} snapshot={live.snapshot} events={live.events} view={view} emptyHint={statusText(live.status) ?? t('embedFrame.starting')} onError={(m) => setNotice({ tone: 'error', text: m })} />
    </>
  );
}
