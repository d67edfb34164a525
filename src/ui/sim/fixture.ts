/**
 * A hand-written, realistic trace (FIXTURE) of a Kilo control plane talking
 * to Juno computes, so every panel can be developed and tested before the
 * worker runtime is finished. Shapes follow src/runtime/trace.ts and what
 * broker.ts / service_host.ts record, e.g.:
 *
 *  1. unpinned: nova-api (Kilo) casts shelve_offload_instance v4.0 to a Juno
 *     compute -> UnsupportedVersion at the compute's dispatcher;
 *  2. `[upgrade_levels] compute = juno` on the api -> v3.0 (capped); the Juno
 *     compute cannot read Instance 1.19 -> IncompatibleObjectVersion ->
 *     object_backport call to conductor -> reply -> hydrated at 1.15;
 *  3. create: build_instances -> select_destinations (call + reply) ->
 *     conductor casts build_and_run_instance v3.33 (capped) -> backport;
 *  4. errors: a version refused at the client (RPCVersionCapError), a call
 *     to a stopped compute that waits in its queue and times out, and the
 *     failure reply that travels back.
 *
 * `buildFixture({ pinned })` returns only the acts a lesson run would show
 * (the FixtureSession uses it); FIXTURE is everything.
 */
import type { ClusterSnapshot, ServiceView } from '../../runtime/cluster';
import type { SendData, TraceEvent, TraceKind } from '../../runtime/trace';

const CTX = {
  _context_user_id: 'demo',
  _context_project_id: 'demo',
  _context_roles: ['member'],
  _context_is_admin: false,
  _context_read_deleted: 'no',
  _context_remote_address: '192.0.2.10',
  _context_quota_class: null,
  _context_user_name: 'demo',
  _context_project_name: 'demo',
  _context_instance_lock_checked: false,
  _context_auth_token: '***',
};

const UUIDS: Record<string, string> = {
  vm1: '8f0e4c1a-3b6d-4a52-9e1f-2c7d5b9a0e11',
  vm2: 'a3c9d2e7-6f14-4b8a-8d35-71e0c4f2b622',
  vm3: '5d7b1e90-c2a4-4f36-b8e9-0a6f3d1c2b33',
};

function flavorPrimitive() {
  return {
    'nova_object.name': 'Flavor',
    'nova_object.namespace': 'nova',
    'nova_object.version': '1.1',
    'nova_object.data': { id: 2, name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20, ephemeral_gb: 0, flavorid: '2', swap: 0, rxtx_factor: 1.0, vcpu_weight: 0, disabled: false, is_public: true, extra_specs: {} },
    'nova_object.changes': [],
  };
}

export function instancePrimitive(name: string, version = '1.19', host = 'compute1', vm_state = 'active', task_state: string | null = null) {
  const data: Record<string, unknown> = {
    uuid: UUIDS[name] ?? UUIDS.vm1,
    display_name: name,
    host,
    node: `${host}.example.org`,
    vm_state,
    task_state,
    power_state: vm_state === 'active' ? 1 : 4,
    project_id: 'demo',
    user_id: 'demo',
    image_ref: 'cirros-0.3.4-x86_64',
    launched_at: '2015-04-30T12:00:00.000000',
    locked: false,
    deleted: false,
  };
  if (version === '1.19') data.flavor = flavorPrimitive();
  return {
    'nova_object.name': 'Instance',
    'nova_object.namespace': 'nova',
    'nova_object.version': version,
    'nova_object.data': data,
    'nova_object.changes': task_state ? ['task_state'] : [],
  };
}

/** Builds events with consecutive ids, seq and a virtual clock. */
class TraceBuilder {
  events: TraceEvent[] = [];
  time = 0;
  private n = 0;
  private uid = 0;

  at(ms: number): this {
    this.time = Math.max(this.time, ms);
    return this;
  }

  tick(ms = 1): this {
    this.time += ms;
    return this;
  }

  add(kind: TraceKind, service: string, text: string, cause?: string, data?: Record<string, unknown>): string {
    this.n += 1;
    const e: TraceEvent = { id: `e${this.n}`, seq: this.n, time: this.time, kind, service, text };
    if (cause) e.cause = cause;
    if (data) e.data = data;
    this.events.push(e);
    return e.id;
  }

