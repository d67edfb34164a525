import { describe, expect, it } from 'vitest';
import { runAliasResolution, runComputeClientSend } from '../../src/conformance/nova_rpc';

/**
 * The alias_resolution and compute_client_send examples of the shared
 * conformance set, copied as literals, checked with the README's rules
 * (every expected key present and equal; message_args compare as sets).
 */
const CASES = [
  {
    id: 'alias_resolution-001',
    category: 'alias_resolution',
    input: { service: 'compute', client_release: 'kilo', upgrade_level: 'icehouse' },
    expected: { version_cap: '3.23' },
  },
  {
    id: 'alias_resolution-002',
    category: 'alias_resolution',
    input: { service: 'compute', client_release: 'kilo', upgrade_level: 'juno' },
    expected: { version_cap: '3.35' },
  },
  {
    id: 'compute_client_send-001',
    category: 'compute_client_send',
    input: { client_release: 'kilo', upgrade_levels_compute: null, method: 'shelve_offload_instance', routing_inputs: { 'instance.host': 'h1' } },
    expected: { rpc: 'cast', message_version: '4.0', message_args: ['clean_shutdown', 'instance'], outcome: 'sent', server: 'h1' },
  },
  {
    id: 'compute_client_send-002',
    category: 'compute_client_send',
    input: { client_release: 'kilo', upgrade_levels_compute: 'juno', method: 'shelve_offload_instance', routing_inputs: { 'instance.host': 'h1' } },
    expected: { rpc: 'cast', message_version: '3.0', message_args: ['instance'], outcome: 'sent', server: 'h1' },
  },
] as const;

const SET_KEYS = new Set(['message_args']);

function matches(expected: Record<string, unknown>, actual: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([k, v]) => {
    if (!(k in actual)) return false;
    if (SET_KEYS.has(k)) return JSON.stringify([...(v as string[])].sort()) === JSON.stringify([...(actual[k] as string[])].sort());
    return JSON.stringify(v) === JSON.stringify(actual[k]);
  });
}

describe('conformance examples (alias_resolution, compute_client_send)', () => {
  for (const c of CASES) {
    it(c.id, async () => {
      const actual =
        c.category === 'alias_resolution' ? runAliasResolution({ ...c.input }) : await runComputeClientSend({ ...c.input });
      expect(matches(c.expected, actual), JSON.stringify(actual)).toBe(true);
    });
  }
});

describe('alias_resolution rules', () => {
  it('maps aliases of the client release, passes anything else through, unset is no cap', () => {
    expect(runAliasResolution({ service: 'compute', client_release: 'kilo', upgrade_level: 'kilo' })).toEqual({ version_cap: '3.40', comparison_error: null });
    expect(runAliasResolution({ service: 'compute', client_release: 'liberty', upgrade_level: 'kilo' })).toEqual({ version_cap: '4.0', comparison_error: null });
    expect(runAliasResolution({ service: 'compute', client_release: 'juno', upgrade_level: 'kilo' })).toEqual({ version_cap: 'kilo', comparison_error: 'ValueError' });
    expect(runAliasResolution({ service: 'compute', client_release: 'kilo', upgrade_level: '3.38' })).toEqual({ version_cap: '3.38', comparison_error: null });
    expect(runAliasResolution({ service: 'compute', client_release: 'kilo', upgrade_level: null })).toEqual({ version_cap: null, comparison_error: null });
    expect(runAliasResolution({ service: 'compute', client_release: 'kilo', upgrade_level: 'icehouse-compat' })).toEqual({
      version_cap: 'icehouse-compat',
      comparison_error: 'ValueError',
    });
    expect(runAliasResolution({ service: 'conductor', client_release: 'kilo', upgrade_level: 'kilo' }).version_cap).toBe('2.1');
    expect(runAliasResolution({ service: 'scheduler', client_release: 'kilo', upgrade_level: 'juno' }).version_cap).toBe('3.0');
    expect(runAliasResolution({ service: 'cells', client_release: 'kilo', upgrade_level: 'juno' }).version_cap).toBe('1.29');
    expect(runAliasResolution({ service: 'baseapi', client_release: 'liberty', upgrade_level: 'kilo' })).toEqual({ version_cap: 'kilo', comparison_error: 'ValueError' });
  });
});
