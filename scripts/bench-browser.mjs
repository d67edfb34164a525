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

/** First contentful paint, Monaco ready, and Run -> trace complete on the first lesson (cold, then warm). */
async function measurePage(browser, url) {
  const rows = [];
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('.monaco-host[data-ready="true"]', { timeout: 30000 });
  const perf = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    monaco: performance.getEntriesByName('nova-lab:monaco-ready')[0]?.startTime ?? null,
  }));
  if (perf.fcp !== null) rows.push({ name: 'first contentful paint', value: perf.fcp, unit: 'ms' });
  if (perf.monaco !== null) rows.push({ name: 'Monaco ready (from navigation start)', value: perf.monaco, unit: 'ms' });
  for (const label of ['cold workers (first run)', 'warm page (second run)']) {
    const before = Number((await page.evaluate(() => document.body.dataset.runs)) ?? 0);
    const t0 = Date.now();
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before, { timeout: 60000 });
    rows.push({ name: `Run -> trace complete, first lesson, ${label}`, value: Date.now() - t0, unit: 'ms' });
  }
  await context.close();
  return rows;
}
