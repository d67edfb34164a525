/**
 * Validation of scenario JSON (from files, lessons or share links): a
 * malformed scenario gets a clear message naming the offending path.
 */
import { RELEASES, isRelease } from '../nova/releases';

/** 'icehouse, juno, kilo or liberty' */
const RELEASE_WORDS = `${RELEASES.slice(0, -1).join(', ')} or ${RELEASES[RELEASES.length - 1]!}`;
import { BINARIES } from '../nova/service_api';
import type { Scenario } from './scenario';
import { checkConfSections, checkUntrustedStep } from './untrusted';

export class ScenarioError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, msg: string): never {
  throw new ScenarioError(`${path}: ${msg}`);
}

const STEP_KINDS = ['action', 'upgrade', 'stop', 'start', 'restart', 'configure', 'inject', 'heal', 'add_service', 'wait', 'note', 'db', 'unit_test', 'periodic'];
/** Where a fault can be injected (the compute's [fault_injection] options). */
const FAULT_POINTS = ['die', 'spawn', 'pre_live_migration', 'check_can_live_migrate_source', 'check_can_live_migrate_destination', 'attach_volume'];
/** Periodic tasks a scenario can run (nova-compute's ComputeManager). */
const PERIODIC_TASKS = ['update_available_resource'];
const EXPECT_KINDS = ['event', 'no_event', 'instance', 'actions', 'queue', 'wire'];
const ACTIONS = [
  'create', 'delete', 'stop', 'start', 'shelve', 'shelve_offload', 'unshelve', 'unrescue', 'pause', 'unpause',
  'suspend', 'resume', 'reboot', 'rescue', 'resize', 'confirm_resize', 'revert_resize', 'live_migrate',
  'attach_volume', 'detach_volume', 'flavor_key',
];

function checkService(s: unknown, path: string, ids: Set<string>): void {
  if (!isObj(s)) fail(path, 'a service must be an object');
  if (typeof s.id !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(s.id)) fail(`${path}.id`, 'must be a short lowercase name like "compute1"');
  if (ids.has(s.id)) fail(`${path}.id`, `"${s.id}" is used twice`);
  ids.add(s.id);
  if (!BINARIES.includes(s.binary as never)) fail(`${path}.binary`, `must be one of ${BINARIES.join(', ')}`);
  if (!isRelease(s.release)) fail(`${path}.release`, `must be ${RELEASE_WORDS}`);
  // Names, types and sizes (no prototype names such as __proto__): see untrusted.ts.
  if (s.conf !== undefined) typed(() => checkConfSections(s.conf, `${path}.conf`));
  if (s.code !== undefined) {
    if (!isObj(s.code)) fail(`${path}.code`, 'must map module names to source text');
    for (const [k, v] of Object.entries(s.code)) if (typeof v !== 'string') fail(`${path}.code.${k}`, 'must be a string');
  }
}

/** Run a check from untrusted.ts, reporting its failure as a ScenarioError. */
function typed(check: () => void): void {
  try {
    check();
  } catch (err) {
    throw new ScenarioError((err as Error).message);
  }
}

/** Check a parsed JSON value is a scenario; returns it typed. */
export function parseScenario(value: unknown): Scenario {
  if (!isObj(value)) fail('scenario', 'must be a JSON object');
  if (typeof value.title !== 'string') fail('title', 'is required');
  if (!Array.isArray(value.services) || value.services.length === 0) fail('services', 'must be a non-empty list');
  if (value.services.length > 80) fail('services', 'at most 80 services');
  const ids = new Set<string>();
  value.services.forEach((s, i) => checkService(s, `services[${i}]`, ids));
  if (!Array.isArray(value.steps)) fail('steps', 'must be a list');
  const steps = value.steps as unknown[];
  if (steps.length > 2000) fail('steps', 'at most 2000 steps');
  steps.forEach((st, i) => {
    const p = `steps[${i}]`;
    if (!isObj(st) || !STEP_KINDS.includes(st.do as string)) fail(p, `"do" must be one of ${STEP_KINDS.join(', ')}`);
    // Every step's keys and value types (a note's text, a configure's names...); services are checked below.
    if (st.do !== 'add_service') typed(() => checkUntrustedStep(st, p));
    if (st.do === 'action' && !ACTIONS.includes(st.action as string)) fail(`${p}.action`, `must be one of ${ACTIONS.join(', ')}`);
    if ((st.do === 'inject' || st.do === 'heal') && !FAULT_POINTS.includes(st.point as string)) fail(`${p}.point`, `must be one of ${FAULT_POINTS.join(', ')}`);
    if (st.do === 'inject' && st.point === 'die' && (typeof st.method !== 'string' || st.method === '')) fail(`${p}.method`, 'must name the RPC method the service dies handling, e.g. "stop_instance"');
    if (st.do === 'inject' && st.point !== 'die' && (typeof st.error !== 'string' || st.error === '')) fail(`${p}.error`, 'must be the error to raise, e.g. "libvirtError: internal error"');
    if (st.do === 'periodic' && !PERIODIC_TASKS.includes(st.task as string)) fail(`${p}.task`, `must be one of ${PERIODIC_TASKS.join(', ')}`);
    if (['upgrade', 'stop', 'start', 'restart', 'configure', 'inject', 'heal', 'unit_test', 'periodic'].includes(st.do as string) && !ids.has(st.service as string)) {
      if (!steps.some((o) => isObj(o) && o.do === 'add_service' && isObj(o.service) && o.service.id === st.service)) {
        fail(`${p}.service`, `no service "${String(st.service)}"`);
      }
    }
    if (st.do === 'upgrade' && !isRelease(st.release)) fail(`${p}.release`, `must be ${RELEASE_WORDS}`);
    if (st.do === 'add_service') checkService(st.service, `${p}.service`, ids);
    if (st.do === 'db') {
      if (!['backup', 'sync', 'migrate_flavor_data', 'restore'].includes(st.command as string)) fail(`${p}.command`, 'must be one of backup, sync, migrate_flavor_data, restore');
      if (st.command === 'sync' && !isRelease(st.release)) fail(`${p}.release`, `db sync needs the release whose code runs it: ${RELEASE_WORDS}`);
      if (st.max_number !== undefined && (typeof st.max_number !== 'number' || st.max_number < 0)) fail(`${p}.max_number`, 'must be a positive number');
    }
    if (st.do === 'wait' && (typeof st.seconds !== 'number' || st.seconds < 0 || st.seconds > 86400)) fail(`${p}.seconds`, 'must be 0..86400');
  });
  if (value.workload !== undefined) {
    if (!Array.isArray(value.workload) || value.workload.length > 100) fail('workload', 'must be a list of at most 100 steps');
    (value.workload as unknown[]).forEach((st, i) => {
      if (!isObj(st) || !STEP_KINDS.includes(st.do as string)) fail(`workload[${i}]`, `"do" must be one of ${STEP_KINDS.join(', ')}`);
      if (st.do !== 'add_service') typed(() => checkUntrustedStep(st, `workload[${i}]`));
    });
  }
  if (value.expect !== undefined) {
    if (!Array.isArray(value.expect)) fail('expect', 'must be a list');
    value.expect.forEach((x, i) => {
      if (!isObj(x) || !EXPECT_KINDS.includes(x.expect as string)) fail(`expect[${i}]`, `"expect" must be one of ${EXPECT_KINDS.join(', ')}`);
    });
  }
  return value as unknown as Scenario;
}
