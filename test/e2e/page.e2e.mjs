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

test('the initial page loads at most 100 KB of gzipped JavaScript before Monaco', async () => {
  const { readFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const html = readFileSync('dist/index.html', 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  assert(scripts.length > 0, 'index.html loads scripts');
  assert(!scripts.some((s) => /monaco|editor\.api/.test(s)), `no Monaco in the initial page: ${scripts.join(', ')}`);
  const total = scripts.reduce((n, s) => n + gzipSync(readFileSync(`dist/${s}`), { level: 6 }).length, 0);
  assert(total <= 100 * 1024, `initial JavaScript is ${(total / 1024).toFixed(1)} KB gzip (budget 100 KB): ${scripts.join(', ')}`);
});

test('before the app script runs: the header is drawn in the saved theme, and embeds show no header', async ({ browser, url }) => {
  // The app's own scripts are held back, so what shows is index.html and boot.js alone.
  const context = await browser.newContext({ colorScheme: 'light' });
  await context.addInitScript(() => localStorage.setItem('nul:theme', JSON.stringify('dark')));
  const page = await context.newPage();
  await page.route(/\/assets\/.*\.js$/, (route) => route.abort());
  await page.goto(url);
  await page.waitForSelector('.app-shell h1');
  assert((await page.textContent('.app-shell h1')) === 'nova-upgrade-lab', 'the static header names the product');
  assert((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'the saved theme, not the OS preference');
  assert(await page.isVisible('.app-shell header'), 'the header is on screen');
  await page.goto(`${url}index.html?embed=1&theme=light&scenario=shelve-offload-pinned`);
  await page.waitForSelector('.app-shell', { state: 'attached' });
  assert((await page.evaluate(() => document.documentElement.dataset.theme)) === 'light', "an embed's theme comes from its URL");
  assert(!(await page.isVisible('.app-shell header')), 'an embed shows no static header');
  // With its scripts, the app replaces the static header with its own.
  await page.unroute(/\/assets\/.*\.js$/);
  await page.goto(url);
  await page.waitForSelector('header.top nav');
  assert((await page.locator('.app-shell').count()) === 0, 'the static header is gone once the app renders');
  await context.close();
});
