/**
 * Runs services in the calling thread (no isolation, no watchdog against
 * synchronous loops): for fast unit tests of the runtime and the model.
 */
import type { Spawner } from './cluster';
import { ServiceHost } from './service_host';
import { NovaConf } from '../nova/conf';
import type { ModuleLoader } from './worker_api';

export function inProcessSpawner(loadFactory: ModuleLoader): Spawner {
  return async (boot) => {
    const host = new ServiceHost(
      { id: boot.id, spec: { binary: boot.binary, release: boot.release, conf: new NovaConf(boot.conf) }, seed: boot.seed, maxPublishesPerStep: boot.maxPublishesPerStep },
      loadFactory(boot),
    );
    let dead = false;
    return {
      run: (step) => (dead ? Promise.reject(new Error('terminated')) : host.run(step)),
      terminate: () => {
        dead = true;
      },
    };
  };
}
