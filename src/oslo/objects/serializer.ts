/**
 * NovaObjectSerializer (nova Juno/Kilo/Liberty) and oslo.versionedobjects'
 * VersionedObjectSerializer, with the receiving-side logic selectable:
 *
 * - icehouse: as juno, but dicts are not walked (nova 2014.1
 *            serialize_entity / deserialize_entity handle tuple, list and set
 *            only): an object inside a dict argument goes out as a plain
 *            dict of its fields (what the JSON encoder's to_primitive makes
 *            of it) and a received `nova_object.*` primitive inside a dict
 *            stays a primitive.
 * - juno   : obj_from_primitive; on IncompatibleObjectVersion ask conductor
 *            object_backport(ctxt, primitive, e.kwargs.supported).
 * - kilo   : as juno, but a three-part received version first retries with
 *            its first two parts (".z" = compatible stable-branch bump).
 * - liberty: .z retry, then object_backport_versions(ctxt, primitive,
 *            obj_tree_get_versions(name)).
 * - ovo    : .z retry, then (only with an indirection API and a known name)
 *            object_backport_versions, falling back to object_backport on
 *            NotImplementedError; otherwise re-raise.
 */
import { PyException, isPy } from '../exception';
import type { Observer } from '../observer';
import {
  JunoNovaObject,
  KiloNovaObject,
  LibertyNovaObject,
  VersionedObject,
  type Primitive,
  type VersionedObjectClass,
} from './base';
import { IncompatibleObjectVersion } from './exceptions';
import { WireSerializationError } from '../wire';
import { isPlainDict, isVersionedObject } from './fields';
import type { IndirectionAPI, ObjectWorld } from './registry';
import { count_dots } from './versionutils';

export type SerializerLogic = 'icehouse' | 'juno' | 'kilo' | 'liberty' | 'ovo';

/** oslo.messaging's Serializer interface, async where hydration may need RPC. */
export interface MessagingSerializer {
  serialize_entity(ctxt: unknown, entity: unknown): unknown;
  deserialize_entity(ctxt: unknown, primitive: unknown): Promise<unknown>;
  serialize_context(ctxt: unknown): unknown;
  deserialize_context(ctxtDict: unknown): unknown;
}

/** How contexts cross the wire (nova's RequestContextSerializer does to_dict/from_dict). */
export interface ContextCodec {
  serialize_context(ctxt: unknown): unknown;
  deserialize_context(ctxtDict: unknown): unknown;
}

export interface NovaObjectSerializerOptions {
  logic: SerializerLogic;
  /** The receiving service's world: registry (and indirection API for 'ovo'). */
  world: ObjectWorld;
  /**
   * What nova calls `self.conductor` (conductor.API()): used by juno/kilo/
   * liberty for backports. Defaults to world.indirection_api.
   */
  conductor?: IndirectionAPI | null;
  /** Base class whose envelope keys are used; defaults per logic. */
  base?: VersionedObjectClass;
  context_codec?: ContextCodec;
  observer?: Observer;
}

const DEFAULT_BASE: Record<SerializerLogic, VersionedObjectClass> = {
  icehouse: JunoNovaObject,
  juno: JunoNovaObject,
  kilo: KiloNovaObject,
  liberty: LibertyNovaObject,
  ovo: VersionedObject,
};

/**
 * A dict that 2014.1's serializer leaves alone, as the JSON encoder's
 * to_primitive then writes it: objects inside become plain dicts of their
 * set fields (no `nova_object.*` envelope), containers are walked.
 */
function plainFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainFields);
  if (value instanceof Set) return [...value].map(plainFields);
  if (value instanceof VersionedObject) {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(value.cls.fields)) if (value.obj_attr_is_set(name)) out[name] = plainFields(value.get(name));
    return out;
  }
  if (isPlainDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainFields(v);
    return out;
  }
  return value;
}

function isNotImplemented(e: unknown): boolean {
  return isPy(e, 'NotImplementedError');
}

