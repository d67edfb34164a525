/**
 * Field types of nova.objects.fields (Kilo) / oslo_versionedobjects.fields.
 *
 * A Field wraps a FieldType and adds nullable / default / read_only. Values
 * live in their natural JS form on the object (DateTime -> Date, Set -> Set,
 * IP addresses -> canonical strings) and in JSON-able form on the wire.
 * Coercion failures raise the Python exception class nova raises
 * (ValueError mostly, TypeError where int() would), with nova's wording.
 */
import { PyException, PyTypeError, PyValueError } from '../exception';

/** Marks VersionedObject instances without importing base.ts (avoids a cycle). */
export const VERSIONED_OBJECT = Symbol.for('nova-upgrade-lab.versioned_object');

/** What fields need from the object a value belongs to (implemented by VersionedObject). */
export interface VersionedObjectLike {
  obj_name(): string;
  obj_to_primitive(target_version?: string | null): Record<string, unknown>;
  readonly fields: Record<string, Field>;
  obj_attr_is_set(name: string): boolean;
  get(name: string): unknown;
}
export interface FieldOwner {
  /** Hydrates a nested primitive with the owner's registry and context (Object.from_primitive). */
  _obj_hydrate_child?(primitive: unknown): VersionedObjectLike;
  /** 'juno' | 'kilo' | 'ovo': only changes an error message here. */
  obj_compat_flavour?(): string;
}

export function isVersionedObject(v: unknown): v is VersionedObjectLike {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[VERSIONED_OBJECT] === true;
}

export function isPlainDict(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Python type name of a JS value, for error messages. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'unicode';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Set) return 'set';
  if (v instanceof Date) return 'datetime';
  if (isVersionedObject(v)) return v.obj_name();
  if (isPlainDict(v)) return 'dict';
  return (v as object).constructor?.name ?? 'object';
}

/** Python str() for the scalar kinds nova's String field accepts. */
function pyStr(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return String(v);
  }
  if (v instanceof Date) return pyDatetimeStr(v);
  return String(v);
}

/** str(datetime) of an aware UTC datetime: "2015-03-30 12:00:00+00:00". */
function pyDatetimeStr(d: Date): string {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const ms = d.getUTCMilliseconds();
  const frac = ms ? '.' + String(ms * 1000).padStart(6, '0') : '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac}+00:00`;
}

/** Python == for field values: structural for containers/dates, identity for objects. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    for (const x of a) if (![...b].some((y) => pyEquals(x, y))) return false;
    return true;
  }
  if (isPlainDict(a) && isPlainDict(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && pyEquals(a[k], b[k]));
  }
  return false;
}

/** copy.deepcopy for field values; objects use their own obj_clone. */
export function deepCopyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (isVersionedObject(v)) return (v as unknown as { obj_clone(): unknown }).obj_clone();
  if (v instanceof Date) return new Date(v.getTime());
  if (Array.isArray(v)) return v.map(deepCopyValue);
  if (v instanceof Set) return new Set([...v].map(deepCopyValue));
  if (isPlainDict(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopyValue(x);
    return out;
  }
  return v;
}

// ---------------------------------------------------------------- field types

export abstract class FieldType {
  coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return value;
  }
  from_primitive(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return value;
  }
  to_primitive(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return value;
  }
  /** Type name as nova's describe() / the objects.json spec strings print it. */
  abstract describe(): string;
  stringify(value: unknown): string {
    return pyStr(value);
  }
}

/** Untyped pass-through (nova's plain FieldType). */
export class AnyType extends FieldType {
  describe() {
    return 'FieldType';
  }
}

export class StringType extends FieldType {
  override coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    // nova accepts str, int, long, float, datetime (and bool, an int subclass).
    if (['string', 'number', 'boolean'].includes(typeof value) || value instanceof Date) {
      return pyStr(value);
    }
    throw new PyValueError(`A string is required here, not ${pyTypeName(value)}`);
  }
  describe() {
    return 'String';
  }
  override stringify(value: unknown) {
    return `'${String(value)}'`;
  }
}

/** String restricted to valid_values. `name` keeps nova's enum type names (Architecture...). */
export class EnumType extends StringType {
  constructor(
    readonly valid_values: readonly string[] | null,
    readonly name = 'Enum',
  ) {
    super();
    if (valid_values !== null && valid_values.length === 0) {
      throw new PyValueError('valid_values may not be empty');
    }
  }
  override coerce(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (this.valid_values !== null && !this.valid_values.includes(value as string)) {
      throw new PyValueError(`Field value ${pyStr(value)} is invalid`);
    }
    return super.coerce(obj, attr, value);
  }
  override describe() {
    return this.name;
  }
}

