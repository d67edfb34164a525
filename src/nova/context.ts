import { PyValueError } from '../oslo/exception';
import { TRACE_PARENT, traceParentOf, withTraceParent } from '../oslo/observer';

/**
 * nova.context.RequestContext: who asks, on behalf of which project, with
 * which request id. It travels with every RPC message as its to_dict()
 * (flattened into `_context_*` keys on the wire) and is rebuilt on the
 * server with from_dict(). The trace parent rides along off the wire.
 */
export interface RequestContextValues {
  user_id: string | null;
  project_id: string | null;
  is_admin: boolean;
  read_deleted: string;
  roles: string[];
  remote_address: string | null;
  timestamp: string | null;
  request_id: string;
  auth_token: string | null;
  quota_class: string | null;
  user_name: string | null;
  project_name: string | null;
  service_catalog: unknown[];
  instance_lock_checked: boolean;
}

/** timeutils.parse_strtime's format (the model also accepts the ISO 'Z' forms its clock writes). */
const STRTIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z?$/;

/** repr() of a JSON-decoded value in Python 2.7 (strings are unicode). */
function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `u'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return JSON.stringify(v);
}

export class RequestContext implements RequestContextValues {
  user_id: string | null = null;
  project_id: string | null = null;
  is_admin = false;
  read_deleted = 'no';
  roles: string[] = [];
  remote_address: string | null = null;
  timestamp: string | null = null;
  request_id = 'req-00000000-0000-0000-0000-000000000000';
  auth_token: string | null = null;
  quota_class: string | null = null;
  user_name: string | null = null;
  project_name: string | null = null;
  service_catalog: unknown[] = [];
  instance_lock_checked = false;

  constructor(values: Partial<RequestContextValues> = {}) {
    Object.assign(this, values);
  }

  /** An admin context for a service's own periodic work. */
  static admin(request_id: string, timestamp: string | null = null): RequestContext {
    return new RequestContext({ is_admin: true, roles: ['admin'], request_id, timestamp });
  }

  /** Kilo's to_dict: oslo.context's keys plus nova's own. */
  to_dict(): Record<string, unknown> {
    return withTraceParent(this.values(), this.traceParent);
  }

  private values(): Record<string, unknown> {
    return {
      user: this.user_id,
      tenant: this.project_id,
      domain: null,
      user_domain: null,
      project_domain: null,
      is_admin: this.is_admin,
      read_only: false,
      show_deleted: false,
      auth_token: this.auth_token,
      request_id: this.request_id,
      resource_uuid: null,
      user_id: this.user_id,
      project_id: this.project_id,
      read_deleted: this.read_deleted,
      roles: Array.isArray(this.roles) ? [...this.roles] : this.roles,
      remote_address: this.remote_address,
      timestamp: this.timestamp,
      quota_class: this.quota_class,
      user_name: this.user_name,
      service_catalog: this.service_catalog,
      project_name: this.project_name,
      instance_lock_checked: this.instance_lock_checked,
    };
  }

  static from_dict(values: Record<string, unknown>): RequestContext {
    // nova/context.py @2015.1.0 RequestContext.__init__: read_deleted goes
    // through _set_read_deleted, a string timestamp through
    // timeutils.parse_strtime, roles are `roles or []`.
    const read_deleted = values.read_deleted ?? 'no';
    if (!['no', 'yes', 'only'].includes(read_deleted as string)) {
      throw new PyValueError(`read_deleted can only be one of 'no', 'yes' or 'only', not ${pyRepr(read_deleted)}`);
    }
    if (typeof values.timestamp === 'string' && values.timestamp !== '' && !STRTIME.test(values.timestamp)) {
      throw new PyValueError(`time data ${pyRepr(values.timestamp)} does not match format '%Y-%m-%dT%H:%M:%S.%f'`);
    }
    const ctxt = new RequestContext({
      user_id: (values.user_id ?? values.user ?? null) as string | null,
      project_id: (values.project_id ?? values.tenant ?? null) as string | null,
      is_admin: Boolean(values.is_admin),
      read_deleted: (values.read_deleted as string) ?? 'no',
      roles: (values.roles || []) as string[],
      remote_address: (values.remote_address as string) ?? null,
      timestamp: (values.timestamp as string) ?? null,
      request_id: (values.request_id as string) ?? 'req-unknown',
      auth_token: (values.auth_token as string) ?? null,
      quota_class: (values.quota_class as string) ?? null,
      user_name: (values.user_name as string) ?? null,
      project_name: (values.project_name as string) ?? null,
      service_catalog: (values.service_catalog as unknown[]) ?? [],
      instance_lock_checked: Boolean(values.instance_lock_checked),
    });
    return withTraceParent(ctxt, traceParentOf(values));
  }

  /** A copy for work that descends from another trace event. */
  childOf(parent: string | undefined): RequestContext {
    const c = new RequestContext(this);
    return withTraceParent(c, parent ?? traceParentOf(this));
  }

  get traceParent(): string | undefined {
    return (this as unknown as Record<symbol, string | undefined>)[TRACE_PARENT];
  }
}
