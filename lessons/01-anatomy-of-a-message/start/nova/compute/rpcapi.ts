// The client side of the compute RPC API, as nova-api loads it.
// Only stop_instance is yours; every other method is Kilo's own.
import { KiloComputeAPI, type Kwargs } from 'nova/kilo/compute/rpcapi';

export class ComputeAPI extends KiloComputeAPI {
  override async stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const instance = kwargs.instance;

    // args: the keyword arguments of the compute manager's
    // stop_instance(self, context, instance, clean_shutdown)
    const msg_args: Kwargs = { instance, clean_shutdown: kwargs.clean_shutdown ?? true };

    // The client's target already says topic "compute". prepare() copies it
    // and overrides what you pass: here only the version.
    // TODO: a compute RPC for an instance must reach the host running it.
    const cctxt = this.client.prepare({ version: '4.0' });

    // do_cast (true unless a caller wants to wait) picks cast or call.
    if (kwargs.do_cast ?? true) {
      await cctxt.cast(ctxt, 'stop_instance', msg_args); // publish, return at once
    } else {
      await cctxt.call(ctxt, 'stop_instance', msg_args); // wait for the reply (or a timeout)
    }
  }
}
