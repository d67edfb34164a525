import { PyValueError } from '../oslo/exception';

/**
 * A service's nova.conf: INI sections of string options, as oslo.config
 * reads them (section and option names are case-sensitive; later lines win;
 * `#` and `;` start comments). Only the options the simulator uses have
 * typed accessors.
 */
export type ConfSections = Record<string, Record<string, string>>;

/**
 * Names that would reach Object.prototype as keys (`[__proto__]` in a
 * lesson's conf file once polluted every object on the page).
 */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** A map with no prototype: no name written into it can reach Object.prototype. */
const bare = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** Refuses a section or option name that is not a plain key. */
export function checkConfKey(kind: 'section' | 'option', name: string): void {
  if (RESERVED.has(name)) throw new PyValueError(`nova.conf: the ${kind} name "${name}" is reserved and refused`);
}

export class NovaConf {
  readonly sections: ConfSections;

  constructor(sections: ConfSections = {}) {
    // A deep copy into prototype-free maps, refusing reserved names.
    this.sections = bare<Record<string, string>>();
    for (const [name, opts] of Object.entries(sections)) {
      checkConfKey('section', name);
      const copy = (this.sections[name] = bare<string>());
      for (const [k, v] of Object.entries(opts)) {
        checkConfKey('option', k);
        copy[k] = String(v);
      }
    }
  }

  static parse(text: string): NovaConf {
    const sections: ConfSections = bare();
    let current: Record<string, string> | null = null;
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header) {
        const name = header[1]!.trim();
        if (RESERVED.has(name)) throw new PyValueError(`nova.conf line ${i + 1}: the section name "[${name}]" is reserved and refused`);
        current = Object.hasOwn(sections, name) ? sections[name]! : (sections[name] = bare());
        return;
      }
      const kv = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(line);
      if (!kv) throw new PyValueError(`nova.conf line ${i + 1}: cannot parse "${raw}"`);
      if (!current) throw new PyValueError(`nova.conf line ${i + 1}: option "${kv[1]}" is outside any [section]`);
      if (RESERVED.has(kv[1]!)) throw new PyValueError(`nova.conf line ${i + 1}: the option name "${kv[1]}" is reserved and refused`);
      current[kv[1]!] = kv[2]!.trim();
    });
    return new NovaConf(sections);
  }

  toString(): string {
    return Object.entries(this.sections)
      .map(([name, opts]) => [`[${name}]`, ...Object.entries(opts).map(([k, v]) => `${k} = ${v}`)].join('\n'))
      .join('\n\n')
      .concat('\n');
  }

  get(section: string, option: string): string | null {
    const sec = Object.hasOwn(this.sections, section) ? this.sections[section]! : undefined;
    return sec && Object.hasOwn(sec, option) ? sec[option]! : null;
  }

  set(section: string, option: string, value: string | null): NovaConf {
    checkConfKey('section', section);
    checkConfKey('option', option);
    const next = new NovaConf(this.sections);
    if (value === null) delete next.sections[section]?.[option];
    else (next.sections[section] ??= bare())[option] = value;
    return next;
  }

  get host(): string {
    return this.get('DEFAULT', 'host') ?? 'localhost';
  }

  /** [DEFAULT] rpc_response_timeout, seconds (oslo.messaging's default 60). */
  get rpc_response_timeout(): number {
    const v = this.get('DEFAULT', 'rpc_response_timeout');
    if (v === null) return 60;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new PyValueError(`rpc_response_timeout must be a positive number, not "${v}"`);
    return n;
  }

  /** [upgrade_levels] <service>: unset means no cap. */
  upgradeLevel(service: string): string | null {
    return this.get('upgrade_levels', service);
  }

  /** [DEFAULT] shelved_offload_time (0 = offload right after shelving; -1 = never). */
  get shelved_offload_time(): number {
    const v = this.get('DEFAULT', 'shelved_offload_time');
    return v === null ? 0 : Number(v);
  }
}
