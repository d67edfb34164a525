/**
 * The matrix (rows are orders under a pin policy, columns are steps), its
 * grouping and sorting, and the summary: which orders are safe, and the
 * rules behind the failures, derived from the failing messages (method,
 * versions, client and server releases), not typed in per case.
 */
import history from '../nova/data/rpc-history.json';
import type { Release } from '../nova/releases';
import { RELEASES } from '../nova/releases';
import type { Binary } from '../nova/service_api';
import { allOrders, orderIndex, orderKey, unitOf, type Column, type Order } from './build';
import { STATUS_RANK, type Cell, type MessageFacts, type Problem, type Status } from './classify';
import type { OrderResult } from './run';
import { autoOnUpgrade, pinsOf, policyId, type PlanSpec, type Unit } from './spec';

export interface Row {
  key: string;
  order: Order;
  policy: number;
  policyId: string;
  columns: Column[];
  cells: Cell[];
  /** Index of the first step whose cell is not all good; -1 when none. */
  firstFailure: number;
  /** Problems over all steps (consequences excluded). */
  total: number;
  worst: Status;
  safe: boolean;
  /** Cells as `status:count` joined: identical rows have the same signature. */
  signature: string;
}

export interface PlanResult {
  spec: PlanSpec;
  rows: Row[];
  rules: Rule[];
  summary: Summary;
}

export type SortKey = 'order' | 'first' | 'total';

/** The jobs a plan runs: every order under every pin policy (policy-major, orders in allOrders' sequence). */
export function planJobs(spec: PlanSpec): { order: Order; policy: number }[] {
  return spec.pins.flatMap((_, policy) => allOrders().map((order) => ({ order, policy })));
}

export function toRow(r: OrderResult): Row {
  const firstFailure = r.cells.findIndex((c) => c.status !== 'ok');
  const total = r.cells.reduce((n, c) => n + c.count, 0);
  const worst = r.cells.reduce<Status>((w, c) => (STATUS_RANK[c.status] > STATUS_RANK[w] ? c.status : w), 'ok');
  return {
    key: r.key,
    order: r.order,
    policy: r.policy,
    policyId: r.policyId,
    columns: r.columns,
    cells: r.cells,
    firstFailure,
    total,
    worst,
    safe: firstFailure === -1,
    signature: `${r.policyId}#${r.cells.map((c) => `${c.status}:${c.count}`).join(',')}`,
  };
}

export function sortRows(rows: Row[], by: SortKey): Row[] {
  const index = new Map(rows.map((r) => [r.key, r.policy * 1000 + orderIndex(r.order)]));
  const canon = (r: Row) => index.get(r.key)!;
  const first = (r: Row) => (r.firstFailure === -1 ? Infinity : r.firstFailure);
  const out = rows.slice();
  if (by === 'order') out.sort((a, b) => canon(a) - canon(b));
  // Latest first failure first: the orders that go furthest before anything breaks.
  else if (by === 'first') out.sort((a, b) => first(b) - first(a) || a.total - b.total || canon(a) - canon(b));
  else out.sort((a, b) => a.total - b.total || first(b) - first(a) || canon(a) - canon(b));
  return out;
}

export interface RowGroup {
  signature: string;
  rows: Row[];
}

/** Rows with the same cells (status and count at every step) under the same policy, in first-seen order. */
export function groupRows(rows: Row[]): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  for (const r of rows) {
    const sig = `${r.signature}|${r.columns.map((c) => c.kind).join(',')}`;
    (groups.get(sig) ?? groups.set(sig, { signature: sig, rows: [] }).get(sig)!).rows.push(r);
  }
  return [...groups.values()];
}

// --- rules ---------------------------------------------------------------------------------

const BINARY_NAME: Record<Binary, string> = { 'nova-api': 'nova-api', 'nova-conductor': 'nova-conductor', 'nova-scheduler': 'nova-scheduler', 'nova-compute': 'nova-compute' };
const UNIT_NAME: Record<Unit, string> = { api: 'the api', conductor: 'the conductor', scheduler: 'the scheduler', computes: 'the computes' };
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const relName = (r: Release) => cap(r);

