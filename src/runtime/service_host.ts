/**
 * The inside of a service worker: hosts one nova service, connects it to
 * the broker through a Transport and a Database that turn every send and
 * query into step outputs, and reports what the service did as trace
 * events. It knows nothing about Web Workers or worker_threads: the entry
 * files hand it a function to post step results with.
 */
import { PyException, asPyException } from '../oslo/exception';
import type { CoreEvent } from '../oslo/observer';
import { traceParentOf, withTraceParent } from '../oslo/observer';
import { nextMacrotask } from '../oslo/scheduling';
import {
  MessagingTimeout,
  deserialize_msg,
  deserialize_remote_exception,
  pack_message,
  pack_replies,
  routing_key,
  serialize_remote_exception,
  unpack_message,
  type IncomingHandler,
  type Listener,
  type RpcMessage,
  type SendOptions,
  type Target,
  type Transport,
  dialect,
} from '../oslo/messaging';
import type { ReplyBody } from '../oslo/messaging/drivers/amqp_envelope';
import { RequestContext } from '../nova/context';
import { novaExceptionFactory } from '../nova/exception';
import { RELEASE_INFO } from '../nova/releases';
import { DATABASE_METHODS, type Database } from '../nova/db/api';
import type { LogLevel, NovaService, ServiceFactory, ServiceSpec, UserAction } from '../nova/service_api';
import { IdSource } from './ids';
import type { Delivery, FromWorker, LocalEvent, Output, RunStep } from './protocol';
import type { SendData } from './trace';

const DISPATCH_FRAMES = [
  'oslo_messaging/rpc/dispatcher.py, in _dispatch_and_reply',
  'oslo_messaging/rpc/dispatcher.py, in _dispatch',
  'oslo_messaging/rpc/dispatcher.py, in _do_dispatch',
];

export interface HostConfig {
  /** Service id in the cluster (e.g. 'compute1'). */
  id: string;
  spec: ServiceSpec;
  /** Seed for deterministic ids; differs per incarnation of the service. */
  seed: string;
  /** How many casts one step may publish before the host refuses more. */
  maxPublishesPerStep?: number;
  /** Messages handled at once, like oslo.messaging's executor pool (rpc_thread_pool_size, 64). */
  executorPoolSize?: number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/** A piece of work a delivery started, until it settles. */
interface Handling {
  what: string;
  /** The trace event it descends from. */
  parent: string;
  /** End it with this message (a failure reply, a failed action...). */
  fail(message: string): void;
}

/** Collects one step's outputs and trace events. */
class StepRecorder {
  events: LocalEvent[] = [];
  out: Output[] = [];
  private n = 0;
  root = '';
  time = 0;
  publishes = 0;

  lid(): string {
    this.n += 1;
    return `L${this.n}`;
  }

  event(kind: LocalEvent['kind'], text: string, cause: string | undefined, data?: Record<string, unknown>): string {
    const lid = this.lid();
    this.events.push({ lid, kind, cause: cause ?? this.root, text, ...(data ? { data } : {}) });
    return lid;
  }

  reset(step: RunStep): void {
    this.events = [];
    this.out = [];
    this.root = step.items[0]?.event ?? '';
    this.time = step.time;
    this.publishes = 0;
  }
}

export class ServiceHost {
  private readonly rec = new StepRecorder();
  private readonly ids: IdSource;
  private readonly pendingCalls = new Map<string, Pending>();
  private readonly pendingDb = new Map<number, Pending>();
  private readonly consumers = new Map<string, IncomingHandler>();
  private service: NovaService | null = null;
  private decisions: string[] = [];
  private dbReq = 0;
  private consumerSeq = 0;
  /** Handlers running now, and messages waiting for a free executor slot. */
  private activeHandlers = 0;
  private readonly waitingForExecutor: Extract<Delivery, { k: 'message' }>[] = [];
  /** Work in progress (handlers, actions, the start), to tell a blocked one from a lost one. */
  private readonly handling = new Set<Handling>();
  /** Trace parents of handlers given up on: what they still try to send is refused. */
  private readonly abandoned = new Set<string>();
  /** The process died ([fault_injection] die): it does nothing any more, until the cluster starts a new one. */
  private dead = false;
  readonly replyQueue: string;
  readonly transport: Transport;
  readonly db: Database | null;

