/**
 * A simulated nova deployment: services in workers around one broker and
 * one database. Start, stop, restart, upgrade or reconfigure any service;
 * act as a user through nova-api; run whole scenarios. The same class runs
 * in the browser (Web Workers) and in Node (worker_threads); only the
 * spawner differs.
 */
import { MemoryDatabase } from '../nova/db/memory';
import { nextMacrotask } from '../oslo/scheduling';
import type { InstanceRow } from '../nova/db/api';
import { releaseOrder as novaReleaseOrder, type Release } from '../nova/releases';
import type { UserAction } from '../nova/service_api';
import { versionAliases } from '../nova/upgrade_levels';
import { Broker, describeAction, type ActionResult, type WorkerLink } from './broker';
import type { TraceEvent } from './trace';
import type { ServiceDef } from './scenario';
import type { WorkerBoot } from './worker_api';
import { checkConfName } from './untrusted';

/** Boots a worker for a service and returns the broker's link to it. */
export type Spawner = (boot: WorkerBoot) => Promise<WorkerLink>;

export type ServiceState = 'running' | 'stopped' | 'crashed' | 'starting';

export interface ServiceView {
  id: string;
  binary: ServiceDef['binary'];
  release: Release;
  host: string;
  state: ServiceState;
  incarnation: number;
  upgrade_levels: Record<string, string>;
  conf: NonNullable<ServiceDef['conf']>;
  hasUserCode: boolean;
  /** The `version` column of its services row (Liberty and later write one); null: no row yet. */
  service_version: number | null;
  /**
   * The compute RPC cap this process's ComputeAPI runs with: an
   * `[upgrade_levels] compute` alias resolved at its release, or what
   * `auto` selected at its start (Mitaka), with the minimum it read.
   */
  compute_cap: { version: string; from: string } | null;
}

export interface ClusterSnapshot {
  time: number;
  services: ServiceView[];
  queues: Record<string, number>;
  instances: InstanceRow[];
}

export interface ClusterOptions {
  spawn: Spawner;
  seed?: string;
  watchdogMs?: number;
  onEvent?(e: TraceEvent): void;
  onChange?(): void;
}

interface Slot {
  def: ServiceDef;
  incarnation: number;
  state: ServiceState;
  /** Watchdog restarts in a row, reset when the user starts the service again. */
  crashes: number;
  /** What `compute = auto` selected in the current process (from its log line). */
  autoCap?: { version: string; from: string } | null;
}

/** A service that crashes this many times in a row stays down (a crash loop, e.g. code that hangs at start). */
export const MAX_CRASH_RESTARTS = 3;

const BASE_TIME = Date.UTC(2015, 3, 30, 12, 0, 0);

export class Cluster {
  readonly db: MemoryDatabase;
  readonly broker: Broker;
  private readonly slots = new Map<string, Slot>();
  private readonly seed: string;
  private requestNo = 0;
  /** Workers being spawned (a watchdog restart happens in the background). */
  private readonly booting = new Set<Promise<void>>();
  readonly actionResults: ActionResult[] = [];

  constructor(private readonly options: ClusterOptions) {
    this.seed = options.seed ?? 'nova-upgrade-lab';
    this.db = new MemoryDatabase(() => new Date(BASE_TIME + this.broker.now).toISOString());
    this.broker = new Broker({
      db: this.db,
      watchdogMs: options.watchdogMs,
      onEvent: (e) => {
        this.noteAutoCap(e);
        options.onEvent?.(e);
      },
      maxPublishesPerStep: (id) => this.slots.get(id)?.def.maxPublishesPerStep ?? 500,
      onCrash: (id, reason) => {
        const slot = this.slots.get(id);
        if (!slot) return;
        slot.state = 'crashed';
        slot.crashes += 1;
        this.options.onChange?.();
        if (slot.crashes >= MAX_CRASH_RESTARTS) {
          this.broker.record('lifecycle', id, `${id} crashed ${slot.crashes} times in a row and stays down: ${reason}. Fix its code or configuration, then start it again.`, undefined, { action: 'crash', final: true });
          return;
        }
        // Restart right away, as a service supervisor (systemd) would.
        this.background(id, () => this.boot(id, 'restarted by the watchdog'));
      },
      onDeath: (id) => {
        const slot = this.slots.get(id);
        if (!slot) return;
        // The process is gone (the broker ended its worker), and nothing restarts it.
        // The fault fired once: a later start runs normally.
        const faults = slot.def.conf?.fault_injection;
        if (faults && Object.hasOwn(faults, 'die')) {
          delete faults.die;
          this.broker.record('lifecycle', id, `${id}: [fault_injection] die = (unset): the injected death happened`, undefined, { action: 'configure', section: 'fault_injection', option: 'die', value: null });
        }
        slot.state = 'stopped';
        this.options.onChange?.();
      },
      onHalt: (ids) => {
        // Their handlers wait for replies that were dropped: start them afresh.
        for (const id of ids) {
          this.background(id, async () => {
            this.kill(id, 'stopped: the run was halted while it held work that can never finish');
            await this.boot(id, 'restarted after the halt');
          });
        }
      },
    });
  }

