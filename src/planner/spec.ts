/**
 * A plan: the question an operator brings to the planner. From which
 * release to which, the topology (api, conductor, scheduler, 1-8 computes,
 * computes upgraded one by one or as a group), the pin policies to compare
 * and the workload run after every step. Plain JSON, so a plan can be kept
 * in a repository, put in a URL and sent to a worker.
 */
import history from '../nova/data/rpc-history.json';
import { RELEASES, RELEASE_INFO, isRelease, releaseIndex, type Release } from '../nova/releases';
import { versionAliases } from '../nova/upgrade_levels';
import { WORKLOAD, DEFAULT_WORKLOAD, isWorkloadId, type WorkloadId } from './workload';

/** What is upgraded in one go: a service, or (as a group, or one by one) the computes. */
export type Unit = 'api' | 'conductor' | 'scheduler' | 'computes';
export const UNITS: readonly Unit[] = ['api', 'conductor', 'scheduler', 'computes'];

/** The RPC topics whose clients read an [upgrade_levels] option in the modelled releases. */
export const PIN_TOPICS = ['compute', 'conductor', 'scheduler'] as const;
export type PinTopic = (typeof PIN_TOPICS)[number];

/**
 * How [upgrade_levels] is handled during the upgrade.
 *  - none: no pin at any time;
 *  - release: `compute = <from>` on every service before the first upgrade, removed after the last (the article's);
 *  - custom: the per-unit pins given, set before the first upgrade and removed after the last;
 *  - auto: `compute = auto` where the releases have it: on every service from the start when
 *    the old release has it, else on each service as it is upgraded (and never removed).
 */
export type PinPolicy =
  | { kind: 'none' }
  | { kind: 'release' }
  | { kind: 'custom'; pins: Partial<Record<Unit, Partial<Record<PinTopic, string>>>> }
  | { kind: 'auto' };

export interface PlanSpec {
  from: Release;
  to: Release;
  /** 1..8 nova-compute services. */
  computes: number;
  /** 'group': all computes in one step; 'each': one step per compute (compute1..N, other compute orders folded). */
  computeMode: 'group' | 'each';
  pins: PinPolicy[];
  workload: WorkloadId[];
  /** Every order runs on its own fresh cluster with this seed. */
  seed: string;
}

export class PlanError extends Error {}

export const DEFAULT_SEED = 'nova-upgrade-lab planner';

export function defaultPlan(): PlanSpec {
  return { from: 'juno', to: 'kilo', computes: 2, computeMode: 'group', pins: [{ kind: 'none' }, { kind: 'release' }], workload: [...DEFAULT_WORKLOAD], seed: DEFAULT_SEED };
}

/** Every adjacent pair of releases the model has, oldest first. */
export function adjacentPairs(): [Release, Release][] {
  return RELEASES.slice(1).map((to, i) => [RELEASES[i]!, to]);
}

/** Every ordered pair (older, newer) of modelled releases. */
export function releasePairs(): [Release, Release][] {
  const out: [Release, Release][] = [];
  for (let i = 0; i < RELEASES.length; i++) for (let j = i + 1; j < RELEASES.length; j++) out.push([RELEASES[i]!, RELEASES[j]!]);
  return out;
}

/** First numeric component of a nova tag ('2015.1.0' -> 2015, '13.0.0 (mitaka)' -> 13); date tags (2014.2) come before 12.0.0. */
function tagRank(tag: string): number {
  const n = Number(/^\d+/.exec(tag)?.[0] ?? NaN);
  return n >= 2000 ? n - 3000 : n;
}

/**
 * Whether `[upgrade_levels] compute = auto` exists in a release, from the
 * model's data (the release that introduced it), not typed in here.
 */
export function autoPinAvailable(release: Release): boolean {
  const intro = autoIntroducedIn();
  if (!intro) return false;
  return tagRank(RELEASE_INFO[release].tag) >= tagRank(intro);
}

function findAuto(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const rec = value as Record<string, unknown>;
  const auto = rec.auto as { introduced_in?: unknown } | undefined;
  if (auto && typeof auto === 'object' && typeof auto.introduced_in === 'string') return auto.introduced_in;
  for (const v of Object.values(rec)) {
    const r = findAuto(v);
    if (r) return r;
  }
  return undefined;
}

/** The release that introduced `compute = auto`, as the data says (upgrade_levels.auto.introduced_in). */
export function autoIntroducedIn(): string | undefined {
  return findAuto((history as { upgrade_levels?: unknown }).upgrade_levels);
}

