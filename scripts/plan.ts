/**
 * npm run plan -- --from juno --to kilo --computes 2 --pins article [--json | --markdown | --csv]
 *
 * The upgrade planner, headless: every order of api, conductor, scheduler
 * and the computes, under every pin policy asked for, each on its own fresh
 * cluster (a pool of worker_threads), with the workload after every step.
 * Prints the matrix and the summary (the same as the page's #/planner), and
 * exits 1 when no order is safe, 2 on a bad plan.
 *
 *   --plan FILE.json        read the plan from a file (flags given as well override it)
 *   --save FILE.json        write the plan (after flags) to a file, to keep it in a repository
 *   --mode group|each       computes upgraded as a group (default) or one by one
 *   --pins LIST             none, article, auto, custom(unit.topic=value ...) separated by ';' or ','
 *   --workload LIST         boot,stop_start,reboot,shelve,... (see docs/planner.md)
 *   --runbook ORDER         also print the runbook of one order, e.g. scheduler>conductor>computes>api
 *   --compat                print the compatibility map of releases instead
 *   --concurrency N         orders in flight (default: the machine's cores)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseOrder, orderKey } from '../src/planner/build';
import { runPlan } from '../src/planner/pool';
import { matrixData } from '../src/planner/matrix';
import { toCsv, toMarkdown, toRunbook, toText } from '../src/planner/export';
import { PlanError, parsePlan, planToQuery, type PlanSpec } from '../src/planner/spec';
import { compatJobs, compatMap, compatText, compatMarkdown, type CompatJobResult } from '../src/planner/compat';
import { defaultConcurrency, nodeExecutor, warmNodePool } from './plan-node';

const argv = process.argv.slice(2);
const flags = new Map<string, string | true>();
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (!a.startsWith('--')) {
    console.error(`unexpected argument "${a}" (flags start with --)`);
    process.exit(2);
  }
  const [k, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
  const next = argv[i + 1];
  if (inline !== undefined) flags.set(k, inline);
  else if (next !== undefined && !next.startsWith('--')) flags.set(k, (i++, next));
  else flags.set(k, true);
}
const KNOWN = ['plan', 'save', 'from', 'to', 'computes', 'mode', 'pins', 'workload', 'seed', 'json', 'markdown', 'csv', 'runbook', 'compat', 'concurrency', 'help'];
for (const k of flags.keys()) {
  if (!KNOWN.includes(k)) {
    console.error(`unknown flag --${k} (known: ${KNOWN.map((x) => `--${x}`).join(' ')})`);
    process.exit(2);
  }
}
if (flags.has('help')) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]!.replace(/^\/\*\*?|^ \* ?/gm, ''));
  process.exit(0);
}
const str = (k: string): string | undefined => {
  const v = flags.get(k);
  if (v === true) {
    console.error(`--${k} needs a value`);
    process.exit(2);
  }
  return v;
};

/** Split a policy list on ';' or on ',' outside parentheses. */
function splitPolicies(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if ((ch === ';' || (ch === ',' && depth === 0)) && cur.trim()) {
      out.push(cur.trim());
      cur = '';
    } else if (ch !== ';' && !(ch === ',' && depth === 0)) cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const concurrency = Number(str('concurrency') ?? defaultConcurrency());
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
  console.error('--concurrency: a whole number from 1 to 32');
  process.exit(2);
}

if (flags.has('compat')) {
  await warmNodePool();
  const t0 = performance.now();
  const jobs = compatJobs();
  const results: CompatJobResult[] = [];
  const execs = Array.from({ length: concurrency }, () => nodeExecutor());
  let next = 0;
  await Promise.all(
    execs.map(async (ex) => {
      while (next < jobs.length) results.push(await ex.compat(jobs[next++]!));
    }),
  );
  for (const ex of execs) ex.terminate();
  console.error(`${jobs.length} clusters in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const map = compatMap(results);
  const text = flags.has('json') ? `${JSON.stringify(map, null, 2)}\n` : flags.has('markdown') ? compatMarkdown(map) : compatText(map);
  process.stdout.write(text, () => process.exit(0));
  await new Promise(() => {});
}

let spec: PlanSpec;
try {
  let base: Record<string, unknown> = {};
  const file = str('plan');
  if (file) {
    try {
      base = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new PlanError(`${file}: ${(err as Error).message}`);
    }
  }
  const v: Record<string, unknown> = { ...base };
  if (str('from')) v.from = str('from');
  if (str('to')) v.to = str('to');
  if (str('computes')) v.computes = Number(str('computes'));
  if (str('mode')) v.computeMode = str('mode');
  if (str('pins')) v.pins = splitPolicies(str('pins')!);
  if (str('workload')) v.workload = str('workload')!.split(',').map((s) => s.trim()).filter(Boolean);
  if (str('seed')) v.seed = str('seed');
  spec = parsePlan(v);
} catch (err) {
  console.error(`plan: ${(err as Error).message}`);
  process.exit(2);
}

const save = str('save');
if (save) {
  const { seed, ...rest } = spec;
  writeFileSync(save, `${JSON.stringify({ ...rest, pins: spec.pins.map((p) => (p.kind === 'release' ? 'article' : p.kind === 'custom' ? p : p.kind)), ...(seed !== parsePlan({}).seed ? { seed } : {}) }, null, 2)}\n`);
  console.error(`plan written to ${save}`);
}

let runbookOrder = null;
const rb = str('runbook');
if (rb) {
  try {
    runbookOrder = parseOrder(rb);
  } catch (err) {
    console.error(`--runbook: ${(err as Error).message}`);
    process.exit(2);
  }
}

await warmNodePool();
const t0 = performance.now();
const jobs = spec.pins.length * 24;
let shown = 0;
const tty = process.stderr.isTTY;
const run = runPlan(spec, {
  concurrency,
  executor: nodeExecutor,
  onResult: (_r, done, total) => {
    if (tty && (done === total || done - shown >= 4)) {
      shown = done;
      process.stderr.write(`\r${done}/${total} orders`);
    }
  },
});
process.on('SIGINT', () => {
  run.cancel();
  console.error('\ncancelled');
  process.exit(130);
});
const result = await run.done;
const seconds = (performance.now() - t0) / 1000;
if (tty) process.stderr.write('\r');
console.error(`${jobs} orders in ${seconds.toFixed(1)} s (${concurrency} in flight)  ·  page: #/planner?${planToQuery(spec)}`);

let out: string;
if (flags.has('json')) out = `${JSON.stringify({ spec, matrix: matrixData(result), rules: result.rules, summary: result.summary, rows: result.rows }, null, 2)}\n`;
else if (flags.has('markdown')) out = toMarkdown(result);
else if (flags.has('csv')) out = toCsv(result);
else out = toText(result);
if (runbookOrder) {
  for (const row of result.rows.filter((r) => orderKey(r.order) === orderKey(runbookOrder))) out += `\n${toRunbook(spec, row)}`;
}
// Exit once stdout has drained (a piped --json would be cut short otherwise).
const code = result.summary.anySafe ? 0 : 1;
process.stdout.write(out, () => process.exit(code));
