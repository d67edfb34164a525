/**
 * RemoteError for an exception class the caller's release does not have.
 * Expectations from oslo.messaging's deserialize_remote_exception
 * (oslo/messaging/_drivers/common.py at 1.4.1, oslo_messaging/_drivers/common.py
 * at 1.8.3 and 1.16.0, identical there): a module outside
 * allowed_remote_exmods, or a getattr() of the class that fails
 * (AttributeError), gives RemoteError(name, failure['message'], tb); a class
 * found is re-typed `<Class>_Remote`. Which classes a caller finds comes from
 * the class statements of nova/exception.py at 2014.2, 2015.1.0 and 12.0.0.
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster } from '../../src/nova/service';
import type { Release } from '../../src/nova/releases';
import { NovaException, novaExceptionFactory } from '../../src/nova/exception';
import { PyException, isPy } from '../../src/oslo/exception';
import { dialect } from '../../src/oslo/messaging/dialect';
import { deserialize_remote_exception, serialize_remote_exception } from '../../src/oslo/messaging/remote_error';
import type { RemoteError } from '../../src/oslo/messaging/exceptions';

const failureOf = (cls: string, message: string, module = 'nova.exception') =>
  serialize_remote_exception(module === 'nova.exception' ? new NovaException(cls, message, { code: 500 }) : new PyException(cls, module, message));

describe('deserialize_remote_exception with the caller release\'s nova.exception', () => {
  it('2015.1.0 added VirtualInterfacePlugException: a 2014.2 caller gets RemoteError, a 2015.1.0 caller the _Remote subclass', () => {
    const f = failureOf('VirtualInterfacePlugException', 'Plug vif failed because of unexpected vif_type=binding_failed');
    const juno = deserialize_remote_exception(f, ['nova.exception'], novaExceptionFactory('juno'), dialect('1.4')) as RemoteError;
    expect(juno.pyClass).toBe('RemoteError');
    // 1.4.x is the namespace package oslo.messaging; RemoteError lives in rpc/client.py
    expect(juno.module).toBe('oslo.messaging.rpc.client');
    expect(juno.exc_type).toBe('VirtualInterfacePlugException');
    expect(juno.value).toBe('Plug vif failed because of unexpected vif_type=binding_failed');
    expect(juno.message.split('\n')[0]).toBe('Remote error: VirtualInterfacePlugException Plug vif failed because of unexpected vif_type=binding_failed');
    expect(isPy(juno, 'NovaException')).toBe(false);
    expect(isPy(juno, 'MessagingException')).toBe(true);

    const kilo = deserialize_remote_exception(f, ['nova.exception'], novaExceptionFactory('kilo'), dialect('1.8'));
    expect(kilo.pyClass).toBe('VirtualInterfacePlugException_Remote');
    expect(kilo.module).toBe('nova.exception_Remote');
    expect(isPy(kilo, 'NovaException')).toBe(true);
  });

  it('12.0.0 removed IncompatibleObjectVersion from nova.exception: a Liberty caller gets RemoteError, a Kilo caller the class', () => {
    const f = failureOf('IncompatibleObjectVersion', 'Version 9.9 of Instance is not supported');
    expect(deserialize_remote_exception(f, ['nova.exception'], novaExceptionFactory('liberty')).pyClass).toBe('RemoteError');
    expect(deserialize_remote_exception(f, ['nova.exception'], novaExceptionFactory('kilo')).pyClass).toBe('IncompatibleObjectVersion_Remote');
  });

  it('the caller\'s own ancestors count: UnexpectedTaskStateError_Remote is an InstanceUpdateConflict on 12.0.0 only', () => {
    const f = failureOf('UnexpectedTaskStateError', 'Unexpected task state: expecting None but the actual state is deleting');
    const lib = deserialize_remote_exception(f, ['nova.exception'], novaExceptionFactory('liberty'));
    const kilo = deserialize_remote_exception(f, ['nova.exception'], novaExceptionFactory('kilo'));
    expect(isPy(lib, 'InstanceUpdateConflict')).toBe(true);
    expect(isPy(kilo, 'InstanceUpdateConflict')).toBe(false);
    expect(isPy(kilo, 'NovaException')).toBe(true);
  });

  it('Python 2.7 builtins are re-created with the traceback in args[0]; a class the exceptions module lacks is a RemoteError', () => {
    const ok = deserialize_remote_exception(failureOf('KeyError', 'flavor', 'exceptions'), ['nova.exception'], novaExceptionFactory('juno'));
    expect(ok.pyClass).toBe('KeyError');
    expect(String(ok.args[0]).startsWith('flavor\n')).toBe(true);
    const no = deserialize_remote_exception(failureOf('libvirtError', 'internal error', 'exceptions'), ['nova.exception'], novaExceptionFactory('juno'));
    expect(no.pyClass).toBe('RemoteError');
  });
});

describe('a Juno compute calling a Kilo compute (ComputeManager.live_migration, 2014.2: except Exception around pre_live_migration)', () => {
  async function run(sourceRelease: Release) {
    const c = new LoopbackCluster();
    // compute1's compute node was created while the control plane was still on its
    // release (a 2014.2 compute cannot create one through a 2015.1.0 conductor:
    // ComputeNodeList.get_all_by_host raises ComputeHostNotFound for it).
    await c.db.compute_node_create({ host: 'compute1', hypervisor_hostname: 'compute1', service_id: 3, vcpus: 1000, memory_mb: 800000, local_gb: 600000, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, hypervisor_type: 'fake', hypervisor_version: 1000, stats: '{}' });
    const pin = { upgrade_levels: { compute: 'juno' } };
    const defs = [
      { id: 'conductor', binary: 'nova-conductor' as const, release: 'kilo' as const, conf: pin },
      { id: 'scheduler', binary: 'nova-scheduler' as const, release: 'kilo' as const },
      { id: 'compute1', binary: 'nova-compute' as const, release: sourceRelease, conf: pin },
      { id: 'api', binary: 'nova-api' as const, release: 'kilo' as const, conf: pin },
    ];
    for (const d of defs) {
      c.add(d);
      await c.start(d.id);
    }
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    c.add({
      id: 'compute2',
      binary: 'nova-compute',
      release: 'kilo',
      conf: { ...pin, fault_injection: { pre_live_migration: 'VirtualInterfacePlugException: Plug vif failed because of unexpected vif_type=binding_failed' } },
    });
    await c.start('compute2');
    await c.action('api', { action: 'live_migrate', server: 'vm1', host: 'compute2' }).catch(() => undefined);
    const row = (await c.db.instance_get_all({})).find((r) => r.uuid === uuid)!;
    const pre = c.logs.find((l) => l.service === 'compute1' && l.message.includes('Pre live migration failed at compute2'));
    return { row, pre };
  }

  it('2014.2 source: the rollback runs, and what it caught is a RemoteError', async () => {
    const { row, pre } = await run('juno');
    expect(row).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1' });
    expect(pre?.message).toMatch(/Pre live migration failed at compute2: Remote error: VirtualInterfacePlugException Plug vif failed/);
  });

  it('2015.1.0 source: the same failure arrives as VirtualInterfacePlugException_Remote', async () => {
    const { row, pre } = await run('kilo');
    expect(row).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1' });
    expect(pre?.message).toMatch(/Pre live migration failed at compute2: Plug vif failed/);
  });
});
