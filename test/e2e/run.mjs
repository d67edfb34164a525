// Runs every test/e2e/*.e2e.mjs file against the production build.
import { readdirSync } from 'node:fs';
import { runAll } from './harness.mjs';

const dir = new URL('.', import.meta.url);
for (const f of readdirSync(dir).filter((n) => n.endsWith('.e2e.mjs')).sort()) {
  await import(new URL(f, dir).href);
}
const { failed } = await runAll(process.argv[2]);
process.exit(failed === 0 ? 0 : 1);
