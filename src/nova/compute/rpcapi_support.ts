/**
 * Small Python-isms the rpcapi client modules need, kept apart so every
 * rpcapi reads like nova's own: keyword arguments with defaults, truthiness,
 * attribute vs item access, jsonutils.to_primitive / objects_base
 * .obj_to_primitive, and the `_compute_host` routing helper.
 *
 * Objects are duck-typed (a value with `get(name)` and `items()` is a
 * versioned object) so this module does not depend on the objects core.
 */
import { PyAttributeError, PyKeyError, PyTypeError, PyValueError } from '../../oslo/exception';
import { novaError } from '../exception';

/** Keyword arguments of a client method, by their Python names. */
export type Kwargs = Record<string, unknown>;

/** One Python parameter: required when `default` is absent. */
export interface ParamSpec {
  name: string;
  default?: unknown;
}

/**
 * Python's binding of keyword arguments to a signature: unknown names and
 * missing required parameters are TypeErrors; omitted optional ones take
 * their default. `undefined` counts as "not passed".
 */
export function bindArgs(method: string, params: readonly ParamSpec[], kwargs: Kwargs = {}): Kwargs {
  const known = new Set(params.map((p) => p.name));
  for (const name of Object.keys(kwargs)) {
    if (!known.has(name)) throw new PyTypeError(`${method}() got an unexpected keyword argument '${name}'`);
  }
  const bound: Kwargs = {};
  for (const p of params) {
    if (kwargs[p.name] !== undefined) bound[p.name] = kwargs[p.name];
    else if ('default' in p) bound[p.name] = p.default ?? null;
    else throw new PyTypeError(`${method}() missing required argument '${p.name}'`);
  }
  return bound;
}

/**
 * Marks a plain object as a Python dict produced by a primitive
 * conversion: attribute access on it fails as it would in Python
 * (`'dict' object has no attribute 'host'`).
 */
export const PY_DICT: unique symbol = Symbol.for('nova-upgrade-lab.py-dict');

export function markDict<T extends object>(d: T): T {
  Object.defineProperty(d, PY_DICT, { value: true, enumerable: false });
  return d;
}

export function isPyDict(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[PY_DICT] === true;
}

/** Duck type of a versioned object as the objects core builds them. */
export interface ObjectLike {
  get(name: string): unknown;
  items(): Array<[string, unknown]>;
  obj_name?(): string;
}

export function isObjectLike(v: unknown): v is ObjectLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Map) &&
    typeof (v as ObjectLike).get === 'function' &&
    typeof (v as ObjectLike).items === 'function'
  );
}

function isObjectList(v: ObjectLike): boolean {
  return Boolean((v.constructor as { obj_is_list?: boolean }).obj_is_list);
}

