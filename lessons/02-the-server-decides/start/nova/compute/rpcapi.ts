// nova-api's compute RPC client. Two methods were "improved" by a colleague;
// every other method is Kilo's own.
import { KiloComputeAPI, type Kwargs } from 'nova/kilo/compute/rpcapi';

export class ComputeAPI extends KiloComputeAPI {
  override async pause_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const instance = kwargs.instance;
    // "A newer version must be better" -- and a call, to be sure it worked.
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version: '4.1' });
    return cctxt.call(ctxt, 'pause_instance', { instance });
  }

  override async suspend_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const instance = kwargs.instance;
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version: '4.0' });
    return cctxt.cast(ctxt, 'suspend', { instance });
  }
}
