import {
  NovaException,
  FlavorNotFound,
  FlavorNotFoundByName,
  InstanceNotFound,
  ServiceNotFound,
  UnexpectedDeletingTaskStateError,
  UnexpectedTaskStateError,
} from '../exception';
import type { Database, InstanceRow, Row, UpdateExpectations } from './api';

/** nova's default flavors (nova/db/sqlalchemy/migrate_repo, 216_havana). */
export const DEFAULT_FLAVORS: Row[] = [
  { id: 1, flavorid: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0 },
  { id: 2, flavorid: '2', name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20, ephemeral_gb: 0 },
  { id: 3, flavorid: '3', name: 'm1.medium', memory_mb: 4096, vcpus: 2, root_gb: 40, ephemeral_gb: 0 },
  { id: 4, flavorid: '4', name: 'm1.large', memory_mb: 8192, vcpus: 4, root_gb: 80, ephemeral_gb: 0 },
  { id: 5, flavorid: '5', name: 'm1.xlarge', memory_mb: 16384, vcpus: 8, root_gb: 160, ephemeral_gb: 0 },
].map((f) => ({
  swap: 0,
  rxtx_factor: 1.0,
  vcpu_weight: null,
  disabled: false,
  is_public: true,
  extra_specs: {},
  created_at: null,
  updated_at: null,
  deleted_at: null,
  deleted: false,
  ...f,
}));

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function expectationFails(expected: UpdateExpectations['expected_task_state'], actual: unknown): boolean {
  if (expected === undefined) return false;
  const list = Array.isArray(expected) ? expected : [expected];
  return !list.includes(actual as string | null);
}

/**
 * An in-memory nova database. Writes stamp updated_at from the simulation's
 * virtual clock; deletes are soft (deleted = id), as in nova.
 */
export class MemoryDatabase implements Database {
  private instances = new Map<string, InstanceRow>();
  private services = new Map<number, Row>();
  private flavors = new Map<number, Row>();
  private bdms = new Map<number, Row>();
  private migrations = new Map<number, Row>();
  private computeNodes = new Map<number, Row>();
  private pciDevices = new Map<number, Row>();
  private nextPciDeviceId = 1;
  private nextComputeNodeId = 1;
  private nextMigrationId = 1;
  private nextBdmId = 1;
  private nextInstanceId = 1;
  private nextServiceId = 1;

  constructor(private readonly now: () => string = () => new Date(0).toISOString()) {
    for (const f of DEFAULT_FLAVORS) this.flavors.set(f.id as number, clone(f));
  }

  /** Everything, for snapshots and the cluster view. */
  dump(): { instances: InstanceRow[]; services: Row[]; flavors: Row[]; block_device_mapping: Row[]; migrations: Row[]; compute_nodes: Row[]; pci_devices: Row[] } {
    return {
      instances: clone([...this.instances.values()]),
      services: clone([...this.services.values()]),
      flavors: clone([...this.flavors.values()]),
      block_device_mapping: clone([...this.bdms.values()]),
      migrations: clone([...this.migrations.values()]),
      compute_nodes: clone([...this.computeNodes.values()]),
      pci_devices: clone([...this.pciDevices.values()]),
    };
  }

  load(snapshot: { instances: InstanceRow[]; services: Row[]; block_device_mapping?: Row[]; migrations?: Row[]; compute_nodes?: Row[]; pci_devices?: Row[] }): void {
    this.pciDevices = new Map((snapshot.pci_devices ?? []).map((r) => [r.id as number, clone(r)]));
    this.nextPciDeviceId = Math.max(0, ...[...this.pciDevices.keys()]) + 1;
    this.computeNodes = new Map((snapshot.compute_nodes ?? []).map((r) => [r.id as number, clone(r)]));
    this.nextComputeNodeId = Math.max(0, ...[...this.computeNodes.keys()]) + 1;
    this.migrations = new Map((snapshot.migrations ?? []).map((r) => [r.id as number, clone(r)]));
    this.nextMigrationId = Math.max(0, ...[...this.migrations.keys()]) + 1;
    this.instances = new Map(snapshot.instances.map((r) => [r.uuid, clone(r)]));
    this.services = new Map(snapshot.services.map((r) => [r.id as number, clone(r)]));
    this.bdms = new Map((snapshot.block_device_mapping ?? []).map((r) => [r.id as number, clone(r)]));
    this.nextBdmId = Math.max(0, ...[...this.bdms.keys()]) + 1;
    this.nextInstanceId = Math.max(0, ...snapshot.instances.map((r) => r.id)) + 1;
    this.nextServiceId = Math.max(0, ...snapshot.services.map((r) => r.id as number)) + 1;
  }

