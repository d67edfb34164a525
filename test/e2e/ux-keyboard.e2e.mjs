// The keyboard alone: skip link, menus closed with Esc, editing two conf files, leaving
// the editor (Ctrl+M), Run, reaching a message in the diagram and opening it in the inspector.
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { axeCheck, runs, waitForMonaco } from './ui-helpers.mjs';

/** What has the focus, in words a failure message can show. */
const focused = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (!a) return 'nothing';
    if (a.closest('.monaco-editor')) return 'monaco';
    return `${a.tagName.toLowerCase()}${a.className && typeof a.className === 'string' ? '.' + a.className.split(' ').join('.') : ''}${a.getAttribute('aria-label') ? `[${a.getAttribute('aria-label')}]` : ''}${a.dataset.item ? '[item]' : ''}${a.textContent && a.textContent.length < 40 ? ` "${a.textContent.trim()}"` : ''}`;
  });

/** Press Tab (or Shift+Tab) until `pred(description)` holds; fails after `max` presses. */
async function tabTo(page, pred, what, { back = false, max = 80 } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    seen.push(f);
    if (pred(f)) return f;
  }
  throw new Error(`Tab never reached ${what}; went through: ${seen.join(' | ')}`);
}

/** A new last line, typed; Esc first closes any suggestion so Enter does not pick one. */
async function typeLine(page, text) {
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
}

async function waitRun(page, before) {
  await page.waitForFunction((b) => Number(document.body.dataset.runs ?? 0) > b && !window.__novaLab.busy(), before, { timeout: 90000 });
}

test('ux: keyboard only: a lesson from start to solved, the diagram and the inspector, menus closed with Esc', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/lesson/pin-the-compute-api`, { viewport: { width: 1280, height: 800 } });
  // A new browser context: no saved edits.
  await waitForMonaco(page);
  await page.waitForSelector('.cards .card');

  // The skip link comes first and lands in the lesson.
  await page.keyboard.press('Tab');
  assert((await focused(page)).includes('skip-link'), `first Tab: ${await focused(page)}`);
  await page.keyboard.press('Enter');
  assert(await page.evaluate(() => Boolean(document.activeElement.closest('#main-content'))), `skip link moved the focus: ${await focused(page)}`);

  // The lessons menu opens with Enter and closes with Esc.
  await page.focus('.lesson-menu summary');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.lesson-menu[open]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.lesson-menu:not([open])');
  assert((await focused(page)).startsWith('summary'), 'the focus is back on the menu button');

  // First run as the lesson starts (unpinned): Ctrl+Enter from anywhere.
  let n = await runs(page);
  await page.keyboard.press('Control+Enter');
  await waitRun(page, n);
  assert((await page.getAttribute('.goal', 'data-status')) === 'fail', 'the unpinned run fails');

  // Into the editor: Tab reaches Monaco; the hint says how to leave.
  await tabTo(page, (f) => f === 'monaco', 'the editor');
  await page.waitForSelector('.kbd-hint.on');
  await typeLine(page, 'compute = juno');
  // Leave the editor: Ctrl+M makes Tab move the focus; back to the file tabs, → opens the next file.
  await page.keyboard.press('Control+M');
  await tabTo(page, (f) => f.includes('tab.active'), 'the file tabs', { back: true, max: 10 });
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('.tab.active >> text=conductor.conf');
  await tabTo(page, (f) => f === 'monaco', 'the editor again', { max: 10 });
  await typeLine(page, 'compute = juno');
  const values = await page.evaluate(() => window.__nulEditor.getModel().getValue());
  assert(/\ncompute = juno\n/.test(values), `typed into conductor.conf: ${values}`);

  // Run with the keyboard: the goal is reached.
  n = await runs(page);
  await page.keyboard.press('Control+Enter');
  await waitRun(page, n);
  assert((await page.getAttribute('.goal', 'data-status')) === 'done', 'the pinned run reaches the goal');

  // On to the diagram: one Tab stop for all its messages, arrows move, Enter opens the inspector.
  await tabTo(page, (f) => f.includes('[item]'), 'a message in the diagram');
  const first = await page.evaluate(() => document.activeElement.dataset.item);
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const moved = await page.evaluate(() => document.activeElement.dataset.item);
  assert(moved && (await focused(page)).includes('[item]'), 'arrow keys keep the focus on messages');
  assert((await page.locator('svg.seq [data-item][tabindex="0"]').count()) === 1, 'one message in the Tab order (roving tabindex)');
  // Jump to a message by search, then open it.
  await tabTo(page, (f) => f.startsWith('input.diagram-search'), 'the search box', { back: true, max: 30 });
  await page.keyboard.type('build_and_run_instance');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="inspector-title"]');
  assert((await page.textContent('[data-testid="inspector-title"]')).includes('build_and_run_instance'), 'Enter in the search opens the first match');
  assert((await focused(page)).includes('[item]'), 'and puts the focus on it');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="inspector-title"]');
  assert(first !== null, 'a first item had the focus');
  await page.screenshot({ path: `${RESULTS}/ux-keyboard-inspector.png` });
  await axeCheck(page, 'after the keyboard run');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 240000 });

test('ux: keyboard only on a phone: the pane tabs, Run, and a message opened from the Cluster tab', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/lesson/pin-the-compute-api`, { viewport: { width: 390, height: 844 } });
  await page.waitForSelector('.pane-tabs');
  // Run is in the Tab order once it can run (the lesson's scenario has arrived): wait for that state.
  await page.waitForSelector('button.run-tab:not([disabled])');
  await tabTo(page, (f) => f.includes('pane-tab.active'), 'the pane tabs', { max: 20 });
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('.main.show-code');
  assert((await focused(page)).includes('"Code"'), `the Code tab has the focus: ${await focused(page)}`);
  await page.keyboard.press('Tab');
  assert((await focused(page)).includes('run-tab'), `Run comes next: ${await focused(page)}`);
  const n = await runs(page);
  await page.keyboard.press('Enter');
  await waitRun(page, n);
  // The run shows in the Cluster tab; the focus stays on the tab bar.
  await page.waitForSelector('.main.show-sim');
  assert(await page.evaluate(() => document.activeElement !== document.body), 'the focus was not dropped');
  await tabTo(page, (f) => f.includes('[item]'), 'a message in the diagram', { max: 60 });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="inspector-title"]');
  await page.keyboard.press('Tab');
  await page.screenshot({ path: `${RESULTS}/ux-390-keyboard-inspector.png` });
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 120000 });
