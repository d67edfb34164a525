import { assert, openPage, RESULTS, test } from './harness.mjs';

test('the page loads and renders with no console error or failed request', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, url);
  await page.waitForSelector('h1');
  const title = await page.textContent('h1');
  assert(title?.includes('nova-upgrade-lab'), `unexpected heading: ${title}`);
  await page.screenshot({ path: `${RESULTS}/home.png` });
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
});
