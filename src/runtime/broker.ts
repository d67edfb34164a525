/**
 * The message bus, modelled on oslo.messaging's rabbit driver and run as a
 * discrete-event simulation. It owns the exchanges and queues (a topic
 * queue shared round-robin by its consumers, `<topic>.<host>` server
 * queues, per-consumer fanout queues, reply queues), the nova database, the
 * virtual clock and the trace. Services live in workers; the broker hands
 * each one its due deliveries one step at a time and waits for the step's
 * outputs, so a scenario replays identically everywhere.
 *
 * Queues outlive their consumers: a message for a stopped service waits in
 * its queue until a consumer (maybe at another release) listens again.
 */
import type { Database } from '../nova/db/api';
import type { Envelope } from '../oslo/messaging/drivers/amqp_envelope';
import { routing_key, serialize_msg } from '../oslo/messaging';
import type { TargetFields } from '../oslo/messaging/target';
import type { UserAction } from '../nova/service_api';
import type { Delivery, FromWorker, Output, RunStep } from './protocol';
import type { TraceEvent, TraceKind } from './trace';
import { stepResultProblem } from './step_result';

/** A worker as the broker sees it. */
export interface WorkerLink {
  run(step: RunStep): Promise<FromWorker>;
  /** End the worker (a crash, the watchdog). */
  terminate(): void;
  /** The service stopped cleanly: its worker may host another one. */
  release?(): void;
}

export interface BrokerOptions {
  db: Database;
  /** Virtual ms a message takes from publish to delivery. */
  latency?: number;
  /** Wall-clock ms a worker may take for one step before the watchdog ends it. */
  watchdogMs?: number;
  /** Called after the watchdog terminated a worker (the cluster restarts it). */
  onCrash?(serviceId: string, reason: string): void;
  /** A service's process died by an injected fault: it stays down until started again. */
  onDeath?(serviceId: string, reason: string): void;
  /** Called for every trace event as it is recorded. */
  onEvent?(e: TraceEvent): void;
  /**
   * A run that does not settle within this many steps, or this much virtual
   * time, is stopped (a message loop, e.g. a service calling itself).
   */
  maxSteps?: number;
  maxVirtualMs?: number;
  /** Per run (one settle): messages published, trace events recorded, messages waiting in queues. */
  budget?: Partial<RunBudget>;
  /** The most a service may publish in one step (its boot's limit; 500 by default). */
  maxPublishesPerStep?(serviceId: string): number;
  /** Called after a halt with the services left holding work that will never finish. */
  onHalt?(involved: string[]): void;
}

export interface RunBudget {
  messages: number;
  events: number;
  queued: number;
}

const DEFAULT_BUDGET: RunBudget = { messages: 50_000, events: 200_000, queued: 20_000 };

interface QueuedMessage {
  envelope: Envelope;
  /** The send event. */
  send: string;
  msg_id: string | null;
  method: string;
  version: string | null;
}

interface Queue {
  name: string;
  consumers: string[];
  next: number;
  backlog: QueuedMessage[];
}

interface Consumer {
  id: string;
  service: string;
  queues: string[];
  fanoutTopic: string | null;
}

interface Scheduled {
  time: number;
  seq: number;
  service: string;
  delivery: Delivery;
  /** For messages: which queue it came from and the consumer picked. */
  queued?: { queue: string; message: QueuedMessage };
  /** Trace data for the event created when the step runs. */
  trace: { kind: TraceKind; text: string; cause?: string; data?: Record<string, unknown> };
}

interface PendingCall {
  caller: string;
  reply_q: string;
  send: string;
  callee: string | null;
  answered: boolean;
  method: string;
  /** Agenda id of its timeout, removed once the call is answered. */
  timeoutSeq?: number;
}

interface ServiceSlot {
  id: string;
  link: WorkerLink | null;
  running: boolean;
  /** Reply queues of the current incarnation. */
  replyQueues: Set<string>;
}

export interface ActionResult {
  request_id: string;
  ok: boolean;
  result: unknown;
  event: string;
}

