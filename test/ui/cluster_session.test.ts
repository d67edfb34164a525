import { describe, expect, it } from 'vitest';
import { ClusterSession } from '../../src/ui/sim/cluster_session';
import { inProcess, scenario } from '../runtime/helpers';

/** What the page sees on every change: busy, and whether a Run is what keeps it busy. */
function watch(session: ClusterSession): { busy: boolean; running: boolean }[] {
  const seen: { busy: boolean; running: boolean }[] = [];
  session.subscribe(() => seen.push({ busy: session.busy, running: session.running }));
  return seen;
}

describe('the page session says when a Run is what keeps it busy (the page then holds its first redraw)', () => {
  it('is running from the first busy change of a Run to its end, and never for a cluster verb', async () => {
    const s = scenario('shelve-offload-pinned');
    const session = new ClusterSession({ spawn: inProcess() });
    const seen = watch(session);
    await session.reset(s.services);
    await session.restart(s.services[0]!.id);
    expect(seen.filter((x) => x.busy).length).toBeGreaterThan(0);
    expect(seen.some((x) => x.running)).toBe(false);

    seen.length = 0;
    const result = await session.run({ scenario: s, code: {}, conf: {} });
    expect(result.ok).toBe(true);
    const busy = seen.filter((x) => x.busy);
    expect(busy.length).toBeGreaterThan(1);
    expect(busy.every((x) => x.running)).toBe(true);
    expect(session.running).toBe(false);
    expect(session.busy).toBe(false);
    session.dispose();
  }, 30000);
});
