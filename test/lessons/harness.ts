/**
 * Builds a lesson's run the way the UI does (src/ui/App.tsx `run`, and
 * src/ui/sim/cluster_session.ts `run` + `withConf`), headless:
 *
 *  - every `*.ts` lesson file is compiled to CommonJS (the editor uses
 *    Monaco's TS worker; esbuild here) and handed over as module
 *    `<path without .ts>`;
 *  - code goes to the union of the `services` of the code files (or to every
 *    service when a code file lists none), exactly as App.tsx builds
 *    `codeServices` today;
 *  - `conf/<service-id>.conf` files are merged over the scenario's conf
 *    (`withConf`, imported, not re-implemented);
 *  - `plan.json` (REQUESTED, not in the UI yet): see `applyPlan`.
 *
 * `shimLoadServiceFactory` stands in for two modules lesson code imports
 * that src/runtime/modules.ts does not offer yet (see REQUIRED_MODULES).
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transform } from 'esbuild';
import { parseLessonReadme, moduleName, confService, languageOf, type LessonMeta, type LessonFile } from '../../src/ui/lessons/format';
import { withConf } from '../../src/ui/sim/cluster_session';
import { parseScenario } from '../../src/runtime/scenario_schema';
import { runScenario, type ScenarioRun } from '../../src/runtime/run_scenario';
import { inProcessSpawner } from '../../src/runtime/in_process';
import { loadServiceFactory, simulatorModules } from '../../src/runtime/modules';
import { evaluateUserModules } from '../../src/runtime/user_code';
import { createService } from '../../src/nova/service';
import { makeObjectWorld } from '../../src/nova/objects';
import * as osloObjects from '../../src/oslo/objects';
import * as computeManager from '../../src/nova/compute/manager';
import * as conductorManager from '../../src/nova/conductor/manager';
import type { ModuleLoader } from '../../src/runtime/worker_api';
import type { Release } from '../../src/nova/releases';
import type { Scenario } from '../../src/runtime/scenario';
import { applyPlan } from '../../src/runtime/plan';

export { applyPlan };

export const LESSONS_DIR = new URL('../../lessons/', import.meta.url).pathname;

export interface Lesson {
  meta: LessonMeta;
  scenarioText: string;
  start: Record<string, string>;
  solution: Record<string, string>;
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export function lessonDirs(): string[] {
  return readdirSync(LESSONS_DIR)
    .filter((d) => statSync(join(LESSONS_DIR, d)).isDirectory() && existsSync(join(LESSONS_DIR, d, 'README.md')))
    .sort();
}

export function loadLesson(dir: string): Lesson {
  const base = join(LESSONS_DIR, dir);
  return {
    meta: parseLessonReadme(dir, readFileSync(join(base, 'README.md'), 'utf8')),
    scenarioText: readFileSync(join(base, 'scenario.json'), 'utf8'),
    start: readTree(join(base, 'start')),
    solution: readTree(join(base, 'solution')),
  };
}

/** The editor tabs: `files` from the front matter, else every start/ file (App.tsx filesOf). */
export function filesOf(lesson: Lesson): LessonFile[] {
  if (lesson.meta.files.length) return lesson.meta.files;
  return Object.keys(lesson.start)
    .sort()
    .map((path) => ({ path, language: languageOf(path), readonly: false }));
}

/**
 * REQUESTED mechanism (not in the UI yet): a lesson file `plan.json`,
 * `{"steps": [...]}` in the scenario step format. When a lesson lists it,
 * Run executes the scenario's own `steps` (the setup), then each plan step
 * followed by the scenario's `workload` (an optional list of steps in
 * scenario.json; not repeated after `note` steps). Services and `expect`
 * stay the scenario's.
 */
export async function compileTs(path: string, source: string): Promise<string> {
  const out = await transform(source, { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: path });
  return out.code;
}

export interface BuiltRun {
  scenario: Scenario;
  code?: Record<string, Record<string, string>>;
}

