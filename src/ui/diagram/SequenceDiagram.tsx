/**
 * The sequence diagram (hand-built SVG): a lane per service plus the user,
 * an arrow per message coloured by outcome, dashed replies, refusals as ✕
 * stubs, queued messages waiting, markers for what happened on a lane.
 * Only the rows in view are drawn, so thousands of events stay fast.
 * The timeline (step / play / pause / speed) reveals rows in order.
 *
 * Search and filters (model/diagram_view.ts) hide rows; the legend
 * filters by outcome. Keyboard: one item is in the Tab order (roving
 * tabindex); ↑/↓ move between items, Home/End to the ends, Enter or
 * Space opens the inspector, ←/→ step the timeline.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Icon } from '../components/Icon';
import { t, useLocale } from '../i18n';
import { itemRows, OUTCOME_ORDER, inspectTarget, type DiagramItem, type DiagramModel, type MessageItem, type Outcome } from '../model/diagram';
import { focusOrder, isFiltering, NO_FILTER, type ViewFilter } from '../model/diagram_focus';

/** Search and filters load on first use (they are not needed to draw a trace). */
type ViewModule = typeof import('../model/diagram_view');
let viewModule: ViewModule | null = null;
const loadView = (): Promise<ViewModule> => import('../model/diagram_view').then((m) => (viewModule = m));
import type { MessageChange, RunDiff } from '../model/run_diff';

const ROW = 24;
const TOP = 14;
/**
 * Time gutter, narrowest lane and room right of the last lane (for labels
 * that start there); a phone gets tighter ones, so five lanes fit in 390 px.
 */
const WIDE = { gutter: 50, lane: 78, right: 28 };
let diagrams = 0;
const PHONE = { gutter: 40, lane: 62, right: 12 };

interface Props {
  model: DiagramModel;
  selected: string | null;
  onSelect(id: string): void;
  /** Last revealed row; null follows the live end. */
  cursor: number | null;
  setCursor(c: number | null): void;
  emptyHint: string;
  /** Mark the arrows that changed against the previous run. */
  diff?: RunDiff | null;
  /** Extra controls for the tool row (the run comparison). */
  tools?: ComponentChildren;
  /** Start with the search row folded (two runs side by side). */
  compact?: boolean;
}

function outcomeHelp(o: Outcome): string {
  return t(`diagram.outcome.${o}.help`);
}

/**
 * Shortens a label to about `px` pixels, at a word boundary: a screen reader
 * hears the whole text (the accessible name), so what is seen must be whole
 * words of it (WCAG 2.5.3). A first word longer than the room stays whole.
 */
export function trunc(s: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 6.4));
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max - 1);
  if (cut <= 0) {
    const end = s.indexOf(' ');
    return end < 0 ? s : s.slice(0, end) + '…';
  }
  let head = s.slice(0, cut);
  // An opened parenthesis with its end cut off: screen readers' names drop "(...)", so drop it from the view too.
  const open = head.lastIndexOf('(');
  if (open > 0 && head.indexOf(')', open) < 0) head = head.slice(0, open);
  return head.replace(/[\s:,]+$/, '') + '…';
}

function firstRow(it: DiagramItem): number {
  return itemRows(it)[0];
}

