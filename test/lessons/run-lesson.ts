/**
 * Read a lesson's trace headless:
 *   npx tsx test/lessons/run-lesson.ts 03-pin-the-compute-api [start|solution] [--verbose] [--all]
 * Prints the timeline (object_action traffic and INFO logs hidden unless --all)
 * and one PASS / FAIL line per goal check.
 */
import { formatTimeline } from '../../src/runtime/trace';
import { lessonDirs, loadLesson, runLesson } from './harness';

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
const which = args.includes('solution') ? 'solution' : 'start';
const dir = lessonDirs().find((d) => d === name || d.endsWith(`-${name}`) || d.startsWith(`${name}-`));
if (!dir) {
  console.error(`usage: run-lesson.ts <lesson dir> [start|solution]; lessons: ${lessonDirs().join(', ')}`);
  process.exit(2);
}
const run = await runLesson(loadLesson(dir), which);
const quiet = (text: string) => /object_action|hydrated as|result from conductor|handles object_action|receives object_action/.test(text);
const events = args.includes('--all') ? run.events : run.events.filter((e) => !quiet(e.text) && !(e.kind === 'log' && / INFO /.test(` ${e.text} `)));
console.log(`# ${dir} (${which})\n`);
console.log(formatTimeline(events, { verbose: args.includes('--verbose') }));
console.log('');
for (const r of run.results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.expectation.description ?? r.expectation.expect}: ${r.detail}`);
run.cluster.dispose();
process.exit(run.ok ? 0 : 1);