  async instance_create(values: Row): Promise<InstanceRow> {
    const id = this.nextInstanceId++;
    const row: InstanceRow = {
      host: null,
      node: null,
      vm_state: null,
      task_state: null,
      power_state: 0,
      system_metadata: {},
      metadata: {},
      created_at: this.now(),
      updated_at: null,
      deleted_at: null,
      ...clone(values),
      id,
      uuid: (values.uuid as string) ?? `00000000-0000-4000-8000-${id.toString(16).padStart(12, '0')}`,
      deleted: 0,
    };
    this.instances.set(row.uuid, row);
    return clone(row);
  }

  private live(uuid: string): InstanceRow {
    const row = this.instances.get(uuid);
    if (!row || row.deleted) throw InstanceNotFound({ instance_id: uuid });
    return row;
  }

  async instance_get_by_uuid(uuid: string): Promise<InstanceRow> {
    return this.withPci(clone(this.live(uuid)));
  }

  /** The pci_devices join: the devices allocated to the instance (rows kept on the instance stay when the table has none). */
  private withPci<R extends InstanceRow>(row: R): R {
    if (this.pciDevices.size === 0) return row;
    const devs = [...this.pciDevices.values()].filter((d) => d.instance_uuid === row.uuid && !d.deleted);
    if (devs.length > 0 || !Array.isArray((row as Row).pci_devices)) (row as Row).pci_devices = clone(devs);
    return row;
  }

  async pci_device_update(node_id: number, address: string, values: Row): Promise<Row> {
    let row = [...this.pciDevices.values()].find((d) => d.compute_node_id === node_id && d.address === address && !d.deleted);
    if (!row) {
      row = { id: this.nextPciDeviceId++, compute_node_id: node_id, address, created_at: this.now(), updated_at: null, deleted_at: null, deleted: 0, instance_uuid: null, request_id: null, label: null, dev_id: null, extra_info: '{}' };
      this.pciDevices.set(row.id as number, row);
    }
    Object.assign(row, clone(values), { updated_at: this.now() });
    return clone(row);
  }

  async pci_device_get_all_by_node(node_id: number): Promise<Row[]> {
    return clone([...this.pciDevices.values()].filter((d) => d.compute_node_id === node_id && !d.deleted));
  }

  async instance_extra_update_by_uuid(instance_uuid: string, values: Row): Promise<void> {
    const row = this.live(instance_uuid) as Row;
    row.extra = { ...((row.extra ?? {}) as Row), ...clone(values) };
  }

  async flavor_extra_specs_update_or_create(flavorid: string, specs: Record<string, string>): Promise<Row> {
    const f = [...this.flavors.values()].find((x) => String(x.flavorid) === flavorid);
    if (!f) throw FlavorNotFound({ flavor_id: flavorid });
    f.extra_specs = { ...((f.extra_specs ?? {}) as Record<string, string>), ...clone(specs) };
    return clone(f);
  }

  async instance_get_all(filters: { host?: string; deleted?: boolean } = {}): Promise<InstanceRow[]> {
    return clone(
      [...this.instances.values()].filter(
        (r) => (filters.deleted ? true : !r.deleted) && (filters.host === undefined || r.host === filters.host),
      ),
    ).map((r) => this.withPci(r));
  }

  async instance_update_and_get_original(
    uuid: string,
    values: Row,
    expect: UpdateExpectations = {},
  ): Promise<[InstanceRow, InstanceRow]> {
    const row = this.live(uuid);
    const old = clone(row);
    if (expectationFails(expect.expected_vm_state, row.vm_state)) {
      throw UnexpectedTaskStateError({ instance_uuid: uuid, expected: expect.expected_vm_state, actual: row.vm_state });
    }
    if (expectationFails(expect.expected_task_state, row.task_state)) {
      const make = row.task_state === 'deleting' ? UnexpectedDeletingTaskStateError : UnexpectedTaskStateError;
      throw make({ instance_uuid: uuid, expected: expect.expected_task_state, actual: row.task_state });
    }
    for (const [k, v] of Object.entries(clone(values))) {
      if (k === 'system_metadata' || k === 'metadata') {
        (row as Row)[k] = { ...(v as Record<string, unknown>) };
      } else {
        (row as Row)[k] = v;
      }
    }
    row.updated_at = this.now();
    return [old, clone(row)];
  }

