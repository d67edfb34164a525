/**
 * Every lesson, headless, built the way the UI builds a Run (harness.ts):
 * its START files must NOT meet the goal (at least one expectation fails)
 * and its SOLUTION must meet it (all pass). Plus the README's shape, and a
 * few runs that check what the lesson texts claim about other attempts.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/runtime/scenario_schema';
import type { ScenarioRun } from '../../src/runtime/run_scenario';
import { filesOf, lessonDirs, loadLesson, runLesson, LESSONS_DIR, type Lesson } from './harness';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseLessonTranslation } from '../../src/ui/lessons/format';

const SLOW = 120_000;
const DIRS = lessonDirs();

function failing(run: ScenarioRun): string[] {
  return run.results.filter((r) => !r.ok).map((r) => `${r.expectation.description ?? r.expectation.expect}: ${r.detail}`);
}

async function run(lesson: Lesson, which: 'start' | 'solution' | Record<string, string>): Promise<ScenarioRun> {
  const r = await runLesson(lesson, which);
  r.cluster.dispose();
  return r;
}

function withFiles(lesson: Lesson, files: Record<string, string>): Record<string, string> {
  return { ...lesson.start, ...lesson.solution, ...files };
}

function events(r: ScenarioRun, pred: (e: ScenarioRun['events'][number]) => boolean) {
  return r.events.filter(pred);
}

it('has replaced the sample lessons with the course', () => {
  expect(DIRS.filter((d) => d.includes('sample'))).toEqual([]);
  expect(DIRS.length).toBeGreaterThanOrEqual(9);
  expect(DIRS.map((d) => d.split('-')[0])).toEqual(DIRS.map((_, i) => String(i + 1).padStart(2, '0')));
});

describe.each(DIRS)('lesson %s', (dir) => {
  const lesson = loadLesson(dir);

  it('has a title, a goal, at least two hints, a scenario with a goal check, and its files', () => {
    expect(lesson.meta.error).toBeUndefined();
    expect(lesson.meta.title).not.toBe(lesson.meta.slug);
    expect(lesson.meta.title.length).toBeGreaterThan(3);
    expect(lesson.meta.goal.length).toBeGreaterThan(10);
    expect(lesson.meta.hints.length).toBeGreaterThanOrEqual(2);
    for (const h of lesson.meta.hints) expect(typeof h === 'string' && h.length > 5).toBe(true);
    expect(lesson.meta.body.length).toBeGreaterThan(500);
    const scenario = parseScenario(JSON.parse(lesson.scenarioText));
    expect(scenario.expect?.length ?? 0).toBeGreaterThanOrEqual(1);
    const files = filesOf(lesson);
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const f of files) {
      expect(Object.keys(lesson.start), `start/${f.path}`).toContain(f.path);
      expect(Object.keys(lesson.solution), `solution/${f.path}`).toContain(f.path);
      // Code files name the services that load them; those services exist.
      for (const s of f.services ?? []) expect(scenario.services.map((x) => x.id)).toContain(s);
    }
    // Nothing in start/ or solution/ is hidden from the editor.
    for (const p of [...Object.keys(lesson.start), ...Object.keys(lesson.solution)]) expect(files.map((f) => f.path)).toContain(p);
  });

  it(`START does not meet the goal`, { timeout: SLOW }, async () => {
    const r = await run(lesson, 'start');
    expect(r.results.length).toBeGreaterThan(0);
    expect(r.results.some((x) => !x.ok)).toBe(true);
    expect(events(r, (e) => /scenario error/.test(e.text))).toEqual([]);
  });

  it(`SOLUTION meets the goal`, { timeout: SLOW }, async () => {
    const r = await run(lesson, 'solution');
    expect(failing(r)).toEqual([]);
    expect(r.ok).toBe(true);
  });
});

// The simulator change two lessons wait for: while it is missing, lessons

// ---------------------------------------------------------------------------
// What the lesson texts say about attempts other than start and solution.
// ---------------------------------------------------------------------------

const byPrefix = (p: string) => loadLesson(DIRS.find((d) => d.startsWith(p))!);

describe('claims the lessons make', () => {
  it('02: pause_instance at 3.38 is served by the Kilo ComputeManager (target 3.40)', { timeout: SLOW }, async () => {
    const l = byPrefix('02');
    const code = l.solution['nova/compute/rpcapi.ts']!.replace("version: '4.0' });\n    return cctxt.cast(ctxt, 'pause_instance'", "version: '3.38' });\n    return cctxt.cast(ctxt, 'pause_instance'");
    expect(code).toContain("'3.38'");
    const r = await run(l, withFiles(l, { 'nova/compute/rpcapi.ts': code }));
    const d = events(r, (e) => e.kind === 'dispatch' && e.data?.method === 'pause_instance');
    expect(d.map((e) => [e.data?.outcome, e.data?.endpoint, e.data?.endpoint_version])).toEqual([['dispatched', 'ComputeManager', '3.40']]);
    expect(r.ok).toBe(true);
  });

  it('03: pinning only the api leaves the build refused; pinning only conductor leaves the 4.0 shelve_offload refused', { timeout: SLOW }, async () => {
    const l = byPrefix('03');
    const apiOnly = await run(l, withFiles(l, { 'conf/conductor.conf': l.start['conf/conductor.conf']! }));
    expect(events(apiOnly, (e) => e.kind === 'dispatch' && e.data?.outcome === 'UnsupportedVersion').map((e) => e.data?.method)).toEqual(['build_and_run_instance']);
    const conductorOnly = await run(l, withFiles(l, { 'conf/api.conf': l.start['conf/api.conf']! }));
    expect(events(conductorOnly, (e) => e.kind === 'dispatch' && e.data?.outcome === 'UnsupportedVersion').map((e) => [e.data?.method, e.data?.version])).toEqual([
      ['shelve_instance', '4.0'],
    ]);
    expect(conductorOnly.ok).toBe(false);
  });

  it('04: each half-fix fails a different check', { timeout: SLOW }, async () => {
    const l = byPrefix('04');
    const clientOnly = await run(l, withFiles(l, { 'nova/compute/manager.ts': l.start['nova/compute/manager.ts']! }));
    expect(events(clientOnly, (e) => e.kind === 'refused')).toEqual([]);
    expect(events(clientOnly, (e) => e.kind === 'dispatch' && e.data?.outcome === 'UnsupportedVersion').map((e) => [e.service, e.data?.version])).toEqual([['compute2', '4.6']]);
    const managerOnly = await run(l, withFiles(l, { 'nova/compute/rpcapi.ts': l.start['nova/compute/rpcapi.ts']! }));
    expect(events(managerOnly, (e) => e.kind === 'refused').length).toBeGreaterThan(0);
    const targetOnly = l.start['nova/compute/manager.ts']!.replace("TARGET_VERSION = '4.5'", "TARGET_VERSION = '4.6'");
    const noSignature = await run(l, withFiles(l, { 'nova/compute/manager.ts': targetOnly }));
    expect(events(noSignature, (e) => e.kind === 'log' && e.service === 'compute2' && /unexpected keyword argument 'shutdown_timeout'/.test(e.text)).length).toBe(1);
    for (const r of [clientOnly, managerOnly, noSignature]) expect(r.ok).toBe(false);
  });

  it('08: compute = kilo in a Kilo api is a 3.40 cap: stop_instance takes its 3.37 rung, which the Liberty compute refuses', { timeout: SLOW }, async () => {
    const l = byPrefix('08');
    const r = await run(l, withFiles(l, { 'conf/api.conf': '[upgrade_levels]\ncompute = kilo\n' }));
    const stops = events(r, (e) => e.kind === 'send' && e.service === 'api' && e.data?.method === 'stop_instance');
    expect(stops.map((e) => e.data?.version)).toEqual(['3.37', '3.37']);
    expect(events(r, (e) => e.kind === 'dispatch' && e.data?.outcome === 'UnsupportedVersion').map((e) => e.service)).toEqual(['compute2']);
    const unpinned = await run(l, withFiles(l, { 'conf/api.conf': '[upgrade_levels]\n' }));
    expect(failing(unpinned)).toEqual([]);
  });

  it('09: computes first fails on InstanceList 1.16 at a Juno conductor and on update_instance_info 4.2 at a Juno scheduler', { timeout: SLOW }, async () => {
    const l = byPrefix('09');
    const plan = { steps: ['compute1', 'compute2', 'scheduler', 'conductor', 'api'].map((service) => ({ do: 'upgrade', service, release: 'kilo' })) };
    const r = await run(l, withFiles(l, { 'plan.json': JSON.stringify(plan) }));
    expect(events(r, (e) => e.kind === 'log' && e.service === 'conductor' && /Version 1\.16 of InstanceList is not supported/.test(e.text)).length).toBeGreaterThan(0);
    expect(events(r, (e) => e.kind === 'dispatch' && e.service === 'scheduler' && e.data?.method === 'update_instance_info' && e.data?.outcome === 'UnsupportedVersion').length).toBeGreaterThan(0);
    expect(r.ok).toBe(false);
  });

  it('10: the conductor pin and the final unpinning are both needed', { timeout: SLOW }, async () => {
    const l = byPrefix('10');
    const noConductorPin = await run(l, withFiles(l, { 'conf/conductor.conf': l.start['conf/conductor.conf']! }));
    expect(events(noConductorPin, (e) => e.kind === 'dispatch' && e.data?.outcome === 'UnsupportedVersion').map((e) => e.data?.method)).toContain('build_and_run_instance');
    const plan = JSON.parse(l.solution['plan.json']!) as { steps: { do: string }[] };
    const keepPins = { steps: plan.steps.filter((s) => s.do !== 'configure') };
    const pinned = await run(l, withFiles(l, { 'plan.json': JSON.stringify(keepPins) }));
    expect(failing(pinned).length).toBe(3);
    expect(noConductorPin.ok).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Wrong fixes that used to meet a goal: each must fail now.
// ---------------------------------------------------------------------------

describe('wrong fixes fail', () => {
  it('01: a fixed server (every stop to compute1) stops vm2 on a host that does not run it', { timeout: SLOW }, async () => {
    const l = byPrefix('01');
    const fixed = l.solution['nova/compute/rpcapi.ts']!.replace('server: this._compute_host(null, instance)', "server: 'compute1'");
    expect(fixed).toContain("server: 'compute1'");
    const r = await run(l, withFiles(l, { 'nova/compute/rpcapi.ts': fixed }));
    expect(failing(r).map((f) => f.split(':')[0])).toEqual([
      "the api sends vm2's stop to compute.compute2, the host that runs vm2",
      "and vm1's stop to compute.compute1",
      'no compute is asked to stop a VM its hypervisor does not run (its log would say current VM power_state',
    ]);
  });

  it('01: the start code (bare topic) fails on the misrouted stops, although the database says both are stopped', { timeout: SLOW }, async () => {
    const l = byPrefix('01');
    const r = await run(l, 'start');
    const bad = r.results.filter((x) => !x.ok).map((x) => x.expectation.expect);
    expect(bad).toEqual(['event', 'event', 'no_event']);
    expect(r.results.filter((x) => x.expectation.expect === 'instance').every((x) => x.ok)).toBe(true);
  });

  it('07: saving without expected_task_state, or with the wrong one, fails', { timeout: SLOW }, async () => {
    const l = byPrefix('07');
    const sol = l.solution['nova/compute/manager.ts']!;
    const unguarded = sol.replace("this.save(instance, { expected_task_state: 'pausing' })", 'this.save(instance)');
    const wrongGuard = sol.replace("expected_task_state: 'pausing'", "expected_task_state: 'active'");
    expect(unguarded).not.toBe(sol);
    const a = await run(l, withFiles(l, { 'nova/compute/manager.ts': unguarded }));
    expect(failing(a).length).toBe(1);
    expect(failing(a)[0]).toMatch(/saved with its guard/);
    const b = await run(l, withFiles(l, { 'nova/compute/manager.ts': wrongGuard }));
    expect(b.ok).toBe(false);
    expect(events(b, (e) => /UnexpectedTaskStateError/.test(e.text)).length).toBeGreaterThan(0);
  });

  it('10: leaving both compute pins in place fails; so does never setting them', { timeout: SLOW }, async () => {
    const l = byPrefix('10');
    const plan = JSON.parse(l.solution['plan.json']!) as { steps: { do: string; service?: string }[] };
    const keepComputePins = { steps: plan.steps.filter((s) => !(s.do === 'configure' && s.service?.startsWith('compute'))) };
    const kept = await run(l, withFiles(l, { 'plan.json': JSON.stringify(keepComputePins) }));
    expect(failing(kept).map((f) => f.split(':')[0])).toEqual(['at the end the computes talk to each other at compute RPC 4.0 (Kilo, unpinned)']);
    const never = await run(l, withFiles(l, { 'conf/compute1.conf': l.start['conf/compute1.conf']!, 'conf/compute2.conf': l.start['conf/compute2.conf']! }));
    expect(never.ok).toBe(false);
    expect(events(never, (e) => e.kind === 'dispatch' && e.data?.outcome === 'UnsupportedVersion').map((e) => e.data?.method)).toContain('check_can_live_migrate_source');
  });

  it('11: skipping the flavor migration, running it too early, or upgrading before db sync fails', { timeout: SLOW }, async () => {
    const l = byPrefix('11');
    const plan = JSON.parse(l.solution['plan.json']!) as { steps: { do: string; command?: string }[] };
    const without = { steps: plan.steps.filter((s) => s.command !== 'migrate_flavor_data') };
    const a = await run(l, withFiles(l, { 'plan.json': JSON.stringify(without) }));
    expect(events(a, (e) => /There are still \d+ unmigrated flavor records/.test(e.text)).length).toBe(1);
    expect(a.ok).toBe(false);
    // migrate_flavor_data right after the schema sync, while Juno services still write flavors to system_metadata
    const sync = without.steps.findIndex((s) => s.command === 'sync');
    const early = { steps: [...without.steps.slice(0, sync + 1), { do: 'db', command: 'migrate_flavor_data' }, ...without.steps.slice(sync + 1)] };
    const b = await run(l, withFiles(l, { 'plan.json': JSON.stringify(early) }));
    expect(events(b, (e) => /unmigrated flavor records/.test(e.text)).length).toBe(1);
    expect(b.ok).toBe(false);
    const noSync = { steps: plan.steps.filter((s) => !(s.command === 'sync' && JSON.stringify(s).includes('kilo'))) };
    const c = await run(l, withFiles(l, { 'plan.json': JSON.stringify(noSync) }));
    expect(events(c, (e) => e.kind === 'log' && /cannot run on a juno database schema/.test(e.text)).map((e) => e.service)).toEqual(['scheduler', 'conductor', 'api']);
    expect(c.ok).toBe(false);
  });

  it('12: auto without the final restarts keeps the cached 4.5; auto given to Liberty processes breaks them; pins lifted at the end are not auto', { timeout: SLOW }, async () => {
    const l = byPrefix('12');
    const plan = JSON.parse(l.solution['plan.json']!) as { steps: { do: string; service?: string; value?: string }[] };
    // No restart after the last compute: every ComputeAPI keeps LAST_VERSION = 4.5 (nova/compute/rpcapi.py @13.0.0).
    const noRestart = await run(l, withFiles(l, { 'plan.json': JSON.stringify({ steps: plan.steps.filter((s) => s.do !== 'restart') }) }));
    expect(failing(noRestart).map((f) => f.split(':')[0])).toEqual([
      'conductor reads the final services table (every compute at 9) and selects 4.11',
      'api reads the final services table (every compute at 9) and selects 4.11',
      'compute1 reads the final services table (every compute at 9) and selects 4.11',
      'compute2 reads the final services table (every compute at 9) and selects 4.11',
      'at the end the api sends detach_volume at 4.7',
      "and 4.7 carries the volume attachment's id (4.0 has no attachment_id)",
    ]);
    // compute = auto set on the Liberty services first (and restarted): Liberty's ComputeAPI takes the word as a version cap.
    const early = plan.steps.filter((s) => s.do === 'configure').map((s) => ({ ...s, restart: true }));
    const onLiberty = await run(l, withFiles(l, { 'plan.json': JSON.stringify({ steps: [...early, ...plan.steps.filter((s) => s.do !== 'configure')] }) }));
    expect(onLiberty.ok).toBe(false);
    expect(failing(onLiberty).map((f) => f.split(':')[0])).toContain('the api accepts every request');
    // The Liberty way, then auto and a restart everywhere at the end: the services never chose a level themselves.
    const pins = JSON.parse(l.start['plan.json']!) as { steps: object[] };
    const lifted = ['scheduler', 'conductor', 'api', 'compute1', 'compute2'].map((service) => ({ do: 'configure', service, section: 'upgrade_levels', option: 'compute', value: 'auto', restart: true }));
    const late = await run(l, withFiles(l, { 'plan.json': JSON.stringify({ steps: [...pins.steps, ...lifted] }) }));
    expect(failing(late).map((f) => f.split(':')[0])).toEqual([
      'conductor, api, compute1 and compute2 each choose 4.5 by themselves when they start on Mitaka beside a Liberty compute (compute = auto, no hand-set pin)',
    ]);
  });
});

describe('wrong fixes fail (objects)', () => {
  it('05: deleting the new field whatever the target leaves the 1.20 reader without it', { timeout: SLOW }, async () => {
    const l = byPrefix('05');
    const sol = l.solution['nova/objects/instance.ts']!;
    const always = sol.replace('if (major === 1 && minor! < 20) delete primitive.locked_reason;', 'delete primitive.locked_reason;');
    expect(always).not.toBe(sol);
    const r = await run(l, withFiles(l, { 'nova/objects/instance.ts': always }));
    expect(failing(r).map((f) => f.split(':')[0])).toEqual([
      'the unit test walks Instance 1.0 ... 1.20',
      'compute2, which knows 1.20, gets its instances at 1.20 with locked_reason (a 1.20 copy keeps the field)',
    ]);
  });

  it('05: comparing versions as strings keeps the field in 1.3 ... 1.9, which the unit test names', { timeout: SLOW }, async () => {
    const l = byPrefix('05');
    const sol = l.solution['nova/objects/instance.ts']!;
    const asText = sol.replace('if (major === 1 && minor! < 20) delete primitive.locked_reason;', "if (target_version < '1.20') delete primitive.locked_reason;");
    expect(asText).not.toBe(sol);
    const r = await run(l, withFiles(l, { 'nova/objects/instance.ts': asText }));
    expect(failing(r).map((f) => f.split(':')[0])).toEqual(['the unit test walks Instance 1.0 ... 1.20']);
    const fails = r.events.filter((e) => e.kind === 'log' && e.service === 'conductor' && e.text.includes('test_obj_make_compatible') && e.text.includes('FAIL'));
    expect(fails.map((e) => /target_version='([\d.]+)'/.exec(e.text)?.[1])).toEqual(['1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9']);
  });

});

describe.each(DIRS)('hints of %s', (dir) => {
  const lesson = loadLesson(dir);
  it('lead to the answer without pasting it: no hint quotes a line the solution adds', () => {
    const added = new Set<string>();
    for (const [path, text] of Object.entries(lesson.solution)) {
      const before = new Set((lesson.start[path] ?? '').split('\n').map((x) => x.trim()));
      for (const line of text.split('\n').map((x) => x.trim())) if (line.length > 12 && !before.has(line) && !line.startsWith('//') && !line.startsWith('#')) added.add(line);
    }
    const norm = (x: string) => x.replace(/[`\s]/g, '');
    const zhPath = join(LESSONS_DIR, dir, 'README.zh-CN.md');
    const zhHints = existsSync(zhPath) ? parseLessonTranslation(readFileSync(zhPath, 'utf8')).hints : [];
    for (const h of [...lesson.meta.hints, ...zhHints]) for (const line of added) expect(norm(h), `hint quotes: ${line}`).not.toContain(norm(line).slice(0, 40));
  });
});

describe.each(DIRS)('Chinese text of %s', (dir) => {
  const lesson = loadLesson(dir);
  const path = join(LESSONS_DIR, dir, 'README.zh-CN.md');
  it('has README.zh-CN.md with its title, goal, every hint and every goal check in Simplified Chinese', () => {
    expect(existsSync(path), `${dir}/README.zh-CN.md`).toBe(true);
    const zh = parseLessonTranslation(readFileSync(path, 'utf8'));
    expect(zh.error).toBeUndefined();
    const cjk = /[\u4e00-\u9fff]/;
    expect(zh.title).toMatch(cjk);
    expect(zh.goal).toMatch(cjk);
    expect(zh.hints.length).toBe(lesson.meta.hints.length);
    for (const h of zh.hints) expect(h).toMatch(cjk);
    const checks = parseScenario(JSON.parse(lesson.scenarioText)).expect ?? [];
    expect(zh.checks.length, 'one translated description per goal check, in order').toBe(checks.length);
    for (const c of zh.checks) expect(c).toMatch(cjk);
    // The body: Chinese, about as long as the English (a translation, not a summary), same code blocks.
    expect(zh.body).toMatch(cjk);
    expect(zh.body.length).toBeGreaterThan(lesson.meta.body.length * 0.3);
    const fences = (s: string) => (s.match(/^```/gm) ?? []).length;
    expect(fences(zh.body)).toBe(fences(lesson.meta.body));
  });
});
