// The diagram's search, filters, legend filters, failure jumps and the run-against-run comparison;
// a typo in [upgrade_levels] gets a marker in the editor.
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { allArrows, axeCheck, clipboardContext, openTour, pasteInto, runs, scrollTo, TOUR, waitForMonaco } from './ui-helpers.mjs';

const messageLabels = (page) => page.$$eval('svg.seq g.msg[data-outcome]', (gs) => gs.map((g) => g.querySelector('.label').textContent.trim()));
const counter = (page) => page.evaluate(() => document.querySelector('.filter-status')?.textContent ?? '');

test('ux: diagram: search, filters, legend filters and jumps between failures', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}${TOUR}`);
  await openTour(page, url);
  await page.waitForSelector('svg.seq g.msg');
  const all = await page.locator('svg.seq g.msg[data-outcome]').count();

  // Search by method and version.
  await page.fill('input.diagram-search', 'shelve_offload 4.0');
  await page.waitForFunction(() => document.querySelectorAll('svg.seq g.msg[data-outcome]').length === 1);
  assert((await messageLabels(page))[0].startsWith('shelve_offload_instance v4.0'), `search: ${await messageLabels(page)}`);
  assert(/1 of \d+ messages/.test(await counter(page)), `counter: ${await counter(page)}`);
  // By a service.
  await page.fill('input.diagram-search', 'scheduler');
  await page.waitForFunction(() => [...document.querySelectorAll('svg.seq g.msg[data-outcome] .label')].some((l) => l.textContent.startsWith('select_destinations')));
  await page.click('.filter-status >> text=Clear filters');
  await page.waitForFunction((n) => document.querySelectorAll('svg.seq g.msg[data-outcome]').length >= Math.min(n, 3), all);

  // Only failures.
  await page.click('button >> text=Only failures');
  await page.waitForFunction(() => [...document.querySelectorAll('svg.seq g.msg[data-outcome]')].every((g) => ['rejected', 'error'].includes(g.dataset.outcome)));
  assert((await page.locator('svg.seq g.msg[data-outcome]').count()) >= 1, 'failures are left');
  await page.screenshot({ path: `${RESULTS}/ux-diagram-failures.png` });
  await page.click('button >> text=Only failures');

  // One service.
  await page.selectOption('select.service-filter', 'scheduler');
  await page.waitForFunction(() => document.querySelectorAll('svg.seq g.msg[data-outcome]').length > 0);
  const sched = await page.$$eval('svg.seq g.msg[data-outcome]', (gs) => gs.map((g) => g.getAttribute('aria-label')));
  assert(sched.every((a) => /scheduler/.test(a)), `only the scheduler's messages: ${sched.join(' | ')}`);
  await page.selectOption('select.service-filter', '');

  // The legend filters: "capped" shows the capped messages only, and says so.
  await page.click('.legend .o-capped button');
  assert((await page.getAttribute('.legend .o-capped button', 'aria-pressed')) === 'true', 'legend entry pressed');
  const capped = Number(await page.textContent('.legend .o-capped .count'));
  await page.waitForFunction((n) => document.querySelectorAll('svg.seq g.msg[data-outcome]').length === n, capped);
  await page.screenshot({ path: `${RESULTS}/ux-diagram-legend-filter.png` });
  await page.click('.legend .o-capped button');

  // Next failure: the inspector opens on a failure, and again on the next one.
  await page.click('button[aria-label="Next failure"]');
  await page.waitForSelector('.outcome-pill');
  const firstFail = await page.textContent('[data-testid="inspector-title"]');
  await page.click('button[aria-label="Next failure"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="inspector-title"]')?.textContent !== t, firstFail);
  await page.click('button[aria-label="Previous failure"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="inspector-title"]')?.textContent === t, firstFail);

  // Hide housekeeping keeps the story (object_backport is not housekeeping). Only the rows in view are drawn: scroll through them all.
  await page.click('button >> text=Hide housekeeping');
  await page.waitForSelector('.diagram-tools button.toggle.on[aria-pressed="true"] >> text=Hide housekeeping');
  const story = (await allArrows(page)).map((a) => a.split('|')[0]);
  assert(story.some((l) => l.startsWith('object_backport')), `object_backport stays: ${story.join(', ')}`);
  assert(!story.some((l) => /^(object_action|object_class_action|ping|service_update) /.test(l)), `housekeeping is hidden: ${story.join(', ')}`);
  await axeCheck(page, 'diagram with filters');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

