import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plausibleKiloInstance } from '../../src/conformance/nova_objects';
import { makeObjectWorld } from '../../src/nova/objects';
import { NovaObjectSerializer, type IndirectionAPI, type Primitive, type VersionedObject } from '../../src/oslo/objects';

const D = 'nova_object.data';
const V = 'nova_object.version';
const TARGETS = Array.from({ length: 20 }, (_, i) => `1.${i}`);
const lt = (t: string, v: string) => Number(t.split('.')[1]) < Number(v.split('.')[1]);

function kiloPrimitive(
  target: string,
  fields: string[] | null = null,
  withPciDevice = true,
): { data: Primitive; prim: Primitive; inst: VersionedObject } {
  const w = makeObjectWorld('kilo');
  const inst = plausibleKiloInstance(w, fields);
  if (!withPciDevice && inst.obj_attr_is_set('pci_devices')) inst.set('pci_devices', new w.classes.PciDeviceList({ objects: [] }, { world: w.world }));
  const prim = inst.obj_to_primitive(target);
  return { data: prim[D] as Primitive, prim, inst };
}

/** A conductor stand-in that records any backport request. */
function recordingConductor(calls: string[]): IndirectionAPI {
  return {
    async object_backport(_c, _p, v) {
      calls.push(`object_backport ${v}`);
      throw new Error('no backport expected');
    },
    async object_backport_versions() {
      calls.push('object_backport_versions');
      throw new Error('no backport expected');
    },
  };
}