  hex(): string {
    this.uid += 1;
    return (this.uid.toString(16).padStart(4, '0') + '9f3b2c7ad41e4b06a5c8d2f1e07b').slice(0, 32);
  }

  send(
    service: string,
    cause: string,
    o: { rpc: 'call' | 'cast'; method: string; version: string; topic: string; server?: string | null; namespace?: string | null; args: Record<string, unknown>; decisions?: string[]; request_id: string },
  ): string {
    const queue = o.server ? `${o.topic}.${o.server}` : o.topic;
    const msg_id = o.rpc === 'call' ? this.hex() : null;
    const message: Record<string, unknown> = {
      ...CTX,
      _context_request_id: o.request_id,
      _context_timestamp: new Date(Date.UTC(2015, 3, 30, 12, 0, 0) + this.time).toISOString().replace('Z', '000'),
      method: o.method,
      args: o.args,
      version: o.version,
      _unique_id: this.hex(),
    };
    if (o.namespace) message.namespace = o.namespace;
    if (msg_id) {
      message._msg_id = msg_id;
      message._reply_q = `reply_${service === 'conductor' ? 'c0a4' : 'a91e'}5be7d3f24c0e8b6f1d2a9c3e7b54`;
    }
    const data: SendData = {
      method: o.method,
      version: o.version,
      namespace: o.namespace ?? null,
      rpc: o.rpc,
      topic: o.topic,
      server: o.server ?? null,
      fanout: false,
      queue,
      msg_id,
      envelope: { 'oslo.version': '2.0', 'oslo.message': JSON.stringify(message) },
      decisions: o.decisions ?? [],
    };
    const text = `${o.rpc} ${o.method} v${o.version}${o.namespace ? ` [${o.namespace}]` : ''} -> ${queue}`;
    return this.add('send', service, text, cause, data);
  }

  deliver(service: string, send: string, method: string, version: string, queue: string): string {
    this.tick();
    return this.add('deliver', service, `${service} receives ${method} v${version} from ${queue}`, send, { queue, consumer: `${service}#1`, method, version });
  }

  dispatch(service: string, deliver: string, method: string, version: string, outcome: 'dispatched' | 'UnsupportedVersion' | 'NoSuchMethod', endpoint: string, endpoint_version: string, namespace: string | null = null): string {
    const text =
      outcome === 'dispatched'
        ? `${endpoint} (target ${endpoint_version}) handles ${method} v${version}`
        : `${outcome}: ${method} v${version}${namespace ? ` (namespace ${namespace})` : ''}`;
    return this.add('dispatch', service, text, deliver, { kind: 'dispatch', method, version, namespace, outcome, endpoint, endpoint_version, endpoint_index: 0 });
  }

  reply(caller: string, from: string, send: string, method: string, failure: { class: string; message: string; tb: string[] } | null, result: unknown = null): string {
    this.tick();
    const body = { result: failure ? null : result, failure: failure ? JSON.stringify({ ...failure, module: 'nova.exception', args: [failure.message], kwargs: {} }) : null, _unique_id: this.hex() };
    return this.add('reply', caller, failure ? `${method} failed on ${from}: ${failure.class}` : `${method} result from ${from}`, send, {
      ok: !failure,
      failure,
      from,
      call: send,
      envelopes: [{ 'oslo.version': '2.0', 'oslo.message': JSON.stringify(body) }],
    });
  }