test('ux: diagram: the previous run is kept; the changes between two runs are listed and marked', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/lesson/pin-the-compute-api`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  const run = async () => {
    const n = await runs(page);
    await page.click('button.run');
    await page.waitForFunction((b) => Number(document.body.dataset.runs ?? 0) > b && !window.__novaLab.busy(), n, { timeout: 60000 });
  };
  const openFile = async (name) => {
    await page.click(`.file-tabs .tab[data-path$="/${name}.conf"]`);
    await page.waitForFunction((h) => window.__nulEditor.getModel().getValue().includes(`host = ${h}\n`), name);
  };
  // First run: conductor pinned (the instance builds on the Juno compute), api not: its shelve_instance at 4.0 is refused.
  await openFile('conductor');
  await pasteInto(page, '[DEFAULT]\nhost = conductor\n\n[upgrade_levels]\ncompute = juno\n');
  await run();
  assert((await page.locator('.compare').count()) === 0, 'nothing to compare after one run');
  await scrollTo(page, 'svg.seq g.msg[data-outcome="rejected"]');
  // Second run: the api pinned too (the lesson's solution): shelve_instance goes at 3.0 and is backported, not refused.
  await openFile('api');
  await pasteInto(page, '[DEFAULT]\nhost = api\n\n[upgrade_levels]\ncompute = juno\n');
  await run();
  await page.waitForSelector('.compare');
  await page.click('.compare >> text=Changes');
  await page.waitForSelector('.change-list');
  const list = await page.textContent('.change-list');
  const shelve = await page.$$eval('.change-list li.chg', (lis) => lis.map((li) => li.textContent).filter((t) => /\bshelve_instance\b/.test(t)));
  assert(shelve.length === 1 && /v4\.0 → v3\.0/.test(shelve[0]), `the version change is listed: ${list}`);
  assert(/rejected/.test(shelve[0]), `the outcome change is listed: ${list}`);
  // Only the rows in view are drawn, and after a run the view may be anywhere: open a listed
  // change (the diagram brings its arrow into view) and wait for it to be drawn, marked.
  await page.click('.change-list button.link >> nth=0');
  await page.waitForSelector('svg.seq g.msg[data-change]', { state: 'attached' });
  await page.screenshot({ path: `${RESULTS}/ux-diagram-changes.png` });
  // The previous run, whole.
  await page.click('.compare >> text=Previous run');
  await page.waitForSelector('svg.seq g.msg[data-outcome="rejected"]', { state: 'attached' });
  // Side by side: both runs drawn, the previous one with its refusal.
  await page.click('.compare >> text=Side by side');
  await page.waitForFunction(() => document.querySelectorAll('.side-by-side svg.seq').length === 2);
  await page.waitForSelector('.side-by-side .side >> nth=0 >> svg.seq g.msg[data-outcome="rejected"]', { state: 'attached' });
  await page.screenshot({ path: `${RESULTS}/ux-diagram-side-by-side.png` });
  await axeCheck(page, 'runs side by side');
  await page.click('.compare >> text=This run');
  // A listed change opens in the inspector.
  await page.click('.compare >> text=Changes');
  await page.click('.change-list button.link >> nth=0');
  await page.waitForSelector('[data-testid="inspector-title"]');
  await axeCheck(page, 'run comparison');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

test('ux: editor: a typo in [upgrade_levels] gets a marker; settings for word wrap and font size; every file reachable', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/lesson/pin-the-compute-api`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await pasteInto(page, '[DEFAULT]\nhost = api\n\n[upgrade_levels]\ncompute = kilp\n');
  await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 10000 });
  const markers = await page.evaluate(() => window.__nulConfMarkers());
  const m = markers.find((x) => x.path.endsWith('api.conf'));
  assert(m && m.line === 5 && /ValueError: invalid literal for int\(\) with base 10: 'kilp'/.test(m.message) && /Did you mean "kilo"\?/.test(m.message), `marker: ${JSON.stringify(markers)}`);
  await page.screenshot({ path: `${RESULTS}/ux-conf-marker.png` });
  await pasteInto(page, '[DEFAULT]\nhost = api\n\n[upgrade_levels]\ncompute = juno\n');
  await page.waitForFunction(() => window.__nulConfMarkers().filter((x) => x.path.endsWith('api.conf')).length === 0);

  // Word wrap is off by default; the settings turn it on and change the font size, and remember it.
  const wrapOff = await page.evaluate(() => window.__nulEditor.getRawOptions().wordWrap);
  assert(wrapOff === 'off', `word wrap off by default: ${wrapOff}`);
  await page.click('.editor-settings summary');
  await page.check('.editor-settings input[type=checkbox]');
  await page.selectOption('.editor-settings select', '16');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.editor-settings:not([open])');
  // The editor takes new options after the settings' render: wait for them, then say what it has if they never come.
  const applied = () => window.__nulEditor.getRawOptions().wordWrap === 'on' && window.__nulEditor.getRawOptions().fontSize === 16;
  await page.waitForFunction(applied, null, { timeout: 10000 }).catch(() => undefined);
  const opts = await page.evaluate(() => ({ wrap: window.__nulEditor.getRawOptions().wordWrap, size: window.__nulEditor.getRawOptions().fontSize }));
  assert(opts.wrap === 'on' && opts.size === 16, `settings applied: ${JSON.stringify(opts)}`);

  // Lesson 10 has more files than tabs fit: a file list reaches every one.
  await page.goto(`${url}#/lesson/your-own-upgrade`);
  await waitForMonaco(page);
  // A hash change keeps the page: wait until lesson 10 and its five files replaced the previous lesson's.
  await page.waitForFunction(
    () =>
      document.querySelector('.lesson-title')?.textContent?.includes('Your own upgrade') &&
      document.querySelectorAll('.file-tabs .tab').length === 5 &&
      document.querySelector('.file-tabs .tab[data-path="conf/compute2.conf"]') !== null,
  );
  const paths = await page.$$eval('.file-tabs .tab', (ts) => ts.map((t) => t.dataset.path));
  if (await page.locator('.file-select select').count()) {
    const options = await page.$$eval('.file-select option', (os) => os.map((o) => o.value));
    assert(paths.every((p) => options.includes(p)), `every file is in the list: ${options}`);
    await page.selectOption('.file-select select', paths[paths.length - 1]);
    await page.waitForFunction((p) => document.querySelector('.file-tabs .tab.active')?.dataset.path === p, paths[paths.length - 1]);
  }
  await page.screenshot({ path: `${RESULTS}/ux-editor-files.png` });
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});
