/**
 * nova.compute.resource_tracker.ResourceTracker, the part that keeps the
 * compute_nodes row of this host, as each tag writes it:
 *
 * - 2014.2 `_sync_compute_node`: the service comes from conductor
 *   (`service_get_all_by(topic='compute', host)`, a NotFound disables the
 *   tracker), its joined `compute_node` rows are searched for this node;
 *   missing, `_create` sends conductor `compute_node_create(values)`; then
 *   (and on every later run with changed resources) the scheduler report
 *   client sends `compute_node_update({'id': id}, updates)`.
 * - 2015.1.0 `_init_compute_node`: `Service.get_by_compute_host` and
 *   `ComputeNode.get_by_host_and_nodename` (object_class_action); missing,
 *   still conductor's `compute_node_create(cn)`; `_update` goes through the
 *   report client, which builds `ComputeNode(id=...)` and calls `save()`
 *   (object_action).
 * - 12.0.0: `ComputeNode.get_by_host_and_nodename`, else
 *   `ComputeNode(context)` filled by `update_from_virt_driver` and
 *   `create()`; `_update` is `compute_node.save()`.
 *
 * It runs from `pre_start_hook` (nova's first update_available_resource,
 * before the RPC server starts) and from the `update_available_resource`
 * periodic task when a scenario runs it. Usage is the hypervisor's view
 * (running VMs); nova also walks the host's instances and migrations, which
 * the model leaves out.
 */
import { remotable_call, remotable_classmethod_call, type ObjectWorld, type VersionedObject } from '../../oslo/objects';
import { isPy } from '../../oslo/exception';
import { NovaException } from '../exception';
import type { NovaConf } from '../conf';
import type { Release } from '../releases';
import type { LogFn } from './manager_support';

type Row = Record<string, unknown>;

/** The slice of a hypervisor the tracker reads. */
export interface ResourceDriver {
  get_available_resource(nodename: string): Row;
}

interface ConductorLike {
  service_get_all_by(ctxt: unknown, topic: string | null, host: string | null, binary: string | null): Promise<unknown>;
  compute_node_create(ctxt: unknown, values: Row): Promise<unknown>;
  compute_node_update(ctxt: unknown, node: unknown, values: Row): Promise<unknown>;
}

export interface ResourceTrackerDeps {
  release: Release;
  host: string;
  conf: NovaConf;
  log: LogFn;
  world: ObjectWorld;
  driver: ResourceDriver;
  /** conductor_api (2014.2 / 2015.1.0 row writes and lookups). */
  conductor_api: unknown;
}

/** ComputeNode fields update_from_virt_driver copies (12.0.0). */
const VIRT_KEYS = [
  'vcpus', 'memory_mb', 'local_gb', 'cpu_info', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'numa_topology',
  'hypervisor_type', 'hypervisor_version', 'hypervisor_hostname', 'disk_available_least', 'host_ip',
];

export class ResourceTracker {
  /** 2014.2 / 2015.1.0: the row as a dict; 12.0.0: a ComputeNode. */
  compute_node: Row | VersionedObject | null = null;
  private old_resources: string | null = null;
  readonly nodename: string;
  /** The PCI tracker's devices (PciDevTracker.pci_devs), once the node is known. */
  private pci_devs: VersionedObject[] | null = null;

  constructor(private readonly deps: ResourceTrackerDeps) {
    // The fake driver has one node, named after the host.
    this.nodename = deps.host;
  }

  private get conductor(): ConductorLike {
    return this.deps.conductor_api as ConductorLike;
  }

  private log(level: 'debug' | 'info' | 'warning' | 'error', msg: string, ctxt: unknown): void {
    this.deps.log(level, msg, ctxt);
  }

  private cls(name: string) {
    return this.deps.world.registry.get(name);
  }

