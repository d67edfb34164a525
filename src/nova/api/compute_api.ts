/**
 * nova-api's side of a user action: nova/compute/api.py's API class as it
 * is in 2014.2 / 2015.1.0 / 12.0.0, reduced to what the simulator models
 * (src/nova/data/rpcapi-methods.json -> api_to_rpc): resolve the server,
 * check_instance_state, update the instance (nova-api has the database: the
 * objects run locally), then the RPC call nova makes — ComputeTaskAPI
 * (conductor, namespace compute_task) for build / unshelve / resize and
 * live migration, ComputeAPI (compute) for everything else.
 */
import { PyException } from '../../oslo/exception';
import { isVersionedObject, remotable_call, remotable_classmethod_call, type ObjectWorld, type VersionedObject } from '../../oslo/objects';
import { attr, type LogFn } from '../compute/manager_support';
import type { NovaConf } from '../conf';
import type { Database, Row } from '../db/api';
import { FlavorNotFoundByName, InstanceInvalidState, InstanceNotFound, NovaException } from '../exception';
import { save_flavor_info } from '../objects/flavors';
import { power_state, task_states, vm_states } from '../objects/states';
import { libertyOrLater, type Release } from '../releases';
import type { UserAction } from '../service_api';

type Kwargs = Record<string, unknown>;
type RpcClientLike = Record<string, unknown>;

export interface ComputeApiDeps {
  release: Release;
  conf: NovaConf;
  db: Database;
  world: ObjectWorld;
  compute_rpcapi: RpcClientLike;
  compute_task_api: RpcClientLike;
  log: LogFn;
  now(): string;
  ids: { uuid(): string; request_id(): string };
}

/** @check_instance_state(vm_state=..., task_state=(None,), must_have_launched=True). */
export interface StateCheck {
  vm_state: readonly string[] | null;
  task_state?: readonly (string | null)[] | null;
  must_have_launched?: boolean;
}

const DEFAULT_IMAGE = { id: '155d900f-4e14-4e4c-a73d-069cbf4541e6', name: 'cirros-0.3.4-x86_64-uec', status: 'active', min_ram: 0, min_disk: 0, properties: {} };

export class NovaComputeAPI {
  constructor(readonly deps: ComputeApiDeps) {}

  get release(): Release {
    return this.deps.release;
  }

  /**
   * Icehouse (2014.1) and Juno (2014.2) share what is modelled here: the
   * flavor in system_metadata, no clean_shutdown, the same state checks.
   * (Icehouse's own differences are in requestedNetworks.)
   */
  get junoOrOlder(): boolean {
    return this.release === 'icehouse' || this.release === 'juno';
  }

  private async rpc(client: RpcClientLike, method: string, ctxt: unknown, kwargs: Kwargs): Promise<unknown> {
    const fn = client[method];
    if (typeof fn !== 'function') {
      throw new PyException('AttributeError', 'exceptions', `'${String(client.constructor?.name)}' object has no attribute '${method}'`);
    }
    return (fn as (c: unknown, k: Kwargs) => Promise<unknown>).call(client, ctxt, kwargs);
  }

  /** nova.compute.api.check_instance_state */
  check_instance_state(instance: VersionedObject, method: string, check: StateCheck): void {
    const task_state = check.task_state === undefined ? [null] : check.task_state;
    const must = check.must_have_launched ?? true;
    const uuid = instance.get('uuid');
    const vm = attr(instance, 'vm_state') ?? null;
    const task = attr(instance, 'task_state') ?? null;
    if (check.vm_state !== null && !check.vm_state.includes(vm as string)) {
      throw InstanceInvalidState({ attr: 'vm_state', instance_uuid: uuid, state: vm, method });
    }
    if (task_state !== null && !task_state.includes(task as string | null)) {
      throw InstanceInvalidState({ attr: 'task_state', instance_uuid: uuid, state: task, method });
    }
    if (must && !attr(instance, 'launched_at')) {
      throw InstanceInvalidState({ attr: 'launched_at', instance_uuid: uuid, state: attr(instance, 'launched_at') ?? null, method });
    }
  }

