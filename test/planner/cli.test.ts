/**
 * npm run plan: a plan kept in a file and re-run, the exit codes an
 * operator's script relies on, and the output formats.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const plan = (...args: string[]) => spawnSync('node_modules/.bin/tsx', ['scripts/plan.ts', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

describe('npm run plan', () => {
  it('keeps a plan in a file and re-runs it: same matrix, Markdown, exit 0 when an order is safe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    const file = join(dir, 'juno-kilo.json');
    const first = plan('--from', 'juno', '--to', 'kilo', '--computes', '1', '--pins', 'article', '--workload', 'boot', '--save', file, '--json');
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ from: 'juno', to: 'kilo', computes: 1, computeMode: 'group', pins: ['article'], workload: ['boot'] });
    const again = plan('--plan', file, '--json');
    expect(again.status, again.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(JSON.parse(again.stdout).matrix).toEqual(a.matrix);
    expect(a.matrix.rows).toHaveLength(24);
    expect(a.matrix.safe.article).toContain('scheduler>conductor>computes>api');
    const md = plan('--plan', file, '--markdown', '--concurrency', '1');
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(/^## Upgrade plan: juno → kilo, 1 compute \(as a group\), workload: boot\n/);
  }, 240000);

  it('exits 1 when no order is safe, 2 on a bad plan, saying why', () => {
    const none = plan('--computes', '1', '--pins', 'custom(*.compute=juno,conductor.scheduler=juno)', '--workload', 'boot', '--csv');
    expect(none.status).toBe(1);
    expect(none.stdout.split('\n')[0]).toBe('pins,order,step,upgrade,status,count,requests,first problem');
    const bad = plan('--computes', '12');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('plan: computes: must be a whole number from 1 to 8');
  }, 240000);
});
