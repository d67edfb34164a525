import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matches, runCase, type ConformanceCase } from '../src/conformance';

// The public examples of the conformance table, copied into the project.
const load = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./conformance/${name}`, import.meta.url), 'utf8')) as { cases: ConformanceCase[] }).cases;
// Round 1 and round 2 (remote errors, message format, conductor object methods, Mitaka auto, ovo).
// Plus alias resolution for the Icehouse and Mitaka clients (releases-examples.json),
// and Icehouse 2014.1 clients and serializer (icehouse-examples.json).
const table = {
  cases: [...load('examples.json'), ...load('round2-examples.json'), ...load('releases-examples.json'), ...load('icehouse-examples.json')],
};

describe('conformance examples', () => {
  it.each(table.cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const line = await runCase(c);
    expect('actual' in line, `${c.category} is not supported`).toBe(true);
    const actual = (line as { actual: Record<string, unknown> }).actual;
    expect(matches(c.expected, actual), `expected ${JSON.stringify(c.expected)}\n got ${JSON.stringify(actual)}`).toBe(true);
  });
});
