import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/runtime/cluster';
import { runScenario } from '../../src/runtime/run_scenario';
import { inProcess } from './helpers';

// User code can add a version of an object to the services that load it:
// here api and conductor know Instance 1.20 with a new field, the compute only 1.19.
const instance120 = (makeCompatible: boolean) =>
  [
    "const { Instance: KiloInstance, fieldFromSpec } = require('nova/objects');",
    'class Instance extends KiloInstance {',
    "  static VERSION = '1.20';",
    "  static obj_name() { return 'Instance'; }",
    "  static fields = { locked_reason: fieldFromSpec('String [nullable]') };",
    makeCompatible
      ? [
          '  obj_make_compatible(primitive, target_version) {',
          '    super.obj_make_compatible(primitive, target_version);',
          "    const [major, minor] = target_version.split('.').map(Number);",
          "    if (major === 1 && minor < 20) delete primitive.locked_reason;",
          '  }',
        ].join('\n')
      : '',
    '}',
    'exports.Instance = Instance;',
  ].join('\n');

async function run(makeCompatible: boolean) {
  return runScenario(
    {
      title: 'Instance 1.20 from user code',
      services: [
        { id: 'conductor', binary: 'nova-conductor', release: 'kilo', code: { 'nova/objects/instance': instance120(makeCompatible) } },
        { id: 'scheduler', binary: 'nova-scheduler', release: 'kilo' },
        { id: 'compute1', binary: 'nova-compute', release: 'kilo' },
        { id: 'api', binary: 'nova-api', release: 'kilo', code: { 'nova/objects/instance': instance120(makeCompatible) } },
      ],
      steps: [{ do: 'action', action: 'create', name: 'vm1' }],
      expect: [
        { expect: 'instance', server: 'vm1', vm_state: 'active' },
        { expect: 'wire', match: { method: 'object_backport' }, reply: true, lacks: 'locked_reason' },
      ],
    },
    { spawn: inProcess() },
  );
}

describe('object classes from user code', () => {
  it('register a newer version in the service that loads them; older services get it backported', async () => {
    const r = await run(true);
    const sent = r.events.find((e) => e.kind === 'send' && e.service === 'conductor' && e.data?.method === 'build_and_run_instance');
    const message = JSON.parse((sent?.data?.envelope as { 'oslo.message': string })['oslo.message']) as { args: { instance: Record<string, unknown> } };
    expect(message.args.instance['nova_object.version']).toBe('1.20');
    expect(r.events.some((e) => e.kind === 'object' && e.service === 'compute1' && e.data?.outcome === 'IncompatibleObjectVersion')).toBe(true);
    expect(r.results.map((x) => [x.ok, x.detail])).toEqual([
      [true, expect.any(String)],
      [true, expect.any(String)],
    ]);
  });

  it('leave the new field in the backport when obj_make_compatible does not remove it (the goal check sees it)', async () => {
    const r = await run(false);
    expect(r.results[0]!.ok).toBe(true); // a Kilo receiver ignores keys it has no field for
    expect(r.results[1]!.ok).toBe(false);
  });

  it('refuse to boot a service whose user code throws, naming the file', async () => {
    const cluster = new Cluster({ spawn: inProcess(), seed: 'bad-object' });
    await expect(
      cluster.addService({ id: 'conductor', binary: 'nova-conductor', release: 'kilo', code: { 'nova/objects/instance': "throw new Error('boom')" } }),
    ).rejects.toThrow(/nova\/objects\/instance\.ts: boom/);
  });
});
