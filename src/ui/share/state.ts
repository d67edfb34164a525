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
import { checkDepth, checkUntrustedService, checkUntrustedStep, isForbiddenName, kindOf } from '../../runtime/untrusted';
import { decompressCapped } from './lz';
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

/** A file path from a link: relative, plain characters, no "..", no prototype names. */
function checkPath(path: string): void {
  if (!/^[A-Za-z0-9_./-]{1,200}$/.test(path) || path.includes('..') || path.startsWith('/') || path.split('/').some(isForbiddenName)) {
    throw new Error(`bad file path "${path.slice(0, 60)}"`);
  }
}

/**
 * Check a decoded state and rebuild it from the checked parts only, so no
 * extra key (nor a `__proto__` one) travels further into the app.
 */
function validate(raw: unknown): ShareState {
  if (!isObj(raw)) throw new Error(`the link holds ${kindOf(raw)}, not a state object`);
  checkDepth(raw, undefined, 'the state');
  const allowed = new Set(['v', 'mode', 'lesson', 'files', 'services', 'steps', 'seed']);
  for (const k of Object.keys(raw)) if (!allowed.has(k)) throw new Error(`unexpected key "${k.slice(0, 40)}"`);
  if (raw.v !== SHARE_VERSION) throw new Error(`unsupported share version ${typeof raw.v === 'number' ? raw.v : kindOf(raw.v)}`);
  if (raw.mode !== 'lesson' && raw.mode !== 'sandbox') throw new Error('mode must be lesson or sandbox');
  if (raw.lesson !== undefined && (typeof raw.lesson !== 'string' || !/^[a-z0-9-]{1,80}$/.test(raw.lesson))) {
    throw new Error('bad lesson name');
  }
  if (raw.seed !== undefined && (typeof raw.seed !== 'string' || raw.seed.length > 200)) throw new Error('bad seed');
  let files: Record<string, string> | undefined;
  if (raw.files !== undefined) {
    if (!isObj(raw.files)) throw new Error('files must map paths to text');
    const entries = Object.entries(raw.files);
    if (entries.length > MAX_FILES) throw new Error(`at most ${MAX_FILES} files`);
    // No prototype: a path can never reach Object.prototype through this map.
    files = Object.create(null) as Record<string, string>;
    for (const [path, text] of entries) {
      checkPath(path);
      if (typeof text !== 'string' || text.length > MAX_FILE_CHARS) throw new Error(`file ${path} is not text or too large`);
      files[path] = text;
    }
  }
  if (raw.services !== undefined && !Array.isArray(raw.services)) throw new Error('services must be a list');
  if (raw.steps !== undefined && !Array.isArray(raw.steps)) throw new Error('steps must be a list');
  if (Array.isArray(raw.steps) && raw.steps.length > MAX_STEPS) throw new Error(`at most ${MAX_STEPS} steps`);
  if (Array.isArray(raw.services) && raw.services.length > 40) throw new Error('at most 40 services');
  (Array.isArray(raw.services) ? raw.services : []).forEach((s, i) => checkUntrustedService(s, `services[${i}]`));
  (Array.isArray(raw.steps) ? raw.steps : []).forEach((st, i) => checkUntrustedStep(st, `steps[${i}]`));
  if (raw.services !== undefined || raw.steps !== undefined) {
    // The cluster part must be a valid scenario.
    parseScenario({ title: 'shared', services: raw.services ?? [{ id: 'api', binary: 'nova-api', release: 'kilo' }], steps: raw.steps ?? [] });
  }
  if (raw.mode === 'sandbox' && !Array.isArray(raw.services)) throw new Error('a sandbox link needs its services');
  const state: ShareState = { v: SHARE_VERSION, mode: raw.mode };
  if (raw.lesson !== undefined) state.lesson = raw.lesson as string;
  if (files) state.files = files;
  if (raw.services !== undefined) state.services = raw.services as ServiceDef[];
  if (raw.steps !== undefined) state.steps = raw.steps as Step[];
  if (raw.seed !== undefined) state.seed = raw.seed as string;
  return state;
}

/** Decode a fragment (with or without "#share="); every failure is a clear message. */
export function decodeShare(fragment: string): DecodeResult {
  const payload = fragment.replace(/^#?(share=)?/, '');
  if (payload.length === 0) return { ok: false, error: 'The share link is empty.' };
  if (payload.length > MAX_LINK_CHARS) return { ok: false, error: `The share link is too long (${payload.length} characters).` };
  // Capped while decompressing: a small link can unpack to gigabytes.
  const unpacked = decompressCapped(payload, MAX_STATE_CHARS);
  if (!unpacked.ok) {
    if (unpacked.reason === 'too-large') return { ok: false, error: `The share link unpacks to more than ${MAX_STATE_CHARS} characters; it was refused without unpacking the rest.` };
    if (unpacked.reason === 'bad-character') return { ok: false, error: `The share link is damaged: it holds the character ${unpacked.detail}, which share links never contain.` };
    return { ok: false, error: 'The share link is damaged or truncated: it does not decompress.' };
  }
  const text = unpacked.text;
  if (!text) return { ok: false, error: 'The share link is damaged or truncated: it does not decompress.' };
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