describe('Kilo Instance 1.19 backported to every 1.x target', () => {
  it.each(TARGETS)('target %s follows the Kilo rules', (t) => {
    const { data, prim } = kiloPrimitive(t);
    expect(prim[V]).toBe(t);
    // removed sub-objects (relationship table, first pair)
    expect('vcpu_model' in data).toBe(!lt(t, '1.19'));
    expect('tags' in data).toBe(!lt(t, '1.17'));
    expect('pci_requests' in data).toBe(!lt(t, '1.16'));
    expect('numa_topology' in data).toBe(!lt(t, '1.14'));
    expect('pci_devices' in data).toBe(!lt(t, '1.6'));
    expect('security_groups' in data).toBe(!lt(t, '1.2'));
    expect('info_cache' in data).toBe(!lt(t, '1.1'));
    for (const f of ['flavor', 'old_flavor', 'new_flavor']) expect(f in data).toBe(!lt(t, '1.18'));
    // flavors folded into system_metadata below 1.18
    const sm = data.system_metadata as Record<string, unknown>;
    expect('instance_type_id' in sm).toBe(lt(t, '1.18'));
    expect('old_instance_type_flavorid' in sm).toBe(lt(t, '1.18'));
    expect('new_instance_type_extra_hw:numa_cpus.0' in sm).toBe(lt(t, '1.18'));
    expect(Object.keys(sm).some((k) => k.includes('quota:'))).toBe(false); // only NUMA extra specs are stashed
    // strings ascii-encoded below 1.7
    expect(data.display_name).toBe(lt(t, '1.7') ? 'display-name-?' : 'display-name-\u2603');
    // scalar fields are never stripped
    for (const f of ['locked_by', 'cleaned', 'ephemeral_key_uuid', 'scheduled_at']) expect(f in data).toBe(true);
    // relabel quirk: fault always 1.0, numa_topology 1.0 whenever present
    expect((data.fault as Primitive)[V]).toBe('1.0');
    if ('numa_topology' in data) {
      const numa = data.numa_topology as Primitive;
      expect(numa[V]).toBe('1.0');
      const cell = ((numa[D] as Primitive).cells as Primitive[])[0]!;
      expect(cell[V]).toBe('1.0');
      expect('cpu_topology' in (cell[D] as Primitive)).toBe(false);
    }
    if ('info_cache' in data) {
      const ic = (data.info_cache as Primitive)[V];
      expect(ic).toBe(lt(t, '1.9') ? '1.0' : lt(t, '1.10') ? '1.4' : '1.5');
    }
    if ('pci_devices' in data) {
      const pd = data.pci_devices as Primitive;
      expect(pd[V]).toBe(lt(t, '1.15') ? '1.0' : '1.1');
      const dev = ((pd[D] as Primitive).objects as Primitive[])[0]!;
      // Kilo quirk: PciDevice went to 1.3 without a PciDeviceList bump, and
      // the list is only converted when its label changes, so from 1.15 on
      // the devices go out at 1.3 (Juno knows 1.2 at most).
      expect(dev[V]).toBe(lt(t, '1.15') ? '1.1' : '1.3');
      expect('request_id' in (dev[D] as Primitive)).toBe(!lt(t, '1.15'));
    }
  });

  it('a Kilo 1.19 primitive backported to 1.15 hydrates on a Juno world without any backport call', async () => {
    const { prim } = kiloPrimitive('1.15', null, false);
    const juno = makeObjectWorld('juno');
    const calls: string[] = [];
    const ser = new NovaObjectSerializer({ logic: 'juno', world: juno.world, conductor: recordingConductor(calls) });
    const obj = (await ser.deserialize_entity({}, JSON.parse(JSON.stringify(prim)))) as VersionedObject;
    expect(calls).toEqual([]);
    expect(obj.cls).toBe(juno.classes.Instance);
    expect(obj.VERSION).toBe('1.15');
    expect(obj.get<Record<string, string>>('system_metadata')['instance_type_memory_mb']).toBe('512');
    expect(obj.get<VersionedObject>('pci_devices').VERSION).toBe('1.1');
    // Juno's Instance.get_flavor reads the folded keys back
    const { instanceGetFlavor } = await import('../../src/nova/objects');
    expect(instanceGetFlavor(obj)!.get('name')).toBe('m1.tiny');
    expect(instanceGetFlavor(obj, 'new')!.get('vcpus')).toBe(3);
  });

  it('quirk: a PCI device inside an Instance backported to 1.15 still breaks a Juno receiver', async () => {
    const { prim } = kiloPrimitive('1.15');
    const juno = makeObjectWorld('juno');
    const calls: string[] = [];
    const ser = new NovaObjectSerializer({ logic: 'juno', world: juno.world, conductor: recordingConductor(calls) });
    await expect(ser.deserialize_entity({}, prim)).rejects.toThrow();
    // The nested PciDevice 1.3 raises IncompatibleObjectVersion(supported='1.2') out of
    // the Instance hydration, and the serializer asks conductor for the *Instance* at 1.2.
    expect(calls).toEqual(['object_backport 1.2']);
  });

  it('issue 11 item 7: the trace names the refused sub-object with its own versions, and the backport the parent', async () => {
    const { prim } = kiloPrimitive('1.15');
    const juno = makeObjectWorld('juno');
    const events: Array<Record<string, unknown>> = [];
    const ser = new NovaObjectSerializer({
      logic: 'juno',
      world: juno.world,
      conductor: recordingConductor([]),
      observer: (e) => events.push(e as unknown as Record<string, unknown>),
    });
    await expect(ser.deserialize_entity({}, prim)).rejects.toThrow();
    const refused = events.find((e) => e.outcome === 'IncompatibleObjectVersion')!;
    expect(refused).toMatchObject({ objname: 'PciDevice', objver: '1.3', class_version: '1.2' });
    expect(String(refused.detail)).toContain('inside Instance 1.15');
    expect(events.find((e) => e.outcome === 'backport_requested')).toMatchObject({ objname: 'Instance', objver: '1.15', target_version: '1.2' });
  });

  it('the unbackported 1.19 primitive makes a Juno receiver ask conductor for 1.15', async () => {
    const { prim } = kiloPrimitive('1.19');
    const juno = makeObjectWorld('juno');
    const calls: string[] = [];
    const ser = new NovaObjectSerializer({ logic: 'juno', world: juno.world, conductor: recordingConductor(calls) });
    await expect(ser.deserialize_entity({}, prim)).rejects.toThrow();
    expect(calls).toEqual(['object_backport 1.15']);
  });

  it('property: any set of fields, any target 1.0..1.19, hydrates without a backport call', async () => {
    const kiloFields = Object.keys(new (makeObjectWorld('kilo').classes.Instance)().fields);
    await fc.assert(
      fc.asyncProperty(fc.subarray(kiloFields), fc.constantFrom(...TARGETS), async (chosen, t) => {
        const fields = new Set(['uuid', ...chosen]);
        // nova would lazy-load a flavor it has to fold: give it the flavors when sysmeta goes along
        if (fields.has('system_metadata') && lt(t, '1.18')) ['flavor', 'old_flavor', 'new_flavor'].forEach((f) => fields.add(f));
        const { prim } = kiloPrimitive(t, [...fields], false);
        const receiver = lt(t, '1.16') ? makeObjectWorld('juno') : makeObjectWorld('kilo');
        const calls: string[] = [];
        const ser = new NovaObjectSerializer({ logic: receiver.serializer_logic, world: receiver.world, conductor: recordingConductor(calls) });
        const obj = (await ser.deserialize_entity({}, JSON.parse(JSON.stringify(prim)))) as VersionedObject;
        expect(calls).toEqual([]);
        expect(obj.VERSION).toBe(t);
        for (const [k] of obj.items()) expect(k in (prim[D] as Primitive)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('Juno Instance 1.15 hand-written rules', () => {
  it('drops numa_topology <1.14, pci_devices <1.6, backports info_cache <1.10 and pci_devices <1.15', () => {
    const w = makeObjectWorld('juno');
    const inst = new w.classes.Instance(
      {
        uuid: 'u',
        display_name: 'caf\u00e9',
        info_cache: new w.classes.InstanceInfoCache({ instance_uuid: 'u', network_info: [] }, { world: w.world }),
        pci_devices: new w.classes.PciDeviceList({ objects: [] }, { world: w.world }),
        numa_topology: new w.classes.InstanceNUMATopology({ id: 0, instance_uuid: 'u', cells: [] }, { world: w.world }),
        security_groups: new w.classes.SecurityGroupList({ objects: [] }, { world: w.world }),
      },
      { world: w.world },
    );
    const d = (t: string) => inst.obj_to_primitive(t)[D] as Primitive;
    expect('numa_topology' in d('1.13')).toBe(false);
    expect((d('1.9').info_cache as Primitive)[V]).toBe('1.4');
    expect((d('1.14').pci_devices as Primitive)[V]).toBe('1.0');
    expect('pci_devices' in d('1.5')).toBe(false);
    expect(d('1.6').display_name).toBe('caf?');
    // no relationships in Juno: security_groups and info_cache survive even at 1.0
    expect('security_groups' in d('1.0')).toBe(true);
    expect((d('1.0').info_cache as Primitive)[V]).toBe('1.4');
  });
});
