/**
 * The page's start order. The simulator's first cluster and Monaco's
 * TypeScript worker (6.9 MB to compile) and the pool's spare service
 * workers all load on the same two cores at page open; what the reader
 * waits for first is the cluster (Run needs it), so the other two wait for
 * it: until the first cluster is up or could not start, and never longer
 * than `cap` ms after they asked.
 */
let settle: () => void = () => undefined;
const settled = new Promise<void>((r) => {
  settle = r;
});

/** The page's first cluster is ready, or will not be (its start failed). */
export function firstClusterSettled(): void {
  settle();
}

/** Resolves once the first cluster settled, or after `cap` ms, whichever comes first. */
export function afterFirstCluster(cap = 4000): Promise<void> {
  return Promise.race([settled, new Promise<void>((r) => setTimeout(r, cap))]);
}
