/**
 * Issue 11 items 1-3: exceptions follow Python's class hierarchy, and the
 * conductor's live-migration handling is the one of each tag.
 */
import { describe, expect, it } from 'vitest';
import { LoopbackCluster, type LoopbackServiceDef } from '../../src/nova/service';
import type { Release } from '../../src/nova/releases';
import type { ConfSections } from '../../src/nova/conf';
import { PyException, isPy, isPyAny, pyLineage } from '../../src/oslo/exception';
import { deserialize_remote_exception, serialize_remote_exception } from '../../src/oslo/messaging/remote_error';
import { NoValidHost, NovaException, novaExceptionAncestors } from '../../src/nova/exception';

async function cluster(
  release: Release,
  computes = ['compute1'],
  conf: ConfSections = {},
  computeRelease: Release = release,
): Promise<LoopbackCluster> {
  const c = new LoopbackCluster();
  const defs: LoopbackServiceDef[] = [
    { id: 'conductor', binary: 'nova-conductor', release, conf },
    { id: 'scheduler', binary: 'nova-scheduler', release, conf },
    ...computes.map((id) => ({ id, binary: 'nova-compute' as const, release: computeRelease, conf: {} })),
    { id: 'api', binary: 'nova-api', release, conf },
  ];
  for (const d of defs) {
    c.add(d);
    await c.start(d.id);
  }
  return c;
}

const row = async (c: LoopbackCluster, uuid: string) => (await c.db.instance_get_all({ deleted: true })).find((r) => r.uuid === uuid)!;
const tryAction = async (c: LoopbackCluster, a: Parameters<LoopbackCluster['action']>[1]) => {
  try {
    await c.action('api', a);
    return null;
  } catch (e) {
    return e as PyException;
  }
};

describe('item 1: except follows the class hierarchy (nova/exception.py, oslo_messaging/_drivers/common.py deserialize_remote_exception)', () => {
  it('NoValidHost_Remote is caught by except NoValidHost and except NovaException, not by except Invalid', () => {
    const failure = serialize_remote_exception(NoValidHost({ reason: 'none' }));
    const remote = deserialize_remote_exception(failure, ['nova.exception']);
    expect(remote.pyClass).toBe('NoValidHost_Remote');
    expect(isPy(remote, 'NoValidHost')).toBe(true);
    expect(isPy(remote, 'NovaException')).toBe(true);
    expect(isPy(remote, 'Exception')).toBe(true);
    expect(isPy(remote, 'Invalid')).toBe(false);
  });

  it('nova 2014.2: InstanceNotRunning is an Invalid; MigrationPreCheckError is a MigrationError, not an Invalid', () => {
    expect(novaExceptionAncestors('juno', 'InstanceNotRunning')).toEqual(['Invalid', 'NovaException', 'Exception']);
    expect(novaExceptionAncestors('juno', 'MigrationPreCheckError')).toEqual(['MigrationError', 'NovaException', 'Exception']);
    const e = new NovaException('MigrationPreCheckError', 'Migration pre-check error: x', { reason: 'x' });
    expect(isPyAny(e, ['Invalid'])).toBe(false);
    expect(isPyAny(e, ['Invalid', 'MigrationPreCheckError'])).toBe(true);
  });

  it('nova 12.0.0: MaxRetriesExceeded subclasses NoValidHost; 2014.2 and 2015.1.0 have no such class', () => {
    expect(novaExceptionAncestors('liberty', 'MaxRetriesExceeded')).toEqual(['NoValidHost', 'NovaException', 'Exception']);
    expect(novaExceptionAncestors('juno', 'MaxRetriesExceeded')).toBeUndefined();
    expect(novaExceptionAncestors('kilo', 'MaxRetriesExceeded')).toBeUndefined();
  });

  it('nova 12.0.0: UnexpectedTaskStateError derives from InstanceUpdateConflict (2015.1.0: NovaException)', () => {
    expect(novaExceptionAncestors('liberty', 'UnexpectedTaskStateError')?.[0]).toBe('InstanceUpdateConflict');
    expect(novaExceptionAncestors('kilo', 'UnexpectedTaskStateError')?.[0]).toBe('NovaException');
  });

  it('oslo.messaging 1.8.3: NoSuchMethod is an RPCDispatcherError and an AttributeError; RemoteError a MessagingException', () => {
    const lineage = pyLineage(new PyException('NoSuchMethod', 'oslo_messaging.rpc.dispatcher', 'x'));
    expect(lineage).toEqual(expect.arrayContaining(['RPCDispatcherError', 'MessagingServerError', 'MessagingException', 'AttributeError', 'Exception']));
    const re = deserialize_remote_exception(JSON.stringify({ class: 'UnsupportedVersion', module: 'oslo_messaging.rpc.dispatcher', message: 'm', tb: [], args: ['m'], kwargs: {} }), ['nova.exception']);
    expect(re.pyClass).toBe('RemoteError');
    expect(re.module).toBe('oslo_messaging.rpc.client');
    expect(isPy(re, 'MessagingException')).toBe(true);
    expect(isPy(re, 'UnsupportedVersion')).toBe(false);
  });

  it('Python 2.7 builtins: KeyError is a LookupError, NotImplementedError a RuntimeError', () => {
    expect(isPy(new PyException('KeyError', 'exceptions', "'x'"), 'LookupError')).toBe(true);
    expect(isPy(new PyException('NotImplementedError', 'exceptions', ''), 'RuntimeError')).toBe(true);
  });

  it('2015.1.0 ComputeTaskManager._cold_migrate: an all-Kilo resize with no valid host puts the instance back to active with no task', async () => {
    const c = await cluster('kilo', ['compute1']);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const err = await tryAction(c, { action: 'resize', server: 'vm1', flavor: 'm1.small' });
    expect(err && isPy(err, 'NoValidHost')).toBe(true);
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1' });
  });

  it.each(['juno', 'kilo', 'liberty', 'mitaka'] as const)(
    '%s _live_migrate: no host named and none valid -> NoValidHost is expected: vm_state kept, task cleared, no MigrationError',
    async (release) => {
      const c = await cluster(release, ['compute1']);
      const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
      const err = await tryAction(c, { action: 'live_migrate', server: 'vm1', host: null });
      expect(err && isPy(err, 'NoValidHost')).toBe(true);
      expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null, host: 'compute1' });
      expect(c.logs.some((l) => /unexpectedly failed/.test(l.message))).toBe(false);
    },
  );
});

