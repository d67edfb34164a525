/**
 * The nova database as the services that may touch it see it (nova-api,
 * nova-conductor, nova-scheduler; never nova-compute, which asks conductor).
 * Rows are plain JSON, shaped like nova's tables with their joined
 * relations, so the same calls work in-process and over a worker channel.
 */
export type Row = Record<string, unknown>;

export interface InstanceRow extends Row {
  id: number;
  uuid: string;
  host: string | null;
  node: string | null;
  vm_state: string | null;
  task_state: string | null;
  power_state: number | null;
  deleted: number;
  system_metadata: Record<string, string | null>;
  metadata: Record<string, string>;
}

export interface UpdateExpectations {
  expected_task_state?: (string | null)[] | string | null;
  expected_vm_state?: (string | null)[] | string | null;
}

export interface Database {
  instance_create(values: Row): Promise<InstanceRow>;
  instance_get_by_uuid(uuid: string): Promise<InstanceRow>;
  instance_get_all(filters?: { host?: string; deleted?: boolean }): Promise<InstanceRow[]>;
  /** Returns [old, new]; raises UnexpectedTaskStateError when an expectation fails. */
  instance_update_and_get_original(uuid: string, values: Row, expect?: UpdateExpectations): Promise<[InstanceRow, InstanceRow]>;
  instance_destroy(uuid: string): Promise<InstanceRow>;
  flavor_get_all(): Promise<Row[]>;
  flavor_get(id: number): Promise<Row>;
  flavor_get_by_name(name: string): Promise<Row>;
  service_create(values: Row): Promise<Row>;
  service_get_all(filters?: { topic?: string; disabled?: boolean }): Promise<Row[]>;
  service_get_by_host_and_binary(host: string, binary: string): Promise<Row | null>;
  service_update(id: number, values: Row): Promise<Row>;
  /** ServiceNotFound when there is no live row with that id. */
  service_get(id: number): Promise<Row>;
  /**
   * nova 13.0.0 service_get_minimum_version: SELECT min(version) FROM services
   * WHERE binary = ? AND forced_down = false. Not model_query: soft-deleted
   * rows count, and so do disabled ones; null when no row matches.
   */
  service_get_minimum_version(binary: string): Promise<number | null>;
  /** instance_faults: a new row (nova's instance_fault_create); InstanceNotFound when the instance is gone. */
  instance_fault_create(values: Row): Promise<Row>;
  /** block_device_mapping table (nova/db/sqlalchemy/api.py block_device_mapping_*). */
  block_device_mapping_create(values: Row): Promise<Row>;
  block_device_mapping_update(id: number, values: Row): Promise<Row>;
  block_device_mapping_get_all_by_instance(instance_uuid: string): Promise<Row[]>;
  /** null when no live row has that volume (and instance, when given). */
  block_device_mapping_get_by_volume_id(volume_id: unknown, instance_uuid?: string | null): Promise<Row | null>;
  block_device_mapping_destroy(id: number): Promise<void>;
  /** migrations table (nova/db/sqlalchemy/api.py migration_*). */
  migration_create(values: Row): Promise<Row>;
  migration_update(id: number, values: Row): Promise<Row>;
  migration_get(id: number): Promise<Row>;
  /** MigrationNotFoundByStatus when none. */
  migration_get_by_instance_and_status(instance_uuid: string, status: string): Promise<Row>;
  /**
   * compute_nodes table (nova/db/sqlalchemy/api.py compute_node_*): JSON text
   * columns (stats, supported_instances, pci_stats) stay text, as in nova.
   */
  compute_node_create(values: Row): Promise<Row>;
  /** ComputeHostNotFound (host = the id) when there is no such live row. */
  compute_node_update(id: number, values: Row): Promise<Row>;
  compute_node_get(id: number): Promise<Row>;
  /** ComputeHostNotFound when the host has none. */
  compute_node_get_all_by_host(host: string): Promise<Row[]>;
  compute_node_get_by_host_and_nodename(host: string, nodename: string): Promise<Row>;
  /** ServiceNotFound when none. */
  compute_nodes_get_by_service_id(service_id: number): Promise<Row[]>;
  /**
   * pci_devices table: pci_device_update(node_id, address, values) creates
   * the row when there is none (nova's update-or-create); instance rows
   * read back with the devices allocated to them as `pci_devices`.
   */
  pci_device_update(node_id: number, address: string, values: Row): Promise<Row>;
  pci_device_get_all_by_node(node_id: number): Promise<Row[]>;
  /** instance_extra_update_by_uuid: merge these columns into the instance's extra. */
  instance_extra_update_by_uuid(instance_uuid: string, values: Row): Promise<void>;
  /** flavor_extra_specs_update_or_create (nova flavor-key ... set). */
  flavor_extra_specs_update_or_create(flavorid: string, specs: Record<string, string>): Promise<Row>;
}

/** The method names of Database, for proxies that forward calls over a channel. */
export const DATABASE_METHODS = [
  'instance_create',
  'instance_get_by_uuid',
  'instance_get_all',
  'instance_update_and_get_original',
  'instance_destroy',
  'flavor_get_all',
  'flavor_get',
  'flavor_get_by_name',
  'service_create',
  'service_get_all',
  'service_get_by_host_and_binary',
  'service_update',
  'service_get',
  'service_get_minimum_version',
  'instance_fault_create',
  'block_device_mapping_create',
  'block_device_mapping_update',
  'block_device_mapping_get_all_by_instance',
  'block_device_mapping_get_by_volume_id',
  'block_device_mapping_destroy',
  'migration_create',
  'migration_update',
  'migration_get',
  'migration_get_by_instance_and_status',
  'compute_node_create',
  'compute_node_update',
  'compute_node_get',
  'compute_node_get_all_by_host',
  'compute_node_get_by_host_and_nodename',
  'compute_nodes_get_by_service_id',
  'pci_device_update',
  'pci_device_get_all_by_node',
  'instance_extra_update_by_uuid',
  'flavor_extra_specs_update_or_create',
] as const satisfies readonly (keyof Database)[];
