import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { startPreview } from '../test/e2e/harness.mjs';
const [,, hash, out, codeFile] = process.argv;
const srv = await startPreview(5190);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });
await page.goto(srv.url + hash);
await page.waitForFunction(() => window.__novaLab?.status()?.phase === 'ready', null, { timeout: 60000 });
if (codeFile) {
  await page.waitForSelector('.monaco-host[data-ready="true"] .monaco-editor .view-lines', { timeout: 30000 });
  await page.evaluate((t) => window.__nulEditor.getModel().setValue(t), readFileSync(codeFile, 'utf8'));
  const before = Number(await page.evaluate(() => document.body.dataset.runs ?? 0));
  await page.getByRole('button', { name: /^Run/ }).first().click();
  await page.waitForFunction((b) => Number(document.body.dataset.runs ?? 0) > b && !window.__novaLab.busy(), before, { timeout: 60000 });
}
await page.waitForTimeout(500);
await page.screenshot({ path: out });
await browser.close();
srv.stop();
process.exit(0);
