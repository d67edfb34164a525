import { describe, expect, it } from 'vitest';
import { makeObjectWorld } from '../../src/nova/objects';
import { KiloNovaObject, type VersionedObjectClass } from '../../src/oslo/objects';

/** A registry user code can shape: add an older version, remove one (nova/objects/base.py obj_class_from_name @2015.1.0 picks among what is left). */
describe('shaping a registry', () => {
  it('removing Instance 1.19 from a Kilo world makes 1.19 requests IncompatibleObjectVersion with supported = the newest left', () => {
    const w = makeObjectWorld('kilo');
    const Old = class extends (w.classes.Instance as unknown as typeof KiloNovaObject) {
      static override VERSION = '1.15';
    } as unknown as VersionedObjectClass;
    w.registry.register(Old);
    expect(w.registry.obj_class_from_name('Instance', '1.15')).toBe(Old);
    expect(w.registry.obj_class_from_name('Instance', '1.12').VERSION).toBe('1.19');
    expect(w.registry.unregister('Instance', '1.19')).toBe(true);
    expect(w.registry.latest('Instance')).toBe(Old);
    expect(() => w.registry.obj_class_from_name('Instance', '1.19')).toThrow('Version 1.19 of Instance is not supported');
    expect(w.registry.unregister('Instance', '1.19')).toBe(false);
    expect(w.registry.unregister('Instance')).toBe(true);
    expect(() => w.registry.obj_class_from_name('Instance', '1.0')).toThrow('Unsupported object type Instance');
  });
});
