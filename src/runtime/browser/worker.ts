/** A service worker in the browser: one Web Worker per nova service. */
import * as Comlink from 'comlink';
import { createWorkerControl } from '../worker_api';
import { loadServiceFactory, sharedWithUserCode } from '../modules';

Comlink.expose(createWorkerControl(loadServiceFactory, sharedWithUserCode));