  /** A restart the runtime decided on (settle waits for it). */
  private background(id: string, f: () => Promise<void>): void {
    const p = f().catch((err: unknown) => {
      this.broker.record('lifecycle', id, `${id} could not be restarted: ${(err as Error).message}`, undefined, { action: 'crash' });
    });
    this.booting.add(p);
    void p.finally(() => this.booting.delete(p));
  }

  get events(): TraceEvent[] {
    return this.broker.events;
  }

  service(id: string): Slot {
    const s = this.slots.get(id);
    if (!s) throw new Error(`No service "${id}" in this cluster`);
    return s;
  }

  private bootFor(slot: Slot): WorkerBoot {
    const conf = JSON.parse(JSON.stringify(slot.def.conf ?? {})) as NonNullable<ServiceDef['conf']>;
    conf.DEFAULT = { host: slot.def.id, ...(conf.DEFAULT ?? {}) };
    return {
      id: slot.def.id,
      binary: slot.def.binary,
      release: slot.def.release,
      conf,
      seed: `${this.seed}:${slot.def.id}:${slot.incarnation}`,
      code: slot.def.code,
      kind: slot.def.kind,
      maxPublishesPerStep: slot.def.maxPublishesPerStep,
    };
  }

  private async boot(id: string, why: string, ready?: Promise<WorkerLink>): Promise<void> {
    const slot = this.service(id);
    // A start the user asked for gives a crash-looping service its chances back.
    if (!why.startsWith('restarted by the watchdog')) slot.crashes = 0;
    slot.incarnation += 1;
    slot.state = 'starting';
    // A new process: ComputeAPI's LAST_VERSION starts empty again.
    slot.autoCap = null;
    const boot = this.bootFor(slot);
    const link = await (ready ?? this.options.spawn(boot));
    this.attachBooted(id, slot, boot, link, why);
  }

  private attachBooted(id: string, slot: Slot, boot: WorkerBoot, link: WorkerLink, why: string): void {
    this.broker.attach(id, link);
    const e = this.broker.record('lifecycle', id, `${id} (${slot.def.binary}, ${slot.def.release}) ${why}`, undefined, {
      action: why.split(' ')[0],
      release: slot.def.release,
      binary: slot.def.binary,
      host: boot.conf.DEFAULT?.host,
    });
    this.broker.control(id, 'start', e.id);
    slot.state = 'running';
    this.options.onChange?.();
  }

  private kill(id: string, why: string): void {
    const slot = this.service(id);
    const e = this.broker.record('lifecycle', id, `${id} ${why}`, undefined, { action: why.split(' ')[0] });
    const link = this.broker.linkOf(id);
    this.broker.detach(id, why, e.id);
    // A clean stop: the worker goes back to the pool for the next service.
    if (link) (link.release ?? link.terminate).call(link);
    slot.state = 'stopped';
    this.options.onChange?.();
  }

  async addService(def: ServiceDef): Promise<void> {
    if (this.slots.has(def.id)) throw new Error(`A service "${def.id}" already exists`);
    this.slots.set(def.id, { def: structuredClone(def), incarnation: 0, state: 'stopped', crashes: 0 });
    if (def.start !== false) await this.boot(def.id, 'started');
    await this.settle();
  }

