/**
 * npm run -s conformance -- FILE
 * Feeds every case of a conformance table to the simulator's own modules and
 * prints one JSON line per case: {"id", "actual"} or {"id", "skipped"}.
 */
import { readFileSync } from 'node:fs';
import { runCases, type ConformanceCase } from '../src/conformance';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run -s conformance -- CASES.json');
  process.exit(2);
}
const table = JSON.parse(readFileSync(file, 'utf8')) as { cases: ConformanceCase[] };
for (const line of await runCases(table.cases)) process.stdout.write(`${JSON.stringify(line)}\n`);
