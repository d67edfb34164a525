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
  walkWire(value, path, new Set<object>());
}

function walkWire(v: unknown, p: string, seen: Set<object>): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new WireSerializationError(`${p} is ${String(v)}, which JSON cannot carry`);
    return;
  }
  if (typeof v !== 'object') {
    throw new WireSerializationError(`${p} is a ${typeof v}; only JSON primitives can cross the wire`);
  }
  if (seen.has(v)) throw new WireSerializationError(`${p} refers back to itself (a cycle); it cannot be serialized`);
  seen.add(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) walkWire(v[i], `${p}[${i}]`, seen);
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new WireSerializationError(`${p} is a ${name} instance; serialize it (obj_to_primitive) before sending`);
    }
    for (const k in v) walkWire((v as Record<string, unknown>)[k], `${p}.${k}`, seen);
  }
  seen.delete(v);
}

/** JSON text of a wire-safe value, refusing what is too big. */
export function toWireJson(value: unknown, path = 'message'): string {
  assertWireSafe(value, path);
  const text = JSON.stringify(value);
  if (text.length > MAX_WIRE_BYTES) {
    throw new WireSerializationError(`${path} is ${text.length} bytes of JSON; the limit is ${MAX_WIRE_BYTES}`);
  }
  return text;
}
