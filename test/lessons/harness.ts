/**
 * Builds a lesson's run the way the UI does (src/ui/App.tsx `run`, and
 * src/ui/sim/cluster_session.ts `run` + `withConf`), headless:
 *
 *  - every `*.ts` lesson file is compiled to CommonJS (the editor uses
 *    Monaco's TS worker; esbuild here) and handed over as module
 *    `<path without .ts>`;
 *  - each code file goes to the services it lists (every service when it
 *    lists none): src/ui/lessons/run_input.ts, shared with the UI;
 *  - `conf/<service-id>.conf` files are merged over the scenario's conf
 *    (`withConf`, imported, not re-implemented);
 *  - `plan.json` adds the learner's plan steps (src/runtime/plan.ts).
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transform } from 'esbuild';
import { parseLessonReadme, languageOf, type LessonMeta, type LessonFile } from '../../src/ui/lessons/format';
import { withConf } from '../../src/ui/sim/cluster_session';
import { buildLessonRun } from '../../src/ui/lessons/run_input';
import { parseScenario } from '../../src/runtime/scenario_schema';
import { runScenario, type ScenarioRun } from '../../src/runtime/run_scenario';
import { inProcessSpawner } from '../../src/runtime/in_process';
import { loadServiceFactory } from '../../src/runtime/modules';
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

/** The scenario and per-service code a Run of these file texts hands to runScenario (the UI's own builder). */
export async function buildRun(lesson: Lesson, texts: Record<string, string>): Promise<BuiltRun> {
  const files = filesOf(lesson);
  const js: Record<string, string> = {};
  for (const f of files) if (f.language === 'typescript') js[f.path] = await compileTs(f.path, texts[f.path] ?? '');
  const input = buildLessonRun(parseScenario(JSON.parse(lesson.scenarioText)), files, texts, js);
  const scenario = withConf(input);
  return { scenario, ...(Object.keys(input.code).length ? { code: input.code } : {}) };
}

export async function runLesson(lesson: Lesson, which: 'start' | 'solution' | Record<string, string>): Promise<ScenarioRun> {
  const texts = typeof which === 'string' ? { ...lesson.start, ...(which === 'solution' ? lesson.solution : {}) } : which;
  const built = await buildRun(lesson, texts);
  return runScenario(built.scenario, { spawn: inProcessSpawner(loadServiceFactory), ...(built.code ? { code: built.code } : {}) });
}
