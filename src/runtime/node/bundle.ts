/**
 * Node cannot start a TypeScript worker by itself. Bundle the worker entry
 * (and the whole model) into one ES module once per process with esbuild,
 * so each of many service workers boots in milliseconds.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

let bundled: Promise<string> | null = null;

export function workerBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const dir = join(tmpdir(), `nova-upgrade-lab-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'service-worker.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bundled;
}
