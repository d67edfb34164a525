/**
 * Pure helpers for share links and embedding (no DOM, no storage): where a
 * share payload sits in a URL, the app / embed URLs and snippets for a
 * state, the embed parameters, the resize message schema, and whether
 * opening shared files would overwrite the learner's saved work.
 *
 * Link format (docs/embedding.md):
 *   full app   <base>index.html#share=<lz-string payload>
 *   embed      <base>index.html?embed=1&frame=<id>&view=trace,inspector&scenario=<name>|lesson=<slug>
 *              [&readonly=1][&theme=dark|light][#share=<payload>]   (?share=<payload> is accepted too)
 */
import type { ShareState } from './state';
import { codec, loadCodec } from './codec';

/** A state's link payload; callers load the codec first (loadCodec), else the link carries no state. */
function encodeShare(state: ShareState): string | null {
  const c = codec();
  if (!c) {
    void loadCodec();
    return null;
  }
  return c.encodeShare(state);
}
import { isEmbedSearch } from '../util/storage';

export const PANES = ['lesson', 'editor', 'cluster', 'trace', 'inspector'] as const;
export type Pane = (typeof PANES)[number];
export const DEFAULT_VIEW: Pane[] = ['trace', 'inspector'];

export interface EmbedParams {
  /** Id the embed script gave the iframe (echoed in resize messages); '' when embedded by hand. */
  frame: string;
  view: Pane[];
  scenario?: string;
  lesson?: string;
  readonly: boolean;
  theme?: 'light' | 'dark';
  /** A share payload (from #share= or ?share=). */
  share?: string;
}

const NAME = /^[a-z0-9-]{1,80}$/;
const FRAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Query parameters that belong to embed mode (dropped from full-app links). */
const EMBED_KEYS = ['embed', 'frame', 'view', 'scenario', 'lesson', 'readonly', 'theme', 'share'];

/** The share payload in a URL's fragment (#share=…) or query (?share=…), or null. */
export function sharePayload(hash: string, search: string): string | null {
  const m = /^#share=(.*)$/s.exec(hash);
  if (m) return m[1]!;
  const q = new URLSearchParams(search).get('share');
  return q === null ? null : q;
}

/** Parse the view list; unknown panes are dropped, an empty result falls back to the default. */
export function parseView(v: string | null): Pane[] {
  if (!v) return [...DEFAULT_VIEW];
  const out: Pane[] = [];
  for (const p of v.split(',').map((s) => s.trim())) if ((PANES as readonly string[]).includes(p) && !out.includes(p as Pane)) out.push(p as Pane);
  return out.length ? out : [...DEFAULT_VIEW];
}

/** Embed parameters from a URL, or null when the page is not in embed mode. */
export function parseEmbedParams(search: string, hash = ''): EmbedParams | null {
  if (!isEmbedSearch(search)) return null;
  const q = new URLSearchParams(search);
  const frame = q.get('frame') ?? '';
  const scenario = q.get('scenario') ?? '';
  const lesson = q.get('lesson') ?? '';
  const theme = q.get('theme');
  const ro = q.get('readonly');
  const share = sharePayload(hash, search);
  return {
    frame: FRAME.test(frame) ? frame : '',
    view: parseView(q.get('view')),
    ...(NAME.test(scenario) ? { scenario } : {}),
    // A lesson name that is not a slug is kept (shortened) so the embed can say it does not exist, rather than open lesson 1.
    ...(lesson ? { lesson: NAME.test(lesson) ? lesson : lesson.slice(0, 80) } : {}),
    readonly: ro !== null && ro !== '0' && ro !== 'false',
    ...(theme === 'light' || theme === 'dark' ? { theme } : {}),
    ...(share ? { share } : {}),
  };
}

/** The folder the app is served from (for relative links: embed.js, index.html). */
export function appBase(href: string): string {
  return new URL('./', href).href;
}