function listItems(v: ObjectLike): unknown[] {
  const objs = v.get('objects');
  return Array.isArray(objs) ? objs : [];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Python truthiness of an argument (None, False, 0, '', empty containers are false). */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (isObjectLike(v) && isObjectList(v)) return listItems(v).length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** getattr(obj, name): objects read their field, a Python dict has no attributes. */
export function getattr(obj: unknown, name: string): unknown {
  if (obj === null || obj === undefined) throw new PyAttributeError(`'NoneType' object has no attribute '${name}'`);
  if (isObjectLike(obj)) return obj.get(name);
  if (isPyDict(obj)) throw new PyAttributeError(`'dict' object has no attribute '${name}'`);
  if (typeof obj === 'object' && name in (obj as object)) return (obj as Record<string, unknown>)[name];
  const type = Array.isArray(obj) ? 'list' : typeof obj === 'object' ? 'object' : typeof obj;
  throw new PyAttributeError(`'${type}' object has no attribute '${name}'`);
}

/** obj[key]: objects (NovaObjectDictCompat) read the field, dicts the key. */
export function getitem(obj: unknown, key: string): unknown {
  if (obj === null || obj === undefined) throw new PyTypeError(`'NoneType' object has no attribute '__getitem__'`);
  if (isObjectLike(obj)) return obj.get(key);
  if (typeof obj === 'object' && key in (obj as object)) return (obj as Record<string, unknown>)[key];
  throw new PyKeyError(`'${key}'`);
}

/** `key in container` for a dict-like argument (None raises TypeError as in Python). */
export function pyIn(key: string, container: unknown): boolean {
  if (container === null || container === undefined) {
    throw new PyTypeError(`argument of type 'NoneType' is not iterable`);
  }
  if (Array.isArray(container)) return container.includes(key);
  if (isObjectLike(container)) return container.items().some(([k]) => k === key);
  if (typeof container === 'object') return key in (container as object);
  if (typeof container === 'string') return container.includes(key);
  throw new PyTypeError(`argument of type '${typeof container}' is not iterable`);
}

/**
 * oslo_serialization.jsonutils.to_primitive: dicts and (dict-compatible)
 * objects become plain dicts, sequences lists; nesting through objects
 * deeper than max_depth (3) is cut to '?'. Anything else passes through.
 */
export function to_primitive(value: unknown, level = 0, max_depth = 3): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (level > max_depth) return '?';
  if (isObjectLike(value)) {
    if (isObjectList(value)) return listItems(value).map((v) => to_primitive(v, level, max_depth));
    const d: Record<string, unknown> = {};
    for (const [k, v] of value.items()) d[k] = v;
    return to_primitive(markDict(d), level + 1, max_depth);
  }
  if (Array.isArray(value)) return value.map((v) => to_primitive(v, level, max_depth));
  if (value instanceof Map) {
    const d: Record<string, unknown> = {};
    for (const [k, v] of value) d[String(k)] = to_primitive(v, level, max_depth);
    return markDict(d);
  }
  // Any other class instance (no iteritems, not iterable) passes through, as
  // to_primitive(convert_instances=False) returns it unchanged.
  if (!isPlainObject(value) && !isPyDict(value)) return value;
  const d: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) d[k] = to_primitive(v, level, max_depth);
  return markDict(d);
}

/**
 * nova.objects.base.obj_to_primitive: an object becomes the plain dict of
 * its set fields (recursively, no envelope), an object list a plain list;
 * anything else is returned as is.
 */
export function obj_to_primitive(obj: unknown): unknown {
  if (isObjectLike(obj)) {
    if (isObjectList(obj)) return listItems(obj).map((v) => obj_to_primitive(v));
    const d: Record<string, unknown> = {};
    for (const [k, v] of obj.items()) d[k] = obj_to_primitive(v);
    return markDict(d);
  }
  return obj;
}

/**
 * nova.block_device.legacy_mapping @2014.1: each block device mapping
 * (object or dict) back to the legacy format — the legacy and DB fields it
 * has, `virtual_name` 'swap' / 'ephemeral0' for blank ones, None for volumes
 * and snapshots; an image mapping to a local disk has no legacy form and is
 * left out; the ephemerals are then numbered 0, 1, ... in order.
 */
export function legacy_mapping(block_device_mapping: unknown): Array<Record<string, unknown>> {
  const COPY = [
    'device_name', 'delete_on_termination', 'snapshot_id', 'volume_id', 'volume_size', 'no_device', 'connection_info',
    'id', 'instance_uuid', 'created_at', 'updated_at', 'deleted_at', 'deleted',
  ];
  const items = isObjectLike(block_device_mapping) && isObjectList(block_device_mapping) ? listItems(block_device_mapping) : ((block_device_mapping ?? []) as unknown[]);
  const out: Array<Record<string, unknown>> = [];
  for (const bdm of items) {
    const rec: Record<string, unknown> = isObjectLike(bdm) ? Object.fromEntries(bdm.items()) : ((bdm ?? {}) as Record<string, unknown>);
    const get = (k: string): unknown => rec[k];
    const legacy: Record<string, unknown> = {};
    for (const k of COPY) {
      const v = get(k);
      if (v !== undefined) legacy[k] = v;
    }
    const source_type = get('source_type');
    if (source_type === 'blank') legacy.virtual_name = get('guest_format') === 'swap' ? 'swap' : 'ephemeral0';
    else if (source_type === 'volume' || source_type === 'snapshot' || truthy(get('no_device'))) legacy.virtual_name = null;
    else if (source_type === 'image') {
      if (get('destination_type') !== 'volume') continue; // InvalidBDMForLegacy: skipped
      legacy.virtual_name = null;
    }
    out.push(markDict(legacy) as Record<string, unknown>);
  }
  let i = 0;
  for (const dev of out) {
    const vn = dev.virtual_name;
    if (typeof vn === 'string' && /^ephemeral\d+$/.test(vn)) dev.virtual_name = vn.slice(0, -1) + String(i++);
  }
  return out;
}

