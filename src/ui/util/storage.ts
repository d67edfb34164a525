/**
 * localStorage that never throws (private mode, quota, disabled storage),
 * checks what it reads against a schema, and reports what the user must
 * know about: a save that failed, a damaged value set aside, another tab
 * changing the same lesson (components/StorageGuard.tsx shows them).
 * In embed mode (?embed=1) it is off entirely: an embedded example must
 * neither read nor clobber the learner's saved progress and edits.
 */
const PREFIX = 'nul:';

/** `?embed=…` (anything but 0 / false) puts the page in embed mode (same rule as share/links.ts). */
export function isEmbedSearch(search: string): boolean {
  const e = new URLSearchParams(search).get('embed');
  return e !== null && e !== '0' && e !== 'false';
}

let disabled = typeof location !== 'undefined' && isEmbedSearch(location.search);

/** True when saving is off (embed mode). */
export function storageDisabled(): boolean {
  return disabled;
}

/** Turn saving off (or back on, for tests). */
export function setStorageDisabled(off: boolean): void {
  disabled = off;
}

// --- what may be stored ------------------------------------------------------------------

const isStr = (v: unknown): v is string => typeof v === 'string';
const isSlug = (v: unknown) => isStr(v) && /^[a-z0-9-]{1,120}$/.test(v);

/**
 * The shape of every value the playground keeps, by key. Storage is
 * outside data like a link: another tab, an extension, an old version or a
 * full disk may have left anything there. A value that does not fit is set
 * aside (see `setAside`) and the default is used, so a damaged entry can
 * neither blank the app nor stop the editor from loading.
 */
const SCHEMA: [RegExp, (v: unknown) => boolean][] = [
  [/^edit:/, (v) => isStr(v) && v.length <= 2_000_000],
  [/^solved$/, (v) => Array.isArray(v) && v.length <= 500 && v.every((x) => isStr(x) && x.length <= 200)],
  [/^lastLesson$/, isSlug],
  [/^layout:/, (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100_000],
  [/^theme$/, (v) => v === 'light' || v === 'dark'],
  [
    /^backup:/,
    (v) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) && isStr((v as { at?: unknown }).at) &&
      typeof (v as { files?: unknown }).files === 'object' && (v as { files?: unknown }).files !== null &&
      Object.values((v as { files: object }).files).every(isStr),
  ],
];

/** True when `value` may be stored under `key` (keys without a schema take any JSON value). */
export function fitsSchema(key: string, value: unknown): boolean {
  const rule = SCHEMA.find(([re]) => re.test(key));
  return rule ? rule[1](value) : true;
}

/** Where a damaged value of `key` is moved. */
export const asideKey = (key: string) => `damaged:${key}`;

// --- problems the user must hear about ----------------------------------------------------

export type StorageProblem =
  /** A save failed (quota, disabled storage): the value lives only in this tab. */
  | { kind: 'save-failed'; key: string; value: unknown; reason: string }
  /** A stored value was damaged and moved aside; the default was used. */
  | { kind: 'set-aside'; key: string; aside: string };

const problemListeners = new Set<(p: StorageProblem) => void>();
/** Problems seen before anyone listened (the first render loads saved state). */
const early: StorageProblem[] = [];

function report(p: StorageProblem): void {
  if (problemListeners.size === 0 && early.length < 20) early.push(p);
  for (const fn of problemListeners) fn(p);
}

/** Listen for storage problems (earlier ones are replayed once); returns unsubscribe. */
export function onStorageProblem(fn: (p: StorageProblem) => void): () => void {
  problemListeners.add(fn);
  for (const p of early.splice(0)) fn(p);
  return () => problemListeners.delete(fn);
}

function setAside(key: string, raw: string): void {
  const aside = asideKey(key);
  try {
    localStorage.setItem(PREFIX + aside, raw);
  } catch {
    /* no room to keep it: it is still removed below, so the app can load */
  }
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    /* ignore */
  }
  report({ kind: 'set-aside', key, aside });
}

export function load<T>(key: string, fallback: T): T {
  if (disabled) return fallback;
  let raw: string | null;
  try {
    raw = localStorage.getItem(PREFIX + key);
  } catch {
    return fallback;
  }
  if (raw === null) return fallback;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    setAside(key, raw);
    return fallback;
  }
  if (!fitsSchema(key, v)) {
    setAside(key, raw);
    return fallback;
  }
  return v as T;
}

export function save(key: string, value: unknown): boolean {
  if (disabled) return false;
  try {
    if (value === undefined) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, JSON.stringify(value));
    return true;
  } catch (err) {
    const name = (err as Error)?.name ?? '';
    const reason = /quota/i.test(name) || /quota|full/i.test((err as Error)?.message ?? '') ? 'quota' : 'unavailable';
    report({ kind: 'save-failed', key, value, reason });
    return false;
  }
}

/**
 * Another tab wrote one of our keys (the browser's `storage` event, which
 * never fires in the tab that wrote). `value` is the new value, already
 * checked against the schema (null when removed or damaged).
 */
export function onOtherTabChange(fn: (key: string, value: unknown) => void): () => void {
  if (disabled || typeof addEventListener !== 'function') return () => {};
  const listener = (e: StorageEvent) => {
    if (!e.key?.startsWith(PREFIX)) return;
    const key = e.key.slice(PREFIX.length);
    let v: unknown = null;
    try {
      v = e.newValue === null ? null : JSON.parse(e.newValue);
    } catch {
      v = null;
    }
    fn(key, v !== null && fitsSchema(key, v) ? v : null);
  };
  addEventListener('storage', listener);
  return () => removeEventListener('storage', listener);
}

export function remove(key: string): void {
  if (disabled) return;
  try {
    localStorage.removeItem(PREFIX + key);
  } catch {
    /* ignore */
  }
}

/** Key of a lesson file's saved edit. */
export const editKey = (lesson: string, path: string) => `edit:${lesson}:${path}`;

/** Key of a lesson's backup of edits replaced by a shared link. */
export const backupKey = (lesson: string) => `backup:${lesson}`;
