/**
 * Evaluates user code (TypeScript compiled to CommonJS-style JavaScript)
 * inside a service worker. Imports resolve against the simulator's own
 * modules only, so user code extends the real model classes. It never runs
 * on the page's thread; an endless loop here is the watchdog's business.
 */
import { PyException } from '../oslo/exception';
import { findDynamicImport } from './user_code_guard';

/** Taken before a worker is sealed (user_code_guard.ts): only this module may build code from text. */
const RealFunction = Function;

export class UserCodeError extends PyException {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null,
  ) {
    super('UserCodeError', 'nova_upgrade_lab.user_code', message);
  }
}

/** Find the line of the user's file in an error stack (eval'd code is named after the file). */
function lineOf(err: unknown, file: string): number | null {
  const stack = String((err as Error)?.stack ?? '');
  const m = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:(\\d+)`).exec(stack);
  return m ? Number(m[1]) : null;
}

/**
 * Run each module of `code` (name -> JS) and return its exports. `resolve`
 * gives the simulator module for an import name (or undefined). Modules of
 * `code` may import each other.
 */
export function evaluateUserModules(
  code: Record<string, string>,
  resolve: (name: string) => unknown,
): Record<string, Record<string, unknown>> {
  const done = new Map<string, Record<string, unknown>>();
  const loading = new Set<string>();
  const norm = (name: string) => name.replace(/^\.\//, '').replace(/\.(ts|js)$/, '');
  const builtin = (name: string, key: string): Record<string, unknown> => {
    const mod = resolve(key);
    if (mod === undefined) throw new UserCodeError(`Cannot find module '${name}'`, key, null);
    return mod as Record<string, unknown>;
  };
  const load = (name: string, from?: string): Record<string, unknown> => {
    const key = norm(name);
    // A user file that replaces module X and imports X extends the built-in X.
    if (key === from) return builtin(name, key);
    const cached = done.get(key);
    if (cached) return cached;
    const source = code[key] ?? code[`${key}.ts`] ?? code[`${key}.js`];
    if (source === undefined) {
      const mod = resolve(key);
      if (mod === undefined) throw new UserCodeError(`Cannot find module '${name}'`, key, null);
      return mod as Record<string, unknown>;
    }
    if (loading.has(key)) return done.get(key) ?? {};
    loading.add(key);
    const module = { exports: {} as Record<string, unknown> };
    done.set(key, module.exports);
    const file = `${key}.ts`;
    let fn: (exports: unknown, require: unknown, module: unknown) => void;
    const importLine = findDynamicImport(source);
    if (importLine !== null) {
      throw new UserCodeError(`${file}:${importLine}: import() and import.meta are not available in the playground: import the simulator's modules with a static import`, file, importLine);
    }
    try {
      // The sourceURL names the file so stack traces point at the user's lines.
      fn = new RealFunction('exports', 'require', 'module', `${source}\n//# sourceURL=${file}`) as typeof fn;
    } catch (err) {
      throw new UserCodeError(`${file}: ${(err as Error).message}`, file, lineOf(err, file));
    }
    try {
      fn(module.exports, (dep: string) => load(dep, key), module);
    } catch (err) {
      if (err instanceof UserCodeError) throw err;
      throw new UserCodeError(`${file}: ${(err as Error).message ?? String(err)}`, file, lineOf(err, file));
    }
    done.set(key, module.exports);
    return module.exports;
  };
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(code)) out[norm(name)] = load(name);
  return out;
}
