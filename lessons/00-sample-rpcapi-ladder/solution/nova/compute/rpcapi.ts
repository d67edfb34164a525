import { KiloComputeAPI, type Kwargs } from 'nova/kilo/compute/rpcapi';

export class ComputeAPI extends KiloComputeAPI {
  override async shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const msg_args: Kwargs = { instance: kwargs.instance };
    let version: string;
    if (this.client.can_send_version('4.0')) {
      version = '4.0';
      msg_args.clean_shutdown = kwargs.clean_shutdown ?? true;
    } else if (this.client.can_send_version('3.37')) {
      version = '3.37';
      msg_args.clean_shutdown = kwargs.clean_shutdown ?? true;
    } else {
      version = '3.0';
    }
    const cctxt = this.client.prepare({ server: this._compute_host(null, kwargs.instance), version });
    await cctxt.cast(ctxt, 'shelve_offload_instance', msg_args);
  }
}