export class NovaObjectSerializer implements MessagingSerializer {
  readonly logic: SerializerLogic;
  readonly world: ObjectWorld;
  readonly base: VersionedObjectClass;
  private readonly conductorApi: IndirectionAPI | null | undefined;
  private readonly codec: ContextCodec | undefined;
  private readonly observerOpt: Observer | undefined;

  constructor(opts: NovaObjectSerializerOptions) {
    this.logic = opts.logic;
    this.world = opts.world;
    this.base = opts.base ?? DEFAULT_BASE[opts.logic];
    this.conductorApi = opts.conductor;
    this.codec = opts.context_codec;
    this.observerOpt = opts.observer;
  }

  private get observer(): Observer | undefined {
    return this.observerOpt ?? this.world.observer;
  }
  private get conductor(): IndirectionAPI | null {
    return this.conductorApi !== undefined ? this.conductorApi : this.world.indirection_api;
  }
  private key(f: string): string {
    return this.base._obj_primitive_key(f);
  }

  serialize_context(ctxt: unknown): unknown {
    return this.codec ? this.codec.serialize_context(ctxt) : ctxt;
  }
  deserialize_context(ctxtDict: unknown): unknown {
    return this.codec ? this.codec.deserialize_context(ctxtDict) : ctxtDict;
  }

