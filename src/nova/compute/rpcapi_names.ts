/**
 * Names of every ComputeAPI client method per release, as read from
 * src/nova/data/rpcapi-methods.json (a test keeps the two in step), and
 * the typed surface of the methods rpcapi.ts installs from that table
 * (every method that is not written out by hand).
 */
import type { Kwargs } from './rpcapi_support';

export const JUNO_COMPUTE_METHODS = [
  'add_aggregate_host',
  'add_fixed_ip_to_instance',
  'attach_interface',
  'attach_volume',
  'backup_instance',
  'build_and_run_instance',
  'change_instance_metadata',
  'check_can_live_migrate_destination',
  'check_can_live_migrate_source',
  'check_instance_shared_storage',
  'confirm_resize',
  'detach_interface',
  'detach_volume',
  'external_instance_event',
  'finish_resize',
  'finish_revert_resize',
  'get_console_output',
  'get_console_pool_info',
  'get_console_topic',
  'get_diagnostics',
  'get_host_uptime',
  'get_instance_diagnostics',
  'get_rdp_console',
  'get_serial_console',
  'get_spice_console',
  'get_vnc_console',
  'host_maintenance_mode',
  'host_power_action',
  'inject_network_info',
  'live_migration',
  'pause_instance',
  'post_live_migration_at_destination',
  'pre_live_migration',
  'prep_resize',
  'reboot_instance',
  'rebuild_instance',
  'refresh_provider_fw_rules',
  'remove_aggregate_host',
  'remove_fixed_ip_from_instance',
  'remove_volume_connection',
  'rescue_instance',
  'reserve_block_device_name',
  'reset_network',
  'resize_instance',
  'restore_instance',
  'resume_instance',
  'revert_resize',
  'rollback_live_migration_at_destination',
  'run_instance',
  'set_admin_password',
  'set_host_enabled',
  'shelve_instance',
  'shelve_offload_instance',
  'snapshot_instance',
  'soft_delete_instance',
  'start_instance',
  'stop_instance',
  'suspend_instance',
  'swap_volume',
  'terminate_instance',
  'unpause_instance',
  'unrescue_instance',
  'unshelve_instance',
  'validate_console_port',
  'volume_snapshot_create',
  'volume_snapshot_delete',
] as const;
export type JunoComputeMethod = (typeof JUNO_COMPUTE_METHODS)[number];

/** Juno methods sent from the table (hand-written ones are in rpcapi.ts). */
export const JUNO_HAND_WRITTEN = [
  'build_and_run_instance',
  'check_can_live_migrate_destination',
  'check_can_live_migrate_source',
  'check_instance_shared_storage',
  'detach_volume',
  'get_console_output',
  'live_migration',
  'prep_resize',
  'reboot_instance',
  'rescue_instance',
  'reserve_block_device_name',
  'resize_instance',
  'rollback_live_migration_at_destination',
  'shelve_instance',
  'shelve_offload_instance',
  'start_instance',
  'stop_instance',
  'terminate_instance',
  'unshelve_instance',
] as const;