  /** The server argument: a uuid, else a display name (the first live match). */
  async resolve(ctxt: unknown, server: string): Promise<VersionedObject> {
    const rows = await this.deps.db.instance_get_all();
    const row = rows.find((r) => r.uuid === server) ?? rows.find((r) => r.display_name === server);
    if (!row) throw InstanceNotFound({ instance_id: server });
    const Instance = this.deps.world.registry.get('Instance');
    // compute.api.API.get: expected_attrs metadata, system_metadata, security_groups, info_cache
    return (await remotable_classmethod_call(this.deps.world, Instance, ctxt, 'get_by_uuid', [row.uuid], {
      expected_attrs: ['metadata', 'system_metadata', 'security_groups', 'info_cache'],
    })) as VersionedObject;
  }

  private async save(instance: VersionedObject, kwargs: Kwargs = {}): Promise<void> {
    await remotable_call(instance, 'save', [], kwargs);
  }

  private set(instance: VersionedObject, values: Kwargs): void {
    for (const [k, v] of Object.entries(values)) if (Object.prototype.hasOwnProperty.call(instance.fields, k)) instance.set(k, v);
  }

  async handle(ctxt: unknown, a: UserAction): Promise<unknown> {
    if (a.action === 'create') {
      return this.create(ctxt, a.name, a.flavor ?? 'm1.tiny', a.image ?? null, { networks: a.networks, volumes: a.volumes, boot_volume: a.boot_volume });
    }
    if (a.action === 'unit_test') throw new PyException('TypeError', 'exceptions', 'a unit test is not an API request');
    if (a.action === 'flavor_key') {
      // the flavor extra specs API: flavor_extra_specs_update_or_create
      const row = await this.flavorRow(a.flavor);
      await this.deps.db.flavor_extra_specs_update_or_create(String(row.flavorid), { [a.key]: a.value });
      this.deps.log('info', `flavor ${String(row.name)}: extra spec ${a.key}=${a.value}`, ctxt);
      return null;
    }
    const instance = await this.resolve(ctxt, a.server);
    const uuid = instance.get<string>('uuid');
    switch (a.action) {
      case 'stop':
        await this.stop(ctxt, instance);
        break;
      case 'start':
        await this.simple(ctxt, instance, 'start', { vm_state: [vm_states.STOPPED] }, task_states.POWERING_ON, 'start_instance');
        break;
      case 'reboot':
        await this.reboot(ctxt, instance, a.reboot_type ?? 'SOFT');
        break;
      case 'pause':
        await this.simple(ctxt, instance, 'pause', { vm_state: [vm_states.ACTIVE] }, task_states.PAUSING, 'pause_instance');
        break;
      case 'unpause':
        await this.simple(ctxt, instance, 'unpause', { vm_state: [vm_states.PAUSED] }, task_states.UNPAUSING, 'unpause_instance');
        break;
      case 'suspend':
        await this.simple(ctxt, instance, 'suspend', { vm_state: [vm_states.ACTIVE] }, task_states.SUSPENDING, 'suspend_instance');
        break;
      case 'resume':
        await this.simple(ctxt, instance, 'resume', { vm_state: [vm_states.SUSPENDED] }, task_states.RESUMING, 'resume_instance');
        break;
      case 'shelve':
        await this.shelve(ctxt, instance);
        break;
      case 'shelve_offload':
        await this.shelve_offload(ctxt, instance);
        break;
      case 'unshelve':
        await this.unshelve(ctxt, instance);
        break;
      case 'rescue':
        await this.rescue(ctxt, instance, a.rescue_password ?? null);
        break;
      case 'unrescue':
        await this.simple(ctxt, instance, 'unrescue', { vm_state: [vm_states.RESCUED] }, task_states.UNRESCUING, 'unrescue_instance');
        break;
      case 'resize':
        await this.resize(ctxt, instance, a.flavor);
        break;
      case 'confirm_resize':
        await this.confirm_resize(ctxt, instance);
        break;
      case 'revert_resize':
        await this.revert_resize(ctxt, instance);
        break;
      case 'live_migrate':
        await this.live_migrate(ctxt, instance, a.host ?? null, a.block_migration ?? false);
        break;
      case 'attach_volume':
        return this.attach_volume(ctxt, instance, a.volume_id, a.device ?? null);
      case 'detach_volume':
        await this.detach_volume(ctxt, instance, a.volume_id);
        break;
      case 'delete':
        await this.delete(ctxt, instance);
        break;
      default:
        throw new PyException('NotImplementedError', 'exceptions', `action ${(a as { action: string }).action}`);
    }
    return uuid;
  }

