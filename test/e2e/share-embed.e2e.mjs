// Share links and embedding: lesson and sandbox round trips in fresh
// browser contexts, damaged links, the saved-work question, the embed demo
// page, the site under a sub-path, and the site with the network cut off.
import { readdirSync } from 'node:fs';
import LZString from 'lz-string';
import { assert, isExpectedAbort, openPage, RESULTS, test } from './harness.mjs';
import { clipboardContext, editorValue, pasteInto, runAndWait, waitForMonaco } from './ui-helpers.mjs';
import { serveStatic } from './static-server.mjs';

const trace = (page) => page.evaluate(() => window.__novaLab.trace());
const idle = (page) => page.waitForFunction(() => window.__novaLab && !window.__novaLab.busy(), null, { timeout: 30000 });
const counter = (page, name) => page.evaluate((n) => Number(document.body.dataset[n] ?? 0), name);

function sameTrace(a, b, label) {
  assert(a.length > 5, `${label}: a real trace (${a.length} events)`);
  assert(a.length === b.length, `${label}: ${a.length} vs ${b.length} events`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    assert(x.id === y.id && x.kind === y.kind && x.service === y.service && x.text === y.text, `${label}: event ${i} differs:\n  ${JSON.stringify(x)}\n  ${JSON.stringify(y)}`);
  }
}

/** Tab a few times: the focus must stay in the open dialog. */
async function focusStaysIn(page, selector) {
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    const inside = await page.evaluate((s) => Boolean(document.querySelector(s)?.contains(document.activeElement)), selector);
    assert(inside, `focus left ${selector} after ${i + 1} Tab presses`);
  }
}

/** Opens a lesson, edits its first file, runs it, shares it; returns what the next tests need. */
async function editRunShare(browser, url) {
  const { page, problems, context } = await openPage(browser, url, { context: clipboardContext(url) });
  await page.waitForSelector('.lesson-title');
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  const path = await page.getAttribute('.tab[aria-selected="true"]', 'title');
  const original = await editorValue(page);
  const edited = original + (/\.(ts|js)$/.test(path) ? '\n// shared from the e2e test\n' : '\n# shared from the e2e test\n');
  await pasteInto(page, edited);
  await runAndWait(page);
  await idle(page);
  const before = await trace(page);
  await page.click('button.share-btn');
  await page.waitForSelector('dialog.share-dialog[open]');
  await page.waitForFunction(() => /clipboard/.test(document.querySelector('dialog.share-dialog')?.textContent ?? ''));
  const link = await page.inputValue('#share-url');
  return { page, problems, context, path, original, edited, before, link };
}

