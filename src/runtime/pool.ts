/**
 * Keeps service workers warm. Creating a worker and evaluating the
 * simulator bundle in it is the most expensive thing a cluster does, so a
 * stopped service's worker goes back to the pool and the next service boots
 * in it: a fresh ServiceHost (new module state of the model, the new conf),
 * the same thread. A worker whose user code changed the shared classes or
 * globals (tamper.ts) is not reused, nor is one the watchdog ended; spares
 * are created in the background, ahead of need, to replace them.
 *
 * Platform-neutral: the Web Worker and worker_threads spawners provide
 * `create` (a booted-once thread with its Comlink control) and a port pair.
 */
import * as Comlink from 'comlink';
import type { Spawner } from './cluster';
import { portLink } from './link';
import type { BusPort, WorkerBoot, WorkerControl } from './worker_api';

/** A worker thread as the pool sees it. */
export interface PooledWorker {
  boot(boot: WorkerBoot, port: unknown): Promise<{ ok: true } | { ok: false; error: string }>;
  /** Drop the service it hosts (its bus port is already closed); false when it must not host another. */
  release(): Promise<{ reusable: boolean }>;
  kill(): void;
  /** Called when the thread dies or reports an error. */
  onFailure(fn: ((reason: string) => void) | null): void;
}

/**
 * A worker thread seen through its Comlink control, whichever platform made
 * it: `end` ends the thread; the caller reports failures through the
 * returned `fail`.
 */
export function pooledWorker(control: Comlink.Remote<WorkerControl>, end: () => void): PooledWorker & { fail(reason: string): void } {
  let onFail: ((reason: string) => void) | null = null;
  return {
    boot: (boot, port) => control.boot(boot, Comlink.transfer(port as BusPort, [port as Transferable])),
    release: () => control.release(),
    kill: () => {
      control[Comlink.releaseProxy]();
      end();
    },
    onFailure: (fn) => {
      onFail = fn;
    },
    fail: (reason) => onFail?.(reason),
  };
}

/** A MessageChannel's two ends: the broker keeps one, the worker gets the other. */
export function portPair(make: () => { port1: unknown; port2: unknown }): { mine: BusPort & { close?(): void }; theirs: unknown } {
  const { port1, port2 } = make();
  return { mine: port1 as BusPort & { close?(): void }, theirs: port2 };
}

export interface PoolOptions {
  create(): PooledWorker;
  channel(): { mine: BusPort & { close?(): void }; theirs: unknown };
  bootTimeoutMs?: number;
  /** Idle workers kept ready beyond those in use (created in the background). */
  spares?: number;
  /** Idle workers kept at most. */
  maxIdle?: number;
  /**
   * New workers loading the simulator at once. Each one parses and runs the
   * whole bundle: dozens at once on two cores would all miss their boot
   * deadline, so the rest wait their turn.
   */
  maxCreating?: number;
  /**
   * Wall-clock ms between a spawn and creating the spares it calls for: a
   * spare is for a later run, and loading one competes for the cores with
   * the cluster that is starting now.
   */
  refillDelayMs?: number;
  /**
   * Asked before each refill: spares are created once the promise it
   * returns settles (in the page: the first cluster is up and no run has
   * been busy for a while, so a spare never loads beside a Run).
   */
  sparesWhen?: () => Promise<unknown>;
}

export interface PoolStats {
  created: number;
  reused: number;
  /** Workers ended instead of reused (crashed, or their user code changed shared state). */
  discarded: number;
  idle: number;
  busy: number;
}

export interface WorkerPool {
  spawn: Spawner;
  /** Create spares now (e.g. while the page is idle), resolved when they exist. */
  warm(n: number): Promise<void>;
  stats(): PoolStats;
  /** Resolves when no worker is loading or being released (every release has been counted). */
  quiet(): Promise<void>;
  /** End every worker. */
  close(): void;
}

