/**
 * What crosses between the broker and a service worker on the bus port.
 * Types only: the behaviour lives in broker.ts and service_host.ts.
 *
 * The broker runs the simulation one step at a time: it sends a worker the
 * items due at the current virtual time, the worker works until every
 * handler has finished or waits for a reply, and answers with what it
 * produced. Only one worker runs at a time, so runs are deterministic.
 */
import type { Envelope } from '../oslo/messaging/drivers/amqp_envelope';
import type { TargetFields } from '../oslo/messaging/target';
import type { UserAction } from '../nova/service_api';
import type { TraceKind } from './trace';

/** Something the broker hands a worker. `event` is the trace id it descends from. */
export type Delivery =
  | { k: 'message'; event: string; queue: string; consumer: string; envelope: Envelope }
  | { k: 'reply'; event: string; envelope: Envelope }
  | { k: 'timeout'; event: string; msg_id: string; timeout: number }
  | { k: 'db_result'; event: string; req: number; ok: boolean; value: unknown }
  | { k: 'action'; event: string; action: UserAction; request_id: string }
  | { k: 'start'; event: string }
  /** Run one of the service's periodic tasks now (nova's periodic_task, on a scenario's cue). */
  | { k: 'periodic'; event: string; task: string }
  | { k: 'stop'; event: string };

export interface RunStep {
  t: 'run';
  step: number;
  /** Virtual time in ms. */
  time: number;
  items: Delivery[];
}

/** A trace event produced in a worker; `lid` is local to the step, `cause` global or local. */
export interface LocalEvent {
  lid: string;
  kind: TraceKind;
  cause?: string;
  text: string;
  data?: Record<string, unknown>;
}

/** Something a worker asks the broker to do. */
export type Output =
  | {
      k: 'publish';
      lid: string;
      target: TargetFields;
      envelope: Envelope;
      /** What the envelope holds, so the broker never has to parse it. */
      method: string;
      version: string | null;
      /** For a call: where the reply goes and when it times out (seconds). */
      call?: { msg_id: string; reply_q: string; timeout: number };
    }
  | {
      k: 'reply';
      lid: string;
      reply_q: string;
      msg_id: string;
      envelopes: Envelope[];
      failure: { class: string; message: string; expected?: boolean } | null;
    }
  | { k: 'listen'; target: TargetFields; consumer: string }
  | { k: 'unlisten'; consumer: string }
  | { k: 'reply_queue'; name: string }
  | { k: 'db'; lid: string; req: number; method: string; args: unknown[] }
  | { k: 'action_done'; lid: string; request_id: string; ok: boolean; result: unknown }
  /** The process died ([fault_injection] die): detach it; what it was answering is never answered. */
  | { k: 'died'; lid: string; reason: string };

export interface StepDone {
  t: 'done';
  step: number;
  events: LocalEvent[];
  out: Output[];
}

export type ToWorker = RunStep;
export type FromWorker = StepDone | { t: 'fatal'; message: string };
