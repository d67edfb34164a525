/**
 * Orders and the scenario each one runs: every order of the four units
 * (api, conductor, scheduler, computes), and for one order and one pin
 * policy the scenario (services, pins, upgrade steps, the workload after
 * each) with the column each step belongs to.
 */
import type { Release } from '../nova/releases';
import type { Scenario, ServiceDef, Step } from '../runtime/scenario';
import { parseScenario } from '../runtime/scenario_schema';
import { PIN_TOPICS, UNITS, autoOnUpgrade, pinsOf, policyId, type PinPolicy, type PlanSpec, type Unit } from './spec';
import { workloadSteps } from './workload';

export type Order = Unit[];

let ALL: Order[] | null = null;

/** Every order of the units, in a fixed (lexicographic by UNITS) sequence: 24 for four units. */
export function allOrders(units: readonly Unit[] = UNITS): Order[] {
  if (units === UNITS) return (ALL ??= permutations(UNITS)).map((o) => o.slice());
  return permutations(units);
}

/** Position of an order in allOrders() (-1 when it is not one). */
export function orderIndex(order: Order): number {
  ALL ??= permutations(UNITS);
  const k = orderKey(order);
  return ALL.findIndex((o) => orderKey(o) === k);
}

function permutations(units: readonly Unit[]): Order[] {
  if (units.length <= 1) return [units.slice()];
  const out: Order[] = [];
  units.forEach((u, i) => {
    for (const rest of permutations([...units.slice(0, i), ...units.slice(i + 1)])) out.push([u, ...rest]);
  });
  return out;
}

export function orderKey(order: Order): string {
  return order.join('>');
}

export function parseOrder(text: string): Order {
  const parts = text.split(/\s*(?:>|,|->|→)\s*/).filter(Boolean);
  const ok = parts.length === UNITS.length && UNITS.every((u) => parts.includes(u));
  if (!ok) throw new Error(`order "${text}": name each of ${UNITS.join(', ')} once, e.g. scheduler>conductor>computes>api`);
  return parts as Order;
}

export function computeIds(spec: PlanSpec): string[] {
  return Array.from({ length: spec.computes }, (_, i) => `compute${i + 1}`);
}

/** The service ids a unit stands for. */
export function servicesOf(spec: PlanSpec, unit: Unit): string[] {
  return unit === 'computes' ? computeIds(spec) : [unit];
}

export function unitOf(serviceId: string): Unit | null {
  if (/^compute\d+$/.test(serviceId)) return 'computes';
  return (UNITS as readonly string[]).includes(serviceId) ? (serviceId as Unit) : null;
}

export type ColumnKind = 'before' | 'upgrade' | 'unpin';

export interface Column {
  kind: ColumnKind;
  /** 'before', a unit or a compute id ('scheduler', 'computes', 'compute2'), or 'unpin'. */
  label: string;
  /** The services this step upgrades (or un-pins). */
  services: string[];
}

export interface BuiltOrder {
  order: Order;
  policy: PinPolicy;
  scenario: Scenario;
  columns: Column[];
  /** For each scenario step, the column it belongs to. */
  stepColumn: number[];
}

/** The columns of a plan (the same for every order, up to which unit each upgrade step names). */
export function columnsFor(spec: PlanSpec, order: Order, policy: PinPolicy): Column[] {
  const cols: Column[] = [{ kind: 'before', label: 'before', services: [] }];
  for (const unit of order) {
    if (unit === 'computes' && spec.computeMode === 'each') for (const id of computeIds(spec)) cols.push({ kind: 'upgrade', label: id, services: [id] });
    else cols.push({ kind: 'upgrade', label: unit, services: servicesOf(spec, unit) });
  }
  const pins = pinsOf(spec, policy);
  const pinned = UNITS.flatMap((u) => (Object.keys(pins[u] ?? {}).length ? servicesOf(spec, u) : []));
  if (pinned.length) cols.push({ kind: 'unpin', label: 'unpin', services: pinned });
  return cols;
}

