import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runtime/run_scenario';
import { inProcess, shippedScenarios } from './helpers';

describe('shipped scenarios', () => {
  it.each(shippedScenarios())('%s meets its expectations', async (_name, s) => {
    const run = await runScenario(s, { spawn: inProcess() });
    const failed = run.results.filter((r) => !r.ok).map((r) => `${r.expectation.description}: ${r.detail}`);
    expect(failed).toEqual([]);
    expect(run.results.length).toBeGreaterThan(0);
  });
});
