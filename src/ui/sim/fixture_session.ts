/**
 * A stand-in PlaygroundSession over the recorded FIXTURE trace, used until
 * the worker runtime runs (and with ?session=fixture). Verbs change the
 * snapshot and log what they would do; `run` answers with the part of the
 * fixture that matches the lesson's input (pinned when a conf file sets
 * `[upgrade_levels] compute`, or the code asks `can_send_version`), and
 * checks the scenario's `event` / `no_event` expectations on it.
 */
import type { ClusterSnapshot } from '../../runtime/cluster';
import type { Expectation, ExpectationResult, ServiceDef, Step } from '../../runtime/scenario';
import { eventMatches } from '../../runtime/match';
import type { TraceEvent, TraceKind } from '../../runtime/trace';
import type { Release } from '../../nova/releases';
import type { UserAction } from '../../nova/service_api';
import { FIXTURE, buildFixture, fixtureSnapshot } from './fixture';
import { DEFAULT_SEED, type PlaygroundSession, type RunInput, type RunResult, type SessionHistory } from './session';

/** Expectations checkable on a trace alone (the fixture has no live cluster for the others). */
export function checkOnTrace(x: Expectation, events: readonly TraceEvent[]): ExpectationResult {
  switch (x.expect) {
    case 'event': {
      const n = events.filter((e) => eventMatches(e, x.match)).length;
      const min = x.count ?? x.min ?? 1;
      const max = x.count ?? x.max ?? Infinity;
      const ok = n >= min && n <= max;
      return { expectation: x, ok, detail: `${n} matching event(s)${ok ? '' : `, wanted ${x.count ?? `${min}..${max}`}`}` };
    }
    case 'no_event': {
      const hit = events.find((e) => eventMatches(e, x.match));
      return { expectation: x, ok: !hit, detail: hit ? `unexpected: ${hit.text}` : 'none, as wanted' };
    }
    default:
      return { expectation: x, ok: true, detail: 'not checked by the recorded trace (the simulator is not connected)' };
  }
}

function snapshotFor(services: ServiceDef[]): ClusterSnapshot {
  return {
    time: 0,
    services: services.map((s) => ({
      id: s.id,
      binary: s.binary,
      release: s.release,
      host: s.conf?.DEFAULT?.host ?? s.id,
      state: s.start === false ? 'stopped' : 'running',
      incarnation: s.start === false ? 0 : 1,
      upgrade_levels: { ...(s.conf?.upgrade_levels ?? {}) },
      conf: { ...(s.conf ?? {}), DEFAULT: { host: s.id, ...(s.conf?.DEFAULT ?? {}) } },
      hasUserCode: Boolean(s.code && Object.keys(s.code).length),
    })),
    queues: {},
    instances: [],
  };
}

export class FixtureSession implements PlaygroundSession {
  readonly kind = 'fixture' as const;
  private snap: ClusterSnapshot;
  private list: TraceEvent[];
  private listeners = new Set<() => void>();
  busy = false;
  private hist: SessionHistory | null = null;

  constructor(withTrace = true) {
    this.snap = fixtureSnapshot();
    this.list = withTrace ? FIXTURE.map((e) => ({ ...e })) : [];
  }

  get events(): readonly TraceEvent[] {
    return this.list;
  }

