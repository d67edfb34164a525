/**
 * Decisions the oslo core takes on a message, reported to whoever watches
 * (the runtime turns them into trace events with causal links). The core
 * itself never depends on a watcher: every observer is optional.
 */
export type CoreEvent =
  | { kind: 'can_send_version'; version: string; version_cap: string | null; result: boolean }
  | { kind: 'version_cap_check'; method?: string; version: string | null; version_cap: string | null; ok: boolean }
  | {
      kind: 'dispatch';
      method: string;
      version: string;
      namespace: string | null;
      outcome: 'dispatched' | 'UnsupportedVersion' | 'NoSuchMethod';
      endpoint_index?: number;
      endpoint?: string;
      endpoint_version?: string;
    }
  | {
      kind: 'object_hydrate';
      objname: string;
      objver: string;
      outcome: 'hydrated' | 'IncompatibleObjectVersion' | 'retry_without_z' | 'backport_requested' | 'backported' | 'error';
      class_version?: string;
      target_version?: string;
      detail?: string;
    }
  | { kind: 'log'; level: 'debug' | 'info' | 'warning' | 'error'; message: string }
  /** A client-side note about the message being built (arguments dropped for an older version...). */
  | { kind: 'client_note'; text: string };

/** The parent event a decision belongs to travels with the request context. */
export type Observer = (event: CoreEvent, ctxt?: unknown) => void;

/**
 * Causal link carried, off the wire, by a request context: the id of the
 * trace event (a delivered message, a user action) that the work done under
 * this context descends from. It is a symbol, so it never serializes.
 */
export const TRACE_PARENT: unique symbol = Symbol.for('nova-upgrade-lab.trace-parent');

export function traceParentOf(ctxt: unknown): string | undefined {
  return ctxt && typeof ctxt === 'object' ? ((ctxt as Record<symbol, string | undefined>)[TRACE_PARENT] ?? undefined) : undefined;
}

export function withTraceParent<T extends object>(ctxt: T, parent: string | undefined): T {
  if (parent !== undefined) Object.defineProperty(ctxt, TRACE_PARENT, { value: parent, enumerable: false, configurable: true, writable: true });
  return ctxt;
}
