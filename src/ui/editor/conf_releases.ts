/** Which releases each lesson conf file's service runs at (kept apart from conf_lint: this one is in the first page load, the checker loads with the editor). */
import { RELEASES, type Release } from '../../nova/releases';

/**
 * For each `conf/<service>.conf` path: the releases that service runs at in
 * the lesson: its release in the scenario, any it is upgraded to by a step,
 * and, when the learner writes the plan (plan.json), every later release too.
 */
export function releasesForConf(paths: readonly string[], scenario: { services: { id: string; release: Release }[]; steps?: readonly unknown[] }, order: readonly Release[] = RELEASES): Record<string, Release[]> {
  const planned = paths.includes('plan.json');
  const out: Record<string, Release[]> = {};
  for (const path of paths) {
    const m = /^conf\/([A-Za-z0-9_.-]+)\.(conf|ini)$/.exec(path);
    if (!m) continue;
    const id = m[1]!;
    const svc = scenario.services.find((s) => s.id === id);
    const set = new Set<Release>();
    if (svc) set.add(svc.release);
    for (const st of scenario.steps ?? []) {
      const s = st as { do?: string; service?: unknown; release?: Release };
      if (s.do === 'upgrade' && s.service === id && s.release) set.add(s.release);
      if (s.do === 'add_service' && (s.service as { id?: string; release?: Release } | undefined)?.id === id) set.add((s.service as { release: Release }).release);
    }
    if (planned && svc) for (const r of order.slice(order.indexOf(svc.release))) set.add(r);
    if (set.size) out[path] = order.filter((r) => set.has(r));
  }
  return out;
}
