/**
 * The page's start order (src/ui/util/startup.ts): what waits for the first
 * cluster, and what waits for the page to be quiet. Module state is per
 * page, so each test loads a fresh copy.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Startup = typeof import('../../src/ui/util/startup');
let s: Startup;

beforeEach(async () => {
  vi.resetModules();
  s = await import('../../src/ui/util/startup');
});

/** Whether `p` settled by the time pending timers and microtasks ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 0));
  return done;
}

describe('afterFirstCluster', () => {
  it('does not wait on a page that starts no cluster (the planner, an embed without a run)', async () => {
    expect(await settled(s.afterFirstCluster(60_000))).toBe(true);
  });

  it('waits for the first cluster where the page starts one, and lets go when it settles', async () => {
    s.expectFirstCluster();
    const p = s.afterFirstCluster(60_000);
    expect(await settled(p)).toBe(false);
    s.firstClusterSettled();
    await p;
  });

  it('never waits longer than its cap (a cluster that takes too long must not hold the editor back)', async () => {
    s.expectFirstCluster();
    await s.afterFirstCluster(5);
  });
});

describe('whenQuiet', () => {
  it('waits while a session operation runs, then for the quiet time after it', async () => {
    s.activityStarted();
    const p = s.whenQuiet(30);
    await new Promise((r) => setTimeout(r, 80));
    expect(await settled(p)).toBe(false); // still running: never quiet
    const ended = performance.now();
    s.activityEnded();
    await p;
    expect(performance.now() - ended).toBeGreaterThanOrEqual(29);
  });

  it('is quiet at once when nothing ran', async () => {
    await s.whenQuiet(0);
  });
});
