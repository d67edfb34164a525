/**
 * nova.compute.vm_states / task_states / power_state. The string and integer
 * values are the same in 2014.2, 2015.1.0 and 12.0.0 (checked against each
 * tag); managers compare and store exactly these values.
 */

export const vm_states = {
  ACTIVE: 'active',
  BUILDING: 'building',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  STOPPED: 'stopped',
  RESCUED: 'rescued',
  RESIZED: 'resized',
  SOFT_DELETED: 'soft-delete',
  DELETED: 'deleted',
  ERROR: 'error',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;
export type VmState = (typeof vm_states)[keyof typeof vm_states];

/** vm_states.ALLOW_SOFT_REBOOT / ALLOW_HARD_REBOOT. */
export const ALLOW_SOFT_REBOOT: readonly string[] = [vm_states.ACTIVE];
export const ALLOW_HARD_REBOOT: readonly string[] = [
  ...ALLOW_SOFT_REBOOT,
  vm_states.STOPPED,
  vm_states.PAUSED,
  vm_states.SUSPENDED,
  vm_states.ERROR,
];

export const task_states = {
  SCHEDULING: 'scheduling',
  BLOCK_DEVICE_MAPPING: 'block_device_mapping',
  NETWORKING: 'networking',
  SPAWNING: 'spawning',
  IMAGE_SNAPSHOT: 'image_snapshot',
  IMAGE_SNAPSHOT_PENDING: 'image_snapshot_pending',
  IMAGE_PENDING_UPLOAD: 'image_pending_upload',
  IMAGE_UPLOADING: 'image_uploading',
  IMAGE_BACKUP: 'image_backup',
  UPDATING_PASSWORD: 'updating_password',
  RESIZE_PREP: 'resize_prep',
  RESIZE_MIGRATING: 'resize_migrating',
  RESIZE_MIGRATED: 'resize_migrated',
  RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting',
  RESIZE_CONFIRMING: 'resize_confirming',
  REBOOTING: 'rebooting',
  REBOOT_PENDING: 'reboot_pending',
  REBOOT_STARTED: 'reboot_started',
  REBOOTING_HARD: 'rebooting_hard',
  REBOOT_PENDING_HARD: 'reboot_pending_hard',
  REBOOT_STARTED_HARD: 'reboot_started_hard',
  PAUSING: 'pausing',
  UNPAUSING: 'unpausing',
  SUSPENDING: 'suspending',
  RESUMING: 'resuming',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  RESCUING: 'rescuing',
  UNRESCUING: 'unrescuing',
  REBUILDING: 'rebuilding',
  REBUILD_BLOCK_DEVICE_MAPPING: 'rebuild_block_device_mapping',
  REBUILD_SPAWNING: 'rebuild_spawning',
  MIGRATING: 'migrating',
  DELETING: 'deleting',
  SOFT_DELETING: 'soft-deleting',
  RESTORING: 'restoring',
  SHELVING: 'shelving',
  SHELVING_IMAGE_PENDING_UPLOAD: 'shelving_image_pending_upload',
  SHELVING_IMAGE_UPLOADING: 'shelving_image_uploading',
  SHELVING_OFFLOADING: 'shelving_offloading',
  UNSHELVING: 'unshelving',
} as const;
export type TaskState = (typeof task_states)[keyof typeof task_states];

export const power_state = {
  NOSTATE: 0x00,
  RUNNING: 0x01,
  PAUSED: 0x03,
  SHUTDOWN: 0x04,
  CRASHED: 0x06,
  SUSPENDED: 0x07,
  BUILDING: 0x09,
} as const;

/** power_state.STATE_MAP: the names nova prints. */
export const POWER_STATE_NAMES: Record<number, string> = {
  [power_state.NOSTATE]: 'pending',
  [power_state.RUNNING]: 'running',
  [power_state.PAUSED]: 'paused',
  [power_state.SHUTDOWN]: 'shutdown',
  [power_state.CRASHED]: 'crashed',
  [power_state.SUSPENDED]: 'suspended',
  [power_state.BUILDING]: 'building',
};