  /** check state, set the task state, save(expected_task_state=[None]), cast. */
  private async simple(ctxt: unknown, instance: VersionedObject, method: string, check: StateCheck, task_state: string, rpcMethod: string, extra: Kwargs = {}): Promise<void> {
    this.check_instance_state(instance, method, check);
    this.set(instance, { task_state });
    await this.save(instance, { expected_task_state: [null] });
    await this.rpc(this.deps.compute_rpcapi, rpcMethod, ctxt, { instance, ...extra });
  }

  // ---------------------------------------------------------------- create

  async create(
    ctxt: unknown,
    name: string,
    flavorName: string,
    imageName: string | null,
    opts: { networks?: Array<{ uuid?: string | null; fixed_ip?: string | null; port?: string | null }>; volumes?: string[]; boot_volume?: string } = {},
  ): Promise<string> {
    const { world } = this.deps;
    const flavorRow = await this.flavorRow(flavorName);
    // 2014.1 kept PCI requests as flavor data in system_metadata (no InstancePCIRequests object): not modelled.
    const pci_request_info = this.release === 'icehouse' ? null : this.pciRequestsFromFlavor(ctxt, flavorRow);
    const image = imageName ? { ...DEFAULT_IMAGE, name: imageName } : { ...DEFAULT_IMAGE };
    const Instance = world.registry.get('Instance');
    const instance = new Instance({}, { context: ctxt, world });
    const c = ctxt as { user_id?: string | null; project_id?: string | null };
    const flavorObj = this.flavorObject(ctxt, flavorRow);
    this.set(instance, {
      uuid: this.deps.ids.uuid(),
      display_name: name,
      hostname: name.toLowerCase().replace(/[^a-z0-9-]+/g, '-'),
      user_id: c.user_id ?? 'demo',
      project_id: c.project_id ?? 'demo',
      // booted from a volume: no image (compute.api: image_ref '' for a volume-backed instance)
      image_ref: opts.boot_volume ? '' : image.id,
      instance_type_id: flavorRow.id,
      memory_mb: flavorRow.memory_mb,
      vcpus: flavorRow.vcpus,
      root_gb: flavorRow.root_gb,
      ephemeral_gb: flavorRow.ephemeral_gb,
      launch_index: 0,
      vm_state: vm_states.BUILDING,
      task_state: task_states.SCHEDULING,
      power_state: power_state.NOSTATE,
      metadata: {},
      system_metadata: { image_base_image_ref: image.id, image_min_ram: '0', image_min_disk: '0' },
    });
    if (!this.junoOrOlder && flavorObj && Object.prototype.hasOwnProperty.call(instance.fields, 'flavor')) {
      this.set(instance, { flavor: flavorObj, old_flavor: null, new_flavor: null });
    } else {
      // Juno: the flavor lives in system_metadata (flavors.save_flavor_info).
      const sysmeta = { ...(instance.get<Record<string, string>>('system_metadata') ?? {}) };
      save_flavor_info(sysmeta, flavorRow);
      this.set(instance, { system_metadata: sysmeta });
    }
    // _populate_instance_for_create: an empty network info cache
    const InfoCache = world.registry.latest('InstanceInfoCache');
    if (InfoCache && Object.prototype.hasOwnProperty.call(instance.fields, 'info_cache')) {
      this.set(instance, { info_cache: new InfoCache({ instance_uuid: instance.get('uuid'), network_info: [] }, { context: ctxt, world }) });
    }
    // 2015.1.0 / 12.0.0: base_options['pci_requests'] is set on the instance and written by create()
    if (pci_request_info && !this.junoOrOlder && Object.prototype.hasOwnProperty.call(instance.fields, 'pci_requests')) this.set(instance, { pci_requests: pci_request_info });
    await remotable_call(instance, 'create', [], {});
    const uuid = instance.get<string>('uuid');
    if (pci_request_info && this.release === 'juno') {
      // 2014.2 _provision_instances: pci_requests.instance_uuid = instance.uuid; pci_requests.save(context)
      pci_request_info.set('instance_uuid', uuid);
      await remotable_call(pci_request_info, 'save', [], {}, ctxt);
    } else pci_request_info?.set('instance_uuid', uuid);
    await this._create_block_device_mapping(ctxt, uuid, opts.boot_volume ? null : image.id, opts.boot_volume ?? null, opts.volumes ?? []);
    this.deps.log('info', `[instance: ${uuid}] created (${flavorRow.name as string}), asking conductor to build it`, ctxt);
    const filter_properties: Kwargs = { scheduler_hints: {}, instance_type: this.junoOrOlder || !flavorObj ? stripDict(flavorRow) : flavorObj };
    // _build_filter_properties: the PCI requests travel to the scheduler and the compute
    if (pci_request_info && pci_request_info.get<unknown[]>('requests').length > 0) filter_properties.pci_requests = pci_request_info;
    await this.rpc(this.deps.compute_task_api, 'build_instances', ctxt, {
      instances: [instance],
      image,
      filter_properties,
      admin_password: '',
      injected_files: [],
      requested_networks: this.requestedNetworks(ctxt, opts.networks),
      security_groups: ['default'],
      block_device_mapping: this.emptyList('BlockDeviceMappingList'),
      legacy_bdm: false,
    });
    return uuid;
  }

