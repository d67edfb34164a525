/**
 * The decorators nova.compute.manager puts on ComputeManager's RPC methods,
 * per release (src/nova/data/compute-decorators.json: the decorator lines
 * of each method at 2014.2, 2015.1.0 and 12.0.0, outermost first).
 *
 * - object_compat (2014.2, 2015.1.0): an `instance` that arrives as a dict
 *   (an old-style 3.x message) becomes an Instance through
 *   Instance._from_db_object(expected_attrs=['metadata', 'system_metadata']).
 * - reverts_task_state: on failure other than UnexpectedTaskStateError, put
 *   task_state back to None (2014.2/2015.1.0 through conductor's
 *   instance_update, 12.0.0 with instance.save()); UnexpectedTaskStateError
 *   logs "Task possibly preempted".
 * - wrap_instance_fault: on failure other than InstanceNotFound, record an
 *   instance fault (compute_utils.add_instance_fault_from_exc ->
 *   InstanceFault.create, through conductor on nova-compute).
 * - errors_out_migration: a migration in 'migrating' / 'post-migrating'
 *   becomes 'error' (only where the migration is an object with save()).
 * - wrap_exception, wrap_instance_event: notifications and instance-action
 *   events, which the model does not record; they re-raise unchanged.
 */
import { PyException, PyKeyError, asPyException, isPy } from '../../oslo/exception';
import { VersionedObject, remotable_call, type ObjectWorld } from '../../oslo/objects';
import { isPlainDict } from '../../oslo/objects/fields';
import decoratorData from '../data/compute-decorators.json';
import { instanceFromDict } from '../objects/world';
import { libertyOrLater, type Release } from '../releases';
import { attr, type LogFn } from './manager_support';

type Kwargs = Record<string, unknown>;
type Method = (ctxt: unknown, kwargs: Kwargs) => Promise<unknown>;

const DECORATORS = decoratorData as unknown as Record<Release, Record<string, string[]>>;

/** The decorators of a ComputeManager method at a release, outermost first. */
export function computeDecorators(release: Release, method: string): string[] {
  return DECORATORS[release]?.[method] ?? [];
}

export interface DecoratorHost {
  readonly release: Release;
  readonly host: string;
  readonly world: ObjectWorld;
  readonly log: LogFn;
  /** conductor_api.instance_update(context, instance_uuid, **updates) (2014.2 / 2015.1.0). */
  instance_update?: (ctxt: unknown, instance_uuid: string, updates: Kwargs) => Promise<unknown>;
}

const MESSAGE_LIMIT = 255;

/** compute_utils.exception_to_dict: code from kwargs (500), the message or the class name. */
export function exceptionToDict(err: unknown): { code: number; message: string } {
  const e = asPyException(err);
  const code = Number((e.kwargs as Kwargs).code ?? 500) || 500;
  const raw = e.message.split('\n')[0] ?? '';
  const message = (raw || e.pyClass).slice(0, MESSAGE_LIMIT);
  return { code, message };
}

/** compute_utils._get_fault_details: the traceback only for a 500. */
function faultDetails(err: unknown, code: number): string {
  if (code !== 500) return '';
  const e = asPyException(err);
  return e.traceback.length > 0 ? e.traceback.join('') : `${e.pyClass}: ${e.message}`;
}

/** compute_utils.add_instance_fault_from_exc */
export async function addInstanceFaultFromExc(h: DecoratorHost, ctxt: unknown, instance: unknown, err: unknown): Promise<void> {
  const Fault = h.world.registry.latest('InstanceFault');
  if (!Fault || !(instance instanceof VersionedObject)) return;
  const { code, message } = exceptionToDict(err);
  const fault = new Fault({}, { context: ctxt, world: h.world });
  fault.set('host', h.host);
  fault.set('instance_uuid', instance.get('uuid'));
  fault.set('code', code);
  fault.set('message', message);
  fault.set('details', faultDetails(err, code));
  await remotable_call(fault, 'create', [], {});
}