  /**
   * Add several services: their workers boot at once (the slow part), then
   * they start one after another in the given order, each settling before
   * the next, exactly as that many addService calls would.
   */
  async addServices(defs: ServiceDef[], onBooted?: (done: number, total: number) => void): Promise<void> {
    for (const def of defs) if (this.slots.has(def.id)) throw new Error(`A service "${def.id}" already exists`);
    const starting = defs.filter((d) => d.start !== false);
    for (const def of defs) this.slots.set(def.id, { def: structuredClone(def), incarnation: 0, state: 'stopped', crashes: 0 });
    let done = 0;
    const links = starting.map((def) => {
      const slot = this.service(def.id);
      slot.incarnation += 1;
      slot.state = 'starting';
      const boot = this.bootFor(slot);
      const p = this.options.spawn(boot).then((link) => {
        done += 1;
        onBooted?.(done, starting.length);
        return { boot, link };
      });
      p.catch(() => undefined);
      return p;
    });
    let failure: unknown = null;
    for (const [i, def] of starting.entries()) {
      try {
        const { boot, link } = await links[i]!;
        if (failure) {
          (link.release ?? link.terminate).call(link);
          continue;
        }
        this.attachBooted(def.id, this.service(def.id), boot, link, 'started');
        await this.settle();
      } catch (err) {
        failure ??= err;
        this.service(def.id).state = 'stopped';
      }
    }
    if (failure) throw failure;
    await this.settle();
  }

  async stop(id: string): Promise<void> {
    if (this.service(id).state === 'stopped') return;
    this.kill(id, 'stopped');
    await this.settle();
  }

  async start(id: string): Promise<void> {
    if (this.service(id).state === 'running') return;
    await this.boot(id, 'started');
    await this.settle();
  }

  async restart(id: string): Promise<void> {
    if (this.service(id).state !== 'stopped') this.kill(id, 'stopped for a restart');
    await this.boot(id, 'restarted');
    await this.settle();
  }

  /** Stop the service, replace its code with another release's, start it with the same host and queues. */
  async upgrade(id: string, release: Release): Promise<void> {
    const slot = this.service(id);
    const from = slot.def.release;
    const wasRunning = slot.state !== 'stopped';
    if (wasRunning) this.kill(id, `stopped to move from ${from} to ${release}`);
    slot.def.release = release;
    await this.boot(id, `${releaseOrder(from, release)} from ${from} to ${release}`);
    await this.settle();
  }

  /** Change one nova.conf option; the service reads it when it (re)starts. */
  async configure(id: string, section: string, option: string, value: string | null, restart = true): Promise<void> {
    const slot = this.service(id);
    // Names and value from a link or a plan: typed, never a prototype key (untrusted.ts).
    checkConfName(section, 'configure: section');
    checkConfName(option, 'configure: option');
    if (value !== null && typeof value !== 'string') throw new Error(`configure: the value of [${section}] ${option} must be text or null`);
    const conf = (slot.def.conf ??= {});
    const sec = Object.hasOwn(conf, section) ? conf[section]! : (conf[section] = {});
    if (value === null) delete sec[option];
    else sec[option] = value;
    this.broker.record('lifecycle', id, `${id}: [${section}] ${option} = ${value ?? '(unset)'}`, undefined, { action: 'configure', section, option, value });
    if (restart && slot.state !== 'stopped') await this.restart(id);
    this.options.onChange?.();
  }

  /** Load user code into a service (it takes effect at the next start). */
  async loadCode(id: string, code: Record<string, string> | undefined, restart = true): Promise<void> {
    const slot = this.service(id);
    slot.def.code = code;
    if (restart && slot.state !== 'stopped') await this.restart(id);
  }

  apiId(): string {
    const api = [...this.slots.values()].find((s) => s.def.binary === 'nova-api');
    if (!api) throw new Error('This cluster has no nova-api service');
    return api.def.id;
  }

  /** A user action through nova-api; returns once everything it caused has settled. */
  act(action: UserAction): Promise<ActionResult> {
    return this.actOn(this.apiId(), action);
  }

