/** A service worker under Node's worker_threads (the headless runner). */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createWorkerControl } from '../worker_api';
import { loadServiceFactory, sharedWithUserCode } from '../modules';

// Once a compute has run here, save the bundle's code cache again (the
// loader's hook, see bundle.ts): it then holds the compute code this isolate
// compiled, and the next workers start with it instead of compiling it
// lazily. Computes are most of a large cluster's threads.
const saveWarmCache = () => (globalThis as { __novaSaveWarmCache?: () => void }).__novaSaveWarmCache?.();
const control = createWorkerControl(loadServiceFactory, sharedWithUserCode, {
  released: (boot) => {
    if (boot.binary === 'nova-compute') saveWarmCache();
  },
});
Comlink.expose(control, nodeEndpoint(parentPort as never));
