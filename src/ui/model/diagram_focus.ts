/**
 * The small part of the diagram view the first page needs: the filter's
 * shape and the keyboard order of items. The search and filters themselves
 * (diagram_view.ts) load on first use.
 */
import type { DiagramItem, DiagramModel, Outcome } from './diagram';

export interface ViewFilter {
  query: string;
  hideHousekeeping: boolean;
  onlyFailures: boolean;
  /** A lane id, or null for every service. */
  service: string | null;
  /** Legend filter: null (or empty) shows every outcome. */
  outcomes: Outcome[] | null;
}

export const NO_FILTER: ViewFilter = { query: '', hideHousekeeping: false, onlyFailures: false, service: null, outcomes: null };

export function isFiltering(f: ViewFilter): boolean {
  return f.query.trim() !== '' || f.hideHousekeeping || f.onlyFailures || f.service !== null || (f.outcomes?.length ?? 0) > 0;
}

/** The items a keyboard user moves between, in drawing order (top to bottom, then left to right). */
export function focusOrder(view: DiagramModel): DiagramItem[] {
  const first = (it: DiagramItem) => (it.type === 'message' ? Math.min(it.row0, it.row1) : it.row);
  return view.items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => first(a.it) - first(b.it) || a.i - b.i)
    .map((x) => x.it);
}

