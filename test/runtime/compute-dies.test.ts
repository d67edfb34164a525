/**
 * A compute whose process dies while handling a call: the caller's call
 * times out after rpc_response_timeout (oslo.messaging's
 * AMQPDriverBase._send waits on the reply queue, MessagingTimeout), and nova
 * reacts as the conductor of each tag does:
 * - 2014.2 ComputeTaskManager._live_migrate: MessagingTimeout is not among
 *   the expected exceptions: "unexpectedly failed", MigrationError, the
 *   instance is left in task_state migrating (vm_state untouched);
 * - 2015.1.0: the same, and the generic path sets vm_state ERROR;
 * - 12.0.0 LiveMigrationTask._check_requested_destination ->
 *   _call_livem_checks_on_host turns MessagingTimeout into
 *   MigrationPreCheckError, which _live_migrate expects: vm_state kept,
 *   task_state None.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runtime/run_scenario';
import { parseScenario } from '../../src/runtime/scenario_schema';
import type { Release } from '../../src/nova/releases';
import { inProcess } from './helpers';

function scenario(release: Release) {
  return parseScenario({
    title: `${release}: the destination dies in check_can_live_migrate_destination`,
    services: [
      { id: 'conductor', binary: 'nova-conductor', release },
      { id: 'scheduler', binary: 'nova-scheduler', release },
      { id: 'compute1', binary: 'nova-compute', release },
      { id: 'api', binary: 'nova-api', release },
      { id: 'compute2', binary: 'nova-compute', release, start: false },
    ],
    steps: [
      { do: 'action', action: 'create', name: 'vm1' },
      { do: 'start', service: 'compute2' },
      { do: 'inject', service: 'compute2', point: 'die', method: 'check_can_live_migrate_destination' },
      { do: 'action', action: 'live_migrate', server: 'vm1', host: 'compute2' },
    ],
    expect: [],
  });
}

describe('a destination that dies while handling check_can_live_migrate_destination', () => {
  it.each([
    ['juno', { vm_state: 'active', task_state: 'migrating' }, true],
    ['kilo', { vm_state: 'error', task_state: 'migrating' }, true],
    ['liberty', { vm_state: 'active', task_state: null }, false],
  ] as const)('%s conductor: %o', async (release, state, unexpected) => {
    const run = await runScenario(scenario(release), { spawn: inProcess() });
    const ev = run.cluster.events;
    const died = ev.filter((e) => e.kind === 'lifecycle' && e.service === 'compute2' && e.text.includes('died while handling check_can_live_migrate_destination (call)'));
    expect(died).toHaveLength(1);
    const timeout = ev.find((e) => e.kind === 'timeout' && e.service === 'conductor' && e.text.includes('check_can_live_migrate_destination'));
    expect(timeout).toBeDefined();
    // no reply ever came: the timeout fires a full rpc_response_timeout after the call was sent
    const sent = ev.find((e) => e.kind === 'send' && e.service === 'conductor' && e.text.includes('check_can_live_migrate_destination'))!;
    expect(timeout!.time - sent.time).toBe(60_000);
    expect(ev.some((e) => e.kind === 'reply' && e.text.includes('check_can_live_migrate_destination'))).toBe(false);
    const row = run.cluster.snapshot().instances.find((r) => r.display_name === 'vm1')!;
    expect(row).toMatchObject({ ...state, host: 'compute1' });
    expect(ev.some((e) => e.kind === 'log' && e.service === 'conductor' && e.text.includes('unexpectedly failed'))).toBe(unexpected);
    expect(run.cluster.service('compute2').state).toBe('stopped');
  });
});