  /** update_available_resource: the hypervisor's view, then the release's row write. */
  async update_available_resource(ctxt: unknown): Promise<void> {
    const release = this.deps.release;
    this.log('info', (release === 'juno' || release === 'icehouse') ? 'Auditing locally available compute resources' : `Auditing locally available compute resources for node ${this.nodename}`, ctxt);
    const resources = this.deps.driver.get_available_resource(this.nodename);
    resources.host_ip = this.deps.conf.get('DEFAULT', 'my_ip') ?? '10.0.0.1';
    if (!('numa_topology' in resources)) resources.numa_topology = null;
    if ((release === 'juno' || release === 'icehouse')) return this.junoUpdate(ctxt, resources);
    if (release === 'kilo') return this.kiloUpdate(ctxt, resources);
    return this.libertyUpdate(ctxt, resources);
  }

  /** _update_usage_from_instances / _report_final_resource_view, on the hypervisor's numbers. */
  private finalView(resources: Row): Row {
    resources.free_ram_mb = Number(resources.memory_mb) - Number(resources.memory_mb_used);
    resources.free_disk_gb = Number(resources.local_gb) - Number(resources.local_gb_used);
    resources.current_workload = 0;
    const running = Number(resources.running_vms ?? 0);
    resources.stats = running > 0 ? { num_instances: String(running) } : {};
    return resources;
  }

  private changed(values: Row): boolean {
    const key = JSON.stringify(values);
    if (key === this.old_resources) return false;
    this.old_resources = key;
    return true;
  }

  // ------------------------------------------------------------ 2014.2

  private async junoUpdate(ctxt: unknown, resources: Row): Promise<void> {
    const pciRaw = resources.pci_passthrough_devices;
    delete resources.pci_passthrough_devices;
    resources.pci_stats = JSON.stringify([]);
    this.finalView(resources);
    resources.metrics = JSON.stringify([]);
    let service: Row | null = null;
    if (!this.compute_node) {
      try {
        // conductor_api.service_get_by_compute_host: service_get_all_by(...)[0]
        service = ((await this.conductor.service_get_all_by(ctxt, 'compute', this.deps.host, null)) as Row[])[0] ?? null;
      } catch (e) {
        if (!isPy(e, 'NotFound')) throw e;
        this.log('warning', `No service record for host ${this.deps.host}`, ctxt);
        return; // no service record, disable resource
      }
      if (!service) return;
      for (const cn of (service.compute_node as Row[] | undefined) ?? []) {
        if (cn.hypervisor_hostname === this.nodename) {
          this.compute_node = cn;
          break;
        }
      }
    }
    await this.pciSync(ctxt, pciRaw);
    resources.pci_stats = JSON.stringify(this.pciPools(false));
    if (!this.compute_node) {
      resources.service_id = service!.id;
      // _create: stats go as JSON text
      const values: Row = { ...resources, stats: JSON.stringify(resources.stats) };
      this.compute_node = (await this.conductor.compute_node_create(ctxt, values)) as Row;
      // pci_tracker.set_compute_node_id(cn['id']): the devices get their node and are saved
      await this.pciSync(ctxt, pciRaw);
      values.pci_stats = JSON.stringify(this.pciPools(false));
      this.changed(values);
      await this.junoReportStats(ctxt, values);
      this.log('info', `Compute_service record created for ${this.deps.host}:${this.nodename}`, ctxt);
      return;
    }
    const values = { ...resources, stats: JSON.stringify(resources.stats) };
    if (this.changed(values)) {
      delete (this.compute_node as Row).service;
      Object.assign(this.compute_node as Row, values);
      await this.junoReportStats(ctxt, values);
    }
    this.log('info', `Compute_service record updated for ${this.deps.host}:${this.nodename}`, ctxt);
  }

  /** 2014.2 SchedulerReportClient.update_resource_stats: conductor compute_node_update({'id': id}, updates). */
  private async junoReportStats(ctxt: unknown, values: Row): Promise<void> {
    const updates = { ...values };
    delete updates.id;
    await this.conductor.compute_node_update(ctxt, { id: (this.compute_node as Row).id }, updates);
    this.log('info', `Compute_service record updated for ('${this.deps.host}', '${this.nodename}')`, ctxt);
  }

  // ------------------------------------------------------------ 2015.1.0

