/**
 * What a lesson's Run hands the session, built from the lesson's files:
 * each code file's module goes only to the services it lists (every
 * service when it lists none), `conf/<id>.conf` files are merged over that
 * service's nova.conf, and a `plan.json` file adds the learner's plan steps
 * (with the scenario's workload after each). Pure, so the headless lesson
 * tests build exactly the same runs.
 */
import { applyPlan } from '../../runtime/plan';
import type { Scenario } from '../../runtime/scenario';
import type { RunInput } from '../sim/session';
import { confService, moduleName, type LessonFile } from './format';

export const PLAN_FILE = 'plan.json';

export function buildLessonRun(
  scenario: Scenario,
  files: LessonFile[],
  /** Current text of every file. */
  values: Record<string, string>,
  /** Compiled JavaScript of the TypeScript files. */
  js: Record<string, string>,
): RunInput {
  const plan = files.some((f) => f.path === PLAN_FILE) ? values[PLAN_FILE] : undefined;
  const planned = plan !== undefined ? applyPlan(scenario, plan) : scenario;
  const code: RunInput['code'] = {};
  const conf: RunInput['conf'] = {};
  for (const f of files) {
    if (f.language === 'typescript' && js[f.path] !== undefined) {
      for (const id of f.services ?? planned.services.map((s) => s.id)) (code[id] ??= {})[moduleName(f.path)] = js[f.path]!;
    }
    const svc = confService(f.path);
    if (svc) conf[svc] = values[f.path] ?? '';
  }
  return { scenario: planned, code, conf };
}
