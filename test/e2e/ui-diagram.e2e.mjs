// The sequence diagram and the inspector on the recorded fixture trace.
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { FIXTURE } from './ui-helpers.mjs';

test('ui: the diagram draws the fixture (rejected, capped+backported, replies, refusal, queued) and the inspector shows the clicked message', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}${FIXTURE}#/sandbox`);
  await page.waitForSelector('svg.seq g.msg');
  // Scroll to the top: the view follows the live end.
  await page.evaluate(() => (document.querySelector('.diagram-scroll').scrollTop = 0));
  await page.waitForTimeout(100);
  const labels = await page.$$eval('svg.seq g.msg[data-outcome]', (gs) => gs.map((g) => `${g.querySelector('.label').textContent.trim()}|${g.dataset.outcome}`));
  const has = (prefix, outcome) => labels.some((l) => l.startsWith(prefix) && l.endsWith(`|${outcome}`));
  assert(has('shelve_offload_instance v4.0', 'rejected'), `rejected v4.0 arrow in ${labels.join(', ')}`);
  assert(has('shelve_offload_instance v3.0', 'backported'), 'capped + backported v3.0 arrow');
  assert(has('object_backport v2.0', 'ok'), 'object_backport round trip');
  assert((await page.locator('svg.seq g.reply').count()) >= 1, 'dashed replies (top)');
  await page.evaluate(() => (document.querySelector('.diagram-scroll').scrollTop = 1e6));
  await page.waitForSelector('svg.seq g.reply.o-error');
  await page.waitForSelector('svg.seq g.refused');
  await page.waitForSelector('svg.seq g.msg.waiting');
  await page.screenshot({ path: `${RESULTS}/ui-diagram-bottom.png` });
  await page.evaluate(() => (document.querySelector('.diagram-scroll').scrollTop = 0));
  await page.waitForTimeout(100);
  const legend = await page.textContent('.legend');
  assert(/capped\s*2/.test(legend) && /rejected\s*1/.test(legend), `legend counts: ${legend}`);
  await page.screenshot({ path: `${RESULTS}/ui-diagram-top.png` });

  // Click the capped arrow: the inspector shows version 3.0 and the decisions.
  await page.click('svg.seq g.msg[data-outcome="backported"] >> nth=0');
  await page.waitForSelector('[data-testid="inspector-version"]');
  assert((await page.textContent('[data-testid="inspector-title"]')) === 'cast shelve_offload_instance v3.0', 'inspector title');
  assert((await page.textContent('[data-testid="inspector-version"]')).trim() === '3.0', 'inspector version');
  const decisions = await page.textContent('.decisions');
  assert(decisions.includes("can_send_version('4.0') -> False (version_cap 3.35)"), 'client decision');
  assert(decisions.includes('IncompatibleObjectVersion: Instance 1.19 > 1.15 -> object_backport'), 'object decision');
  assert((await page.textContent('.objects')).includes('Instance'), 'objects listed');
  await page.screenshot({ path: `${RESULTS}/ui-inspector.png` });
  await page.click('.inspector [role=tab] >> text=Wire JSON');
  assert((await page.textContent('.json')).includes('"oslo.message"'), 'wire json');
  assert((await page.textContent('.json')).includes('Instance 1.19'), 'object badge in the tree');

  // The rejected one.
  await page.click('svg.seq g.msg[data-outcome="rejected"]');
  await page.click('.inspector [role=tab] >> text=Decisions');
  assert((await page.textContent('[data-testid="inspector-version"]')).trim() === '4.0', 'v4.0 selected');
  assert((await page.textContent('.decisions')).includes('UnsupportedVersion'), 'dispatch refusal explained');

  // Timeline: back to the start, step, play.
  await page.click('button[aria-label="Go to the first event"]');
  assert((await page.textContent('.clock')).includes(' 1/'), 'cursor at the first row');
  await page.click('button[aria-label="Step forward"]');
  assert((await page.textContent('.clock')).includes(' 2/'), 'stepped');
  await page.click('button[aria-label="Play"]');
  await page.waitForTimeout(700);
  await page.click('button[aria-label="Pause"]');
  assert(!(await page.textContent('.clock')).includes(' 2/'), 'played on');
  await page.click('button[aria-label="Go to the live end"]');

  // Sandbox verbs (recorded-trace session): add a compute, act on an instance.
  const cards = await page.locator('.cards .card:not(.add-card)').count();
  await page.click('text=+ Add compute');
  await page.waitForFunction((n) => document.querySelectorAll('.cards .card:not(.add-card)').length === n + 1, cards);
  await page.click('button[aria-label="Upgrade compute1 to kilo"]');
  await page.waitForSelector('li.card[aria-label^="compute1: nova-compute kilo"]');
  await page.screenshot({ path: `${RESULTS}/ui-sandbox.png` });
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});

test('ui: the diagram stays fast with thousands of events (only the rows in view are drawn)', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}${FIXTURE}#/sandbox`);
  await page.waitForSelector('svg.seq g.msg');
  const t0 = Date.now();
  // ~60 user actions through the recorded-trace session: each adds events.
  for (let i = 0; i < 3; i++) {
    await page.fill('input[aria-label="New instance name"]', `bulk${i}`);
    await page.click('text=+ Create');
  }
  const drawn = await page.locator('svg.seq g').count();
  assert(drawn < 400, `only visible rows are drawn (${drawn} groups)`);
  assert(Date.now() - t0 < 5000, 'responsive');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});
