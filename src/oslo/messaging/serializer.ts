/**
 * oslo.messaging's Serializer contract: entities (arguments and results) and
 * request contexts are turned into JSON primitives before they cross the
 * wire, and back afterwards. Deserializing may have to ask another service
 * for help (nova's object backport through conductor), hence async.
 */
export interface Serializer {
  serialize_entity(ctxt: unknown, entity: unknown): unknown;
  deserialize_entity(ctxt: unknown, entity: unknown): Promise<unknown>;
  serialize_context(ctxt: unknown): Record<string, unknown>;
  deserialize_context(ctxt: Record<string, unknown>): unknown;
}

/** Passes everything through unchanged (oslo.messaging's NoOpSerializer). */
export class NoOpSerializer implements Serializer {
  serialize_entity(_ctxt: unknown, entity: unknown): unknown {
    return entity;
  }
  async deserialize_entity(_ctxt: unknown, entity: unknown): Promise<unknown> {
    return entity;
  }
  serialize_context(ctxt: unknown): Record<string, unknown> {
    return (ctxt ?? {}) as Record<string, unknown>;
  }
  deserialize_context(ctxt: Record<string, unknown>): unknown {
    return ctxt;
  }
}
