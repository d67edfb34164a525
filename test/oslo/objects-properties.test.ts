import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyException } from '../../src/oslo/exception';
import {
  BooleanField,
  DateTimeField,
  DictOfNullableStringsField,
  FloatField,
  IntegerField,
  KiloNovaObject,
  LibertyNovaObject,
  ListOfObjectsField,
  ListOfStringsField,
  NovaObjectSerializer,
  ObjectField,
  ObjectRegistry,
  ObjectWorld,
  pyEquals,
  StringField,
  UUIDField,
  VersionedObject,
  type Primitive,
  type VersionedObjectClass,
} from '../../src/oslo/objects';

class Leaf extends KiloNovaObject {
  static override VERSION = '1.2';
  static override fields = { n: IntegerField(), s: StringField({ nullable: true }) };
  static override obj_name() {
    return 'Leaf';
  }
}
class Rich extends KiloNovaObject {
  static override VERSION = '1.4';
  static override fields = {
    id: IntegerField(),
    uuid: UUIDField(),
    host: StringField({ nullable: true }),
    ratio: FloatField({ nullable: true }),
    locked: BooleanField({ default: false }),
    created_at: DateTimeField({ nullable: true }),
    metadata: DictOfNullableStringsField(),
    tags: ListOfStringsField(),
    leaf: new ObjectField('Leaf', { nullable: true }),
    leaves: new ListOfObjectsField('Leaf'),
  };
  static override obj_relationships = {
    leaf: [['1.0', '1.2']] as Array<[string, string]>,
    leaves: [['1.0', '1.2']] as Array<[string, string]>,
  };
  static override obj_name() {
    return 'Rich';
  }
}

