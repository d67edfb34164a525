// Monaco: lazy, typing, diagnostics, run, persistence.
import { readFileSync } from 'node:fs';
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { clipboardContext, editorValue, pasteInto, runAndWait, runs, waitForMonaco } from './ui-helpers.mjs';

test('ui: Monaco loads lazily: the lesson is readable first, the editor chunk is not in the initial page', async ({ browser, url }) => {
  const html = readFileSync('dist/index.html', 'utf8');
  assert(!/editor\.api|monaco/.test(html), 'no Monaco in index.html');
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Hold Monaco back for a moment: the lesson must not wait for it.
  await page.route(/editor\.api-.*\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1200));
    await route.continue();
  });
  await page.goto(`${url}#/lesson/pin-the-compute-api`);
  await page.waitForSelector('.prose p');
  assert((await page.locator('.monaco-editor').count()) === 0, 'no editor yet');
  await page.waitForFunction(() => document.querySelector('.editor-fallback')?.textContent.includes('[upgrade_levels]'));
  assert((await page.locator('.monaco-editor').count()) === 0, 'the file is readable before the editor arrives');
  await waitForMonaco(page);
  assert(errors.length === 0, errors.join('\n'));
  await context.close();
});

test('ui: start order: the cluster comes up before Monaco loads; one TypeScript worker, started with Monaco, compiles the first Run; warm Runs create no worker', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, url);
  await waitForMonaco(page);
  const order = await page.evaluate(() => ({
    ready: performance.getEntriesByName('nova-lab:cluster-ready')[0]?.startTime ?? null,
    editor: performance.getEntriesByType('resource').find((r) => /editor\.api-/.test(r.name))?.startTime ?? null,
  }));
  assert(order.ready !== null && order.editor !== null, `both happened: ${JSON.stringify(order)}`);
  assert(order.ready <= order.editor, `the cluster was ready (${Math.round(order.ready)} ms) before Monaco was requested (${Math.round(order.editor)} ms)`);
  await runAndWait(page, 60000);
  assert((await page.locator('.problems .problem').count()) === 0, 'the lesson code compiled');
  await runAndWait(page, 60000);
  // Warm Runs reuse the service workers: once the spares are ready (they load when the page is
  // quiet), more Runs create no thread.
  await page.waitForFunction(() => window.__novaLab.pool().idle >= 2, null, { timeout: 30000 });
  const made = await page.evaluate(() => window.__novaLab.pool().created);
  await runAndWait(page, 60000);
  await runAndWait(page, 60000);
  const after = await page.evaluate(() => window.__novaLab.pool());
  assert(after.created === made, `two more Runs created no worker (${made} -> ${after.created}; reused ${after.reused})`);
  // The one started early is the one Monaco uses: no second one, none left over.
  const workers = page.workers().map((w) => w.url());
  const ts = workers.filter((u) => /ts\.worker/.test(u));
  assert(ts.length === 1, `one TypeScript worker (${ts.length}: ${workers.join(' ')})`);
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