export function SequenceDiagram({ model, selected, onSelect, cursor, setCursor, emptyHint, diff, tools, compact = false }: Props) {
  useLocale();
  const scroller = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(600);
  const [view, setView] = useState({ top: 0, height: 600, left: 0 });
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(2);
  const [filter, setFilterState] = useState<ViewFilter>(NO_FILTER);
  const [active, setActive] = useState<string | null>(null);
  // The search and filter row: shown in the app, folded behind a button in embeds and on phones (room for rows).
  const [toolsOpen, setToolsOpen] = useState(() => !(compact || document.documentElement.classList.contains('embed') || innerWidth < 600));
  const pendingFocus = useRef<string | null>(null);
  // Ids for aria references, unique per diagram on the page.
  const uid = useRef(`dg${++diagrams}`).current;

  const [viewLoaded, setViewLoaded] = useState(viewModule !== null);
  useEffect(() => {
    if (isFiltering(filter) && !viewLoaded) void loadView().then(() => setViewLoaded(true));
  }, [filter]);
  const shownModel = useMemo(() => (isFiltering(filter) && viewModule ? viewModule.viewOf(model, filter) : model), [model, model.items.length, filter, viewLoaded]);
  const order = useMemo(() => focusOrder(shownModel), [shownModel]);
  const nRows = shownModel.rows.length;
  const last = nRows - 1;
  const shown = cursor === null ? last : Math.min(cursor, last);
  const filtering = isFiltering(filter);

  const setFilter = (f: Partial<ViewFilter>) => {
    setPlaying(false);
    setCursor(null);
    setFilterState((old) => ({ ...old, ...f }));
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => {
      setWidth(el.clientWidth);
      setView({ top: el.scrollTop, height: el.clientHeight, left: el.scrollLeft });
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Follow the live end, or keep the cursor row in view.
  const stick = useRef(true);
  useEffect(() => {
    const el = scroller.current;
    if (!el || pendingFocus.current) return;
    const y = TOP + shown * ROW;
    if (cursor === null) {
      if (stick.current) el.scrollTop = el.scrollHeight;
    } else if (y < el.scrollTop + 20 || y > el.scrollTop + el.clientHeight - 40) {
      el.scrollTop = y - el.clientHeight / 2;
    }
  }, [nRows, shown, cursor]);

  // Playback over the rows.
  useEffect(() => {
    if (!playing) return;
    const id = setInterval(() => {
      const next = (cursor ?? -1) + 1;
      if (next >= last) {
        setCursor(null);
        setPlaying(false);
      } else setCursor(next);
    }, 500 / speed);
    return () => clearInterval(id);
  }, [playing, cursor, speed, last]);

  const { gutter: GUTTER, lane: MIN_LANE, right: RIGHT } = width < 500 ? PHONE : WIDE;
  const laneW = Math.max(MIN_LANE, (width - GUTTER - RIGHT) / Math.max(1, shownModel.lanes.length));
  const laneX = useMemo(() => {
    const m = new Map<string, number>();
    shownModel.lanes.forEach((l, i) => m.set(l.id, GUTTER + laneW * i + laneW / 2));
    return m;
  }, [shownModel.lanes, laneW]);
  const svgW = GUTTER + laneW * shownModel.lanes.length + RIGHT;
  const svgH = TOP + Math.max(1, nRows) * ROW + 16;
  const y = (row: number) => TOP + row * ROW + ROW / 2;

  const first = Math.max(0, Math.floor((view.top - TOP) / ROW) - 4);
  const lastVisible = Math.min(shown, Math.ceil((view.top + view.height) / ROW) + 4);

  // The item in the Tab order: the one last moved to, else the selected one, else the first in view.
  const byId = useMemo(() => new Map(order.map((it) => [it.id, it])), [order]);
  const selectedItem = selected ? order.find((it) => inspectTarget(it) === selected || (it.type === 'message' && it.send === selected)) : undefined;
  const activeItem = (active && byId.get(active)) || selectedItem || order.find((it) => firstRow(it) >= first && firstRow(it) <= shown) || order.find((it) => firstRow(it) <= shown) || null;
  const activeId = activeItem?.id ?? null;

  const visible = useMemo(() => {
    const out: DiagramItem[] = [];
    for (const it of shownModel.items) {
      const [a, b] = itemRows(it);
      if (a > lastVisible || b < first) continue;
      out.push(it);
    }
    return out;
  }, [shownModel.items, first, lastVisible]);
  // The active item is always drawn, so Tab can reach it wherever the view is scrolled.
  const drawn = activeItem && !visible.includes(activeItem) && firstRow(activeItem) <= shown ? [...visible, activeItem] : visible;

  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    const el = svgRef.current?.querySelector<SVGGElement>(`[data-item="${CSS.escape(id)}"]`);
    if (el) {
      pendingFocus.current = null;
      el.focus({ preventScroll: true });
    }
  });

  /** Move keyboard focus (and the view) to an item. */
  const moveTo = (it: DiagramItem | null | undefined, open = false) => {
    if (!it) return;
    const el = scroller.current;
    const row = firstRow(it);
    if (row > shown) setCursor(null);
    if (el) {
      const top = TOP + row * ROW;
      if (top < el.scrollTop + 4 || top > el.scrollTop + el.clientHeight - ROW * 2) {
        el.scrollTop = Math.max(0, top - el.clientHeight / 2);
        stick.current = false;
      }
      const x = laneX.get(it.type === 'marker' ? it.lane : it.from) ?? 0;
      if (x < el.scrollLeft + GUTTER || x > el.scrollLeft + el.clientWidth - 20) el.scrollLeft = Math.max(0, x - el.clientWidth / 2);
      setView({ top: el.scrollTop, height: el.clientHeight, left: el.scrollLeft });
    }
    setActive(it.id);
    pendingFocus.current = it.id;
    if (open) onSelect(inspectTarget(it));
  };

  // Enter in the search opens the first match: once the view shows the query (the search module loads on first use,
  // so Enter can come before the filtered view exists; opening order[0] then would open the unfiltered first row).
  const [openFirst, setOpenFirst] = useState(0);
  const openedFirst = useRef(0);
  const viewReady = !filtering || shownModel !== model;
  useEffect(() => {
    if (openFirst === openedFirst.current || !viewReady) return;
    openedFirst.current = openFirst;
    moveTo(order[0], true);
  }, [openFirst, viewReady, order]);

  const jumpFailure = async (dir: 1 | -1) => {
    setPlaying(false);
    setCursor(null);
    const m = viewModule ?? (await loadView());
    // From the item last moved to, else from the top ("jump to the first failure").
    moveTo(m.nextFailure(shownModel, active && byId.has(active) ? active : null, dir), true);
  };

  const step = (d: number) => {
    setPlaying(false);
    const cur = cursor ?? last;
    const next = Math.max(0, Math.min(last, cur + d));
    setCursor(next >= last ? null : next);
  };

  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('select,input,button')) return;
    if (e.key === 'ArrowRight') {
      step(1);
      e.preventDefault();
    } else if (e.key === 'ArrowLeft') {
      step(-1);
      e.preventDefault();
    }
  };

  const onItemKey = (e: KeyboardEvent, it: DiagramItem) => {
    const i = order.indexOf(it);
    const visibleOrder = order.filter((x) => firstRow(x) <= shown);
    const vi = visibleOrder.indexOf(it);
    switch (e.key) {
      case 'Enter':
      case ' ':
        onSelect(inspectTarget(it));
        setActive(it.id);
        break;
      case 'ArrowDown':
        moveTo(visibleOrder[vi + 1] ?? order[i + 1]);
        break;
      case 'ArrowUp':
        moveTo(visibleOrder[vi - 1]);
        break;
      case 'Home':
        moveTo(visibleOrder[0]);
        break;
      case 'End':
        moveTo(visibleOrder[visibleOrder.length - 1]);
        break;
      case 'PageDown':
        moveTo(visibleOrder[Math.min(visibleOrder.length - 1, vi + 10)]);
        break;
      case 'PageUp':
        moveTo(visibleOrder[Math.max(0, vi - 10)]);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const time = shownModel.rows[shown]?.time ?? 0;
  const messageCount = shownModel.items.filter((i) => i.type === 'message').length;
  const totalMessages = model.items.filter((i) => i.type === 'message').length;
  const services = model.lanes.filter((l) => l.id !== 'user');
  const toggleOutcome = (o: Outcome) => {
    const cur = filter.outcomes ?? [];
    setFilter({ outcomes: cur.includes(o) ? cur.filter((x) => x !== o) : [...cur, o] });
  };

  return (
    <section class="diagram" aria-label={t('diagram.label')} onKeyDown={onKey}>
      <div class="diagram-bar">
        <div class="timeline" role="group" aria-label={t('diagram.timeline')}>
          <button class="icon-btn" onClick={() => (setPlaying(false), setCursor(0))} disabled={nRows === 0} aria-label={t('diagram.first')} title={t('diagram.first')}>
            <Icon name="first" />
          </button>
          <button class="icon-btn" onClick={() => step(-1)} disabled={nRows === 0 || shown <= 0} aria-label={t('diagram.back')} title={t('diagram.back.title')}>
            <Icon name="back" />
          </button>
          <button
            class="icon-btn play"
            onClick={() => {
              if (playing) setPlaying(false);
              else {
                if (cursor === null) setCursor(0);
                setPlaying(true);
              }
            }}
            disabled={nRows === 0}
            aria-label={playing ? t('diagram.pause') : t('diagram.play')}
            aria-pressed={playing}
            title={playing ? t('diagram.pause') : t('diagram.play.title')}
          >
            <Icon name={playing ? 'pause' : 'play'} />
          </button>
          <button class="icon-btn" onClick={() => step(1)} disabled={nRows === 0 || cursor === null} aria-label={t('diagram.forward')} title={t('diagram.forward.title')}>
            <Icon name="step" />
          </button>
          <button class="icon-btn" onClick={() => (setPlaying(false), setCursor(null))} disabled={cursor === null} aria-label={t('diagram.live')} title={t('diagram.live')}>
            <Icon name="last" />
          </button>
          <input
            type="range"
            class="scrub"
            min={0}
            max={Math.max(0, last)}
            value={shown}
            aria-label={t('diagram.position')}
            aria-valuetext={t('diagram.position.value', { n: shown + 1, total: nRows, t: (time / 1000).toFixed(3) })}
            onInput={(e) => {
              setPlaying(false);
              const v = Number((e.target as HTMLInputElement).value);
              setCursor(v >= last ? null : v);
            }}
            disabled={nRows === 0}
          />
          <select class="speed" value={String(speed)} onChange={(e) => setSpeed(Number((e.target as HTMLSelectElement).value))} aria-label={t('diagram.speed')}>
            {[0.5, 1, 2, 4, 8].map((s) => (
              <option value={String(s)}>{s}×</option>
            ))}
          </select>
          <span class="clock mono" aria-live="off" title={t('diagram.clock.title')}>
            t={(time / 1000).toFixed(3)}s · {nRows ? shown + 1 : 0}/{nRows}
          </span>
          <button class={`icon-btn tools-toggle${filtering ? ' filtering' : ''}`} aria-expanded={toolsOpen} aria-controls={`${uid}-tools`} onClick={() => setToolsOpen(!toolsOpen)} aria-label={t('diagram.tools')} title={t('diagram.tools')}>
            <Icon name="search" />
          </button>
        </div>
        <ul class="legend" aria-label={t('diagram.legend')}>
          {OUTCOME_ORDER.filter((o) => o !== 'queued' || model.counts.queued).map((o) => {
            const on = filter.outcomes?.includes(o) ?? false;
            return (
              <li key={o} class={`o-${o}`}>
                <button class={`legend-btn${on ? ' on' : ''}`} aria-pressed={on} title={`${outcomeHelp(o)} · ${t('diagram.legend.filter')}`} onClick={() => toggleOutcome(o)}>
                  <span class="swatch" aria-hidden="true" />
                  {t(`diagram.outcome.${o}`)}
                  <span class="count">{model.counts[o]}</span>
                </button>
              </li>
            );
          })}
        </ul>
        {tools}
      </div>
      <div class="diagram-tools" id={`${uid}-tools`} role="search" aria-label={t('diagram.tools')} hidden={!toolsOpen}>
        <label class="search-box">
          <Icon name="search" size={13} />
          <span class="sr-only">{t('diagram.search')}</span>
          <input
            type="search"
            class="diagram-search"
            placeholder={t('diagram.search.placeholder')}
            value={filter.query}
            onInput={(e) => setFilter({ query: (e.target as HTMLInputElement).value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                setOpenFirst((n) => n + 1);
              } else if (e.key === 'Escape' && filter.query) {
                e.preventDefault();
                e.stopPropagation();
                setFilter({ query: '' });
              }
            }}
          />
        </label>
        <button class={`btn small toggle${filter.hideHousekeeping ? ' on' : ''}`} aria-pressed={filter.hideHousekeeping} onClick={() => setFilter({ hideHousekeeping: !filter.hideHousekeeping })} title={t('diagram.housekeeping.title')}>
          {t('diagram.housekeeping')}
        </button>
        <button class={`btn small toggle${filter.onlyFailures ? ' on' : ''}`} aria-pressed={filter.onlyFailures} onClick={() => setFilter({ onlyFailures: !filter.onlyFailures })}>
          {t('diagram.onlyFailures')}
        </button>
        <select aria-label={t('diagram.service')} class="service-filter" value={filter.service ?? ''} onChange={(e) => setFilter({ service: (e.target as HTMLSelectElement).value || null })}>
          <option value="">{t('diagram.service.all')}</option>
          {services.map((l) => (
            <option value={l.id}>{l.id}</option>
          ))}
        </select>
        <span class="failure-nav" role="group" aria-label={t('diagram.failures')}>
          <button class="icon-btn" onClick={() => void jumpFailure(-1)} disabled={nRows === 0} aria-label={t('diagram.prevFailure')} title={t('diagram.prevFailure')}>
            <Icon name="up" />
          </button>
          <button class="icon-btn" onClick={() => void jumpFailure(1)} disabled={nRows === 0} aria-label={t('diagram.nextFailure')} title={t('diagram.nextFailure')}>
            <Icon name="down" />
          </button>
        </span>
        {filtering && (
          <span class="filter-status muted small" role="status">
            {t('diagram.shown', { n: messageCount, total: totalMessages })}
            <button class="link" onClick={() => setFilter(NO_FILTER)}>
              {t('diagram.clear')}
            </button>
          </span>
        )}
      </div>
      <div class="lane-heads" style={{ width: `${svgW}px`, transform: `translateX(${-view.left}px)` }} aria-hidden="true">
        {shownModel.lanes.map((l) => (
          <div class="lane-head" style={{ left: `${(laneX.get(l.id) ?? 0) - laneW / 2}px`, width: `${laneW}px` }} key={l.id}>
            <span class="lane-name" title={l.binary ? `${l.label} (${l.binary})` : l.label}>
              {l.label}
            </span>
            {l.release ? <span class={`release r-${l.release}`}>{l.release}</span> : <span class="lane-sub muted">{l.id === 'user' ? t('diagram.you') : ''}</span>}
          </div>
        ))}
      </div>
      <div
        class="diagram-scroll"
        ref={scroller}
        tabIndex={nRows === 0 ? undefined : -1}
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
          setView({ top: el.scrollTop, height: el.clientHeight, left: el.scrollLeft });
        }}
      >
        {nRows === 0 ? (
          <div class="diagram-empty">{filtering && model.rows.length ? t('diagram.noMatch') : emptyHint}</div>
        ) : (
          <svg ref={svgRef} width={svgW} height={svgH} class="seq" data-events={model.index.events.length} role="group" aria-label={t('diagram.messages', { n: messageCount })} aria-describedby={`${uid}-keys`}>
            <defs>
              {OUTCOME_ORDER.map((o) => (
                <>
                  <marker id={`ah-${o}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" class={`o-${o}`}>
                    <path d="M0,0 L10,5 L0,10 z" class="head" />
                  </marker>
                  <marker id={`ao-${o}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" class={`o-${o}`}>
                    <path d="M0,0 L10,5 L0,10" class="head-open" />
                  </marker>
                </>
              ))}
              <marker id="ah-reply" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10" class="head-reply" />
              </marker>
              <marker id="ah-reply-err" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" class="o-error">
                <path d="M0,0 L10,5 L0,10" class="head-open" />
              </marker>
            </defs>
            {shownModel.lanes.map((l) => (
              <line key={l.id} class={`lane${l.id === 'user' ? ' user' : ''}`} x1={laneX.get(l.id)} x2={laneX.get(l.id)} y1={0} y2={svgH} />
            ))}
            {/* time gutter: a label where virtual time moves on */}
            {shownModel.rows.slice(first, lastVisible + 1).map((e, k) => {
              const row = first + k;
              const prev = shownModel.rows[row - 1];
              if (prev && prev.time === e.time) return null;
              return (
                <text key={`t${row}`} class="tick" x={6} y={y(row) + 4}>
                  {(e.time / 1000).toFixed(3)}s
                </text>
              );
            })}
            {drawn.map((it) => (
              <Item
                key={it.id}
                it={it}
                x={laneX}
                y={y}
                laneW={laneW}
                shown={shown}
                selected={selected}
                tabbable={it.id === activeId}
                onSelect={(id) => {
                  setActive(it.id);
                  onSelect(id);
                }}
                onKey={onItemKey}
                onFocus={() => setActive(it.id)}
                lastLane={shownModel.lanes[shownModel.lanes.length - 1]?.id}
                svgW={svgW}
                gutter={GUTTER}
                change={it.type === 'message' ? diff?.bySend.get(it.send) : undefined}
              />
            ))}
            {cursor !== null && <line class="cursor" x1={GUTTER - 6} x2={svgW} y1={y(shown) + ROW / 2} y2={y(shown) + ROW / 2} />}
          </svg>
        )}
      </div>
      <p id={`${uid}-keys`} class="sr-only">
        {t('diagram.keys')}
      </p>
    </section>
  );
}

