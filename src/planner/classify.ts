/**
 * What the workload saw in each step of one run, read from the trace: for
 * every user request, the events it caused (through `cause` links), the
 * first thing that went wrong among them, and the message involved (the
 * refused message, its version, the cap, the endpoint that refused it).
 */
import type { ActionResult } from '../runtime/broker';
import type { ClusterSnapshot } from '../runtime/cluster';
import { descendantsOf, type TraceEvent } from '../runtime/trace';
import type { Release } from '../nova/releases';
import type { Binary } from '../nova/service_api';

/** Worst first: a service that could not start, a request that hung or was lost, a request that failed, all good. */
export type Status = 'ok' | 'failed' | 'hung' | 'nostart';
export const STATUS_RANK: Record<Status, number> = { ok: 0, failed: 1, hung: 2, nostart: 3 };

export type FailureKind =
  | 'UnsupportedVersion'
  | 'NoSuchMethod'
  | 'RPCVersionCapError'
  | 'object'
  | 'remote_error'
  | 'timeout'
  | 'dropped'
  | 'queued'
  | 'error_log'
  | 'api_refused'
  | 'instance_error'
  | 'instance_stuck'
  | 'start_failed'
  | 'crash'
  | 'step_error';

/** A message involved in a failure, with who sent it to whom at which releases. */
export interface MessageFacts {
  method: string;
  version: string | null;
  namespace: string | null;
  rpc: string | null;
  topic: string | null;
  client: string;
  clientBinary: Binary | null;
  clientRelease: Release | null;
  server: string | null;
  serverBinary: Binary | null;
  serverRelease: Release | null;
  /** The client's version_cap when it had one. */
  cap: string | null;
  /** The version the refusing endpoint speaks. */
  endpointVersion: string | null;
  /** The client asked can_send_version before choosing the version (a fallback exists). */
  asked: boolean;
  /** How the server's dispatcher refused it (UnsupportedVersion, NoSuchMethod), when it did. */
  refusal: string | null;
  decisions: string[];
}

export interface Problem {
  status: Exclude<Status, 'ok'>;
  kind: FailureKind;
  /** The user request ('create server vm-after-conductor'), or the step ('upgrade compute1'). */
  request: string;
  requestEvent: string | null;
  /** The event to open in the diagram and the inspector (the message's send, a refusal...). */
  event: string;
  /** One line: what went wrong, in the trace's words. */
  text: string;
  message: MessageFacts | null;
  /** The instance the request named. */
  instance: string | null;
  /**
   * When no message was refused: the request's first message between two
   * services at different releases (where the trouble likely began).
   */
  hop?: MessageFacts | null;
}

export interface Cell {
  status: Status;
  /** Requests (and services) with a problem in this step, consequences excluded. */
  count: number;
  /** Requests the workload made in this step. */
  requests: number;
  problems: Problem[];
  /** Requests the api refused only because an earlier failure left their instance broken. */
  consequences: Problem[];
}

export interface ColumnRange {
  /** Events with first <= seq < end belong to the column. */
  first: number;
  end: number;
  snapshot: Pick<ClusterSnapshot, 'instances' | 'queues'>;
  /** Steps that threw (an upgrade whose service could not boot...). */
  stepErrors: { step: string; message: string; service: string | null }[];
}

interface Index {
  byId: Map<string, TraceEvent>;
  children: Map<string, TraceEvent[]>;
  /** service -> [(seq, binary, release)] from lifecycle events. */
  versions: Map<string, { seq: number; binary: Binary; release: Release }[]>;
}

function index(events: readonly TraceEvent[]): Index {
  const byId = new Map<string, TraceEvent>();
  const children = new Map<string, TraceEvent[]>();
  const versions = new Map<string, { seq: number; binary: Binary; release: Release }[]>();
  for (const e of events) {
    byId.set(e.id, e);
    if (e.cause) (children.get(e.cause) ?? children.set(e.cause, []).get(e.cause)!).push(e);
    if (e.kind === 'lifecycle' && typeof e.data?.release === 'string' && typeof e.data?.binary === 'string') {
      (versions.get(e.service) ?? versions.set(e.service, []).get(e.service)!).push({ seq: e.seq, binary: e.data.binary as Binary, release: e.data.release as Release });
    }
  }
  return { byId, children, versions };
}