/** The scenario one order runs under one pin policy. */
export function buildOrder(spec: PlanSpec, order: Order, policy: PinPolicy): BuiltOrder {
  const pins = pinsOf(spec, policy);
  const computes = computeIds(spec);
  const confOf = (unit: Unit): ServiceDef['conf'] => {
    const p = pins[unit];
    return p && Object.keys(p).length ? { upgrade_levels: { ...(p as Record<string, string>) } } : undefined;
  };
  const def = (id: string, binary: ServiceDef['binary'], unit: Unit): ServiceDef => {
    const conf = confOf(unit);
    return { id, binary, release: spec.from, ...(conf ? { conf } : {}) };
  };
  // Conductor first: a compute registers itself through it (the scenarios' order).
  const services: ServiceDef[] = [
    def('conductor', 'nova-conductor', 'conductor'),
    def('scheduler', 'nova-scheduler', 'scheduler'),
    ...computes.map((id) => def(id, 'nova-compute', 'computes')),
    def('api', 'nova-api', 'api'),
  ];
  const columns = columnsFor(spec, order, policy);
  const steps: Step[] = [];
  const stepColumn: number[] = [];
  const push = (col: number, ...s: Step[]) => {
    for (const x of s) {
      steps.push(x);
      stepColumn.push(col);
    }
  };
  const base = 'vm-base';
  const freshName = (c: Column) => (c.kind === 'before' ? 'vm-before' : c.kind === 'unpin' ? 'vm-unpinned' : `vm-after-${c.label}`);
  const hasBoot = spec.workload.includes('boot');
  columns.forEach((c, i) => {
    if (c.kind === 'before') {
      const pinText = describePins(pins);
      push(i, { do: 'note', text: `All services run ${spec.from}${pinText ? `; ${pinText}` : ''}.` }, { do: 'action', action: 'create', name: base, flavor: 'm1.tiny' });
    } else if (c.kind === 'upgrade') {
      const auto = autoOnUpgrade(spec, policy);
      push(
        i,
        { do: 'note', text: `Upgrade ${c.label} to ${spec.to}${auto ? ' with [upgrade_levels] compute = auto' : ''}` },
        ...c.services.flatMap((s): Step[] => [
          ...(auto ? [{ do: 'configure', service: s, section: 'upgrade_levels', option: 'compute', value: 'auto', restart: false } as Step] : []),
          { do: 'upgrade', service: s, release: spec.to as Release },
        ]),
      );
    } else {
      push(i, { do: 'note', text: `Everything runs ${spec.to}: remove the pins` });
      for (const unit of UNITS) {
        for (const topic of PIN_TOPICS) {
          if (!pins[unit]?.[topic]) continue;
          for (const s of servicesOf(spec, unit)) push(i, { do: 'configure', service: s, section: 'upgrade_levels', option: topic, value: null });
        }
      }
    }
    push(i, ...workloadSteps(spec.workload, { base, fresh: hasBoot ? freshName(c) : base, computes, step: i }));
  });
  const scenario = parseScenario({
    title: `${spec.from} -> ${spec.to}: ${order.join(' -> ')} (pins: ${policyId(policy)})`,
    description: 'Built by the upgrade planner: one order, one pin policy, the workload after every step.',
    seed: spec.seed,
    services,
    steps,
  });
  return { order, policy, scenario, columns, stepColumn };
}

export function describePins(pins: ReturnType<typeof pinsOf>): string {
  const parts: string[] = [];
  for (const unit of UNITS) {
    const p = pins[unit];
    if (!p) continue;
    const kv = Object.entries(p).map(([k, v]) => `${k} = ${v}`);
    if (kv.length) parts.push(`${unit}: [upgrade_levels] ${kv.join(', ')}`);
  }
  // The common case: the same pin everywhere.
  const texts = new Set(parts.map((p) => p.replace(/^[a-z]+: /, '')));
  if (parts.length === UNITS.length && texts.size === 1) return `every service reads ${[...texts][0]}`;
  return parts.join('; ');
}
