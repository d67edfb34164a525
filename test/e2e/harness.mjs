// A small end-to-end harness: serves the production build with
// `vite preview`, drives Debian's Chromium through playwright-core, and
// records each test's outcome and a screenshot under test-results/.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

export const RESULTS = 'test-results';
mkdirSync(RESULTS, { recursive: true });

const tests = [];
export function test(name, fn, { timeout = 60000 } = {}) {
  tests.push({ name, fn, timeout });
}

// E2E_PORT lets two checkouts run their suites at once; E2E_ONLY (a substring) runs a subset.
export async function startPreview(port = Number(process.env.E2E_PORT ?? 4173)) {
  const child = spawn('node_modules/.bin/vite', ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('vite preview did not start');
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
}

/**
 * A worker terminated while its script loads (a cluster replaced mid-boot, or
 * the editor's workers when a test navigates away before they are up) aborts
 * that request, and so does navigating away while Monaco's icon font loads
 * (Monaco loads after the first cluster, so a test that leaves right after it
 * can catch the font in flight): expected, not a failure.
 */
export function isExpectedAbort(r) {
  return /\/assets\/((worker|editor\.worker|ts\.worker|plan\.worker)-[^/]*\.js|codicon-[^/]*\.ttf)$/.test(r.url()) && r.failure()?.errorText === 'net::ERR_ABORTED';
}

/** Opens a page that fails the test on console errors and failed requests. */
export async function openPage(browser, url, { viewport = { width: 1400, height: 900 }, context: ctxOpts = {} } = {}) {
  const context = await browser.newContext({ viewport, ...ctxOpts });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (isExpectedAbort(r)) return;
    problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  await page.goto(url);
  return { context, page, problems };
}

export async function runAll(outFile) {
  const preview = await startPreview();
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    const only = process.env.E2E_ONLY;
    for (const t of only ? tests.filter((x) => x.name.includes(only)) : tests) {
      const started = Date.now();
      try {
        await Promise.race([
          t.fn({ browser, url: preview.url }),
          new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${t.timeout} ms`)), t.timeout)),
        ]);
        passed++;
        console.log(`  ✓ ${t.name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed++;
        console.log(`  ✗ ${t.name}\n    ${String(e?.stack ?? e).split('\n').join('\n    ')}`);
      }
    }
  } finally {
    await browser.close();
    preview.stop();
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  if (outFile) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(outFile, JSON.stringify({ passed, failed }));
  }
  return { passed, failed };
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}