  private async flavorRow(flavorName: string): Promise<Row> {
    const { db } = this.deps;
    try {
      return await db.flavor_get_by_name(flavorName);
    } catch {
      // `nova boot --flavor 1` style: the flavorid
      const all = await db.flavor_get_all();
      const f = all.find((x) => String(x.flavorid) === flavorName);
      if (!f) throw FlavorNotFoundByName({ flavor_name: flavorName });
      return f;
    }
  }

  /**
   * pci_request.get_pci_requests_from_flavor (2014.2 nova/pci/pci_request.py,
   * 2015.1.0 / 12.0.0 nova/pci/request.py): the flavor's
   * `pci_passthrough:alias` = "name:count[, ...]" through [DEFAULT] pci_alias
   * (JSON specs with a name) into InstancePCIRequest(count, spec, alias_name);
   * an alias the config lacks is PciRequestAliasNotDefined.
   */
  private pciRequestsFromFlavor(ctxt: unknown, flavorRow: Row): VersionedObject {
    const { world } = this.deps;
    const requests: VersionedObject[] = [];
    const aliasSpec = ((flavorRow.extra_specs ?? {}) as Record<string, string>)['pci_passthrough:alias'];
    if (aliasSpec) {
      const aliases = new Map<string, Array<Record<string, string>>>();
      const raw = this.deps.conf.get('DEFAULT', 'pci_alias');
      let specs: unknown = [];
      try {
        specs = raw ? JSON.parse(raw) : [];
      } catch (e) {
        throw new NovaException('PciInvalidAlias', `Invalid PCI Alias definition: ${(e as Error).message}`, { reason: (e as Error).message });
      }
      for (const spec of (Array.isArray(specs) ? specs : [specs]) as Array<Record<string, string>>) {
        const { name, ...rest } = spec;
        if (!name) continue;
        aliases.set(name, [...(aliases.get(name) ?? []), rest]);
      }
      const Req = world.registry.get('InstancePCIRequest');
      for (const part of aliasSpec.replace(/ /g, '').split(',')) {
        const [name, count] = part.split(':');
        const spec = aliases.get(name ?? '');
        if (!spec) throw new NovaException('PciRequestAliasNotDefined', `PCI alias ${String(name)} is not defined`, { alias: name });
        requests.push(new Req({ count: Number(count), spec: JSON.parse(JSON.stringify(spec)) as unknown, alias_name: name }, { context: ctxt, world }));
      }
    }
    const Reqs = world.registry.get('InstancePCIRequests');
    return new Reqs({ requests }, { context: ctxt, world });
  }

  /**
   * The servers API's requested_networks: None when the request names no
   * network, else a NetworkRequestList (network_id, address, port_id).
   */
  private requestedNetworks(ctxt: unknown, networks: Array<{ uuid?: string | null; fixed_ip?: string | null; port?: string | null }> | undefined): unknown {
    if (!networks || networks.length === 0) return null;
    // 2014.1's servers API passes a list of (network_id, fixed_ip, port_id) tuples (NetworkRequest came with 2014.2).
    if (this.release === 'icehouse') return networks.map((n) => [n.uuid ?? null, n.fixed_ip ?? null, n.port ?? null]);
    const { world } = this.deps;
    const NR = world.registry.get('NetworkRequest');
    const L = world.registry.get('NetworkRequestList');
    const objects = networks.map((n) => new NR({ network_id: n.uuid ?? null, address: n.fixed_ip ?? null, port_id: n.port ?? null }, { context: ctxt, world }));
    return new L({ objects }, { context: ctxt, world });
  }

