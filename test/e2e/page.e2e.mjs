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
