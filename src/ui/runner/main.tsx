/**
 * The scenario runner page: runs the shipped scenarios in this browser,
 * every nova service in its own Web Worker, and shows each expectation's
 * result. It also serves the end-to-end tests and the browser benchmark.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { browserSpawner } from '../../runtime/browser/spawn';
import { runScenario } from '../../runtime/run_scenario';
import { parseScenario } from '../../runtime/scenario_schema';
import type { Scenario } from '../../runtime/scenario';
import type { ExpectationResult } from '../../runtime/scenario';
import type { TraceEvent } from '../../runtime/trace';
import { benchCalls, benchCasts, benchRollingUpgrade, type BenchResult } from '../../runtime/bench/measure';
import { rawBrowserPingPong, rawPageToWorker } from './raw_ping';
import './runner.css';

const files = import.meta.glob('../../../scenarios/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;
const SCENARIOS: Record<string, Scenario> = Object.fromEntries(
  Object.entries(files).map(([path, json]) => [path.split('/').pop()!.replace(/\.json$/, ''), parseScenario(json)]),
);

export interface RunReport {
  name: string;
  ok: boolean;
  results: ExpectationResult[];
  events: TraceEvent[];
  ms: number;
}

/** One warm worker pool for every run on this page, as the playground has. */
const pageSpawner = browserSpawner();

async function run(name: string): Promise<RunReport> {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`no scenario ${name}`);
  const t0 = performance.now();
  const r = await runScenario(scenario, { spawn: pageSpawner });
  r.cluster.dispose();
  return { name, ok: r.ok, results: r.results, events: r.events, ms: performance.now() - t0 };
}

async function bench(): Promise<Record<string, BenchResult[]>> {
  const spawn = pageSpawner;
  return {
    'Chromium (Web Workers)': [
      ...(await benchCalls(spawn, rawBrowserPingPong, rawPageToWorker)),
      ...(await benchCasts(spawn)),
      ...(await benchRollingUpgrade(spawn, [1, 8, 32, 64])),
    ],
  };
}

declare global {
  interface Window {
    novaLab: { scenarios: string[]; run: typeof run; bench: typeof bench };
  }
}
window.novaLab = { scenarios: Object.keys(SCENARIOS), run, bench };

function Runner() {
  const [reports, setReports] = useState<Record<string, RunReport | 'running' | string>>({});
  const start = async (name: string) => {
    setReports((r) => ({ ...r, [name]: 'running' }));
    try {
      const report = await run(name);
      setReports((r) => ({ ...r, [name]: report }));
    } catch (err) {
      setReports((r) => ({ ...r, [name]: `error: ${(err as Error).message}` }));
    }
  };
  const runAll = async () => {
    for (const name of Object.keys(SCENARIOS)) await start(name);
  };
  return (
    <main class="runner">
      <header>
        <h1>Scenario runner</h1>
        <p>
          Each scenario below starts its nova services in Web Workers in this tab, runs its steps and checks what real nova
          would do. <a href="./">Back to the playground</a>
        </p>
        <button type="button" onClick={runAll}>
          Run all
        </button>
      </header>
      {Object.entries(SCENARIOS).map(([name, s]) => {
        const rep = reports[name];
        return (
          <section key={name} class="scenario" data-scenario={name} data-state={typeof rep === 'object' ? (rep.ok ? 'pass' : 'fail') : (rep ?? 'idle')}>
            <h2>{s.title}</h2>
            {s.description && <p>{s.description}</p>}
            <button type="button" onClick={() => start(name)} aria-label={`Run ${s.title}`}>
              Run
            </button>
            {rep === 'running' && <p class="status">running…</p>}
            {typeof rep === 'string' && rep !== 'running' && <p class="status fail">{rep}</p>}
            {typeof rep === 'object' && (
              <>
                <p class={`status ${rep.ok ? 'pass' : 'fail'}`}>
                  {rep.ok ? 'PASS' : 'FAIL'} · {rep.events.length} trace events · {Math.round(rep.ms)} ms
                </p>
                <ul>
                  {rep.results.map((r, i) => (
                    <li key={i} class={r.ok ? 'pass' : 'fail'}>
                      {r.ok ? '✓' : '✗'} {r.expectation.description ?? r.expectation.expect}: {r.detail}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        );
      })}
    </main>
  );
}

render(<Runner />, document.getElementById('runner')!);