/** The rpcapi client class sending to a topic / namespace, from the model's data. */
export function clientClass(topic: string | null, namespace: string | null): string | null {
  const apis = (history as { apis: Record<string, { topic?: string; namespace?: string | null; client_class?: string }> }).apis;
  for (const a of Object.values(apis)) if (a.topic === topic && (a.namespace ?? null) === namespace && a.client_class) return a.client_class.split('.').pop()!;
  return null;
}

export interface Rule {
  /** Stable id: the failing message and the releases. */
  id: string;
  /** 'order': keep `before` no older than `after`; 'pin': only a pin or nothing helps; 'none': no order avoids it. */
  kind: 'order' | 'unavoidable' | 'cap';
  /** The unit that must be upgraded first (order rules). */
  first: Unit | null;
  /** The unit that must not be upgraded before `first`. */
  then: Unit | null;
  /** Plain words. */
  text: string;
  /** Why, from the failing message. */
  because: string;
  method: string;
  version: string | null;
  clientRelease: Release | null;
  serverRelease: Release | null;
  /** The failing message behind it (for the UI's own wording). */
  facts: MessageFacts & { clientClass: string | null };
  /** Pin policies under which it was seen, and how many rows it broke. */
  policies: string[];
  rows: number;
  /** One row and step to open. */
  example: { key: string; column: number; event: string };
}

/** Failures a hop rule may explain: a request that died on its way, not one left waiting for a service that is down. */
const HOP_KINDS = new Set(['timeout', 'remote_error', 'error_log', 'object']);

function ruleFor(p: Problem, afterNostart = false): Omit<Rule, 'policies' | 'rows' | 'example'> | null {
  if (!p.message?.refusal && p.hop) return HOP_KINDS.has(p.kind) && !afterNostart ? hopRule(p, p.hop) : null;
  const m = p.message;
  if (!m) return null;
  const cls = clientClass(m.topic, m.namespace);
  const sender = `${m.clientRelease ? `${relName(m.clientRelease)}'s ` : ''}${cls ?? 'client'}${m.clientBinary ? ` (in ${BINARY_NAME[m.clientBinary]})` : ''}`;
  if (p.kind === 'RPCVersionCapError') {
    // The trace's refusal does not name the method; say what it does name.
    const what = m.method !== 'message' ? m.method : `a message at ${m.version ?? '?'}`;
    const unit = UNIT_NAME[unitOf(m.client) ?? 'api'];
    return {
      id: `cap|${m.client}|${m.method}|${m.version}|${m.cap}`,
      kind: 'cap',
      first: null,
      then: null,
      text: `A pin on ${unit} is too low for ${what}: it needs ${m.version ?? '?'} and the cap is ${m.cap ?? '?'}`,
      because: `${m.clientRelease ? relName(m.clientRelease) + "'s " : ''}${BINARY_NAME[m.clientBinary ?? 'nova-api']} refuses to send ${m.method !== 'message' ? `${m.method} ` : ''}v${m.version ?? '?'} above version_cap ${m.cap ?? '?'} (RPCVersionCapError, nothing leaves the process)`,
      method: m.method,
      version: m.version,
      clientRelease: m.clientRelease,
      serverRelease: null,
      facts: { ...m, clientClass: cls },
    };
  }
  // Rules come from refusals only (a queued or timed-out message is a symptom, not a cause).
  if (!m.refusal || !m.clientRelease || !m.serverRelease || !m.server || m.clientRelease === m.serverRelease) return null;
  const cu = unitOf(m.client);
  const su = unitOf(m.server);
  if (!cu || !su) return null;
  const newerClient = RELEASES.indexOf(m.clientRelease) > RELEASES.indexOf(m.serverRelease);
  const how = m.cap ? `under its cap ${m.cap}` : m.asked ? 'with nothing capping it' : 'with no fallback';
  const refusal = `refuses it (${m.refusal}${m.endpointVersion ? `; it speaks ${m.endpointVersion}` : ''})`;
  const because = `${sender} sends ${m.method} at ${m.version ?? '1.0'} ${how}, and ${relName(m.serverRelease)}'s ${m.serverBinary ? BINARY_NAME[m.serverBinary] : m.server} ${refusal}`;
  const base = { method: m.method, version: m.version, clientRelease: m.clientRelease, serverRelease: m.serverRelease, because, facts: { ...m, clientClass: cls } };
  const id = `${m.refusal}|${m.method}|${m.version}|${m.clientBinary}@${m.clientRelease}>${m.serverBinary}@${m.serverRelease}`;
  if (cu === su) {
    return { ...base, id, kind: 'unavoidable', first: null, then: null, text: `No order avoids ${relName(m.clientRelease)} and ${relName(m.serverRelease)} ${UNIT_NAME[cu].replace('the ', '')} side by side for ${m.method}` };
  }
  // A newer client facing an older server: the server goes first. An older client facing a newer server: the client goes first.
  const [first, then] = newerClient ? [su, cu] : [cu, su];
  return { ...base, id, kind: 'order', first, then, text: `${cap(UNIT_NAME[first])} must not be older than ${UNIT_NAME[then]}` };
}

