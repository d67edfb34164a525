import { runCanSendVersion, runDispatch, runSendWithCap, runVersionIsCompatible } from './messaging';
import { runDeserializeEntity, runKiloSubobjectBackport, runObjClassFromName } from './objects';
import { runAliasResolution, runAutoUpgradeLevel, runComputeClientSend } from './nova_rpc';
import { runInstanceBackportKilo, runListBackportKilo } from './nova_objects';
import { runMessageFormat, runRemoteError } from './round2_messaging';
import { runDeserializeEntityClasses, runOvoSubobjectVersion } from './round2_objects';
import { runConductorObjectAction, runConductorObjectBackport, runConductorObjectClassAction } from './round2_conductor';

export interface ConformanceCase {
  id: string;
  category: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
}

export type OutputLine = { id: string; actual: Record<string, unknown> } | { id: string; skipped: string };

type Adapter = (input: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Each category runs through the same modules the playground uses. */
export const ADAPTERS: Record<string, Adapter> = {
  version_is_compatible: runVersionIsCompatible,
  dispatch: runDispatch,
  can_send_version: runCanSendVersion,
  send_with_cap: runSendWithCap,
  obj_class_from_name: runObjClassFromName,
  deserialize_entity: (input) => (input.receiver_classes ? runDeserializeEntityClasses(input) : runDeserializeEntity(input)),
  kilo_subobject_backport: runKiloSubobjectBackport,
  alias_resolution: runAliasResolution,
  compute_client_send: runComputeClientSend,
  instance_backport_kilo: runInstanceBackportKilo,
  list_backport_kilo: runListBackportKilo,
  remote_error: runRemoteError,
  message_format: runMessageFormat,
  ovo_subobject_version: runOvoSubobjectVersion,
  conductor_object_class_action: runConductorObjectClassAction,
  conductor_object_backport: runConductorObjectBackport,
  conductor_object_action: runConductorObjectAction,
  auto_upgrade_level: runAutoUpgradeLevel,
};

export async function runCase(c: ConformanceCase): Promise<OutputLine> {
  const adapter = ADAPTERS[c.category];
  if (!adapter) return { id: c.id, skipped: `category ${c.category} is not supported yet` };
  try {
    return { id: c.id, actual: await adapter(c.input) };
  } catch (e) {
    return { id: c.id, actual: { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } };
  }
}

export async function runCases(cases: ConformanceCase[]): Promise<OutputLine[]> {
  const out: OutputLine[] = [];
  for (const c of cases) out.push(await runCase(c));
  return out;
}
