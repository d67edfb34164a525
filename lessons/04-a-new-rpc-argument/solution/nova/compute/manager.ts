// Server side (loaded by compute2): the compute manager with the new argument.
import { LibertyComputeManager, type ComputeDeps, type Kwargs } from 'nova/compute/manager';

export class ComputeManager extends LibertyComputeManager {
  // The version of the compute RPC API this manager implements: 4.6 serves
  // every 4.x message up to 4.6, so 4.0 messages from pinned clients too.
  static override TARGET_VERSION = '4.6';

  constructor(deps: ComputeDeps) {
    super(deps);
    // def stop_instance(self, context, instance, clean_shutdown, shutdown_timeout=60)
    // The default serves 4.0 messages, which do not carry the argument.
    this.signatures.stop_instance = { required: ['instance', 'clean_shutdown'], optional: { shutdown_timeout: 60 } };
  }

  override async stop_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const timeout = kw.shutdown_timeout ?? 60;
    this.log('info', `Stopping instance, up to ${String(timeout)} s for a clean shutdown`, ctxt, kw.instance);
    await super.stop_instance(ctxt, kw);
  }
}
