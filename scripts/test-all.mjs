// npm test: every runner in one go (type-check, unit/property/conformance
// tests in Vitest, end-to-end tests in headless Chromium), then one summary
// line "N passed, N failed" summed over all of them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { findChromium } from './find-chromium.mjs';

const OUT = '.ci/out';
mkdirSync(OUT, { recursive: true });
let passed = 0;
let failed = 0;
const bin = (name) => `node_modules/.bin/${name}`;

function step(title, cmd, args, opts = {}) {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', timeout: opts.timeout ?? 20 * 60 * 1000, env: { ...process.env, ...opts.env } });
  return r.status === 0;
}

// 1. Type-check the project, and the lessons' code against the editor's declarations (one check each).
if (step('type-check (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.'])) passed++;
else failed++;
if (existsSync('lessons/tsconfig.json')) {
  if (step('type-check the lessons (tsc -p lessons)', bin('tsc'), ['--noEmit', '-p', 'lessons/tsconfig.json'])) passed++;
  else failed++;
}

// 2. Vitest: unit, property, conformance and scenario tests.
const unitJson = `${OUT}/vitest.json`;
step('unit, property and conformance tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${unitJson}`,
]);
if (existsSync(unitJson)) {
  const r = JSON.parse(readFileSync(unitJson, 'utf8'));
  passed += r.numPassedTests;
  // A failed test counts once; a file that failed with no failed test in it
  // (it could not be loaded, a hook threw) counts as one more failure.
  // (numFailedTestSuites counted a failed test again in its describe and file.)
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failed += r.numFailedTests + brokenFiles;
} else {
  failed++;
}

// 3. End-to-end in headless Chromium against the production build.
let chromium = null;
try {
  chromium = findChromium();
} catch (e) {
  console.error(String(e.message));
  failed++;
}
if (chromium) {
  if (step('production build (vite build)', bin('vite'), ['build', '--logLevel', 'warn'])) {
    const e2eJson = `${OUT}/e2e.json`;
    step('end-to-end tests (headless Chromium)', 'node', ['test/e2e/run.mjs', e2eJson], { env: { CHROMIUM_PATH: chromium } });
    if (existsSync(e2eJson)) {
      const r = JSON.parse(readFileSync(e2eJson, 'utf8'));
      passed += r.passed;
      failed += r.failed;
    } else {
      failed++;
    }
  } else {
    failed++;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