  /**
   * compute.api._create_block_device_mapping: the image's root BDM (source
   * image, destination local, boot_index 0) or the boot volume, then one
   * volume BDM per volume asked for; device names are left to the compute.
   */
  private async _create_block_device_mapping(ctxt: unknown, instance_uuid: string, image_id: string | null, boot_volume: string | null, volumes: string[]): Promise<void> {
    const { world } = this.deps;
    const BDM = world.registry.latest('BlockDeviceMapping');
    if (!BDM) return;
    const rows: Kwargs[] = [];
    if (boot_volume) rows.push({ source_type: 'volume', destination_type: 'volume', volume_id: boot_volume, boot_index: 0, delete_on_termination: false });
    else if (image_id) rows.push({ source_type: 'image', destination_type: 'local', image_id, boot_index: 0, delete_on_termination: true, device_type: 'disk' });
    for (const v of volumes) rows.push({ source_type: 'volume', destination_type: 'volume', volume_id: v, boot_index: null, delete_on_termination: false });
    for (const values of rows) {
      const bdm = new BDM({}, { context: ctxt, world });
      for (const [k, v] of Object.entries({ instance_uuid, ...values })) if (Object.prototype.hasOwnProperty.call(bdm.fields, k)) bdm.set(k, v);
      await remotable_call(bdm, 'create', [], {});
    }
  }

  // ---------------------------------------------------------------- volumes

  /**
   * compute.api.attach_volume / _attach_volume: reserve_block_device_name
   * on the instance's compute (a call that creates the BDM), then the
   * attach_volume cast with that BDM; returns the device name.
   */
  private async attach_volume(ctxt: unknown, instance: VersionedObject, volume_id: string, device: string | null): Promise<string> {
    this.check_instance_state(instance, 'attach_volume', {
      vm_state: [vm_states.ACTIVE, vm_states.PAUSED, vm_states.STOPPED, vm_states.RESIZED, vm_states.SOFT_DELETED],
      task_state: null,
    });
    let volume_bdm = (await this.rpc(this.deps.compute_rpcapi, 'reserve_block_device_name', ctxt, {
      instance,
      device,
      volume_id,
      disk_bus: null,
      device_type: null,
    })) as VersionedObject;
    if (this.release === 'icehouse') {
      // 2014.1 _attach_volume: the reply is the device name; the BDM is loaded by volume id.
      const name = volume_bdm as unknown as string;
      const BDM = this.deps.world.registry.latest('BlockDeviceMapping')!;
      volume_bdm = (await remotable_classmethod_call(this.deps.world, BDM, ctxt, 'get_by_volume_id', [volume_id], {})) as VersionedObject;
      await this.rpc(this.deps.compute_rpcapi, 'attach_volume', ctxt, { instance, volume_id, mountpoint: name, bdm: volume_bdm });
      return String(name ?? '');
    }
    // 12.0.0 attach_volume(context, instance, bdm); 2014.2 / 2015.1.0 also pass volume_id and mountpoint
    const args: Kwargs = libertyOrLater(this.release) ? { instance, bdm: volume_bdm } : { instance, volume_id, mountpoint: device, bdm: volume_bdm };
    await this.rpc(this.deps.compute_rpcapi, 'attach_volume', ctxt, args);
    return String(attr(volume_bdm, 'device_name') ?? '');
  }

  /** compute.api.detach_volume: the detach_volume cast to the instance's compute. */
  private async detach_volume(ctxt: unknown, instance: VersionedObject, volume_id: string): Promise<void> {
    this.check_instance_state(instance, 'detach_volume', {
      vm_state: [vm_states.ACTIVE, vm_states.PAUSED, vm_states.STOPPED, vm_states.RESIZED, vm_states.SOFT_DELETED],
      task_state: null,
    });
    // 13.0.0 _detach_volume also passes attachment_id (volume['attachments'][instance.uuid]; the
    // simulated volumes carry no attachment records, so None), sent from 4.7 on.
    const args: Kwargs = this.release === 'mitaka' ? { instance, volume_id, attachment_id: null } : { instance, volume_id };
    await this.rpc(this.deps.compute_rpcapi, 'detach_volume', ctxt, args);
  }