function versionAt(ix: Index, service: string | null, seq: number): { binary: Binary | null; release: Release | null } {
  const list = service ? ix.versions.get(service) : undefined;
  let cur: { binary: Binary | null; release: Release | null } = { binary: null, release: null };
  for (const v of list ?? []) if (v.seq <= seq) cur = v;
  return cur;
}

/** Everything the event caused, through nested sends too. */
function descendants(ix: Index, id: string): TraceEvent[] {
  return descendantsOf(ix.children, id, { intoSends: true });
}

function owningSend(ix: Index, e: TraceEvent): TraceEvent | null {
  let cur: TraceEvent | undefined = e;
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    if (cur.kind === 'send') return cur;
    if (cur.kind === 'reply' && typeof cur.data?.call === 'string') return ix.byId.get(cur.data.call) ?? null;
    seen.add(cur.id);
    cur = cur.cause ? ix.byId.get(cur.cause) : undefined;
  }
  return null;
}

const capOf = (decisions: string[]): string | null => {
  for (const d of decisions) {
    const m = /version_cap ([\d.]+)/.exec(d);
    if (m) return m[1]!;
  }
  return null;
};

function facts(ix: Index, send: TraceEvent, refusal: TraceEvent | null): MessageFacts {
  const d = (send.data ?? {}) as Record<string, unknown>;
  const decisions = (d.decisions as string[] | undefined) ?? [];
  const server = refusal && refusal.kind === 'dispatch' ? refusal.service : typeof d.server === 'string' ? d.server : null;
  const c = versionAt(ix, send.service, send.seq);
  const s = versionAt(ix, server, (refusal ?? send).seq);
  return {
    method: String(d.method ?? 'message'),
    version: (d.version as string | null | undefined) ?? null,
    namespace: (d.namespace as string | null | undefined) ?? null,
    rpc: (d.rpc as string | undefined) ?? null,
    topic: (d.topic as string | undefined) ?? null,
    client: send.service,
    clientBinary: c.binary,
    clientRelease: c.release,
    server,
    serverBinary: s.binary,
    serverRelease: s.release,
    cap: capOf(decisions),
    endpointVersion: refusal?.kind === 'dispatch' ? ((refusal.data?.endpoint_version as string | undefined) ?? null) : null,
    asked: decisions.some((x) => x.startsWith('can_send_version')),
    refusal: refusal?.kind === 'dispatch' ? String(refusal.data?.outcome) : null,
    decisions,
  };
}

function refusedFacts(ix: Index, e: TraceEvent): MessageFacts {
  const decisions = (e.data?.decisions as string[] | undefined) ?? [];
  const c = versionAt(ix, e.service, e.seq);
  const method = /^([a-z_]+) v/.exec(decisions.find((x) => /^[a-z_]+ v[\d.]+/.test(x)) ?? '')?.[1] ?? (e.data?.method as string | undefined) ?? 'message';
  return {
    method,
    version: (e.data?.version as string | undefined) ?? null,
    namespace: null,
    rpc: null,
    topic: null,
    client: e.service,
    clientBinary: c.binary,
    clientRelease: c.release,
    server: null,
    serverBinary: null,
    serverRelease: null,
    cap: (e.data?.version_cap as string | undefined) ?? capOf(decisions),
    endpointVersion: null,
    asked: decisions.some((x) => x.startsWith('can_send_version')),
    refusal: 'RPCVersionCapError',
    decisions,
  };
}

function targetOf(e: TraceEvent): string | null {
  const a = e.data?.action as { action?: string; name?: string; server?: string } | undefined;
  if (!a) return null;
  return a.action === 'create' ? (a.name ?? null) : (a.server ?? null);
}

