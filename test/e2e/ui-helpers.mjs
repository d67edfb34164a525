// Shared helpers for the ui-*.e2e.mjs tests (not a test file itself).
import { readFileSync } from 'node:fs';
import { assert } from './harness.mjs';

/** Waits until the page's simulator is idle: no operation running, the cluster ready. */
export async function waitIdle(page, timeout = 30000) {
  await page.waitForFunction(() => window.__novaLab?.busy && !window.__novaLab.busy() && window.__novaLab.status()?.phase === 'ready', null, { timeout });
}

/**
 * Opens the sandbox with the shipped diagram-tour scenario replayed by the
 * real simulator (through an embed's "Open in" link, as a reader would), and
 * waits until the replay has finished.
 */
export const TOUR = 'index.html?embed=1&view=trace&scenario=diagram-tour';
export async function openTour(page, url) {
  if (!page.url().includes('scenario=diagram-tour')) await page.goto(`${url}${TOUR}`);
  await page.waitForFunction(() => Number(document.body.dataset.replays ?? 0) >= 1, null, { timeout: 60000 });
  const open = page.locator('a', { hasText: 'Open in' });
  await open.hover();
  const href = await open.getAttribute('href');
  if (!href || !href.includes('#share=')) throw new Error(`the embed's Open link carries no state: ${href}`);
  await page.goto(href);
  await page.waitForFunction(() => Number(document.body.dataset.replays ?? 0) >= 1, null, { timeout: 60000 });
  await waitIdle(page);
}

/** Runs axe-core on the page; fails on serious or critical violations. */
export async function axeCheck(page, label) {
  // The pages' Content-Security-Policy refuses inline <script> tags; evaluating the source through DevTools is not subject to it.
  await page.evaluate(readFileSync('node_modules/axe-core/axe.min.js', 'utf8'));
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary?.split('\n')[1]) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(bad.length === 0, `${label}: axe found ${bad.length} serious/critical violation(s):\n${JSON.stringify(bad, null, 2)}`);
  return result;
}

export async function waitForMonaco(page) {
  await page.waitForSelector('.monaco-host[data-ready="true"] .monaco-editor .view-lines', { timeout: 20000 });
}

export async function editorValue(page) {
  return page.evaluate(() => window.__nulEditor.getModel().getValue());
}

/** Replaces the editor's text through the clipboard (exact, see toolchain.md pitfall 9). */
export async function pasteInto(page, text) {
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+A');
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

export async function runs(page) {
  return Number((await page.evaluate(() => document.body.dataset.runs)) ?? 0);
}

export async function runAndWait(page, timeout = 30000) {
  const before = await runs(page);
  await page.click('button.run');
  await page.waitForFunction((b) => Number(document.body.dataset.runs ?? 0) > b, before, { timeout });
}

export function clipboardContext(url) {
  return { permissions: ['clipboard-read', 'clipboard-write'], baseURL: url };
}

/** Two animation frames: the virtualised diagram has drawn the rows now in view. */
export async function frames(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Every arrow of the diagram as "label|outcome", scrolling through it (only rows in view are drawn). */
export async function allArrows(page) {
  const seen = new Set();
  await page.evaluate(() => (document.querySelector('.diagram-scroll').scrollTop = 0));
  for (;;) {
    await frames(page);
    for (const l of await page.$$eval('svg.seq g.msg[data-outcome]', (gs) => gs.map((g) => `${g.querySelector('.label').textContent.trim()}|${g.dataset.outcome}`))) seen.add(l);
    const more = await page.evaluate(() => {
      const el = document.querySelector('.diagram-scroll');
      const before = el.scrollTop;
      el.scrollTop = before + el.clientHeight / 2;
      return el.scrollTop > before;
    });
    if (!more) return [...seen];
  }
}

/** Scrolls the diagram until `selector` is drawn; throws when it is nowhere. */
export async function scrollTo(page, selector) {
  await page.evaluate(() => (document.querySelector('.diagram-scroll').scrollTop = 0));
  for (;;) {
    await frames(page);
    if ((await page.locator(selector).count()) > 0) return page.locator(selector).first();
    const more = await page.evaluate(() => {
      const el = document.querySelector('.diagram-scroll');
      const before = el.scrollTop;
      el.scrollTop = before + el.clientHeight / 2;
      return el.scrollTop > before;
    });
    if (!more) throw new Error(`nothing in the diagram matches ${selector}`);
  }
}

/** After a switch to the dark theme: the page and every editor (its theme follows in an effect) are dark. */
export async function waitForDarkTheme(page) {
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark' && [...document.querySelectorAll('.monaco-editor')].every((e) => e.classList.contains('vs-dark')));
}
