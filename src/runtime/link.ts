/**
 * The broker's side of a worker: steps go out on the bus port, the matching
 * result comes back. Every pending step is rejected when the worker ends,
 * so no promise waits forever (Comlink itself has no timeouts).
 */
import type { WorkerLink } from './broker';
import type { FromWorker, RunStep } from './protocol';
import { onPortMessage, type BusPort } from './worker_api';

/**
 * `terminate` ends the thread (the watchdog's verdict); `release`, when
 * given, hands a cleanly stopped service's thread back for reuse.
 */
export function portLink(
  port: BusPort & { close?(): void },
  terminate: () => void,
  release?: () => void,
): WorkerLink & { fail(reason: string): void } {
  const pending = new Map<number, { resolve(r: FromWorker): void; reject(e: unknown): void }>();
  let dead: string | null = null;
  onPortMessage(port, (data) => {
    let msg: (FromWorker & { step?: number }) | null = null;
    try {
      msg = (typeof data === 'string' ? JSON.parse(data) : data) as FromWorker & { step?: number };
    } catch {
      msg = { t: 'fatal', message: 'the worker posted something that is not a step result' };
    }
    if (msg?.t === 'done') {
      pending.get(msg.step!)?.resolve(msg);
      pending.delete(msg.step!);
    } else if (msg?.t === 'fatal') {
      for (const p of pending.values()) p.resolve(msg);
      pending.clear();
    }
  });
  const fail = (reason: string) => {
    dead = reason;
    for (const p of pending.values()) p.reject(new Error(reason));
    pending.clear();
  };
  const close = (reason: string) => {
    fail(reason);
    try {
      port.close?.();
    } catch {
      /* already closed */
    }
  };
  return {
    run(step: RunStep): Promise<FromWorker> {
      if (dead) return Promise.reject(new Error(dead));
      return new Promise((resolve, reject) => {
        pending.set(step.step, { resolve, reject });
        port.postMessage(JSON.stringify(step));
      });
    },
    terminate() {
      close('worker terminated');
      terminate();
    },
    release() {
      close('service stopped');
      (release ?? terminate)();
    },
    fail,
  };
}