export function workerPool(options: PoolOptions): WorkerPool {
  const idle: PooledWorker[] = [];
  let busy = 0;
  let created = 0;
  let reused = 0;
  let discarded = 0;
  const spares = options.spares ?? 0;
  const maxIdle = options.maxIdle ?? 16;
  const bootTimeoutMs = options.bootTimeoutMs ?? 15000;
  let refilling = false;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  const maxCreating = options.maxCreating ?? Math.min(8, Math.max(2, cores));
  let creating = 0;
  const turn: (() => void)[] = [];
  /** Run `first` (the first call into a new worker) when fewer than maxCreating are loading. */
  const throttled = async <T>(first: () => Promise<T>): Promise<T> => {
    if (creating >= maxCreating) await new Promise<void>((r) => turn.push(r));
    creating += 1;
    try {
      return await first();
    } finally {
      creating -= 1;
      turn.shift()?.();
    }
  };

  const make = (): PooledWorker => {
    created += 1;
    const w = options.create();
    // A worker that dies while idle just leaves the pool.
    w.onFailure(() => remove(w));
    return w;
  };
  const remove = (w: PooledWorker) => {
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
  };
  /** Workers loading the simulator ahead of need; a spawn can claim one before it is ready. */
  /**
   * Workers on their way to the idle list: loading ahead of need, or being
   * released by a service that just stopped. A spawn claims one of these
   * rather than creating a thread (a Run disposes its old cluster and boots
   * the new one at once, before the releases have come back).
   */
  const pending: { claimed: boolean; ready: Promise<PooledWorker | null>; hosted?: string }[] = [];
  const unclaimed = () => pending.filter((w) => !w.claimed).length;
  /**
   * The service each worker hosted last. A service boots again in the
   * thread it ran in before when it can: that isolate has already compiled
   * and optimized that service's code (a second Run of a lesson then runs
   * as fast as the third, instead of warming each service up anew).
   */
  const hosted = new WeakMap<PooledWorker, string>();
  const track = (ready: Promise<PooledWorker | null>, hostedId?: string) => {
    const entry = { claimed: false, ready: Promise.resolve<PooledWorker | null>(null), ...(hostedId ? { hosted: hostedId } : {}) };
    entry.ready = ready.then((w) => {
      pending.splice(pending.indexOf(entry), 1);
      if (w && !entry.claimed) idle.push(w);
      return w;
    });
    pending.push(entry);
    return entry;
  };
  // A new thread starts loading the bundle as soon as it exists, so it is
  // created in its turn (throttled), not before it.
  const startWarming = () =>
    track(
      throttled(async () => {
        const worker = make();
        try {
          await worker.release();
          return worker;
        } catch {
          worker.kill();
          return null;
        }
      }),
    );
  const refill = () => {
    if (refilling || idle.length + unclaimed() >= spares) return;
    refilling = true;
    const create = () => {
      refilling = false;
      while (idle.length + unclaimed() < spares) startWarming();
    };
    // Off the current task: a spare is for a later run, not this one. The
    // page's condition is asked last, so it holds when the spares load.
    setTimeout(() => (options.sparesWhen ? void options.sparesWhen().then(create, create) : create()), options.refillDelayMs ?? 0);
  };

  /** An idle worker, or one on its way back (released, or loading ahead of need): nearer than a new one. */
  const claim = async (id: string): Promise<PooledWorker | undefined> => {
    const mine = idle.findIndex((x) => hosted.get(x) === id);
    if (mine >= 0) return idle.splice(mine, 1)[0];
    const coming = pending.find((x) => !x.claimed && x.hosted === id) ?? (idle.length ? undefined : pending.find((x) => !x.claimed));
    if (!coming) return idle.pop();
    coming.claimed = true;
    return (await coming.ready) ?? idle.pop();
  };

  const spawn: Spawner = async (boot: WorkerBoot) => {
    let w = await claim(boot.id);
    if (w) reused += 1;
    let worker = w as PooledWorker;
    busy += 1;
    const { mine, theirs } = options.channel();
    const attempt = async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        return await Promise.race([
          worker.boot(boot, theirs).catch((err: unknown) => ({ ok: false as const, error: String((err as Error)?.message ?? err) })),
          new Promise<{ ok: false; error: string }>((r) => {
            timer = setTimeout(() => r({ ok: false, error: `worker did not boot within ${bootTimeoutMs} ms` }), bootTimeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    // A new worker is created in its turn to load the bundle; a warm one boots at once.
    const booted = w
      ? await attempt()
      : await throttled(() => {
          worker = make();
          return attempt();
        });
    if (!booted.ok) {
      busy -= 1;
      worker.kill();
      refill();
      throw new Error(`cannot boot ${boot.id}: ${booted.error}`);
    }
    hosted.set(worker, boot.id);
    let done = false;
    const finish = (keep: boolean) => {
      if (done) return;
      done = true;
      busy -= 1;
      worker.onFailure(() => remove(worker));
      if (keep && idle.length < maxIdle) {
        // A worker whose user code changed shared classes or globals is replaced.
        track(
          worker.release().then(
            (r) => {
              if (r.reusable) return worker;
              discarded += 1;
              worker.kill();
              refill();
              return null;
            },
            () => {
              discarded += 1;
              worker.kill();
              return null;
            },
          ),
          boot.id,
        );
      } else {
        discarded += 1;
        worker.kill();
      }
      refill();
    };
    const link = portLink(mine, () => finish(false), () => finish(true));
    worker.onFailure((reason) => {
      link.fail(reason);
      finish(false);
    });
    refill();
    return link;
  };

  return {
    spawn,
    async warm(n: number) {
      const started = [];
      while (idle.length + unclaimed() < n) started.push(startWarming().ready);
      await Promise.all(started);
    },
    stats: () => ({ created, reused, discarded, idle: idle.length, busy }),
    async quiet() {
      while (pending.length > 0) await Promise.all(pending.map((p) => p.ready));
    },
    close() {
      for (const w of idle.splice(0)) w.kill();
    },
  };
}