/** A policy's short name, as the CLI takes it: none, article, auto, custom(...). */
export function policyId(p: PinPolicy): string {
  return p.kind === 'custom' ? `custom(${customText(p.pins)})` : p.kind === 'release' ? 'article' : p.kind;
}

export function customText(pins: Partial<Record<Unit, Partial<Record<PinTopic, string>>>>): string {
  const parts: string[] = [];
  for (const u of UNITS) for (const t of PIN_TOPICS) if (pins[u]?.[t]) parts.push(`${u}.${t}=${pins[u]![t]}`);
  return parts.join(',');
}

/** `api.compute=juno,conductor.scheduler=juno`; `*.compute=juno` for every unit. */
export function parseCustomPins(text: string): Partial<Record<Unit, Partial<Record<PinTopic, string>>>> {
  const out: Partial<Record<Unit, Partial<Record<PinTopic, string>>>> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z*]+)\.([a-z]+)=([A-Za-z0-9.]+)$/.exec(part);
    if (!m) throw new PlanError(`custom pin "${part}": write unit.topic=value, e.g. conductor.compute=juno`);
    const [, unit, topic, value] = m as unknown as [string, string, string, string];
    const units = unit === '*' ? UNITS : [unit];
    for (const u of units) {
      if (!(UNITS as readonly string[]).includes(u)) throw new PlanError(`custom pin "${part}": unit must be one of ${UNITS.join(', ')} or *`);
      if (!(PIN_TOPICS as readonly string[]).includes(topic)) throw new PlanError(`custom pin "${part}": topic must be one of ${PIN_TOPICS.join(', ')}`);
      ((out[u as Unit] ??= {})[topic as PinTopic] = value);
    }
  }
  return out;
}