  async instance_destroy(uuid: string): Promise<InstanceRow> {
    const row = this.live(uuid);
    row.deleted = row.id;
    row.deleted_at = this.now();
    row.vm_state = 'deleted';
    row.task_state = null;
    return clone(row);
  }

  async instance_fault_create(values: Row): Promise<Row> {
    const row = this.instances.get(String(values.instance_uuid));
    if (!row) throw InstanceNotFound({ instance_id: values.instance_uuid });
    const faults = ((row.faults as Row[] | undefined) ?? []) as Row[];
    const fault: Row = { id: faults.length + 1, created_at: this.now(), updated_at: null, deleted_at: null, deleted: 0, ...clone(values) };
    row.faults = [...faults, fault];
    return clone(fault);
  }

  async block_device_mapping_create(values: Row): Promise<Row> {
    const id = this.nextBdmId++;
    const row: Row = {
      id, created_at: this.now(), updated_at: null, deleted_at: null, deleted: 0,
      device_name: null, delete_on_termination: false, snapshot_id: null, volume_id: null, volume_size: null,
      no_device: null, connection_info: null, source_type: null, destination_type: null, guest_format: null,
      device_type: null, disk_bus: null, boot_index: null, image_id: null,
      ...clone(values),
    };
    this.bdms.set(id, row);
    return clone(row);
  }

  async block_device_mapping_update(id: number, values: Row): Promise<Row> {
    const row = this.bdms.get(id);
    if (!row || row.deleted) throw new NovaException('VolumeBDMNotFound', `No volume Block Device Mapping with id ${id}.`, { volume_id: id });
    Object.assign(row, clone(values), { updated_at: this.now() });
    return clone(row);
  }

  async block_device_mapping_get_all_by_instance(instance_uuid: string): Promise<Row[]> {
    return clone([...this.bdms.values()].filter((b) => b.instance_uuid === instance_uuid && !b.deleted));
  }

  async block_device_mapping_get_by_volume_id(volume_id: unknown, instance_uuid: string | null = null): Promise<Row | null> {
    // An equality filter: a value of another type (an object) matches nothing.
    const row = [...this.bdms.values()].find((b) => !b.deleted && b.volume_id === volume_id && (instance_uuid === null || b.instance_uuid === instance_uuid));
    return row ? clone(row) : null;
  }

  async block_device_mapping_destroy(id: number): Promise<void> {
    const row = this.bdms.get(id);
    if (row) {
      row.deleted = id;
      row.deleted_at = this.now();
    }
  }

  async migration_create(values: Row): Promise<Row> {
    const id = this.nextMigrationId++;
    const row: Row = {
      id, created_at: this.now(), updated_at: null, deleted_at: null, deleted: false,
      source_compute: null, dest_compute: null, source_node: null, dest_node: null, dest_host: null,
      old_instance_type_id: null, new_instance_type_id: null, instance_uuid: null, status: null,
      ...clone(values),
    };
    this.migrations.set(id, row);
    return clone(row);
  }

  async migration_update(id: number, values: Row): Promise<Row> {
    const row = this.migrations.get(id);
    if (!row) throw new NovaException('MigrationNotFound', `Migration ${id} could not be found.`, { migration_id: id });
    Object.assign(row, clone(values), { updated_at: this.now() });
    return clone(row);
  }

  async migration_get(id: number): Promise<Row> {
    const row = this.migrations.get(id);
    if (!row) throw new NovaException('MigrationNotFound', `Migration ${id} could not be found.`, { migration_id: id });
    return clone(row);
  }

  async migration_get_by_instance_and_status(instance_uuid: string, status: string): Promise<Row> {
    const row = [...this.migrations.values()].find((m) => m.instance_uuid === instance_uuid && m.status === status);
    if (!row) {
      throw new NovaException('MigrationNotFoundByStatus', `Migration not found for instance ${instance_uuid} with status ${status}.`, { instance_id: instance_uuid, status });
    }
    return clone(row);
  }

  // ---- compute_nodes

