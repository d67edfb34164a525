/**
 * Every catalog area, merged. Add an area as catalog/<area>.ts exporting
 * `strings({...})` and list it here; a key may be defined in one area only.
 */
import type { Entry } from './define';
import safety from './safety';
import shell from './shell';
import lessons from './lessons';
import share from './share';
import sim from './sim';
import layout from './layout';
import diagram from './diagram';
import inspector from './inspector';
import cluster from './cluster';
import editor from './editor';
import planner from './planner';

const AREAS: Record<string, Record<string, Entry>> = { shell, sim, safety, lessons, share, layout, diagram, inspector, cluster, editor, planner };

export const CATALOG: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
for (const [area, entries] of Object.entries(AREAS)) {
  for (const [key, entry] of Object.entries(entries)) {
    if (key in CATALOG) throw new Error(`i18n: "${key}" is defined twice (again in ${area})`);
    CATALOG[key] = entry;
  }
}
export { AREAS };
