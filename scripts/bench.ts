/**
 * npm run bench: performance figures, not tests. Runs the messaging and
 * rolling-upgrade benchmarks in Node (worker_threads) and in headless
 * Chromium (Web Workers, against the production build), plus the page
 * figures, prints a table and writes bench-results.json.
 * Flags: --node-only, --browser-only.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { benchCalls, benchCasts, benchRollingUpgrade, rollingUpgradeRatios, type BenchResult } from '../src/runtime/bench/measure';
import { inProcessSpawner } from '../src/runtime/in_process';
import { loadServiceFactory } from '../src/runtime/modules';
import { nodeSpawner } from '../src/runtime/node/spawn';

/**
 * Untimed round trips before a raw ping-pong is timed, so the echo thread's
 * start is not in it (measured: within noise at 2,000 round trips; what
 * moves a raw round trip is whether the cores idle between messages, about
 * 65 µs on a quiet machine and 11 µs with one CPU-bound process beside it).
 */
const WARM_ROUND_TRIPS = 200;

/** Two worker_threads ping-pong a string over a MessageChannel; ms per round trip. */
async function rawNodePingPong(n: number, payloadBytes: number): Promise<number> {
  const echo = new Worker(`const { parentPort } = require('node:worker_threads');
    parentPort.once('message', (port) => port.on('message', (m) => port.postMessage(m)));`, { eval: true });
  const pinger = new Worker(`const { parentPort } = require('node:worker_threads');
    parentPort.once('message', ({ port, n, warm, payload }) => {
      let i = 0; let t0 = performance.now();
      port.on('message', () => {
        if (++i === warm) t0 = performance.now();
        if (i === warm + n) parentPort.postMessage((performance.now() - t0) / n); else port.postMessage(payload);
      });
      port.postMessage(payload);
    });`, { eval: true });
  const { port1, port2 } = new MessageChannel();
  echo.postMessage(port2, [port2]);
  const result = new Promise<number>((r) => pinger.once('message', r));
  pinger.postMessage({ port: port1, n, warm: WARM_ROUND_TRIPS, payload: 'x'.repeat(payloadBytes) }, [port1]);
  const ms = await result;
  await echo.terminate();
  await pinger.terminate();
  return ms;
}

/** The main thread ping-pongs one worker over a MessageChannel (the broker's hop); ms per round trip. */
async function rawNodeToMain(n: number, payloadBytes: number): Promise<number> {
  const echo = new Worker(`const { parentPort } = require('node:worker_threads');
    parentPort.once('message', (port) => port.on('message', (m) => port.postMessage(m)));`, { eval: true });
  const { port1, port2 } = new MessageChannel();
  echo.postMessage(port2, [port2]);
  const payload = 'x'.repeat(payloadBytes);
  const ms = await new Promise<number>((resolve) => {
    let i = 0;
    let t0 = performance.now();
    port1.on('message', () => {
      if (++i === WARM_ROUND_TRIPS) t0 = performance.now();
      if (i === WARM_ROUND_TRIPS + n) resolve((performance.now() - t0) / n);
      else port1.postMessage(payload);
    });
    port1.postMessage(payload);
  });
  port1.close();
  await echo.terminate();
  return ms;
}

function table(title: string, rows: BenchResult[]): string {
  const w = Math.max(...rows.map((r) => r.name.length));
  return [`\n${title}`, ...rows.map((r) => `  ${r.name.padEnd(w)}  ${r.value.toFixed(r.value < 10 ? 2 : 0).padStart(9)} ${r.unit}${r.note ? `\n    (${r.note})` : ''}`)].join('\n');
}

const results: Record<string, BenchResult[]> = {};
if (!process.argv.includes('--browser-only')) {
  const spawn = nodeSpawner();
  const workers = await benchRollingUpgrade(spawn);
  // The floor: the same scenarios on one thread, no workers at all.
  const inProcess = await benchRollingUpgrade(inProcessSpawner(loadServiceFactory), [1, 8, 32, 64], ' in-process (one thread)');
  const calls = await benchCalls(spawn, rawNodePingPong, rawNodeToMain);
  const brokerRoundTrip = calls.find((r) => r.name.startsWith("raw ping-pong between the broker's thread"))!;
  results.node = [
    ...calls,
    ...(await benchCasts(spawn)),
    ...workers,
    ...inProcess,
    ...rollingUpgradeRatios(workers, inProcess, brokerRoundTrip.value / 1000),
  ];
  console.log(table('Node (worker_threads)', results.node));
  await spawn.close();
}

if (!process.argv.includes('--node-only')) {
  const build = spawnSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  // @ts-expect-error plain JavaScript module shared with the e2e harness
  const { browserBench } = await import('./bench-browser.mjs');
  const browser = (await browserBench()) as Record<string, BenchResult[]>;
  Object.assign(results, browser);
  for (const [k, rows] of Object.entries(browser)) console.log(table(k, rows));
}

// The upgrade planner's matrix (scripts/bench-planner.ts).
const planner = await (await import('./bench-planner')).benchPlanner({ node: !process.argv.includes('--browser-only'), browser: !process.argv.includes('--node-only') });
Object.assign(results, planner);
for (const [k, rows] of Object.entries(planner)) console.log(table(k, rows));

writeFileSync('bench-results.json', `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
console.log('\nwritten to bench-results.json');
process.exit(0);
