// Shared helpers for the ui-*.e2e.mjs tests (not a test file itself).
import { readFileSync } from 'node:fs';
import { assert } from './harness.mjs';

export const FIXTURE = '?session=fixture';

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
