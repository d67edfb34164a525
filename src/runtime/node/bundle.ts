/**
 * Node cannot start a TypeScript worker by itself. Bundle a worker entry
 * (and the whole model) into one CommonJS file once per process with
 * esbuild, and start workers on it through a small loader that keeps V8's
 * compiled code between them: the first worker compiles the bundle and
 * saves a code cache beside it, the next ones start from that cache. With
 * dozens of computes, starting workers was most of a run's cost.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';

const bundles = new Map<string, Promise<string>>();

/** The path of `entry` (a worker's TypeScript entry file) bundled as `<name>.cjs`, built once per process. */
export function bundleWorker(entry: URL, name: string): Promise<string> {
  let p = bundles.get(name);
  if (!p) {
    p = (async () => {
      const { build } = await import('esbuild');
      const dir = join(tmpdir(), `nova-upgrade-lab-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      const outfile = join(dir, `${name}.cjs`);
      await build({ entryPoints: [fileURLToPath(entry)], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'silent' });
      return outfile;
    })();
    bundles.set(name, p);
  }
  return p;
}

/** The service worker's bundle. */
export function workerBundle(): Promise<string> {
  return bundleWorker(new URL('./worker.ts', import.meta.url), 'service-worker');
}

/**
 * Runs in the new thread: compile the bundle with the code cache when there
 * is one (V8 checks that it matches the source and flags, and compiles
 * afresh when it does not), run it as a CommonJS module, and save the cache
 * if none was used. A cache made right after loading holds only the code
 * the bundle's top level ran; `__novaSaveWarmCache` saves a second one,
 * once, from a worker that has run a service (V8 includes every function
 * the isolate compiled so far), and later workers prefer it: 32 new
 * compute workers then start about 5 % faster in the 64-compute rolling
 * upgrade. Caches are written to a temporary name and renamed, so a worker
 * never reads a half-written one.
 */
const LOADER = `
const { workerData, threadId } = require('node:worker_threads');
const vm = require('node:vm');
const fs = require('node:fs');
const { file } = workerData.__bundle;
const cacheFile = file + '.v8cache';
const warmFile = cacheFile + '.warm';
let cachedData;
try { cachedData = fs.readFileSync(warmFile); } catch { try { cachedData = fs.readFileSync(cacheFile); } catch { cachedData = undefined; } }
const script = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + fs.readFileSync(file, 'utf8') + '\\n})', { filename: file, cachedData });
const save = (to) => {
  try {
    const tmp = to + '.' + process.pid + '.' + threadId;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, to);
  } catch { /* no cache: the next worker compiles more */ }
};
globalThis.__novaSaveWarmCache = () => { if (!fs.existsSync(warmFile)) save(warmFile); };
const mod = { exports: {} };
script.runInThisContext()(mod.exports, require, mod, file, require('node:path').dirname(file));
if (!cachedData || script.cachedDataRejected) save(cacheFile);
`;

/**
 * A worker thread running a bundle from `bundleWorker`. It gets no
 * `execArgv` of its own: the parent's (a TypeScript loader when run
 * through tsx, say) would be loaded again in every thread for nothing.
 */
export function startBundledWorker(file: string): Worker {
  return new Worker(LOADER, { eval: true, execArgv: [], workerData: { __bundle: { file } } });
}