  private flavorObject(ctxt: unknown, row: Row): VersionedObject | null {
    const Flavor = this.deps.world.registry.latest('Flavor');
    if (!Flavor) return null;
    const f = new Flavor({}, { context: ctxt, world: this.deps.world });
    for (const [k, v] of Object.entries(row)) {
      if (Object.prototype.hasOwnProperty.call(f.fields, k)) {
        try {
          f.set(k, v);
        } catch {
          /* a column the release's Flavor types differently */
        }
      }
    }
    f.obj_reset_changes();
    return f;
  }

  private emptyList(name: string): unknown {
    const L = this.deps.world.registry.latest(name);
    if (!L) return null;
    return new L({ objects: [] }, { world: this.deps.world });
  }

  // ---------------------------------------------------------------- power

  private async stop(ctxt: unknown, instance: VersionedObject): Promise<void> {
    this.check_instance_state(instance, 'stop', { vm_state: [vm_states.ACTIVE, vm_states.ERROR] });
    this.set(instance, { task_state: task_states.POWERING_OFF, progress: 0 });
    await this.save(instance, { expected_task_state: [null] });
    const args: Kwargs = { instance, do_cast: true };
    if (!this.junoOrOlder) args.clean_shutdown = true;
    await this.rpc(this.deps.compute_rpcapi, 'stop_instance', ctxt, args);
  }

  private async reboot(ctxt: unknown, instance: VersionedObject, reboot_type: 'SOFT' | 'HARD'): Promise<void> {
    const uuid = instance.get('uuid');
    const vm = attr<string>(instance, 'vm_state');
    const task = attr<string | null>(instance, 'task_state') ?? null;
    this.check_instance_state(instance, 'reboot', {
      vm_state: [vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED, vm_states.SUSPENDED, vm_states.ERROR],
      task_state: [null, task_states.REBOOTING, task_states.REBOOT_PENDING, task_states.REBOOT_STARTED, task_states.REBOOTING_HARD, task_states.RESUMING, task_states.UNPAUSING, task_states.PAUSING, task_states.SUSPENDING],
    });
    let expected: (string | null)[];
    if (reboot_type === 'SOFT') {
      if (vm !== vm_states.ACTIVE) throw InstanceInvalidState({ attr: 'vm_state', instance_uuid: uuid, state: vm, method: 'soft reboot' });
      if (this.junoOrOlder) {
        if ([task_states.REBOOTING, task_states.REBOOTING_HARD, task_states.REBOOT_PENDING, task_states.REBOOT_STARTED].includes(task as never)) {
          throw InstanceInvalidState({ attr: 'task_state', instance_uuid: uuid, state: task, method: 'reboot' });
        }
        expected = [null, task_states.REBOOTING, task_states.REBOOT_PENDING, task_states.REBOOT_STARTED];
      } else {
        if (task !== null) throw InstanceInvalidState({ attr: 'task_state', instance_uuid: uuid, state: task, method: 'reboot' });
        expected = [null];
      }
    } else {
      if (this.junoOrOlder) {
        if (task === task_states.REBOOTING_HARD) throw InstanceInvalidState({ attr: 'task_state', instance_uuid: uuid, state: task, method: 'reboot' });
        expected = [null, task_states.REBOOTING, task_states.REBOOT_PENDING, task_states.REBOOT_STARTED];
      } else {
        expected = [null, task_states.REBOOTING, task_states.REBOOT_PENDING, task_states.REBOOT_STARTED, task_states.REBOOTING_HARD, task_states.RESUMING, task_states.UNPAUSING, task_states.SUSPENDING];
      }
    }
    this.set(instance, { task_state: reboot_type === 'SOFT' ? task_states.REBOOTING : task_states.REBOOTING_HARD });
    await this.save(instance, { expected_task_state: expected });
    await this.rpc(this.deps.compute_rpcapi, 'reboot_instance', ctxt, { instance, block_device_info: null, reboot_type });
  }

  private async rescue(ctxt: unknown, instance: VersionedObject, rescue_password: string | null): Promise<void> {
    this.check_instance_state(instance, 'rescue', { vm_state: [vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR] });
    this.set(instance, { task_state: task_states.RESCUING });
    await this.save(instance, { expected_task_state: [null] });
    // 2014.1's client takes no rescue_image_ref (3.24, Juno).
    const args: Kwargs = this.release === 'icehouse' ? { instance, rescue_password } : { instance, rescue_password, rescue_image_ref: null };
    if (!this.junoOrOlder) args.clean_shutdown = true;
    await this.rpc(this.deps.compute_rpcapi, 'rescue_instance', ctxt, args);
  }

  // ---------------------------------------------------------------- shelve

