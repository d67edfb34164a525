import { PyValueError } from '../oslo/exception';

/**
 * A service's nova.conf: INI sections of string options, as oslo.config
 * reads them (section and option names are case-sensitive; later lines win;
 * `#` and `;` start comments). Only the options the simulator uses have
 * typed accessors.
 */
export type ConfSections = Record<string, Record<string, string>>;

export class NovaConf {
  readonly sections: ConfSections;

  constructor(sections: ConfSections = {}) {
    this.sections = JSON.parse(JSON.stringify(sections)) as ConfSections;
  }

  static parse(text: string): NovaConf {
    const sections: ConfSections = {};
    let current: Record<string, string> | null = null;
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header) {
        current = sections[header[1]!.trim()] ??= {};
        return;
      }
      const kv = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(line);
      if (!kv) throw new PyValueError(`nova.conf line ${i + 1}: cannot parse "${raw}"`);
      if (!current) throw new PyValueError(`nova.conf line ${i + 1}: option "${kv[1]}" is outside any [section]`);
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
    return this.sections[section]?.[option] ?? null;
  }

  set(section: string, option: string, value: string | null): NovaConf {
    const next = new NovaConf(this.sections);
    if (value === null) delete next.sections[section]?.[option];
    else (next.sections[section] ??= {})[option] = value;
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
