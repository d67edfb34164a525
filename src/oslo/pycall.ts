import { PyTypeError } from './exception';

/**
 * A Python method signature after (self, context): required parameters in
 * order, and optional ones with their defaults. RPC endpoints are called
 * with keyword arguments only, so binding is by name, as in Python.
 */
export interface Signature {
  required: string[];
  optional: Record<string, unknown>;
  /** Accepts **kwargs (then nothing is unexpected). */
  varkw?: boolean;
}

/**
 * Bind keyword arguments like Python 2.7 calling fn(self, ctxt, **kwargs):
 * an unknown name or a missing required one raises TypeError with the
 * interpreter's wording; defaults fill the rest.
 */
export function bindKwargs(fnName: string, sig: Signature, kwargs: Record<string, unknown>): Record<string, unknown> {
  const known = new Set([...sig.required, ...Object.keys(sig.optional)]);
  if (!sig.varkw) {
    for (const name of Object.keys(kwargs)) {
      if (!known.has(name)) throw new PyTypeError(`${fnName}() got an unexpected keyword argument '${name}'`);
    }
  }
  const missing = sig.required.filter((name) => !(name in kwargs));
  if (missing.length > 0) {
    const hasDefaults = Object.keys(sig.optional).length > 0;
    const expected = 2 + (hasDefaults ? sig.required.length : known.size);
    const given = 2 + Object.keys(kwargs).length;
    throw new PyTypeError(
      `${fnName}() takes ${hasDefaults ? 'at least' : 'exactly'} ${expected} arguments (${given} given)`,
    );
  }
  const bound: Record<string, unknown> = {};
  for (const name of sig.required) bound[name] = kwargs[name];
  for (const [name, dflt] of Object.entries(sig.optional)) {
    bound[name] = name in kwargs ? kwargs[name] : structuredCloneSafe(dflt);
  }
  if (sig.varkw) for (const [k, v] of Object.entries(kwargs)) if (!(k in bound)) bound[k] = v;
  return bound;
}

function structuredCloneSafe(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v;
}

/**
 * Bind a Python 2.7 call fn(self, ctxt, *positional, **kwargs) to names:
 * positional values fill the parameters in order (required, then optional),
 * keywords the rest. Errors carry the interpreter's wording (the counts
 * include self and the context, as Python 2.7 reports them).
 */
export function bindCall(
  fnName: string,
  sig: Signature,
  positional: unknown[],
  kwargs: Record<string, unknown>,
): Record<string, unknown> {
  const order = [...sig.required, ...Object.keys(sig.optional)];
  const hasDefaults = Object.keys(sig.optional).length > 0;
  if (positional.length > order.length) {
    const n = 2 + order.length;
    throw new PyTypeError(
      `${fnName}() takes ${hasDefaults ? 'at most' : 'exactly'} ${n} argument${n === 1 ? '' : 's'} (${2 + positional.length + Object.keys(kwargs).length} given)`,
    );
  }
  const named: Record<string, unknown> = {};
  positional.forEach((v, i) => {
    named[order[i]!] = v;
  });
  for (const [k, v] of Object.entries(kwargs)) {
    if (k in named) throw new PyTypeError(`${fnName}() got multiple values for keyword argument '${k}'`);
    named[k] = v;
  }
  return bindKwargs(fnName, sig, named);
}
