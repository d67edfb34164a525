// Instance, one version newer than Kilo's: loaded by nova-api and
// nova-conductor, so they make and read Instance 1.20. compute1 keeps
// Kilo's Instance 1.19.
import { registry, StringField, convert_version_to_tuple, type NovaObjectClass, type Primitive } from 'nova/objects';

// The newest Instance class this service knows before yours: Kilo's 1.19.
const KiloInstance: NovaObjectClass = registry.get('Instance');

export class Instance extends KiloInstance {
  // Version 1.18: Added flavor, old_flavor and new_flavor (Kilo)
  // Version 1.19: Added vcpu_model (Kilo)
  // Version 1.20: Added locked_reason
  static override VERSION = '1.20';
  static override fields = { locked_reason: StringField({ nullable: true }) };
  static override obj_name(): string {
    return 'Instance';
  }

  override obj_make_compatible(primitive: Primitive, target_version: string): void {
    super.obj_make_compatible(primitive, target_version);
    const [major, minor] = convert_version_to_tuple(target_version);
    // Below 1.20 the field did not exist: a 1.19 primitive must not carry it.
    if (major === 1 && minor! < 20) delete primitive.locked_reason;
  }
}
