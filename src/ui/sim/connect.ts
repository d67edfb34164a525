/**
 * Chooses the session: the real worker runtime when
 * src/runtime/browser/spawn.ts exists and boots a cluster, else the
 * recorded fixture (also forced with `?session=fixture` in the URL).
 *
 * spawn.ts exports `browserSpawner(options?)`, a factory returning the
 * Spawner (a Spawner itself, taking the boot, is accepted too).
 */
import type { Spawner } from '../../runtime/cluster';
import type { ServiceDef } from '../../runtime/scenario';
import type { PlaygroundSession } from './session';

const runtimes = import.meta.glob('../../runtime/browser/spawn.ts');

/** The sandbox starts where an upgrade starts: everything on Juno. */
export const SANDBOX_SERVICES: ServiceDef[] = [
  { id: 'api', binary: 'nova-api', release: 'juno' },
  { id: 'conductor', binary: 'nova-conductor', release: 'juno' },
  { id: 'scheduler', binary: 'nova-scheduler', release: 'juno' },
  { id: 'compute1', binary: 'nova-compute', release: 'juno' },
  { id: 'compute2', binary: 'nova-compute', release: 'juno' },
];

export interface Connected {
  session: PlaygroundSession;
  /** Why the fixture is used, when it is. */
  note?: string;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what} did not answer within ${ms / 1000} s`)), ms))]);
}

export async function connectSession({ forceFixture = false, withTrace = true } = {}): Promise<Connected> {
  const load = Object.values(runtimes)[0];
  let note = forceFixture ? 'Showing a recorded trace (?session=fixture).' : 'The simulator runtime is not built yet: showing a recorded trace.';
  if (!forceFixture && load) {
    try {
      const mod = (await load()) as { browserSpawner?: ((options?: object) => Spawner) | Spawner };
      const f = mod.browserSpawner;
      if (typeof f !== 'function') throw new Error('spawn.ts does not export browserSpawner');
      // A factory takes only optional options (length 0); a Spawner takes the boot.
      const spawn = f.length === 0 ? (f as () => Spawner)() : (f as Spawner);
      const { ClusterSession } = await import('./cluster_session');
      const session = new ClusterSession({ spawn });
      await withTimeout(session.reset(SANDBOX_SERVICES), 10000, 'the simulator');
      return { session };
    } catch (err) {
      note = `The simulator could not start (${(err as Error).message}): showing a recorded trace.`;
      console.warn(note);
    }
  }
  const { FixtureSession } = await import('./fixture_session');
  return { session: new FixtureSession(withTrace), note };
}
