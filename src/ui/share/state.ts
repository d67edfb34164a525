/**
 * Share links: the whole state a learner sees (lesson or sandbox, edited
 * files, every service's release and config, the steps taken, the seed)
 * compressed into the URL fragment. Decoding never trusts the link: it is
 * size-capped, must decompress to JSON of exactly this shape, and goes
 * through the scenario validator. Nothing in it runs on the page's thread
 * (code only ever runs in service workers).
 */
import LZString from 'lz-string';
import { parseScenario } from '../../runtime/scenario_schema';
import type { ServiceDef, Step } from '../../runtime/scenario';

export const SHARE_VERSION = 1;
/** Longest fragment accepted (characters). Browsers take ~2 MB; links beyond this are not for sharing. */
export const MAX_LINK_CHARS = 200_000;
/** Largest decompressed state (characters). */
export const MAX_STATE_CHARS = 1_000_000;
const MAX_FILE_CHARS = 200_000;
const MAX_FILES = 40;
/** Most steps a shared sandbox replays. */
export const MAX_STEPS = 500;
/** Keys a shared service may have: no user code, no benchmark kinds (code only comes in as lesson files). */
const SERVICE_KEYS = new Set(['id', 'binary', 'release', 'conf', 'start']);

function checkServiceKeys(s: unknown, where: string): void {
  if (!isObj(s)) return; // the scenario validator explains it
  for (const k of Object.keys(s)) if (!SERVICE_KEYS.has(k)) throw new Error(`${where}: unexpected key "${k}"`);
}

export interface ShareState {
  v: typeof SHARE_VERSION;
  mode: 'lesson' | 'sandbox';
  /** Lesson slug (mode lesson). */
  lesson?: string;
  /** Edited files: path -> text (only what differs from the lesson's start). */
  files?: Record<string, string>;
  /** The sandbox cluster (mode sandbox). */
  services?: ServiceDef[];
  /** The sandbox actions and lifecycle steps taken so far, to replay. */
  steps?: Step[];
  seed?: string;
}

export type DecodeResult = { ok: true; state: ShareState } | { ok: false; error: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function encodeShare(state: ShareState): string {
  return LZString.compressToEncodedURIComponent(JSON.stringify(state));
}

/** The URL fragment that opens this state: #share=<compressed>. */
export function shareFragment(state: ShareState): string {
  return `#share=${encodeShare(state)}`;
}

function validate(raw: unknown): ShareState {
  if (!isObj(raw)) throw new Error('the link does not hold a state object');
  const allowed = new Set(['v', 'mode', 'lesson', 'files', 'services', 'steps', 'seed']);
  for (const k of Object.keys(raw)) if (!allowed.has(k)) throw new Error(`unexpected key "${k}"`);
  if (raw.v !== SHARE_VERSION) throw new Error(`unsupported share version ${String(raw.v)}`);
  if (raw.mode !== 'lesson' && raw.mode !== 'sandbox') throw new Error('mode must be lesson or sandbox');
  if (raw.lesson !== undefined && (typeof raw.lesson !== 'string' || !/^[a-z0-9-]{1,80}$/.test(raw.lesson))) {
    throw new Error('bad lesson name');
  }
  if (raw.seed !== undefined && (typeof raw.seed !== 'string' || raw.seed.length > 200)) throw new Error('bad seed');
  if (raw.files !== undefined) {
    if (!isObj(raw.files)) throw new Error('files must map paths to text');
    const entries = Object.entries(raw.files);
    if (entries.length > MAX_FILES) throw new Error(`at most ${MAX_FILES} files`);
    for (const [path, text] of entries) {
      if (!/^[A-Za-z0-9_./-]{1,200}$/.test(path) || path.includes('..')) throw new Error(`bad file path "${path.slice(0, 60)}"`);
      if (typeof text !== 'string' || text.length > MAX_FILE_CHARS) throw new Error(`file ${path} is not text or too large`);
    }
  }
  if (raw.services !== undefined && !Array.isArray(raw.services)) throw new Error('services must be a list');
  if (raw.steps !== undefined && !Array.isArray(raw.steps)) throw new Error('steps must be a list');
  if (Array.isArray(raw.steps) && raw.steps.length > MAX_STEPS) throw new Error(`at most ${MAX_STEPS} steps`);
  (Array.isArray(raw.services) ? raw.services : []).forEach((s, i) => checkServiceKeys(s, `services[${i}]`));
  (Array.isArray(raw.steps) ? raw.steps : []).forEach((st, i) => {
    if (isObj(st) && st.do === 'add_service') checkServiceKeys(st.service, `steps[${i}].service`);
  });
  if (raw.services !== undefined || raw.steps !== undefined) {
    // The cluster part must be a valid scenario.
    parseScenario({ title: 'shared', services: raw.services ?? [{ id: 'api', binary: 'nova-api', release: 'kilo' }], steps: raw.steps ?? [] });
  }
  if (raw.mode === 'sandbox' && !Array.isArray(raw.services)) throw new Error('a sandbox link needs its services');
  return raw as unknown as ShareState;
}

/** Decode a fragment (with or without "#share="); every failure is a clear message. */
export function decodeShare(fragment: string): DecodeResult {
  const payload = fragment.replace(/^#?(share=)?/, '');
  if (payload.length === 0) return { ok: false, error: 'The share link is empty.' };
  if (payload.length > MAX_LINK_CHARS) return { ok: false, error: `The share link is too long (${payload.length} characters).` };
  let text: string | null;
  try {
    text = LZString.decompressFromEncodedURIComponent(payload);
  } catch {
    text = null;
  }
  if (!text) return { ok: false, error: 'The share link is damaged or truncated: it does not decompress.' };
  if (text.length > MAX_STATE_CHARS) return { ok: false, error: 'The share link holds too much data.' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The share link is damaged: its content is not JSON.' };
  }
  try {
    return { ok: true, state: validate(raw) };
  } catch (err) {
    return { ok: false, error: `The share link is not valid: ${(err as Error).message}.` };
  }
}