export class Broker {
  readonly events: TraceEvent[] = [];
  private readonly byId = new Map<string, TraceEvent>();
  private readonly queues = new Map<string, Queue>();
  private readonly consumers = new Map<string, Consumer>();
  private readonly replyQueues = new Map<string, string>();
  private readonly calls = new Map<string, PendingCall>();
  private readonly services = new Map<string, ServiceSlot>();
  private readonly agenda: Scheduled[] = [];
  private readonly actions = new Map<string, { resolve(r: ActionResult): void; event: string; service: string }>();
  private seq = 0;
  private stepNo = 0;
  /** Rounds run, and how many ran more than one service at once (the benchmark's floor uses them). */
  private roundsRun = 0;
  private parallelRounds = 0;
  private published = 0;
  private queuedNow = 0;
  private eventNo = 0;
  /** Virtual time, ms. */
  now = 0;
  readonly latency: number;
  readonly watchdogMs: number;
  private running: Promise<void> | null = null;
  /** Steps in progress (one per busy service), for the watchdog. */
  private readonly inflight = new Map<string, { started: number; hung(): void }>();

  constructor(private readonly options: BrokerOptions) {
    this.latency = options.latency ?? 1;
    this.watchdogMs = options.watchdogMs ?? 1500;
  }

  get db(): Database {
    return this.options.db;
  }

  /** How the run so far was cut into rounds: each one a broker <-> worker round trip on the critical path. */
  get rounds(): { rounds: number; steps: number; parallel: number } {
    return { rounds: this.roundsRun, steps: this.stepNo, parallel: this.parallelRounds };
  }

  // --- trace ------------------------------------------------------------------

  record(kind: TraceKind, service: string, text: string, cause?: string, data?: Record<string, unknown>): TraceEvent {
    this.eventNo += 1;
    const e: TraceEvent = { id: `e${this.eventNo}`, seq: this.eventNo, time: this.now, kind, service, text };
    if (cause) e.cause = cause;
    if (data) e.data = data;
    this.events.push(e);
    this.byId.set(e.id, e);
    this.options.onEvent?.(e);
    return e;
  }

  event(id: string): TraceEvent | undefined {
    return this.byId.get(id);
  }

  // --- services -----------------------------------------------------------------

  attach(id: string, link: WorkerLink): void {
    const slot = this.services.get(id) ?? { id, link: null, running: false, replyQueues: new Set<string>() };
    slot.link = link;
    slot.running = true;
    this.services.set(id, slot);
  }

  /** Detach a service's worker: its consumers and reply queues go, its queues stay. */
  detach(id: string, reason: string, cause?: string): void {
    const slot = this.services.get(id);
    if (!slot) return;
    slot.running = false;
    slot.link = null;
    for (const c of [...this.consumers.values()]) if (c.service === id) this.removeConsumer(c.id);
    for (const q of slot.replyQueues) this.replyQueues.delete(q);
    slot.replyQueues.clear();
    // Calls this service was answering will never be answered by it.
    for (const [msg_id, call] of this.calls) {
      if (call.caller === id) {
        this.calls.delete(msg_id);
        this.unschedule(call.timeoutSeq);
      }
    }
    for (let i = this.agenda.length - 1; i >= 0; i--) {
      const s = this.agenda[i]!;
      if (s.service !== id) continue;
      // Unacked messages go back to their queue head; everything else dies with the process.
      if (s.queued) {
        this.queue(s.queued.queue).backlog.unshift(s.queued.message);
        this.queuedNow += 1;
      }
      this.agenda.splice(i, 1);
    }
    // A user request the api was handling (or had not started) dies with it.
    for (const [request_id, a] of [...this.actions]) {
      if (a.service !== id) continue;
      this.actions.delete(request_id);
      const o = this.record('outcome', id, `the request died with ${id}: ${reason}`, a.event.startsWith('s') ? cause : a.event, { ok: false });
      a.resolve({ request_id, ok: false, result: { class: 'ServiceUnavailable', message: reason }, event: o.id });
    }
  }

  linkOf(id: string): WorkerLink | null {
    return this.services.get(id)?.link ?? null;
  }

  isRunning(id: string): boolean {
    return this.services.get(id)?.running ?? false;
  }

  /** Ask a service to start (after attach) or stop, as a step. */
  control(id: string, k: 'start' | 'stop', cause?: string): void {
    const text = k === 'start' ? `${id} starts` : `${id} stops consuming`;
    this.schedule({ time: this.now, service: id, delivery: { k, event: '' }, trace: { kind: 'lifecycle', text, cause } });
  }

