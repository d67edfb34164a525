// The browser half of `npm run bench`: serves the production build, opens
// the runner page in headless Chromium and runs the same benchmarks with
// Web Workers; then measures the playground page itself.
import { launchBrowser, startPreview } from '../test/e2e/harness.mjs';

export async function browserBench() {
  const preview = await startPreview(4174);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${preview.url}runner.html`);
    await page.waitForFunction(() => window.novaLab?.scenarios?.length > 0);
    const results = await page.evaluate(() => window.novaLab.bench());
    await page.close();
    const pageFigures = await measurePage(browser, preview.url);
    return { ...results, 'Playground page (Chromium)': pageFigures };
  } finally {
    await browser.close();
    preview.stop();
  }
}

/** First contentful paint, Monaco ready, Run -> trace complete (filled in once the page exposes them). */
async function measurePage(browser, url) {
  const rows = [];
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForLoadState('load');
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  if (fcp !== null) rows.push({ name: 'first contentful paint', value: fcp, unit: 'ms' });
  const marks = await page
    .waitForFunction(() => window.__novaLabPerf?.monacoReady, null, { timeout: 20000 })
    .then(() => page.evaluate(() => window.__novaLabPerf))
    .catch(() => null);
  if (marks?.monacoReady) rows.push({ name: 'Monaco ready (from navigation start)', value: marks.monacoReady, unit: 'ms' });
  await context.close();
  return rows;
}
