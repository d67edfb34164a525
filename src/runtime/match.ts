/** Does a trace event match a scenario's event predicate (every given key)? */
import type { EventMatch } from './scenario';
import type { TraceEvent } from './trace';

export function eventMatches(e: TraceEvent, m: EventMatch): boolean {
  const d = (e.data ?? {}) as Record<string, unknown>;
  if (m.kind !== undefined && e.kind !== m.kind) return false;
  if (m.service !== undefined && e.service !== m.service) return false;
  if (m.text !== undefined && !e.text.includes(m.text)) return false;
  if (m.method !== undefined && d.method !== m.method) return false;
  if (m.version !== undefined && d.version !== m.version) return false;
  if (m.outcome !== undefined && d.outcome !== m.outcome) return false;
  if (m.queue !== undefined && d.queue !== m.queue) return false;
  return true;
}
