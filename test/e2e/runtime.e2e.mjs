import { execFileSync } from 'node:child_process';
import { assert, openPage, RESULTS, test } from './harness.mjs';

test('the shipped scenarios run green in Chromium, every service in a Web Worker', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}runner.html`);
  await page.waitForFunction(() => window.novaLab?.scenarios?.length > 0);
  const names = await page.evaluate(() => window.novaLab.scenarios);
  for (const name of names) {
    const r = await page.evaluate(async (n) => {
      const rep = await window.novaLab.run(n);
      return { ok: rep.ok, failed: rep.results.filter((x) => !x.ok).map((x) => x.detail), events: rep.events.length };
    }, name);
    assert(r.ok, `${name} failed in Chromium: ${r.failed.join('; ')}`);
    assert(r.events > 20, `${name}: only ${r.events} events`);
  }
  await page.click('text=Run all');
  await page.waitForFunction(() => document.querySelectorAll('[data-state="pass"]').length === window.novaLab.scenarios.length, null, {
    timeout: 60000,
  });
  await page.screenshot({ path: `${RESULTS}/runner.png`, fullPage: true });
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 180000 });

test('a scenario yields the same trace in Chromium as in Node, event for event', async ({ browser, url }) => {
  const name = 'shelve-offload-unpinned';
  const nodeTrace = execFileSync('node_modules/.bin/tsx', ['scripts/scenario.ts', `scenarios/${name}.json`, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const { page, context } = await openPage(browser, `${url}runner.html`);
  await page.waitForFunction(() => window.novaLab?.scenarios?.length > 0);
  const browserTrace = await page.evaluate(async (n) => (await window.novaLab.run(n)).events, name);
  assert(browserTrace.length === nodeTrace.length, `Chromium gave ${browserTrace.length} events, Node ${nodeTrace.length}`);
  for (let i = 0; i < nodeTrace.length; i++) {
    const a = JSON.stringify(nodeTrace[i]);
    const b = JSON.stringify(browserTrace[i]);
    assert(a === b, `event ${i} differs:\n node    ${a.slice(0, 300)}\n browser ${b.slice(0, 300)}`);
  }
  await context.close();
}, { timeout: 120000 });