export class UUIDType extends FieldType {
  // Kilo's UUID field is str(value): no validation.
  override coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      return JSON.stringify(value);
    }
    return pyStr(value);
  }
  describe() {
    return 'UUID';
  }
}

/** int(value) as Python does it. */
function pyIntCoerce(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new PyValueError('cannot convert float NaN to integer');
    if (!Number.isFinite(value)) {
      throw new PyException('OverflowError', 'builtins', 'cannot convert float infinity to integer');
    }
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    if (!/^\s*[+-]?\d+\s*$/.test(value)) {
      throw new PyValueError(`invalid literal for int() with base 10: '${value}'`);
    }
    return parseInt(value.trim(), 10);
  }
  throw new PyTypeError(`int() argument must be a string or a number, not '${pyTypeName(value)}'`);
}

export class IntegerType extends FieldType {
  override coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return pyIntCoerce(value);
  }
  describe() {
    return 'Integer';
  }
}

export class FloatType extends FieldType {
  override coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      const s = value.trim().toLowerCase();
      if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) return parseFloat(s);
      if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
      if (/^[+-]?nan$/.test(s)) return NaN;
      throw new PyValueError(`could not convert string to float: ${value}`);
    }
    throw new PyTypeError(`float() argument must be a string or a number`);
  }
  describe() {
    return 'Float';
  }
}

export class BooleanType extends FieldType {
  // bool(value): Python truthiness (empty containers are False).
  override coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    if (Array.isArray(value)) return value.length > 0;
    if (value instanceof Set) return value.size > 0;
    if (isPlainDict(value)) return Object.keys(value).length > 0;
    return Boolean(value);
  }
  describe() {
    return 'Boolean';
  }
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** timeutils.parse_isotime: ISO 8601, naive means UTC. */
export function parse_isotime(value: string): Date {
  const m = ISO_RE.exec(value.trim());
  if (!m) throw new PyValueError(`Unable to parse date string '${value}'`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', tz] = m;
  const ms = frac ? parseInt(frac.padEnd(3, '0').slice(0, 3), 10) : 0;
  const local = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, ms));
  // Reject out-of-range parts (month 13, Feb 30, hour 25...) instead of rolling over.
  if (
    Number.isNaN(local.getTime()) ||
    local.getUTCFullYear() !== +y! ||
    local.getUTCMonth() !== +mo! - 1 ||
    local.getUTCDate() !== +d! ||
    local.getUTCHours() !== +h ||
    local.getUTCMinutes() !== +mi ||
    local.getUTCSeconds() !== +s
  ) {
    throw new PyValueError(`Unable to parse date string '${value}'`);
  }
  let t = local.getTime();
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const off = parseInt(digits.slice(0, 2), 10) * 60 + (digits.length > 2 ? parseInt(digits.slice(2), 10) : 0);
    t -= sign * off * 60000;
  }
  return new Date(t);
}

/** timeutils.isotime: second precision, "Z" for UTC (what nova puts on the wire). */
export function isotime(d: Date): string {
  return d.toISOString().slice(0, 19) + 'Z';
}

export class DateTimeType extends FieldType {
  override coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    if (typeof value === 'string') return parse_isotime(value);
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    throw new PyValueError('A datetime.datetime is required here');
  }
  override from_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (typeof value !== 'string') throw new PyTypeError(`expected string or buffer`);
    return this.coerce(obj, attr, parse_isotime(value));
  }
  override to_primitive(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return isotime(value as Date);
  }
  describe() {
    return 'DateTime';
  }
  override stringify(value: unknown) {
    return isotime(value as Date);
  }
}

function parseIPv4(s: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts.join('.');
}

function parseIPv6(s: string): string | null {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  try {
    // The URL parser canonicalises IPv6 literals (RFC 5952, like netaddr's str()).
    const host = new URL(`http://[${s}]/`).hostname;
    return host.slice(1, -1);
  } catch {
    return null;
  }
}

