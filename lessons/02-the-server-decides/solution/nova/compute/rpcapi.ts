// nova-api's compute RPC client. Two methods were "improved" by a colleague;
// every other method is Kilo's own.
import { KiloComputeAPI, type Kwargs } from 'nova/kilo/compute/rpcapi';

export class ComputeAPI extends KiloComputeAPI {
  override async pause_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const instance = kwargs.instance;
    // 4.0 is the newest compute RPC version a Kilo compute serves (its
    // _ComputeV4Proxy); a Kilo client never sends more. Nova casts it.
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version: '4.0' });
    return cctxt.cast(ctxt, 'pause_instance', { instance });
  }

  override async suspend_instance(ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const instance = kwargs.instance;
    const cctxt = this.client.prepare({ server: this._compute_host(null, instance), version: '4.0' });
    // The method name is looked up on the endpoint as it is: suspend_instance.
    return cctxt.cast(ctxt, 'suspend_instance', { instance });
  }
}