  /** A Juno compute cannot read Instance 1.19: the conductor backports it to 1.15. */
  backport(compute: string, deliver: string, request_id: string): void {
    this.add('object', compute, 'IncompatibleObjectVersion: Instance 1.19 is newer than this service knows (1.15)', deliver, {
      kind: 'object_hydrate',
      objname: 'Instance',
      objver: '1.19',
      outcome: 'IncompatibleObjectVersion',
      class_version: '1.15',
    });
    this.add('object', compute, 'Instance 1.19 -> ask conductor to backport to 1.15', deliver, {
      kind: 'object_hydrate',
      objname: 'Instance',
      objver: '1.19',
      outcome: 'backport_requested',
      target_version: '1.15',
    });
    const bp = this.send(compute, deliver, {
      rpc: 'call',
      method: 'object_backport',
      version: '2.0',
      topic: 'conductor',
      args: { objinst: instancePrimitive('vm1'), target_version: '1.15' },
      request_id,
    });
    const d = this.deliver('conductor', bp, 'object_backport', '2.0', 'conductor');
    this.dispatch('conductor', d, 'object_backport', '2.0', 'dispatched', 'ConductorManager', '2.0');
    this.add('log', 'conductor', 'DEBUG reply to object_backport', d, { level: 'debug', message: 'reply to object_backport', reply: true });
    this.reply(compute, 'conductor', bp, 'object_backport', null, instancePrimitive('vm1', '1.15'));
    this.add('object', compute, 'Instance backported to 1.15', deliver, {
      kind: 'object_hydrate',
      objname: 'Instance',
      objver: '1.19',
      outcome: 'backported',
      target_version: '1.15',
    });
    this.add('object', compute, 'Instance 1.15 hydrated as Instance 1.15', deliver, {
      kind: 'object_hydrate',
      objname: 'Instance',
      objver: '1.15',
      outcome: 'hydrated',
      class_version: '1.15',
    });
  }
}

const TB = [
  'Traceback (most recent call last):',
  '  File "oslo_messaging/rpc/dispatcher.py", line 142, in _dispatch_and_reply',
  '    executor_callback))',
  '  File "oslo_messaging/rpc/dispatcher.py", line 186, in _dispatch',
  '    executor_callback)',
  '  File "oslo_messaging/rpc/dispatcher.py", line 130, in _do_dispatch',
  '    result = func(ctxt, **new_args)',
];

export interface FixtureOptions {
  /** Which acts: 'both' (everything), or only the unpinned / pinned halves. */
  pinned?: boolean | 'both';
  /** Include the error act (refused, queued + timeout, failure reply). Default: with 'both'. */
  errors?: boolean;
}

