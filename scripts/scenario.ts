/**
 * npm run scenario -- FILE [--json] [--verbose]
 * Runs a scenario headless: every service in its own worker_threads worker,
 * the same broker and model as the browser. Prints the trace (a readable
 * timeline, or one JSON event per line with --json) and the expectation
 * results; exits 1 when an expectation fails, saying which.
 */
import { readFileSync } from 'node:fs';
import { parseScenario } from '../src/runtime/scenario_schema';
import { runScenario } from '../src/runtime/run_scenario';
import { nodeSpawner } from '../src/runtime/node/spawn';
import { formatTimeline } from '../src/runtime/trace';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: npm run scenario -- FILE.json [--json] [--verbose]');
  process.exit(2);
}
let scenario;
try {
  scenario = parseScenario(JSON.parse(readFileSync(file, 'utf8')));
} catch (err) {
  console.error(`${file}: ${(err as Error).message}`);
  process.exit(2);
}
const run = await runScenario(scenario, { spawn: nodeSpawner() });
if (args.includes('--json')) {
  for (const e of run.events) process.stdout.write(`${JSON.stringify(e)}\n`);
} else {
  console.log(`# ${scenario.title}\n`);
  console.log(formatTimeline(run.events, { verbose: args.includes('--verbose') }));
  console.log('');
}
for (const r of run.results) {
  const line = `${r.ok ? 'PASS' : 'FAIL'}  ${r.expectation.description ?? r.expectation.expect}: ${r.detail}`;
  if (args.includes('--json')) console.error(line);
  else console.log(line);
}
run.cluster.dispose();
// Let stdout drain (process.exit would cut a piped --json trace short).
process.exitCode = run.ok ? 0 : 1;
