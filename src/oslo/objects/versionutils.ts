/**
 * Object version helpers, as nova.utils / oslo versionutils use them.
 *
 * Two parsers on purpose:
 * - convert_version_to_tuple is strict (int() of every dotted part), like
 *   nova.utils.convert_version_to_tuple: a bad part is a ValueError.
 * - is_compatible mirrors versionutils.is_compatible, which went through
 *   pkg_resources.parse_version: trailing ".0" parts do not count
 *   ("1.6.0" == "1.6") and it never raises; a string that is not dotted
 *   integers is simply not compatible with anything it does not equal.
 */
import { PyTypeError, PyValueError } from '../exception';

export type VersionTuple = number[];

const INT_PART = /^\s*[+-]?\d+\s*$/;

/** int(part) with Python's wording on failure. */
function pyInt(part: string): number {
  if (!INT_PART.test(part)) {
    throw new PyValueError(`invalid literal for int() with base 10: '${part}'`);
  }
  return parseInt(part.trim(), 10);
}

/** tuple(int(p) for p in version.split('.')) */
export function convert_version_to_tuple(version: unknown): VersionTuple {
  if (typeof version !== 'string') {
    throw new PyTypeError(
      `version must be a string, not ${version === null ? 'NoneType' : typeof version}`,
    );
  }
  return version.split('.').map(pyInt);
}

/** Python tuple ordering: element-wise, then the shorter prefix is smaller. */
export function compare_tuples(a: VersionTuple, b: VersionTuple): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Strict comparison of two version strings as int tuples (ValueError if malformed). */
export function compare_versions(a: string, b: string): number {
  return compare_tuples(convert_version_to_tuple(a), convert_version_to_tuple(b));
}

/** Loose parse used for compatibility: null when not dotted integers; trailing zeros dropped. */
export function parse_version_loose(version: unknown): VersionTuple | null {
  if (typeof version !== 'string' || !/^\d+(\.\d+)*$/.test(version)) return null;
  const parts = version.split('.').map((p) => parseInt(p, 10));
  while (parts.length > 1 && parts[parts.length - 1] === 0) parts.pop();
  return parts;
}

/**
 * True when `current` satisfies `requested` (current >= requested), with the
 * same major number when same_major is set.
 */
export function is_compatible(requested: unknown, current: unknown, same_major = true): boolean {
  const req = parse_version_loose(requested);
  const cur = parse_version_loose(current);
  if (req === null || cur === null) return requested === current && typeof requested === 'string';
  if (same_major && req[0] !== cur[0]) return false;
  return compare_tuples(cur, req) >= 0;
}

/** Number of dots, like Python's str.count('.'). */
export function count_dots(version: string): number {
  return version.split('.').length - 1;
}
