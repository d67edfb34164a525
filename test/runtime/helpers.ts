import { readFileSync, readdirSync } from 'node:fs';
import { inProcessSpawner } from '../../src/runtime/in_process';
import { loadServiceFactory } from '../../src/runtime/modules';
import { parseScenario } from '../../src/runtime/scenario_schema';
import type { Scenario } from '../../src/runtime/scenario';

export const inProcess = () => inProcessSpawner(loadServiceFactory);

const DIR = new URL('../../scenarios/', import.meta.url);

export function shippedScenarios(): [string, Scenario][] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, parseScenario(JSON.parse(readFileSync(new URL(f, DIR), 'utf8')))]);
}

export function scenario(name: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')));
}
