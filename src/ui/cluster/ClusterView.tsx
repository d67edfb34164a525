/**
 * One card per service (release, state, [upgrade_levels], user code) with
 * its verbs, and the instances table with the user's actions.
 */
import { useState } from 'preact/hooks';
import { RELEASES, type Release } from '../../nova/releases';
import type { UserAction } from '../../nova/service_api';
import type { ClusterSnapshot, PlaygroundSession, ServiceView } from '../sim/session';

const BINARY_SHORT: Record<string, string> = { 'nova-api': 'api', 'nova-conductor': 'conductor', 'nova-scheduler': 'scheduler', 'nova-compute': 'compute' };
const PIN_SERVICES = ['compute', 'conductor', 'scheduler'] as const;

export function ReleaseBadge({ release }: { release: string }) {
  return <span class={`release r-${release}`}>{release}</span>;
}

interface Props {
  session: PlaygroundSession | null;
  snapshot: ClusterSnapshot | null;
  /** Sandbox: every control; lesson: the compact view with fewer controls. */
  full: boolean;
  onError(message: string): void;
}

export function ClusterView({ session, snapshot, full, onError }: Props) {
  const busy = !session || session.busy;
  const guard = (f: () => Promise<unknown>) => () => {
    f().catch((err: unknown) => onError((err as Error).message));
  };
  const [newRelease, setNewRelease] = useState<Release>('kilo');
  if (!snapshot) return <div class="cluster-empty muted">Starting the cluster…</div>;
  return (
    <div class={`cluster${full ? ' full' : ''}`}>
      {full && <Instances session={session} snapshot={snapshot} busy={busy} guard={guard} />}
      {full && <h3 class="sub services-title">Services</h3>}
      <ul class="cards" aria-label="Services">
        {snapshot.services.map((s) => (
          <ServiceCard key={s.id} s={s} session={session} busy={busy} full={full} guard={guard} />
        ))}
        {full && (
          <li class="card add-card">
            <label class="field">
              <span>New compute at</span>
              <select value={newRelease} onChange={(e) => setNewRelease((e.target as HTMLSelectElement).value as Release)} aria-label="Release of the new compute">
                {RELEASES.map((r) => (
                  <option value={r}>{r}</option>
                ))}
              </select>
            </label>
            <button class="btn" disabled={busy} onClick={guard(() => session!.addCompute(newRelease))}>
              + Add compute
            </button>
          </li>
        )}
      </ul>
    </div>
  );
}

function ServiceCard({ s, session, busy, full, guard }: { s: ServiceView; session: PlaygroundSession | null; busy: boolean; full: boolean; guard: (f: () => Promise<unknown>) => () => void }) {
  const levels = Object.entries(s.upgrade_levels);
  const [pinFor, setPinFor] = useState<(typeof PIN_SERVICES)[number]>('compute');
  const [pinValue, setPinValue] = useState('');
  const idx = RELEASES.indexOf(s.release);
  return (
    <li class={`card state-${s.state}`} aria-label={`${s.id}: ${s.binary} ${s.release}, ${s.state}`}>
      <div class="card-head">
        <span class={`dot state-${s.state}`} title={s.state} aria-hidden="true" />
        <strong class="svc-id">{s.id}</strong>
        {s.hasUserCode && (
          <span class="chip code" title="runs your code">
            {'</>'} your code
          </span>
        )}
      </div>
      <div class="card-meta">
        <ReleaseBadge release={s.release} />
        <span class="muted">{BINARY_SHORT[s.binary] ?? s.binary}</span>
        {s.state !== 'running' && <span class={`state-word s-${s.state}`}>· {s.state}</span>}
        {s.host !== s.id && <span class="muted">· host {s.host}</span>}
      </div>
      <div class="levels mono" title="[upgrade_levels]">
        {levels.length ? (
          levels.map(([k, v]) => (
            <span class="pin" key={k}>
              {k}={v}
            </span>
          ))
        ) : (
          <span class="muted">no pins</span>
        )}
      </div>
      {full && session && (
        <div class="card-actions">
          <div class="row">
            {idx > 0 && (
              <button class="btn small" disabled={busy} onClick={guard(() => session.upgrade(s.id, RELEASES[idx - 1]!))} aria-label={`Downgrade ${s.id} to ${RELEASES[idx - 1]}`}>
                ↓ {RELEASES[idx - 1]}
              </button>
            )}
            {idx < RELEASES.length - 1 && (
              <button class="btn small accent" disabled={busy} onClick={guard(() => session.upgrade(s.id, RELEASES[idx + 1]!))} aria-label={`Upgrade ${s.id} to ${RELEASES[idx + 1]}`}>
                ↑ {RELEASES[idx + 1]}
              </button>
            )}
            {s.state === 'stopped' ? (
              <button class="btn small" disabled={busy} onClick={guard(() => session.start(s.id))} aria-label={`Start ${s.id}`}>
                Start
              </button>
            ) : (
              <button class="btn small" disabled={busy} onClick={guard(() => session.stop(s.id))} aria-label={`Stop ${s.id}`}>
                Stop
              </button>
            )}
            <button class="btn small" disabled={busy} onClick={guard(() => session.restart(s.id))} aria-label={`Restart ${s.id}`}>
              Restart
            </button>
          </div>
          {s.binary !== 'nova-compute' && (
            <form
              class="row pin-form"
              onSubmit={(e) => {
                e.preventDefault();
                guard(() => session.configure(s.id, 'upgrade_levels', pinFor, pinValue.trim() || null))();
              }}
            >
              <span class="mono muted small" title="[upgrade_levels]">pin</span>
              <select aria-label={`${s.id}: which RPC API to pin`} value={pinFor} onChange={(e) => setPinFor((e.target as HTMLSelectElement).value as typeof pinFor)}>
                {PIN_SERVICES.map((p) => (
                  <option value={p}>{p}</option>
                ))}
              </select>
              <input
                class="mono"
                aria-label={`${s.id}: ${pinFor} pin (a release or a version, empty to unset)`}
                placeholder="juno, 3.35, empty = unset"
                value={pinValue}
                onInput={(e) => setPinValue((e.target as HTMLInputElement).value)}
                list="pin-values"
              />
              <button class="btn small" disabled={busy} type="submit">
                Set
              </button>
            </form>
          )}
        </div>
      )}
    </li>
  );
}