  private async shelve(ctxt: unknown, instance: VersionedObject): Promise<void> {
    this.check_instance_state(instance, 'shelve', { vm_state: [vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED, vm_states.SUSPENDED] });
    this.set(instance, { task_state: task_states.SHELVING });
    await this.save(instance, { expected_task_state: [null] });
    // Image-backed: the API creates the snapshot image "<name>-shelved" first.
    const image_id = this.deps.ids.uuid();
    this.deps.log('debug', `[instance: ${instance.get('uuid')}] snapshot image ${String(attr(instance, 'display_name'))}-shelved is ${image_id}`, ctxt);
    const args: Kwargs = { instance, image_id };
    if (!this.junoOrOlder) args.clean_shutdown = true;
    await this.rpc(this.deps.compute_rpcapi, 'shelve_instance', ctxt, args);
  }

  private async shelve_offload(ctxt: unknown, instance: VersionedObject): Promise<void> {
    this.check_instance_state(instance, 'shelve_offload', { vm_state: [vm_states.SHELVED] });
    this.set(instance, { task_state: task_states.SHELVING_OFFLOADING });
    await this.save(instance, { expected_task_state: [null] });
    const args: Kwargs = { instance };
    if (!this.junoOrOlder) args.clean_shutdown = true;
    await this.rpc(this.deps.compute_rpcapi, 'shelve_offload_instance', ctxt, args);
  }

  private async unshelve(ctxt: unknown, instance: VersionedObject): Promise<void> {
    this.check_instance_state(instance, 'unshelve', { vm_state: [vm_states.SHELVED, vm_states.SHELVED_OFFLOADED] });
    this.set(instance, { task_state: task_states.UNSHELVING });
    await this.save(instance, { expected_task_state: [null] });
    await this.rpc(this.deps.compute_task_api, 'unshelve_instance', ctxt, { instance });
  }

  // ---------------------------------------------------------------- resize

  private async resize(ctxt: unknown, instance: VersionedObject, flavorName: string): Promise<void> {
    this.check_instance_state(instance, 'resize', { vm_state: [vm_states.ACTIVE, vm_states.STOPPED] });
    let row: Row;
    try {
      row = await this.deps.db.flavor_get_by_name(flavorName);
    } catch {
      const f = (await this.deps.db.flavor_get_all()).find((x) => String(x.flavorid) === flavorName);
      if (!f) throw new NovaException('FlavorNotFound', `Flavor ${flavorName} could not be found.`, { flavor_id: flavorName });
      row = f;
    }
    if (row.id === attr(instance, 'instance_type_id')) {
      throw new NovaException('CannotResizeToSameFlavor', 'When resizing, instances must change flavor!');
    }
    this.set(instance, { task_state: task_states.RESIZE_PREP, progress: 0 });
    await this.save(instance, { expected_task_state: [null] });
    const filter_properties: Kwargs = { ignore_hosts: [] };
    if (this.deps.conf.get('DEFAULT', 'allow_resize_to_same_host') !== 'True') (filter_properties.ignore_hosts as unknown[]).push(attr(instance, 'host'));
    const flavor = this.junoOrOlder ? stripDict(row) : (this.flavorObject(ctxt, row) ?? stripDict(row));
    // nova.conductor.api.ComputeTaskAPI.resize_instance -> migrate_server (a call)
    const args: Kwargs = {
      instance,
      scheduler_hint: { filter_properties },
      live: false,
      rebuild: false,
      flavor,
      block_migration: null,
      disk_over_commit: null,
      reservations: [],
    };
    if (!this.junoOrOlder) args.clean_shutdown = true;
    await this.rpc(this.deps.compute_task_api, 'migrate_server', ctxt, args);
  }

  /** objects.Migration.get_by_instance_and_status(context, instance.uuid, 'finished') */
  private async migrationOf(ctxt: unknown, instance: VersionedObject): Promise<VersionedObject> {
    const Migration = this.deps.world.registry.get('Migration');
    return (await remotable_classmethod_call(this.deps.world, Migration, ctxt, 'get_by_instance_and_status', [instance.get('uuid'), 'finished'], {})) as VersionedObject;
  }

