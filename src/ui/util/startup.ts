/**
 * The page's start order. The simulator's first cluster, Monaco and the
 * pool's spare service workers (for the next Run) all load on the same two
 * cores at page open; the spares wait for the first cluster: until it is
 * up or could not start, and never longer than `cap` ms after they asked.
 * (Monaco's TypeScript worker does not wait: the first Run needs it.)
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
