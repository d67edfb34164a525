/**
 * One card per service (release, state, [upgrade_levels], user code) with
 * its verbs, and the instances table with the user's actions.
 */
import { useState } from 'preact/hooks';
import { RELEASES, type Release } from '../../nova/releases';
import type { UserAction } from '../../nova/service_api';
import type { ClusterSnapshot, PlaygroundSession, ServiceView } from '../sim/session';
import { t, useLocale } from '../i18n';

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
  /** A lesson run is rebuilding the cluster. */
  running?: boolean;
}

export function ClusterView({ session, snapshot, full, onError, running = false }: Props) {
  useLocale();
  const busy = !session || session.busy || running;
  const guard = (f: () => Promise<unknown>) => () => {
    f().catch((err: unknown) => onError((err as Error).message));
  };
  const [newRelease, setNewRelease] = useState<Release>('kilo');
  if (!snapshot || (snapshot.services.length === 0 && busy)) return <div class="cluster-empty muted">{running ? t('cluster.rebuilding') : t('cluster.starting')}</div>;
  // The services table's version column matters once a release that writes it (Liberty on) is in the cluster.
  const versions = snapshot.services.some((x) => (x.service_version ?? 0) > 0);
  return (
    <div class={`cluster${full ? ' full' : ''}`}>
      {full && <Instances session={session} snapshot={snapshot} busy={busy} guard={guard} />}
      {full && <h3 class="sub services-title">{t('cluster.services')}</h3>}
      <ul class="cards" aria-label={t('cluster.services')}>
        {snapshot.services.map((s) => (
          <ServiceCard key={s.id} s={s} session={session} busy={busy} full={full} guard={guard} versions={versions} />
        ))}
        {full && (
          <li class="card add-card">
            <label class="field">
              <span>{t('cluster.newComputeAt')}</span>
              <select value={newRelease} onChange={(e) => setNewRelease((e.target as HTMLSelectElement).value as Release)} aria-label={t('cluster.newComputeRelease')}>
                {RELEASES.map((r) => (
                  <option value={r}>{r}</option>
                ))}
              </select>
            </label>
            <button class="btn" disabled={busy} onClick={guard(() => session!.addCompute(newRelease))}>
              {t('cluster.addCompute')}
            </button>
          </li>
        )}
      </ul>
    </div>
  );
}