  constructor(
    readonly config: HostConfig,
    private readonly factory: ServiceFactory,
  ) {
    this.ids = new IdSource(config.seed);
    this.replyQueue = `reply_${this.ids.hex32()}`;
    this.transport = this.makeTransport();
    this.db = config.spec.binary === 'nova-compute' ? null : this.makeDatabase();
  }

  // --- observing ------------------------------------------------------------

  private observe = (e: CoreEvent, ctxt?: unknown): void => {
    const cause = traceParentOf(ctxt);
    switch (e.kind) {
      case 'can_send_version':
        this.decisions.push(
          `can_send_version('${e.version}') -> ${e.result ? 'True' : 'False'}${e.version_cap ? ` (version_cap ${e.version_cap})` : ' (no version_cap)'}`,
        );
        return;
      case 'version_cap_check':
        if (e.ok) {
          this.decisions.push(`version_cap ${e.version_cap} allows ${e.version}`);
        } else {
          const decisions = this.takeDecisions();
          decisions.push(`version_cap ${e.version_cap} refuses ${e.version}: RPCVersionCapError, nothing sent`);
          this.rec.event('refused', `RPCVersionCapError: ${e.method ? `${e.method} ` : ''}${e.version} is above version_cap ${e.version_cap}`, cause, {
            ...(e.method ? { method: e.method } : {}),
            version: e.version,
            version_cap: e.version_cap,
            decisions,
          });
        }
        return;
      case 'dispatch': {
        const text =
          e.outcome === 'dispatched'
            ? `${e.endpoint ?? 'endpoint'} (target ${e.endpoint_version}) handles ${e.method} v${e.version}`
            : `${e.outcome}: ${e.method} v${e.version}${e.namespace ? ` (namespace ${e.namespace})` : ''}${e.endpoint_version ? `; this server speaks ${e.endpoint_version}` : ''}`;
        this.rec.event('dispatch', text, cause, { ...e });
        return;
      }
      case 'object_hydrate': {
        const text = objectText(e);
        this.rec.event('object', text, cause, { ...e });
        return;
      }
      case 'log':
        this.log(e.level, e.message, ctxt);
        return;
      case 'client_note':
        this.decisions.push(e.text);
        return;
    }
  };

  private takeDecisions(): string[] {
    const d = this.decisions;
    this.decisions = [];
    return d;
  }

  log(level: LogLevel, message: string, ctxt?: unknown): void {
    const req = ctxt instanceof RequestContext ? `[${ctxt.request_id}] ` : '';
    this.rec.event('log', `${level.toUpperCase()} ${req}${message}`, traceParentOf(ctxt), { level, message });
  }

  // --- the transport --------------------------------------------------------

  private makeTransport(): Transport {
    const host = this;
    return {
      conf: { rpc_response_timeout: this.config.spec.conf.rpc_response_timeout },
      allowed_remote_exmods: ['nova.exception'],
      _send(target: Target, ctxt: Record<string, unknown>, message: RpcMessage, options: SendOptions): Promise<unknown> {
        return host.send(target, ctxt, message, options);
      },
      _listen(target: Target, handler: IncomingHandler): Listener {
        return host.listen(target, handler);
      },
    };
  }

