// compute1's manager (a Juno compute): your pause_instance replaces Juno's.
import { JunoComputeManager, type Kwargs } from 'nova/compute/manager';
import type { NovaObject } from 'nova/objects';

export class ComputeManager extends JunoComputeManager {
  override async pause_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const instance = kw.instance as NovaObject;
    this.log('info', 'Pausing', ctxt, instance);
    this.driver.pause(String(instance.get('uuid')));
    // Setting a field changes this process's copy and marks the field changed.
    instance.set('power_state', this._get_power_state(ctxt, instance));
    instance.set('vm_state', 'paused');
    instance.set('task_state', null);
    // TODO: and the database?
  }
}
