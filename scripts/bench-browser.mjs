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

/**
 * Page figures on the built site: first contentful paint, Monaco ready and
 * page open -> cluster ready on a fresh page; then Run -> trace complete for
 * lessons 1 and 5 and lesson 10's solution, cold (the first Run after the page
 * opened) and warm: the second Run, and the median of the second to the
 * fifth (V8 is still optimizing the broker's and the services' code during
 * the second Run; the median is the steady state, the second the reader's
 * first warm Run).
 */
/** Runs per lesson page: the first is cold, the rest warm. */
const RUNS = 5;

async function measurePage(browser, url) {
  const rows = [];
  {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('nova-lab:cluster-ready').length > 0, null, { timeout: 60000 });
    await page.waitForSelector('.monaco-host[data-ready="true"]', { timeout: 60000 });
    const perf = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      monaco: performance.getEntriesByName('nova-lab:monaco-ready')[0]?.startTime ?? null,
      ready: performance.getEntriesByName('nova-lab:cluster-ready')[0]?.startTime ?? null,
    }));
    if (perf.fcp !== null) rows.push({ name: 'first contentful paint (target <= 300)', value: perf.fcp, unit: 'ms' });
    if (perf.ready !== null) rows.push({ name: 'page open -> cluster ready (target <= 1000; npm start serves this same build)', value: perf.ready, unit: 'ms' });
    if (perf.monaco !== null) rows.push({ name: 'Monaco ready, from navigation start (target <= 1500)', value: perf.monaco, unit: 'ms' });
    await context.close();
  }
  const lessons = [
    { slug: null, label: 'lesson 1', solution: false },
    { slug: 'objects-on-the-wire', label: 'lesson 5', solution: false },
    { slug: 'your-own-upgrade', label: "lesson 10's solution", solution: true },
  ];
  for (const l of lessons) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(l.slug ? `${url}#/lesson/${l.slug}` : url);
    await page.waitForSelector('.monaco-host[data-ready="true"]', { timeout: 60000 });
    await page.waitForFunction(() => window.__novaLab?.status?.()?.phase === 'ready' && !window.__novaLab.busy(), null, { timeout: 60000 });
    if (l.solution) {
      await page.getByRole('button', { name: /solution/i }).first().click();
      await page.getByRole('button', { name: /solution in the editor|use the solution/i }).first().click();
    }
    // Long tasks on the page thread during the runs (the broker shares it with the diagram).
    // A Run ends when the page bumps its run counter: a MutationObserver notes the time, and the
    // benchmark polls slowly. Polling on animation frames (Playwright's default) made the page
    // draw a frame every 16 ms during each Run, on the thread the broker runs on, and noticed the
    // end up to a frame late: the second Run of lesson 1 read 164.5 ms that way against 146 ms
    // (the same build, 8 + 8 pages, sixth round).
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
      window.__runEnds = [];
      new MutationObserver(() => window.__runEnds.push(performance.now())).observe(document.body, { attributes: true, attributeFilter: ['data-runs'] });
    });
    const runMs = [];
    for (let i = 0; i < RUNS; i++) {
      const before = Number((await page.evaluate(() => document.body.dataset.runs)) ?? 0);
      const t0 = await page.evaluate(() => performance.now());
      await page.keyboard.press('Control+Enter');
      await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before, { timeout: 120000, polling: 100 });
      runMs.push((await page.evaluate(() => window.__runEnds[window.__runEnds.length - 1])) - t0);
      await page.waitForFunction(() => !window.__novaLab.busy(), null, { timeout: 60000, polling: 100 });
    }
    const events = await page.evaluate(() => window.__novaLab.trace().length);
    const long = await page.evaluate(() => window.__longTasks);
    rows.push({ name: `long tasks over 50 ms during the ${RUNS} runs of ${l.label}: count (target 0)`, value: long.length, unit: '' });
    if (long.length) rows.push({ name: `longest task during the runs of ${l.label}`, value: Math.max(...long), unit: 'ms' });
    rows.push({ name: `Run -> trace complete, ${l.label} (${events} events), cold (first Run after opening)`, value: runMs[0], unit: 'ms' });
    rows.push({ name: `Run -> trace complete, ${l.label}, warm (second Run)`, value: runMs[1], unit: 'ms' });
    const warm = runMs.slice(1).sort((a, b) => a - b);
    rows.push({
      name: `Run -> trace complete, ${l.label}, warm (median of Runs 2-${RUNS})`,
      value: (warm[(warm.length - 1) >> 1] + warm[warm.length >> 1]) / 2,
      unit: 'ms',
      note: `Runs 1-${RUNS}: ${runMs.map((x) => Math.round(x)).join(', ')} ms`,
    });
    rows.push({ name: `ratio cold / warm, ${l.label} (target <= 3)`, value: runMs[0] / runMs[1], unit: 'x' });
    await context.close();
  }
  return rows;
}