  private send(target: Target, ctxt: Record<string, unknown>, message: RpcMessage, options: SendOptions): Promise<unknown> {
    if (this.dead) return new Promise(() => undefined);
    const parent = traceParentOf(ctxt);
    if (parent !== undefined && this.abandoned.has(parent)) {
      return Promise.reject(new PyException('HandlerAbandoned', 'nova_upgrade_lab.runtime', `${message.method} was not sent: the request it belongs to was abandoned`));
    }
    const limit = this.config.maxPublishesPerStep ?? 500;
    if (this.rec.publishes >= limit) {
      return Promise.reject(
        new PyException('MessageStorm', 'nova_upgrade_lab.bus', `${this.config.id} tried to publish more than ${limit} messages in one step; the bus refused the rest`),
      );
    }
    this.rec.publishes += 1;
    const msg_id = options.wait_for_reply ? this.ids.hex32() : null;
    // pack_message refuses anything that is not JSON primitives, at the sender.
    const envelope = pack_message(ctxt, message, this.ids.hex32(), msg_id ? { msg_id, reply_q: this.replyQueue } : undefined);
    const queue = target.fanout ? `${target.topic}_fanout` : routing_key(target.topic ?? '', target.server);
    // The envelope itself travels once, in the publish output; the broker
    // puts it into this event's data.
    const data: Omit<SendData, 'envelope'> = {
      method: message.method,
      version: message.version ?? null,
      namespace: message.namespace ?? null,
      rpc: msg_id ? 'call' : 'cast',
      topic: target.topic ?? '',
      server: target.server,
      fanout: Boolean(target.fanout),
      queue,
      msg_id,
      decisions: this.takeDecisions(),
    };
    const lid = this.rec.event(
      'send',
      `${data.rpc} ${message.method} v${message.version ?? '1.0'}${message.namespace ? ` [${message.namespace}]` : ''} -> ${queue}`,
      traceParentOf(ctxt),
      data,
    );
    const timeout = options.timeout ?? this.transport.conf.rpc_response_timeout;
    this.rec.out.push({
      k: 'publish',
      lid,
      target: target.toJSON(),
      envelope,
      method: message.method,
      version: message.version ?? null,
      ...(msg_id ? { call: { msg_id, reply_q: this.replyQueue, timeout } } : {}),
    });
    if (!msg_id) return Promise.resolve(null);
    return new Promise((resolve, reject) => this.pendingCalls.set(msg_id, { resolve, reject }));
  }

  private listen(target: Target, handler: IncomingHandler): Listener {
    this.consumerSeq += 1;
    const consumer = `${this.config.id}#${this.consumerSeq}`;
    this.consumers.set(consumer, handler);
    this.rec.out.push({ k: 'listen', target: target.toJSON(), consumer });
    return {
      stop: () => {
        this.consumers.delete(consumer);
        this.rec.out.push({ k: 'unlisten', consumer });
      },
    };
  }

  private deliverMessage(item: Extract<Delivery, { k: 'message' }>): void {
    const handler = this.consumers.get(item.consumer);
    if (!handler) return; // stopped meanwhile; the broker will requeue nothing (acked)
    // With every executor thread busy (e.g. a service calling itself in a
    // loop), further messages wait, as the listener stops polling.
    if (this.activeHandlers >= (this.config.executorPoolSize ?? 64)) {
      this.waitingForExecutor.push(item);
      if (this.waitingForExecutor.length === 1) {
        this.log('warning', `all ${this.config.executorPoolSize ?? 64} RPC executor threads are busy: incoming messages wait`);
      }
      return;
    }
    const { ctxt, message, msg_id, reply_q } = unpack_message(item.envelope);
    if (this.diesOn(message.method)) return this.die(item.event, message.method, msg_id !== null);
    this.activeHandlers += 1;
    withTraceParent(ctxt, item.event);
    let replied = false;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      this.handling.delete(work);
      this.activeHandlers -= 1;
      const next = this.waitingForExecutor.shift();
      if (next) this.deliverMessage(next);
    };
    let replyFn: ((result: unknown, failure?: PyException | null, log_failure?: boolean) => void) | null = null;
    const work: Handling = {
      what: `${message.method} (${msg_id ? 'call' : 'cast'})`,
      parent: item.event,
      fail: (text) => {
        replyFn?.(null, new PyException('HandlerAbandoned', 'nova_upgrade_lab.runtime', text));
        done();
      },
    };
    this.handling.add(work);
    void Promise.resolve(handler({
      ctxt,
      message,
      expectsReply: msg_id !== null,
      handle: item.event,
      reply: (replyFn = (result: unknown, failure?: PyException | null, log_failure = true) => {
        if (!msg_id || !reply_q || replied || this.dead) return;
        replied = true;
        const failureJson = failure ? serialize_remote_exception(failure, DISPATCH_FRAMES) : null;
        let envelopes;
        try {
          envelopes = pack_replies(msg_id, result, failureJson, () => this.ids.hex32());
        } catch (err) {
          // A result that cannot cross the wire becomes a failure reply instead.
          const e = asPyException(err);
          envelopes = pack_replies(msg_id, null, serialize_remote_exception(e, DISPATCH_FRAMES), () => this.ids.hex32());
          failure = e;
        }
        const text = failure ? `reply to ${message.method}: ${failure.pyClass}: ${failure.message.split('\n')[0]}` : `reply to ${message.method}`;
        const lid = this.rec.event('log', text, item.event, { level: 'debug', message: text, reply: true });
        this.rec.out.push({
          k: 'reply',
          lid,
          reply_q,
          msg_id,
          envelopes,
          // An exception the endpoint declared as expected (no error log on the server).
          failure: failure ? { class: failure.pyClass, message: failure.message.split('\n')[0]!, ...(log_failure ? {} : { expected: true }) } : null,
        });
      }),
    })).finally(done);
  }

