/**
 * Ask the simulation pane to select a trace event (a goal check's "show in
 * the diagram" link). A DOM event, so the lesson pane needs no reference to
 * the diagram's state; src/ui/SimPane.tsx listens for it.
 */
export const SELECT_EVENT = 'nova-lab:select-event';

export function selectEvent(id: string): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent<string>(SELECT_EVENT, { detail: id }));
}

/** Subscribe to select requests; returns the unsubscribe function. */
export function onSelectEvent(fn: (id: string) => void): () => void {
  const h = (e: Event) => fn((e as CustomEvent<string>).detail);
  window.addEventListener(SELECT_EVENT, h);
  return () => window.removeEventListener(SELECT_EVENT, h);
}
