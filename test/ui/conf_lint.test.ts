import { describe, expect, it } from 'vitest';
import { capError, closest, lintConf } from '../../src/ui/editor/conf_lint';
import { NovaConf } from '../../src/nova/conf';
import { resolveVersionCap } from '../../src/nova/upgrade_levels';

const conf = (body: string) => `[DEFAULT]\nhost = api\n\n[upgrade_levels]\n${body}\n`;

describe('nova.conf checks', () => {
  it('accepts the lesson files and their solutions', () => {
    expect(lintConf(conf('# pinned\ncompute = juno'), ['kilo'])).toEqual([]);
    expect(lintConf(conf('compute = 3.35\nconductor = 2.0\nscheduler ='), ['juno', 'kilo'])).toEqual([]);
    expect(lintConf('[DEFAULT]\nhost = compute1\n\n[upgrade_levels]\n', ['juno'])).toEqual([]);
  });

  it('marks a typo in an [upgrade_levels] value, where nova would fail (ValueError from int())', () => {
    const [issue, ...rest] = lintConf(conf('compute = kilp'), ['kilo']);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ line: 5, column: 11, endColumn: 15, severity: 'error' });
    expect(issue!.message).toContain("ValueError: invalid literal for int() with base 10: 'kilp'");
    expect(issue!.message).toContain('Did you mean "kilo"?');
    // The same value the model resolves: used verbatim.
    expect(resolveVersionCap('compute', 'kilo', 'kilp')).toBe('kilp');
  });

  it('checks aliases against every release the service runs at', () => {
    // Juno's ComputeAPI has no "kilo" alias: a Juno service would use "kilo" verbatim.
    const [issue] = lintConf(conf('compute = kilo'), ['juno', 'kilo']);
    expect(issue!.severity).toBe('error');
    expect(issue!.message).toContain('At juno');
    expect(lintConf(conf('compute = kilo'), ['kilo', 'liberty'])).toEqual([]);
  });

  it('reads versions as oslo.messaging does', () => {
    expect(capError('3.35')).toBeNull();
    expect(capError('3.35.1')).toBeNull();
    expect(capError('3')).toBe('IndexError: list index out of range');
    expect(capError('3.x')).toMatch(/^ValueError/);
    expect(lintConf(conf('compute = 4'), ['liberty'])[0]!.message).toContain('IndexError');
  });

  it('warns about sections and options no service reads, with a suggestion', () => {
    const issues = lintConf('[DEFAULT]\nhost = api\n[upgrade_level]\ncompute = juno\n[upgrade_levels]\ncomptue = juno\n', ['kilo']);
    expect(issues.map((i) => [i.line, i.severity])).toEqual([
      [3, 'warning'],
      [6, 'warning'],
    ]);
    expect(issues[0]!.message).toContain('"upgrade_levels"');
    expect(issues[1]!.message).toContain('"compute"');
    expect(closest('xyzzy', ['compute'])).toBeNull();
  });

  it('flags what NovaConf.parse refuses as errors', () => {
    const text = 'compute = juno\n[DEFAULT]\nthis is not ini\n';
    expect(() => NovaConf.parse(text)).toThrow();
    expect(lintConf(text, ['kilo']).map((i) => [i.line, i.severity])).toEqual([
      [1, 'error'],
      [3, 'error'],
    ]);
    expect(lintConf('[DEFAULT]\nrpc_response_timeout = soon\n', ['kilo'])[0]!.severity).toBe('error');
  });
});

describe('nova.conf messages', () => {
  it('have an English and a Chinese text with the same placeholders', async () => {
    const { LINT_STRINGS } = await import('../../src/ui/editor/conf_strings');
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, e] of Object.entries(LINT_STRINGS)) {
      expect(e.en.trim(), key).not.toBe('');
      expect(e.zh.trim(), key).not.toBe('');
      expect(ph(e.zh), key).toEqual(ph(e.en));
    }
  });
});
