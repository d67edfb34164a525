/**
 * Keeps user code inside the simulation. A lesson or a link's code runs in
 * a service's worker, which (like any worker) could otherwise reach the
 * network and the browser's storage: send the learner's data anywhere,
 * or read and wipe what the playground keeps. Before user code is
 * evaluated, the worker's global scope is sealed: every API below is
 * replaced, on the global object and on each prototype it inherits from,
 * by a stand-in that throws an error naming what was blocked. Building
 * code from strings (eval, Function, string timers) is shut too, since
 * code built that way could use `import()` to load a script from anywhere.
 *
 * Only real workers are sealed (a worker's globals belong to that one
 * service); tests that run services in their own thread leave theirs.
 */

/** Browser APIs that reach the network or persistent storage, refused to user code. */
export const BLOCKED_APIS = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebTransport',
  'EventSource',
  'importScripts',
  'indexedDB',
  'caches',
  'BroadcastChannel',
  'Worker',
  'SharedWorker',
  'localStorage',
  'sessionStorage',
] as const;

export class BlockedApiError extends Error {
  constructor(readonly api: string) {
    super(`${api} is blocked: code in the playground runs inside the simulation and cannot reach the network or the browser's storage`);
    this.name = 'BlockedApiError';
  }
}

/** A stand-in that can be read, passed around and `typeof`-tested, but throws when used. */
function blocker(api: string): unknown {
  const fail = () => {
    throw new BlockedApiError(api);
  };
  return new Proxy(function blocked() {}, {
    apply: fail,
    construct: fail,
    get: (_t, key) => (key === Symbol.toPrimitive || key === 'toString' ? () => `[blocked ${api}]` : fail()),
    set: fail,
  });
}

/** Replace `name` wherever it is defined on `g` and its prototype chain. */
function replaceEverywhere(g: object, name: string, value: unknown): boolean {
  let found = false;
  for (let o: object | null = g; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (!d) continue;
    found = true;
    if (d.configurable) Object.defineProperty(o, name, { get: () => value, set: () => {}, configurable: false, enumerable: false });
    else if (d.writable) (o as Record<string, unknown>)[name] = value;
  }
  return found;
}

/**
 * Seal `g` (a worker's global scope; `fnProtos` are its realm's function
 * prototypes, for tests that seal another realm). Idempotent. Returns the
 * APIs that were present and are now blocked.
 */
export function sealGlobals(g: Record<string, unknown>, fnProtos: object[] = ownFunctionPrototypes()): string[] {
  if ((g as { __novaLabSealed?: boolean }).__novaLabSealed) return [];
  const blocked: string[] = [];
  for (const api of BLOCKED_APIS) if (replaceEverywhere(g, api, blocker(api))) blocked.push(api);
  const nav = g.navigator as object | undefined;
  if (nav && replaceEverywhere(nav, 'storage', blocker('navigator.storage'))) blocked.push('navigator.storage');

  // Code from strings: eval, the Function constructors (reachable from any function), string timers.
  replaceEverywhere(g, 'eval', blocker('eval'));
  for (const proto of fnProtos) Object.defineProperty(proto, 'constructor', { value: blocker('the Function constructor'), configurable: false, writable: false });
  const RealFunction = g.Function as FunctionConstructor;
  const block = () => {
    throw new BlockedApiError('the Function constructor');
  };
  // `instanceof Function` and Function.prototype keep working; only building code is refused.
  replaceEverywhere(g, 'Function', new Proxy(RealFunction, { apply: block, construct: block }));
  for (const timer of ['setTimeout', 'setInterval'] as const) {
    const real = g[timer] as (...a: unknown[]) => unknown;
    if (typeof real !== 'function') continue;
    replaceEverywhere(g, timer, (handler: unknown, ...rest: unknown[]) => {
      if (typeof handler !== 'function') throw new BlockedApiError(`${timer} with a string of code`);
      return real.call(g, handler, ...rest);
    });
  }
  Object.defineProperty(g, '__novaLabSealed', { value: true });
  return blocked;
}

/** The prototypes of this realm's four kinds of function (each has a `constructor` that compiles text). */
function ownFunctionPrototypes(): object[] {
  return [function () {}, async function () {}, function* () {}, async function* () {}].map((f) => Object.getPrototypeOf(f) as object);
}

/** True in a browser Web Worker (where each service has a global scope of its own). */
export function inWebWorker(g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): boolean {
  const W = g.WorkerGlobalScope as (abstract new () => unknown) | undefined;
  return typeof W === 'function' && g instanceof W;
}

/**
 * Dynamic `import()` is syntax, not a global: it cannot be replaced, so
 * user code that contains it is refused before it runs. (TypeScript
 * compiles the learner's own `import()` of simulator modules to
 * `require`, so only hand-written JavaScript can carry one.)
 */
export function findDynamicImport(source: string): number | null {
  const m = /\bimport\s*(\/\*[\s\S]*?\*\/\s*)*(\(|\.\s*meta\b)/.exec(source);
  return m ? source.slice(0, m.index).split('\n').length : null;
}