function itemSelected(it: DiagramItem, selected: string | null): boolean {
  if (!selected) return false;
  if (it.type === 'message') return it.send === selected;
  return it.id === selected;
}

interface ItemProps {
  it: DiagramItem;
  x: Map<string, number>;
  y(r: number): number;
  laneW: number;
  shown: number;
  selected: string | null;
  tabbable: boolean;
  onSelect(id: string): void;
  onKey(e: KeyboardEvent, it: DiagramItem): void;
  onFocus(): void;
  lastLane?: string;
  svgW: number;
  gutter: number;
  change?: MessageChange | 'added';
}

type ItemCommon = { role: 'button'; tabindex: number; onClick(): void; onMouseDown(e: MouseEvent): void; onKeyDown(e: KeyboardEvent): void; onFocus(): void; 'data-item': string; 'aria-pressed': boolean };

function Item({ it, x, y, laneW, shown, selected, tabbable, onSelect, onKey, onFocus, lastLane, svgW, gutter: GUTTER, change }: ItemProps) {
  const sel = itemSelected(it, selected);
  const common = {
    role: 'button' as const,
    tabindex: tabbable ? 0 : -1,
    onClick: () => onSelect(inspectTarget(it)),
    // A click selects without focusing (focusing would scroll the lanes sideways); the keyboard focuses.
    onMouseDown: (e: MouseEvent) => e.preventDefault(),
    onKeyDown: (e: KeyboardEvent) => onKey(e, it),
    onFocus,
    'data-item': it.id,
    'aria-pressed': sel,
  };
  switch (it.type) {
    case 'message':
      return <Message it={it} x={x} y={y} laneW={laneW} shown={shown} sel={sel} common={common} svgW={svgW} gutter={GUTTER} change={change} />;
    case 'reply': {
      const x0 = x.get(it.from) ?? 0;
      const x1 = x.get(it.to) ?? 0;
      const y1 = y(it.row);
      const y0 = y1 - ROW * 0.55;
      const lx = (x0 + x1) / 2;
      return (
        <g class={`msg reply${it.ok ? '' : ' o-error'}${sel ? ' selected' : ''}`} {...common} aria-label={t('diagram.reply.aria', { label: it.label, from: it.from, to: it.to })} data-id={it.id}>
          <line class="hit" x1={x0} y1={y0} x2={x1} y2={y1} />
          <line class="line" x1={x0} y1={y0} x2={x1} y2={y1} marker-end={`url(#${it.ok ? 'ah-reply' : 'ah-reply-err'})`} />
          <text aria-hidden="true" class="label reply-label" x={lx} y={Math.min(y0, y1) - 2} text-anchor="middle">
            {trunc(it.label, Math.max(Math.abs(x1 - x0) - 8, 2 * Math.min(lx - GUTTER, svgW - lx) - 20))}
          </text>
        </g>
      );
    }
    case 'refused': {
      const x0 = x.get(it.from) ?? 0;
      const yy = y(it.row);
      const x1 = x0 + Math.min(44, laneW * 0.4);
      const left = it.from === lastLane;
      return (
        <g class={`msg refused o-rejected${sel ? ' selected' : ''}`} {...common} aria-label={t('diagram.refused.aria', { label: it.label, from: it.from })} data-id={it.id}>
          <line class="hit" x1={x0} y1={yy} x2={x1} y2={yy} />
          <line class="line stub" x1={x0} y1={yy} x2={x1} y2={yy} />
          <text aria-hidden="true" class="cross" x={x1 + 1} y={yy + 4} text-anchor="middle">
            ✕
          </text>
          <text aria-hidden="true" class="label" x={left ? x0 - 6 : x1 + 10} y={yy + 4} text-anchor={left ? 'end' : 'start'}>
            {trunc(it.label, left ? x0 - GUTTER : svgW - x1 - 14)}
          </text>
        </g>
      );
    }
    case 'marker': {
      const xx = x.get(it.lane) ?? 0;
      const yy = y(it.row);
      const left = it.lane === lastLane;
      return (
        <g class={`marker k-${it.kind} t-${it.tone}${sel ? ' selected' : ''}`} {...common} aria-label={it.label} data-id={it.id}>
          <MarkerGlyph kind={it.kind} x={xx} y={yy} />
          <text aria-hidden="true" class="mlabel" x={left ? xx - 9 : xx + 9} y={yy + 4} text-anchor={left ? 'end' : 'start'}>
            {trunc(it.label, left ? xx - GUTTER : svgW - xx - 14)}
          </text>
        </g>
      );
    }
  }
}

