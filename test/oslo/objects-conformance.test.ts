import { describe, expect, it } from 'vitest';
import { runDeserializeEntity, runKiloSubobjectBackport, runObjClassFromName } from '../../src/conformance/objects';

// Public examples from the shared conformance table (copied, not read at run time),
// plus cases derived the same way from nova's test_objects.py at 2015.1.0.
type Case = { id: string; category: string; input: Record<string, unknown>; expected: Record<string, unknown> };
const EXAMPLES: Case[] = [
  {
    "id": "obj_class_from_name-001",
    "category": "obj_class_from_name",
    "input": {
      "registry": {
        "MyObj": [
          "1.6",
          "1.5"
        ]
      },
      "objname": "MyObj",
      "objver": "1.5"
    },
    "expected": {
      "outcome": "class",
      "class_version": "1.5"
    }
  },
  {
    "id": "obj_class_from_name-002",
    "category": "obj_class_from_name",
    "input": {
      "registry": {
        "MyObj": [
          "1.6",
          "1.5"
        ]
      },
      "objname": "MyObj",
      "objver": "1.1"
    },
    "expected": {
      "outcome": "class",
      "class_version": "1.6"
    }
  },
  {
    "id": "deserialize_entity-001",
    "category": "deserialize_entity",
    "input": {
      "serializer_logic": "kilo",
      "receiver_registry_versions": [
        "1.6"
      ],
      "received_version": "1.25"
    },
    "expected": {
      "backport_call": {
        "method": "object_backport",
        "target_version": "1.6"
      }
    }
  },
  {
    "id": "deserialize_entity-002",
    "category": "deserialize_entity",
    "input": {
      "serializer_logic": "kilo",
      "receiver_registry_versions": [
        "1.6"
      ],
      "received_version": "1.6.0"
    },
    "expected": {
      "backport_call": null,
      "result_class_version": "1.6",
      "object_VERSION_attribute": "1.6.0"
    }
  },
  {
    "id": "kilo_subobject_backport-001",
    "category": "kilo_subobject_backport",
    "input": {
      "relationships": [
        [
          "1.5",
          "1.1"
        ],
        [
          "1.7",
          "1.2"
        ]
      ],
      "child_current_version": "1.2",
      "parent_target_version": "1.8"
    },
    "expected": {
      "action": "keep",
      "child_version": "1.2",
      "child_obj_make_compatible_called": false
    }
  },
  {
    "id": "kilo_subobject_backport-002",
    "category": "kilo_subobject_backport",
    "input": {
      "relationships": [
        [
          "1.5",
          "1.1"
        ],
        [
          "1.7",
          "1.2"
        ]
      ],
      "child_current_version": "1.2",
      "parent_target_version": "1.7"
    },
    "expected": {
      "action": "keep",
      "child_version": "1.2",
      "child_obj_make_compatible_called": false
    }
  }
];

const DERIVED: Case[] = [
  { id: 'ocfn-incompatible', category: 'obj_class_from_name', input: { registry: { MyObj: ['1.6', '1.5'] }, objname: 'MyObj', objver: '1.25' }, expected: { outcome: 'IncompatibleObjectVersion', objname: 'MyObj', objver: '1.25', supported: '1.6' } },
  { id: 'ocfn-unknown', category: 'obj_class_from_name', input: { registry: { MyObj: ['1.6'] }, objname: 'foo', objver: '1.0' }, expected: { outcome: 'UnsupportedObjectError' } },
  { id: 'ocfn-dotzero', category: 'obj_class_from_name', input: { registry: { MyObj: ['1.6', '1.5'] }, objname: 'MyObj', objver: '1.6.0' }, expected: { outcome: 'class', class_version: '1.6' } },
  { id: 'ocfn-major', category: 'obj_class_from_name', input: { registry: { MyObj: ['2.0', '1.3'] }, objname: 'MyObj', objver: '1.2' }, expected: { outcome: 'class', class_version: '1.3' } },
  { id: 'de-revision', category: 'deserialize_entity', input: { serializer_logic: 'kilo', receiver_registry_versions: ['1.6'], received_version: '1.6.1' }, expected: { backport_call: null, result_class_version: '1.6', object_VERSION_attribute: '1.6', retried_with: '1.6' } },
  { id: 'de-passes-revision', category: 'deserialize_entity', input: { serializer_logic: 'kilo', receiver_registry_versions: ['1.6.1'], received_version: '1.7' }, expected: { backport_call: { method: 'object_backport', target_version: '1.6.1' }, retried_with: null } },
  { id: 'de-juno-revision', category: 'deserialize_entity', input: { serializer_logic: 'juno', receiver_registry_versions: ['1.6'], received_version: '1.6.1' }, expected: { backport_call: { method: 'object_backport', target_version: '1.6' }, retried_with: null } },
  { id: 'de-older', category: 'deserialize_entity', input: { serializer_logic: 'juno', receiver_registry_versions: ['1.19', '1.15'], received_version: '1.15' }, expected: { backport_call: null, result_class_version: '1.15', object_VERSION_attribute: '1.15' } },
  { id: 'ksb-1.6', category: 'kilo_subobject_backport', input: { relationships: [['1.5', '1.1'], ['1.7', '1.2']], child_current_version: '1.2', parent_target_version: '1.6' }, expected: { action: 'backport', child_version: '1.1', child_obj_make_compatible_called: true } },
  { id: 'ksb-1.5', category: 'kilo_subobject_backport', input: { relationships: [['1.5', '1.1'], ['1.7', '1.2']], child_current_version: '1.2', parent_target_version: '1.5' }, expected: { action: 'backport', child_version: '1.1', child_obj_make_compatible_called: true } },
  { id: 'ksb-1.4', category: 'kilo_subobject_backport', input: { relationships: [['1.5', '1.1'], ['1.7', '1.2']], child_current_version: '1.2', parent_target_version: '1.4' }, expected: { action: 'remove_field', child_obj_make_compatible_called: false } },
  { id: 'ksb-stale-table', category: 'kilo_subobject_backport', input: { relationships: [['1.0', '1.0']], child_current_version: '1.2', parent_target_version: '1.15' }, expected: { action: 'backport', child_version: '1.0', child_obj_make_compatible_called: true } },
];

/** The README's comparison: every expected key present and equal, recursively. */
function conforms(actual: Record<string, unknown>, expected: Record<string, unknown>) {
  for (const [k, v] of Object.entries(expected)) {
    expect(actual, `key ${k}`).toHaveProperty(k);
    expect(actual[k], `key ${k}`).toEqual(v);
  }
}

describe('conformance: versioned objects', () => {
  for (const c of [...EXAMPLES, ...DERIVED]) {
    it(`${c.id} (${c.category})`, async () => {
      const actual =
        c.category === 'obj_class_from_name'
          ? runObjClassFromName(c.input)
          : c.category === 'deserialize_entity'
            ? await runDeserializeEntity(c.input)
            : runKiloSubobjectBackport(c.input);
      conforms(actual, c.expected);
    });
  }
});