  async compute_node_create(values: Row): Promise<Row> {
    const id = this.nextComputeNodeId++;
    const row: Row = { host: null, stats: '{}', supported_instances: null, pci_stats: null, ...clone(values), id, created_at: this.now(), updated_at: null, deleted_at: null, deleted: 0 };
    this.computeNodes.set(id, row);
    return clone(row);
  }

  async compute_node_update(id: number, values: Row): Promise<Row> {
    const row = this.computeNodes.get(id);
    if (!row || row.deleted) throw new NovaException('ComputeHostNotFound', `Compute host ${id} could not be found.`, { host: id });
    Object.assign(row, clone(values), { updated_at: this.now() });
    return clone(row);
  }

  async compute_node_get(id: number): Promise<Row> {
    const row = this.computeNodes.get(id);
    if (!row || row.deleted) throw new NovaException('ComputeHostNotFound', `Compute host ${id} could not be found.`, { host: id });
    return clone(row);
  }

  private liveNodes(): Row[] {
    return [...this.computeNodes.values()].filter((r) => !r.deleted);
  }

  async compute_node_get_all_by_host(host: string): Promise<Row[]> {
    const rows = this.liveNodes().filter((r) => r.host === host);
    if (rows.length === 0) throw new NovaException('ComputeHostNotFound', `Compute host ${host} could not be found.`, { host });
    return clone(rows);
  }

  async compute_node_get_by_host_and_nodename(host: string, nodename: string): Promise<Row> {
    const row = this.liveNodes().find((r) => r.host === host && r.hypervisor_hostname === nodename);
    if (!row) throw new NovaException('ComputeHostNotFound', `Compute host ${host} could not be found.`, { host });
    return clone(row);
  }

  async compute_nodes_get_by_service_id(service_id: number): Promise<Row[]> {
    const rows = this.liveNodes().filter((r) => r.service_id === service_id);
    if (rows.length === 0) throw ServiceNotFound({ service_id });
    return clone(rows);
  }

  async flavor_get_all(): Promise<Row[]> {
    return clone([...this.flavors.values()]);
  }

  async flavor_get(id: number): Promise<Row> {
    const f = this.flavors.get(id);
    if (!f) throw FlavorNotFound({ flavor_id: id });
    return clone(f);
  }

  async flavor_get_by_name(name: string): Promise<Row> {
    const f = [...this.flavors.values()].find((x) => x.name === name);
    if (!f) throw FlavorNotFoundByName({ flavor_name: name });
    return clone(f);
  }

  async service_create(values: Row): Promise<Row> {
    const existing = [...this.services.values()].find((s) => s.host === values.host && s.binary === values.binary);
    if (existing) {
      Object.assign(existing, clone(values), { updated_at: this.now() });
      return clone(existing);
    }
    const row: Row = { disabled: false, disabled_reason: null, report_count: 0, forced_down: false, ...clone(values), id: this.nextServiceId++, created_at: this.now(), deleted: 0 };
    this.services.set(row.id as number, row);
    return clone(row);
  }

  async service_get_all(filters: { topic?: string; disabled?: boolean } = {}): Promise<Row[]> {
    return clone(
      [...this.services.values()].filter(
        (s) =>
          (filters.topic === undefined || s.topic === filters.topic) &&
          (filters.disabled === undefined || Boolean(s.disabled) === filters.disabled),
      ),
    );
  }

  async service_get_by_host_and_binary(host: string, binary: string): Promise<Row | null> {
    const s = [...this.services.values()].find((x) => x.host === host && x.binary === binary);
    return s ? clone(s) : null;
  }

  async service_get_minimum_version(binary: string): Promise<number | null> {
    let min: number | null = null;
    for (const s of this.services.values()) {
      if (s.binary !== binary || truthyColumn(s.forced_down)) continue;
      // services.version is Column(Integer, default=0): rows written before it existed read 0.
      const v = typeof s.version === 'number' ? s.version : 0;
      if (min === null || v < min) min = v;
    }
    return min;
  }

  async service_get(id: number): Promise<Row> {
    const s = this.services.get(id);
    if (!s || truthyColumn(s.deleted)) throw ServiceNotFound({ service_id: id });
    return clone(s);
  }

  async service_update(id: number, values: Row): Promise<Row> {
    const s = this.services.get(id);
    if (!s) throw ServiceNotFound({ service_id: id });
    Object.assign(s, clone(values), { updated_at: this.now() });
    return clone(s);
  }
}

function truthyColumn(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false && v !== 0;
}
