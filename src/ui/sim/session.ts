/**
 * The one seam between the UI and the simulator. Everything the playground
 * shows comes from a PlaygroundSession: a live cluster snapshot, the trace
 * of everything that happened, and a few verbs. The implementation is
 * ClusterSession (cluster_session.ts): the real runtime, `Cluster` +
 * `runScenario` with an injected spawner (Web Workers in the browser).
 *
 * Types only (plus tiny helpers): this file is in the initial bundle.
 */
import type { ClusterSnapshot } from '../../runtime/cluster';
import type { ExpectationResult, Scenario, ServiceDef, Step } from '../../runtime/scenario';
import type { TraceEvent } from '../../runtime/trace';
import type { Release } from '../../nova/releases';
import type { UserAction } from '../../nova/service_api';

export type { ClusterSnapshot, ServiceView } from '../../runtime/cluster';
export type { TraceEvent, SendData } from '../../runtime/trace';
export type { Scenario, ServiceDef, ExpectationResult, Expectation, Step } from '../../runtime/scenario';
export type { UserAction } from '../../nova/service_api';
export type { Release } from '../../nova/releases';

/** What the Run button hands the session. */
export interface RunInput {
  scenario: Scenario;
  /**
   * User code per service: service id -> module name (the lesson file path
   * without `.ts`, e.g. 'nova/compute/rpcapi') -> JavaScript emitted by
   * Monaco's TS worker (module CommonJS). Empty when the lesson has no code.
   */
  code: Record<string, Record<string, string>>;
  /**
   * nova.conf overrides from `conf/<service-id>.conf` lesson files:
   * service id -> INI text, merged over the scenario's `conf` for that service.
   */
  conf: Record<string, string>;
}

export interface RunResult {
  events: TraceEvent[];
  /** One per `expect` entry of the scenario, in order: drives the lesson goal check. */
  results: ExpectationResult[];
  ok: boolean;
  /** Set when the run itself could not happen (bad conf, a crash outside the cluster...). */
  error?: string;
}

/**
 * What happened to the current cluster since it was built, as scenario
 * data: replaying `steps` on `services` with `seed` gives the same trace.
 */
export interface SessionHistory {
  services: ServiceDef[];
  steps: Step[];
  seed: string;
}

/** The cluster seed when none is given (the runtime's own default). */
export const DEFAULT_SEED = 'nova-upgrade-lab';

/** Where the session is: loading the runtime, booting services (n of N), ready, or unable to start. */
export type SessionStatus =
  | { phase: 'loading' }
  | { phase: 'starting'; booted: number; total: number }
  | { phase: 'ready' }
  | { phase: 'failed'; error: string };

export interface PlaygroundSession {
  readonly status: SessionStatus;
  /** Current state of the services, queues and instances. */
  snapshot(): ClusterSnapshot;
  /** Every trace event so far (of the current cluster), in seq order. */
  readonly events: readonly TraceEvent[];
  /** Called (possibly many times per frame) on every event and state change; returns unsubscribe. */
  subscribe(fn: () => void): () => void;
  /** True while an operation runs (the UI disables the verbs). */
  readonly busy: boolean;
  /** True while a lesson Run is under way or queued (its button already shows it). */
  readonly running?: boolean;

  act(action: UserAction): Promise<void>;
  upgrade(id: string, release: Release): Promise<void>;
  stop(id: string): Promise<void>;
  start(id: string): Promise<void>;
  restart(id: string): Promise<void>;
  /** Set (or with null unset) one nova.conf option; the service restarts to read it. */
  configure(id: string, section: string, option: string, value: string | null): Promise<void>;
  /** Add a nova-compute at a release; returns its id (compute1, compute2...). */
  addCompute(release: Release): Promise<string>;
  /** Throw the cluster away and build a new one from these services (sandbox presets). */
  reset(services: ServiceDef[], seed?: string): Promise<void>;
  /**
   * A fresh cluster from `services` and `seed`, then `steps` applied one by
   * one as the sandbox verbs would (a failing step is recorded and skipped,
   * as it was when the user took it). Used to open shared sandboxes.
   */
  replay(services: ServiceDef[], steps: Step[], seed?: string): Promise<void>;
  /** The current cluster as services + steps + seed (null after a lesson run with user code). */
  history(): SessionHistory | null;
  /** Run a lesson scenario on a fresh cluster, which then becomes the session's cluster. */
  run(input: RunInput): Promise<RunResult>;
  dispose(): void;
}

/** A watchdog / crash lifecycle event: the runtime ended a worker that did not finish. */
/** A worker ended by the watchdog, or a run the simulation had to stop (a message loop). */
export function isCrash(e: TraceEvent): boolean {
  const action = e.data?.action as string | undefined;
  return e.kind === 'lifecycle' && (action === 'crash' || action === 'halt' || /watchdog|crashed/.test(e.text));
}