/**
 * A failure no refused message explains (a timeout, a message left waiting):
 * the rule comes from the request's first message between two releases.
 */
function hopRule(p: Problem, h: MessageFacts): Omit<Rule, 'policies' | 'rows' | 'example'> | null {
  const cu = unitOf(h.client);
  const su = h.server ? unitOf(h.server) : null;
  if (!cu || !su || cu === su || !h.clientRelease || !h.serverRelease) return null;
  const newerClient = RELEASES.indexOf(h.clientRelease) > RELEASES.indexOf(h.serverRelease);
  const [first, then] = newerClient ? [su, cu] : [cu, su];
  const outcome = p.text.replace(/^[a-z0-9]+: /, '');
  return {
    id: `hop|${p.kind}|${h.method}|${h.clientBinary}@${h.clientRelease}>${h.serverBinary}@${h.serverRelease}`,
    kind: 'order',
    first,
    then,
    text: `${cap(UNIT_NAME[first])} must not be older than ${UNIT_NAME[then]}`,
    because: `when ${relName(h.clientRelease)}'s ${h.clientBinary ? BINARY_NAME[h.clientBinary] : h.client} sends ${h.method} v${h.version ?? '1.0'} to ${relName(h.serverRelease)}'s ${h.serverBinary ? BINARY_NAME[h.serverBinary] : h.server}, the request ends in ${outcome}`,
    method: h.method,
    version: h.version,
    clientRelease: h.clientRelease,
    serverRelease: h.serverRelease,
    facts: { ...h, clientClass: clientClass(h.topic, h.namespace) },
  };
}

export function deriveRules(rows: Row[]): Rule[] {
  const rules = new Map<string, Rule>();
  for (const r of rows) {
    const seen = new Set<string>();
    // Once a service could not start, what waits for it says nothing new about the order.
    let afterNostart = false;
    r.cells.forEach((c, column) => {
      afterNostart ||= c.problems.some((p) => p.status === 'nostart');
      for (const p of c.problems) {
        const x = ruleFor(p, afterNostart);
        if (!x) continue;
        let rule = rules.get(x.id);
        if (!rule) rules.set(x.id, (rule = { ...x, policies: [], rows: 0, example: { key: r.key, column, event: p.event } }));
        if (!rule.policies.includes(r.policyId)) rule.policies.push(r.policyId);
        if (!seen.has(x.id)) {
          seen.add(x.id);
          rule.rows += 1;
        }
      }
    });
  }
  return [...rules.values()].sort((a, b) => b.rows - a.rows || a.id.localeCompare(b.id));
}

/** Whether an order keeps an order rule (`first` upgraded no later than `then`). */
export function keeps(order: Order, rule: Rule): boolean {
  if (rule.kind !== 'order' || !rule.first || !rule.then) return true;
  return order.indexOf(rule.first) < order.indexOf(rule.then);
}

// --- summary -------------------------------------------------------------------------------

export interface PolicySummary {
  policy: number;
  policyId: string;
  orders: number;
  safe: Order[];
  /** Rules seen under this policy. */
  rules: string[];
  /** The orders keeping every order rule of this policy are exactly the safe ones. */
  rulesExplain: boolean;
  /** Orders that keep every order rule and still fail (no refused message explains them), with what they saw first. */
  unexplained: { order: Order; key: string; column: number; kind: string; text: string }[];
}

export interface Summary {
  anySafe: boolean;
  policies: PolicySummary[];
  /** Plain-language lines (English; the CLI prints them, the UI shows them). */
  lines: string[];
}

