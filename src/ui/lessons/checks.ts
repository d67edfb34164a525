/**
 * A failed goal check in words: what it expected and what the run did,
 * with the event that shows it (a link selects it in the diagram). Pure, so
 * it is tested without a browser; the sentences come from the i18n catalog.
 */
import { eventMatches } from '../../runtime/match';
import type { EventMatch, Expectation, ExpectationResult } from '../../runtime/scenario';
import type { TraceEvent } from '../../runtime/trace';
import { t, type Locale } from '../i18n';

export interface Explained {
  /** The sentence (expected vs observed). */
  text: string;
  /** The event that shows it, if any. */
  eventId?: string;
}

const show = (v: unknown) => (v === null || v === undefined ? 'None' : String(v));

/** The value an event has for a match key (what the check compared). */
function observed(e: TraceEvent, key: string): string {
  if (key === 'service') return e.service;
  if (key === 'kind') return e.kind;
  return show((e.data ?? {})[key]);
}

/**
 * Too few events: the events that match every key but one, and what they
 * had for that key instead (e.g. the stops went to queue "compute").
 */
function nearMiss(match: EventMatch, events: readonly TraceEvent[]): { key: string; want: string; got: string[]; first: string } | null {
  for (const key of Object.keys(match) as (keyof EventMatch)[]) {
    if (key === 'kind' || key === 'text') continue;
    const rest: EventMatch = { ...match };
    delete rest[key];
    const hits = events.filter((e) => eventMatches(e, rest));
    if (hits.length) return { key, want: String(match[key]), got: [...new Set(hits.map((e) => observed(e, key)))].slice(0, 4), first: hits[0]!.id };
  }
  return null;
}

export function explainCheck(x: Expectation, r: ExpectationResult, events: readonly TraceEvent[], locale: Locale): Explained {
  const tr = (key: string, vars?: Record<string, string | number>) => t(key, vars, locale);
  // Sentences are joined by a space in English, by nothing in Chinese.
  const cat = (a: string, b: string) => (locale === 'en' ? `${a} ${b}` : `${a}${b}`);
  switch (x.expect) {
    case 'event': {
      const hits = events.filter((e) => eventMatches(e, x.match));
      const n = hits.length;
      const text =
        x.count !== undefined
          ? tr('check.eventExact', { want: x.count, n })
          : x.max === undefined
            ? tr('check.eventMin', { want: x.min ?? 1, n })
            : tr('check.eventRange', { min: x.min ?? 0, max: x.max, n });
      // Too many: point at the first one. Too few: at the closest ones, and say how they differ.
      if (n > 0 && x.count !== undefined && n > x.count) return { text: cat(text, tr('check.eventFirst')), eventId: hits[0]!.id };
      const miss = n < (x.count ?? x.min ?? 1) ? nearMiss(x.match, events) : null;
      if (miss) return { text: cat(text, tr('check.nearMiss', { key: miss.key, want: miss.want, got: miss.got.join(', ') })), eventId: miss.first };
      return { text };
    }
    case 'no_event': {
      const hits = events.filter((e) => eventMatches(e, x.match));
      return { text: tr('check.noEvent', { n: hits.length }), ...(hits[0] ? { eventId: hits[0].id } : {}) };
    }
    case 'instance': {
      if (/^no instance /.test(r.detail)) return { text: tr('check.instanceMissing', { server: x.server }) };
      // The runtime's detail: "<server>: vm_state active (wanted paused), task_state pausing (wanted null)".
      const parts = [...r.detail.matchAll(/(vm_state|task_state|host) (\S+) \(wanted (\S+)\)/g)].map((m) =>
        tr('check.instanceField', { server: x.server, field: m[1]!, want: show(m[3] === 'null' ? null : m[3]), got: show(m[2] === 'null' ? null : m[2]) }),
      );
      return { text: parts.reduce((a, b) => (a ? cat(a, b) : b), '') || r.detail };
    }
    case 'actions': {
      const m = /(\d+) accepted, (\d+) refused/.exec(r.detail);
      const ok = m ? Number(m[1]) : 0;
      const failed = m ? Number(m[2]) : 0;
      const failedEvent = events.find((e) => e.kind === 'outcome' && e.data?.ok === false);
      const ev = failedEvent ? { eventId: failedEvent.id } : {};
      if (x.failed !== undefined) return { text: tr('check.actionsFailed', { want: x.failed, n: failed, total: ok + failed }), ...ev };
      return { text: tr('check.actionsAllOk', { n: failed, total: ok + failed }), ...ev };
    }
    case 'wire': {
      const id = /: (e\d+) /.exec(r.detail)?.[1];
      const sends = events.filter((e) => e.kind === 'send' && eventMatches(e, x.match));
      if (sends.length === 0) return { text: tr('check.wireNone') };
      const text = (v: string) => `"${v.replace(/\\"/g, '"')}"`;
      if (x.any) return { text: tr('check.wireAnyContains', { text: text(x.contains ?? x.lacks ?? ''), n: sends.length }) };
      if (/got no reply/.test(r.detail)) return { text: tr('check.wireNoReply'), ...(id ? { eventId: id } : {}) };
      const sentence = x.contains !== undefined && !(x.lacks !== undefined && r.detail.includes('lacks') && !r.detail.includes('contains'))
        ? tr('check.wireContains', { text: text(x.contains) })
        : tr('check.wireLacks', { text: text(x.lacks ?? '') });
      return { text: sentence, ...(id ? { eventId: id } : {}) };
    }
    case 'queue': {
      const n = Number(/holds (\d+)/.exec(r.detail)?.[1] ?? NaN);
      return { text: tr('check.queue', { want: x.depth, queue: x.queue, n: Number.isNaN(n) ? '?' : n }) };
    }
  }
}
