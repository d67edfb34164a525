/** The RPC message dict a client builds (before the driver adds its envelope). */
export interface RpcMessage {
  method: string;
  args: Record<string, unknown>;
  namespace?: string;
  version?: string;
}

/** Failure data as serialize_remote_exception puts it on the wire (JSON-encoded). */
export interface RemoteFailure {
  class: string;
  module: string;
  message: string;
  tb: string[];
  args: unknown[];
  kwargs: Record<string, unknown>;
}