/** netaddr.IPAddress: values are kept as canonical strings. */
export class IPAddressType extends FieldType {
  constructor(readonly versions: readonly (4 | 6)[] = [4, 6], readonly name = 'IPAddress') {
    super();
  }
  override coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    const s = typeof value === 'string' ? value.trim() : null;
    const v4 = s === null ? null : parseIPv4(s);
    const v6 = s === null || v4 !== null ? null : parseIPv6(s);
    if (v4 === null && v6 === null) {
      throw new PyValueError(`failed to detect a valid IP address from ${JSON.stringify(value)}`);
    }
    if ((v4 !== null && !this.versions.includes(4)) || (v6 !== null && !this.versions.includes(6))) {
      throw new PyValueError(`Network "${String(value)}" is not valid`);
    }
    return v4 ?? v6;
  }
  override from_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    return this.coerce(obj, attr, value);
  }
  override to_primitive(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return String(value);
  }
  describe() {
    return this.name;
  }
}

/** netaddr.IPNetwork: "addr/prefix" strings. */
export class IPNetworkType extends IPAddressType {
  override coerce(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (typeof value !== 'string') {
      throw new PyValueError(`invalid IPNetwork ${String(value)}`);
    }
    const [addr, prefix, ...rest] = value.split('/');
    const ip = super.coerce(obj, attr, addr) as string;
    const max = ip.includes(':') ? 128 : 32;
    const p = prefix === undefined ? max : Number(prefix);
    if (rest.length || !Number.isInteger(p) || p < 0 || p > max) {
      throw new PyValueError(`invalid IPNetwork ${value}`);
    }
    return `${ip}/${p}`;
  }
  override describe() {
    return this.name === 'IPAddress' ? 'IPNetwork' : this.name;
  }
}

/**
 * nova's NetworkModel: a NetworkInfo (list of VIF dicts) that travels as a
 * JSON string (value.json()) and is re-hydrated on the other side.
 */
export class NetworkModelType extends FieldType {
  override coerce(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    if (Array.isArray(value)) return value;
    if (typeof value === 'string') return parseNetworkInfo(value);
    throw new PyValueError('A NetworkModel is required here');
  }
  override from_primitive(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return parseNetworkInfo(String(value));
  }
  override to_primitive(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return JSON.stringify(value);
  }
  describe() {
    return 'NetworkModel';
  }
}

function parseNetworkInfo(s: string): unknown[] {
  try {
    const v: unknown = JSON.parse(s || '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    throw new PyValueError(`No JSON object could be decoded`);
  }
}

export class ListType extends FieldType {
  readonly element: Field;
  constructor(element_type: FieldType, opts: FieldOptions = {}) {
    super();
    this.element = new Field(element_type, opts);
  }
  override coerce(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (!Array.isArray(value)) throw new PyValueError('A list is required here');
    // nova coerces in place: the caller's list becomes the stored list.
    for (let i = 0; i < value.length; i++) {
      value[i] = this.element.coerce(obj, `${attr}[${i}]`, value[i]);
    }
    return value;
  }
  override to_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    return (value as unknown[]).map((x) => this.element.to_primitive(obj, attr, x));
  }
  override from_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (!Array.isArray(value)) throw new PyValueError('A list is required here');
    return value.map((x) => this.element.from_primitive(obj, attr, x));
  }
  describe() {
    return `List(${this.element.describe()})`;
  }
  override stringify(value: unknown) {
    return `[${(value as unknown[]).map((x) => this.element.stringify(x)).join(',')}]`;
  }
}

export class DictType extends FieldType {
  readonly element: Field;
  constructor(element_type: FieldType, opts: FieldOptions = {}) {
    super();
    this.element = new Field(element_type, opts);
  }
  override coerce(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (!isPlainDict(value)) throw new PyValueError('A dict is required here');
    for (const k of Object.keys(value)) {
      value[k] = this.element.coerce(obj, `${attr}["${k}"]`, value[k]);
    }
    return value;
  }
  override to_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = this.element.to_primitive(obj, `${attr}["${k}"]`, v);
    }
    return out;
  }
  override from_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (!isPlainDict(value)) throw new PyValueError('A dict is required here');
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = this.element.from_primitive(obj, `${attr}["${k}"]`, v);
    }
    return out;
  }
  describe() {
    return `Dict(${this.element.describe()})`;
  }
  override stringify(value: unknown) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${k}=${this.element.stringify(v)}`).join(',')}}`;
  }
}