/** The scenario and per-service code a Run of these file texts hands to runScenario. */
export async function buildRun(lesson: Lesson, texts: Record<string, string>): Promise<BuiltRun> {
  let scenario = parseScenario(JSON.parse(lesson.scenarioText));
  const code: Record<string, string> = {};
  const conf: Record<string, string> = {};
  const services = new Set<string>();
  let anyAll = false;
  for (const f of filesOf(lesson)) {
    const text = texts[f.path] ?? '';
    if (f.language === 'typescript') {
      code[moduleName(f.path)] = await compileTs(f.path, text);
      if (f.services) f.services.forEach((s) => services.add(s));
      else anyAll = true;
    }
    const svc = confService(f.path);
    if (svc) conf[svc] = text;
  }
  if (texts['plan.json'] !== undefined && filesOf(lesson).some((f) => f.path === 'plan.json')) {
    scenario = applyPlan(scenario, texts['plan.json']);
  }
  scenario = withConf({ scenario, code, conf });
  const targets = !anyAll && services.size ? [...services] : scenario.services.map((s) => s.id);
  const perService = Object.keys(code).length ? Object.fromEntries(targets.map((id) => [id, code])) : undefined;
  return { scenario, ...(perService ? { code: perService } : {}) };
}

/**
 * Modules lesson code imports that the simulator must resolve. Lessons 04
 * and 07 subclass a release's manager; src/runtime/modules.ts does not offer
 * 'nova/compute/manager' / 'nova/conductor/manager' yet (REQUESTED).
 */
export const REQUIRED_MODULES = ['nova/compute/manager', 'nova/conductor/manager'] as const;

export function missingModules(): string[] {
  const mods = simulatorModules('kilo');
  return REQUIRED_MODULES.filter((m) => mods[m] === undefined);
}

/** The manager modules as requested: the release's class as `ComputeManager` / `ConductorManager`, plus every release's by name. */
function managerModules(release: Release): Record<string, unknown> {
  return {
    'nova/compute/manager': { ...computeManager, ComputeManager: computeManager.computeManagerFor(release) },
    'nova/conductor/manager': {
      ...conductorManager,
      ConductorManager: conductorManager.conductorManagerFor(release),
      ComputeTaskManager: conductorManager.computeTaskManagerFor(release),
    },
  };
}

/**
 * loadServiceFactory (src/runtime/modules.ts) plus the requested manager
 * modules: a stand-in until the simulator offers them, so the lessons that
 * need them can be checked now. Used only when missingModules() is not empty.
 */
export const shimLoadServiceFactory: ModuleLoader = (boot) => {
  if (boot.kind === 'ping' || !boot.code || Object.keys(boot.code).length === 0) return loadServiceFactory(boot);
  const code = boot.code;
  const mods = { ...managerModules(boot.release), ...simulatorModules(boot.release) };
  const probe = () => {
    const made = makeObjectWorld(boot.release, { db: null });
    return { ...osloObjects, ...made.classes, registry: made.registry, world: made.world };
  };
  evaluateUserModules(code, (name) => (name === 'nova/objects' ? probe() : mods[name]));
  return (spec, env) =>
    createService({ ...spec, loadUserModules: (objects) => evaluateUserModules(code, (name) => (name === 'nova/objects' ? objects : mods[name])) }, env);
};

export async function runLesson(
  lesson: Lesson,
  which: 'start' | 'solution' | Record<string, string>,
  { shim = false }: { shim?: boolean } = {},
): Promise<ScenarioRun> {
  const texts = typeof which === 'string' ? { ...lesson.start, ...(which === 'solution' ? lesson.solution : {}) } : which;
  const built = await buildRun(lesson, texts);
  const factory = shim ? shimLoadServiceFactory : loadServiceFactory;
  return runScenario(built.scenario, { spawn: inProcessSpawner(factory), ...(built.code ? { code: built.code } : {}) });
}