function ServiceCard({ s, session, busy, full, guard, versions }: { s: ServiceView; session: PlaygroundSession | null; busy: boolean; full: boolean; guard: (f: () => Promise<unknown>) => () => void; versions: boolean }) {
  const levels = Object.entries(s.upgrade_levels);
  const [pinFor, setPinFor] = useState<(typeof PIN_SERVICES)[number]>('compute');
  const [pinValue, setPinValue] = useState('');
  const [dieOn, setDieOn] = useState<(typeof DIE_METHODS)[number]>('stop_instance');
  const idx = RELEASES.indexOf(s.release);
  return (
    <li class={`card state-${s.state}`} aria-label={`${s.id}: ${s.binary} ${s.release}, ${t(`cluster.state.${s.state}`)}`}>
      <div class="card-head">
        <span class={`dot state-${s.state}`} title={t(`cluster.state.${s.state}`)} aria-hidden="true" />
        <strong class="svc-id">{s.id}</strong>
        {s.hasUserCode && (
          <span class="chip code" title={t('cluster.yourCode.title')}>
            {'</>'} {t('cluster.yourCode')}
          </span>
        )}
      </div>
      <div class="card-meta">
        <ReleaseBadge release={s.release} />
        <span class="muted">{BINARY_SHORT[s.binary] ?? s.binary}</span>
        {s.state !== 'running' && <span class={`state-word s-${s.state}`}>· {t(`cluster.state.${s.state}`)}</span>}
        {s.host !== s.id && <span class="muted">· {t('cluster.host', { host: s.host })}</span>}
      </div>
      <div class="levels mono" title="[upgrade_levels]">
        {levels.length ? (
          levels.map(([k, v]) => (
            <span class="pin" key={k}>
              {k}={v}
            </span>
          ))
        ) : (
          <span class="muted">{t('cluster.noPins')}</span>
        )}
        {s.compute_cap && (
          <span class="cap" title={t('cluster.cap.title', { from: s.compute_cap.from })}>
            {t('cluster.cap', { version: s.compute_cap.version })}
          </span>
        )}
        {versions && s.service_version !== null && (
          <span class="muted" title={t('cluster.serviceVersion.title')}>
            {t('cluster.serviceVersion', { n: String(s.service_version) })}
          </span>
        )}
      </div>
      {full && session && (
        <div class="card-actions">
          <div class="row">
            {idx > 0 && (
              <button class="btn small" disabled={busy} onClick={guard(() => session.upgrade(s.id, RELEASES[idx - 1]!))} aria-label={t('cluster.downgrade', { id: s.id, release: RELEASES[idx - 1]! })}>
                ↓ {RELEASES[idx - 1]}
              </button>
            )}
            {idx < RELEASES.length - 1 && (
              <button class="btn small accent" disabled={busy} onClick={guard(() => session.upgrade(s.id, RELEASES[idx + 1]!))} aria-label={t('cluster.upgrade', { id: s.id, release: RELEASES[idx + 1]! })}>
                ↑ {RELEASES[idx + 1]}
              </button>
            )}
            {s.state === 'stopped' ? (
              <button class="btn small" disabled={busy} onClick={guard(() => session.start(s.id))} aria-label={t('cluster.start.aria', { id: s.id })}>
                {t('cluster.start')}
              </button>
            ) : (
              <button class="btn small" disabled={busy} onClick={guard(() => session.stop(s.id))} aria-label={t('cluster.stop.aria', { id: s.id })}>
                {t('cluster.stop')}
              </button>
            )}
            <button class="btn small" disabled={busy} onClick={guard(() => session.restart(s.id))} aria-label={t('cluster.restart.aria', { id: s.id })}>
              {t('cluster.restart')}
            </button>
          </div>
          {s.binary === 'nova-compute' && (
            <form
              class="row pin-form"
              onSubmit={(e) => {
                e.preventDefault();
                guard(() => session.configure(s.id, 'fault_injection', 'die', dieOn))();
              }}
            >
              <span class="mono muted small" title={t('cluster.dieOn.title')}>{t('cluster.dieOn')}</span>
              <select aria-label={t('cluster.dieOnWhich', { id: s.id })} value={dieOn} onChange={(e) => setDieOn((e.target as HTMLSelectElement).value as typeof dieOn)}>
                {DIE_METHODS.map((m) => (
                  <option value={m}>{m}</option>
                ))}
              </select>
              <button class="btn small" disabled={busy} type="submit">
                {t('cluster.arm')}
              </button>
            </form>
          )}
          {s.binary !== 'nova-compute' && (
            <form
              class="row pin-form"
              onSubmit={(e) => {
                e.preventDefault();
                guard(() => session.configure(s.id, 'upgrade_levels', pinFor, pinValue.trim() || null))();
              }}
            >
              <span class="mono muted small" title="[upgrade_levels]">{t('cluster.pin')}</span>
              <select aria-label={t('cluster.pinWhich', { id: s.id })} value={pinFor} onChange={(e) => setPinFor((e.target as HTMLSelectElement).value as typeof pinFor)}>
                {PIN_SERVICES.map((p) => (
                  <option value={p}>{p}</option>
                ))}
              </select>
              <input
                class="mono"
                aria-label={t('cluster.pinValue', { id: s.id, api: pinFor })}
                placeholder={t('cluster.pinPlaceholder')}
                value={pinValue}
                onInput={(e) => setPinValue((e.target as HTMLInputElement).value)}
                list="pin-values"
              />
              <button class="btn small" disabled={busy} type="submit">
                {t('cluster.set')}
              </button>
            </form>
          )}
        </div>
      )}
    </li>
  );
}

/** RPC methods a compute's process can be made to die handling ([fault_injection] die). */
const DIE_METHODS = ['stop_instance', 'reboot_instance', 'build_and_run_instance', 'reserve_block_device_name', 'check_can_live_migrate_destination', 'pre_live_migration', 'suspend_instance'] as const;

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
        <h3 class="sub">{t('cluster.instances')}</h3>
        <input aria-label={t('cluster.newInstance')} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} class="mono" size={8} />
        <button class="btn small accent" disabled={busy} type="submit">
          {t('cluster.create')}
        </button>
      </form>
      <table class="table instances-table">
        <thead>
          <tr>
            <th scope="col">name</th>
            <th scope="col">vm_state</th>
            <th scope="col" class="col-task">task_state</th>
            <th scope="col">host</th>
            <th scope="col">
              <span class="sr-only">{t('cluster.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                {t('cluster.noInstances')}
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
                <td class="mono muted col-task">{r.task_state ?? '–'}</td>
                <td class="mono">{r.host ?? '–'}</td>
                <td class="act">
                  <select aria-label={t('cluster.actionOn', { name: label })} value={a} onChange={(e) => setChosen({ ...chosen, [r.uuid]: (e.target as HTMLSelectElement).value as UserAction['action'] })}>
                    {ACTIONS.map((x) => (
                      <option value={x.value}>{x.label}</option>
                    ))}
                  </select>
                  <button class="btn small" disabled={busy || !session} onClick={guard(() => session!.act(actionFor(a, label)))} aria-label={t('cluster.go.aria', { action: a, name: label })}>
                    {t('cluster.go')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <datalist id="pin-values">
        {[...RELEASES, 'auto', '3.35', '3.23', '4.0', '4.11'].map((v) => (
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