const ACTIONS: { value: UserAction['action']; label: string }[] = [
  { value: 'stop', label: 'stop' },
  { value: 'start', label: 'start' },
  { value: 'reboot', label: 'reboot' },
  { value: 'shelve', label: 'shelve' },
  { value: 'shelve_offload', label: 'shelve-offload' },
  { value: 'unshelve', label: 'unshelve' },
  { value: 'rescue', label: 'rescue' },
  { value: 'resize', label: 'resize' },
  { value: 'live_migrate', label: 'live-migrate' },
  { value: 'delete', label: 'delete' },
];

function actionFor(kind: UserAction['action'], server: string): UserAction {
  switch (kind) {
    case 'resize':
      return { action: 'resize', server, flavor: 'm1.small' };
    case 'live_migrate':
      return { action: 'live_migrate', server, host: null };
    case 'reboot':
      return { action: 'reboot', server, reboot_type: 'SOFT' };
    case 'rescue':
      return { action: 'rescue', server };
    default:
      return { action: kind, server } as UserAction;
  }
}

function Instances({ session, snapshot, busy, guard }: { session: PlaygroundSession | null; snapshot: ClusterSnapshot; busy: boolean; guard: (f: () => Promise<unknown>) => () => void }) {
  const [name, setName] = useState('vm1');
  const [chosen, setChosen] = useState<Record<string, UserAction['action']>>({});
  const rows = snapshot.instances.filter((r) => !(r as { deleted?: unknown }).deleted);
  return (
    <div class="instances">
      <form
        class="row create"
        onSubmit={(e) => {
          e.preventDefault();
          if (!session || !name.trim()) return;
          const n = name.trim();
          guard(() => session.act({ action: 'create', name: n, flavor: 'm1.small' }))();
          setName(nextName(n));
        }}
      >
        <h3 class="sub">Instances</h3>
        <input aria-label="New instance name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} class="mono" size={8} />
        <button class="btn small accent" disabled={busy} type="submit">
          + Create
        </button>
      </form>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">name</th>
            <th scope="col">vm_state</th>
            <th scope="col">task_state</th>
            <th scope="col">host</th>
            <th scope="col">
              <span class="sr-only">actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                No instances yet: create one.
              </td>
            </tr>
          )}
          {rows.map((r) => {
            const a = chosen[r.uuid] ?? 'stop';
            const label = typeof r.display_name === 'string' ? r.display_name : r.uuid.slice(0, 8);
            return (
              <tr key={r.uuid}>
                <td class="mono">{label}</td>
                <td>
                  <span class={`vm vm-${r.vm_state ?? 'none'}`}>{r.vm_state ?? '–'}</span>
                </td>
                <td class="mono muted">{r.task_state ?? '–'}</td>
                <td class="mono">{r.host ?? '–'}</td>
                <td class="act">
                  <select aria-label={`Action on ${label}`} value={a} onChange={(e) => setChosen({ ...chosen, [r.uuid]: (e.target as HTMLSelectElement).value as UserAction['action'] })}>
                    {ACTIONS.map((x) => (
                      <option value={x.value}>{x.label}</option>
                    ))}
                  </select>
                  <button class="btn small" disabled={busy || !session} onClick={guard(() => session!.act(actionFor(a, label)))} aria-label={`Go: ${a} ${label}`}>
                    Go
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <datalist id="pin-values">
        {[...RELEASES, '3.35', '3.23', '4.0'].map((v) => (
          <option value={v} />
        ))}
      </datalist>
    </div>
  );
}

function nextName(n: string): string {
  const m = /^(.*?)(\d+)$/.exec(n);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${n}2`;
}
