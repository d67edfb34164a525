// Every screen: a lesson, the sandbox and an embed at phone, tablet and laptop widths.
// Nothing scrolls sideways, every control is reachable, axe is clean; screenshots under test-results/.
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { axeCheck, waitForMonaco } from './ui-helpers.mjs';

const SIZES = [
  { name: '390', viewport: { width: 390, height: 844 } },
  { name: '768', viewport: { width: 768, height: 1024 } },
  { name: '1280', viewport: { width: 1280, height: 800 } },
];

/** Elements wider than the viewport or scrolling sideways (besides the diagram, which scrolls its lanes). */
async function sideways(page) {
  return page.evaluate(() => {
    const out = [];
    const vw = document.documentElement.clientWidth;
    if (document.scrollingElement.scrollWidth > vw + 1) out.push(`page ${document.scrollingElement.scrollWidth} > ${vw}`);
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.diagram-scroll, .lane-heads, .monaco-editor, .file-tabs, .tabs, .json, pre, .editor-fallback, .sr-only, .menu, .pop, .skip-link')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden') continue;
      if (r.right > vw + 1) out.push(`${el.tagName.toLowerCase()}.${String(el.className?.baseVal ?? el.className).split(' ').join('.')} ends at ${Math.round(r.right)} > ${vw}`);
      if ((/(auto|scroll)/.test(st.overflowX) || el.matches('.pane, .sandbox-scroll, .lesson-scroll, .cluster-wrap, .inspector-wrap, .diagram-tools, .diagram-bar')) && el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
    }
    return out.slice(0, 8);
  });
}

async function inView(page, selector) {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  const box = await page.locator(selector).first().boundingBox();
  const vp = page.viewportSize();
  return Boolean(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width + 1 && box.y + box.height <= vp.height + 1);
}

for (const size of SIZES) {
  test(`ux: ${size.name}px: lesson, sandbox and embed fit the width, controls reachable, axe clean`, async ({ browser, url }) => {
    const { page, problems, context } = await openPage(browser, `${url}#/lesson/pin-the-compute-api`, { viewport: size.viewport });
    const narrow = size.viewport.width < 900;
    await page.waitForSelector('.lesson-title');
    await waitForMonaco(page).catch(() => {});
    // The cluster is up (on a phone its cards are folded to the summary line).
    await page.waitForFunction(() => /running/.test(document.querySelector('.cluster-summary')?.textContent ?? ''));
    // Run is always in reach.
    assert(await inView(page, narrow ? 'button.run-tab' : 'button.run'), 'Run is visible');
    assert((await sideways(page)).length === 0, `lesson: ${(await sideways(page)).join('; ')}`);
    await page.screenshot({ path: `${RESULTS}/ux-${size.name}-lesson.png` });
    await axeCheck(page, `lesson at ${size.name}`);
    if (narrow) {
      for (const tab of ['Code', 'Cluster']) {
        await page.click(`.pane-tab >> text=${tab}`);
        // The tab is selected and its pane is the one on screen.
        await page.waitForFunction((t) => {
          const sel = document.querySelector('.pane-tab[aria-selected="true"]');
          const pane = document.querySelector(t === 'Code' ? '.editor-pane' : '.sim-pane');
          return sel?.textContent?.includes(t) && pane && pane.getBoundingClientRect().width > 0;
        }, tab);
        assert((await sideways(page)).length === 0, `lesson ${tab}: ${(await sideways(page)).join('; ')}`);
        await page.screenshot({ path: `${RESULTS}/ux-${size.name}-lesson-${tab.toLowerCase()}.png` });
        await axeCheck(page, `lesson ${tab} tab at ${size.name}`);
      }
      assert(await inView(page, '.diagram'), 'the diagram is on screen in the Cluster tab');
      // The dark theme, with a filter pressed and a message open.
      await page.click('button.theme');
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      if (await page.locator('.diagram-tools').isHidden()) await page.click('.tools-toggle');
      await page.click('button >> text=Hide housekeeping');
      await page.click('.legend .o-ok button');
      await page.click('svg.seq g.msg >> nth=0');
      await page.waitForSelector('[data-testid="inspector-title"]');
      await page.screenshot({ path: `${RESULTS}/ux-${size.name}-lesson-cluster-dark.png` });
      await axeCheck(page, `lesson Cluster tab, dark, at ${size.name}`);
      await page.click('button.theme');
    } else {
      assert(await inView(page, '.diagram-tools'), 'the diagram tools are on screen');
    }

    // The sandbox, after an action (it used to scroll sideways then).
    await page.goto(`${url}#/sandbox`);
    await page.waitForSelector('.sandbox-pane .cards .card');
    await page.fill('input[aria-label="New instance name"]', 'wide-instance-name');
    await page.click('text=+ Create');
    await page.waitForSelector('td.act button');
    assert(await inView(page, 'td.act button'), 'the Go button is inside the screen');
    assert((await sideways(page)).length === 0, `sandbox: ${(await sideways(page)).join('; ')}`);
    await page.screenshot({ path: `${RESULTS}/ux-${size.name}-sandbox.png` });
    await axeCheck(page, `sandbox at ${size.name}`);
    if (narrow) {
      await page.click('.pane-tab >> text=Messages');
      await page.waitForSelector('svg.seq g.msg');
      assert((await sideways(page)).length === 0, `sandbox messages: ${(await sideways(page)).join('; ')}`);
      await page.screenshot({ path: `${RESULTS}/ux-${size.name}-sandbox-messages.png` });
      await axeCheck(page, `sandbox messages at ${size.name}`);
    }

    // An embed of a shipped scenario with every pane.
    await page.goto(`${url}index.html?embed=1&scenario=shelve-offload-pinned&view=cluster,trace,inspector`);
    await page.waitForFunction(() => Number(document.body.dataset.replays ?? 0) > 0, null, { timeout: 60000 });
    await page.waitForSelector('svg.seq g.msg');
    assert((await sideways(page)).length === 0, `embed: ${(await sideways(page)).join('; ')}`);
    await page.screenshot({ path: `${RESULTS}/ux-${size.name}-embed.png`, fullPage: true });
    await axeCheck(page, `embed at ${size.name}`);
    assert(problems.length === 0, problems.join('\n'));
    await context.close();
  }, { timeout: 150000 });
}