  /**
   * [fault_injection] die = <method>[, <method>...] (simulator-only): the
   * process dies as it starts handling such a message. The message was
   * delivered and acknowledged (oslo.messaging's rabbit driver acks on
   * receipt), so it is lost: a cast is never done, a call is never answered
   * and its caller times out after rpc_response_timeout. What this process
   * was doing stops where it is; nothing it had in flight goes out.
   */
  private dieMethods: Set<string> | null = null;
  private diesOn(method: string): boolean {
    // read once: a new value reaches the service through a restart (a new host)
    this.dieMethods ??= new Set((this.config.spec.conf.get('fault_injection', 'die') ?? '').split(',').map((m) => m.trim()).filter(Boolean));
    return this.dieMethods.size > 0 && this.dieMethods.has(method);
  }

  private die(parent: string, method: string, isCall: boolean): void {
    this.dead = true;
    const reason = `died while handling ${method} (${isCall ? 'call' : 'cast'}): no reply, no further work, no heartbeat`;
    const lid = this.rec.event('lifecycle', `${this.config.id} ${reason}`, parent, { action: 'died', method });
    this.consumers.clear();
    this.waitingForExecutor.length = 0;
    this.handling.clear();
    this.rec.out.push({ k: 'died', lid, reason });
  }

  private deliverReply(item: Extract<Delivery, { k: 'reply' }>): void {
    const body = deserialize_msg(item.envelope) as unknown as ReplyBody;
    if (body.ending || !body._msg_id) return;
    const pending = this.pendingCalls.get(body._msg_id);
    if (!pending) return;
    this.pendingCalls.delete(body._msg_id);
    if (body.failure) {
      pending.reject(withParent(this.remoteException(body.failure, item.event), item.event));
    } else {
      pending.resolve(body.result);
    }
  }

  /**
   * deserialize_remote_exception with this service's own release: its
   * nova.exception decides which classes come back as `<Class>_Remote`; a
   * class of an allowed module that this release lacks becomes RemoteError,
   * and the trace says why.
   */
  private remoteException(failureJson: string, parent: string): PyException {
    const release = this.config.spec.release;
    const d = dialect(RELEASE_INFO[release].oslo);
    const allowed = this.transport.allowed_remote_exmods;
    const e = deserialize_remote_exception(failureJson, allowed, novaExceptionFactory(release), d);
    if (e.pyClass === 'RemoteError') {
      const f = JSON.parse(failureJson) as { class?: string; module?: string };
      if (f.module && allowed.includes(f.module)) {
        const text = `deserialize_remote_exception: ${f.module} of ${RELEASE_INFO[release].tag} has no class ${String(f.class)}: RemoteError instead of ${String(f.class)}_Remote`;
        this.rec.event('decision', text, parent, { decisions: [text], remote_class: f.class, remote_module: f.module, raised: 'RemoteError' });
      }
    }
    return e;
  }

  // --- the database channel ---------------------------------------------------

  private makeDatabase(): Database {
    const db: Record<string, unknown> = {};
    for (const method of DATABASE_METHODS) {
      db[method] = (...args: unknown[]) => {
        if (this.dead) return new Promise(() => undefined);
        this.dbReq += 1;
        const req = this.dbReq;
        const lid = this.rec.lid();
        this.rec.out.push({ k: 'db', lid, req, method, args: JSON.parse(JSON.stringify(args)) as unknown[] });
        return new Promise((resolve, reject) => this.pendingDb.set(req, { resolve, reject }));
      };
    }
    return db as unknown as Database;
  }

