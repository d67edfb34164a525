import type { RPCDispatcher } from './dispatcher';
import type { Target } from './target';
import type { Listener, Transport } from './transport';

/** get_rpc_server(): listens on a target and hands every message to the dispatcher. */
export class RPCServer {
  private listener: Listener | null = null;

  constructor(
    readonly transport: Transport,
    readonly target: Target,
    readonly dispatcher: RPCDispatcher,
  ) {}

  start(): void {
    if (this.listener) return;
    this.listener = this.transport._listen(this.target, (incoming) => this.dispatcher.dispatchAndReply(incoming));
  }

  stop(): void {
    this.listener?.stop();
    this.listener = null;
  }

  get running(): boolean {
    return this.listener !== null;
  }
}
