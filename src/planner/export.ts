/**
 * Exports: the matrix as Markdown, CSV and plain text (the CLI), and one
 * order as a runbook (one step per line: what to do, the pins to set and
 * remove, the check to run after it, and what the simulation saw).
 */
import { servicesOf, type Order } from './build';
import type { Cell, Status } from './classify';
import { arrow, type PlanResult, type Row } from './matrix';
import { PIN_TOPICS, UNITS, pinsOf, type PlanSpec } from './spec';
import { WORKLOAD, WORKLOAD_IDS } from './workload';

export const STATUS_WORD: Record<Status, string> = { ok: 'ok', failed: 'failed', hung: 'hung/lost', nostart: 'no start' };
const STATUS_MARK: Record<Status, string> = { ok: '✓', failed: '✗', hung: '◔', nostart: '⊘' };

export function cellText(c: Cell): string {
  return c.status === 'ok' ? STATUS_MARK.ok : `${STATUS_MARK[c.status]} ${c.count}`;
}

function title(spec: PlanSpec): string {
  return `${spec.from} → ${spec.to}, ${spec.computes} compute${spec.computes > 1 ? 's' : ''} (${spec.computeMode === 'group' ? 'as a group' : 'one by one'}), workload: ${spec.workload.join(', ')}`;
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function toMarkdown(result: PlanResult): string {
  const out: string[] = [`## Upgrade plan: ${title(result.spec)}`, ''];
  const width = Math.max(...result.rows.map((r) => r.cells.length));
  out.push(`| pins | order | ${Array.from({ length: width }, (_, i) => (i === 0 ? 'before' : `step ${i}`)).join(' | ')} | problems |`);
  out.push(`|---|---|${'---|'.repeat(width)}---|`);
  for (const r of result.rows) {
    out.push(`| ${esc(r.policyId)} | ${arrow(r.order)} | ${r.cells.map((c, i) => `${i === 0 ? '' : `${r.columns[i]!.label} `}${cellText(c)}`).join(' | ')} | ${r.total} |`);
  }
  out.push('', '✓ all good · ✗ a request failed · ◔ a request hung or was lost · ⊘ a service could not start (with the number of requests).', '', '### Summary', '');
  for (const l of result.summary.lines) out.push(l.startsWith('  ') ? `${l.trim().startsWith('-') ? '  ' : ''}${l.trim()}` : `- ${l}`);
  return out.join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(result: PlanResult): string {
  const lines = [['pins', 'order', 'step', 'upgrade', 'status', 'count', 'requests', 'first problem'].join(',')];
  for (const r of result.rows) {
    r.cells.forEach((c, i) => {
      lines.push([r.policyId, r.order.join('>'), String(i), r.columns[i]!.label, c.status, String(c.count), String(c.requests), c.problems[0] ? `${c.problems[0].request}: ${c.problems[0].text}` : ''].map(csvField).join(','));
    });
  }
  return lines.join('\n') + '\n';
}

/** A fixed-width text matrix for the terminal. */
export function toText(result: PlanResult): string {
  const out: string[] = [`Upgrade plan: ${title(result.spec)}`, ''];
  const orderW = Math.max(...result.rows.map((r) => arrow(r.order).length));
  const polW = Math.max(4, ...result.rows.map((r) => r.policyId.length));
  const cellW = Math.max(10, ...result.rows.flatMap((r) => r.columns.map((c) => c.label.length + 5)));
  for (const r of result.rows) {
    const cells = r.cells.map((c, i) => `${r.columns[i]!.label} ${cellText(c)}`.padEnd(cellW)).join(' ');
    out.push(`${r.policyId.padEnd(polW)}  ${arrow(r.order).padEnd(orderW)}  ${cells}`);
  }
  out.push('', '✓ all good  ✗ a request failed  ◔ hung or lost  ⊘ could not start (count of requests)', '');
  out.push(...result.summary.lines);
  return out.join('\n') + '\n';
}

function checkText(spec: PlanSpec): string {
  const names = WORKLOAD_IDS.filter((id) => spec.workload.includes(id)).map((id) => WORKLOAD[id].label);
  return names.join(', ');
}

/** One order under one policy as an operator's runbook. */
export function toRunbook(spec: PlanSpec, row: Row): string {
  const policy = spec.pins[row.policy]!;
  const pins = pinsOf(spec, policy);
  const lines: string[] = [`# Runbook: ${spec.from} → ${spec.to}, ${arrow(row.order)} (pins: ${row.policyId})`, ''];
  const check = `check: ${checkText(spec)}`;
  const seen = (i: number) => {
    const c = row.cells[i]!;
    if (c.status === 'ok') return 'simulated: all good';
    const p = c.problems[0];
    return `simulated: ${STATUS_WORD[c.status]} ×${c.count}${p ? ` (${p.request}: ${p.text})` : ''}`;
  };
  let n = 1;
  // One line per option and value, with every service that gets it.
  const byPin = new Map<string, string[]>();
  for (const u of UNITS) for (const t of PIN_TOPICS) if (pins[u]?.[t]) (byPin.get(`${t} = ${pins[u]![t]}`) ?? byPin.set(`${t} = ${pins[u]![t]}`, []).get(`${t} = ${pins[u]![t]}`)!).push(...servicesOf(spec, u));
  const pinLines = [...byPin].map(([pin, services]) => `[upgrade_levels] ${pin} on ${services.join(', ')}`);
  row.columns.forEach((col, i) => {
    if (col.kind === 'before') {
      lines.push(`${n++}. ${pinLines.length ? `Set ${pinLines.join('; ')}; restart those services.` : 'No pins.'} — ${check} — ${seen(i)}`);
    } else if (col.kind === 'upgrade') {
      lines.push(`${n++}. Upgrade ${col.services.join(', ')} to ${spec.to} (stop, install, start with the same host). — ${check} — ${seen(i)}`);
    } else {
      lines.push(`${n++}. Remove ${pinLines.map((l) => l.replace(/ = [^ ]+/, '')).join('; ')}; restart those services. — ${check} — ${seen(i)}`);
    }
  });
  return lines.join('\n') + '\n';
}

export function orderLabel(order: Order): string {
  return arrow(order);
}