export interface JunoTableMethods {
  add_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  add_fixed_ip_to_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  backup_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  change_instance_metadata(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  confirm_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  detach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  external_instance_event(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_pool_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_topic(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_host_uptime(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_instance_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_rdp_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_serial_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_spice_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_vnc_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_maintenance_mode(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_power_action(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  inject_network_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  post_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pre_live_migration(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rebuild_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_provider_fw_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_fixed_ip_from_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_volume_connection(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  reset_network(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  restore_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  resume_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  run_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_admin_password(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_host_enabled(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  snapshot_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  soft_delete_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  suspend_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  swap_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unpause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unrescue_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  validate_console_port(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_create(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_delete(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
}

export const KILO_COMPUTE_METHODS = [
  'add_aggregate_host',
  'add_fixed_ip_to_instance',
  'attach_interface',
  'attach_volume',
  'backup_instance',
  'build_and_run_instance',
  'change_instance_metadata',
  'check_can_live_migrate_destination',
  'check_can_live_migrate_source',
  'check_instance_shared_storage',
  'confirm_resize',
  'detach_interface',
  'detach_volume',
  'external_instance_event',
  'finish_resize',
  'finish_revert_resize',
  'get_console_output',
  'get_console_pool_info',
  'get_console_topic',
  'get_diagnostics',
  'get_host_uptime',
  'get_instance_diagnostics',
  'get_rdp_console',
  'get_serial_console',
  'get_spice_console',
  'get_vnc_console',
  'host_maintenance_mode',
  'host_power_action',
  'inject_network_info',
  'live_migration',
  'pause_instance',
  'post_live_migration_at_destination',
  'pre_live_migration',
  'prep_resize',
  'quiesce_instance',
  'reboot_instance',
  'rebuild_instance',
  'refresh_instance_security_rules',
  'refresh_provider_fw_rules',
  'refresh_security_group_members',
  'refresh_security_group_rules',
  'remove_aggregate_host',
  'remove_fixed_ip_from_instance',
  'remove_volume_connection',
  'rescue_instance',
  'reserve_block_device_name',
  'reset_network',
  'resize_instance',
  'restore_instance',
  'resume_instance',
  'revert_resize',
  'rollback_live_migration_at_destination',
  'set_admin_password',
  'set_host_enabled',
  'shelve_instance',
  'shelve_offload_instance',
  'snapshot_instance',
  'soft_delete_instance',
  'start_instance',
  'stop_instance',
  'suspend_instance',
  'swap_volume',
  'terminate_instance',
  'unpause_instance',
  'unquiesce_instance',
  'unrescue_instance',
  'unshelve_instance',
  'validate_console_port',
  'volume_snapshot_create',
  'volume_snapshot_delete',
] as const;
export type KiloComputeMethod = (typeof KILO_COMPUTE_METHODS)[number];

/** Kilo methods sent from the table (hand-written ones are in rpcapi.ts). */
export const KILO_HAND_WRITTEN = [
  'build_and_run_instance',
  'check_instance_shared_storage',
  'detach_volume',
  'get_console_output',
  'live_migration',
  'prep_resize',
  'reboot_instance',
  'rescue_instance',
  'reserve_block_device_name',
  'resize_instance',
  'shelve_instance',
  'shelve_offload_instance',
  'start_instance',
  'stop_instance',
  'terminate_instance',
  'unshelve_instance',
] as const;

export interface KiloTableMethods {
  add_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  add_fixed_ip_to_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  backup_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  change_instance_metadata(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_can_live_migrate_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_can_live_migrate_source(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  confirm_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  detach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  external_instance_event(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_pool_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_topic(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_host_uptime(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_instance_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_rdp_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_serial_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_spice_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_vnc_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_maintenance_mode(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_power_action(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  inject_network_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  post_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pre_live_migration(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  quiesce_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rebuild_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_instance_security_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_provider_fw_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_security_group_members(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_security_group_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_fixed_ip_from_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_volume_connection(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  reset_network(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  restore_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  resume_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rollback_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_admin_password(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_host_enabled(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  snapshot_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  soft_delete_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  suspend_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  swap_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unpause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unquiesce_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unrescue_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  validate_console_port(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_create(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_delete(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
}

export const LIBERTY_COMPUTE_METHODS = [
  'add_aggregate_host',
  'add_fixed_ip_to_instance',
  'attach_interface',
  'attach_volume',
  'backup_instance',
  'build_and_run_instance',
  'change_instance_metadata',
  'check_can_live_migrate_destination',
  'check_can_live_migrate_source',
  'check_instance_shared_storage',
  'confirm_resize',
  'detach_interface',
  'detach_volume',
  'external_instance_event',
  'finish_resize',
  'finish_revert_resize',
  'get_console_output',
  'get_console_pool_info',
  'get_console_topic',
  'get_diagnostics',
  'get_host_uptime',
  'get_instance_diagnostics',
  'get_mks_console',
  'get_rdp_console',
  'get_serial_console',
  'get_spice_console',
  'get_vnc_console',
  'host_maintenance_mode',
  'host_power_action',
  'inject_network_info',
  'live_migration',
  'pause_instance',
  'post_live_migration_at_destination',
  'pre_live_migration',
  'prep_resize',
  'quiesce_instance',
  'reboot_instance',
  'rebuild_instance',
  'refresh_instance_security_rules',
  'refresh_provider_fw_rules',
  'refresh_security_group_members',
  'refresh_security_group_rules',
  'remove_aggregate_host',
  'remove_fixed_ip_from_instance',
  'remove_volume_connection',
  'rescue_instance',
  'reserve_block_device_name',
  'reset_network',
  'resize_instance',
  'restore_instance',
  'resume_instance',
  'revert_resize',
  'rollback_live_migration_at_destination',
  'set_admin_password',
  'set_host_enabled',
  'shelve_instance',
  'shelve_offload_instance',
  'snapshot_instance',
  'soft_delete_instance',
  'start_instance',
  'stop_instance',
  'suspend_instance',
  'swap_volume',
  'terminate_instance',
  'unpause_instance',
  'unquiesce_instance',
  'unrescue_instance',
  'unshelve_instance',
  'validate_console_port',
  'volume_snapshot_create',
  'volume_snapshot_delete',
] as const;
export type LibertyComputeMethod = (typeof LIBERTY_COMPUTE_METHODS)[number];

/** Liberty methods sent from the table (hand-written ones are in rpcapi.ts). */
export const LIBERTY_HAND_WRITTEN = [
  'build_and_run_instance',
  'live_migration',
  'prep_resize',
  'reboot_instance',
  'refresh_instance_security_rules',
  'rescue_instance',
  'reserve_block_device_name',
  'resize_instance',
  'shelve_instance',
  'shelve_offload_instance',
  'start_instance',
  'stop_instance',
  'terminate_instance',
  'unshelve_instance',
] as const;

export interface LibertyTableMethods {
  add_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  add_fixed_ip_to_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  backup_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  change_instance_metadata(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_can_live_migrate_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_can_live_migrate_source(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_instance_shared_storage(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  confirm_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  detach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  detach_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  external_instance_event(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_output(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_pool_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_topic(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_host_uptime(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_instance_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_mks_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_rdp_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_serial_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_spice_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_vnc_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_maintenance_mode(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_power_action(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  inject_network_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  post_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pre_live_migration(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  quiesce_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rebuild_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_provider_fw_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_security_group_members(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_security_group_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_fixed_ip_from_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_volume_connection(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  reset_network(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  restore_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  resume_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rollback_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_admin_password(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_host_enabled(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  snapshot_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  soft_delete_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  suspend_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  swap_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unpause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unquiesce_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unrescue_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  validate_console_port(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_create(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_delete(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
}

export const MITAKA_COMPUTE_METHODS = [
  'add_aggregate_host',
  'add_fixed_ip_to_instance',
  'attach_interface',
  'attach_volume',
  'backup_instance',
  'build_and_run_instance',
  'change_instance_metadata',
  'check_can_live_migrate_destination',
  'check_can_live_migrate_source',
  'check_instance_shared_storage',
  'confirm_resize',
  'detach_interface',
  'detach_volume',
  'external_instance_event',
  'finish_resize',
  'finish_revert_resize',
  'get_console_output',
  'get_console_pool_info',
  'get_console_topic',
  'get_diagnostics',
  'get_host_uptime',
  'get_instance_diagnostics',
  'get_mks_console',
  'get_rdp_console',
  'get_serial_console',
  'get_spice_console',
  'get_vnc_console',
  'host_maintenance_mode',
  'host_power_action',
  'inject_network_info',
  'live_migration',
  'live_migration_abort',
  'live_migration_force_complete',
  'pause_instance',
  'post_live_migration_at_destination',
  'pre_live_migration',
  'prep_resize',
  'quiesce_instance',
  'reboot_instance',
  'rebuild_instance',
  'refresh_instance_security_rules',
  'remove_aggregate_host',
  'remove_fixed_ip_from_instance',
  'remove_volume_connection',
  'rescue_instance',
  'reserve_block_device_name',
  'reset_network',
  'resize_instance',
  'restore_instance',
  'resume_instance',
  'revert_resize',
  'rollback_live_migration_at_destination',
  'set_admin_password',
  'set_host_enabled',
  'shelve_instance',
  'shelve_offload_instance',
  'snapshot_instance',
  'soft_delete_instance',
  'start_instance',
  'stop_instance',
  'suspend_instance',
  'swap_volume',
  'terminate_instance',
  'trigger_crash_dump',
  'unpause_instance',
  'unquiesce_instance',
  'unrescue_instance',
  'unshelve_instance',
  'validate_console_port',
  'volume_snapshot_create',
  'volume_snapshot_delete',
] as const;
export type MitakaComputeMethod = (typeof MITAKA_COMPUTE_METHODS)[number];

export interface MitakaTableMethods {
  add_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  add_fixed_ip_to_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  backup_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  change_instance_metadata(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_can_live_migrate_source(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_instance_shared_storage(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  confirm_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  detach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  detach_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  external_instance_event(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_output(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_pool_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_topic(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_host_uptime(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_instance_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_mks_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_rdp_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_serial_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_spice_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_vnc_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_maintenance_mode(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_power_action(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  inject_network_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  live_migration_abort(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  live_migration_force_complete(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  post_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pre_live_migration(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  quiesce_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rebuild_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_fixed_ip_from_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_volume_connection(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  reset_network(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  restore_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  resume_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rollback_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_admin_password(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_host_enabled(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  snapshot_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  soft_delete_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  suspend_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  swap_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unpause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unquiesce_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unrescue_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  validate_console_port(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_create(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_delete(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
}

export const JUNO_SECURITY_GROUP_METHODS = [
  'refresh_instance_security_rules',
  'refresh_security_group_members',
  'refresh_security_group_rules',
] as const;

export interface JunoSecurityGroupTableMethods {
  refresh_instance_security_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_security_group_members(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_security_group_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
}

export const ICEHOUSE_COMPUTE_METHODS = [
  'add_aggregate_host',
  'add_fixed_ip_to_instance',
  'attach_interface',
  'attach_volume',
  'backup_instance',
  'change_instance_metadata',
  'check_can_live_migrate_destination',
  'check_can_live_migrate_source',
  'check_instance_shared_storage',
  'confirm_resize',
  'detach_interface',
  'detach_volume',
  'external_instance_event',
  'finish_resize',
  'finish_revert_resize',
  'get_console_output',
  'get_console_pool_info',
  'get_console_topic',
  'get_diagnostics',
  'get_host_uptime',
  'get_rdp_console',
  'get_spice_console',
  'get_vnc_console',
  'host_maintenance_mode',
  'host_power_action',
  'inject_network_info',
  'live_migration',
  'pause_instance',
  'post_live_migration_at_destination',
  'pre_live_migration',
  'prep_resize',
  'reboot_instance',
  'rebuild_instance',
  'refresh_provider_fw_rules',
  'remove_aggregate_host',
  'remove_fixed_ip_from_instance',
  'remove_volume_connection',
  'rescue_instance',
  'reserve_block_device_name',
  'reset_network',
  'resize_instance',
  'restore_instance',
  'resume_instance',
  'revert_resize',
  'rollback_live_migration_at_destination',
  'run_instance',
  'set_admin_password',
  'set_host_enabled',
  'shelve_instance',
  'shelve_offload_instance',
  'snapshot_instance',
  'soft_delete_instance',
  'start_instance',
  'stop_instance',
  'suspend_instance',
  'swap_volume',
  'terminate_instance',
  'unpause_instance',
  'unrescue_instance',
  'unshelve_instance',
  'validate_console_port',
  'volume_snapshot_create',
  'volume_snapshot_delete',
] as const;
export type IcehouseComputeMethod = (typeof ICEHOUSE_COMPUTE_METHODS)[number];

/** Icehouse methods written out in rpcapi.ts (they send from the same table facts; build_and_run_instance is not an Icehouse client method). */
export const ICEHOUSE_HAND_WRITTEN = [
  'live_migration',
  'prep_resize',
  'reboot_instance',
  'rescue_instance',
  'resize_instance',
  'shelve_instance',
  'shelve_offload_instance',
  'start_instance',
  'stop_instance',
  'terminate_instance',
  'unshelve_instance',
] as const;

export interface IcehouseTableMethods {
  add_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  add_fixed_ip_to_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  attach_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  backup_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  change_instance_metadata(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_can_live_migrate_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_can_live_migrate_source(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  check_instance_shared_storage(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  confirm_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  detach_interface(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  detach_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  external_instance_event(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  finish_revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_output(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_pool_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_console_topic(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_diagnostics(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_host_uptime(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_rdp_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_spice_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  get_vnc_console(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_maintenance_mode(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  host_power_action(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  inject_network_info(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  post_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  pre_live_migration(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rebuild_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  refresh_provider_fw_rules(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_aggregate_host(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_fixed_ip_from_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  remove_volume_connection(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  reserve_block_device_name(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  reset_network(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  restore_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  resume_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  revert_resize(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  rollback_live_migration_at_destination(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  run_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_admin_password(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  set_host_enabled(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  snapshot_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  soft_delete_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  suspend_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  swap_volume(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unpause_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  unrescue_instance(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  validate_console_port(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_create(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
  volume_snapshot_delete(ctxt: unknown, kwargs?: Kwargs): Promise<unknown>;
}
