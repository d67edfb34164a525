import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { version_is_compatible, compareVersions } from '../../src/oslo/messaging';
import { PyException } from '../../src/oslo/exception';

describe('version_is_compatible (oslo.messaging _utils)', () => {
  // The pairs of oslo.messaging's own test_utils.py.
  it.each([
    ['1.24', '1.23', true],
    ['1.22', '1.23', false],
    ['2.23', '1.23', false],
    ['1.23', '1.23.1', false],
    ['1.23.2', '1.23.1', true],
    ['1.24', '1.23.1', true],
    ['1.23.0', '1.23', true],
  ])('implemented %s accepts %s: %s', (imp, req, ok) => {
    expect(version_is_compatible(imp, req)).toBe(ok);
  });

  it('compares minors as integers, not strings', () => {
    expect(version_is_compatible('3.35', '3.9')).toBe(true);
    expect(version_is_compatible('3.9', '3.35')).toBe(false);
  });

  it('ignores parts after the revision', () => {
    expect(version_is_compatible('1.2.3', '1.2.3.99')).toBe(true);
  });

  it('raises ValueError on a non-numeric part, IndexError on a one-part version with the same major', () => {
    expect(() => version_is_compatible('1.0', 'juno')).toThrowError(/invalid literal for int\(\) with base 10: 'juno'/);
    expect(() => version_is_compatible('1.0', '1')).toThrowError(/list index out of range/);
    try {
      version_is_compatible('3.35', 'kilo');
    } catch (e) {
      expect(e).toBeInstanceOf(PyException);
      expect((e as PyException).pyClass).toBe('ValueError');
    }
  });

  it('is lazy like Python: a different major answers before the minor is parsed', () => {
    expect(version_is_compatible('1.0', '2')).toBe(false);
    expect(version_is_compatible('1.3', '1.2.x')).toBe(true);
  });

  const version = fc
    .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }))
    .map(([a, b, c]) => (c === undefined ? `${a}.${b}` : `${a}.${b}.${c}`));

  it('is reflexive', () => {
    fc.assert(fc.property(version, (v) => version_is_compatible(v, v)));
  });

  it('within a major, accepts exactly the versions not above the implemented one', () => {
    fc.assert(
      fc.property(version, version, (imp, req) => {
        const sameMajor = imp.split('.')[0] === req.split('.')[0];
        const expected = sameMajor && compareVersions(req, imp) <= 0;
        return version_is_compatible(imp, req) === expected;
      }),
    );
  });

  it('is transitive along a chain of caps', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        if (version_is_compatible(a, b) && version_is_compatible(b, c)) return version_is_compatible(a, c);
        return true;
      }),
    );
  });
});