test('ui: a lesson from start to solved: the unpinned run fails its goal, pinning both services by typing solves it, the edit survives a reload', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/lesson/pin-the-compute-api`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  // Unpinned: the Kilo conductor's build_and_run_instance v4.0 is refused by the Juno compute.
  await runAndWait(page, 60000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'fail', 'unpinned run fails the goal');
  await page.waitForSelector('svg.seq g.msg[data-outcome="rejected"]');
  await page.click('svg.seq g.msg[data-outcome="rejected"] >> nth=0');
  await page.waitForSelector('.inspector');
  assert((await page.textContent('.inspector')).includes('4.0'), 'the inspector shows the refused 4.0 message');
  // Pin both senders by typing into both files.
  const api = '[DEFAULT]\nhost = api\n\n[upgrade_levels]\n# pinned while computes are on Juno\ncompute = juno\n';
  const conductor = '[DEFAULT]\nhost = conductor\n\n[upgrade_levels]\ncompute = juno\n';
  await pasteInto(page, api);
  assert((await editorValue(page)) === api, `pasted exactly: ${JSON.stringify(await editorValue(page))}`);
  await page.click('.tab >> text=conductor.conf');
  await pasteInto(page, conductor);
  await runAndWait(page, 60000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'done', 'the pinned run reaches the goal');
  // The conductor's build_and_run_instance went out capped (3.33, not 4.0): the legend counts it.
  assert(Number(await page.textContent('.legend .o-capped .count')) > 0, 'capped messages are counted');
  assert(Number(await page.textContent('.legend .o-rejected .count')) === 0, 'nothing is rejected any more');
  await page.waitForSelector('.menu .tick.solved', { state: 'attached' });
  await page.screenshot({ path: `${RESULTS}/ui-lesson-solved.png` });
  // Saved (debounced) and restored: wait until both edits are in storage, then reload.
  await page.waitForFunction(
    (texts) => texts.every((t) => Object.keys(localStorage).some((k) => k.startsWith('nul:edit:') && localStorage.getItem(k) === JSON.stringify(t))),
    [api, conductor],
  );
  await page.reload();
  await waitForMonaco(page);
  await page.click('.tab >> text=api.conf');
  assert((await editorValue(page)) === api, 'the edit survived the reload');
  // Reset returns to the start; Ctrl+Z brings the edit back.
  await page.click('text=Reset file');
  assert(!(await editorValue(page)).includes('compute = juno'), 'reset to the start');
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+Z');
  assert((await editorValue(page)).includes('compute = juno'), 'undo brings the edit back');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 120000 });

test('ui: a type error shows its marker and a problem, refuses to run, and the page recovers', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/lesson/the-server-decides`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  const good = readFileSync('lessons/02-the-server-decides/solution/nova/compute/rpcapi.ts', 'utf8');
  const broken = good.replace("version: '4.0' });\n    return cctxt.cast(ctxt, 'pause_instance'", "version: 4.0 + });\n    return cctxt.cast(ctxt, 'pause_instance'");
  assert(broken !== good, 'the test breaks the file');
  await pasteInto(page, broken);
  const before = await runs(page);
  await runAndWait(page);
  await page.waitForSelector('.problems .problem.error');
  await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 10000 });
  assert((await page.getAttribute('.goal', 'data-status')) === 'todo', 'nothing ran');
  assert((await runs(page)) === before + 1, 'one attempt');
  await page.screenshot({ path: `${RESULTS}/ui-editor-error.png` });
  // Clicking the problem moves the cursor to it.
  await page.click('.problems .problem.error >> nth=0');
  // Fix it and run: the goal is reached.
  await pasteInto(page, good);
  await runAndWait(page);
  assert((await page.locator('.problems').count()) === 0, 'problems cleared');
  assert((await page.getAttribute('.goal', 'data-status')) === 'done', `goal reached after the fix`);
  // Ctrl+Enter runs too.
  const n = await runs(page);
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((b) => Number(document.body.dataset.runs ?? 0) > b, n);
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

test('ui: an infinite loop in edited code is cut off by the watchdog; the page stays responsive and the edit is kept', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/lesson/the-server-decides`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  const good = readFileSync('lessons/02-the-server-decides/solution/nova/compute/rpcapi.ts', 'utf8');
  const looping = good.replace('const instance = kwargs.instance;', 'const instance = kwargs.instance;\n    for (;;) { /* never returns */ }');
  assert(looping !== good, 'the test adds a loop');
  await pasteInto(page, looping);
  const started = Date.now();
  await runAndWait(page, 60000);
  await page.waitForSelector('.banner.error');
  const banner = await page.textContent('.banner.error');
  assert(/watchdog/.test(banner) && /edits are kept/.test(banner), `a clear message: ${banner}`);
  // The page answered all along: a hint opens at once, and the edit is still there.
  const t0 = Date.now();
  await page.click('text=/Show a hint/');
  assert(Date.now() - t0 < 2000, 'the page responds');
  assert((await editorValue(page)).includes('for (;;)'), 'the edit is kept');
  assert(Date.now() - started < 45000, 'the run ended');
  await page.screenshot({ path: `${RESULTS}/ui-watchdog.png` });
  // Only the expected error reached the console: none.
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 90000 });