  snapshot(): ClusterSnapshot {
    return this.snap;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  private record(kind: TraceKind, service: string, text: string, data?: Record<string, unknown>, cause?: string): string {
    const last = this.list[this.list.length - 1];
    const seq = (last?.seq ?? 0) + 1;
    const e: TraceEvent = { id: `e${seq}`, seq, time: (last?.time ?? 0) + 1, kind, service, text };
    if (data) e.data = data;
    if (cause) e.cause = cause;
    this.list = [...this.list, e];
    this.snap = { ...this.snap, time: e.time };
    return e.id;
  }

  private patch(id: string, f: (s: ClusterSnapshot['services'][number]) => ClusterSnapshot['services'][number]): void {
    this.snap = { ...this.snap, services: this.snap.services.map((s) => (s.id === id ? f(s) : s)) };
  }

  private log(step: Step): void {
    this.hist?.steps.push(structuredClone(step));
  }

  history(): SessionHistory | null {
    return this.hist ? structuredClone(this.hist) : null;
  }

  /** The fixture cannot simulate: it rebuilds the services and applies the steps to its snapshot. */
  async replay(services: ServiceDef[], steps: Step[], seed: string = DEFAULT_SEED): Promise<void> {
    await this.reset(services, seed);
    for (const st of steps) {
      try {
        if (st.do === 'action') {
          const { do: _d, expect_ok: _e, ...a } = st;
          await this.act(a as UserAction);
        } else if (st.do === 'upgrade') await this.upgrade(st.service, st.release);
        else if (st.do === 'stop' || st.do === 'start' || st.do === 'restart') await this[st.do](st.service);
        else if (st.do === 'configure') await this.configure(st.service, st.section, st.option, st.value);
        else if (st.do === 'add_service') await this.addCompute(st.service.release);
      } catch {
        /* as in the real session: skipped */
      }
    }
  }

  async act(action: UserAction): Promise<void> {
    this.log({ do: 'action', ...action } as Step);
    const name = 'name' in action ? action.name : action.server;
    const ua = this.record('user_action', 'user', `user: ${action.action.replace('_', '-')} ${name}`, { action });
    this.record('outcome', 'api', 'recorded trace: the simulator is not connected, nothing was sent', { ok: true }, ua);
    if (action.action === 'create') {
      const row = { uuid: `0000${this.snap.instances.length}`.slice(-4) + '-fixture', display_name: action.name, vm_state: 'building', task_state: 'scheduling', host: null, node: null, power_state: 0, deleted: false };
      this.snap = { ...this.snap, instances: [...this.snap.instances, row as unknown as ClusterSnapshot['instances'][number]] };
    }
    this.emit();
  }

  async upgrade(id: string, release: Release): Promise<void> {
    this.log({ do: 'upgrade', service: id, release });
    const from = this.snap.services.find((s) => s.id === id)?.release;
    this.patch(id, (s) => ({ ...s, release, state: 'running', incarnation: s.incarnation + 1 }));
    this.record('lifecycle', id, `${id} ${from && release < from ? 'downgraded' : 'upgraded'} from ${from} to ${release}`, { action: 'upgraded', release });
    this.emit();
  }

  async stop(id: string): Promise<void> {
    this.log({ do: 'stop', service: id });
    this.patch(id, (s) => ({ ...s, state: 'stopped' }));
    this.record('lifecycle', id, `${id} stopped`, { action: 'stopped' });
    this.emit();
  }

  async start(id: string): Promise<void> {
    this.log({ do: 'start', service: id });
    this.patch(id, (s) => ({ ...s, state: 'running', incarnation: s.incarnation + 1 }));
    this.record('lifecycle', id, `${id} started`, { action: 'started' });
    this.emit();
  }

  async restart(id: string): Promise<void> {
    this.log({ do: 'restart', service: id });
    this.patch(id, (s) => ({ ...s, state: 'running', incarnation: s.incarnation + 1 }));
    this.record('lifecycle', id, `${id} restarted`, { action: 'restarted' });
    this.emit();
  }

  async configure(id: string, section: string, option: string, value: string | null): Promise<void> {
    this.log({ do: 'configure', service: id, section, option, value });
    this.patch(id, (s) => {
      const sec = { ...(s.conf[section] ?? {}) };
      if (value === null) delete sec[option];
      else sec[option] = value;
      const conf = { ...s.conf, [section]: sec };
      return { ...s, conf, upgrade_levels: section === 'upgrade_levels' ? sec : s.upgrade_levels };
    });
    this.record('lifecycle', id, `${id}: [${section}] ${option} = ${value ?? '(unset)'}`, { action: 'configure', section, option, value });
    this.emit();
  }

  async addCompute(release: Release): Promise<string> {
    const n = 1 + Math.max(0, ...this.snap.services.map((s) => Number(/^compute(\d+)$/.exec(s.id)?.[1] ?? 0)));
    const id = `compute${n}`;
    this.log({ do: 'add_service', service: { id, binary: 'nova-compute', release } });
    this.snap = { ...this.snap, services: [...this.snap.services, { id, binary: 'nova-compute', release, host: id, state: 'running', incarnation: 1, upgrade_levels: {}, conf: { DEFAULT: { host: id } }, hasUserCode: false }] };
    this.record('lifecycle', id, `${id} (nova-compute, ${release}) started`, { action: 'started', release, binary: 'nova-compute', host: id });
    this.emit();
    return id;
  }

  async reset(services: ServiceDef[], seed: string = DEFAULT_SEED): Promise<void> {
    this.hist = { services: structuredClone(services), steps: [], seed };
    this.snap = snapshotFor(services);
    this.list = [];
    for (const s of services) if (s.start !== false) this.record('lifecycle', s.id, `${s.id} (${s.binary}, ${s.release}) started`, { action: 'started', release: s.release, binary: s.binary, host: s.id });
    this.emit();
  }

  async run(input: RunInput): Promise<RunResult> {
    this.busy = true;
    this.emit();
    await new Promise((r) => setTimeout(r, 60)); // a run takes a moment; let the UI show it
    const src = Object.values(input.code).flatMap((m) => Object.values(m)).join('\n');
    const confPinned = Object.values(input.conf).some((t) => /^\s*\[upgrade_levels\][^[]*^\s*compute\s*[=:]\s*\S+/m.test(t));
    const pinned = confPinned || /can_send_version\s*\(/.test(src);
    const services = input.scenario.services.map((s) => {
      const conf = input.conf[s.id];
      const levels = conf ? parseUpgradeLevels(conf) : {};
      return { ...s, conf: { ...(s.conf ?? {}), upgrade_levels: { ...(s.conf?.upgrade_levels ?? {}), ...levels } }, code: input.code[s.id] };
    });
    this.snap = snapshotFor(services);
    this.hist = null;
    this.list = buildFixture({ pinned, errors: false });
    const results = (input.scenario.expect ?? []).map((x) => checkOnTrace(x, this.list));
    this.busy = false;
    this.emit();
    return { events: this.list, results, ok: results.every((r) => r.ok) };
  }

  dispose(): void {
    this.listeners.clear();
  }
}

function parseUpgradeLevels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const h = /^\[([^\]]+)\]$/.exec(line);
    if (h) section = h[1]!.trim();
    else if (section === 'upgrade_levels') {
      const kv = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(line);
      if (kv) out[kv[1]!] = kv[2]!.trim();
    }
  }
  return out;
}