function MarkerGlyph({ kind, x, y }: { kind: string; x: number; y: number }) {
  switch (kind) {
    case 'object':
      return <path class="glyph" d={`M${x},${y - 5} L${x + 5},${y} L${x},${y + 5} L${x - 5},${y} z`} />;
    case 'dispatch':
    case 'outcome':
      // Drawn, not a character: the marker's accessible name is its label alone.
      return <path class="glyph-stroke" d={`M${x - 4},${y - 4} L${x + 4},${y + 4} M${x + 4},${y - 4} L${x - 4},${y + 4}`} />;
    case 'timeout':
      return <path class="glyph" d={`M${x - 4},${y - 5} h8 l-8,10 h8 z`} />;
    case 'queued':
      return <rect class="glyph" x={x - 5} y={y - 5} width={10} height={10} rx={2} />;
    case 'user_action':
      return <circle class="glyph" cx={x} cy={y} r={5} />;
    case 'log':
      return (
        <g class="glyph-stroke">
          <path d={`M${x},${y - 5} L${x},${y + 1.5}`} />
          <path d={`M${x},${y + 4} L${x},${y + 4.6}`} />
        </g>
      );
    default:
      return <rect class="glyph" x={x - 3.5} y={y - 3.5} width={7} height={7} />;
  }
}

