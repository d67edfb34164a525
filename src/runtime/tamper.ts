/**
 * Did user code change anything a later service in the same worker would
 * share? A warm worker hosts one service after another, and user code runs
 * against the simulator's real classes and the worker's globals, so code
 * that patches a prototype or a global would leak into the next service.
 * A fingerprint of those shared surfaces, taken before user code runs and
 * compared when the service is released, tells whether the thread can be
 * reused or must be replaced.
 */

type Fingerprint = Map<object, Map<PropertyKey, unknown>>;

const BUILTINS: unknown[] = [
  globalThis,
  Object, Object.prototype, Function.prototype, Array, Array.prototype, String.prototype, Number.prototype, Boolean.prototype,
  Symbol.prototype, Promise, Promise.prototype, Map.prototype, Set.prototype, WeakMap.prototype, Error, Error.prototype, JSON, Math, Reflect, Date.prototype, RegExp.prototype,
];

/** The objects to watch: built-ins, and every export of the modules user code can import (classes with their prototypes). */
export function sharedSurface(modules: Record<string, unknown>[]): object[] {
  const out = new Set<object>();
  const add = (v: unknown) => {
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') out.add(v as object);
  };
  for (const b of BUILTINS) add(b);
  for (const mod of modules) {
    for (const v of Object.values(mod)) {
      add(v);
      if (typeof v === 'function' && v.prototype) add(v.prototype);
    }
  }
  return [...out];
}

function own(o: object): Map<PropertyKey, unknown> {
  const m = new Map<PropertyKey, unknown>();
  for (const key of Reflect.ownKeys(o)) {
    const d = Reflect.getOwnPropertyDescriptor(o, key);
    if (!d) continue;
    m.set(key, 'value' in d ? d.value : [d.get, d.set]);
  }
  return m;
}

export function fingerprint(objects: object[]): Fingerprint {
  const fp: Fingerprint = new Map();
  for (const o of objects) fp.set(o, own(o));
  return fp;
}

/** The first change found since `fp` was taken (for the log), or null. */
export function changedSince(fp: Fingerprint): string | null {
  for (const [o, before] of fp) {
    const now = own(o);
    for (const k of now.keys()) if (!before.has(k) && !(o === globalThis && isVolatileGlobal(k))) return `${describe(o)}.${String(k)} was added`;
    for (const [k, v] of before) {
      const w = now.get(k);
      const same = Array.isArray(v) && Array.isArray(w) ? v[0] === w[0] && v[1] === w[1] : Object.is(v, w);
      if (!same && !(o === globalThis && isVolatileGlobal(k))) return `${describe(o)}.${String(k)} was changed`;
    }
  }
  return null;
}

/** Globals the platform itself updates (handlers, counters) are not user changes. */
function isVolatileGlobal(k: PropertyKey): boolean {
  return typeof k === 'string' && /^on|^__/.test(k);
}

function describe(o: object): string {
  if (o === globalThis) return 'globalThis';
  const name = (o as { name?: unknown }).name ?? (o as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name ? name : 'an object';
}
