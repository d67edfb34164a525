// Client side (loaded by nova-api): ComputeAPI.stop_instance with the new
// shutdown_timeout argument. Compute RPC 4.6 = "stop_instance takes shutdown_timeout".
import { LibertyComputeAPI, type Kwargs } from 'nova/liberty/compute/rpcapi';

export class ComputeAPI extends LibertyComputeAPI {
  // Python: def stop_instance(self, ctxt, instance, do_cast=True,
  //                           clean_shutdown=True, shutdown_timeout=60)
  override async stop_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const instance = kwargs.instance;
    const msg_args: Kwargs = {
      instance,
      clean_shutdown: kwargs.clean_shutdown ?? true,
      shutdown_timeout: kwargs.shutdown_timeout ?? 60,
    };
    let version = '4.6';
    if (!this.client.can_send_version(version)) {
      // The cap (or nothing newer on the other side) says 4.0: send what
      // 4.0 had, and nothing it did not.
      version = '4.0';
      delete msg_args.shutdown_timeout;
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version });
    if (kwargs.do_cast ?? true) return cctxt.cast(ctxt, 'stop_instance', msg_args);
    return cctxt.call(ctxt, 'stop_instance', msg_args);
  }
}
