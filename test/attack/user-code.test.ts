/**
 * Hostile user code: the worker seal (user_code_guard.ts) applied to a
 * fresh JavaScript realm with browser-like network and storage APIs, and
 * user modules that try to load code from elsewhere.
 */
import { afterAll, describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { BLOCKED_APIS, findDynamicImport, sealGlobals } from '../../src/runtime/user_code_guard';
import { evaluateUserModules, UserCodeError } from '../../src/runtime/user_code';
import { isClearMessage, newTally, report } from './tally';

const tally = newTally();
afterAll(() => report('user-code', tally));

/** A realm shaped like a worker: the APIs live on a prototype of the global, as in browsers. */
function workerRealm() {
  const ctx = vm.createContext({});
  vm.runInContext(
    `
    const reached = [];
    class WorkerGlobalScope {}
    for (const n of ${JSON.stringify([...BLOCKED_APIS])}) WorkerGlobalScope.prototype[n] = function () { reached.push(n); return {}; };
    Object.setPrototypeOf(globalThis, WorkerGlobalScope.prototype);
    globalThis.reached = reached;
    globalThis.navigator = { storage: { getDirectory() { reached.push('navigator.storage'); } } };
    globalThis.setTimeout = (f) => (typeof f === 'function' ? 1 : (reached.push('string timer'), 1));
    globalThis.__protos = [function () {}, async function () {}, function* () {}, async function* () {}].map((f) => Object.getPrototypeOf(f));
    `,
    ctx,
  );
  const g = vm.runInContext('globalThis', ctx) as Record<string, unknown>;
  sealGlobals(g, g.__protos as object[]);
  return { ctx, reached: g.reached as string[] };
}

/** Run hostile code in the sealed realm: it must fail with an error naming what was blocked, and reach nothing. */
function blocked(code: string, api: string) {
  const { ctx, reached } = workerRealm();
  tally.cases += 1;
  let message = '';
  try {
    vm.runInContext(code, ctx);
  } catch (err) {
    message = String((err as Error).message);
  }
  if (reached.length) tally.leaks += 1;
  expect(reached, code).toEqual([]);
  expect(message, code).toMatch(new RegExp(`^${api.replace(/[.()]/g, '\\$&')}.* is blocked: .*cannot reach the network or the browser's storage`));
  tally.refused += 1;
  if (isClearMessage(message)) tally.clearRefusals += 1;
}

describe('attack: user code cannot reach the network or storage', () => {
  it('every blocked API fails with a message naming it, however it is reached', () => {
    blocked(`fetch('https://example.org/steal')`, 'fetch');
    blocked(`globalThis.fetch('https://example.org/')`, 'fetch');
    blocked(`Object.getPrototypeOf(globalThis).fetch('https://example.org/')`, 'fetch');
    blocked(`WorkerGlobalScope.prototype.fetch.call(globalThis, 'x')`, 'fetch');
    blocked(`new XMLHttpRequest()`, 'XMLHttpRequest');
    blocked(`new WebSocket('wss://example.org')`, 'WebSocket');
    blocked(`new EventSource('https://example.org')`, 'EventSource');
    blocked(`importScripts('https://example.org/x.js')`, 'importScripts');
    blocked(`indexedDB.open('x')`, 'indexedDB');
    blocked(`caches.open('x')`, 'caches');
    blocked(`new BroadcastChannel('x')`, 'BroadcastChannel');
    blocked(`new Worker('data:text/javascript,fetch("x")')`, 'Worker');
    blocked(`navigator.storage.getDirectory()`, 'navigator.storage');
  });

  it('code built from text cannot get round it (eval, Function constructors, string timers)', () => {
    blocked(`eval('fetch("x")')`, 'eval');
    blocked(`Function('return fetch')()('x')`, 'the Function constructor');
    blocked(`(function () {}).constructor('return 1')()`, 'the Function constructor');
    blocked(`(async function () {}).constructor('return 1')`, 'the Function constructor');
    blocked(`(function* () {}).constructor('yield 1')`, 'the Function constructor');
    blocked(`setTimeout('fetch("x")', 0)`, 'setTimeout with a string of code');
  });

  it('what the simulation needs still works in a sealed realm', () => {
    const { ctx } = workerRealm();
    expect(vm.runInContext(`[1, 2].map((x) => x * 2).join()`, ctx)).toBe('2,4');
    expect(vm.runInContext(`(() => {}) instanceof Function && typeof fetch`, ctx)).toBe('function');
    expect(vm.runInContext(`setTimeout(() => {}, 0)`, ctx)).toBe(1);
  });

  it('user modules with import() or import.meta are refused before they run, with the line', () => {
    const cases = ["const m = await import('https://example.org/x.js');", 'import /* hidden */ ("x")', 'const u = import.meta.url;'];
    for (const src of cases) {
      tally.cases += 1;
      let err: unknown;
      try {
        evaluateUserModules({ 'nova/compute/manager': `// line 1\n${src}\n` }, () => ({}));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserCodeError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/nova\/compute\/manager\.ts:2: import\(\) and import\.meta are not available in the playground/);
      tally.refused += 1;
      if (isClearMessage(msg)) tally.clearRefusals += 1;
    }
    expect(findDynamicImport('const important = 1; // imports(x)')).toBeNull();
    expect(findDynamicImport("require('nova/exception')")).toBeNull();
  });
});
