import type { PyException } from '../../exception';
import { nextMacrotask } from '../../scheduling';
import { MessagingTimeout } from '../exceptions';
import type { RpcMessage } from '../message';
import {
  deserialize_remote_exception,
  genericExceptionFactory,
  serialize_remote_exception,
  type ExceptionFactory,
} from '../remote_error';
import type { Target } from '../target';
import type { IncomingHandler, IncomingMessage, Listener, SendOptions, Transport } from '../transport';
import {
  deserialize_msg,
  pack_message,
  pack_replies,
  routing_key,
  unpack_message,
  type Envelope,
  type ReplyBody,
} from './amqp_envelope';

export interface LoopbackTransportOptions {
  rpc_response_timeout?: number;
  allowed_remote_exmods?: string[];
  exceptionFactory?: ExceptionFactory;
  /** Name used in the wire log (e.g. the service's host). */
  name?: string;
}

/** One envelope as it crossed the in-process wire. */
export interface WireRecord {
  time: number;
  from: string;
  /** Queue or exchange it was published to. */
  to: string;
  envelope: Envelope;
}

interface Consumer {
  handler: IncomingHandler;
  active: boolean;
}

interface Queue {
  consumers: Consumer[];
  next: number;
  backlog: Envelope[];
}

interface PendingCall {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  deadline: number;
  transport: LoopbackTransport;
  seq: number;
}

const DISPATCH_FRAMES = [
  'oslo_messaging/rpc/dispatcher.py, in _dispatch_and_reply',
  'oslo_messaging/rpc/dispatcher.py, in _dispatch',
  'oslo_messaging/rpc/dispatcher.py, in _do_dispatch',
];

/**
 * An in-process message bus with the rabbit driver's routing (topic queue
 * shared round-robin, per-server queue `<topic>.<server>`, fanout to every
 * listener, replies by msg_id) and a virtual clock: a call whose reply never
 * comes fails with MessagingTimeout once nothing else is left to happen.
 * Everything is JSON-enveloped on the way, so only primitives cross.
 * Queues outlive their consumers: messages wait until someone listens again.
 */
export class LoopbackBus {
  /** Virtual seconds. */
  now = 0;
  readonly wire: WireRecord[] = [];
  private readonly queues = new Map<string, Queue>();
  private readonly fanouts = new Map<string, Set<Consumer>>();
  private readonly pending = new Map<string, PendingCall>();
  private readonly work: (() => void)[] = [];
  private counter = 0;
  private pumping = false;

  transport(options: LoopbackTransportOptions = {}): LoopbackTransport {
    return new LoopbackTransport(this, options);
  }

  /** Deterministic hex ids (uuid4().hex in the real driver). */
  uid(): string {
    this.counter += 1;
    return this.counter.toString(16).padStart(32, '0');
  }

  /** Run until no message is in flight and no call can still be answered. */
  async settle(): Promise<void> {
    for (;;) {
      while (this.work.length > 0) {
        this.work.shift()!();
        await nextMacrotask();
      }
      await nextMacrotask();
      if (this.work.length > 0) continue;
      const next = [...this.pending.entries()].sort((a, b) => a[1].deadline - b[1].deadline || a[1].seq - b[1].seq)[0];
      if (!next) return;
      const [msgId, call] = next;
      this.now = Math.max(this.now, call.deadline);
      this.pending.delete(msgId);
      call.reject(new MessagingTimeout(`Timed out waiting for a reply to message ID ${msgId}`));
      await nextMacrotask();
    }
  }

