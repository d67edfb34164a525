/**
 * Lessons are content files under /lessons/NN-slug/ (format: README.md next
 * to this file). READMEs are bundled eagerly (the list, titles, goals and
 * text are there at first paint); scenario.json and the start/solution
 * files load lazily when a lesson opens.
 */
import type { Scenario } from '../../runtime/scenario';
import { parseLessonReadme, parseLessonTranslation, sortLessons, type LessonContent, type LessonMeta } from './format';

const readmes = import.meta.glob<string>('/lessons/*/README.md', { query: '?raw', import: 'default', eager: true });
/** Translations: README.zh-CN.md next to README.md (bundled eagerly too: the language can switch at any time). */
const translated = import.meta.glob<string>('/lessons/*/README.*.md', { query: '?raw', import: 'default', eager: true });
const scenarios = import.meta.glob<string>('/lessons/*/scenario.json', { query: '?raw', import: 'default' });
const files = import.meta.glob<string>(['/lessons/*/start/**', '/lessons/*/solution/**'], { query: '?raw', import: 'default' });

function dirOf(path: string): string {
  return path.split('/')[2]!;
}

function withTranslations(meta: LessonMeta): LessonMeta {
  const translations: NonNullable<LessonMeta['translations']> = {};
  for (const [path, src] of Object.entries(translated)) {
    const m = /\/lessons\/([^/]+)\/README\.([A-Za-z-]+)\.md$/.exec(path);
    if (m && m[1] === meta.dir) translations[m[2]!] = parseLessonTranslation(src);
  }
  return { ...meta, translations };
}

export const LESSONS: LessonMeta[] = sortLessons(Object.entries(readmes).map(([path, src]) => withTranslations(parseLessonReadme(dirOf(path), src))));

export function lessonBySlug(slug: string): LessonMeta | undefined {
  return LESSONS.find((l) => l.slug === slug || l.dir === slug);
}

const cache = new Map<string, Promise<LessonContent>>();

export function loadLessonContent(meta: LessonMeta): Promise<LessonContent> {
  let p = cache.get(meta.dir);
  if (!p) {
    p = (async () => {
      const out: LessonContent = { scenario: null, start: {}, solution: {} };
      const sc = scenarios[`/lessons/${meta.dir}/scenario.json`];
      try {
        if (sc) out.scenario = JSON.parse(await sc()) as Scenario;
      } catch (err) {
        out.error = `scenario.json: ${(err as Error).message}`;
      }
      const prefix = `/lessons/${meta.dir}/`;
      await Promise.all(
        Object.entries(files)
          .filter(([path]) => path.startsWith(prefix))
          .map(async ([path, load]) => {
            const rel = path.slice(prefix.length);
            const [kind, ...rest] = rel.split('/');
            const text = await load();
            if (kind === 'start') out.start[rest.join('/')] = text;
            else if (kind === 'solution') out.solution[rest.join('/')] = text;
          }),
      );
      return out;
    })();
    cache.set(meta.dir, p);
  }
  return p;
}
