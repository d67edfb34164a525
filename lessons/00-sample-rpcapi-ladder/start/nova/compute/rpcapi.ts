import { KiloComputeAPI, type Kwargs } from 'nova/kilo/compute/rpcapi';

export class ComputeAPI extends KiloComputeAPI {
  override async shelve_offload_instance(ctxt: unknown, kwargs: Kwargs): Promise<void> {
    const msg_args: Kwargs = { instance: kwargs.instance, clean_shutdown: kwargs.clean_shutdown ?? true };
    const version = '4.0'; // TODO: ask this.client.can_send_version() and fall back
    const cctxt = this.client.prepare({ server: this._compute_host(null, kwargs.instance), version });
    await cctxt.cast(ctxt, 'shelve_offload_instance', msg_args);
  }
}