test('share: a lesson round trip (edit, run, share, open in a fresh context: same files, same trace)', async ({ browser, url }) => {
  const a = await editRunShare(browser, url);
  assert(/#share=[A-Za-z0-9+\-$]+$/.test(a.link), `a share link: ${a.link.slice(0, 120)}`);
  assert((await a.page.evaluate(() => navigator.clipboard.readText())) === a.link, 'the link is on the clipboard');
  await focusStaysIn(a.page, 'dialog.share-dialog');
  await a.page.screenshot({ path: `${RESULTS}/share-dialog.png` });
  await a.page.keyboard.press('Escape');
  await a.page.waitForSelector('dialog.share-dialog', { state: 'detached' });
  // Focus goes back to Share (waited for: the dialog may settle it a frame after closing).
  const back = await a.page
    .waitForFunction(() => document.activeElement?.classList.contains('share-btn'), null, { timeout: 30000 })
    .then(() => null)
    .catch(() => a.page.evaluate(() => (document.activeElement ? `${document.activeElement.tagName.toLowerCase()}.${[...document.activeElement.classList].join('.')}` : 'nothing')));
  assert(back === null, `focus back on Share (it is on ${back})`);
  assert(a.problems.length === 0, a.problems.join('\n'));

  // A fresh context: no saved work, nothing in common but the link.
  const b = await openPage(browser, a.link, { context: clipboardContext(url) });
  // The link's code opens in the editor and nothing runs until Run is pressed.
  await b.page.waitForFunction(() => Number(document.body.dataset.sharesOpened ?? 0) >= 1, null, { timeout: 40000 });
  await waitForMonaco(b.page);
  assert((await b.page.getAttribute('.tab[aria-selected="true"]', 'title')) === a.path, 'same file open');
  assert((await editorValue(b.page)) === a.edited, 'the shared edit is in the editor');
  assert(/#\/lesson\/[a-z0-9-]+$/.test(b.page.url()), `the hash is the lesson route now: ${b.page.url()}`);
  const banner = await b.page.textContent('.banner');
  assert(banner.includes('Opened a shared link') && banner.includes('Nothing has run'), `says what was opened, and that nothing ran: ${banner}`);
  assert((await counter(b.page, 'runs')) === 0, 'nothing ran on open');
  await b.page.screenshot({ path: `${RESULTS}/share-opened-lesson.png` });
  await runAndWait(b.page);
  await idle(b.page);
  sameTrace(a.before, await trace(b.page), 'lesson round trip');
  assert(b.problems.length === 0, b.problems.join('\n'));
  await b.context.close();
  await a.context.close();
}, { timeout: 150000 });

test('share: with saved edits, opening a link asks; "keep mine" keeps them, "open" backs them up', async ({ browser, url }) => {
  const a = await editRunShare(browser, url);
  await a.page.keyboard.press('Escape');
  // The learner goes on editing (saved after the debounce), then opens the link again.
  const mine = a.original + '\n// my own work, not shared\n';
  await pasteInto(a.page, mine);
  // Saved after the editor's debounce.
  await a.page.waitForFunction((m) => Object.keys(localStorage).some((k) => k.startsWith('nul:edit:') && JSON.parse(localStorage.getItem(k)) === m), mine);
  const savedKeys = await a.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('nul:edit:')));
  assert(savedKeys.length === 1, `one saved edit: ${savedKeys}`);
  await a.page.goto('about:blank');
  await a.page.goto(a.link);
  await a.page.waitForSelector('dialog.conflict-dialog[open]');
  assert((await a.page.textContent('dialog.conflict-dialog')).includes(a.path), 'names the file');
  await focusStaysIn(a.page, 'dialog.conflict-dialog');
  await a.page.screenshot({ path: `${RESULTS}/share-conflict.png` });
  const runs = await counter(a.page, 'runs');
  await a.page.click('button.keep-mine');
  await a.page.waitForSelector('dialog.conflict-dialog', { state: 'detached' });
  await waitForMonaco(a.page);
  assert((await editorValue(a.page)) === mine, 'kept mine in the editor');
  assert((await a.page.evaluate((k) => JSON.parse(localStorage.getItem(k)), savedKeys[0])) === mine, 'kept mine in storage');
  assert((await counter(a.page, 'runs')) === runs, 'nothing ran');
  assert((await a.page.textContent('.banner')).includes('Kept your saved edits'), 'says so');

  // Again, and this time open the shared code: it opens (without running), mine goes to a backup, and comes back.
  await a.page.goto('about:blank');
  await a.page.goto(a.link);
  await a.page.waitForSelector('dialog.conflict-dialog[open]');
  await a.page.click('button.open-shared');
  await a.page.waitForFunction(() => Number(document.body.dataset.sharesOpened ?? 0) >= 1, null, { timeout: 40000 });
  await waitForMonaco(a.page);
  assert((await editorValue(a.page)) === a.edited, 'the shared code is open');
  const backup = await a.page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('nul:backup:')));
  assert(backup && JSON.stringify(JSON.parse(backup[1]).files).includes('my own work'), `a backup of mine: ${backup}`);
  await a.page.waitForSelector('.banner button:has-text("Restore my edits")');
  await a.page.click('.banner button:has-text("Restore my edits")');
  assert((await editorValue(a.page)) === mine, 'restored');
  assert(a.problems.length === 0, a.problems.join('\n'));
  await a.context.close();
}, { timeout: 150000 });