  private deliverDbResult(item: Extract<Delivery, { k: 'db_result' }>): void {
    const pending = this.pendingDb.get(item.req);
    if (!pending) return;
    this.pendingDb.delete(item.req);
    if (item.ok) pending.resolve(item.value);
    else {
      const f = item.value as { class: string; module: string; message: string; kwargs: Record<string, unknown> };
      pending.reject(new PyException(f.class, f.module, f.message, f.kwargs));
    }
  }

  // --- steps ----------------------------------------------------------------

  private ensureService(): NovaService {
    if (!this.service) {
      const ids = this.ids;
      this.service = this.factory(this.config.spec, {
        transport: this.transport,
        db: this.db,
        observer: this.observe,
        log: (level, message, ctxt) => this.log(level, message, ctxt),
        now: () => new Date(Date.UTC(2015, 3, 30, 12, 0, 0) + this.rec.time).toISOString(),
        ids: { uuid: () => ids.uuid(), request_id: () => ids.request_id() },
      });
    }
    return this.service;
  }

  private handle(item: Delivery): void {
    if (this.dead) return;
    switch (item.k) {
      case 'message':
        return this.deliverMessage(item);
      case 'reply':
        return this.deliverReply(item);
      case 'timeout': {
        const pending = this.pendingCalls.get(item.msg_id);
        if (!pending) return;
        this.pendingCalls.delete(item.msg_id);
        pending.reject(withParent(new MessagingTimeout(`Timed out waiting for a reply to message ID ${item.msg_id}`), item.event));
        return;
      }
      case 'db_result':
        return this.deliverDbResult(item);
      case 'periodic': {
        const ctxt = withTraceParent(RequestContext.admin(this.ids.request_id()), item.event);
        const work: Handling = { what: `the periodic task ${item.task}`, parent: item.event, fail: (text) => this.log('error', `${item.task} failed: ${text}`, ctxt) };
        this.handling.add(work);
        const service = this.ensureService();
        void (service.periodic ? service.periodic(ctxt, item.task) : Promise.reject(new Error(`${this.config.id} has no periodic task ${item.task}`)))
          .catch((err: unknown) => this.log('error', `Error during ${item.task}: ${asPyException(err).message.split('\n')[0]}`, ctxt))
          .finally(() => this.handling.delete(work));
        return;
      }
      case 'start': {
        const ctxt = withTraceParent(RequestContext.admin(this.ids.request_id()), item.event);
        const work: Handling = { what: 'the service start', parent: item.event, fail: (text) => this.log('error', `failed to start: ${text}`, ctxt) };
        this.handling.add(work);
        void this.ensureService()
          .start(ctxt)
          .catch((err: unknown) => this.log('error', `failed to start: ${asPyException(err).message}`, ctxt))
          .finally(() => this.handling.delete(work));
        return;
      }
      case 'stop':
        void this.service?.stop();
        return;
      case 'action': {
        const ctxt = withTraceParent(
          new RequestContext({ request_id: item.request_id, user_id: 'demo', project_id: 'demo', roles: ['member'] }),
          item.event,
        );
        const service = this.ensureService();
        let settled = false;
        const done = (ok: boolean, result: unknown) => {
          if (settled || this.dead) return;
          settled = true;
          this.handling.delete(work);
          const lid = this.rec.lid();
          this.rec.out.push({ k: 'action_done', lid, request_id: item.request_id, ok, result });
        };
        const work: Handling = {
          what: `the ${item.action.action} request`,
          parent: item.event,
          fail: (text) => done(false, { class: 'HandlerAbandoned', module: 'nova_upgrade_lab.runtime', message: text }),
        };
        this.handling.add(work);
        if (item.action.action === 'unit_test') {
          this.runUnitTest(service, item.action, ctxt, done);
          return;
        }
        if (!service.userAction) {
          done(false, { class: 'TypeError', message: `${this.config.id} is not nova-api` });
          return;
        }
        service.userAction(ctxt, item.action).then(
          (r) => done(true, jsonSafe(r)),
          (err: unknown) => {
            const e = asPyException(err);
            done(false, { class: e.pyClass, module: e.module, message: e.message.split('\n')[0] });
          },
        );
        return;
      }
    }
  }

