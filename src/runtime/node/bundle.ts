/**
 * Node cannot start a TypeScript worker by itself. Bundle a worker entry
 * (and the whole model) into one ES module once per process with esbuild,
 * so each of many workers boots in milliseconds.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const bundles = new Map<string, Promise<string>>();

/** The path of `entry` (a worker's TypeScript entry file) bundled as `<name>.mjs`, built once per process. */
export function bundleWorker(entry: URL, name: string): Promise<string> {
  let p = bundles.get(name);
  if (!p) {
    p = (async () => {
      const { build } = await import('esbuild');
      const dir = join(tmpdir(), `nova-upgrade-lab-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      const outfile = join(dir, `${name}.mjs`);
      await build({ entryPoints: [fileURLToPath(entry)], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent' });
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
