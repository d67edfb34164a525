/**
 * The sequence diagram (hand-built SVG): a lane per service plus the user,
 * an arrow per message coloured by outcome, dashed replies, refusals as ✕
 * stubs, queued messages waiting, markers for what happened on a lane.
 * Only the rows in view are drawn, so thousands of events stay fast.
 * The timeline (step / play / pause / speed) reveals rows in order.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Icon } from '../components/Icon';
import { itemRows, OUTCOME_ORDER, inspectTarget, type DiagramItem, type DiagramModel, type MessageItem, type Outcome } from '../model/diagram';

const ROW = 24;
const TOP = 14;
const GUTTER = 58;
const MIN_LANE = 96;

interface Props {
  model: DiagramModel;
  selected: string | null;
  onSelect(id: string): void;
  /** Last revealed row; null follows the live end. */
  cursor: number | null;
  setCursor(c: number | null): void;
  emptyHint: string;
}

const OUTCOME_HELP: Record<Outcome, string> = {
  ok: 'delivered and handled',
  capped: 'a version cap made the client send a lower version',
  backported: 'an object had to be backported by conductor',
  rejected: 'refused: UnsupportedVersion / NoSuchMethod, or at the client',
  error: 'failed: a failure reply or a timeout',
  queued: 'waiting in a queue with no consumer',
};

function trunc(s: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 6.4));
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

export function SequenceDiagram({ model, selected, onSelect, cursor, setCursor, emptyHint }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  const [view, setView] = useState({ top: 0, height: 600, left: 0 });
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(2);
  const nRows = model.rows.length;
  const last = nRows - 1;
  const shown = cursor === null ? last : Math.min(cursor, last);

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
    if (!el) return;
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

  const laneW = Math.max(MIN_LANE, (width - GUTTER - 8) / Math.max(1, model.lanes.length));
  const laneX = useMemo(() => {
    const m = new Map<string, number>();
    model.lanes.forEach((l, i) => m.set(l.id, GUTTER + laneW * i + laneW / 2));
    return m;
  }, [model.lanes, laneW]);
  const svgW = GUTTER + laneW * model.lanes.length + 8;
  const svgH = TOP + Math.max(1, nRows) * ROW + 16;
  const y = (row: number) => TOP + row * ROW + ROW / 2;

  const first = Math.max(0, Math.floor((view.top - TOP) / ROW) - 4);
  const lastVisible = Math.min(shown, Math.ceil((view.top + view.height) / ROW) + 4);
  const visible = useMemo(() => {
    const out: DiagramItem[] = [];
    for (const it of model.items) {
      const [a, b] = itemRows(it);
      if (a > lastVisible || b < first) continue;
      out.push(it);
    }
    return out;
  }, [model.items, first, lastVisible]);

  const step = (d: number) => {
    setPlaying(false);
    const cur = cursor ?? last;
    const next = Math.max(0, Math.min(last, cur + d));
    setCursor(next >= last ? null : next);
  };

  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('select,input')) return;
    if (e.key === 'ArrowRight') {
      step(1);
      e.preventDefault();
    } else if (e.key === 'ArrowLeft') {
      step(-1);
      e.preventDefault();
    }
  };

  const t = model.rows[shown]?.time ?? 0;

  return (
    <section class="diagram" aria-label="Sequence diagram" onKeyDown={onKey}>
      <div class="diagram-bar">
        <div class="timeline" role="group" aria-label="Timeline">
          <button class="icon-btn" onClick={() => (setPlaying(false), setCursor(0))} disabled={nRows === 0} aria-label="Go to the first event" title="First event">
            <Icon name="first" />
          </button>
          <button class="icon-btn" onClick={() => step(-1)} disabled={nRows === 0 || shown <= 0} aria-label="Step back" title="Step back (←)">
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
            aria-label={playing ? 'Pause' : 'Play'}
            aria-pressed={playing}
            title={playing ? 'Pause' : 'Play from here'}
          >
            <Icon name={playing ? 'pause' : 'play'} />
          </button>
          <button class="icon-btn" onClick={() => step(1)} disabled={nRows === 0 || cursor === null} aria-label="Step forward" title="Step forward (→)">
            <Icon name="step" />
          </button>
          <button class="icon-btn" onClick={() => (setPlaying(false), setCursor(null))} disabled={cursor === null} aria-label="Go to the live end" title="Live end">
            <Icon name="last" />
          </button>
          <input
            type="range"
            class="scrub"
            min={0}
            max={Math.max(0, last)}
            value={shown}
            aria-label="Timeline position"
            aria-valuetext={`event ${shown + 1} of ${nRows}, t = ${(t / 1000).toFixed(3)} s`}
            onInput={(e) => {
              setPlaying(false);
              const v = Number((e.target as HTMLInputElement).value);
              setCursor(v >= last ? null : v);
            }}
            disabled={nRows === 0}
          />
          <select class="speed" value={String(speed)} onChange={(e) => setSpeed(Number((e.target as HTMLSelectElement).value))} aria-label="Playback speed">
            {[0.5, 1, 2, 4, 8].map((s) => (
              <option value={String(s)}>{s}×</option>
            ))}
          </select>
          <span class="clock mono" aria-live="off" title="virtual time of the current row">
            t={(t / 1000).toFixed(3)}s · {nRows ? shown + 1 : 0}/{nRows}
          </span>
        </div>
        <ul class="legend" aria-label="Legend">
          {OUTCOME_ORDER.filter((o) => o !== 'queued' || model.counts.queued).map((o) => (
            <li key={o} class={`o-${o}`} title={OUTCOME_HELP[o]}>
              <span class="swatch" aria-hidden="true" />
              {o}
              <span class="count">{model.counts[o]}</span>
            </li>
          ))}
        </ul>
      </div>
      <div class="lane-heads" style={{ width: `${svgW}px`, transform: `translateX(${-view.left}px)` }} aria-hidden="true">
        {model.lanes.map((l) => (
          <div class="lane-head" style={{ left: `${(laneX.get(l.id) ?? 0) - laneW / 2}px`, width: `${laneW}px` }} key={l.id}>
            <span class="lane-name" title={l.binary ? `${l.label} (${l.binary})` : l.label}>
              {l.label}
            </span>
            {l.release ? <span class={`release r-${l.release}`}>{l.release}</span> : <span class="lane-sub muted">{l.id === 'user' ? 'you' : ''}</span>}
          </div>
        ))}
      </div>
      <div
        class="diagram-scroll"
        ref={scroller}
        tabIndex={0}
        aria-label="Messages; use Tab to reach an arrow, arrow keys to step the timeline"
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
          setView({ top: el.scrollTop, height: el.clientHeight, left: el.scrollLeft });
        }}
      >
        {nRows === 0 ? (
          <div class="diagram-empty">{emptyHint}</div>
        ) : (
          <svg width={svgW} height={svgH} class="seq" role="group" aria-label={`${model.items.filter((i) => i.type === 'message').length} messages`}>
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
            {model.lanes.map((l) => (
              <line key={l.id} class={`lane${l.id === 'user' ? ' user' : ''}`} x1={laneX.get(l.id)} x2={laneX.get(l.id)} y1={0} y2={svgH} />
            ))}
            {/* time gutter: a label where virtual time moves on */}
            {model.rows.slice(first, lastVisible + 1).map((e, k) => {
              const row = first + k;
              const prev = model.rows[row - 1];
              if (prev && prev.time === e.time) return null;
              return (
                <text key={`t${row}`} class="tick" x={6} y={y(row) + 4}>
                  {(e.time / 1000).toFixed(3)}s
                </text>
              );
            })}
            {visible.map((it) => (
              <Item key={it.id} it={it} x={laneX} y={y} laneW={laneW} shown={shown} selected={selected} onSelect={onSelect} lastLane={model.lanes[model.lanes.length - 1]?.id} svgW={svgW} />
            ))}
            {cursor !== null && <line class="cursor" x1={GUTTER - 6} x2={svgW} y1={y(shown) + ROW / 2} y2={y(shown) + ROW / 2} />}
          </svg>
        )}
      </div>
    </section>
  );
}

