/**
 * A learner's upgrade plan (`plan.json` in a lesson): upgrade, stop, pin...
 * steps run after the scenario's own setup steps, each followed by the
 * scenario's `workload` (user actions that should keep working), except
 * `note` and `db` steps (nova-manage runs between service changes). The result is validated like any scenario.
 */
import type { Scenario, Step } from './scenario';
import { parseScenario, ScenarioError } from './scenario_schema';
import { checkUntrustedStep } from './untrusted';

export function applyPlan(scenario: Scenario, planText: string): Scenario {
  let plan: unknown;
  try {
    plan = JSON.parse(planText);
  } catch (err) {
    throw new ScenarioError(`plan.json: ${(err as Error).message}`);
  }
  const steps = (plan as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) throw new ScenarioError('plan.json: must be an object with a "steps" list');
  // A plan is the learner's (or a link's) data: steps of known shape only, services without code.
  steps.forEach((step, i) => {
    try {
      checkUntrustedStep(step, `steps[${i}]`);
    } catch (err) {
      throw new ScenarioError(`plan.json: ${(err as Error).message}`);
    }
  });
  const workload = scenario.workload ?? [];
  const planned = (steps as Step[]).flatMap((step) => (step && (step.do === 'note' || step.do === 'db') ? [step] : [step, ...workload]));
  try {
    return parseScenario({ ...scenario, steps: [...scenario.steps, ...planned] });
  } catch (err) {
    throw new ScenarioError(`plan.json: ${(err as Error).message}`);
  }
}