  private schedule(fn: () => void): void {
    this.work.push(fn);
    if (!this.pumping) {
      this.pumping = true;
      void nextMacrotask().then(async () => {
        await this.settle();
        this.pumping = false;
      });
    }
  }

  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = { consumers: [], next: 0, backlog: [] };
      this.queues.set(name, q);
    }
    return q;
  }

  /** Names of declared queues with how many messages wait in each. */
  backlog(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, q] of this.queues) out[name] = q.backlog.length;
    return out;
  }

  listen(target: Target, handler: IncomingHandler, transport: LoopbackTransport): Listener {
    const consumer: Consumer = { handler, active: true };
    const names = [target.topic!, ...(target.server ? [routing_key(target.topic!, target.server)] : [])];
    for (const name of names) {
      const q = this.queue(name);
      q.consumers.push(consumer);
      this.drain(name, transport);
    }
    let fan = this.fanouts.get(target.topic!);
    if (!fan) this.fanouts.set(target.topic!, (fan = new Set()));
    fan.add(consumer);
    return {
      stop: () => {
        consumer.active = false;
        for (const name of names) {
          const q = this.queue(name);
          q.consumers = q.consumers.filter((c) => c !== consumer);
        }
        fan!.delete(consumer);
      },
    };
  }

  /** Deliver what waits in a queue to its consumers, round-robin. */
  private drain(name: string, transport: LoopbackTransport): void {
    const q = this.queue(name);
    while (q.backlog.length > 0 && q.consumers.length > 0) {
      const envelope = q.backlog.shift()!;
      const consumer = q.consumers[q.next % q.consumers.length]!;
      q.next += 1;
      this.schedule(() => this.deliver(consumer, envelope, transport));
    }
  }

  publish(from: LoopbackTransport, target: Target, envelope: Envelope): void {
    if (target.fanout) {
      this.wire.push({ time: this.now, from: from.name, to: `${target.topic}_fanout`, envelope });
      for (const consumer of this.fanouts.get(target.topic!) ?? []) {
        this.schedule(() => this.deliver(consumer, envelope, from));
      }
      return;
    }
    const name = routing_key(target.topic!, target.server);
    this.wire.push({ time: this.now, from: from.name, to: name, envelope });
    // A message to a queue nobody ever declared is dropped, as on a real broker.
    if (!this.queues.has(name)) return;
    this.queue(name).backlog.push(envelope);
    this.drain(name, from);
  }

  expectReply(msgId: string, call: Omit<PendingCall, 'seq'>): void {
    this.pending.set(msgId, { ...call, seq: this.counter });
  }

  private deliver(consumer: Consumer, envelope: Envelope, sender: LoopbackTransport): void {
    const { ctxt, message, msg_id, reply_q } = unpack_message(envelope);
    let replied = false;
    const incoming: IncomingMessage = {
      ctxt,
      message: message as RpcMessage,
      expectsReply: msg_id !== null,
      handle: envelope,
      reply: (result: unknown, failure?: PyException | null) => {
        if (!msg_id || replied) return;
        replied = true;
        const failureJson = failure ? serialize_remote_exception(failure, DISPATCH_FRAMES) : null;
        for (const reply of pack_replies(msg_id, result, failureJson, () => this.uid())) {
          this.wire.push({ time: this.now, from: 'reply', to: reply_q ?? msg_id, envelope: reply });
          this.schedule(() => this.answer(reply));
        }
      },
    };
    void sender;
    void consumer.handler(incoming);
  }

  private answer(envelope: Envelope): void {
    const body = deserialize_msg(envelope) as unknown as ReplyBody;
    if (body.ending || !body._msg_id) return;
    const call = this.pending.get(body._msg_id);
    if (!call) return; // the caller gave up (timed out) or restarted
    this.pending.delete(body._msg_id);
    if (body.failure) {
      call.reject(
        deserialize_remote_exception(body.failure, call.transport.allowed_remote_exmods, call.transport.exceptionFactory),
      );
    } else {
      call.resolve(body.result);
    }
  }
}

/** One service's connection to a LoopbackBus. */
export class LoopbackTransport implements Transport {
  readonly conf: { rpc_response_timeout: number };
  readonly allowed_remote_exmods: string[];
  readonly exceptionFactory: ExceptionFactory;
  readonly name: string;
  readonly reply_q: string;

  constructor(
    readonly bus: LoopbackBus,
    options: LoopbackTransportOptions,
  ) {
    this.conf = { rpc_response_timeout: options.rpc_response_timeout ?? 60 };
    this.allowed_remote_exmods = options.allowed_remote_exmods ?? [];
    this.exceptionFactory = options.exceptionFactory ?? genericExceptionFactory;
    this.name = options.name ?? 'client';
    this.reply_q = `reply_${bus.uid()}`;
  }

  _send(target: Target, ctxt: Record<string, unknown>, message: RpcMessage, options: SendOptions): Promise<unknown> {
    const msgId = options.wait_for_reply ? this.bus.uid() : null;
    const envelope = pack_message(
      ctxt,
      message,
      this.bus.uid(),
      msgId ? { msg_id: msgId, reply_q: this.reply_q } : undefined,
    );
    if (!msgId) {
      this.bus.publish(this, target, envelope);
      return Promise.resolve(null);
    }
    return new Promise((resolve, reject) => {
      const timeout = options.timeout ?? this.conf.rpc_response_timeout;
      this.bus.expectReply(msgId, { resolve, reject, deadline: this.bus.now + timeout, transport: this });
      this.bus.publish(this, target, envelope);
    });
  }

  _listen(target: Target, handler: IncomingHandler): Listener {
    return this.bus.listen(target, handler, this);
  }
}