  /** Objects go out at their own version; containers are walked (sets become lists). */
  serialize_entity(ctxt: unknown, entity: unknown, path: readonly object[] = []): unknown {
    if (typeof entity === 'object' && entity !== null && !isVersionedObject(entity)) {
      // A container that contains itself: the wire's cycle error, not a stack overflow.
      if (path.includes(entity)) throw new WireSerializationError('an argument refers back to itself (a cycle); it cannot be serialized');
      path = [...path, entity];
    }
    if (Array.isArray(entity)) return entity.map((v) => this.serialize_entity(ctxt, v, path));
    if (entity instanceof Set) return [...entity].map((v) => this.serialize_entity(ctxt, v, path));
    if (isVersionedObject(entity)) return entity.obj_to_primitive();
    if (isPlainDict(entity) && this.logic === 'icehouse') return plainFields(entity);
    if (isPlainDict(entity)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(entity)) out[k] = this.serialize_entity(ctxt, v, path);
      return out;
    }
    return entity;
  }

  async deserialize_entity(ctxt: unknown, entity: unknown): Promise<unknown> {
    if (isPlainDict(entity) && this.key('name') in entity) return this._process_object(ctxt, entity);
    if (Array.isArray(entity) || entity instanceof Set) {
      const out: unknown[] = [];
      for (const v of entity) out.push(await this.deserialize_entity(ctxt, v));
      return out;
    }
    if (isPlainDict(entity) && this.logic !== 'icehouse') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(entity)) out[k] = await this.deserialize_entity(ctxt, v);
      return out;
    }
    return entity;
  }

  private emit(ctxt: unknown, objprim: Primitive, outcome: ObjectHydrateOutcome, extra: { class_version?: string; target_version?: string; detail?: string } = {}) {
    const obs = this.observer;
    if (!obs) return;
    obs(
      {
        kind: 'object_hydrate',
        objname: String(objprim[this.key('name')]),
        objver: String(objprim[this.key('version')]),
        outcome,
        ...extra,
      },
      ctxt,
    );
  }

  async _process_object(ctxt: unknown, objprim: Primitive): Promise<unknown> {
    try {
      const obj = this.base.obj_from_primitive(objprim, this.world, ctxt);
      this.emit(ctxt, objprim, 'hydrated', { class_version: obj.cls.VERSION });
      return obj;
    } catch (e) {
      if (!(e instanceof IncompatibleObjectVersion)) {
        this.emit(ctxt, objprim, 'error', { detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
        throw e;
      }
      const supported = String(e.kwargs.supported);
      // Name what was refused: a nested sub-object (PciDevice 1.3 inside an
      // Instance 1.15) is reported as itself, with the version this service knows of it.
      const refused: Primitive = {
        ...objprim,
        [this.key('name')]: e.kwargs.objname ?? objprim[this.key('name')],
        [this.key('version')]: e.kwargs.objver ?? objprim[this.key('version')],
      };
      const nested = refused[this.key('name')] !== objprim[this.key('name')];
      this.emit(ctxt, refused, 'IncompatibleObjectVersion', {
        class_version: supported,
        detail: nested ? `${e.message} (inside ${String(objprim[this.key('name')])} ${String(objprim[this.key('version')])})` : e.message,
      });
      const verkey = this.key('version');
      const objver = objprim[verkey] as string;
      if (this.logic !== 'juno' && this.logic !== 'icehouse' && count_dots(objver) === 2) {
        // The envelope nova hands on carries the shortened version; copy it
        // rather than editing the caller's message in place.
        const retried = { ...objprim, [verkey]: objver.split('.').slice(0, 2).join('.') };
        this.emit(ctxt, retried, 'retry_without_z', { detail: `${objver} -> ${retried[verkey] as string}` });
        return this._process_object(ctxt, retried);
      }
      return this._backport(ctxt, objprim, e);
    }
  }

  private async _backport(ctxt: unknown, objprim: Primitive, e: IncompatibleObjectVersion): Promise<unknown> {
    const objname = objprim[this.key('name')] as string;
    const supported = String(e.kwargs.supported);
    if (this.logic === 'icehouse' || this.logic === 'juno' || this.logic === 'kilo') {
      const api = this.conductor;
      if (!api?.object_backport) throw e;
      this.emit(ctxt, objprim, 'backport_requested', { target_version: supported, detail: 'object_backport' });
      return this._hydrate_backported(ctxt, objprim, await api.object_backport(ctxt, objprim, supported));
    }
    if (this.logic === 'liberty') {
      const manifest = this.world.registry.obj_tree_get_versions(objname);
      if (!Object.prototype.hasOwnProperty.call(manifest, objname)) throw e;
      const api = this.conductor;
      if (!api?.object_backport_versions) throw e;
      this.emit(ctxt, objprim, 'backport_requested', {
        target_version: manifest[objname],
        detail: 'object_backport_versions',
      });
      return this._hydrate_backported(ctxt, objprim, await api.object_backport_versions(ctxt, objprim, manifest));
    }
    // generic oslo.versionedobjects
    const api = this.world.indirection_api;
    const newest = this.world.registry.latest(objname);
    if (!api || !newest) throw e;
    const manifest = this.world.registry.obj_tree_get_versions(objname);
    try {
      if (!api.object_backport_versions) throw new PyException('NotImplementedError', 'exceptions', 'Multi-version backport not supported');
      this.emit(ctxt, objprim, 'backport_requested', { target_version: manifest[objname], detail: 'object_backport_versions' });
      return this._hydrate_backported(ctxt, objprim, await api.object_backport_versions(ctxt, objprim, manifest));
    } catch (err) {
      if (!isNotImplemented(err)) throw err;
      if (!api.object_backport) throw err;
      this.emit(ctxt, objprim, 'backport_requested', { target_version: newest.VERSION, detail: 'object_backport' });
      return this._hydrate_backported(ctxt, objprim, await api.object_backport(ctxt, objprim, newest.VERSION));
    }
  }

  /** The RPC reply is normally already deserialized into an object; hydrate it if not. */
  private _hydrate_backported(ctxt: unknown, objprim: Primitive, result: unknown): unknown {
    let obj = result;
    if (isPlainDict(result) && this.key('name') in result) {
      obj = this.base.obj_from_primitive(result, this.world, ctxt);
    }
    this.emit(ctxt, objprim, 'backported', {
      class_version: obj instanceof VersionedObject ? obj.cls.VERSION : undefined,
      target_version: obj instanceof VersionedObject ? obj.VERSION : undefined,
    });
    return obj;
  }
}

type ObjectHydrateOutcome = 'hydrated' | 'IncompatibleObjectVersion' | 'retry_without_z' | 'backport_requested' | 'backported' | 'error';
