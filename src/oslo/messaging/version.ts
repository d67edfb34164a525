import { PyAttributeError, PyIndexError, PyValueError } from '../exception';

/**
 * Python's int() on a version part: surrounding whitespace and a sign are
 * accepted, anything else raises ValueError with Python's wording.
 */
export function pyInt(part: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(part)) {
    throw new PyValueError(`invalid literal for int() with base 10: '${part}'`);
  }
  return parseInt(part.trim(), 10);
}

function splitVersion(version: string | null | undefined): string[] {
  if (typeof version !== 'string') {
    // What Python says when a None version reaches str.split().
    throw new PyAttributeError(`'NoneType' object has no attribute 'split'`);
  }
  return version.split('.');
}

function part(parts: string[], index: number): string {
  const p = parts[index];
  if (p === undefined) throw new PyIndexError('list index out of range');
  return p;
}

/**
 * oslo.messaging's _utils.version_is_compatible(imp_version, version):
 * may a server (or client cap) implementing `implemented` accept a message
 * at `requested`? Majors must be equal, the requested minor must not be
 * above, and with equal minors the requested revision (third part, 0 when
 * absent) must not be above. Parts are parsed lazily, in the same order as
 * the Python code, so a malformed string raises exactly where Python would
 * (and "2" against "1.0" is simply incompatible, never an error).
 */
export function version_is_compatible(implemented: string, requested: string): boolean {
  const req = splitVersion(requested);
  const imp = splitVersion(implemented);
  const rev = req[2] ?? '0';
  const impRev = imp[2] ?? '0';
  if (pyInt(part(req, 0)) !== pyInt(part(imp, 0))) return false;
  const reqMinor = pyInt(part(req, 1));
  const impMinor = pyInt(part(imp, 1));
  if (reqMinor > impMinor) return false;
  if (reqMinor === impMinor && pyInt(rev) > pyInt(impRev)) return false;
  return true;
}

/** Parse "X.Y" or "X.Y.Z" into numbers; a clear ValueError otherwise. */
export function parseVersion(version: string): [number, number, number] {
  if (typeof version !== 'string' || !/^\d+\.\d+(\.\d+)?$/.test(version)) {
    throw new PyValueError(`Invalid version string '${String(version)}': expected MAJOR.MINOR or MAJOR.MINOR.REVISION`);
  }
  const [a, b, c] = version.split('.').map((x) => parseInt(x, 10));
  return [a!, b!, c ?? 0];
}

/** Order two well-formed versions numerically ("3.9" < "3.35"). */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  for (let i = 0; i < 3; i++) {
    if (pa[i]! !== pb[i]!) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return 0;
}