/** Python's dict(d, **overrides): a shallow copy with some keys replaced. */
export function dictWith(d: unknown, overrides: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  if (isObjectLike(d)) for (const [k, v] of d.items()) base[k] = v;
  else if (d && typeof d === 'object') Object.assign(base, d as Record<string, unknown>);
  return markDict({ ...base, ...overrides });
}

/** NetworkRequestList.as_tuples() (AttributeError when the value has no such method, as in Python). */
export function as_tuples(requested_networks: unknown): unknown[][] {
  const fn = (requested_networks as { as_tuples?: () => unknown[][] } | null)?.as_tuples;
  if (typeof fn !== 'function') {
    const type = Array.isArray(requested_networks) ? 'list' : typeof requested_networks;
    throw new PyAttributeError(`'${type}' object has no attribute 'as_tuples'`);
  }
  return fn.call(requested_networks);
}

/**
 * _compute_host of Kilo and Liberty: the explicit host when given, else
 * `instance.host` read as an attribute (a primitive dict has none, so it
 * raises AttributeError exactly where nova would).
 */
export function _compute_host(host: unknown, instance: unknown): string {
  if (truthy(host)) return host as string;
  if (!truthy(instance)) throw novaError('No compute host specified');
  if (!truthy(getattr(instance, 'host'))) {
    throw novaError(`Unable to find host for Instance ${String(getattr(instance, 'uuid'))}`);
  }
  return getattr(instance, 'host') as string;
}

/** Juno's _compute_host: the same rule with item access (works on primitive dicts too). */
export function _compute_host_juno(host: unknown, instance: unknown): string {
  if (truthy(host)) return host as string;
  if (!truthy(instance)) throw novaError('No compute host specified');
  if (!truthy(getitem(instance, 'host'))) {
    throw novaError(`Unable to find host for Instance ${String(getitem(instance, 'uuid'))}`);
  }
  return getitem(instance, 'host') as string;
}

/** A record of what a client decided for one send (optional trace hook). */
export interface RpcDecision {
  api: string;
  method: string;
  version: string | null;
  /** Parameters the chosen version does not carry. */
  dropped: string[];
  /** Conversions applied on the chosen branch (nova's words). */
  transforms: string[];
  note?: string;
}

export type DecisionHook = (d: RpcDecision) => void;

/**
 * Python 2.7 tuple unpacking `(a, b, ...) = value` of exactly n items:
 * ValueError "need more than K values to unpack" / "too many values to
 * unpack"; TypeError for a value that is not a sequence.
 */
export function unpack(value: unknown, n: number): unknown[] {
  if (!Array.isArray(value)) {
    const type = value === null || value === undefined ? 'NoneType' : typeof value === 'number' ? (Number.isInteger(value) ? 'int' : 'float') : typeof value === 'boolean' ? 'bool' : typeof value === 'string' ? 'str' : 'dict';
    if (typeof value === 'string') {
      if (value.length === n) return value.split('');
    } else {
      throw new PyTypeError(`'${type}' object is not iterable`);
    }
    value = value.split('');
  }
  const items = value as unknown[];
  if (items.length < n) {
    throw new PyValueError(`need more than ${items.length} value${items.length === 1 ? '' : 's'} to unpack`);
  }
  if (items.length > n) throw new PyValueError('too many values to unpack');
  return items;
}