export class SetType extends FieldType {
  readonly element: Field;
  constructor(element_type: FieldType) {
    super();
    this.element = new Field(element_type);
  }
  override coerce(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (!(value instanceof Set)) throw new PyValueError('A set is required here');
    const out = new Set<unknown>();
    for (const x of value) out.add(this.element.coerce(obj, `${attr}["${String(x)}"]`, x));
    return out;
  }
  override to_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    return [...(value as Set<unknown>)].map((x) => this.element.to_primitive(obj, attr, x));
  }
  override from_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (!Array.isArray(value)) throw new PyValueError('A set is required here');
    return new Set(value.map((x) => this.element.from_primitive(obj, attr, x)));
  }
  describe() {
    return `Set(${this.element.describe()})`;
  }
}

export class ObjectType extends FieldType {
  constructor(
    readonly obj_name: string,
    readonly subclasses = false,
  ) {
    super();
  }
  override coerce(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    const name = isVersionedObject(value) ? value.obj_name() : '';
    let names = [name];
    if (this.subclasses && isVersionedObject(value)) {
      names = [];
      for (let c = value.constructor as unknown as { obj_name?: () => string } | null; c; c = Object.getPrototypeOf(c)) {
        if (typeof c.obj_name === 'function') names.push(c.obj_name());
      }
    }
    if (!names.includes(this.obj_name)) {
      if (obj?.obj_compat_flavour?.() === 'ovo') {
        throw new PyValueError(
          `An object of type ${this.obj_name} is required in field ${attr}, not a ${name}`,
        );
      }
      throw new PyValueError(`An object of type ${this.obj_name} is required here`);
    }
    return value;
  }
  override to_primitive(_obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    return (value as VersionedObjectLike).obj_to_primitive();
  }
  override from_primitive(obj: FieldOwner | null, _attr: string, value: unknown): unknown {
    if (isVersionedObject(value)) return value;
    if (!obj?._obj_hydrate_child) {
      throw new PyTypeError(`cannot hydrate a ${this.obj_name} without an owning object`);
    }
    // Nested objects hydrate with plain obj_from_primitive: no backport here,
    // an incompatible child fails the whole parent (the serializer then backports the parent).
    return obj._obj_hydrate_child(value);
  }
  describe() {
    return `Object<${this.obj_name}>`;
  }
  override stringify(value: unknown) {
    const v = value as VersionedObjectLike;
    let ident = '';
    for (const key of ['uuid', 'id']) {
      if (Object.prototype.hasOwnProperty.call(v.fields, key)) {
        ident = `(${v.obj_attr_is_set(key) ? String(v.get(key)) : 'UNKNOWN'})`;
        break;
      }
    }
    return `${this.obj_name}${ident}`;
  }
}

// ---------------------------------------------------------------- Field

export const UnspecifiedDefault: unique symbol = Symbol('UnspecifiedDefault');

export interface FieldOptions {
  nullable?: boolean;
  default?: unknown;
  read_only?: boolean;
}

export class Field {
  readonly nullable: boolean;
  readonly default: unknown;
  readonly read_only: boolean;
  constructor(
    readonly type: FieldType,
    opts: FieldOptions = {},
  ) {
    this.nullable = opts.nullable ?? false;
    this.default = 'default' in opts ? opts.default : UnspecifiedDefault;
    this.read_only = opts.read_only ?? false;
  }

  private _null(obj: FieldOwner | null, attr: string): unknown {
    if (this.nullable) return null;
    if (this.default !== UnspecifiedDefault) return this.type.coerce(obj, attr, deepCopyValue(this.default));
    throw new PyValueError(`Field \`${attr}' cannot be None`);
  }

  /** Called on every assignment. */
  coerce(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (value === null || value === undefined) return this._null(obj, attr);
    return this.type.coerce(obj, attr, value);
  }
  from_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    return this.type.from_primitive(obj, attr, value);
  }
  to_primitive(obj: FieldOwner | null, attr: string, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    return this.type.to_primitive(obj, attr, value);
  }
  /** nova's describe(): "Nullable" prefix + type name. */
  describe(): string {
    return (this.nullable ? 'Nullable' : '') + this.type.describe();
  }
  stringify(value: unknown): string {
    return value === null || value === undefined ? 'None' : this.type.stringify(value);
  }
  /** The compact spec form used by objects.json, e.g. "String [nullable, read_only]". */
  spec(): string {
    const flags: string[] = [];
    if (this.nullable) flags.push('nullable');
    if (this.read_only) flags.push('read_only');
    if (this.default !== UnspecifiedDefault) {
      // JS has one number type; a Float default prints as Python's float literal.
      const d = this.type instanceof FloatType && Number.isInteger(this.default) ? `${String(this.default)}.0` : pyLiteral(this.default);
      flags.push(`default=${d}`);
    }
    return this.specType() + (flags.length ? ` [${flags.join(', ')}]` : '');
  }
  protected specType(): string {
    return this.type.describe();
  }
}

