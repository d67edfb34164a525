/**
 * Loads the simulator runtime (Web Workers around one broker) for the page.
 * There is no stand-in: if the runtime cannot start, the caller gets the
 * reason and how to fix it, and nothing runs.
 *
 * One worker pool serves every session of the page, so switching between
 * lessons, the sandbox and runs reuses warm workers.
 */
import type { PlaygroundSession } from './session';
// Static: the spawner (Comlink, the pool) comes with this module in one
// request, so the workers start one round trip sooner.
import { browserSpawner, type BrowserSpawner } from '../../runtime/browser/spawn';
import { afterFirstCluster, whenQuiet } from '../util/startup';

let spawner: BrowserSpawner | null = null;
/** How long the page must have run nothing before spare workers load. */
const SPARES_QUIET_MS = 1000;

/** Why the runtime cannot start here, before trying (old browsers, blocked workers). */
export function runtimeUnsupported(): string | null {
  if (typeof Worker === 'undefined') return 'this browser cannot run Web Workers';
  if (typeof MessageChannel === 'undefined') return 'this browser has no MessageChannel';
  return null;
}

function pool(): BrowserSpawner {
  if (!spawner) {
    // Spares (for a later Run) wait until the first cluster is up and no
    // run has been busy for a second: made earlier, they load beside the
    // cluster or the Run and delay it.
    spawner = browserSpawner({ sparesWhen: () => afterFirstCluster().then(() => whenQuiet(SPARES_QUIET_MS)) });
    // Start loading the simulator into workers while the lesson and its
    // scenario are still being fetched: a typical cluster has five services.
    void spawner.pool.warm(5).catch(() => undefined);
    // For tests and tools: how many worker threads the page made and reused.
    const pool = spawner.pool;
    ((globalThis as unknown as { __novaLab?: Record<string, unknown> }).__novaLab ??= {}).pool = () => pool.stats();
  }
  return spawner;
}

export async function connectSession(): Promise<PlaygroundSession> {
  const unsupported = runtimeUnsupported();
  if (unsupported) throw new Error(unsupported);
  const { ClusterSession } = await import('./cluster_session');
  return new ClusterSession({ spawn: pool() });
}

/** What the page says when the simulator cannot start. */
export function startupHelp(reason: string): string {
  return `The simulator could not start: ${reason}. Nothing was run. Reload the page; if it persists, use a current Chrome, Edge or Firefox with JavaScript and Web Workers allowed (private modes and some extensions block workers).`;
}
