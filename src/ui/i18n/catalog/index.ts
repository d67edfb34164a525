/**
 * Every catalog area, merged. Add an area as catalog/<area>.ts exporting
 * `strings({...})` and list it here; a key may be defined in one area only.
 */
import type { Entry } from './define';
import shell from './shell';
import planner from './planner';

const AREAS: Record<string, Record<string, Entry>> = { shell, planner };

export const CATALOG: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
for (const [area, entries] of Object.entries(AREAS)) {
  for (const [key, entry] of Object.entries(entries)) {
    if (key in CATALOG) throw new Error(`i18n: "${key}" is defined twice (again in ${area})`);
    CATALOG[key] = entry;
  }
}
export { AREAS };
