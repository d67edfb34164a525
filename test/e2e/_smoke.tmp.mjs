import { startPreview, launchBrowser, openPage } from '/work/main/test/e2e/harness.mjs';
const preview = await startPreview();
const browser = await launchBrowser();
try {
  for (const [name, path, theme] of [['lesson', '#/lesson/sample-pin-compute', 'dark'], ['sandbox', '?session=fixture#/sandbox', 'light'], ['sandbox-real', '#/sandbox', 'dark']]) {
    const { page, problems, context } = await openPage(browser, preview.url + path);
    await page.evaluate((t) => localStorage.setItem('nul:theme', JSON.stringify(t)), theme);
    await page.reload();
    await page.waitForTimeout(name === 'sandbox-real' ? 6000 : 2500);
    await page.screenshot({ path: `/tmp/${name}.png` });
    console.log(name, problems);
    await context.close();
  }
} finally { await browser.close(); preview.stop(); }
