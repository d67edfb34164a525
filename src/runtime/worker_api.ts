/**
 * The API a service worker exposes for control (through Comlink), and the
 * bus port on which it runs steps. Shared by the browser and Node entries.
 */
import type { ServiceFactory, ServiceSpec } from '../nova/service_api';
import { NovaConf, type ConfSections } from '../nova/conf';
import type { Release } from '../nova/releases';
import type { Binary } from '../nova/service_api';
import { ServiceHost } from './service_host';
import { changedSince, fingerprint } from './tamper';
import type { FromWorker, ToWorker } from './protocol';

/** A service's boot description; plain JSON so it can cross into the worker. */
export interface WorkerBoot {
  id: string;
  binary: Binary;
  release: Release;
  conf: ConfSections;
  seed: string;
  /** User code: module name -> compiled JavaScript (CommonJS-style). */
  code?: Record<string, string>;
  maxPublishesPerStep?: number;
  /** 'ping' boots the benchmark service instead of nova. */
  kind?: 'nova' | 'ping';
}

/** Something postMessage-like: a MessagePort, a worker_threads port. */
export interface BusPort {
  postMessage(msg: unknown): void;
  addEventListener?(type: 'message', fn: (ev: { data: unknown }) => void): void;
  on?(type: 'message', fn: (data: unknown) => void): void;
  start?(): void;
}

export function onPortMessage(port: BusPort, fn: (data: unknown) => void): void {
  if (port.on) port.on('message', fn);
  else {
    port.addEventListener!('message', (ev) => fn(ev.data));
    port.start?.();
  }
}

export type ModuleLoader = (boot: WorkerBoot) => ServiceFactory;

export interface WorkerControl {
  /**
   * Create the service (not started: the broker sends 'start' as a step).
   * A worker can boot many services one after another (a warm pool): each
   * boot gets a fresh ServiceHost and its own bus port.
   */
  boot(boot: WorkerBoot, bus: BusPort): Promise<{ ok: true } | { ok: false; error: string }>;
  /**
   * Drop the current service; its bus port is closed. `reusable` is false
   * when user code changed something the next service would share.
   */
  release(): Promise<{ reusable: boolean; why?: string }>;
  ping(): Promise<string>;
}

export interface WorkerControlHooks {
  /** After a service was released (its reply is on its way): what it was. */
  released?(boot: WorkerBoot): void;
}

export function createWorkerControl(loadFactory: ModuleLoader, shared: () => object[] = () => [], hooks: WorkerControlHooks = {}): WorkerControl {
  let host: ServiceHost | null = null;
  /** The service booted last, for `hooks.released`. */
  let hosted: WorkerBoot | null = null;
  /** Taken before the first user code ran in this worker. */
  let baseline: ReturnType<typeof fingerprint> | null = null;
  let port: (BusPort & { close?(): void }) | null = null;
  const release = () => {
    host = null;
    try {
      port?.close?.();
    } catch {
      /* already closed */
    }
    port = null;
  };
  return {
    async boot(boot, bus) {
      release();
      if (boot.code && Object.keys(boot.code).length > 0) baseline ??= fingerprint(shared());
      try {
        const factory = loadFactory(boot);
        const spec: ServiceSpec = { binary: boot.binary, release: boot.release, conf: new NovaConf(boot.conf) };
        const h = new ServiceHost({ id: boot.id, spec, seed: boot.seed, maxPublishesPerStep: boot.maxPublishesPerStep }, factory);
        host = h;
        hosted = boot;
        port = bus;
        // Steps travel as JSON text: one flat string clones faster than a
        // tree of small objects, and it is what the wire carries anyway.
        onPortMessage(bus, (data) => {
          if (host !== h) return; // a step for a service this worker no longer hosts
          const msg = (typeof data === 'string' ? JSON.parse(data) : data) as ToWorker;
          if (msg?.t !== 'run') return;
          h.run(msg).then(
            (done) => host === h && bus.postMessage(JSON.stringify(done)),
            (err: unknown) => host === h && bus.postMessage(JSON.stringify({ t: 'fatal', message: String((err as Error)?.message ?? err) } satisfies FromWorker)),
          );
        });
        return { ok: true };
      } catch (err) {
        return { ok: false, error: String((err as Error)?.message ?? err) };
      }
    },
    async release() {
      release();
      const was = hosted;
      hosted = null;
      // After the reply: a hook's work (a code cache written to disk) must not delay the next boot.
      if (was && hooks.released) setTimeout(() => hooks.released!(was), 0);
      const why = baseline ? changedSince(baseline) : null;
      return why ? { reusable: false, why } : { reusable: true };
    },
    async ping() {
      return host ? 'ready' : 'idle';
    },
  };
}