/** The first thing that went wrong among a request's events, or null. */
function firstIssue(ix: Index, request: TraceEvent, desc: TraceEvent[], queues: Record<string, number>): Omit<Problem, 'request' | 'requestEvent' | 'instance'> | null {
  let weak: Omit<Problem, 'request' | 'requestEvent' | 'instance'> | null = null;
  for (const e of desc) {
    const d = (e.data ?? {}) as Record<string, unknown>;
    if (e.kind === 'dispatch' && (d.outcome === 'UnsupportedVersion' || d.outcome === 'NoSuchMethod')) {
      const send = owningSend(ix, e);
      return { status: 'failed', kind: d.outcome, event: send?.id ?? e.id, text: `${e.service}: ${e.text}`, message: send ? facts(ix, send, e) : null };
    }
    if (e.kind === 'refused') {
      return { status: 'failed', kind: 'RPCVersionCapError', event: e.id, text: `${e.service}: ${e.text}`, message: refusedFacts(ix, e) };
    }
    if (e.kind === 'object' && d.outcome === 'error') {
      const send = owningSend(ix, e);
      return { status: 'failed', kind: 'object', event: send?.id ?? e.id, text: `${e.service}: ${e.text}`, message: send ? facts(ix, send, null) : null };
    }
    if (e.kind === 'timeout') {
      const send = owningSend(ix, e);
      return { status: 'hung', kind: 'timeout', event: send?.id ?? e.id, text: `${e.service}: ${e.text}`, message: send ? facts(ix, send, null) : null };
    }
    if (e.kind === 'dropped') {
      const send = owningSend(ix, e);
      return { status: 'hung', kind: 'dropped', event: send?.id ?? e.id, text: `${e.text}`, message: send ? facts(ix, send, null) : null };
    }
    if (e.kind === 'queued' && typeof d.queue === 'string' && (queues[d.queue] ?? 0) > 0) {
      const send = owningSend(ix, e);
      return { status: 'hung', kind: 'queued', event: send?.id ?? e.id, text: `${e.text} (still waiting at the end of the step)`, message: send ? facts(ix, send, null) : null };
    }
    if (weak) continue;
    if (e.kind === 'reply' && d.ok === false && !(d.failure as { expected?: boolean } | undefined)?.expected) {
      const send = owningSend(ix, e);
      weak = { status: 'failed', kind: 'remote_error', event: send?.id ?? e.id, text: `${e.service}: ${e.text}`, message: send ? facts(ix, send, null) : null };
    } else if (e.kind === 'log' && d.level === 'error') {
      const send = owningSend(ix, e);
      weak = { status: 'failed', kind: 'error_log', event: send?.id ?? e.id, text: `${e.service}: ${firstLine(e.text)}`, message: send ? facts(ix, send, null) : null };
    } else if (e.kind === 'outcome' && d.ok === false) {
      weak = { status: 'failed', kind: 'api_refused', event: e.id, text: `api: ${firstLine(e.text)}`, message: null };
    }
  }
  void request;
  return weak;
}

const firstLine = (s: string) => s.split('\n')[0]!;

/** The first message among `desc` delivered between services at different releases. */
function crossReleaseHop(ix: Index, desc: TraceEvent[]): MessageFacts | null {
  for (const e of desc) {
    if (e.kind !== 'send') continue;
    const deliver = (ix.children.get(e.id) ?? []).find((x) => x.kind === 'deliver');
    const dispatch = deliver ? (ix.children.get(deliver.id) ?? []).find((x) => x.kind === 'dispatch') : undefined;
    if (!dispatch) continue;
    const f = facts(ix, e, dispatch);
    if (f.clientRelease && f.serverRelease && f.clientRelease !== f.serverRelease) return { ...f, refusal: null, endpointVersion: null };
  }
  return null;
}

/**
 * Classify every column of one run. `events` is the whole trace; `ranges`
 * gives each column's events and its state at the end of the step.
 */