test('ux: a shared sandbox says so in the preset list; zh-CN strings in the diagram, inspector and cluster', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/sandbox`, { context: { permissions: ['clipboard-read', 'clipboard-write'], baseURL: url } });
  await page.waitForSelector('.sandbox-pane .cards .card');
  await page.waitForFunction(() => !window.__novaLab.busy());
  await page.click('button[aria-label="Upgrade api to kilo"]');
  await page.waitForSelector('li.card[aria-label^="api: nova-api kilo"]');
  await page.waitForFunction(() => !window.__novaLab.busy());
  await page.click('button.share-btn');
  await page.waitForSelector('dialog.share-dialog[open]');
  const link = await page.inputValue('#share-url');
  await page.keyboard.press('Escape');

  // The link carries the sharer's language (?lang=en): the reader opens it in Chinese.
  const zh = new URL(link);
  zh.searchParams.set('lang', 'zh-CN');
  const b = await openPage(browser, zh.href, { viewport: { width: 390, height: 844 } });
  await b.page.waitForFunction(() => Number(document.body.dataset.replays ?? 0) >= 1, null, { timeout: 60000 });
  assert((await b.page.getAttribute('html', 'lang')) === 'zh-CN', `the page is in Chinese: ${await b.page.getAttribute('html', 'lang')}`);
  // The cluster preset list (the header's language list is a select too).
  const preset = await b.page.$eval('.sandbox-pane form.preset select', (s) => s.selectedOptions[0].textContent);
  assert(/分享的集群/.test(preset), `the preset names the shared cluster: ${preset}`);
  assert((await b.page.textContent('.pane-tabs')).includes('集群'), 'tabs in Chinese');
  await b.page.click('.pane-tab >> nth=1');
  await b.page.waitForSelector('svg.seq g.msg');
  assert((await b.page.textContent('.legend')).includes('正常'), 'legend in Chinese');
  await b.page.click('svg.seq g.msg >> nth=0');
  await b.page.waitForSelector('[data-testid="inspector-title"]');
  assert((await b.page.textContent('.inspector')).includes('决定'), 'inspector in Chinese');
  await b.page.screenshot({ path: `${RESULTS}/ux-390-shared-sandbox-zh.png` });
  assert(problems.length === 0 && b.problems.length === 0, [...problems, ...b.problems].join('\n'));
  await b.context.close();
  await context.close();
}, { timeout: 120000 });