test('share: a sandbox round trip (create a server, upgrade a compute, share, open fresh: same trace)', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/sandbox`, { context: clipboardContext(url) });
  await page.waitForSelector('.cards .card');
  await idle(page);
  await page.click('form.create button[type="submit"]');
  await page.waitForSelector('.instances tbody td.mono:has-text("vm1")');
  await idle(page);
  await page.click('button[aria-label="Upgrade compute1 to kilo"]');
  await page.waitForSelector('.card[aria-label^="compute1: nova-compute kilo"]');
  await idle(page);
  await page.click('button[aria-label="Stop compute2"]');
  await idle(page);
  const before = await trace(page);
  await page.click('button.share-btn');
  await page.waitForSelector('dialog.share-dialog[open]');
  const link = await page.inputValue('#share-url');
  assert((await page.textContent('dialog.share-dialog')).includes('3 steps'), 'three steps recorded');
  await page.keyboard.press('Escape');

  const b = await openPage(browser, link);
  await b.page.waitForFunction(() => Number(document.body.dataset.replays ?? 0) >= 1, null, { timeout: 60000 });
  await idle(b.page);
  assert(b.page.url().endsWith('#/sandbox'), 'sandbox route');
  sameTrace(before, await trace(b.page), 'sandbox round trip');
  assert((await b.page.locator('.card[aria-label^="compute1: nova-compute kilo"]').count()) === 1, 'compute1 upgraded');
  assert((await b.page.locator('.card[aria-label="compute2: nova-compute juno, stopped"]').count()) === 1, 'compute2 stopped');
  await b.page.screenshot({ path: `${RESULTS}/share-opened-sandbox.png` });

  // The Embed dialog gives both snippets for this state.
  await b.page.click('button.embed-btn');
  await b.page.waitForSelector('dialog.embed-dialog[open]');
  const script = await b.page.inputValue('#embed-script');
  const iframe = await b.page.inputValue('#embed-iframe');
  assert(/<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js" defer><\/script>/.test(script) && /<nova-upgrade-lab view="cluster,trace,inspector" share="[^"]+"><\/nova-upgrade-lab>/.test(script), script);
  assert(/<iframe src="http:\/\/127\.0\.0\.1:\d+\/index\.html\?embed=1&amp;view=cluster%2Ctrace%2Cinspector#share=/.test(iframe), iframe);
  await b.page.click('dialog.embed-dialog label:has-text("cluster") input');
  assert(!(await b.page.inputValue('#embed-script')).includes('view="cluster'), 'the panes choice changes the snippet');
  await b.page.screenshot({ path: `${RESULTS}/embed-dialog.png` });
  await b.page.keyboard.press('Escape');
  assert(problems.length === 0, problems.join('\n'));
  assert(b.problems.length === 0, b.problems.join('\n'));
  await b.context.close();
  await context.close();
}, { timeout: 150000 });

test('share: damaged, truncated, hostile and oversized links say so, open the default state, run nothing', async ({ browser, url }) => {
  const enc = (o) => LZString.compressToEncodedURIComponent(JSON.stringify(o));
  const good = enc({ v: 1, mode: 'lesson', lesson: 'x', files: { 'conf/api.conf': '[upgrade_levels]\ncompute = juno\n'.repeat(5) } });
  const cases = [
    ['truncated', good.slice(0, Math.floor(good.length / 2))],
    ['garbage', 'not-a-share-link!!'],
    ['hostile', enc({ v: 1, mode: 'sandbox', services: [{ id: 'api', binary: 'nova-api', release: 'kilo', code: { 'nova/compute/rpcapi': 'document.title="pwned"' } }] })],
    ['oversized', 'A'.repeat(250_000)],
  ];
  // The first in a fresh page; the others pasted into the same tab (a hash change).
  const { page, problems, context } = await openPage(browser, `${url}#share=${cases[0][1]}`);
  for (const [i, [label, payload]] of cases.entries()) {
    if (i > 0) {
      await page.click('.banner [aria-label="Dismiss"]');
      await page.evaluate((p) => (location.hash = `#share=${p}`), payload);
    }
    await page.waitForSelector('.banner.error');
    const text = await page.textContent('.banner.error');
    assert(/share link/.test(text) && /first lesson/.test(text), `${label}: a clear message: ${text}`);
    await page.waitForSelector('.lesson-title');
    await page.waitForFunction(() => /#\/$/.test(location.href));
    await page.waitForTimeout(600);
    assert((await page.evaluate(() => Number(document.body.dataset.runs ?? 0))) === 0, `${label}: nothing ran`);
    assert((await page.title()) !== 'pwned', 'nothing from the link ran');
    if (label === 'truncated') {
      await waitForMonaco(page);
      await page.screenshot({ path: `${RESULTS}/share-bad-link.png` });
    }
    if (label === 'hostile') assert(/code is refused/.test(text), `hostile: says why: ${text}`);
    if (label === 'oversized') assert(/too long/.test(text), `oversized: says why: ${text}`);
  }
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 90000 });