function pyLiteral(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  if (typeof v === 'string') return `'${v}'`;
  return JSON.stringify(v);
}

// Named fields (nova's AutoTypedField subclasses). Factories keep call sites short.
export class ObjectField extends Field {
  constructor(
    readonly objname: string,
    opts: FieldOptions & { subclasses?: boolean } = {},
  ) {
    super(new ObjectType(objname, opts.subclasses ?? false), opts);
  }
}
export class ListOfObjectsField extends Field {
  constructor(
    readonly objname: string,
    opts: FieldOptions & { subclasses?: boolean } = {},
  ) {
    super(new ListType(new ObjectType(objname, opts.subclasses ?? false)), opts);
  }
  protected override specType() {
    return `ListOfObjects<${this.objname}>`;
  }
}

class NamedField extends Field {
  constructor(
    type: FieldType,
    private readonly specName: string,
    opts: FieldOptions,
  ) {
    super(type, opts);
  }
  protected override specType() {
    return this.specName;
  }
}

export const StringField = (o: FieldOptions = {}) => new Field(new StringType(), o);
export const IntegerField = (o: FieldOptions = {}) => new Field(new IntegerType(), o);
export const FloatField = (o: FieldOptions = {}) => new Field(new FloatType(), o);
export const BooleanField = (o: FieldOptions = {}) => new Field(new BooleanType(), o);
export const DateTimeField = (o: FieldOptions = {}) => new Field(new DateTimeType(), o);
export const UUIDField = (o: FieldOptions = {}) => new Field(new UUIDType(), o);
export const IPAddressField = (o: FieldOptions = {}) => new Field(new IPAddressType([4, 6], 'IPAddress'), o);
export const IPV4AddressField = (o: FieldOptions = {}) => new Field(new IPAddressType([4], 'IPV4Address'), o);
export const IPV6AddressField = (o: FieldOptions = {}) => new Field(new IPAddressType([6], 'IPV6Address'), o);
export const IPV4AndV6AddressField = (o: FieldOptions = {}) =>
  new Field(new IPAddressType([4, 6], 'IPV4AndV6Address'), o);
export const IPNetworkField = (o: FieldOptions = {}) => new Field(new IPNetworkType([4, 6], 'IPNetwork'), o);
export const EnumField = (valid_values: readonly string[] | null, o: FieldOptions = {}, name = 'Enum') =>
  new Field(new EnumType(valid_values, name), o);
export const NetworkModelField = (o: FieldOptions = {}) => new Field(new NetworkModelType(), o);
export const DictOfStringsField = (o: FieldOptions = {}) =>
  new NamedField(new DictType(new StringType()), 'DictOfStrings', o);
export const DictOfNullableStringsField = (o: FieldOptions = {}) =>
  new NamedField(new DictType(new StringType(), { nullable: true }), 'DictOfNullableStrings', o);
export const DictOfIntegersField = (o: FieldOptions = {}) =>
  new NamedField(new DictType(new IntegerType()), 'DictOfIntegers', o);
export const ListOfStringsField = (o: FieldOptions = {}) =>
  new NamedField(new ListType(new StringType()), 'ListOfStrings', o);
export const SetOfIntegersField = (o: FieldOptions = {}) =>
  new NamedField(new SetType(new IntegerType()), 'SetOfIntegers', o);

/**
 * Nova enum field types (nova.objects.fields) that the spec strings name.
 * Valid values are not modelled: they behave as strings on the wire.
 */
export const NOVA_ENUM_TYPE_NAMES = [
  'Architecture',
  'BlockDeviceDestinationType',
  'BlockDeviceSourceType',
  'BlockDeviceType',
  'CPUMatch',
  'CPUMode',
  'CPUFeaturePolicy',
  'CPUAllocationPolicy',
  'HVType',
  'VMMode',
  'PciDeviceStatus',
  'PciDeviceType',
  'MonitorMetricType',
  'Enum',
] as const;