  private async kiloUpdate(ctxt: unknown, resources: Row): Promise<void> {
    const pciRaw = resources.pci_passthrough_devices;
    delete resources.pci_passthrough_devices;
    if (!(await this.kiloInit(ctxt, resources))) return;
    await this.pciSync(ctxt, pciRaw);
    resources.pci_device_pools = this.pciPools(true);
    this.finalView(resources);
    resources.metrics = JSON.stringify([]);
    resources.host = this.deps.host;
    // _update
    const values = { ...resources, stats: JSON.stringify(resources.stats) };
    if (this.changed(values)) {
      delete (this.compute_node as Row).service;
      Object.assign(this.compute_node as Row, values);
      await this.kiloReportStats(ctxt, values);
    }
    this.log('info', `Compute_service record updated for ${this.deps.host}:${this.nodename}`, ctxt);
  }

  /** 2015.1.0 _init_compute_node; false when the tracker is disabled (no service record). */
  private async kiloInit(ctxt: unknown, resources: Row): Promise<boolean> {
    if (this.compute_node) return true;
    let service: VersionedObject;
    try {
      service = (await remotable_classmethod_call(this.deps.world, this.cls('Service'), ctxt, 'get_by_compute_host', [this.deps.host], {})) as VersionedObject;
    } catch (e) {
      if (!isPy(e, 'NotFound')) throw e;
      this.log('warning', `No service record for host ${this.deps.host}`, ctxt);
      return false;
    }
    try {
      const cn = (await remotable_classmethod_call(this.deps.world, this.cls('ComputeNode'), ctxt, 'get_by_host_and_nodename', [this.deps.host, this.nodename], {})) as VersionedObject;
      this.compute_node = objToDict(cn);
      return true;
    } catch (e) {
      if (!isPy(e, 'NotFound')) throw e;
      this.log('warning', `No compute node record for ${this.deps.host}:${this.nodename}`, ctxt);
    }
    const cn: Row = { ...resources, service_id: service.get('id'), host: this.deps.host, stats: JSON.stringify({}) };
    delete cn.pci_passthrough_devices;
    this.compute_node = (await this.conductor.compute_node_create(ctxt, cn)) as Row;
    this.log('info', `Compute_service record created for ${this.deps.host}:${this.nodename}`, ctxt);
    return true;
  }

  /** 2015.1.0 SchedulerReportClient.update_resource_stats: ComputeNode(id=...), the updates set, save(). */
  private async kiloReportStats(ctxt: unknown, values: Row): Promise<void> {
    const ComputeNode = this.cls('ComputeNode');
    const node = new ComputeNode({}, { context: ctxt, world: this.deps.world });
    node.set('id', (this.compute_node as Row).id);
    node.obj_reset_changes();
    for (const [k, v] of Object.entries(values)) {
      if (k === 'id' || !(k in node.fields)) continue; // anything else is a plain attribute, never saved
      if (k === 'stats') node.set(k, JSON.parse(String(v)) as Row);
      else if (k === 'pci_device_pools') node.set(k, this.poolList(ctxt, v as Row[]));
      else node.set(k, v);
    }
    await remotable_call(node, 'save', [], {});
  }

  // ------------------------------------------------------------ 12.0.0

  private async libertyUpdate(ctxt: unknown, resources: Row): Promise<void> {
    const pciRaw = resources.pci_passthrough_devices;
    delete resources.pci_passthrough_devices;
    await this.libertyInit(ctxt, resources);
    const node = this.compute_node as VersionedObject;
    await this.pciSync(ctxt, pciRaw);
    node.set('pci_device_pools', this.poolList(ctxt, this.pciPools(true)));
    const view = this.finalView({ ...resources });
    for (const k of ['free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms']) node.set(k, view[k] ?? null);
    node.set('stats', view.stats as Row);
    node.set('metrics', JSON.stringify([]));
    // _update: save only when something changed (obj_equal_prims against the last copy)
    if (this.changed(node.obj_to_primitive() as unknown as Row)) await remotable_call(node, 'save', [], {});
    this.log('info', `Compute_service record updated for ${this.deps.host}:${this.nodename}`, ctxt);
  }

