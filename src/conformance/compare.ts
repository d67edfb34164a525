/**
 * The comparison rule of the conformance table: every key of `expected`
 * must be in `actual` and equal, recursively (extra keys allowed); lists
 * under set-like keys compare as sorted lists.
 */
export const SETLIKE = new Set([
  'message_args',
  'removed_fields',
  'data_keys',
  'fields_set',
  'subobjects_backported',
  'system_metadata_keys_added_prefixes',
  'updates_keys_include',
  'methods',
  'scalar_fields_kept_even_if_newer',
  // round 2
  'message_keys',
  'wire_keys',
  'envelope_keys',
  'failure_keys',
  'reply_wire_keys',
  'updates_keys',
  'obj_what_changed',
]);

export function matches(expected: unknown, actual: unknown, key?: string): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(
      ([k, v]) => k in (actual as Record<string, unknown>) && matches(v, (actual as Record<string, unknown>)[k], k),
    );
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    let e = expected;
    let a = actual;
    if (key && SETLIKE.has(key)) {
      const sortable = (xs: unknown[]) => xs.every((x) => typeof x === 'string' || typeof x === 'number');
      if (sortable(e) && sortable(a)) {
        e = [...e].sort();
        a = [...a].sort();
      }
    }
    return e.every((item, i) => matches(item, a[i]));
  }
  return expected === actual;
}