  private async confirm_resize(ctxt: unknown, instance: VersionedObject): Promise<void> {
    this.check_instance_state(instance, 'confirm_resize', { vm_state: [vm_states.RESIZED] });
    const migration = await this.migrationOf(ctxt, instance);
    migration.set('status', 'confirming');
    await remotable_call(migration, 'save', [], {});
    await this.rpc(this.deps.compute_rpcapi, 'confirm_resize', ctxt, {
      instance,
      migration,
      host: migration.get('source_compute'),
      reservations: [],
    });
  }

  private async revert_resize(ctxt: unknown, instance: VersionedObject): Promise<void> {
    this.check_instance_state(instance, 'revert_resize', { vm_state: [vm_states.RESIZED] });
    const migration = await this.migrationOf(ctxt, instance);
    this.set(instance, { task_state: task_states.RESIZE_REVERTING });
    await this.save(instance, { expected_task_state: [null] });
    migration.set('status', 'reverting');
    await remotable_call(migration, 'save', [], {});
    await this.rpc(this.deps.compute_rpcapi, 'revert_resize', ctxt, {
      instance,
      migration,
      host: migration.get('dest_compute'),
      reservations: [],
    });
  }

  // ---------------------------------------------------------------- live migration

  private async live_migrate(ctxt: unknown, instance: VersionedObject, host: string | null, block_migration: boolean): Promise<void> {
    const states = this.junoOrOlder ? [vm_states.ACTIVE] : [vm_states.ACTIVE, vm_states.PAUSED];
    this.check_instance_state(instance, 'live_migrate', { vm_state: states });
    this.set(instance, { task_state: task_states.MIGRATING });
    await this.save(instance, { expected_task_state: [null] });
    // nova.conductor.api.ComputeTaskAPI.live_migrate_instance -> migrate_server (a call)
    await this.rpc(this.deps.compute_task_api, 'migrate_server', ctxt, {
      instance,
      scheduler_hint: { host },
      live: true,
      rebuild: false,
      flavor: null,
      block_migration,
      disk_over_commit: false,
      reservations: null,
    });
  }

  // ---------------------------------------------------------------- delete

  private async delete(ctxt: unknown, instance: VersionedObject): Promise<void> {
    const original_task_state = attr(instance, 'task_state') ?? null;
    const uuid = instance.get<string>('uuid');
    if (original_task_state === task_states.DELETING || original_task_state === task_states.SOFT_DELETING) {
      this.deps.log('info', `[instance: ${uuid}] Instance is already in deleting state, ignoring this request`, ctxt);
      return;
    }
    const host = attr<string | null>(instance, 'host') ?? null;
    const shelved_offloaded = attr(instance, 'vm_state') === vm_states.SHELVED_OFFLOADED;
    if (!host && !shelved_offloaded) {
      await remotable_call(instance, 'destroy', [], {});
      return;
    }
    if (attr(instance, 'vm_state') === vm_states.RESIZED) {
      // _confirm_resize_on_deleting: a synchronous confirm on the source first
      const migration = await this.migrationOf(ctxt, instance);
      await this.rpc(this.deps.compute_rpcapi, 'confirm_resize', ctxt, { instance, migration, host: migration.get('source_compute'), reservations: [], cast: false });
    }
    this.set(instance, { task_state: task_states.DELETING, progress: 0 });
    await this.save(instance);
    let is_local_delete = true;
    if (!shelved_offloaded && host) {
      const svc = await this.deps.db.service_get_by_host_and_binary(host, 'nova-compute');
      is_local_delete = !svc || Boolean(svc.disabled && false);
    }
    if (!is_local_delete) {
      const args: Kwargs = { instance, bdms: this.emptyList('BlockDeviceMappingList') ?? [], reservations: null };
      if (libertyOrLater(this.release)) args.delete_type = 'delete';
      await this.rpc(this.deps.compute_rpcapi, 'terminate_instance', ctxt, args);
      return;
    }
    // _local_delete
    this.deps.log('warning', `[instance: ${uuid}] instance's host ${String(host)} is down, deleting from database`, ctxt);
    this.set(instance, { vm_state: vm_states.DELETED, task_state: null, terminated_at: this.deps.now() });
    await this.save(instance);
    await remotable_call(instance, 'destroy', [], {});
  }
}

/** A flavor row as the dict Juno passes around (no DB bookkeeping keys). */
function stripDict(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!['created_at', 'updated_at', 'deleted_at', 'deleted'].includes(k)) out[k] = v;
  return out;
}

export function isInstance(v: unknown): v is VersionedObject {
  return isVersionedObject(v) && (v as VersionedObject).obj_name() === 'Instance';
}
