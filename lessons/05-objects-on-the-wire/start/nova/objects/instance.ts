// Instance, one version newer than Kilo's: loaded by nova-api,
// nova-conductor and compute2, so they make and read Instance 1.20.
// compute1 keeps Kilo's Instance 1.19.
import { registry, StringField, type NovaObjectClass, type Primitive } from 'nova/objects';

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
    // TODO: what must a 1.19 primitive not contain?
  }
}

// A list says which version of its elements each of its own versions
// carries (Kilo: child_versions). When Instance gets a version, nova bumps
// InstanceList too, so that a 1.20 reader can ask for a list of 1.20s.
type ListClass = NovaObjectClass & { child_versions: Record<string, string> };
const KiloInstanceList = registry.get('InstanceList') as ListClass;

export class InstanceList extends (KiloInstanceList as NovaObjectClass) {
  // Version 1.16: Instance 1.19 (Kilo)
  // Version 1.17: Instance 1.20
  static override VERSION = '1.17';
  static child_versions = { ...KiloInstanceList.child_versions, '1.17': '1.20' };
  static override obj_name(): string {
    return 'InstanceList';
  }
}
