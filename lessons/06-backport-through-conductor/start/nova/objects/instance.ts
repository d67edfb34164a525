// A stable/kilo bug fix touched Instance. nova-api and nova-conductor run
// the fixed code; the computes do not have it yet.
import { registry, type NovaObjectClass } from 'nova/objects';

// The newest Instance class this service knows before the fix: Kilo's 1.19.
const KiloInstance: NovaObjectClass = registry.get('Instance');

export class Instance extends KiloInstance {
  // Version 1.18: Added flavor, old_flavor and new_flavor (Kilo)
  // Version 1.19: Added vcpu_model (Kilo)
  // The fix adds no field and changes no field: it is safe for any node
  // that knows 1.19. Which version says that on the wire?
  static override VERSION = '1.20';
  static override obj_name(): string {
    return 'Instance';
  }
}