  private copyResources(node: VersionedObject, resources: Row): void {
    node.set('ram_allocation_ratio', Number(this.deps.conf.get('DEFAULT', 'ram_allocation_ratio') ?? 0));
    node.set('cpu_allocation_ratio', Number(this.deps.conf.get('DEFAULT', 'cpu_allocation_ratio') ?? 0));
    // 13.0.0 (ComputeNode 1.16): [DEFAULT] disk_allocation_ratio, default 1.0
    if (Object.prototype.hasOwnProperty.call(node.fields, 'disk_allocation_ratio')) node.set('disk_allocation_ratio', Number(this.deps.conf.get('DEFAULT', 'disk_allocation_ratio') ?? 1.0));
    // update_from_virt_driver
    for (const k of VIRT_KEYS) if (k in resources) node.set(k, resources[k] ?? null);
    if (typeof resources.supported_instances === 'string') {
      const HVSpec = this.cls('HVSpec');
      node.set(
        'supported_hv_specs',
        (JSON.parse(resources.supported_instances) as string[][]).map((l) => new HVSpec({ arch: l[0], hv_type: l[1], vm_mode: l[2] }, { world: this.deps.world })),
      );
    }
  }

  private async libertyInit(ctxt: unknown, resources: Row): Promise<void> {
    if (this.compute_node) {
      this.copyResources(this.compute_node as VersionedObject, resources);
      return;
    }
    try {
      this.compute_node = (await remotable_classmethod_call(this.deps.world, this.cls('ComputeNode'), ctxt, 'get_by_host_and_nodename', [this.deps.host, this.nodename], {})) as VersionedObject;
      this.copyResources(this.compute_node, resources);
      return;
    } catch (e) {
      if (!isPy(e, 'NotFound')) throw e;
      this.log('warning', `No compute node record for ${this.deps.host}:${this.nodename}`, ctxt);
    }
    const ComputeNode = this.cls('ComputeNode');
    const node = new ComputeNode({}, { context: ctxt, world: this.deps.world });
    node.set('host', this.deps.host);
    this.copyResources(node, resources);
    await remotable_call(node, 'create', [], {});
    this.compute_node = node;
    this.log('info', `Compute_service record created for ${this.deps.host}:${this.nodename}`, ctxt);
  }

  // ------------------------------------------------------------ PCI (nova/pci/manager.py PciDevTracker)

  private nodeId(): number | null {
    const cn = this.compute_node;
    if (!cn) return null;
    const id = typeof (cn as VersionedObject).get === 'function' ? (cn as VersionedObject).get<number>('id') : (cn as Row).id;
    return typeof id === 'number' ? id : null;
  }

  /**
   * set_hvdevs + save: the devices the hypervisor reports become PciDevice
   * objects of this node (known ones are read back with
   * PciDeviceList.get_by_compute_node), and every changed one is saved
   * (PciDevice.save, an object_action through conductor).
   */
  private async pciSync(ctxt: unknown, raw: unknown): Promise<void> {
    const node_id = this.nodeId();
    if ((typeof raw !== 'string' && this.pci_devs === null) || node_id === null) return;
    if (this.pci_devs === null) {
      const list = (await remotable_classmethod_call(this.deps.world, this.cls('PciDeviceList'), ctxt, 'get_by_compute_node', [node_id], {})) as VersionedObject;
      this.pci_devs = [...list.get<VersionedObject[]>('objects')];
    }
    const PciDevice = this.cls('PciDevice');
    for (const d of typeof raw === 'string' ? (JSON.parse(raw) as Row[]) : []) {
      if (this.pci_devs.some((x) => x.get('address') === d.address)) continue;
      // PciDevice.create(dev_dict): a new, available device
      const dev = new PciDevice({}, { context: ctxt, world: this.deps.world });
      for (const [k, v] of Object.entries({ ...d, compute_node_id: node_id, status: 'available', extra_info: {} })) if (k in dev.fields) dev.set(k, v);
      if ('numa_node' in dev.fields) dev.set('numa_node', null);
      this.pci_devs.push(dev);
    }
    await this.pciSave(ctxt);
  }

  private async pciSave(ctxt: unknown): Promise<void> {
    void ctxt;
    for (const dev of this.pci_devs ?? []) {
      if (Object.keys(dev.obj_get_changes()).length > 0) await remotable_call(dev, 'save', [], {});
    }
  }

