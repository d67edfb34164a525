/**
 * The workload run after every step of a plan, as data: each entry is a
 * few scenario steps on two instances, `base` (booted before the upgrade,
 * lives through it) and `fresh` (booted in this step by `boot`). A new
 * action the model learns (volumes, networks...) is one line here.
 */
import type { Step } from '../runtime/scenario';

export interface WorkloadContext {
  /** The long-lived instance (booted once, before the first step). */
  base: string;
  /** The instance this step boots (when `boot` is in the workload). */
  fresh: string;
  /** Compute hosts, for actions that name one. */
  computes: string[];
  /** 0 for the workload before the first step, then 1, 2... */
  step: number;
}

export interface WorkloadEntry {
  /** What an operator calls it (English; the UI translates by id). */
  label: string;
  /** The steps, in order. */
  steps(w: WorkloadContext): Step[];
  /** Why it cannot run on this topology, if it cannot. */
  unavailable?(w: WorkloadContext): string | null;
}

const act = (action: string, rest: Record<string, unknown>): Step => ({ do: 'action', action, ...rest }) as Step;

/**
 * In the order they run after a step. The first four are the rolling-upgrade
 * scenarios' workload (scenarios/rolling-upgrade-*.json), step for step.
 */
export const WORKLOAD = {
  boot: { label: 'boot a server', steps: (w) => [act('create', { name: w.fresh, flavor: 'm1.tiny' })] },
  stop_start: { label: 'stop / start', steps: (w) => [act('stop', { server: w.base }), act('start', { server: w.base })] },
  reboot: { label: 'reboot', steps: (w) => [act('reboot', { server: w.base, reboot_type: 'SOFT' })] },
  shelve: { label: 'shelve / unshelve', steps: (w) => [act('shelve', { server: w.fresh }), act('unshelve', { server: w.fresh })] },
  shelve_offload: {
    label: 'shelve / offload / unshelve',
    steps: (w) => [act('shelve', { server: w.fresh }), act('shelve_offload', { server: w.fresh }), act('unshelve', { server: w.fresh })],
  },
  pause: { label: 'pause / unpause', steps: (w) => [act('pause', { server: w.base }), act('unpause', { server: w.base })] },
  suspend: { label: 'suspend / resume', steps: (w) => [act('suspend', { server: w.base }), act('resume', { server: w.base })] },
  rescue: { label: 'rescue / unrescue', steps: (w) => [act('rescue', { server: w.base }), act('unrescue', { server: w.base })] },
  resize: {
    label: 'resize / confirm',
    steps: (w) => [act('resize', { server: w.base, flavor: w.step % 2 === 0 ? 'm1.small' : 'm1.tiny' }), act('confirm_resize', { server: w.base })],
    // nova never resizes onto the same host unless allow_resize_to_same_host is set.
    unavailable: (w) => (w.computes.length < 2 ? 'needs at least 2 computes' : null),
  },
  live_migrate: {
    label: 'live-migrate',
    steps: (w) => [act('live_migrate', { server: w.base, host: null })],
    unavailable: (w) => (w.computes.length < 2 ? 'needs at least 2 computes' : null),
  },
  delete: { label: 'delete', steps: (w) => [act('delete', { server: w.fresh })] },
} satisfies Record<string, WorkloadEntry>;

export type WorkloadId = keyof typeof WORKLOAD;
export const WORKLOAD_IDS = Object.keys(WORKLOAD) as WorkloadId[];
/** The rolling-upgrade scenarios' workload. */
export const DEFAULT_WORKLOAD: WorkloadId[] = ['boot', 'stop_start', 'reboot', 'shelve'];

export function isWorkloadId(v: unknown): v is WorkloadId {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(WORKLOAD, v);
}

/** The workload's steps after one plan step, in catalog order (whatever order the ids were given in). */
export function workloadSteps(ids: readonly WorkloadId[], w: WorkloadContext): Step[] {
  const out: Step[] = [];
  for (const id of WORKLOAD_IDS) {
    if (!ids.includes(id)) continue;
    const entry: WorkloadEntry = WORKLOAD[id];
    if (entry.unavailable?.(w)) continue;
    out.push(...entry.steps(w));
  }
  return out;
}