export function parsePolicy(text: string): PinPolicy {
  const t = text.trim();
  if (t === 'none') return { kind: 'none' };
  if (t === 'release' || t === 'article') return { kind: 'release' };
  if (t === 'auto') return { kind: 'auto' };
  const m = /^custom\((.*)\)$/.exec(t) ?? /^custom:(.*)$/.exec(t);
  if (m) return { kind: 'custom', pins: parseCustomPins(m[1]!) };
  throw new PlanError(`pin policy "${t}": use none, article, auto or custom(unit.topic=value,...)`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Check a plan (from JSON, a URL or the CLI); every problem is named. Missing keys take the defaults. */
export function parsePlan(value: unknown): PlanSpec {
  if (!isObj(value)) throw new PlanError('a plan must be a JSON object');
  const d = defaultPlan();
  const from = value.from ?? d.from;
  const to = value.to ?? d.to;
  if (!isRelease(from)) throw new PlanError(`from: must be one of ${RELEASES.join(', ')}`);
  if (!isRelease(to)) throw new PlanError(`to: must be one of ${RELEASES.join(', ')}`);
  if (releaseIndex(to) !== releaseIndex(from) + 1) {
    throw new PlanError(`from ${from} to ${to}: the planner upgrades one release at a time (${adjacentPairs().map(([a, b]) => `${a} -> ${b}`).join(', ')})`);
  }
  const computes = value.computes ?? d.computes;
  if (typeof computes !== 'number' || !Number.isInteger(computes) || computes < 1 || computes > 8) throw new PlanError('computes: must be a whole number from 1 to 8');
  const computeMode = value.computeMode ?? d.computeMode;
  if (computeMode !== 'group' && computeMode !== 'each') throw new PlanError('computeMode: must be "group" (all computes in one step) or "each" (one by one)');
  let pins: PinPolicy[] = d.pins;
  if (value.pins !== undefined) {
    if (!Array.isArray(value.pins) || value.pins.length === 0) throw new PlanError('pins: must be a non-empty list of pin policies');
    pins = value.pins.map((p, i) => {
      if (typeof p === 'string') return parsePolicy(p);
      if (!isObj(p)) throw new PlanError(`pins[${i}]: a policy name or {"kind": ...}`);
      if (p.kind === 'custom') {
        if (!isObj(p.pins)) throw new PlanError(`pins[${i}].pins: must map units to {topic: value}`);
        const custom: Partial<Record<Unit, Partial<Record<PinTopic, string>>>> = {};
        for (const [u, topics] of Object.entries(p.pins)) {
          if (!(UNITS as readonly string[]).includes(u)) throw new PlanError(`pins[${i}].pins.${u}: unit must be one of ${UNITS.join(', ')}`);
          if (!isObj(topics)) throw new PlanError(`pins[${i}].pins.${u}: must map topics to values`);
          for (const [topic, v] of Object.entries(topics)) {
            if (!(PIN_TOPICS as readonly string[]).includes(topic)) throw new PlanError(`pins[${i}].pins.${u}.${topic}: topic must be one of ${PIN_TOPICS.join(', ')}`);
            if (typeof v !== 'string' || !/^[A-Za-z0-9.]{1,16}$/.test(v)) throw new PlanError(`pins[${i}].pins.${u}.${topic}: a release name or a version like 3.35`);
            (custom[u as Unit] ??= {})[topic as PinTopic] = v;
          }
        }
        return { kind: 'custom', pins: custom } as PinPolicy;
      }
      if (p.kind === 'none' || p.kind === 'release' || p.kind === 'auto') return { kind: p.kind } as PinPolicy;
      throw new PlanError(`pins[${i}].kind: must be none, release, custom or auto`);
    });
    const ids = pins.map(policyId);
    const dup = ids.find((x, i) => ids.indexOf(x) !== i);
    if (dup) throw new PlanError(`pins: "${dup}" is listed twice`);
  }
  for (const p of pins) {
    if (p.kind === 'auto' && !autoPinAvailable(to)) {
      throw new PlanError(`pins: compute = auto is not in ${from} or ${to} (the data says it came with ${autoIntroducedIn() ?? 'a later release'})`);
    }
  }
  let workload: WorkloadId[] = d.workload;
  if (value.workload !== undefined) {
    if (!Array.isArray(value.workload) || value.workload.length === 0) throw new PlanError(`workload: a non-empty list of ${Object.keys(WORKLOAD).join(', ')}`);
    workload = value.workload.map((w, i) => {
      if (!isWorkloadId(w)) throw new PlanError(`workload[${i}]: "${String(w)}" is not one of ${Object.keys(WORKLOAD).join(', ')}`);
      return w;
    });
    if (new Set(workload).size !== workload.length) throw new PlanError('workload: an action is listed twice');
  }
  const seed = value.seed ?? d.seed;
  if (typeof seed !== 'string' || seed.length === 0 || seed.length > 100) throw new PlanError('seed: a non-empty string (at most 100 characters)');
  return { from, to, computes, computeMode, pins, workload, seed };
}

/** The pins a policy sets, per unit (what is set before the first upgrade and removed after the last). */
export function pinsOf(spec: PlanSpec, p: PinPolicy): Partial<Record<Unit, Partial<Record<PinTopic, string>>>> {
  switch (p.kind) {
    case 'none':
      return {};
    case 'release':
      return Object.fromEntries(UNITS.map((u) => [u, { compute: spec.from }]));
    case 'auto':
      // From a release without `auto` (Liberty -> Mitaka) each service gets it as it is upgraded (autoOnUpgrade).
      return autoPinAvailable(spec.from) ? Object.fromEntries(UNITS.map((u) => [u, { compute: 'auto' }])) : {};
    case 'custom':
      return p.pins;
  }
}

/** `auto` set on each service as it is upgraded (the old release has no such value). */
export function autoOnUpgrade(spec: PlanSpec, p: PinPolicy): boolean {
  return p.kind === 'auto' && !autoPinAvailable(spec.from) && autoPinAvailable(spec.to);
}

/** What a pin resolves to on a client of `release` (the alias table), for explanations. */
export function pinCap(topic: PinTopic, release: Release, value: string): string {
  try {
    return versionAliases(topic, release)[value] ?? value;
  } catch {
    return value;
  }
}

// --- URLs ---------------------------------------------------------------------------------

/** A plan as a URL query (the #/planner deep link). Defaults are left out. */
export function planToQuery(spec: PlanSpec): string {
  const q = new URLSearchParams();
  q.set('from', spec.from);
  q.set('to', spec.to);
  q.set('computes', String(spec.computes));
  if (spec.computeMode !== 'group') q.set('computeMode', spec.computeMode);
  q.set('pins', spec.pins.map(policyId).join(';'));
  q.set('workload', spec.workload.join(','));
  if (spec.seed !== DEFAULT_SEED) q.set('seed', spec.seed);
  return q.toString();
}

/** A plan from a URL query; bad values raise PlanError. */
export function planFromQuery(query: string): PlanSpec {
  const q = new URLSearchParams(query.replace(/^\?/, ''));
  const value: Record<string, unknown> = {};
  for (const k of ['from', 'to', 'computeMode', 'seed']) if (q.has(k)) value[k] = q.get(k);
  if (q.has('computes')) value.computes = Number(q.get('computes'));
  if (q.has('pins')) value.pins = q.get('pins')!.split(';').filter(Boolean);
  if (q.has('workload')) value.workload = q.get('workload')!.split(',').filter(Boolean);
  return parsePlan(value);
}
