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
    // On a fake clock: "not yet" is then a fact at a given time, not a guess after a real sleep.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    try {
      let done = false;
      s.activityStarted();
      void s.whenQuiet(30).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(10_000);
      expect(done).toBe(false); // still running: never quiet, however long it runs
      s.activityEnded();
      await vi.advanceTimersByTimeAsync(29);
      expect(done).toBe(false); // not yet 30 ms of quiet
      await vi.advanceTimersByTimeAsync(100);
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is quiet at once when nothing ran', async () => {
    await s.whenQuiet(0);
  });
});
