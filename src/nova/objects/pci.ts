/**
 * The remotables of PciDevice (nova/objects/pci_device.py) and
 * InstancePCIRequests (nova/objects/instance_pci_requests.py) at 2014.2,
 * 2015.1.0 and 12.0.0, as far as the resource tracker and the API use them:
 * PciDevice.save (update-or-create of the pci_devices row by node and
 * address), PciDeviceList.get_by_compute_node, and
 * InstancePCIRequests.get_by_instance_uuid / save (instance_extra.pci_requests).
 */
import type { RemotableClassImpl, RemotableImpl, VersionedObject } from '../../oslo/objects';
import type { Row } from '../db/api';
import { bindArgs, make, requireDb, setFromRow, toRowValue, type ObjectsEnv } from './common';
import { pciRequestsFromDb } from './instance';

/** PciDevice._from_db_object: every field, extra_info from its JSON text. */
export function pciDeviceFromRow(env: ObjectsEnv, dev: VersionedObject, row: Row, ctxt: unknown): VersionedObject {
  const r: Row = { ...row };
  if (typeof r.extra_info === 'string') r.extra_info = JSON.parse(r.extra_info || '{}') as Row;
  if (r.deleted !== undefined) r.deleted = Boolean(r.deleted);
  setFromRow(dev, r);
  dev._context = ctxt;
  dev.obj_reset_changes();
  return dev;
}

export function pciDeviceRemotables(env: ObjectsEnv): { methods: Record<string, RemotableImpl>; listClassmethods: Record<string, RemotableClassImpl> } {
  const methods: Record<string, RemotableImpl> = {
    /** save: the changed columns go to pci_device_update(compute_node_id, address, updates). */
    async save(ctxt) {
      const status = this.get<string>('status');
      if (status === 'removed' || status === 'deleted') return;
      const updates: Row = {};
      for (const [k, v] of Object.entries(this.obj_get_changes())) updates[k] = k === 'extra_info' ? JSON.stringify(v) : toRowValue(v);
      if (Object.keys(updates).length === 0) return;
      const db = requireDb(env, 'PciDevice.save');
      const row = await db.pci_device_update(this.get<number>('compute_node_id'), this.get<string>('address'), updates);
      pciDeviceFromRow(env, this, row, ctxt);
    },
  };
  const listClassmethods: Record<string, RemotableClassImpl> = {
    async get_by_compute_node(ctxt, args, kwargs) {
      const a = bindArgs(['node_id'], args, kwargs);
      const rows = await requireDb(env, 'PciDeviceList.get_by_compute_node').pci_device_get_all_by_node(Number(a.node_id));
      const list = make(env, 'PciDeviceList', {}, ctxt);
      list.set('objects', rows.map((r) => pciDeviceFromRow(env, make(env, 'PciDevice', {}, ctxt), r, ctxt)));
      list.obj_reset_changes();
      return list;
    },
  };
  return { methods, listClassmethods };
}

export function pciRequestsRemotables(env: ObjectsEnv): { classmethods: Record<string, RemotableClassImpl>; methods: Record<string, RemotableImpl> } {
  return {
    classmethods: {
      /** get_by_instance_uuid: instance_extra.pci_requests (2014.2 also reads the legacy sysmeta form, not modelled). */
      async get_by_instance_uuid(ctxt, args, kwargs) {
        const a = bindArgs(['instance_uuid'], args, kwargs);
        const row = await requireDb(env, 'InstancePCIRequests.get_by_instance_uuid').instance_get_by_uuid(String(a.instance_uuid));
        const extra = (row.extra ?? null) as Row | null;
        return pciRequestsFromDb(env, String(a.instance_uuid), extra?.pci_requests ?? null, ctxt);
      },
    },
    methods: {
      /** save: instance_extra_update_by_uuid(instance_uuid, {'pci_requests': to_json()}). */
      async save() {
        const blob = JSON.stringify(
          this.get<VersionedObject[]>('requests').map((r) => ({
            count: r.get('count'),
            spec: r.get('spec'),
            alias_name: r.get('alias_name'),
            is_new: r.get('is_new'),
            request_id: r.obj_attr_is_set('request_id') ? r.get('request_id') : null,
          })),
        );
        await requireDb(env, 'InstancePCIRequests.save').instance_extra_update_by_uuid(this.get<string>('instance_uuid'), { pci_requests: blob });
      },
    },
  };
}