const leafArb = fc.record({ n: fc.integer(), s: fc.option(fc.string(), { nil: null }) }, { requiredKeys: [] }).map((kw) => new Leaf(kw));
const richKwargs = fc.record(
  {
    id: fc.integer(),
    uuid: fc.uuid(),
    host: fc.option(fc.string(), { nil: null }),
    ratio: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
    locked: fc.boolean(),
    created_at: fc.option(
      fc.integer({ min: 0, max: 4102444800 }).map((s) => new Date(s * 1000)),
      { nil: null },
    ),
    metadata: fc.dictionary(fc.string().filter((k) => k !== '__proto__'), fc.option(fc.string(), { nil: null })),
    tags: fc.array(fc.string()),
    leaf: fc.option(leafArb, { nil: null }),
    leaves: fc.array(leafArb, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

function world(...classes: VersionedObjectClass[]) {
  const registry = new ObjectRegistry();
  for (const c of classes) registry.register(c);
  return new ObjectWorld({ registry });
}

describe('properties', () => {
  it('obj_to_primitive -> obj_from_primitive preserves every set field and the change list', () => {
    const w = world(Rich, Leaf);
    fc.assert(
      fc.property(richKwargs, fc.subarray(Object.keys(Rich.fields)), (kw, reset) => {
        const obj = new Rich(kw);
        obj.obj_reset_changes(reset);
        const prim = JSON.parse(JSON.stringify(obj.obj_to_primitive())) as Primitive; // really over the wire
        const back = KiloNovaObject.obj_from_primitive(prim, w, 'ctx');
        for (const name of Object.keys(Rich.fields)) {
          expect(back.obj_attr_is_set(name)).toBe(obj.obj_attr_is_set(name));
          if (!obj.obj_attr_is_set(name)) continue;
          const a = obj.get(name);
          const b = back.get(name);
          if (a instanceof VersionedObject) {
            expect((b as VersionedObject).obj_to_primitive()).toEqual(a.obj_to_primitive());
          } else if (Array.isArray(a) && a[0] instanceof VersionedObject) {
            expect((b as VersionedObject[]).map((x) => x.obj_to_primitive())).toEqual(a.map((x: VersionedObject) => x.obj_to_primitive()));
          } else {
            expect(pyEquals(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, -0)).toBe(true);
          }
        }
        expect(new Set(back.obj_what_changed())).toEqual(new Set(obj.obj_what_changed()));
      }),
      { numRuns: 200 },
    );
  });

  /**
   * A family of releases: parent 1.k has fields f0..fk and a child whose
   * version is 1.floor(k/2) (child 1.c has g0..gc). Each class strips what
   * its older versions lack, like nova's obj_make_compatible overrides.
   */
  function family(base: typeof KiloNovaObject, n: number) {
    const childClasses: VersionedObjectClass[] = [];
    const parentClasses: VersionedObjectClass[] = [];
    const rels: Array<[string, string]> = [];
    for (let k = 0; k <= n; k += 2) rels.push([`1.${k}`, `1.${k / 2}`]);
    for (let c = 0; c <= Math.floor(n / 2); c++) {
      const fields = Object.fromEntries(Array.from({ length: c + 1 }, (_, j) => [`g${j}`, IntegerField()]));
      childClasses.push(
        class extends base {
          static override VERSION = `1.${c}`;
          static override fields = fields;
          static override obj_name() {
            return 'Child';
          }
          override obj_make_compatible(p: Primitive, target: string) {
            super.obj_make_compatible(p, target);
            const minor = Number(target.split('.')[1]);
            for (let j = minor + 1; j <= c; j++) delete p[`g${j}`];
          }
        } as unknown as VersionedObjectClass,
      );
    }
    for (let k = 0; k <= n; k++) {
      const fields: Record<string, unknown> = Object.fromEntries(Array.from({ length: k + 1 }, (_, j) => [`f${j}`, IntegerField()]));
      fields.child = new ObjectField('Child', { nullable: true });
      parentClasses.push(
        class extends base {
          static override VERSION = `1.${k}`;
          static override fields = fields as never;
          static override obj_relationships = { child: rels };
          static override obj_name() {
            return 'Parent';
          }
          override obj_make_compatible(p: Primitive, target: string) {
            super.obj_make_compatible(p, target);
            const minor = Number(target.split('.')[1]);
            for (let j = minor + 1; j <= k; j++) delete p[`f${j}`];
          }
        } as unknown as VersionedObjectClass,
      );
    }
    return { childClasses, parentClasses };
  }

  for (const [label, base, logic] of [
    ['kilo', KiloNovaObject, 'kilo'],
    ['liberty/ovo', LibertyNovaObject, 'liberty'],
  ] as const) {
    it(`${label}: a primitive downgraded to any older version hydrates on a node that only knows it, with no backport`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 7 }), fc.nat(), fc.boolean(), async (n, pick, withChild) => {
          const t = pick % (n + 1);
          const { childClasses, parentClasses } = family(base as typeof KiloNovaObject, n);
          const Newest = parentClasses[n]!;
          const NewestChild = childClasses[childClasses.length - 1]!;
          const kw: Record<string, unknown> = Object.fromEntries(Array.from({ length: n + 1 }, (_, j) => [`f${j}`, j]));
          if (withChild) {
            kw.child = new NewestChild(Object.fromEntries(Array.from({ length: childClasses.length }, (_, j) => [`g${j}`, j])));
          }
          const prim = new Newest(kw).obj_to_primitive(`1.${t}`);
          const receiver = world(parentClasses[t]!, childClasses[Math.floor(t / 2)]!);
          const calls: string[] = [];
          const ser = new NovaObjectSerializer({
            logic,
            world: receiver,
            conductor: {
              async object_backport() {
                calls.push('object_backport');
              },
              async object_backport_versions() {
                calls.push('object_backport_versions');
              },
            },
          });
          const obj = (await ser.deserialize_entity('ctx', JSON.parse(JSON.stringify(prim)))) as VersionedObject;
          expect(calls).toEqual([]);
          expect(obj.cls).toBe(parentClasses[t]);
          expect(obj.VERSION).toBe(`1.${t}`);
          for (let j = 0; j <= t; j++) expect(obj.get(`f${j}`)).toBe(j);
          if (withChild) expect((obj.get('child') as VersionedObject).VERSION).toBe(`1.${Math.floor(t / 2)}`);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('malformed primitives raise the documented PyException, never a crash', async () => {
    const w = world(Rich, Leaf);
    const good = () => new Rich({ id: 1, leaf: new Leaf({ n: 1 }), leaves: [new Leaf({ n: 2 })] }).obj_to_primitive();
    const keys = ['nova_object.name', 'nova_object.namespace', 'nova_object.version', 'nova_object.data'];
    const versionArb = fc.oneof(
      fc.constantFrom('', '1', '1.', '.1', '1..2', 'a.b', '1.2.3.4', '99.0', '1.4.7', '0.1', ' 1.2', '1.x'),
      fc.string(),
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom(...keys) }),
      fc.record({ kind: fc.constant('namespace' as const), value: fc.string() }),
      fc.record({ kind: fc.constant('name' as const), value: fc.string() }),
      fc.record({ kind: fc.constant('version' as const), value: versionArb }),
      fc.record({ kind: fc.constant('data' as const), value: fc.anything() }),
      fc.record({ kind: fc.constant('field' as const), key: fc.constantFrom(...Object.keys(Rich.fields)), value: fc.anything() }),
      fc.record({ kind: fc.constant('changes' as const), value: fc.anything() }),
      fc.record({ kind: fc.constant('whole' as const), value: fc.anything() }),
    );
    const ser = new NovaObjectSerializer({ logic: 'kilo', world: w, conductor: null });
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        let prim: unknown = good();
        const p = prim as Primitive;
        let expected: string | null = null;
        switch (m.kind) {
          case 'drop':
            delete p[m.key];
            expected = 'KeyError';
            break;
          case 'namespace':
            p['nova_object.namespace'] = m.value;
            if (m.value !== 'nova') expected = 'UnsupportedObjectError';
            break;
          case 'name':
            p['nova_object.name'] = m.value;
            if (m.value !== 'Rich') expected = 'UnsupportedObjectError';
            break;
          case 'version':
            p['nova_object.version'] = m.value;
            break;
          case 'data':
            p['nova_object.data'] = m.value;
            break;
          case 'field':
            (p['nova_object.data'] as Primitive)[m.key] = m.value;
            break;
          case 'changes':
            p['nova_object.changes'] = m.value;
            break;
          case 'whole':
            prim = m.value;
            break;
        }
        const attempt = async (fn: () => unknown) => {
          try {
            await fn();
            return null;
          } catch (e) {
            if (!(e instanceof PyException)) throw new Error(`non-Python error for ${JSON.stringify(m)}: ${String(e)}`);
            return e.pyClass;
          }
        };
        const direct = await attempt(() => KiloNovaObject.obj_from_primitive(prim, w));
        const viaSerializer = await attempt(() => ser.deserialize_entity('ctx', prim));
        if (expected) {
          expect(direct).toBe(expected);
          expect(viaSerializer).toBe(m.kind === 'drop' && m.key === 'nova_object.name' ? null : expected);
        }
        if (m.kind === 'version' && typeof m.value === 'string' && direct !== null) {
          // obj_class_from_name: a part that int() refuses ("1.x", "") is Python's
          // ValueError (nova.utils.convert_version_to_tuple); a parseable but
          // incompatible version ("99.0", "-1.0") is IncompatibleObjectVersion.
          const parseable = m.value.split('.').every((part) => /^\s*[+-]?\d+\s*$/.test(part));
          expect(direct).toBe(parseable ? 'IncompatibleObjectVersion' : 'ValueError');
        }
      }),
      { numRuns: 400 },
    );
  });
});