export function buildFixture(opts: FixtureOptions = {}): TraceEvent[] {
  const pinned = opts.pinned ?? 'both';
  const errors = opts.errors ?? pinned === 'both';
  const b = new TraceBuilder();

  // --- the services start -----------------------------------------------------------
  for (const [id, binary, release] of [
    ['api', 'nova-api', 'kilo'],
    ['conductor', 'nova-conductor', 'kilo'],
    ['scheduler', 'nova-scheduler', 'kilo'],
    ['compute1', 'nova-compute', 'juno'],
  ] as const) {
    b.add('lifecycle', id, `${id} (${binary}, ${release}) started`, undefined, { action: 'started', release, binary, host: id });
  }

  // --- 1. unpinned: v4.0 reaches a Juno compute ----------------------------------------
  if (pinned === false || pinned === 'both') {
    b.at(10);
    const ua = b.add('user_action', 'user', 'user: shelve-offload vm1', undefined, { action: { action: 'shelve_offload', server: 'vm1' }, request_id: 'req-00000001-0000-4000-8000-000000000000' });
    const s = b.send('api', ua, {
      rpc: 'cast',
      method: 'shelve_offload_instance',
      version: '4.0',
      topic: 'compute',
      server: 'compute1',
      args: { instance: instancePrimitive('vm1', '1.19', 'compute1', 'shelved', 'shelving_offloading'), clean_shutdown: true },
      decisions: ["can_send_version('4.0') -> True (no version_cap)"],
      request_id: 'req-00000001-0000-4000-8000-000000000000',
    });
    b.add('outcome', 'api', 'the api accepted the request', ua, { ok: true, request_id: 'req-00000001-0000-4000-8000-000000000000' });
    const d = b.deliver('compute1', s, 'shelve_offload_instance', '4.0', 'compute.compute1');
    b.dispatch('compute1', d, 'shelve_offload_instance', '4.0', 'UnsupportedVersion', 'ComputeManager', '3.35');
    b.add('log', 'compute1', 'ERROR Exception during message handling: Endpoint does not support RPC version 4.0. Attempted method: shelve_offload_instance', d, {
      level: 'error',
      message: 'Exception during message handling: Endpoint does not support RPC version 4.0. Attempted method: shelve_offload_instance',
    });
  }

  // --- 2. pinned: v3.0 and a backported Instance ----------------------------------------
  if (pinned === true || pinned === 'both') {
    b.at(20);
    const c = b.add('lifecycle', 'api', 'api: [upgrade_levels] compute = juno', undefined, { action: 'configure', section: 'upgrade_levels', option: 'compute', value: 'juno' });
    b.add('lifecycle', 'api', 'api stopped for a restart', c, { action: 'stopped' });
    b.add('lifecycle', 'api', 'api (nova-api, kilo) restarted', c, { action: 'restarted', release: 'kilo', binary: 'nova-api', host: 'api' });
    b.add('lifecycle', 'conductor', 'conductor: [upgrade_levels] compute = juno', undefined, { action: 'configure', section: 'upgrade_levels', option: 'compute', value: 'juno' });
    b.at(30);
    const rid = 'req-00000002-0000-4000-8000-000000000000';
    const ua = b.add('user_action', 'user', 'user: shelve-offload vm1', undefined, { action: { action: 'shelve_offload', server: 'vm1' }, request_id: rid });
    const s = b.send('api', ua, {
      rpc: 'cast',
      method: 'shelve_offload_instance',
      version: '3.0',
      topic: 'compute',
      server: 'compute1',
      args: { instance: instancePrimitive('vm1', '1.19', 'compute1', 'shelved', 'shelving_offloading') },
      decisions: ["can_send_version('4.0') -> False (version_cap 3.35)", "can_send_version('3.37') -> False (version_cap 3.35)", 'version_cap 3.35 allows 3.0'],
      request_id: rid,
    });
    b.add('outcome', 'api', 'the api accepted the request', ua, { ok: true, request_id: rid });
    const d = b.deliver('compute1', s, 'shelve_offload_instance', '3.0', 'compute.compute1');
    b.dispatch('compute1', d, 'shelve_offload_instance', '3.0', 'dispatched', 'ComputeManager', '3.35');
    b.backport('compute1', d, rid);
    b.add('log', 'compute1', 'INFO [req-00000002-0000-4000-8000-000000000000] Shelve offloading instance vm1', d, { level: 'info', message: 'Shelve offloading instance vm1' });

    // --- 3. create: the conductor builds on a Juno compute --------------------------------
    b.at(40);
    const rid3 = 'req-00000003-0000-4000-8000-000000000000';
    const ua3 = b.add('user_action', 'user', 'user: create server vm2 (m1.small)', undefined, { action: { action: 'create', name: 'vm2', flavor: 'm1.small' }, request_id: rid3 });
    b.add('db', 'api', "db.instance_create({…})", ua3, { method: 'instance_create', ok: true });
    const bi = b.send('api', ua3, {
      rpc: 'cast',
      method: 'build_instances',
      version: '1.9',
      namespace: 'compute_task',
      topic: 'conductor',
      args: { instances: [instancePrimitive('vm2', '1.19', 'compute1', 'building', 'scheduling')], image: { id: 'cirros-0.3.4-x86_64', name: 'cirros' }, filter_properties: { instance_type: flavorPrimitive() }, admin_password: null, injected_files: [], requested_networks: null, security_groups: ['default'] },
      decisions: ["can_send_version('1.9') -> True (no version_cap)", "can_send_version('1.7') -> True (no version_cap)"],
      request_id: rid3,
    });
    b.add('outcome', 'api', 'the api accepted the request', ua3, { ok: true, request_id: rid3 });
    const d3 = b.deliver('conductor', bi, 'build_instances', '1.9', 'conductor');
    b.dispatch('conductor', d3, 'build_instances', '1.9', 'dispatched', 'ComputeTaskManager', '1.11', 'compute_task');
    const sd = b.send('conductor', d3, {
      rpc: 'call',
      method: 'select_destinations',
      version: '4.0',
      topic: 'scheduler',
      args: { request_spec: { instance_uuids: [UUIDS.vm2], num_instances: 1 }, filter_properties: { retry: { num_attempts: 1, hosts: [] } } },
      request_id: rid3,
    });
    const d4 = b.deliver('scheduler', sd, 'select_destinations', '4.0', 'scheduler');
    b.dispatch('scheduler', d4, 'select_destinations', '4.0', 'dispatched', 'SchedulerManager', '4.0');
    b.add('log', 'scheduler', 'DEBUG reply to select_destinations', d4, { level: 'debug', message: 'reply to select_destinations', reply: true });
    b.reply('conductor', 'scheduler', sd, 'select_destinations', null, [{ host: 'compute1', nodename: 'compute1.example.org', limits: {} }]);
    const br = b.send('conductor', d3, {
      rpc: 'cast',
      method: 'build_and_run_instance',
      version: '3.33',
      topic: 'compute',
      server: 'compute1',
      args: { instance: instancePrimitive('vm2', '1.19', 'compute1', 'building', 'scheduling'), image: { id: 'cirros-0.3.4-x86_64' }, request_spec: {}, filter_properties: { instance_type: flavorPrimitive() }, admin_password: null, injected_files: [], requested_networks: null, security_groups: ['default'], block_device_mapping: [], node: 'compute1.example.org', limits: {} },
      decisions: [
        "can_send_version('4.0') -> False (version_cap 3.35)",
        "can_send_version('3.40') -> False (version_cap 3.35)",
        "can_send_version('3.36') -> False (version_cap 3.35)",
        "can_send_version('3.33') -> True (version_cap 3.35)",
        'filter_properties.instance_type -> primitive',
      ],
      request_id: rid3,
    });
    const d5 = b.deliver('compute1', br, 'build_and_run_instance', '3.33', 'compute.compute1');
    b.dispatch('compute1', d5, 'build_and_run_instance', '3.33', 'dispatched', 'ComputeManager', '3.35');
    b.backport('compute1', d5, rid3);
    b.add('log', 'compute1', 'INFO [req-00000003-0000-4000-8000-000000000000] Instance vm2 spawned successfully', d5, { level: 'info', message: 'Instance vm2 spawned successfully' });
  }

  // --- 4. errors ---------------------------------------------------------------------------
  if (errors) {
    b.at(60);
    b.add('lifecycle', 'compute2', 'compute2 stopped', undefined, { action: 'stopped' });
    const rid4 = 'req-00000004-0000-4000-8000-000000000000';
    const ua4 = b.add('user_action', 'user', 'user: shelve vm1', undefined, { action: { action: 'shelve', server: 'vm1' }, request_id: rid4 });
    b.add('refused', 'api', 'RPCVersionCapError: 3.37 is above version_cap 3.35', ua4, {
      version: '3.37',
      version_cap: '3.35',
      method: 'shelve_instance',
      decisions: ["can_send_version('3.37') -> False (version_cap 3.35)", 'version_cap 3.35 refuses 3.37: RPCVersionCapError, nothing sent'],
    });
    b.add('outcome', 'api', 'the api refused the request: RPCVersionCapError: Requested message version, 3.37 is too high. It needs to be lower than the specified version cap 3.35.', ua4, { ok: false, request_id: rid4 });

    b.at(70);
    const rid5 = 'req-00000005-0000-4000-8000-000000000000';
    const ua5 = b.add('user_action', 'user', 'user: live-migrate vm3 to compute2', undefined, { action: { action: 'live_migrate', server: 'vm3', host: 'compute2' }, request_id: rid5 });
    const ms = b.send('api', ua5, {
      rpc: 'call',
      method: 'migrate_server',
      version: '1.11',
      namespace: 'compute_task',
      topic: 'conductor',
      args: { instance: instancePrimitive('vm3', '1.19', 'compute1'), scheduler_hint: { host: 'compute2' }, live: true, rebuild: false, flavor: null, block_migration: false, disk_over_commit: false, reservations: null, clean_shutdown: true },
      decisions: ["can_send_version('1.11') -> True (no version_cap)"],
      request_id: rid5,
    });
    const d6 = b.deliver('conductor', ms, 'migrate_server', '1.11', 'conductor');
    b.dispatch('conductor', d6, 'migrate_server', '1.11', 'dispatched', 'ComputeTaskManager', '1.11', 'compute_task');
    const cc = b.send('conductor', d6, {
      rpc: 'call',
      method: 'check_can_live_migrate_destination',
      version: '3.32',
      topic: 'compute',
      server: 'compute2',
      args: { instance: instancePrimitive('vm3', '1.19', 'compute1'), block_migration: false, disk_over_commit: false },
      decisions: ['version_cap 3.35 allows 3.32'],
      request_id: rid5,
    });
    b.add('queued', 'bus', 'compute.compute2 has no consumer: the message waits (1 queued)', cc, { queue: 'compute.compute2', depth: 1 });
    b.at(60070);
    b.add('timeout', 'conductor', 'MessagingTimeout: no reply to check_can_live_migrate_destination within 60 s', cc, { msg_id: 'x', call: cc });
    b.add('log', 'conductor', 'ERROR [req-00000005-0000-4000-8000-000000000000] Migration of instance vm3 to host compute2 unexpectedly failed.', d6, {
      level: 'error',
      message: 'Migration of instance vm3 to host compute2 unexpectedly failed.',
    });
    b.add('log', 'conductor', 'DEBUG reply to migrate_server: MigrationError: Migration error: Timed out waiting for a reply to message ID 00a29f3b2c7ad41e4b06a5c8d2f1e07b', d6, {
      level: 'debug',
      message: 'reply to migrate_server: MigrationError',
      reply: true,
    });
    b.reply('api', 'conductor', ms, 'migrate_server', {
      class: 'MigrationError',
      message: 'Migration error: Timed out waiting for a reply to message ID 00a29f3b2c7ad41e4b06a5c8d2f1e07b',
      tb: [...TB, '  File "nova/conductor/manager.py", line 611, in migrate_server', '    block_migration, disk_over_commit)', '  File "nova/conductor/manager.py", line 682, in _live_migrate', '    raise exception.MigrationError(reason=six.text_type(ex))', 'MigrationError: Migration error: Timed out waiting for a reply to message ID 00a29f3b2c7ad41e4b06a5c8d2f1e07b'],
    });
    b.add('outcome', 'api', 'the api refused the request: MigrationError: Migration error: Timed out waiting for a reply', ua5, { ok: false, request_id: rid5 });
  }
  return b.events;
}

