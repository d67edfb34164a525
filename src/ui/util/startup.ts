/**
 * The page's start order. The simulator's first cluster, Monaco and the
 * pool's spare service workers (for the next Run) all load on the same two
 * cores at page open. Where the page starts a cluster (a lesson, the
 * sandbox, a shared link), the cluster goes first: Monaco's editor module
 * (a 200 ms task on the page thread, which also runs the broker) and the
 * spares wait until it is up or could not start, never longer than their
 * cap. Measured: with Monaco loading beside it, the cluster was ready
 * 1.2 s after navigation; alone, 0.77 s (docs/performance.md, fourth round).
 */
let settle: () => void = () => undefined;
const settled = new Promise<void>((r) => {
  settle = r;
});
let expected = false;

/** This page starts a cluster at open (main.tsx): what waits for it should wait. */
export function expectFirstCluster(): void {
  expected = true;
}

/** The page's first cluster is ready, or will not be (its start failed). */
export function firstClusterSettled(): void {
  settle();
}

/**
 * Resolves once the first cluster settled, or after `cap` ms, whichever
 * comes first; at once on a page that starts no cluster at open.
 */
export function afterFirstCluster(cap = 4000): Promise<void> {
  if (!expected) return Promise.resolve();
  return Promise.race([settled, new Promise<void>((r) => setTimeout(r, cap))]);
}

/*
 * Runs in progress, for work that should wait until the page is quiet (the
 * pool's spare workers: a spare loading beside a Run slowed it, measured
 * in the fourth round). The sessions report their operations here.
 */
let active = 0;
let lastActive = 0;
const clock = () => (globalThis.performance ?? Date).now();

export function activityStarted(): void {
  active += 1;
  lastActive = clock();
}

export function activityEnded(): void {
  active = Math.max(0, active - 1);
  lastActive = clock();
}

/** Resolves once no session operation has run for `ms` ms. */
export async function whenQuiet(ms: number): Promise<void> {
  for (;;) {
    const left = active > 0 ? ms : lastActive + ms - clock();
    if (active === 0 && left <= 0) return;
    await new Promise((r) => setTimeout(r, Math.max(50, left)));
  }
}
