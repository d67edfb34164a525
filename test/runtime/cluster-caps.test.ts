// What the cluster view shows of each service: its services-table version
// and the compute RPC cap its process resolved (an alias at its release, or
// what Mitaka's `compute = auto` selected at start, kept until a restart).
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/runtime/cluster';
import { runStep } from '../../src/runtime/run_scenario';
import type { ServiceDef, Step } from '../../src/runtime/scenario';
import { inProcess } from './helpers';

const FIX = { simulator: { update_service_version_on_start: 'true' } };

async function cluster(defs: ServiceDef[]): Promise<Cluster> {
  const c = new Cluster({ spawn: inProcess(), seed: 'caps' });
  await c.addServices(defs);
  await c.settle();
  return c;
}

const view = (c: Cluster, id: string) => c.snapshot().services.find((s) => s.id === id)!;

describe('cluster view: service versions and resolved compute caps', () => {
  it('auto selects 4.5 beside a Liberty compute, keeps it after the compute moves, and 4.11 after a restart', async () => {
    const c = await cluster([
      { id: 'conductor', binary: 'nova-conductor', release: 'liberty', conf: FIX },
      { id: 'compute1', binary: 'nova-compute', release: 'liberty', conf: FIX },
      { id: 'api', binary: 'nova-api', release: 'liberty', conf: FIX },
    ]);
    expect(view(c, 'compute1').service_version).toBe(2); // Liberty's SERVICE_VERSION
    expect(view(c, 'api').compute_cap).toBeNull();
    const steps: Step[] = [
      { do: 'configure', service: 'conductor', section: 'upgrade_levels', option: 'compute', value: 'auto', restart: false },
      { do: 'upgrade', service: 'conductor', release: 'mitaka' },
      { do: 'configure', service: 'api', section: 'upgrade_levels', option: 'compute', value: 'liberty', restart: false },
      { do: 'upgrade', service: 'api', release: 'mitaka' },
    ];
    for (const st of steps) await runStep(c, st, []);
    await c.settle();
    expect(view(c, 'conductor').compute_cap).toEqual({ version: '4.5', from: 'auto: minimum service version 2' });
    // Mitaka's ComputeAPI.VERSION_ALIASES: liberty = 4.5
    expect(view(c, 'api').compute_cap).toEqual({ version: '4.5', from: 'alias liberty' });
    for (const st of [
      { do: 'configure', service: 'compute1', section: 'upgrade_levels', option: 'compute', value: 'auto', restart: false },
      { do: 'upgrade', service: 'compute1', release: 'mitaka' },
    ] as Step[])
      await runStep(c, st, []);
    await c.settle();
    expect(view(c, 'compute1').service_version).toBe(9);
    expect(view(c, 'conductor').compute_cap?.version).toBe('4.5'); // LAST_VERSION, read once per process
    await runStep(c, { do: 'restart', service: 'conductor' }, []);
    await c.settle();
    expect(view(c, 'conductor').compute_cap).toEqual({ version: '4.11', from: 'auto: minimum service version 9' });
    c.dispose();
  });
});