function object_compat(h: DecoratorHost, fn: Method): Method {
  return async (ctxt, kwargs) => {
    if (!('instance' in kwargs)) {
      // nova: the KeyError branch loads args[0]; every RPC call here is by keyword.
      throw new PyKeyError("'instance'");
    }
    const inst = kwargs.instance;
    if (isPlainDict(inst)) {
      kwargs = { ...kwargs, instance: instanceFromDict(h.world, ctxt, inst, ['metadata', 'system_metadata']) };
    }
    return fn(ctxt, kwargs);
  };
}

function reverts_task_state(h: DecoratorHost, fn: Method): Method {
  return async (ctxt, kwargs) => {
    try {
      return await fn(ctxt, kwargs);
    } catch (e) {
      if (isPy(e, 'UnexpectedTaskStateError')) {
        h.log('info', `Task possibly preempted: ${(e as PyException).message}`, ctxt);
        throw e;
      }
      const instance = kwargs.instance;
      try {
        if (libertyOrLater(h.release)) {
          // 12.0.0 _instance_update(context, instance, task_state=None)
          if (instance instanceof VersionedObject) {
            instance.set('task_state', null);
            await remotable_call(instance, 'save', [], {});
          }
        } else {
          // keyed_args['instance']['uuid'] (a dict or an object: both subscriptable)
          const uuid = attr<string>(instance, 'uuid');
          if (uuid === undefined) throw new PyKeyError("'uuid'");
          if (h.instance_update) await h.instance_update(ctxt, uuid, { task_state: null });
        }
      } catch (inner) {
        if (h.release === 'juno' || h.release === 'icehouse') {
          // 2014.1 and 2014.2: except Exception: pass
        } else if (!isPy(inner, 'InstanceNotFound')) {
          h.log('warning', `Failed to revert task state for instance. Error: ${(inner as Error).message}`, ctxt);
        }
      }
      throw e;
    }
  };
}

function wrap_instance_fault(h: DecoratorHost, fn: Method): Method {
  return async (ctxt, kwargs) => {
    try {
      return await fn(ctxt, kwargs);
    } catch (e) {
      if (isPy(e, 'InstanceNotFound')) throw e;
      try {
        await addInstanceFaultFromExc(h, ctxt, kwargs.instance, e);
      } catch (inner) {
        // save_and_reraise_exception: the original is re-raised; the new one is logged.
        h.log('error', `Original exception being dropped: ${(inner as Error).message}`, ctxt);
      }
      throw e;
    }
  };
}

function errors_out_migration(_h: DecoratorHost, fn: Method): Method {
  return async (ctxt, kwargs) => {
    try {
      return await fn(ctxt, kwargs);
    } catch (e) {
      const migration = kwargs.migration;
      if (migration instanceof VersionedObject) {
        const status = migration.obj_attr_is_set('status') ? migration.get('status') : null;
        if (status === 'migrating' || status === 'post-migrating') {
          migration.set('status', 'error');
          try {
            await remotable_call(migration, 'save', [], {});
          } catch {
            // the original error wins
          }
        }
      }
      throw e;
    }
  };
}

const passThrough = (_h: DecoratorHost, fn: Method): Method => fn;

const IMPL: Record<string, (h: DecoratorHost, fn: Method) => Method> = {
  object_compat,
  reverts_task_state,
  wrap_instance_fault,
  errors_out_migration,
  wrap_exception: passThrough,
  wrap_instance_event: passThrough,
  delete_instance_fault: passThrough,
};

/** Wrap `fn` in the decorators nova has on `method` at the host's release. */
export function decorate(h: DecoratorHost, method: string, fn: Method): Method {
  let wrapped = fn;
  const list = computeDecorators(h.release, method);
  for (let i = list.length - 1; i >= 0; i--) {
    const impl = IMPL[list[i]!];
    if (impl) wrapped = impl(h, wrapped);
  }
  return wrapped;
}
