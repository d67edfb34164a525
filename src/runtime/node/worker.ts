/** A service worker under Node's worker_threads (the headless runner). */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createWorkerControl } from '../worker_api';
import { loadServiceFactory, sharedWithUserCode } from '../modules';

Comlink.expose(createWorkerControl(loadServiceFactory, sharedWithUserCode), nodeEndpoint(parentPort as never));
