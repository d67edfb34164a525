/**
 * Server-side method signatures (the arguments each endpoint method takes
 * after `context`), read from the facts extracted from nova
 * (src/nova/data/rpc-history.json, apis.*.server_signatures). The data
 * lists which arguments have defaults but not the defaults themselves; the
 * few that are not None in nova are below.
 */
import history from './data/rpc-history.json';
import mitakaServers from './data/mitaka-servers.json';
import type { Signature } from '../oslo/pycall';
import type { Release } from './releases';

interface RawSig {
  required: string[];
  optional: string[];
}
type RawTable = Record<string, RawSig>;

/** Defaults that are not None in the Python signatures of these releases. */
const NON_NONE_DEFAULTS: Record<string, unknown> = {
  clean_shutdown: true,
  destroy_disks: true,
  return_bdm_object: false,
  preserve_ephemeral: false,
  legacy_bdm: true,
};

function toSignature(raw: RawSig): Signature {
  const optional: Record<string, unknown> = {};
  for (const name of raw.optional) optional[name] = name in NON_NONE_DEFAULTS ? NON_NONE_DEFAULTS[name] : null;
  return { required: [...raw.required], optional };
}

function table(raw: RawTable): Record<string, Signature> {
  const out: Record<string, Signature> = {};
  for (const [name, sig] of Object.entries(raw)) out[name] = toSignature(sig);
  return out;
}

const apis = (history as unknown as { apis: Record<string, { server_signatures: Record<string, unknown> }> }).apis;
const raw = (api: string, key: string): RawTable => {
  const t = apis[api]?.server_signatures[key];
  if (!t || typeof t !== 'object') throw new Error(`no server signatures ${api}.${key}`);
  return t as RawTable;
};

export type SignatureTable = Record<string, Signature>;

/** Server signatures at 13.0.0 (src/nova/data/mitaka-servers.json). */
const MITAKA = mitakaServers as unknown as Record<'compute_manager_4_11' | 'conductor_manager_3_0' | 'compute_task_1_14' | 'scheduler_manager_4_3', RawTable>;

/** ComputeManager of a release (Icehouse 3.23, Juno 3.35, Kilo 3.40, Liberty 4.5, Mitaka 4.11). */
export function computeManagerSignatures(release: Release): SignatureTable {
  if (release === 'mitaka') return table(MITAKA.compute_manager_4_11);
  const key = { icehouse: 'icehouse_manager_3_23', juno: 'juno_manager_3_35', kilo: 'kilo_manager_3_40', liberty: 'liberty_manager_4_5' }[release];
  return table(raw('compute', key));
}

/** Kilo's _ComputeV4Proxy (4.0). */
export function computeV4ProxySignatures(): SignatureTable {
  return table(raw('compute', 'kilo_v4_proxy_4_0'));
}

/**
 * ConductorManager: Juno 2.0, Kilo 2.1; Liberty 2.3 = Kilo's plus the two
 * *_versions methods (2.2 object_backport_versions, 2.3
 * object_class_action_versions), as nova/conductor/manager.py @12.0.0.
 */
export function conductorManagerSignatures(release: Release): SignatureTable {
  // 13.0.0: ConductorManager is the 3.0 endpoint itself (Liberty's 3.0 proxy's four methods).
  if (release === 'mitaka') return table(MITAKA.conductor_manager_3_0);
  // 2014.1: the manager is the Havana 1.x API (1.64); the 2.0 API is its _ConductorManagerV2Proxy.
  if (release === 'icehouse') return table(raw('conductor', 'icehouse_manager_1_64'));
  if (release === 'juno') return table(raw('conductor', 'juno_manager_2_0'));
  const t = table(raw('conductor', 'kilo_manager_2_1'));
  if (release === 'liberty') {
    // Liberty dropped ping and instance_get_active_by_window (only _joined stays).
    delete t.instance_get_active_by_window;
    delete t.ping;
    t.object_backport_versions = { required: ['objinst', 'object_versions'], optional: {} };
    t.object_class_action_versions = {
      required: ['objname', 'objmethod', 'object_versions', 'args', 'kwargs'],
      optional: {},
    };
  }
  return t;
}

/** Liberty's _ConductorManagerV3Proxy (3.0): nova/conductor/manager.py @12.0.0. */
export function conductorV3ProxySignatures(): SignatureTable {
  return {
    provider_fw_rule_get_all: { required: [], optional: {} },
    object_class_action_versions: { required: ['objname', 'objmethod', 'object_versions', 'args', 'kwargs'], optional: {} },
    object_action: { required: ['objinst', 'objmethod', 'args', 'kwargs'], optional: {} },
    object_backport_versions: { required: ['objinst', 'object_versions'], optional: {} },
  };
}

/** Icehouse's _ConductorManagerV2Proxy (2.0): nova/conductor/manager.py @2014.1. */
export function conductorV2ProxySignatures(): SignatureTable {
  return table(raw('conductor', 'icehouse_v2_proxy_2_0'));
}

/** ComputeTaskManager (namespace compute_task): Icehouse 1.6, Juno 1.9, Kilo/Liberty 1.11, Mitaka 1.14. */
export function computeTaskSignatures(release: Release): SignatureTable {
  if (release === 'mitaka') return table(MITAKA.compute_task_1_14);
  const key = { icehouse: 'icehouse_1_6', juno: 'juno_1_9', kilo: 'kilo_1_11', liberty: 'kilo_1_11' }[release];
  return table(raw('conductor_compute_task', key));
}

/** SchedulerManager: Icehouse 2.9 (the Havana API), Juno 3.0, Kilo/Liberty 4.2, Mitaka 4.3 (select_destinations takes spec_obj too). */
export function schedulerManagerSignatures(release: Release): SignatureTable {
  if (release === 'mitaka') return table(MITAKA.scheduler_manager_4_3);
  const key = { icehouse: 'icehouse_2_9', juno: 'juno_3_0', kilo: 'kilo_4_2', liberty: 'kilo_4_2' }[release];
  return table(raw('scheduler', key));
}

/** Icehouse's _SchedulerManagerV3Proxy (3.0): select_destinations, run_instance, prep_resize. */
export function icehouseSchedulerV3ProxySignatures(): SignatureTable {
  return table(raw('scheduler', 'icehouse_v3_proxy_3_0'));
}

/** Kilo's _SchedulerManagerV3Proxy (3.0). */
export function schedulerV3ProxySignatures(): SignatureTable {
  return table(raw('scheduler', 'kilo_v3_proxy_3_0'));
}

/** nova.baserpc.BaseRPCAPI (namespace baseapi, 1.1). */
export const BASE_RPC_SIGNATURES: SignatureTable = {
  ping: { required: ['arg'], optional: {} },
  get_backdoor_port: { required: [], optional: {} },
};