export function arrow(order: Order): string {
  return order.join(' → ');
}

export function summarize(spec: PlanSpec, rows: Row[], rules: Rule[]): Summary {
  const policies: PolicySummary[] = spec.pins.map((p, i) => {
    const id = policyId(p);
    const mine = rows.filter((r) => r.policy === i);
    const safe = sortRows(mine.filter((r) => r.safe), 'order').map((r) => r.order);
    // A rule some safe order breaks is not a rule (a failure that depends on more than two services' releases).
    const rs = rules.filter((r) => r.policies.includes(id) && safe.every((o) => keeps(o, r)));
    const orderRules = rs.filter((r) => r.kind === 'order');
    const keeping = mine.filter((r) => orderRules.every((x) => keeps(r.order, x)));
    const rulesExplain = keeping.length === safe.length && keeping.every((r) => r.safe) && rs.every((r) => r.kind === 'order');
    const unexplained = sortRows(keeping.filter((r) => !r.safe), 'order').map((r) => {
      const p = r.cells[r.firstFailure]!.problems[0]!;
      return { order: r.order, key: r.key, column: r.firstFailure, kind: p.kind, text: `${r.columns[r.firstFailure]!.label}: ${p.request}: ${p.text}` };
    });
    return { policy: i, policyId: id, orders: mine.length, safe, rules: rs.map((r) => r.id), rulesExplain, unexplained };
  });
  const lines: string[] = [];
  const pinWords = (i: number) => {
    const p = spec.pins[i]!;
    if (p.kind === 'none') return 'with no pin';
    if (autoOnUpgrade(spec, p)) return 'with [upgrade_levels] compute = auto set on each service as it is upgraded';
    const pins = pinsOf(spec, p);
    const set = new Set(Object.values(pins).flatMap((x) => Object.entries(x ?? {}).map(([k, v]) => `${k} = ${v}`)));
    return `with [upgrade_levels] ${[...set].join(', ')}${p.kind === 'release' ? ' on every service' : ''}, set before the first upgrade and removed after the last`;
  };
  for (const ps of policies) {
    const n = ps.safe.length;
    lines.push(
      n === 0
        ? `${cap(pinWords(ps.policy))}: no order is safe (0 of ${ps.orders}).`
        : `${cap(pinWords(ps.policy))}: ${n} of ${ps.orders} orders are safe: ${ps.safe.map(arrow).join('; ')}.`,
    );
    // One line per rule; the messages behind the same rule joined.
    const byText = new Map<string, string[]>();
    for (const id of ps.rules) {
      const r = rules.find((x) => x.id === id)!;
      (byText.get(r.text) ?? byText.set(r.text, []).get(r.text)!).push(r.because);
    }
    for (const [text, becauses] of byText) lines.push(`  - ${text}, because ${becauses.join('; and ')}.`);
    if (ps.rules.length && ps.rulesExplain) lines.push(`  The orders that keep ${byText.size === 1 ? 'this rule' : 'these rules'} are exactly the safe ones.`);
    for (const u of ps.unexplained) lines.push(`  - ${arrow(u.order)} keeps ${ps.rules.length ? 'these rules' : 'every rule'} and still fails, with no refused message to explain it: ${u.text}`);
  }
  return { anySafe: policies.some((p) => p.safe.length > 0), policies, lines };
}

/** The whole result from finished runs (any order of arrival). */
export function planResult(spec: PlanSpec, results: OrderResult[]): PlanResult {
  const rows = sortRows(results.map(toRow), 'order');
  const rules = deriveRules(rows);
  return { spec, rows, rules, summary: summarize(spec, rows, rules) };
}

/** The matrix as plain data: what the CLI's --json prints and what the page exposes (for comparing them). */
export function matrixData(result: PlanResult): { rows: { key: string; cells: string[] }[]; safe: Record<string, string[]> } {
  return {
    rows: result.rows.map((r) => ({ key: r.key, cells: r.cells.map((c, i) => `${r.columns[i]!.label}:${c.status}:${c.count}`) })),
    safe: Object.fromEntries(result.summary.policies.map((p) => [p.policyId, p.safe.map(orderKey)])),
  };
}