  /** Run a periodic task of a service now, as a step. */
  periodic(id: string, task: string, cause?: string): void {
    this.schedule({ time: this.now, service: id, delivery: { k: 'periodic', event: '', task }, trace: { kind: 'lifecycle', text: `${id} runs its periodic task ${task}`, cause, data: { action: 'periodic', task } } });
  }

  /** A user action for the api service; resolves when the api finished handling it. */
  act(apiId: string, action: UserAction, request_id: string, cause?: string): Promise<ActionResult> {
    return new Promise((resolve) => {
      const text = `user: ${describeAction(action)}`;
      const s = this.schedule({
        time: this.now,
        service: apiId,
        delivery: { k: 'action', event: '', action, request_id },
        trace: { kind: 'user_action', text, cause, data: { action, request_id } },
      });
      this.actions.set(request_id, { resolve, event: s, service: apiId });
    });
  }

  // --- queues -------------------------------------------------------------------

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = { name, consumers: [], next: 0, backlog: [] };
      this.queues.set(name, q);
    }
    return q;
  }

  /** Declared queues and how many messages wait in each. */
  queueDepths(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, q] of [...this.queues].sort(([a], [b]) => a.localeCompare(b))) out[name] = q.backlog.length;
    return out;
  }

  private addConsumer(service: string, consumerId: string, target: TargetFields): void {
    const topic = target.topic ?? '';
    const names = [topic, ...(target.server ? [routing_key(topic, target.server)] : [])];
    const consumer: Consumer = { id: consumerId, service, queues: names, fanoutTopic: topic };
    this.consumers.set(consumerId, consumer);
    for (const name of names) {
      const q = this.queue(name);
      q.consumers.push(consumerId);
      this.drain(q);
    }
  }

  private removeConsumer(consumerId: string): void {
    const c = this.consumers.get(consumerId);
    if (!c) return;
    this.consumers.delete(consumerId);
    for (const name of c.queues) {
      const q = this.queue(name);
      q.consumers = q.consumers.filter((x) => x !== consumerId);
    }
  }

  private drain(q: Queue): void {
    while (q.backlog.length > 0 && q.consumers.length > 0) {
      const message = q.backlog.shift()!;
      this.queuedNow -= 1;
      this.deliverFromQueue(q, message);
    }
  }

  private deliverFromQueue(q: Queue, message: QueuedMessage): void {
    const consumerId = q.consumers[q.next % q.consumers.length]!;
    q.next += 1;
    const consumer = this.consumers.get(consumerId)!;
    const body = { method: message.method, version: message.version };
    if (message.msg_id) {
      const call = this.calls.get(message.msg_id);
      if (call) call.callee = consumer.service;
    }
    this.schedule({
      time: this.now + this.latency,
      service: consumer.service,
      delivery: { k: 'message', event: '', queue: q.name, consumer: consumerId, envelope: message.envelope },
      queued: { queue: q.name, message },
      trace: {
        kind: 'deliver',
        text: `${consumer.service} receives ${body.method} v${body.version ?? '1.0'} (queue ${q.name})`,
        cause: message.send,
        data: { queue: q.name, consumer: consumerId, method: body.method, version: body.version ?? null },
      },
    });
  }

  // --- scheduling ---------------------------------------------------------------

  private unschedule(seq: number | undefined): void {
    if (seq === undefined) return;
    const i = this.agenda.findIndex((a) => a.seq === seq);
    if (i >= 0) this.agenda.splice(i, 1);
  }

  private schedule(s: Omit<Scheduled, 'seq'>): string {
    this.seq += 1;
    const item = s as Scheduled;
    item.seq = this.seq;
    // Keep the agenda sorted by (time, seq): a stable, deterministic order.
    // New items have the highest seq, so they go after every item due at the
    // same time or earlier (binary search on time).
    let lo = 0;
    let hi = this.agenda.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.agenda[mid]!.time <= item.time) lo = mid + 1;
      else hi = mid;
    }
    this.agenda.splice(lo, 0, item);
    return `s${item.seq}`;
  }

  /** Is anything left to do (messages in flight, calls waiting for replies or timeouts)? */
  get idle(): boolean {
    return this.agenda.length === 0;
  }

  /** Run steps until nothing is due (or virtual time passes `until`). */
  runUntilIdle(until = Infinity): Promise<void> {
    if (!this.running) {
      this.running = this.loop(until).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async loop(until: number): Promise<void> {
    // One watchdog timer for the whole run rather than one per step.
    const tick = Math.max(20, Math.min(250, this.watchdogMs / 4));
    const interval = setInterval(() => {
      const t = wallNow();
      for (const c of this.inflight.values()) if (t - c.started > this.watchdogMs) c.hung();
    }, tick);
    (interval as unknown as { unref?: () => void }).unref?.();
    const maxSteps = this.options.maxSteps ?? 20000;
    const horizon = until === Infinity ? this.now + (this.options.maxVirtualMs ?? 15 * 60 * 1000) : Infinity;
    const budget = { ...DEFAULT_BUDGET, ...this.options.budget };
    const events0 = this.eventNo;
    const published0 = this.published;
    let steps = 0;
    try {
      while (this.agenda.length > 0 && this.agenda[0]!.time <= until) {
        const over = this.overBudget(budget, this.published - published0, this.eventNo - events0);
        if (over) {
          this.halt(over);
          break;
        }
        if (steps >= maxSteps || this.agenda[0]!.time > horizon) {
          this.halt(
            steps >= maxSteps
              ? `${steps} steps without settling`
              : `${Math.round((this.options.maxVirtualMs ?? 15 * 60 * 1000) / 60000)} minutes of virtual time without settling`,
          );
          break;
        }
        // Everything due at this virtual time: nothing it produces is due
        // before now + latency, so these items cannot affect one another.
        const t = this.agenda[0]!.time;
        let n = 1;
        while (n < this.agenda.length && this.agenda[n]!.time === t) n++;
        const due = this.agenda.splice(0, n);
        steps += due.length;
        await this.round(t, due);
      }
    } finally {
      clearInterval(interval);
    }
  }

  /** Which budget of this run is spent, if one is (amplification: storms of messages, events or queued work). */
  private overBudget(b: RunBudget, messages: number, events: number): string | null {
    if (messages > b.messages) return `the run published ${messages} messages, over its budget of ${b.messages}`;
    if (events > b.events) return `the run recorded ${events} trace events, over its budget of ${b.events}`;
    if (this.queuedNow > b.queued) return `${this.queuedNow} messages wait in queues, over the budget of ${b.queued}`;
    return null;
  }

  /**
   * Stop a run that keeps itself busy forever: drop everything in flight and
   * say so in the trace (queued messages stay in their queues). The services
   * left holding work that can never finish are handed to onHalt (the
   * cluster restarts them), so the next request is not stuck behind them.
   */
  private halt(why: string): void {
    const e = this.record('lifecycle', 'bus', `The simulation stopped this run: ${why}. Messages keep causing messages (a loop, such as a service calling itself, or a storm); everything in flight is dropped and the services involved are restarted.`, undefined, { action: 'halt' });
    const involved = new Set<string>();
    for (const call of this.calls.values()) {
      involved.add(call.caller);
      if (call.callee) involved.add(call.callee);
    }
    for (const item of this.agenda) if (item.delivery.k !== 'timeout') involved.add(item.service);
    this.agenda.length = 0;
    this.calls.clear();
    for (const [request_id, a] of [...this.actions]) {
      this.actions.delete(request_id);
      const o = this.record('outcome', a.service, 'the request never completed: the run was stopped', a.event.startsWith('s') ? e.id : a.event, { ok: false });
      a.resolve({ request_id, ok: false, result: { class: 'RunHalted', message: why }, event: o.id });
    }
    const list = [...involved].filter((id) => this.services.get(id)?.running).sort();
    if (list.length) this.options.onHalt?.(list);
  }

  /**
   * One round of the simulation: every service with items due at `t` gets
   * them all in one step, the services work at the same time (each in its
   * own worker), and their outputs are applied in a canonical order (the
   * order of each service's first due item), so the trace is the same
   * whatever order the workers finish in.
   */
  private async round(t: number, due: Scheduled[]): Promise<void> {
    this.now = Math.max(this.now, t);
    const groups = new Map<string, { service: string; items: Delivery[]; root: string }>();
    for (const item of due) {
      const slot = this.services.get(item.service);
      if (item.delivery.k === 'timeout') {
        const call = this.calls.get(item.delivery.msg_id);
        if (!call || call.answered) continue;
        this.calls.delete(item.delivery.msg_id);
      }
      if (!slot?.running || !slot.link) {
        this.undeliverable(item);
        continue;
      }
      const e = this.record(item.trace.kind, item.trace.kind === 'user_action' ? 'user' : item.service, item.trace.text, item.trace.cause, item.trace.data);
      if (item.delivery.k === 'action') {
        const a = this.actions.get(item.delivery.request_id);
        if (a) a.event = e.id;
      }
      let g = groups.get(item.service);
      if (!g) {
        g = { service: item.service, items: [], root: e.id };
        groups.set(item.service, g);
      }
      g.items.push({ ...item.delivery, event: e.id } as Delivery);
    }
    const runs = [...groups.values()].map((g) => ({ g, result: this.runOn(g.service, g.items) }));
    if (runs.length > 0) this.roundsRun += 1;
    if (runs.length > 1) this.parallelRounds += 1;
    for (const { g, result } of runs) {
      let r = await result;
      if (r !== 'hung') {
        const problem = stepResultProblem(r, this.options.maxPublishesPerStep?.(g.service) ?? 500);
        if (problem) r = { t: 'fatal', message: `its worker sent a step result the bus refused: ${problem}` };
      }
      if (r === 'hung' || r.t === 'fatal') {
        const reason =
          r === 'hung'
            ? `${g.service} did not finish handling a step within ${this.watchdogMs} ms (an infinite loop?); the watchdog terminated its worker`
            : `${g.service} crashed: ${r.message}`;
        this.crash(g.service, reason, g.root);
        continue;
      }
      await this.apply(g.service, r, g.root);
    }
  }

  /** An item for a service that is not running: messages go back to their queue, actions fail. */
  private undeliverable(item: Scheduled): void {
    if (item.queued) {
      // The consumer went away before delivery: the message was never acked.
      const q = this.queue(item.queued.queue);
      q.backlog.unshift(item.queued.message);
      this.queuedNow += 1;
      this.record('queued', 'bus', `${q.name}: the message waits (its consumer went away)`, item.queued.message.send, { queue: q.name });
      this.drain(q);
    } else if (item.delivery.k === 'action') {
      const e = this.record('user_action', 'user', item.trace.text, item.trace.cause, item.trace.data);
      const r = this.actions.get(item.delivery.request_id);
      this.actions.delete(item.delivery.request_id);
      this.record('outcome', item.service, `${item.service} is not running: the request fails`, e.id, { ok: false });
      r?.resolve({ request_id: item.delivery.request_id, ok: false, result: { class: 'ServiceUnavailable', message: `${item.service} is not running` }, event: e.id });
    }
  }

  /** Hand a worker its items; resolves with its outputs, or 'hung' when the watchdog gives up on it. */
  private async runOn(service: string, items: Delivery[]): Promise<FromWorker | 'hung'> {
    const link = this.services.get(service)!.link!;
    this.stepNo += 1;
    const step: RunStep = { t: 'run', step: this.stepNo, time: this.now, items };
    const watchdog = new Promise<'hung'>((resolve) => {
      this.inflight.set(service, { started: wallNow(), hung: () => resolve('hung') });
    });
    try {
      return await Promise.race([link.run(step), watchdog]);
    } catch (err) {
      return { t: 'fatal', message: String((err as Error)?.message ?? err) };
    } finally {
      this.inflight.delete(service);
    }
  }

  /** The watchdog's verdict: end the worker, fail what it was answering, let the cluster restart it. */
  crash(serviceId: string, reason: string, cause?: string): void {
    const slot = this.services.get(serviceId);
    slot?.link?.terminate();
    const e = this.record('lifecycle', serviceId, reason, cause, { action: 'crash' });
    for (const [msg_id, call] of [...this.calls]) {
      if (call.callee === serviceId && !call.answered) {
        this.failCall(msg_id, call, 'ServiceCrashed', `${serviceId} stopped while handling ${call.method}: ${reason}`, e.id);
      }
    }
    this.detach(serviceId, reason, e.id);
    this.options.onCrash?.(serviceId, reason);
  }

  private failCall(msg_id: string, call: PendingCall, cls: string, message: string, cause: string): void {
    call.answered = true;
    this.calls.delete(msg_id);
    this.unschedule(call.timeoutSeq);
    const failure = JSON.stringify({ class: cls, module: 'nova_upgrade_lab.runtime', message, tb: [], args: [message], kwargs: {} });
    const envelope = serialize_msg({ result: null, failure, _unique_id: `crash${msg_id}`.slice(0, 32), _msg_id: msg_id });
    this.schedule({
      time: this.now + this.latency,
      service: call.caller,
      delivery: { k: 'reply', event: '', envelope },
      trace: { kind: 'reply', text: `${call.method} fails: ${cls}`, cause, data: { ok: false, failure: { class: cls, message }, msg_id, call: call.send } },
    });
  }

  // --- applying a step's outputs -------------------------------------------------------

  private async apply(serviceId: string, done: Extract<FromWorker, { t: 'done' }>, root: string): Promise<void> {
    const local = new Map<string, string>();
    const resolveCause = (c?: string) => (c ? (local.get(c) ?? c) : root);
    // A send event gets the exact envelope its publish output carries.
    const envelopes = new Map<string, Envelope>();
    for (const out of done.out) if (out.k === 'publish') envelopes.set(out.lid, out.envelope);
    for (const le of done.events) {
      const envelope = le.kind === 'send' ? envelopes.get(le.lid) : undefined;
      const e = this.record(le.kind, serviceId, le.text, resolveCause(le.cause), envelope ? { ...le.data, envelope } : le.data);
      local.set(le.lid, e.id);
    }
    for (const out of done.out) await this.applyOutput(serviceId, out, local, root);
  }

  private async applyOutput(serviceId: string, out: Output, local: Map<string, string>, root: string): Promise<void> {
    const slot = this.services.get(serviceId);
    switch (out.k) {
      case 'publish': {
        const send = local.get(out.lid) ?? root;
        const message = { method: out.method };
        if (out.call) {
          this.replyQueues.set(out.call.reply_q, serviceId);
          slot?.replyQueues.add(out.call.reply_q);
          const call: PendingCall = { caller: serviceId, reply_q: out.call.reply_q, send, callee: null, answered: false, method: message.method };
          this.calls.set(out.call.msg_id, call);
          const sid = this.schedule({
            time: this.now + out.call.timeout * 1000,
            service: serviceId,
            delivery: { k: 'timeout', event: '', msg_id: out.call.msg_id, timeout: out.call.timeout },
            trace: {
              kind: 'timeout',
              text: `MessagingTimeout: no reply to ${message.method} within ${out.call.timeout} s`,
              cause: send,
              data: { msg_id: out.call.msg_id, call: send },
            },
          });
          call.timeoutSeq = Number(sid.slice(1));
        }
        this.publish(out.target, out.envelope, send, out.call?.msg_id ?? null, out.method, out.version);
        return;
      }
      case 'reply': {
        const call = this.calls.get(out.msg_id);
        const caller = this.replyQueues.get(out.reply_q);
        if (!call || !caller) {
          this.record('dropped', 'bus', `reply to ${out.reply_q} dropped: the caller is gone or gave up`, local.get(out.lid) ?? root);
          return;
        }
        call.answered = true;
        this.calls.delete(out.msg_id);
        this.unschedule(call.timeoutSeq);
        const failure = out.failure;
        this.schedule({
          time: this.now + this.latency,
          service: caller,
          delivery: { k: 'reply', event: '', envelope: out.envelopes[0]! },
          trace: {
            kind: 'reply',
            text: failure
              ? failure.expected
                ? `${call.method} on ${serviceId} raised ${failure.class} (an exception the server expects)`
                : `${call.method} failed on ${serviceId}: ${failure.class}`
              : `${call.method} result from ${serviceId}`,
            cause: call.send,
            data: { ok: !failure, failure, msg_id: out.msg_id, call: call.send, from: serviceId, envelopes: out.envelopes },
          },
        });
        return;
      }
      case 'listen':
        this.addConsumer(serviceId, out.consumer, out.target);
        return;
      case 'unlisten':
        this.removeConsumer(out.consumer);
        return;
      case 'died':
        // Unlike a crash, calls it was answering are not failed: their callers time out.
        slot?.link?.terminate();
        this.detach(serviceId, out.reason, local.get(out.lid) ?? root);
        this.options.onDeath?.(serviceId, out.reason);
        return;
      case 'reply_queue':
        this.replyQueues.set(out.name, serviceId);
        slot?.replyQueues.add(out.name);
        return;
      case 'db':
        await this.runDb(serviceId, out, local.get(out.lid) ?? root);
        return;
      case 'action_done': {
        const a = this.actions.get(out.request_id);
        this.actions.delete(out.request_id);
        const ok = out.ok;
        const r = out.result as { class?: string; message?: string } | null;
        const e = this.record(
          'outcome',
          serviceId,
          ok ? 'the api accepted the request' : `the api refused the request: ${r?.class}: ${r?.message}`,
          a?.event ?? root,
          { ok, result: out.result, request_id: out.request_id },
        );
        a?.resolve({ request_id: out.request_id, ok, result: out.result, event: e.id });
        return;
      }
    }
  }

  private publish(target: TargetFields, envelope: Envelope, send: string, msg_id: string | null, method: string, version: string | null): void {
    this.published += 1;
    const topic = target.topic ?? '';
    if (target.fanout) {
      const listeners = [...this.consumers.values()].filter((c) => c.fanoutTopic === topic);
      for (const c of listeners) {
        const message = { method, version };
        this.schedule({
          time: this.now + this.latency,
          service: c.service,
          delivery: { k: 'message', event: '', queue: `${topic}_fanout`, consumer: c.id, envelope },
          trace: { kind: 'deliver', text: `${c.service} receives ${message.method} v${message.version ?? '1.0'} (fanout)`, cause: send, data: { queue: `${topic}_fanout`, method: message.method } },
        });
      }
      return;
    }
    const name = routing_key(topic, target.server);
    const q = this.queues.get(name);
    if (!q) {
      this.record('dropped', 'bus', `no queue ${name} was ever declared: the message is dropped`, send, { queue: name });
      return;
    }
    const message: QueuedMessage = { envelope, send, msg_id, method, version };
    if (q.consumers.length === 0) {
      q.backlog.push(message);
      this.queuedNow += 1;
      this.record('queued', 'bus', `${name} has no consumer: the message waits (${q.backlog.length} queued)`, send, { queue: name, depth: q.backlog.length });
      return;
    }
    this.deliverFromQueue(q, message);
  }

  private async runDb(serviceId: string, out: Extract<Output, { k: 'db' }>, cause: string): Promise<void> {
    const db = this.options.db as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const time = this.now;
    let ok = true;
    let value: unknown;
    try {
      const fn = db[out.method];
      if (typeof fn !== 'function') throw new Error(`no database call ${out.method}`);
      value = await fn.apply(this.options.db, out.args);
    } catch (err) {
      ok = false;
      const e = err as { pyClass?: string; module?: string; message?: string; kwargs?: Record<string, unknown> };
      value = { class: e.pyClass ?? 'DBError', module: e.module ?? 'nova.exception', message: e.message ?? String(err), kwargs: e.kwargs ?? {} };
    }
    const e = this.record('db', serviceId, `db.${out.method}(${summarizeArgs(out.args)})${ok ? '' : ` -> ${(value as { class: string }).class}`}`, cause, {
      method: out.method,
      ok,
    });
    this.schedule({
      time: time + this.latency,
      service: serviceId,
      delivery: { k: 'db_result', event: '', req: out.req, ok, value },
      trace: { kind: 'db', text: `db.${out.method} returns`, cause: e.id, data: { level: 'debug' } },
    });
  }
}

function wallNow(): number {
  return (globalThis.performance ?? Date).now();
}

function summarizeArgs(args: unknown[]): string {
  return args
    .map((a) => (typeof a === 'string' ? `'${a}'` : typeof a === 'number' ? String(a) : a === null ? 'None' : '{…}'))
    .join(', ');
}

export function describeAction(a: UserAction): string {
  switch (a.action) {
    case 'create':
      return `create server ${a.name}${a.flavor ? ` (${a.flavor})` : ''}`;
    case 'resize':
      return `resize ${a.server} to ${a.flavor}`;
    case 'live_migrate':
      return `live-migrate ${a.server}${a.host ? ` to ${a.host}` : ''}`;
    case 'reboot':
      return `reboot ${a.server}${a.reboot_type ? ` (${a.reboot_type})` : ''}`;
    case 'unit_test':
      return `run test_obj_make_compatible on ${a.object}.${a.field} (added in ${a.since})`;
    case 'flavor_key':
      return `flavor-key ${a.flavor} set ${a.key}=${a.value}`;
    default:
      return `${a.action.replace('_', '-')} ${a.server}`;
  }
}
