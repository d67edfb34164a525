/**
 * Monaco's TypeScript worker, started before Monaco itself. Its 6.9 MB
 * script takes about 0.3 s to load and the first check another 0.2 s, and
 * the first Run waits for that check. Started when Monaco starts loading
 * (after the page's first cluster), it loads on another core while the
 * editor module evaluates on the page thread; Monaco takes it over when it
 * asks for its TypeScript worker (monaco.ts). Messages Monaco posts before
 * the script has run wait in the worker's queue.
 */
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';

let early: Worker | null = null;

/** Start loading the TypeScript worker now (once). */
export function startTsWorker(): void {
  early ??= new TsWorker();
}

/** The worker started early, or a new one (Monaco makes a new one after it ended an idle worker). */
export function takeTsWorker(): Worker {
  const w = early ?? new TsWorker();
  early = null;
  return w;
}