export function classifyRun(events: readonly TraceEvent[], ranges: ColumnRange[], actions: ActionResult[] = []): Cell[] {
  const ix = index(events);
  void actions;
  /** Instances a counted failure left broken (later refusals on them are consequences). */
  const broken = new Set<string>();
  return ranges.map((r) => {
    const problems: Problem[] = [];
    const consequences: Problem[] = [];
    const inCol = events.filter((e) => e.seq >= r.first && e.seq < r.end);
    // Services that could not start.
    for (const s of r.stepErrors) {
      problems.push({ status: 'nostart', kind: 'step_error', request: s.step, requestEvent: null, event: inCol.find((e) => e.kind === 'lifecycle' && e.service === s.service)?.id ?? inCol[0]?.id ?? '', text: s.message, message: null, instance: null });
    }
    for (const e of inCol) {
      if (e.kind === 'lifecycle' && e.data?.action === 'crash') {
        problems.push({ status: 'nostart', kind: 'crash', request: `${e.service}`, requestEvent: null, event: e.id, text: e.text, message: null, instance: null });
      } else if (e.kind === 'log' && e.data?.level === 'error' && /failed to start/.test(e.text)) {
        // Why: the first refused message among what the start caused.
        let start: TraceEvent | undefined = e;
        while (start && start.kind !== 'lifecycle') start = start.cause ? ix.byId.get(start.cause) : undefined;
        const why = start ? firstIssue(ix, start, descendants(ix, start.id).filter((x) => x.seq < e.seq), {}) : null;
        const refused = why?.message?.refusal ? why : null;
        problems.push({ status: 'nostart', kind: 'start_failed', request: `start ${e.service}`, requestEvent: null, event: refused?.event ?? e.id, text: `${e.service}: ${firstLine(e.text).replace(/^ERROR (\[[^\]]*\] )?/, '')}`, message: refused?.message ?? null, instance: null });
      }
    }
    const requests = inCol.filter((e) => e.kind === 'user_action');
    const found: { req: TraceEvent; target: string | null; issue: Omit<Problem, 'request' | 'requestEvent' | 'instance'> }[] = [];
    for (const req of requests) {
      const issue = firstIssue(ix, req, descendants(ix, req.id), r.snapshot.queues);
      if (issue) found.push({ req, target: targetOf(req), issue });
    }
    const refusal = (i: { issue: { kind: FailureKind; text: string } }) => i.issue.kind === 'api_refused' && /InstanceInvalidState/.test(i.issue.text);
    // Instances the step left in ERROR or stuck in a task, when no request on them shows why:
    // blamed on the first request that touched them in this step (usually the boot).
    const firstOn = new Map<string, TraceEvent>();
    for (const req of requests) {
      const t = targetOf(req);
      if (t && !firstOn.has(t)) firstOn.set(t, req);
    }
    for (const [name, req] of firstOn) {
      if (broken.has(name) || found.some((f) => f.target === name && !refusal(f))) continue;
      const row = r.snapshot.instances.find((i) => i.display_name === name && !i.deleted);
      if (!row) continue;
      const stuck = row.task_state !== null && row.task_state !== undefined;
      if (row.vm_state !== 'error' && !stuck) continue;
      const issue =
        row.vm_state === 'error'
          ? { status: 'failed' as const, kind: 'instance_error' as const, event: req.id, text: `${name} ended in ERROR`, message: null }
          : { status: 'hung' as const, kind: 'instance_stuck' as const, event: req.id, text: `${name} is stuck in ${String(row.vm_state)} / ${String(row.task_state)}`, message: null };
      const at = found.findIndex((f) => f.req.seq > req.seq);
      found.splice(at === -1 ? found.length : at, 0, { req, target: name, issue });
    }
    for (const f of found) {
      const p: Problem = { ...f.issue, request: f.req.text.replace(/^user: /, ''), requestEvent: f.req.id, instance: f.target };
      if (!p.message?.refusal && p.kind !== 'api_refused') p.hop = crossReleaseHop(ix, descendants(ix, f.req.id));
      // The api refusing a request only because an earlier failure left its instance broken.
      if (refusal(f) && f.target && broken.has(f.target)) consequences.push(p);
      else {
        problems.push(p);
        if (f.target && !refusal(f)) broken.add(f.target);
      }
    }
    problems.sort((a, b) => (ix.byId.get(a.event)?.seq ?? 0) - (ix.byId.get(b.event)?.seq ?? 0));
    const status = problems.reduce<Status>((w, p) => (STATUS_RANK[p.status] > STATUS_RANK[w] ? p.status : w), 'ok');
    return { status, count: problems.length, requests: requests.length, problems, consequences };
  });
}