export const FIXTURE: TraceEvent[] = buildFixture();

function svc(id: string, binary: ServiceView['binary'], release: ServiceView['release'], state: ServiceView['state'] = 'running', upgrade_levels: Record<string, string> = {}): ServiceView {
  return {
    id,
    binary,
    release,
    host: id,
    state,
    incarnation: state === 'running' ? 1 : 0,
    upgrade_levels,
    conf: { DEFAULT: { host: id }, ...(Object.keys(upgrade_levels).length ? { upgrade_levels } : {}) },
    hasUserCode: false,
  };
}

export function fixtureSnapshot(): ClusterSnapshot {
  const now = FIXTURE[FIXTURE.length - 1]!.time;
  const row = (name: string, vm_state: string, host: string | null, task_state: string | null = null) =>
    ({ uuid: UUIDS[name]!, display_name: name, vm_state, task_state, host, node: host ? `${host}.example.org` : null, power_state: vm_state === 'active' ? 1 : 4, deleted: false }) as unknown as ClusterSnapshot['instances'][number];
  return {
    time: now,
    services: [
      svc('api', 'nova-api', 'kilo', 'running', { compute: 'juno' }),
      svc('conductor', 'nova-conductor', 'kilo', 'running', { compute: 'juno' }),
      svc('scheduler', 'nova-scheduler', 'kilo'),
      svc('compute1', 'nova-compute', 'juno'),
      svc('compute2', 'nova-compute', 'juno', 'stopped'),
    ],
    queues: { compute: 0, 'compute.compute1': 0, 'compute.compute2': 1, conductor: 0, scheduler: 0 },
    instances: [row('vm1', 'shelved_offloaded', null), row('vm2', 'active', 'compute1'), row('vm3', 'active', 'compute1')],
  };
}
