import { PyException } from './exception';

/** Largest JSON text one message may take on the simulated wire. */
export const MAX_WIRE_BYTES = 1 << 20;

export class WireSerializationError extends PyException {
  constructor(message: string) {
    super('WireSerializationError', 'nova_upgrade_lab.wire', message);
  }
}

/**
 * Refuse, at the sender, anything that is not a JSON primitive tree: a real
 * AMQP wire carries JSON text, so functions, class instances, cycles,
 * undefined, NaN or something huge cannot cross it. The error names the
 * path of the offending value.
 */
export function assertWireSafe(value: unknown, path = 'message'): void {
  // The common case (a tree of plain objects, arrays and primitives) is
  // checked without building a path string per node: the path of the
  // offending value is rebuilt from the keys on the stack only on error.
  walkWire(value, [path], new Set<object>());
}

function pathOf(keys: (string | number)[]): string {
  let p = String(keys[0]);
  for (let i = 1; i < keys.length; i++) p += typeof keys[i] === 'number' ? `[${keys[i]}]` : `.${keys[i]}`;
  return p;
}

function walkWire(v: unknown, keys: (string | number)[], seen: Set<object>): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new WireSerializationError(`${pathOf(keys)} is ${String(v)}, which JSON cannot carry`);
    return;
  }
  if (typeof v !== 'object') {
    throw new WireSerializationError(`${pathOf(keys)} is a ${typeof v}; only JSON primitives can cross the wire`);
  }
  if (seen.has(v)) throw new WireSerializationError(`${pathOf(keys)} refers back to itself (a cycle); it cannot be serialized`);
  seen.add(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x))) continue;
      keys.push(i);
      walkWire(x, keys, seen);
      keys.pop();
    }
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new WireSerializationError(`${pathOf(keys)} is a ${name} instance; serialize it (obj_to_primitive) before sending`);
    }
    for (const k in v) {
      const x = (v as Record<string, unknown>)[k];
      if (x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x))) continue;
      keys.push(k);
      walkWire(x, keys, seen);
      keys.pop();
    }
  }
  seen.delete(v);
}

/** JSON text of a wire-safe value, refusing what is too big. */
export function toWireJson(value: unknown, path = 'message'): string {
  assertWireSafe(value, path);
  return checkedSize(JSON.stringify(value), path);
}

function checkedSize(text: string, path: string): string {
  if (text.length > MAX_WIRE_BYTES) {
    throw new WireSerializationError(`${path} is ${text.length} bytes of JSON; the limit is ${MAX_WIRE_BYTES}`);
  }
  return text;
}

/**
 * toWireJson of one flat object given as its members, in order: the same
 * text, the same checks, without first building the object (an object
 * with dozens of computed keys, such as an RPC message with its flattened
 * context, costs several times its JSON text to build).
 */
export function toWireJsonOfMembers(members: [string, unknown][], path = 'message'): string {
  let text = '{';
  for (let i = 0; i < members.length; i++) {
    const [k, v] = members[i]!;
    if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) walkWire(v, [path, k], new Set<object>());
    text += `${i ? ',' : ''}${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return checkedSize(`${text}}`, path);
}
