// Server side (loaded by compute2): the compute manager with the new argument.
import { LibertyComputeManager, type ComputeDeps, type Kwargs } from 'nova/compute/manager';

export class ComputeManager extends LibertyComputeManager {
  // The version of the compute RPC API this manager implements.
  // TODO: it now also understands 4.6.
  static override TARGET_VERSION = '4.5';

  constructor(deps: ComputeDeps) {
    super(deps);
    // The Python signature the dispatcher binds keyword arguments against
    // (an argument not listed here is a TypeError, as in Python). Liberty's:
    //   def stop_instance(self, context, instance, clean_shutdown)
    // TODO: accept shutdown_timeout, with a default for callers that do not send it.
    this.signatures.stop_instance = { required: ['instance', 'clean_shutdown'], optional: {} };
  }

  override async stop_instance(ctxt: unknown, kw: Kwargs): Promise<void> {
    const timeout = kw.shutdown_timeout ?? 60;
    this.log('info', `Stopping instance, up to ${String(timeout)} s for a clean shutdown`, ctxt, kw.instance);
    await super.stop_instance(ctxt, kw);
  }
}
