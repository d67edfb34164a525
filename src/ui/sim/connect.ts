/**
 * Loads the simulator runtime (Web Workers around one broker) for the page.
 * There is no stand-in: if the runtime cannot start, the caller gets the
 * reason and how to fix it, and nothing runs.
 *
 * One worker pool serves every session of the page, so switching between
 * lessons, the sandbox and runs reuses warm workers.
 */
import type { PlaygroundSession } from './session';

let spawner: Promise<import('../../runtime/browser/spawn').BrowserSpawner> | null = null;

/** Why the runtime cannot start here, before trying (old browsers, blocked workers). */
export function runtimeUnsupported(): string | null {
  if (typeof Worker === 'undefined') return 'this browser cannot run Web Workers';
  if (typeof MessageChannel === 'undefined') return 'this browser has no MessageChannel';
  return null;
}

/**
 * Start loading the simulator into workers now (the page calls this once its
 * first frame is out, before the lesson text and the session are there).
 */
export function prewarm(): void {
  if (!runtimeUnsupported()) void pool().catch(() => undefined);
}

function pool(): Promise<import('../../runtime/browser/spawn').BrowserSpawner> {
  spawner ??= import('../../runtime/browser/spawn').then((m) => {
    const spawn = m.browserSpawner();
    // Start loading the simulator into workers while the lesson and its
    // scenario are still being fetched: a typical cluster has five services.
    void spawn.pool.warm(5);
    return spawn;
  });
  return spawner;
}

export async function connectSession(): Promise<PlaygroundSession> {
  const unsupported = runtimeUnsupported();
  if (unsupported) throw new Error(unsupported);
  const [spawn, { ClusterSession }] = await Promise.all([pool(), import('./cluster_session')]);
  return new ClusterSession({ spawn });
}

/** What the page says when the simulator cannot start. */
export function startupHelp(reason: string): string {
  return `The simulator could not start: ${reason}. Nothing was run. Reload the page; if it persists, use a current Chrome, Edge or Firefox with JavaScript and Web Workers allowed (private modes and some extensions block workers).`;
}