const SIMPLE_TYPES: Record<string, (o: FieldOptions) => Field> = {
  String: StringField,
  Integer: IntegerField,
  Float: FloatField,
  Boolean: BooleanField,
  DateTime: DateTimeField,
  UUID: UUIDField,
  IPAddress: IPAddressField,
  IPV4Address: IPV4AddressField,
  IPV6Address: IPV6AddressField,
  IPV4AndV6Address: IPV4AndV6AddressField,
  IPNetwork: IPNetworkField,
  NetworkModel: NetworkModelField,
  DictOfStrings: DictOfStringsField,
  DictOfNullableStrings: DictOfNullableStringsField,
  DictOfIntegers: DictOfIntegersField,
  ListOfStrings: ListOfStringsField,
  SetOfIntegers: SetOfIntegersField,
};

function parseDefault(raw: string): unknown {
  const s = raw.trim();
  if (s === 'True') return true;
  if (s === 'False') return false;
  if (s === 'None') return null;
  if (s === '[]') return [];
  if (s === '{}') return {};
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return Number(s);
  const q = /^'(.*)'$|^"(.*)"$/.exec(s);
  if (q) return q[1] ?? q[2];
  throw new PyValueError(`unsupported default in field spec: ${raw}`);
}

/**
 * Build a Field from an objects.json spec string:
 * "String [nullable]", "Object<InstanceFault> [nullable]", "ListOfObjects<Instance>",
 * "Float [nullable, default=1.0]", "Boolean [default=False]", and the Python forms
 * "obj_fields.ListOfObjectsField('InstanceNUMACell')" / "obj_fields.IntegerField()".
 * `extra` maps further type names to factories.
 */
export function fieldFromSpec(spec: string, extra: Record<string, (o: FieldOptions) => Field> = {}): Field {
  const py = /^(?:obj_fields\.|fields\.)?(\w+)Field\((?:'([^']*)')?\)$/.exec(spec.trim());
  if (py) {
    const [, typeName, arg] = py;
    if (typeName === 'ListOfObjects') return new ListOfObjectsField(arg!);
    if (typeName === 'Object') return new ObjectField(arg!);
    return fieldFromSpec(typeName!, extra);
  }
  const m = /^\s*([A-Za-z]\w*)(?:<(\w+)>)?\s*(?:\[([^\]]*(?:\[\])?[^\]]*)\])?\s*$/.exec(spec);
  if (!m) throw new PyValueError(`unparseable field spec: ${spec}`);
  const [, typeName, objName, flagText] = m;
  const opts: FieldOptions = {};
  if (flagText) {
    for (const flag of flagText.split(/,\s*(?![^[]*\])/)) {
      const f = flag.trim();
      if (f === 'nullable') opts.nullable = true;
      else if (f === 'read_only') opts.read_only = true;
      else if (f.startsWith('default=')) opts.default = parseDefault(f.slice(8));
      else if (f) throw new PyValueError(`unknown flag '${f}' in field spec: ${spec}`);
    }
  }
  if (typeName === 'Object' || typeName === 'ListOfObjects') {
    if (!objName) throw new PyValueError(`missing object name in field spec: ${spec}`);
    return typeName === 'Object' ? new ObjectField(objName, opts) : new ListOfObjectsField(objName, opts);
  }
  const factory = extra[typeName!] ?? SIMPLE_TYPES[typeName!];
  if (factory) return factory(opts);
  if ((NOVA_ENUM_TYPE_NAMES as readonly string[]).includes(typeName!)) return EnumField(null, opts, typeName);
  // A bare object name ("PciDeviceList") in older tables means an Object field.
  if (/^[A-Z]\w*$/.test(typeName!) && !objName) {
    throw new PyValueError(`unknown field type '${typeName}' in spec: ${spec}`);
  }
  throw new PyValueError(`unparseable field spec: ${spec}`);
}

/** The object name a sub-object field holds, or null for scalar fields. */
export function childObjName(field: Field): string | null {
  if (field instanceof ObjectField || field instanceof ListOfObjectsField) return field.objname;
  if (field.type instanceof ObjectType) return field.type.obj_name;
  if (field.type instanceof ListType && field.type.element.type instanceof ObjectType) {
    return field.type.element.type.obj_name;
  }
  return null;
}

export function isObjectField(field: Field): boolean {
  return field.type instanceof ObjectType;
}
export function isListOfObjectsField(field: Field): boolean {
  return field.type instanceof ListType && field.type.element.type instanceof ObjectType;
}
