/**
 * The scenario format (documented in docs/scenarios.md): a cluster of
 * services, steps to run against it, and expectations on the trace and the
 * final state. Lessons, tests, share links and the CLI all use it.
 */
import type { ConfSections } from '../nova/conf';
import type { Release } from '../nova/releases';
import type { Binary, UserAction } from '../nova/service_api';

export interface ServiceDef {
  /** Unique id, also the default [DEFAULT] host (e.g. 'compute1'). */
  id: string;
  binary: Binary;
  release: Release;
  /** nova.conf sections; [DEFAULT] host defaults to the id. */
  conf?: ConfSections;
  /** User code: module name -> TypeScript/JavaScript source already compiled to JS. */
  code?: Record<string, string>;
  /** Start the service with the cluster (default true). */
  start?: boolean;
  /** 'ping': the messaging benchmark service instead of nova. */
  kind?: 'nova' | 'ping';
  /** Raise the per-step cast bound (benchmarks). */
  maxPublishesPerStep?: number;
}

export type Step =
  | ({ do: 'action'; expect_ok?: boolean } & UserAction)
  | { do: 'upgrade'; service: string; release: Release }
  | { do: 'stop' | 'start' | 'restart'; service: string }
  | { do: 'configure'; service: string; section: string; option: string; value: string | null; restart?: boolean }
  /** Make a compute's hypervisor raise `error` ("Class: message") at `point`; the service restarts to read it. */
  | { do: 'inject'; service: string; point: string; error: string }
  /** Make the service's process die as it starts handling `method` (comma-separated names): no reply, nothing more. */
  | { do: 'inject'; service: string; point: 'die'; method: string }
  /** Remove an injected fault. */
  | { do: 'heal'; service: string; point: string }
  | { do: 'add_service'; service: ServiceDef }
  | { do: 'wait'; seconds: number }
  /** Run a periodic task of a service now (nova-compute: update_available_resource). */
  | { do: 'periodic'; service: string; task: string }
  /** nova-manage on the database (src/nova/db/migrations.ts): backup, db sync with a release's code, migrate_flavor_data, restore. */
  | { do: 'db'; command: 'backup' | 'sync' | 'migrate_flavor_data' | 'restore'; release?: Release; max_number?: number }
  | { do: 'note'; text: string }
  /** The object unit test (nova's test_obj_make_compatible walk, checking one field) on a service's loaded classes. */
  | { do: 'unit_test'; service: string; test: 'obj_make_compatible'; object: string; field: string; since: string };

/** A predicate over trace events; every given key must match. */
export interface EventMatch {
  kind?: string;
  service?: string;
  /** Substring of the event text. */
  text?: string;
  method?: string;
  version?: string;
  outcome?: string;
  /** Queue / routing key of a send. */
  queue?: string;
}

export type Expectation =
  | { expect: 'event'; match: EventMatch; count?: number; min?: number; max?: number; description?: string }
  | { expect: 'no_event'; match: EventMatch; description?: string }
  | {
      expect: 'instance';
      server: string;
      vm_state?: string;
      task_state?: string | null;
      host?: string | null;
      /** Substring of the newest instance fault's message (null: no fault). */
      fault?: string | null;
      description?: string;
    }
  | { expect: 'actions'; ok?: number; failed?: number; all_ok?: boolean; description?: string }
  | { expect: 'queue'; queue: string; depth: number; description?: string }
  /**
   * What crossed the wire: every sent message matching `match` (at least
   * one), or its reply when `reply` is true, contains / lacks a substring
   * of its JSON (e.g. a field name inside a backported object).
   */
  | { expect: 'wire'; match: EventMatch; reply?: boolean; contains?: string; lacks?: string; /** At least one matching message (not each) satisfies contains / lacks. */ any?: boolean; description?: string };

export interface Scenario {
  title: string;
  description?: string;
  seed?: string;
  services: ServiceDef[];
  steps: Step[];
  /** User actions run after every step of a learner's plan (see plan.ts). */
  workload?: Step[];
  expect?: Expectation[];
}

export interface ExpectationResult {
  expectation: Expectation;
  ok: boolean;
  detail: string;
}
