import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rpcHistory from '../../src/nova/data/rpc-history.json';
import { runComputeClientSend } from '../../src/conformance/nova_rpc';
import { RELEASES, type Release } from '../../src/nova/releases';
import { version_is_compatible } from '../../src/oslo/messaging';

type Entry = { version: string; args: string[] };
const LADDERS = (rpcHistory as unknown as { apis: { compute: { client_send_ladders: Record<Release, Record<string, Entry[]>> } } }).apis.compute
  .client_send_ladders;

/** Methods whose client raises something else before sending on some rungs (covered in rpcapi-compute). */
const RAISES: Record<Release, string[]> = {
  // 2014.1 restore_instance checks 3.18 and prepares 3.20 (rpcapi-icehouse.test.ts).
  icehouse: ['restore_instance'],
  juno: ['check_can_live_migrate_destination', 'check_can_live_migrate_source', 'rollback_live_migration_at_destination'],
  kilo: ['get_console_output', 'detach_volume', 'check_instance_shared_storage'],
  liberty: ['refresh_instance_security_rules'],
  // 13.0.0 trigger_crash_dump: TriggerCrashDumpNotSupported below 4.6, nothing prepared.
  mitaka: ['trigger_crash_dump'],
};

const release = fc.constantFrom(...RELEASES);
const cap = fc
  .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 45 }), fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }))
  .map(([major, minor, rev]) => (rev === undefined ? `${major}.${minor}` : `${major}.${minor}.${rev}`));

describe('property: the version sent is the newest rung the cap allows', () => {
  it('holds for any explicit cap, any release, any method', async () => {
    await fc.assert(
      fc.asyncProperty(
        release.chain((r) => fc.tuple(fc.constant(r), fc.constantFrom(...Object.keys(LADDERS[r]).filter((m) => !RAISES[r].includes(m))), cap)),
        async ([r, method, c]) => {
          const entries = LADDERS[r][method]!;
          const allowed = entries.filter((e) => version_is_compatible(c, e.version));
          const newest = allowed[allowed.length - 1];
          const actual = await runComputeClientSend({
            client_release: r,
            upgrade_levels_compute: c,
            method,
            routing_inputs: { 'instance.host': 'h1', host_arg: 'h2' },
          });
          if (newest) {
            expect(actual).toMatchObject({ outcome: 'sent', message_version: newest.version, message_args: [...newest.args].sort() });
          } else {
            expect(actual).toMatchObject({ outcome: 'RPCVersionCapError', prepared_version: entries[0]!.version });
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('raising the cap never lowers the version sent (Kilo, any method)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(LADDERS.kilo).filter((m) => !RAISES.kilo.includes(m))), fc.integer({ min: 0, max: 39 }), async (method, minor) => {
        const lo = await runComputeClientSend({ client_release: 'kilo', upgrade_levels_compute: `3.${minor}`, method, routing_inputs: { 'instance.host': 'h1', host_arg: 'h2' } });
        const hi = await runComputeClientSend({ client_release: 'kilo', upgrade_levels_compute: `3.${minor + 1}`, method, routing_inputs: { 'instance.host': 'h1', host_arg: 'h2' } });
        if (lo.outcome === 'sent') {
          expect(hi.outcome).toBe('sent');
          const [a, b] = [lo.message_version as string, hi.message_version as string];
          expect(version_is_compatible(b, a)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
