import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(p) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*?from\s+['"]([^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1]!,
  );
}

/** The layer a source file belongs to. */
function layerOf(path: string): string {
  return relative(SRC, path).split('/')[0]!;
}

// Each layer may import only itself and the layers below it.
const ALLOWED: Record<string, string[]> = {
  oslo: ['oslo'],
  nova: ['nova', 'oslo'],
  runtime: ['runtime', 'nova', 'oslo'],
  conformance: ['conformance', 'nova', 'oslo'],
  // The planner sits between the runtime and the UI: pure logic, clusters injected.
  planner: ['planner', 'runtime', 'nova', 'oslo'],
  ui: ['ui', 'planner', 'runtime', 'nova', 'oslo'],
};

describe('layers', () => {
  it('the oslo core and the nova model use no DOM, no workers and no Node-only module', () => {
    const offenders: string[] = [];
    for (const f of [...files(join(SRC, 'oslo')), ...files(join(SRC, 'nova'))]) {
      // scheduling.ts feature-detects setImmediate / MessageChannel, globals of Node and browsers alike.
      if (f.endsWith('oslo/scheduling.ts')) continue;
      const text = readFileSync(f, 'utf8');
      for (const spec of imports(f)) if (spec.startsWith('node:') || spec === 'comlink') offenders.push(`${relative(SRC, f)} imports ${spec}`);
      if (/\b(document|window|localStorage|new Worker|importScripts|postMessage)\b/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) {
        offenders.push(`${relative(SRC, f)} touches the DOM or workers`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the planner uses no DOM, no workers and no Node-only module (clusters are injected)', () => {
    const offenders: string[] = [];
    for (const f of files(join(SRC, 'planner'))) {
      const text = readFileSync(f, 'utf8');
      for (const spec of imports(f)) if (spec.startsWith('node:') || spec === 'comlink') offenders.push(`${relative(SRC, f)} imports ${spec}`);
      if (/\b(document|window|localStorage|new Worker|importScripts|postMessage)\b/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) offenders.push(`${relative(SRC, f)} touches the DOM or workers`);
    }
    expect(offenders).toEqual([]);
  });

  it('every import goes to the same layer or a layer below', () => {
    const offenders: string[] = [];
    for (const f of files(SRC)) {
      const layer = layerOf(f);
      const allowed = ALLOWED[layer];
      if (!allowed) continue;
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, join(f, '..', spec)).split('/')[0]!;
        if (target.startsWith('..')) continue;
        if (!allowed.includes(target)) offenders.push(`${relative(SRC, f)} (${layer}) imports ${spec} (${target})`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