  /** A contributor's unit test, run on the classes this service loaded; its lines go to the log. */
  private runUnitTest(
    service: NovaService,
    action: Extract<UserAction, { action: 'unit_test' }>,
    ctxt: object,
    done: (ok: boolean, result: unknown) => void,
  ): void {
    if (!service.unitTest) {
      done(false, { class: 'TypeError', message: `${this.config.id} cannot run unit tests` });
      return;
    }
    try {
      const r = service.unitTest(action);
      for (const f of r.failures) this.log('error', `${r.test} FAIL: ${f}`, ctxt);
      const summary = `${r.test}: ${r.versions} versions, ${r.failures.length} failed`;
      this.log(r.failures.length ? 'error' : 'info', summary, ctxt);
      done(r.failures.length === 0, r.failures.length ? { class: 'AssertionError', module: 'exceptions', message: summary } : summary);
    } catch (err) {
      const e = asPyException(err);
      done(false, { class: e.pyClass, module: e.module, message: e.message.split('\n')[0] });
    }
  }

  /**
   * Work still unfinished while nothing the simulation owns is pending (no
   * call waits for a reply, no query for a result, no message for a thread)
   * can only be waiting for something outside the simulation: a real timer,
   * fetch, storage, a promise nothing settles. Nothing in the simulation will
   * ever resume it, so it is failed now, with a message saying so, instead
   * of leaving the run hanging.
   */
  private abandonLostWork(): void {
    if (this.handling.size === 0 || this.pendingCalls.size > 0 || this.pendingDb.size > 0 || this.waitingForExecutor.length > 0) return;
    for (const work of [...this.handling]) {
      this.handling.delete(work);
      this.abandoned.add(work.parent);
      const text = `${this.config.id}: ${work.what} is waiting for something outside the simulation (a real timer, a network request, storage, or a promise nothing will settle); the simulator cannot wait for it, so it was abandoned`;
      this.log('error', text, withTraceParent({}, work.parent));
      work.fail(text);
    }
  }

  /** Run one step: hand over the items, let every handler run until it blocks, report. */
  async run(step: RunStep): Promise<FromWorker> {
    this.rec.reset(step);
    for (const item of step.items) {
      try {
        this.handle(item);
      } catch (err) {
        const e = asPyException(err);
        this.log('error', `${e.pyClass}: ${e.message}`, withTraceParent({}, item.event));
      }
    }
    // Everything that can run without a new message runs now: after one
    // macrotask, every handler has finished or waits for a reply (the model
    // uses no timers; a test keeps it so).
    await nextMacrotask();
    if (!this.dead) this.abandonLostWork();
    const stray = this.takeDecisions();
    if (stray.length) this.rec.event('decision', stray.join('; '), undefined, { decisions: stray });
    return { t: 'done', step: step.step, events: this.rec.events, out: this.rec.out };
  }
}

function withParent<E extends PyException>(e: E, parent: string): E {
  (e as unknown as { traceParent?: string }).traceParent = parent;
  return e;
}

function jsonSafe(v: unknown): unknown {
  try {
    return v === undefined ? null : JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'object' && x !== null && 'obj_to_primitive' in x ? String(x) : x)));
  } catch {
    return String(v);
  }
}

function objectText(e: Extract<CoreEvent, { kind: 'object_hydrate' }>): string {
  switch (e.outcome) {
    case 'hydrated':
      return `${e.objname} ${e.objver} hydrated as ${e.objname} ${e.class_version ?? e.objver}`;
    case 'IncompatibleObjectVersion':
      return `IncompatibleObjectVersion: ${e.objname} ${e.objver} is newer than this service knows${e.class_version ? ` (${e.class_version})` : ''}`;
    case 'retry_without_z':
      return `${e.objname} ${e.objver}: retry as ${e.target_version ?? 'X.Y'} (a .z bump is compatible)`;
    case 'backport_requested':
      return `${e.objname} ${e.objver} -> ask conductor to backport to ${e.target_version}`;
    case 'backported':
      return `${e.objname} backported to ${e.target_version ?? e.class_version}`;
    default:
      return `${e.objname} ${e.objver}: ${e.detail ?? e.outcome}`;
  }
}
