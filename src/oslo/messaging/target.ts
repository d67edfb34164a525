/**
 * oslo.messaging's Target: where a message goes (exchange/topic/server,
 * fanout) and what it promises (namespace, version). Calling a target with
 * overrides, as Python's Target.__call__ does, returns a new target.
 */
export interface TargetFields {
  exchange: string | null;
  topic: string | null;
  namespace: string | null;
  version: string | null;
  server: string | null;
  fanout: boolean | null;
  legacy_namespaces: string[];
}

export class Target implements TargetFields {
  readonly exchange: string | null;
  readonly topic: string | null;
  readonly namespace: string | null;
  readonly version: string | null;
  readonly server: string | null;
  readonly fanout: boolean | null;
  readonly legacy_namespaces: string[];

  constructor(fields: Partial<TargetFields> = {}) {
    this.exchange = fields.exchange ?? null;
    this.topic = fields.topic ?? null;
    this.namespace = fields.namespace ?? null;
    this.version = fields.version ?? null;
    this.server = fields.server ?? null;
    this.fanout = fields.fanout ?? null;
    this.legacy_namespaces = [...(fields.legacy_namespaces ?? [])];
  }

  /** Namespaces a server with this target accepts: its own plus the legacy ones. */
  get accepted_namespaces(): (string | null)[] {
    return [this.namespace, ...this.legacy_namespaces];
  }

  /** Target(**overrides): keys present in `overrides` replace, even when null. */
  with(overrides: Partial<TargetFields>): Target {
    const merged: Partial<TargetFields> = { ...this.toJSON() };
    for (const key of Object.keys(overrides) as (keyof TargetFields)[]) {
      (merged as Record<string, unknown>)[key] = overrides[key];
    }
    return new Target(merged);
  }

  toJSON(): TargetFields {
    return {
      exchange: this.exchange,
      topic: this.topic,
      namespace: this.namespace,
      version: this.version,
      server: this.server,
      fanout: this.fanout,
      legacy_namespaces: [...this.legacy_namespaces],
    };
  }

  /** Target.__repr__: the truthy attributes among exchange..fanout, Python-formatted. */
  toString(): string {
    const parts: string[] = [];
    for (const key of ['exchange', 'topic', 'namespace', 'version', 'server', 'fanout'] as const) {
      const v = this[key];
      if (v) parts.push(`${key}=${v === true ? 'True' : String(v)}`);
    }
    return `<Target ${parts.join(', ')}>`;
  }
}
