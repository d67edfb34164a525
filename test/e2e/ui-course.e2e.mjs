// The course's finish line and its two languages: a failed run explains its checks and links the
// event in the diagram, a solving run scrolls the goal into view and leads to the next lesson,
// edits mark the result stale, Reset clears it; the same lesson reads in Chinese and switches back.
import { readFileSync } from 'node:fs';
import { assert, openPage, RESULTS, test } from './harness.mjs';
import { clipboardContext, pasteInto, runAndWait, waitForMonaco } from './ui-helpers.mjs';

/** Is the goal box inside the lesson pane's visible area? */
async function goalInView(page) {
  return page.evaluate(() => {
    const goal = document.querySelector('.goal')?.getBoundingClientRect();
    const pane = document.querySelector('.lesson-scroll')?.getBoundingClientRect();
    return Boolean(goal && pane && goal.top >= pane.top - 1 && goal.top < pane.bottom);
  });
}

test('ui: course finish line: failed checks in sentences with a link to the event, solved scrolls into view and leads on, stale after an edit, cleared by Reset', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}?lang=en#/lesson/anatomy-of-a-message`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  // Read to the end of the text, then run: the misrouted stops fail, and the result comes into view.
  await page.evaluate(() => document.querySelector('.lesson-scroll').scrollTo(0, 1e6));
  await runAndWait(page, 60000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'fail', 'the start code fails');
  await page.waitForFunction(() => {
    const g = document.querySelector('.goal')?.getBoundingClientRect();
    const p = document.querySelector('.lesson-scroll')?.getBoundingClientRect();
    return g && p && g.top >= p.top - 1 && g.top < p.bottom;
  });
  const detail = await page.textContent('.checks li.bad .detail');
  assert(/Expected exactly 1 such event\(s\); the run had 0\./.test(detail), `a sentence, expected vs observed: ${detail}`);
  // The hypervisor check names the log line; its link selects that event in the diagram.
  const link = page.locator('.checks li.bad .event-link').first();
  const id = await link.getAttribute('data-event');
  await link.click();
  assert(/^e\d+$/.test(id ?? ''), `the link names an event: ${id}`);
  // The log line belongs to the misrouted stop_instance: the inspector opens that message.
  await page.waitForFunction(() => (document.querySelector('.inspector')?.textContent ?? '').includes('stop_instance'));
  await page.screenshot({ path: `${RESULTS}/course-failed-en.png` });

  // The solution: Show solution, put it in the editor, run: solved, and the next lesson is one click away.
  await page.click('button:has-text("Show solution")');
  await page.click('button:has-text("Put the solution in the editor")');
  await page.evaluate(() => document.querySelector('.lesson-scroll').scrollTo(0, 1e6));
  await runAndWait(page, 60000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'done', 'the solution solves it');
  await page.waitForSelector('.goal-solved .next-lesson');
  await page.waitForFunction(() => {
    const g = document.querySelector('.goal')?.getBoundingClientRect();
    const p = document.querySelector('.lesson-scroll')?.getBoundingClientRect();
    return g && p && g.top >= p.top - 1 && g.top < p.bottom;
  });
  assert(await goalInView(page), 'the solved goal is in view');
  const next = await page.textContent('.goal-solved .next-lesson');
  assert(next.includes('The server decides'), `leads to lesson 2: ${next}`);
  await page.screenshot({ path: `${RESULTS}/course-solved-en.png` });

  // An edit after the run marks the result stale.
  const sol = readFileSync('lessons/01-anatomy-of-a-message/solution/nova/compute/rpcapi.ts', 'utf8');
  await pasteInto(page, sol + '\n// edited\n');
  await page.waitForSelector('.goal[data-stale="true"] .goal-stale');
  // Reset clears the result.
  await page.click('button:has-text("Reset…")');
  await page.click('button:has-text("Reset every file")');
  await page.waitForSelector('.goal[data-status="todo"]');
  assert((await page.locator('.goal-stale').count()) === 0, 'no stale note once reset');
  // Next lesson.
  await page.click('.lesson-foot .foot-link.right');
  await page.waitForFunction(() => document.querySelector('.lesson-title')?.textContent?.includes('The server decides'));
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 150000 });