  /** An action for a given service (nova-api, or a benchmark service). */
  async actOn(id: string, action: UserAction): Promise<ActionResult> {
    this.requestNo += 1;
    const request_id = `req-${String(this.requestNo).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const pending = this.broker.act(id, action, request_id);
    await this.settle();
    const result = await pending;
    this.actionResults.push(result);
    this.options.onChange?.();
    return result;
  }

  /** Run a periodic task of a running service now, and settle. */
  async periodic(id: string, task: string): Promise<void> {
    if (this.service(id).state !== 'running') throw new Error(`periodic: ${id} is not running`);
    this.broker.periodic(id, task);
    await this.settle();
  }

  /** Advance virtual time by `seconds` (timeouts fire, periodic work would run). */
  async wait(seconds: number): Promise<void> {
    await this.broker.runUntilIdle(this.broker.now + seconds * 1000);
    this.broker.now += seconds * 1000;
  }

  async settle(): Promise<void> {
    // Runs until no message, reply or timeout is pending anywhere, and no
    // restarted worker is still booting.
    for (;;) {
      await this.broker.runUntilIdle();
      if (this.booting.size > 0) {
        await Promise.all([...this.booting]);
        continue;
      }
      // One macrotask (not a timer: browsers clamp nested timers to 4 ms).
      await nextMacrotask();
      if (this.broker.idle && this.booting.size === 0) return;
    }
  }

  /** nova's log line when `compute = auto` resolves (ComputeAPI._determine_version_cap @13.0.0). */
  private noteAutoCap(e: TraceEvent): void {
    if (e.kind !== 'log') return;
    const m = AUTO_CAP.exec(e.text);
    const slot = m ? this.slots.get(e.service) : undefined;
    if (slot && m) slot.autoCap = { version: m[1]!, from: `auto: minimum service version ${m[2]}` };
  }

  private computeCap(slot: Slot, level: string | undefined): ServiceView['compute_cap'] {
    if (level === 'auto') return slot.autoCap ?? null;
    if (!level) return null;
    const aliases = versionAliases('compute', slot.def.release);
    return Object.prototype.hasOwnProperty.call(aliases, level) ? { version: aliases[level]!, from: `alias ${level}` } : { version: level, from: 'as written' };
  }

  snapshot(): ClusterSnapshot {
    const dump = this.db.dump();
    return {
      time: this.broker.now,
      services: [...this.slots.values()].map((s) => {
        const boot = this.bootFor(s);
        return {
          id: s.def.id,
          binary: s.def.binary,
          release: s.def.release,
          host: boot.conf.DEFAULT?.host ?? s.def.id,
          state: s.state,
          incarnation: s.incarnation,
          upgrade_levels: { ...(boot.conf.upgrade_levels ?? {}) },
          conf: boot.conf,
          hasUserCode: Boolean(s.def.code && Object.keys(s.def.code).length),
          service_version: serviceVersion(dump.services, boot.conf.DEFAULT?.host ?? s.def.id, s.def.binary),
          compute_cap: this.computeCap(s, boot.conf.upgrade_levels?.compute),
        };
      }),
      queues: this.broker.queueDepths(),
      instances: dump.instances,
    };
  }

  describe(action: UserAction): string {
    return describeAction(action);
  }

  dispose(): void {
    for (const id of this.slots.keys()) {
      const link = this.broker.linkOf(id);
      if (link) (link.release ?? link.terminate).call(link);
    }
  }
}

const AUTO_CAP = /Automatically selected compute RPC version (\S+) from minimum service version (\d+)/;

/** The version column of the live (not deleted) row for host and binary. */
function serviceVersion(rows: Array<Record<string, unknown>>, host: string, binary: string): number | null {
  const row = rows.find((r) => r.host === host && r.binary === binary && !r.deleted);
  if (!row) return null;
  return typeof row.version === 'number' ? row.version : 0;
}

function releaseOrder(from: Release, to: Release): string {
  return novaReleaseOrder(to) >= novaReleaseOrder(from) ? 'upgraded' : 'downgraded';
}