/** The full app's URL for a state (keeps unrelated query parameters, drops embed ones). */
export function appUrl(href: string, state: ShareState | null, route = '#/', lang?: string): string {
  const u = new URL(href);
  for (const k of EMBED_KEYS) u.searchParams.delete(k);
  if (lang) u.searchParams.set('lang', lang);
  u.hash = '';
  if (!/\.html$/.test(u.pathname)) u.pathname = u.pathname.replace(/[^/]*$/, '');
  const payload = state ? encodeShare(state) : null;
  return u.toString().replace(/#$/, '') + (payload ? `#share=${payload}` : route);
}

export interface EmbedChoice {
  view: Pane[];
  scenario?: string;
  lesson?: string;
  readonly?: boolean;
  theme?: 'light' | 'dark';
  /** The page's language (en, zh-CN). */
  lang?: string;
  /** The state to embed (lesson edits, a sandbox). */
  state?: ShareState | null;
}

export function embedQuery(c: EmbedChoice, frame?: string): URLSearchParams {
  const q = new URLSearchParams();
  q.set('embed', '1');
  if (frame) q.set('frame', frame);
  q.set('view', c.view.join(','));
  if (c.scenario) q.set('scenario', c.scenario);
  if (c.lesson) q.set('lesson', c.lesson);
  if (c.readonly) q.set('readonly', '1');
  if (c.theme) q.set('theme', c.theme);
  if (c.lang) q.set('lang', c.lang);
  return q;
}

export function embedUrl(base: string, c: EmbedChoice, frame?: string): string {
  const payload = c.state ? encodeShare(c.state) : null;
  return new URL(`index.html?${embedQuery(c, frame).toString()}${payload ? `#share=${payload}` : ''}`, base).toString();
}

const escAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function iframeSnippet(base: string, c: EmbedChoice, height: number): string {
  return `<iframe src="${escAttr(embedUrl(base, c))}"\n        title="nova-upgrade-lab" style="width:100%;height:${height}px;border:0" loading="lazy"></iframe>`;
}

export function scriptSnippet(base: string, c: EmbedChoice): string {
  const attrs: string[] = [];
  if (c.scenario) attrs.push(`scenario="${escAttr(c.scenario)}"`);
  if (c.lesson) attrs.push(`lesson="${escAttr(c.lesson)}"`);
  attrs.push(`view="${c.view.join(',')}"`);
  if (c.readonly) attrs.push('readonly');
  if (c.theme) attrs.push(`theme="${c.theme}"`);
  if (c.lang) attrs.push(`lang="${escAttr(c.lang)}"`);
  const payload = c.state ? encodeShare(c.state) : null;
  if (payload) attrs.push(`share="${escAttr(payload)}"`);
  return `<script src="${escAttr(new URL('embed.js', base).toString())}" defer></script>\n<nova-upgrade-lab ${attrs.join(' ')}></nova-upgrade-lab>`;
}

// --- resize messages -------------------------------------------------------------------------

export interface ResizeMessage {
  source: 'nova-upgrade-lab';
  type: 'resize';
  frame: string;
  height: number;
}

export function resizeMessage(frame: string, height: number): ResizeMessage {
  return { source: 'nova-upgrade-lab', type: 'resize', frame, height: Math.ceil(height) };
}

/** The schema check embed.js applies (kept here too so it is unit-tested). */
export function isResizeMessage(d: unknown): d is ResizeMessage {
  if (!d || typeof d !== 'object') return false;
  const m = d as Record<string, unknown>;
  return (
    m.source === 'nova-upgrade-lab' &&
    m.type === 'resize' &&
    typeof m.frame === 'string' &&
    FRAME.test(m.frame) &&
    typeof m.height === 'number' &&
    Number.isFinite(m.height) &&
    m.height >= 0
  );
}

// --- lesson files ----------------------------------------------------------------------------

/** Files whose text differs from the lesson's start (what a share carries). */
export function changedFiles(values: Record<string, string>, start: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(values)) if (text !== (start[path] ?? '')) out[path] = text;
  return out;
}

/** Every lesson file's text once shared files are laid over the start. */
export function sharedBuffers(paths: string[], start: Record<string, string>, shared: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of paths) out[p] = shared?.[p] ?? start[p] ?? '';
  return out;
}

/**
 * Saved edits that opening the share would overwrite: files the learner
 * changed (saved text differs from the start) to something other than the
 * shared text. Empty = open without asking.
 */
export function conflictingEdits(
  paths: string[],
  start: Record<string, string>,
  saved: Record<string, string | null>,
  shared: Record<string, string> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  const incoming = sharedBuffers(paths, start, shared);
  for (const p of paths) {
    const mine = saved[p];
    if (mine === null || mine === undefined || mine === (start[p] ?? '')) continue;
    if (mine !== incoming[p]) out[p] = mine;
  }
  return out;
}