function itemSelected(it: DiagramItem, selected: string | null): boolean {
  if (!selected) return false;
  if (it.type === 'message') return it.send === selected;
  return it.id === selected;
}

function Item({ it, x, y, laneW, shown, selected, onSelect, lastLane, svgW }: { it: DiagramItem; x: Map<string, number>; y(r: number): number; laneW: number; shown: number; selected: string | null; onSelect(id: string): void; lastLane?: string; svgW: number }) {
  const sel = itemSelected(it, selected);
  const click = () => onSelect(inspectTarget(it));
  const key = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      click();
    }
  };
  switch (it.type) {
    case 'message':
      return <Message it={it} x={x} y={y} laneW={laneW} shown={shown} sel={sel} click={click} keyDown={key} svgW={svgW} />;
    case 'reply': {
      const x0 = x.get(it.from) ?? 0;
      const x1 = x.get(it.to) ?? 0;
      const y1 = y(it.row);
      const y0 = y1 - ROW * 0.55;
      const lx = (x0 + x1) / 2;
      return (
        <g class={`msg reply${it.ok ? '' : ' o-error'}${sel ? ' selected' : ''}`} role="button" tabIndex={0} aria-label={`${it.label} reply from ${it.from} to ${it.to}`} onClick={click} onKeyDown={key} data-id={it.id}>
          <line class="hit" x1={x0} y1={y0} x2={x1} y2={y1} />
          <line class="line" x1={x0} y1={y0} x2={x1} y2={y1} marker-end={`url(#${it.ok ? 'ah-reply' : 'ah-reply-err'})`} />
          <text aria-hidden="true" class="label reply-label" x={lx} y={Math.min(y0, y1) - 2} text-anchor="middle">
            {trunc(it.label, Math.max(Math.abs(x1 - x0) - 8, 2 * Math.min(lx - GUTTER, svgW - lx) - 70))}
          </text>
        </g>
      );
    }
    case 'refused': {
      const x0 = x.get(it.from) ?? 0;
      const yy = y(it.row);
      const x1 = x0 + Math.min(44, laneW * 0.4);
      return (
        <g class={`msg refused o-rejected${sel ? ' selected' : ''}`} role="button" tabIndex={0} aria-label={`✕ ${it.label}: refused at ${it.from}`} onClick={click} onKeyDown={key} data-id={it.id}>
          <line class="hit" x1={x0} y1={yy} x2={x1} y2={yy} />
          <line class="line stub" x1={x0} y1={yy} x2={x1} y2={yy} />
          <text aria-hidden="true" class="cross" x={x1 + 1} y={yy + 4} text-anchor="middle">
            ✕
          </text>
          <text aria-hidden="true" class="label" x={x1 + 10} y={yy + 4}>
            {trunc(it.label, svgW - x1 - 20)}
          </text>
        </g>
      );
    }
    case 'marker': {
      const xx = x.get(it.lane) ?? 0;
      const yy = y(it.row);
      const left = it.lane === lastLane;
      return (
        <g class={`marker k-${it.kind} t-${it.tone}${sel ? ' selected' : ''}`} onClick={click} data-id={it.id}>
          <title>{it.label}</title>
          <MarkerGlyph kind={it.kind} x={xx} y={yy} />
          <text class="mlabel" x={left ? xx - 9 : xx + 9} y={yy + 4} text-anchor={left ? 'end' : 'start'}>
            {trunc(it.label, left ? laneW * 1.5 : svgW - xx - 20)}
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
      return (
        <text class="glyph-text" x={x} y={y + 4} text-anchor="middle">
          ✕
        </text>
      );
    case 'timeout':
      return <path class="glyph" d={`M${x - 4},${y - 5} h8 l-8,10 h8 z`} />;
    case 'queued':
      return <rect class="glyph" x={x - 5} y={y - 5} width={10} height={10} rx={2} />;
    case 'user_action':
      return <circle class="glyph" cx={x} cy={y} r={5} />;
    case 'log':
      return (
        <text class="glyph-text" x={x} y={y + 4} text-anchor="middle">
          !
        </text>
      );
    default:
      return <rect class="glyph" x={x - 3.5} y={y - 3.5} width={7} height={7} />;
  }
}

function Message({ it, x, y, laneW, shown, sel, click, keyDown, svgW }: { it: MessageItem; x: Map<string, number>; y(r: number): number; laneW: number; shown: number; sel: boolean; click(): void; keyDown(e: KeyboardEvent): void; svgW: number }) {
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
  const cls = `msg o-${it.outcome}${it.delivered ? '' : ' waiting'}${inFlight ? ' in-flight' : ''}${sel ? ' selected' : ''}`;
  const head = inFlight ? undefined : `url(#${it.rpc === 'call' ? 'ah' : 'ao'}-${it.outcome})`;
  const extra = it.tags.filter((t) => t !== it.outcome && t !== 'ok').map((t) => `+${t}`).join(' ');
  // The accessible name starts with the visible text (WCAG 2.5.3).
  const aria = `${it.label}${extra ? ` ${extra}` : ''}: ${it.rpc} from ${it.from} to ${it.to ?? '?'}, ${it.outcome}`;
  const lx = (x0 + x1) / 2;
  const d = self ? `M${x0},${y0} C${x0 + 40},${y0} ${x0 + 40},${y1} ${x0 + 4},${y1}` : `M${x0},${y0} L${x1},${y1}`;
  return (
    <g class={cls} role="button" tabIndex={0} aria-label={aria} onClick={click} onKeyDown={keyDown} data-id={it.send} data-outcome={it.outcome}>
      <path class="hit" d={d} />
      <path class="line" d={d} marker-end={head} />
      <text aria-hidden="true" class="label" x={self ? x0 + 44 : lx} y={Math.min(y0, y1) - 3} text-anchor={self ? 'start' : 'middle'}>
        {trunc(it.label, self ? svgW - x0 - 60 : Math.max(Math.abs(x1 - x0) - 6, 2 * Math.min(lx - GUTTER, svgW - lx) - 70))}
        {extra && <tspan class="tags"> {extra}</tspan>}
      </text>
      {!it.delivered && !inFlight && (
        <text aria-hidden="true" class="wait" x={x1 + 2} y={y1 + 4}>
          ⏸
        </text>
      )}
    </g>
  );
}