function changeText(c: MessageChange | 'added' | undefined): string {
  if (!c) return '';
  if (c === 'added') return t('diagram.diff.new');
  const parts: string[] = [];
  if (c.version) parts.push(t('diagram.diff.wasVersion', { version: c.before.version }));
  if (c.queue) parts.push(t('diagram.diff.wasQueue', { queue: c.before.queue }));
  if (c.outcome) parts.push(t('diagram.diff.wasOutcome', { outcome: t(`diagram.outcome.${c.before.outcome}`) }));
  return parts.join(', ');
}

function Message({ it, x, y, laneW, shown, sel, common, svgW, gutter: GUTTER, change }: { it: MessageItem; x: Map<string, number>; y(r: number): number; laneW: number; shown: number; sel: boolean; common: ItemCommon; svgW: number; gutter: number; change?: MessageChange | 'added' }) {
  const x0 = x.get(it.from) ?? 0;
  const y0 = y(it.row0);
  const inFlight = it.row1 > shown;
  let x1: number;
  let y1 = y(it.row1);
  if (it.to === null) x1 = x0 + laneW * 0.6;
  else x1 = x.get(it.to) ?? x0 + laneW * 0.6;
  if (inFlight) {
    x1 = (x0 + x1) / 2;
    y1 = (y0 + y1) / 2;
  }
  const self = it.to === it.from;
  const diffed = change ? ` changed${change === 'added' ? ' added' : ''}` : '';
  const cls = `msg o-${it.outcome}${it.delivered ? '' : ' waiting'}${inFlight ? ' in-flight' : ''}${sel ? ' selected' : ''}${diffed}`;
  const head = inFlight ? undefined : `url(#${it.rpc === 'call' ? 'ah' : 'ao'}-${it.outcome})`;
  const extra = it.tags.filter((tag) => tag !== it.outcome && tag !== 'ok').map((tag) => `+${t(`diagram.outcome.${tag}`)}`).join(' ');
  const was = changeText(change);
  // The accessible name starts with the visible text (WCAG 2.5.3).
  const aria = t('diagram.message.aria', { label: [it.label, extra, was ? `⟲ ${was}` : ''].filter(Boolean).join(' '), rpc: it.rpc, from: it.from, to: it.to ?? '?', outcome: t(`diagram.outcome.${it.outcome}`) });
  const lx = (x0 + x1) / 2;
  const d = self ? `M${x0},${y0} C${x0 + 40},${y0} ${x0 + 40},${y1} ${x0 + 4},${y1}` : `M${x0},${y0} L${x1},${y1}`;
  // Label, tags and the run comparison share one budget, so nothing runs past the edge.
  const budget = self ? svgW - x0 - 50 : Math.max(Math.abs(x1 - x0) - 6, 2 * Math.min(lx - GUTTER, svgW - lx) - 8);
  const full = [it.label, extra, was ? `⟲ ${was}` : ''].filter(Boolean).join(' ');
  const text = trunc(full, budget);
  const labelPart = text.slice(0, Math.min(text.length, it.label.length));
  const rest = text.slice(labelPart.length);
  return (
    <g class={cls} {...common} aria-label={aria} data-id={it.send} data-outcome={it.outcome} data-change={change ? (change === 'added' ? 'added' : 'changed') : undefined}>
      <path class="hit" d={d} />
      <path class="line" d={d} marker-end={head} />
      <text aria-hidden="true" class="label" x={self ? x0 + 44 : lx} y={Math.min(y0, y1) - 3} text-anchor={self ? 'start' : 'middle'}>
        {labelPart}
        {rest && <tspan class={was && rest.includes('⟲') ? 'tags was' : 'tags'}>{rest}</tspan>}
      </text>
      {!it.delivered && !inFlight && (
        <text aria-hidden="true" class="wait" x={x1 + 2} y={y1 + 4}>
          ⏸
        </text>
      )}
    </g>
  );
}
