import { describe, expect, it } from 'vitest';
import { ADAPTERS, matches, runCase, type ConformanceCase } from '../../src/conformance';
import { runInstanceBackportKilo, runListBackportKilo } from '../../src/conformance/nova_objects';

// The public examples of the two categories, copied as literals.
const SUB = {
  fault: '1.2', flavor: '1.1', old_flavor: '1.1', new_flavor: '1.1', info_cache: '1.5', numa_topology: '1.1',
  pci_devices: '1.1', pci_requests: '1.1', security_groups: '1.0', tags: '1.0', vcpu_model: '1.0',
};
const CASES: ConformanceCase[] = [
  {
    id: 'instance_backport_kilo-001',
    category: 'instance_backport_kilo',
    input: { sender_release: 'kilo', object: 'Instance', object_version: '1.19', all_fields_set: true, subobject_current_versions: SUB, target_version: '1.19' },
    expected: {
      envelope_version: '1.19',
      removed_fields: [],
      subobject_versions: {
        fault: '1.0', flavor: '1.1', info_cache: '1.5', new_flavor: '1.1', numa_topology: '1.0', old_flavor: '1.1',
        pci_devices: '1.1', pci_requests: '1.1', security_groups: '1.0', tags: '1.0', vcpu_model: '1.0',
      },
      subobjects_backported: ['fault', 'numa_topology'],
      strings_ascii_encoded: false,
      flavor_folded_into_system_metadata: false,
      scalar_fields_kept_even_if_newer: [],
    },
  },
  {
    id: 'instance_backport_kilo-002',
    category: 'instance_backport_kilo',
    input: { sender_release: 'kilo', object: 'Instance', object_version: '1.19', all_fields_set: true, subobject_current_versions: SUB, target_version: '1.18' },
    expected: {
      envelope_version: '1.18',
      removed_fields: ['vcpu_model'],
      subobject_versions: {
        fault: '1.0', flavor: '1.1', info_cache: '1.5', new_flavor: '1.1', numa_topology: '1.0', old_flavor: '1.1',
        pci_devices: '1.1', pci_requests: '1.1', security_groups: '1.0', tags: '1.0',
      },
      subobjects_backported: ['fault', 'numa_topology'],
      strings_ascii_encoded: false,
      flavor_folded_into_system_metadata: false,
      scalar_fields_kept_even_if_newer: [],
    },
  },
  {
    id: 'list_backport_kilo-001',
    category: 'list_backport_kilo',
    input: { sender_release: 'kilo', object: 'InstanceList', object_version: '1.16', target_version: '1.16', element_count: 2 },
    expected: { envelope_version: '1.16', element_version: '1.19', element_versions_all_equal: true },
  },
  {
    id: 'list_backport_kilo-002',
    category: 'list_backport_kilo',
    input: { sender_release: 'kilo', object: 'InstanceList', object_version: '1.16', target_version: '1.15', element_count: 2 },
    expected: { envelope_version: '1.15', element_version: '1.19', element_versions_all_equal: true },
  },
];

describe('nova object conformance examples', () => {
  it('registers both categories with the runner', () => {
    expect(ADAPTERS.instance_backport_kilo).toBe(runInstanceBackportKilo);
    expect(ADAPTERS.list_backport_kilo).toBe(runListBackportKilo);
  });
  it.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const line = await runCase(c);
    expect('actual' in line).toBe(true);
    const actual = (line as { actual: Record<string, unknown> }).actual;
    expect(matches(c.expected, actual), `expected ${JSON.stringify(c.expected)}\n got ${JSON.stringify(actual)}`).toBe(true);
  });
});

describe('instance_backport_kilo beyond the examples', () => {
  it('target 1.17: flavors folded with all three prefixes, vcpu_model and flavors removed', () => {
    const a = runInstanceBackportKilo({ all_fields_set: true, subobject_current_versions: SUB, target_version: '1.17' });
    expect(a.flavor_folded_into_system_metadata).toBe(true);
    expect([...(a.system_metadata_keys_added_prefixes as string[])].sort()).toEqual(['instance_type_', 'new_instance_type_', 'old_instance_type_']);
    expect([...(a.removed_fields as string[])].sort()).toEqual(['flavor', 'new_flavor', 'old_flavor', 'vcpu_model']);
  });
  it('target 1.6: strings squashed, scalar fields newer than the target kept', () => {
    const a = runInstanceBackportKilo({ all_fields_set: true, subobject_current_versions: SUB, target_version: '1.6' });
    expect(a.strings_ascii_encoded).toBe(true);
    expect([...(a.scalar_fields_kept_even_if_newer as string[])].sort()).toEqual(['ephemeral_key_uuid']);
  });
  it('fault None stays a None key; pci_requests None is removed below 1.16', () => {
    const a = runInstanceBackportKilo({ set_fields: ['uuid', 'host'], fault_value: null, pci_requests_value: null, target_version: '1.15' });
    expect(a.fault).toBeNull();
    expect([...(a.data_keys as string[])].sort()).toEqual(['fault', 'host', 'uuid']);
    expect(a.removed_fields).toEqual(['pci_requests']);
    expect(a.subobjects_backported).toEqual([]);
  });
  it('a set fault is relabelled 1.0 at every target', () => {
    for (const t of ['1.0', '1.12', '1.19']) {
      const a = runInstanceBackportKilo({ set_fields: ['uuid', 'fault'], target_version: t });
      expect((a.fault as Record<string, unknown>)['nova_object.version']).toBe('1.0');
      expect(a.subobjects_backported).toEqual(['fault']);
    }
  });
  it('no system_metadata: nothing is folded, flavors still removed by the relationship pass', () => {
    const a = runInstanceBackportKilo({ set_fields: ['uuid', 'flavor', 'old_flavor', 'new_flavor'], target_version: '1.17' });
    expect(a.flavor_folded_into_system_metadata).toBe(false);
    expect([...(a.removed_fields as string[])].sort()).toEqual(['flavor', 'new_flavor', 'old_flavor']);
  });
  it('list: a target missing from child_versions ("1.0") sends elements at 1.0', () => {
    expect(runListBackportKilo({ element_count: 3, target_version: '1.0' })).toMatchObject({ envelope_version: '1.0', element_version: '1.0', element_versions_all_equal: true });
    expect(runListBackportKilo({ element_count: 1, target_version: '1.9' })).toMatchObject({ element_version: '1.15' });
    expect(runListBackportKilo({ element_count: 0, target_version: '1.9' })).toMatchObject({ element_version: null });
  });
});