test('ui: the course in Chinese: from ?lang=zh-CN, failed checks explained in Chinese, switch back to English from the header, lang kept in share links', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}?lang=zh-CN#/lesson/upgrade-order`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  await page.waitForFunction(() => document.querySelector('.lesson-title')?.textContent?.includes('升级顺序'));
  assert((await page.textContent('.goal-label')).includes('目标'), 'Chinese goal label');
  // The lesson text loads with its lesson: wait for it.
  await page.waitForFunction(() => document.querySelector('.prose')?.textContent?.includes('循环依赖'), null, { timeout: 15000 });
  assert((await page.textContent('header.top')).includes('课程'), 'Chinese header');
  await page.screenshot({ path: `${RESULTS}/course-zh.png` });
  await runAndWait(page, 90000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'fail', 'the article’s order fails');
  const detail = await page.textContent('.checks li.bad .detail');
  assert(/期望/.test(detail), `the failed check in Chinese: ${detail}`);
  await page.screenshot({ path: `${RESULTS}/course-failed-zh.png` });
  // The header's switch: English, remembered, and the share link carries it.
  await page.selectOption('.lang-switch select', 'en');
  await page.waitForFunction(() => document.querySelector('.lesson-title')?.textContent?.includes('Upgrade order'));
  assert((await page.evaluate(() => document.documentElement.lang)) === 'en', 'html lang follows');
  await page.click('.share-btn');
  await page.waitForSelector('#share-url');
  const shared = await page.inputValue('#share-url');
  assert(/[?&]lang=en\b/.test(shared), `the share link carries the language: ${shared.slice(0, 120)}`);
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 150000 });

test('ui: course: a lesson solved in Chinese says so and leads to the next lesson in Chinese', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}?lang=zh-CN#/lesson/pin-the-compute-api`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  await page.click('button:has-text("查看答案")');
  await page.click('button:has-text("把答案放进编辑器")');
  await runAndWait(page, 60000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'done', 'the solution solves it');
  await page.waitForSelector('.goal-solved .next-lesson');
  const next = await page.textContent('.goal-solved');
  assert(next.includes('完成') && next.includes('下一课：新增一个 RPC 参数'), `solved, next lesson in Chinese: ${next}`);
  await page.waitForFunction(() => {
    const g = document.querySelector('.goal')?.getBoundingClientRect();
    const p = document.querySelector('.lesson-scroll')?.getBoundingClientRect();
    return g && p && g.top >= p.top - 1 && g.top < p.bottom;
  });
  await page.screenshot({ path: `${RESULTS}/course-solved-zh.png` });
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 120000 });

test('ui: course: the procedure lesson runs its database steps in the browser (start fails on the schema, the solution passes)', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}?lang=en#/lesson/the-upgrade-procedure`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  await runAndWait(page, 120000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'fail', 'the start plan fails');
  const first = await page.textContent('.checks li.bad .detail');
  assert(/Expected none; the run had \d+/.test(first), `the schema refusal is reported: ${first}`);
  await page.click('button:has-text("Show solution")');
  await page.click('button:has-text("Put the solution in the editor")');
  await runAndWait(page, 120000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'done', 'the procedure passes');
  await page.waitForSelector('.goal-solved');
  assert((await page.textContent('.goal-solved .next-lesson')).includes('Let nova choose the level'), 'the procedure leads to the auto lesson');
  await page.waitForFunction(() => {
    const g = document.querySelector('.goal')?.getBoundingClientRect();
    const p = document.querySelector('.lesson-scroll')?.getBoundingClientRect();
    return g && p && g.top >= p.top - 1 && g.top < p.bottom;
  });
  await page.screenshot({ path: `${RESULTS}/course-procedure-en.png` });
  // A plan that does not parse is refused, and the previous result goes with it.
  await pasteInto(page, '{ "steps": [ ');
  await runAndWait(page, 60000);
  await page.waitForSelector('.banner.error');
  assert((await page.getAttribute('.goal', 'data-status')) === 'todo', 'no result shown for a refused run');
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 300000 });

test('ui: course: the auto lesson (Liberty -> Mitaka, compute = auto) is solved in the browser and ends the course', async ({ browser, url }) => {
  const { page, problems, context } = await openPage(browser, `${url}?lang=en#/lesson/let-nova-choose`, { context: clipboardContext(url) });
  await waitForMonaco(page);
  await page.evaluate(() => localStorage.clear());
  await runAndWait(page, 120000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'fail', 'the hand-pinned start plan fails');
  await page.click('button:has-text("Show solution")');
  await page.click('button:has-text("Put the solution in the editor")');
  await runAndWait(page, 120000);
  assert((await page.getAttribute('.goal', 'data-status')) === 'done', 'auto with the final restarts passes');
  await page.waitForSelector('.goal-solved');
  assert((await page.textContent('.goal-solved')).includes('the course is done'), 'the last lesson ends the course');
  await page.screenshot({ path: `${RESULTS}/course-auto-en.png` });
  assert(problems.length === 0, problems.join('\n'));
  await context.close();
}, { timeout: 300000 });
