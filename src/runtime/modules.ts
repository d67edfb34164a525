/**
 * What a service worker loads: the nova model's service factory, with user
 * code (if any) evaluated against the simulator's own modules and handed to
 * the service as module overrides.
 */
import * as osloMessaging from '../oslo/messaging';
import * as osloObjects from '../oslo/objects';
import * as computeRpcapi from '../nova/compute/rpcapi';
import * as conductorRpcapi from '../nova/conductor/rpcapi';
import * as schedulerRpcapi from '../nova/scheduler/rpcapi';
import * as computeManager from '../nova/compute/manager';
import * as conductorManager from '../nova/conductor/manager';
import * as schedulerManager from '../nova/scheduler/manager';
import * as novaException from '../nova/exception';
import * as novaContext from '../nova/context';
import { createService } from '../nova/service';
import { makeObjectWorld } from '../nova/objects';
import { RELEASES, type Release } from '../nova/releases';
import { sharedSurface } from './tamper';
import type { ServiceFactory } from '../nova/service_api';
import { evaluateUserModules } from './user_code';
import { inWebWorker, sealGlobals } from './user_code_guard';
import { createPingService } from './bench/ping_service';
import type { WorkerBoot } from './worker_api';

/** The import names user code may use, for a service of `release`. */
export function simulatorModules(release: Release): Record<string, unknown> {
  const computeClass = computeRpcapi.computeAPIFor(release);
  const mods: Record<string, unknown> = {
    'oslo.messaging': osloMessaging,
    'oslo_messaging': osloMessaging,
    'oslo.versionedobjects': osloObjects,
    'oslo_versionedobjects': osloObjects,
    'nova/compute/rpcapi': { ...computeRpcapi, ComputeAPI: computeClass },
    'nova/conductor/rpcapi': conductorRpcapi,
    'nova/scheduler/rpcapi': schedulerRpcapi,
    'nova/compute/manager': { ...computeManager, ComputeManager: computeManager.computeManagerFor(release) },
    'nova/conductor/manager': {
      ...conductorManager,
      ConductorManager: conductorManager.conductorManagerFor(release),
      ComputeTaskManager: conductorManager.computeTaskManagerFor(release),
    },
    'nova/scheduler/manager': { ...schedulerManager, SchedulerManager: schedulerManager.schedulerManagerFor(release) },
    'nova/exception': novaException,
    'nova/context': novaContext,
  };
  for (const r of RELEASES) {
    mods[`nova/${r}/compute/rpcapi`] = { ...computeRpcapi, ComputeAPI: computeRpcapi.computeAPIFor(r) };
  }
  return mods;
}

/** What every service of a worker shares, for the tamper check of warm workers (tamper.ts). */
export function sharedWithUserCode(): object[] {
  // Seal first (as loading user code would): the sealed globals are the baseline.
  if (inWebWorker()) sealGlobals(globalThis as unknown as Record<string, unknown>);
  return sharedSurface(RELEASES.map((r) => simulatorModules(r) as Record<string, unknown>).flatMap((m) => Object.values(m) as Record<string, unknown>[]));
}

/** The object classes of a throwaway world, to check user code at boot. */
function probeObjects(release: Release): Record<string, unknown> {
  const made = makeObjectWorld(release, { db: null });
  return { ...osloObjects, ...made.classes, registry: made.registry, world: made.world };
}

export function loadServiceFactory(boot: WorkerBoot): ServiceFactory {
  if (boot.kind === 'ping') return createPingService;
  if (!boot.code || Object.keys(boot.code).length === 0) return createService;
  const code = boot.code;
  // In a browser worker, shut the network and storage APIs before any user code runs.
  if (inWebWorker()) sealGlobals(globalThis as unknown as Record<string, unknown>);
  const mods = simulatorModules(boot.release);
  // Evaluate now, so a syntax error or a throwing module fails the boot
  // with a clear message; the service evaluates it again with its own
  // object classes once its world exists.
  evaluateUserModules(code, (name) => (name === 'nova/objects' ? probeObjects(boot.release) : mods[name]));
  return (spec, env) =>
    createService(
      { ...spec, loadUserModules: (objects) => evaluateUserModules(code, (name) => (name === 'nova/objects' ? objects : mods[name])) },
      env,
    );
}