  /** PciDeviceStats pools: free devices by vendor and product (2015.1.0 / 12.0.0 also numa_node). */
  private pciPools(withNuma: boolean): Row[] {
    const pools = new Map<string, Row>();
    for (const dev of this.pci_devs ?? []) {
      if (dev.get('status') !== 'available') continue;
      const key = `${String(dev.get('vendor_id'))}:${String(dev.get('product_id'))}`;
      const pool = pools.get(key) ?? { product_id: dev.get('product_id'), vendor_id: dev.get('vendor_id'), ...(withNuma ? { numa_node: null } : {}), count: 0 };
      pool.count = Number(pool.count) + 1;
      pools.set(key, pool);
    }
    return [...pools.values()];
  }

  private poolList(ctxt: unknown, pools: Row[]): VersionedObject {
    const Pool = this.cls('PciDevicePool');
    const list = new (this.cls('PciDevicePoolList'))({}, { context: ctxt, world: this.deps.world });
    list.set('objects', pools.map((p) => new Pool({ product_id: p.product_id, vendor_id: p.vendor_id, numa_node: p.numa_node ?? null, count: p.count, tags: {} }, { context: ctxt, world: this.deps.world })));
    return list;
  }

  /**
   * instance_claim, the PCI part: Claim._test_pci reads
   * InstancePCIRequests.get_by_instance_uuid (through conductor) and fails
   * with "Claim pci failed." when the free devices cannot serve it
   * (ComputeResourcesUnavailable); then update_pci_for_instance claims and
   * allocates them (device.allocate appends each to instance.pci_devices,
   * which lazy-loads it) and the tracker saves them.
   */
  async instance_claim_pci(ctxt: unknown, instance: VersionedObject, loadPciDevices: () => Promise<void>): Promise<void> {
    const reqs = (await remotable_classmethod_call(this.deps.world, this.cls('InstancePCIRequests'), ctxt, 'get_by_instance_uuid', [instance.get('uuid')], {})) as VersionedObject;
    const requests = reqs.get<VersionedObject[]>('requests') ?? [];
    if (requests.length === 0) return;
    const free = (this.pci_devs ?? []).filter((d) => d.get('status') === 'available');
    const picked: VersionedObject[] = [];
    for (const r of requests) {
      const specs = (r.get<Array<Record<string, string | null>>>('spec') ?? []);
      const match = free.filter((d) => !picked.includes(d) && specs.some((s) => (!s.vendor_id || s.vendor_id === d.get('vendor_id')) && (!s.product_id || s.product_id === d.get('product_id'))));
      if (match.length < Number(r.get('count'))) {
        throw new NovaException('ComputeResourcesUnavailable', 'Insufficient compute resources: Claim pci failed.', { reason: 'Claim pci failed.' });
      }
      for (const d of match.slice(0, Number(r.get('count')))) {
        d.set('request_id', r.obj_attr_is_set('request_id') ? (r.get<string | null>('request_id') ?? null) : null);
        picked.push(d);
      }
    }
    await loadPciDevices();
    const list = instance.get<VersionedObject>('pci_devices');
    for (const d of picked) {
      d.set('status', 'allocated');
      d.set('instance_uuid', instance.get('uuid'));
      list.get<VersionedObject[]>('objects').push(d);
    }
    this.log('debug', `PCI devices ${picked.map((d) => String(d.get('address'))).join(', ')} allocated`, ctxt);
    await this.pciSave(ctxt);
  }

  /** update_usage of a deleted instance: _free_instance puts its devices back (status available) and saves them. */
  async free_pci(ctxt: unknown, instance_uuid: string): Promise<void> {
    const mine = (this.pci_devs ?? []).filter((d) => d.get('instance_uuid') === instance_uuid && ['claimed', 'allocated'].includes(String(d.get('status'))));
    if (mine.length === 0) return;
    for (const d of mine) {
      d.set('status', 'available');
      d.set('instance_uuid', null);
      d.set('request_id', null);
    }
    await this.pciSave(ctxt);
  }
}

/** obj_base.obj_to_primitive(compute): the fields as a plain dict. */
function objToDict(obj: VersionedObject): Row {
  const out: Row = {};
  for (const [k, v] of obj.items()) out[k] = v && typeof v === 'object' && 'obj_to_primitive' in (v as object) ? null : v;
  return out;
}
