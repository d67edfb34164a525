/**
 * localStorage that never throws (private mode, quota, disabled storage).
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

export function load<T>(key: string, fallback: T): T {
  if (disabled) return fallback;
  try {
    const v = localStorage.getItem(PREFIX + key);
    return v === null ? fallback : (JSON.parse(v) as T);
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): boolean {
  if (disabled) return false;
  try {
    if (value === undefined) localStorage.removeItem(PREFIX + key);
    else localStorage.setItem(PREFIX + key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
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
