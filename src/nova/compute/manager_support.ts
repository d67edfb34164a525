/**
 * Helpers shared by the server-side managers: attribute access that works
 * on nova objects and on the plain dicts older messages carry, endpoint
 * method installation from signature tables, and the "accept and log"
 * handler for methods the simulator does not model in detail.
 */
import { isVersionedObject } from '../../oslo/objects';
import type { VersionedObject } from '../../oslo/objects';
import type { Signature } from '../../oslo/pycall';
import type { LogLevel } from '../service_api';

/** getattr(obj, name) for an object, obj[name] for a dict; undefined when unset/absent. */
export function attr<T = unknown>(obj: unknown, name: string): T | undefined {
  if (obj === null || obj === undefined) return undefined;
  if (isVersionedObject(obj)) {
    const o = obj as unknown as VersionedObject;
    if (!Object.prototype.hasOwnProperty.call(o.fields, name)) return undefined;
    try {
      return o.obj_attr_is_set(name) ? o.get<T>(name) : undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof obj === 'object') return (obj as Record<string, T>)[name];
  return undefined;
}

export type LogFn = (level: LogLevel, message: string, ctxt?: unknown) => void;

/** nova's "[instance: <uuid>] " log prefix. */
export function instancePrefix(instance: unknown): string {
  const uuid = attr<string>(instance, 'uuid');
  return uuid ? `[instance: ${uuid}] ` : '';
}

/**
 * Give a release's endpoint class every method of its signature table that
 * it (or an ancestor) does not implement: the generic handler accepts the
 * call and logs it. Methods absent from the table stay absent (NoSuchMethod).
 */
export function installGenericMethods(proto: object, table: Record<string, Signature>): void {
  for (const name of Object.keys(table)) {
    if (name in proto) continue;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function (this: GenericHost, ctxt: unknown, kwargs: Record<string, unknown>) {
        return this._generic(name, ctxt, kwargs);
      },
    });
  }
}

export interface GenericHost {
  _generic(method: string, ctxt: unknown, kwargs: Record<string, unknown>): Promise<unknown>;
}

/** A shallow description of kwargs for log lines (objects by name and version). */
export function describeArgs(kwargs: Record<string, unknown>): string {
  return Object.entries(kwargs)
    .map(([k, v]) => {
      if (isVersionedObject(v)) {
        const o = v as unknown as VersionedObject;
        return `${k}=${o.obj_name()}(${o.VERSION})`;
      }
      if (v === null || v === undefined) return `${k}=None`;
      if (typeof v === 'object') return `${k}=<${Array.isArray(v) ? 'list' : 'dict'}>`;
      return `${k}=${JSON.stringify(v)}`;
    })
    .join(', ');
}
