import { PyException } from '../oslo/exception';

/**
 * nova.exception classes the model raises. Their message templates are
 * nova's msg_fmt, filled from kwargs; kwargs travel with remote failures
 * and are re-created on the caller (nova.exception is an allowed module).
 */
export const NOVA_EXCEPTION = 'nova.exception';

export class NovaException extends PyException {
  constructor(pyClass: string, message: string, kwargs: Record<string, unknown> = {}) {
    super(pyClass, NOVA_EXCEPTION, message, kwargs);
  }
}

const fmt = (template: string, kwargs: Record<string, unknown>) =>
  template.replace(/%\((\w+)\)s/g, (_, k: string) => String(kwargs[k]));

function novaClass(pyClass: string, template: string) {
  return (kwargs: Record<string, unknown> = {}) => new NovaException(pyClass, fmt(template, kwargs), kwargs);
}

export const InstanceNotFound = novaClass('InstanceNotFound', 'Instance %(instance_id)s could not be found.');
export const FlavorNotFound = novaClass('FlavorNotFound', 'Flavor %(flavor_id)s could not be found.');
export const FlavorNotFoundByName = novaClass('FlavorNotFoundByName', 'Flavor with name %(flavor_name)s could not be found.');
export const ServiceNotFound = novaClass('ServiceNotFound', 'Service %(service_id)s could not be found.');
export const ComputeHostNotFound = novaClass('ComputeHostNotFound', 'Compute host %(host)s could not be found.');
export const UnexpectedTaskStateError = novaClass(
  'UnexpectedTaskStateError',
  'Unexpected task state: expecting %(expected)s but the actual state is %(actual)s',
);
export const UnexpectedDeletingTaskStateError = novaClass(
  'UnexpectedDeletingTaskStateError',
  'Unexpected task state: expecting %(expected)s but the actual state is %(actual)s',
);
export const InstanceInvalidState = novaClass(
  'InstanceInvalidState',
  'Instance %(instance_uuid)s in %(attr)s %(state)s. Cannot %(method)s while the instance is in this state.',
);
export const NoValidHost = novaClass('NoValidHost', 'No valid host was found. %(reason)s');
export const MaxRetriesExceeded = novaClass('MaxRetriesExceeded', 'Exceeded maximum number of retries. %(reason)s');
export const LiveMigrationWithOldNovaNotSafe = novaClass(
  'LiveMigrationWithOldNovaNotSafe',
  "Host %(server)s is running an old version of Nova, live migrations involving that version may cause data loss. Upgrade Nova on %(server)s and try again.",
);
export const InstanceNotRunning = novaClass('InstanceNotRunning', 'Instance %(instance_id)s is not running.');
export const ServiceUnavailable = novaClass('ServiceUnavailable', 'Service is unavailable at this time.');
export const ObjectActionError = novaClass('ObjectActionError', 'Object action %(action)s failed because: %(reason)s');

/** A generic NovaException with a plain message (nova's default class). */
export function novaError(message: string): NovaException {
  return new NovaException('NovaException', message);
}
