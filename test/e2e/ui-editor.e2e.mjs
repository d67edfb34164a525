// Monaco: lazy, typing, diagnostics, run, persistence.
import { readFileSync } from 'node:fs';
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { clipboardContext, editorValue, FIXTURE, pasteInto, runAndWait, runs, waitForMonaco } from './ui-helpers.mjs';

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
  await page.goto(`${url}${FIXTURE}#/lesson/sample-pin-compute`);
  await page.waitForSelector('.prose p');
  assert((await page.locator('.monaco-editor').count()) === 0, 'no editor yet');
  await page.waitForFunction(() => document.querySelector('.editor-fallback')?.textContent.includes('[upgrade_levels]'));
  assert((await page.locator('.monaco-editor').count()) === 0, 'the file is readable before the editor arrives');
  await waitForMonaco(page);
  assert(errors.length === 0, errors.join('\n'));
  await context.close();
});

test('ui: typing (clipboard paste) works, a lesson run checks the goal, the edit survives a reload', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}${FIXTURE}#/lesson/sample-pin-compute`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  // Unpinned: the goal fails.
  await runAndWait(page);
  assert((await page.getAttribute('.goal', 'data-status')) === 'fail', 'unpinned run fails the goal');
  await page.waitForSelector('svg.seq g.msg[data-outcome="rejected"]');
  // Pin it by typing.
  const text = '[DEFAULT]\nhost = api\n\n[upgrade_levels]\n# pinned while computes are on Juno\ncompute = juno\n';
  await pasteInto(page, text);
  assert((await editorValue(page)) === text, `pasted exactly: ${JSON.stringify(await editorValue(page))}`);
  await runAndWait(page);
  assert((await page.getAttribute('.goal', 'data-status')) === 'done', 'pinned run reaches the goal');
  await page.waitForSelector('.menu .tick.solved', { state: 'attached' });
  await page.screenshot({ path: `${RESULTS}/ui-lesson-solved.png` });
  // Saved (debounced) and restored.
  await page.waitForTimeout(500);
  await page.reload();
  await waitForMonaco(page);
  assert((await editorValue(page)) === text, 'the edit survived the reload');
  assert((await page.locator('.tab .dirty').count()) === 1, 'the tab shows the file as edited');
  // Reset returns to the start; Ctrl+Z brings the edit back.
  await page.click('text=Reset file');
  assert(!(await editorValue(page)).includes('compute = juno'), 'reset to the start');
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+Z');
  assert((await editorValue(page)).includes('compute = juno'), 'undo brings the edit back');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

test('ui: a type error shows its marker and a problem, refuses to run, and the page recovers', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}${FIXTURE}#/lesson/sample-rpcapi-ladder`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  const good = readFileSync('lessons/00-sample-rpcapi-ladder/solution/nova/compute/rpcapi.ts', 'utf8');
  const broken = good.replace("version = '3.0';", "version = 3.0 +;");
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
