/**
 * Checks a lesson's nova.conf the way the simulated nova reads it (pure,
 * no DOM, no Monaco): lines NovaConf.parse would refuse, sections and
 * options no simulated service reads, and `[upgrade_levels]` values, each
 * resolved as every rpcapi client does (VERSION_ALIASES.get(value, value),
 * from the release's alias table) and then read as oslo.messaging's
 * version_is_compatible would read the cap (int() on each part).
 */
import { PyValueError } from '../../oslo/exception';
import { pyInt } from '../../oslo/messaging/version';
import type { Release } from '../../nova/releases';
import { resolveVersionCap, versionAliases, type UpgradeLevelService } from '../../nova/upgrade_levels';
import { lt as t } from './conf_strings';

export interface ConfIssue {
  line: number;
  /** 1-based columns, end exclusive. */
  column: number;
  endColumn: number;
  severity: 'error' | 'warning';
  message: string;
}

const UPGRADE_LEVELS: UpgradeLevelService[] = ['compute', 'conductor', 'scheduler', 'cert', 'console', 'consoleauth', 'network', 'cells', 'intercell', 'baseapi'];

/** The options the simulated services read, per section. */
export const KNOWN_OPTIONS: Record<string, readonly string[]> = {
  DEFAULT: ['host', 'rpc_response_timeout', 'shelved_offload_time', 'allow_resize_to_same_host'],
  upgrade_levels: UPGRADE_LEVELS,
  // simulator-only: the fix for nova bug 1579839 (13.1.2 / 14.0.0) on a Mitaka service
  simulator: ['update_service_version_on_start'],
};

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** The closest name (case-insensitive, at most 2 edits away), for "did you mean". */
export function closest(word: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let score = 3;
  for (const n of names) {
    const s = distance(word.toLowerCase(), n.toLowerCase());
    if (s < score) [best, score] = [n, s];
  }
  return best;
}

/**
 * What a version cap does in oslo.messaging's version_is_compatible: null
 * when it reads as a version, else the Python error the first send would raise.
 */
export function capError(cap: string): string | null {
  const parts = cap.split('.');
  try {
    pyInt(parts[0]!);
    if (parts[1] === undefined) return 'IndexError: list index out of range';
    pyInt(parts[1]);
    if (parts[2] !== undefined) pyInt(parts[2]);
    return null;
  } catch (e) {
    return e instanceof PyValueError ? `ValueError: ${e.message}` : String((e as Error).message);
  }
}

const withHint = (message: string, hint: string | null) => (hint ? `${message} ${t('editor.lint.didYouMean', { name: hint })}` : message);

/**
 * Issues in one conf file. `releases`: every release the file's service
 * runs at in the lesson (the start release and any it is upgraded to).
 */
export function lintConf(text: string, releases: readonly Release[]): ConfIssue[] {
  const out: ConfIssue[] = [];
  let section: string | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const start = raw.length - raw.trimStart().length + 1;
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header) {
      section = header[1]!.trim();
      if (!(section in KNOWN_OPTIONS)) {
        out.push({ line, column: start, endColumn: start + trimmed.length, severity: 'warning', message: withHint(t('editor.lint.unknownSection', { section }), closest(section, Object.keys(KNOWN_OPTIONS))) });
      }
      return;
    }
    const kv = /^([A-Za-z0-9_.-]+)(\s*[=:]\s*)(.*)$/.exec(trimmed);
    if (!kv) {
      out.push({ line, column: start, endColumn: start + trimmed.length, severity: 'error', message: t('editor.lint.unparsable') });
      return;
    }
    const [, name, sep, rawValue] = kv as unknown as [string, string, string, string];
    if (section === null) {
      out.push({ line, column: start, endColumn: start + name.length, severity: 'error', message: t('editor.lint.outside', { option: name }) });
      return;
    }
    const known = KNOWN_OPTIONS[section];
    if (!known) return; // the section got its own warning
    if (!known.includes(name)) {
      out.push({ line, column: start, endColumn: start + name.length, severity: 'warning', message: withHint(t('editor.lint.unknownOption', { option: name, section }), closest(name, known)) });
      return;
    }
    const value = rawValue.trim();
    const vcol = start + name.length + sep.length;
    const vend = vcol + Math.max(1, value.length);
    if (section === 'upgrade_levels') {
      // An empty value is no cap at all (the client checks `if version_cap`).
      if (value === '') return;
      const problems: string[] = [];
      const known = new Set<string>();
      for (const release of releases) {
        const aliases = versionAliases(name, release);
        for (const a of Object.keys(aliases)) known.add(a);
        // 13.0.0 ComputeAPI: `auto` is no alias but a cap read from the services table.
        if (release === 'mitaka' && name === 'compute' && value === 'auto') continue;
        const cap = resolveVersionCap(name, release, value)!;
        const err = capError(cap);
        if (err) problems.push(t('editor.lint.capAt', { release, error: err }));
      }
      if (problems.length) {
        const names = [...known];
        const what = names.length ? t('editor.lint.badLevel', { option: name, value, aliases: names.join(', ') }) : t('editor.lint.badLevelNoAlias', { option: name, value });
        out.push({ line, column: vcol, endColumn: vend, severity: 'error', message: withHint(`${what} ${problems.join(' ')}`, closest(value, names)) });
      }
      return;
    }
    if (name === 'rpc_response_timeout') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) out.push({ line, column: vcol, endColumn: vend, severity: 'error', message: t('editor.lint.timeout', { value }) });
    } else if (name === 'shelved_offload_time' && !/^-?\d+$/.test(value)) {
      out.push({ line, column: vcol, endColumn: vend, severity: 'error', message: t('editor.lint.integer', { option: name, value }) });
    } else if (name === 'allow_resize_to_same_host' && !/^(True|False)$/.test(value)) {
      out.push({ line, column: vcol, endColumn: vend, severity: 'warning', message: t('editor.lint.boolean', { option: name, value }) });
    } else if (name === 'host' && value === '') {
      out.push({ line, column: start, endColumn: vend, severity: 'error', message: t('editor.lint.emptyHost') });
    }
  });
  return out;
}

