import { describe, expect, it } from 'vitest';
import { clusterSummary } from '../../src/ui/SimPane';
import { trunc } from '../../src/ui/diagram/SequenceDiagram';
import { releasesForConf } from '../../src/ui/editor/conf_releases';
import type { ClusterSnapshot } from '../../src/ui/sim/session';

const snap = (services: number, instances: number) =>
  ({
    services: Array.from({ length: services }, (_, i) => ({ id: `s${i}`, state: i === 0 ? 'stopped' : 'running' })),
    instances: Array.from({ length: instances }, (_, i) => ({ uuid: String(i) })),
  }) as unknown as ClusterSnapshot;

describe('the cluster line', () => {
  it('says a cluster is being built during a run instead of "0/0 running"', () => {
    expect(clusterSummary(snap(0, 0), true)).toBe('building the cluster for this run…');
    expect(clusterSummary(null, true)).toBe('building the cluster for this run…');
    expect(clusterSummary(snap(4, 1), false)).toBe('3/4 running · 1 instance');
    expect(clusterSummary(snap(4, 2), true)).toBe('3/4 running · 2 instances');
  });
});

describe('diagram labels', () => {
  it('are cut at word boundaries, never inside a word or a parenthesis', () => {
    expect(trunc('short', 200)).toBe('short');
    expect(trunc('refused: RPCVersionCapError: Requested message version, 3.37 is too high', 200)).toBe('refused: RPCVersionCapError…');
    expect(trunc('refused: RPCVersionCapError: Requested message version, 3.37 is too high', 150)).toBe('refused…');
    expect(trunc('UnsupportedVersion (speaks 3.35) and more', 180)).toBe('UnsupportedVersion…');
    expect(trunc('shelve_offload_instance v4.0', 60)).toBe('shelve_offload_instance…');
  });
});

describe('conf files and their releases', () => {
  it('follows the scenario, its upgrade steps and a learner-written plan', () => {
    const scenario = { services: [{ id: 'api', release: 'juno' as const }, { id: 'compute1', release: 'juno' as const }], steps: [{ do: 'upgrade', service: 'api', release: 'kilo' }] };
    expect(releasesForConf(['conf/api.conf', 'conf/compute1.conf', 'nova/x.ts'], scenario)).toEqual({ 'conf/api.conf': ['juno', 'kilo'], 'conf/compute1.conf': ['juno'] });
    expect(releasesForConf(['conf/compute1.conf', 'plan.json'], scenario)['conf/compute1.conf']).toEqual(['juno', 'kilo', 'liberty', 'mitaka']);
  });
});