describe('item 2: conductor live migration at 2014.2 vs 2015.1.0 (ComputeTaskManager._live_migrate / migrate_server)', () => {
  const pinned: ConfSections = { upgrade_levels: { compute: 'icehouse' } };

  it('2014.2: LiveMigrationWithOldNovaNotSafe is not expected: "unexpectedly failed", MigrationError, instance left MIGRATING', async () => {
    const c = await cluster('juno', ['compute1', 'compute2'], pinned);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const src = (await row(c, uuid)).host as string;
    const dest = src === 'compute1' ? 'compute2' : 'compute1';
    const err = await tryAction(c, { action: 'live_migrate', server: 'vm1', host: dest });
    expect(err && isPy(err, 'MigrationError')).toBe(true);
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: 'migrating', host: src });
    expect(c.logs.some((l) => l.service === 'conductor' && l.level === 'error' && /unexpectedly failed/.test(l.message))).toBe(true);
  });

  it.each([
    ['juno', 'active'],
    ['kilo', 'error'],
    ['liberty', 'error'],
  ] as const)('%s: an unexpected error from the checks -> MigrationError; vm_state %s, task_state still migrating', async (release, vm_state) => {
    const c = await cluster(release, ['compute1', 'compute2']);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const src = (await row(c, uuid)).host as string;
    const dest = src === 'compute1' ? 'compute2' : 'compute1';
    const manager = (c.services.get(src) as unknown as { manager: Record<string, unknown> }).manager;
    manager.check_can_live_migrate_source = async () => {
      throw new PyException('ValueError', 'exceptions', 'injected');
    };
    const err = await tryAction(c, { action: 'live_migrate', server: 'vm1', host: dest });
    expect(err && isPy(err, 'MigrationError')).toBe(true);
    expect(await row(c, uuid)).toMatchObject({ vm_state, task_state: 'migrating', host: src });
  });
});

describe('item 3: LiveMigrationTask._find_destination skips a host only on exception.Invalid (12.0.0: also MigrationPreCheckError)', () => {
  it('2014.2 / 2015.1.0: a MigrationPreCheckError from the checks propagates (no other host is tried)', async () => {
    for (const release of ['juno', 'kilo'] as const) {
      const c = await cluster(release, ['compute1', 'compute2', 'compute3']);
      const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
      const manager = (c.services.get((await row(c, uuid)).host as string) as unknown as { manager: Record<string, unknown> }).manager;
      let calls = 0;
      manager.check_can_live_migrate_source = async () => {
        calls += 1;
        throw new NovaException('MigrationPreCheckError', 'Migration pre-check error: injected', { reason: 'injected' });
      };
      const err = await tryAction(c, { action: 'live_migrate', server: 'vm1', host: null });
      expect(err && isPy(err, 'MigrationPreCheckError'), release).toBe(true);
      expect(calls, release).toBe(1);
      expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null });
    }
  });

  it('12.0.0: MigrationPreCheckError skips the host; when every host fails the scheduler runs out (NoValidHost)', async () => {
    const c = await cluster('liberty', ['compute1', 'compute2', 'compute3']);
    const uuid = (await c.action('api', { action: 'create', name: 'vm1' })) as string;
    const manager = (c.services.get((await row(c, uuid)).host as string) as unknown as { manager: Record<string, unknown> }).manager;
    let calls = 0;
    manager.check_can_live_migrate_source = async () => {
      calls += 1;
      throw new NovaException('MigrationPreCheckError', 'Migration pre-check error: injected', { reason: 'injected' });
    };
    const err = await tryAction(c, { action: 'live_migrate', server: 'vm1', host: null });
    expect(err && isPy(err, 'NoValidHost')).toBe(true);
    expect(calls).toBe(2);
    expect(c.logs.filter((l) => /Skipping host/.test(l.message))).toHaveLength(2);
    expect(await row(c, uuid)).toMatchObject({ vm_state: 'active', task_state: null });
  });
});