test('embed: the demo page shows two live examples that size themselves; embeds never touch saved work', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}embed-demo.html`, { viewport: { width: 1100, height: 900 } });
  const frames = page.locator('nova-upgrade-lab iframe');
  await page.waitForFunction(() => document.querySelectorAll('nova-upgrade-lab iframe').length === 2);
  const initial = await page.evaluate(() => [...document.querySelectorAll('nova-upgrade-lab')].map((e) => Number(e.getAttribute('height'))));
  // Each example has finished its run (not just drawn its first message), and each iframe has taken its content's height.
  for (let i = 0; i < 2; i++) {
    await frames.nth(i).scrollIntoViewIfNeeded();
    const name = i === 0 ? 'shelve-offload-unpinned' : 'shelve-offload-pinned';
    await page.waitForFunction((n) => [...document.querySelectorAll('nova-upgrade-lab iframe')].some((f) => f.src.includes(n)), name);
    let frame = null;
    while (!(frame = page.frames().find((fr) => fr.url().includes(name)))) await page.waitForTimeout(50);
    await frame.waitForFunction(() => Number(document.body.dataset.replays ?? 0) >= 1 && window.__novaLab?.busy && !window.__novaLab.busy(), null, { timeout: 60000 });
  }
  // The sizes are read in the same poll that finds them settled: the content may still grow after
  // the run (a late redraw), and the iframe follows it, so a later second read could race that.
  // Settled means the finished trace is drawn (the diagram holds every event of the trace), not
  // only that the replay ended: the redraw that follows it can come a frame later and change the height.
  const sizes = await (
    await page.waitForFunction(
      () => {
        const out = [...document.querySelectorAll('nova-upgrade-lab iframe')].map((f) => {
          const root = f.contentDocument?.querySelector('.embed-root');
          const events = f.contentWindow?.__novaLab?.trace?.().length ?? 0;
          const drawn = events > 0 && Number(f.contentDocument?.querySelector('svg.seq')?.getAttribute('data-events') ?? -1) === events;
          return { sized: f.dataset.sized === 'true', drawn, height: f.getBoundingClientRect().height, content: root ? root.getBoundingClientRect().height : -1 };
        });
        return out.every((x) => x.sized && x.drawn && x.content > 0 && Math.abs(x.height - (x.content + 2)) <= 1.5) ? out : null;
      },
      null,
      { timeout: 20000 },
    )
  ).jsonValue();
  for (let i = 0; i < 2; i++) {
    assert(Math.abs(sizes[i].height - initial[i]) > 20, `iframe ${i} resized from ${initial[i]} (now ${sizes[i].height})`);
    assert(Math.abs(sizes[i].height - (sizes[i].content + 2)) <= 1.5, `iframe ${i} is as tall as its content: ${sizes[i].height} vs ${sizes[i].content}`);
  }
  // The unpinned example shows the refusal; the pinned one opens the inspector on the capped message.
  const f0 = page.frameLocator('nova-upgrade-lab iframe').nth(0);
  await f0.locator('svg.seq g.msg[data-outcome="rejected"]').first().waitFor();
  const f1 = page.frameLocator('nova-upgrade-lab iframe').nth(1);
  await f1.locator('[data-testid="inspector-title"]').waitFor();
  const footer = await f1.locator('.embed-foot a').getAttribute('href');
  assert(/index\.html#\/$|#share=/.test(footer), `footer link: ${footer}`);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: `${RESULTS}/embed-demo.png`, fullPage: true });
  // "Open in nova-upgrade-lab" carries the example: the full app replays it to the same trace.
  await f1.locator('.embed-foot a').hover();
  const open = await f1.locator('.embed-foot a').getAttribute('href');
  assert(/#share=/.test(open), `the footer link carries the state: ${open.slice(0, 100)}`);
  const embedded = await page.frames().find((fr) => fr.url().includes('shelve-offload-pinned')).evaluate(() => window.__novaLab.trace());
  const b = await openPage(browser, open);
  await b.page.waitForFunction(() => Number(document.body.dataset.replays ?? 0) >= 1, null, { timeout: 60000 });
  await idle(b.page);
  sameTrace(embedded, await trace(b.page), 'embed -> full app');
  await b.context.close();
  // Embeds did not write anything to the learner's storage.
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert(keys.length === 0, `no storage written by the demo: ${keys}`);
  assert(problems.length === 0, problems.join('\n'));
  await context.close();

  // A lesson embed, editable, dark: runs, shows the editor, reads and writes no saved work.
  // (The first lesson, read at run time: the lessons are being rewritten.)
  const slug = readdirSync('lessons').filter((d) => /^\d+-/.test(d)).sort()[0].replace(/^\d+-/, '');
  const c = await openPage(browser, 'about:blank');
  await c.context.addInitScript(() => localStorage.getItem('nul:theme') || localStorage.setItem('nul:theme', '"light"'));
  await c.page.goto(`${url}index.html?embed=1&lesson=${slug}&view=lesson,editor,trace&theme=dark&readonly=1`);
  await c.page.waitForFunction(() => Number(document.body.dataset.runs ?? 0) >= 1, null, { timeout: 40000 });
  await waitForMonaco(c.page);
  assert((await c.page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'theme from the URL');
  assert((await c.page.locator('header.top').count()) === 0, 'no app header');
  assert((await c.page.evaluate(() => Object.keys(localStorage))).join() === 'nul:theme', 'embed wrote nothing');
  await c.page.screenshot({ path: `${RESULTS}/embed-lesson-dark.png`, fullPage: true });
  assert(c.problems.length === 0, c.problems.join('\n'));
  await c.context.close();
}, { timeout: 180000 });

test('hosting: the built site works from a sub-path of a plain static server', async ({ browser }) => {
  const server = await serveStatic({ prefix: '/docs/nova-lab/' });
  try {
    const bad = [];
    const { page, problems, context } = await openPage(browser, server.url);
    page.on('response', (r) => r.status() >= 400 && bad.push(`${r.status()} ${r.url()}`));
    await page.waitForSelector('.lesson-title');
    await waitForMonaco(page);
    const second = await page.getAttribute('.menu li:nth-child(2) a', 'href');
    await page.evaluate((h) => (location.hash = h), second);
    await page.waitForFunction((h) => document.querySelector('.menu a[aria-current="page"]')?.getAttribute('href') === h, second);
    assert(page.url() === `${server.url}${second}`, `lesson under the sub-path: ${page.url()}`);
    await runAndWait(page);
    await idle(page);
    assert((await trace(page)).length > 5, 'a run under the sub-path');
    const demo = await context.newPage();
    demo.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    demo.on('response', (r) => r.status() >= 400 && bad.push(`${r.status()} ${r.url()}`));
    await demo.goto(`${server.url}embed-demo.html`);
    await demo.frameLocator('nova-upgrade-lab iframe').first().locator('svg.seq g.msg').first().waitFor({ timeout: 40000 });
    assert(bad.length === 0, bad.join('\n'));
    assert(problems.length === 0, problems.join('\n'));
    assert(server.requests.every((p) => p.startsWith('/docs/nova-lab/')), `requests outside the sub-path: ${server.requests.filter((p) => !p.startsWith('/docs/nova-lab/'))}`);
    await context.close();
  } finally {
    await server.close();
  }
}, { timeout: 120000 });

test('offline: with every non-local request blocked, the app, Monaco, a run and the demo page work', async ({ browser, url }) => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const blocked = [];
  const problems = [];
  await context.route('**/*', (r) => {
    const u = new URL(r.request().url());
    if (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.protocol === 'data:' || u.protocol === 'blob:') return r.continue();
    blocked.push(u.href);
    return r.abort();
  });
  context.on('requestfailed', (r) => isExpectedAbort(r) || problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await page.waitForSelector('.lesson-title');
  await waitForMonaco(page);
  await runAndWait(page);
  await idle(page);
  assert((await trace(page)).length > 5, 'a run offline');
  await page.goto(`${url}embed-demo.html`);
  for (let i = 0; i < 2; i++) {
    await page.locator('nova-upgrade-lab iframe').nth(i).scrollIntoViewIfNeeded();
    await page.frameLocator('nova-upgrade-lab iframe').nth(i).locator('svg.seq g.msg').first().waitFor({ timeout: 40000 });
  }
  assert(blocked.length === 0, `non-local requests: ${blocked.join('\n')}`);
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 120000 });
