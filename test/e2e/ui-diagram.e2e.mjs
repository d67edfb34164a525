// The sequence diagram and the inspector on a real run of scenarios/diagram-tour.json.
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { allArrows, openTour, scrollTo, TOUR, waitIdle } from './ui-helpers.mjs';

test('ui: the diagram draws a real run (rejected, capped+backported, replies, refusal, queued) and the inspector shows the clicked message', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}${TOUR}`);
  await openTour(page, url);
  await page.waitForSelector('svg.seq g.msg');
  const labels = await allArrows(page);
  const has = (prefix, outcome) => labels.some((l) => l.startsWith(prefix) && l.endsWith(`|${outcome}`));
  assert(has('shelve_offload_instance v4.0', 'rejected'), `rejected v4.0 arrow in ${labels.join(', ')}`);
  assert(has('shelve_offload_instance v3.0', 'backported'), 'capped + backported v3.0 arrow');
  assert(has('object_backport v2.0', 'ok'), 'object_backport round trip');
  await scrollTo(page, 'svg.seq g.reply');
  await scrollTo(page, 'svg.seq g.refused');
  await scrollTo(page, 'svg.seq g.msg.waiting');
  await scrollTo(page, 'svg.seq g.reply.o-error');
  await page.screenshot({ path: `${RESULTS}/ui-diagram-bottom.png` });
  const legend = await page.textContent('.legend');
  assert(/capped\s*[1-9]/.test(legend) && /rejected\s*[1-9]/.test(legend), `legend counts: ${legend}`);

  // Click the capped arrow: the inspector shows version 3.0 and the decisions.
  await (await scrollTo(page, 'svg.seq g.msg[data-outcome="backported"]')).click();
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
  await (await scrollTo(page, 'svg.seq g.msg[data-outcome="rejected"]')).click();
  await page.click('.inspector [role=tab] >> text=Decisions');
  assert((await page.textContent('[data-testid="inspector-version"]')).trim() === '4.0', 'v4.0 selected');
  assert((await page.textContent('.decisions')).includes('UnsupportedVersion'), 'dispatch refusal explained');

  // Timeline: back to the start, step, play.
  await page.click('button[aria-label="Go to the first event"]');
  assert((await page.textContent('.clock')).includes(' 1/'), 'cursor at the first row');
  await page.click('button[aria-label="Step forward"]');
  assert((await page.textContent('.clock')).includes(' 2/'), 'stepped');
  await page.click('button[aria-label="Play"]');
  // Playing moves the cursor on (however slowly a loaded machine draws it).
  await page.waitForFunction(() => !document.querySelector('.clock')?.textContent?.includes(' 2/'));
  await page.click('button[aria-label="Pause"]');
  assert(!(await page.textContent('.clock')).includes(' 2/'), 'played on');
  await page.click('button[aria-label="Go to the live end"]');

  // Sandbox verbs on the live cluster: add a compute, upgrade it.
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
  const { page, problems, context } = await openPage(browser, `${url}${TOUR}`);
  await openTour(page, url);
  await page.waitForSelector('svg.seq g.msg');
  const t0 = Date.now();
  // More user actions on the live cluster: each adds events.
  for (let i = 0; i < 3; i++) {
    await page.fill('input[aria-label="New instance name"]', `bulk${i}`);
    await page.click('text=+ Create');
    await waitIdle(page);
  }
  const drawn = await page.locator('svg.seq g').count();
  assert(drawn < 400, `only visible rows are drawn (${drawn} groups)`);
  assert(Date.now() - t0 < 5000, 'responsive');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});
