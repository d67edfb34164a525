/**
 * Lessons are content files under /lessons/NN-slug/ (format: README.md next
 * to this file). The front matter of every README is bundled eagerly (the
 * list, titles, goals and hints are there at first paint); the lesson text,
 * scenario.json and the start/solution files load when a lesson opens.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Scenario } from '../../runtime/scenario';
import { parseLessonReadme, parseLessonTranslation, sortLessons, type LessonContent, type LessonMeta } from './format';

const heads = import.meta.glob<string>('/lessons/*/README.md', { query: '?frontmatter', import: 'default', eager: true });
const readmes = import.meta.glob<string>('/lessons/*/README.md', { query: '?raw', import: 'default' });
/** Translations: README.zh-CN.md next to README.md, loaded when that language is first shown (English readers never download them). */
const translated = import.meta.glob<string>('/lessons/*/README.*.md', { query: '?raw', import: 'default' });
const scenarios = import.meta.glob<string>('/lessons/*/scenario.json', { query: '?raw', import: 'default' });
const files = import.meta.glob<string>(['/lessons/*/start/**', '/lessons/*/solution/**'], { query: '?raw', import: 'default' });

function dirOf(path: string): string {
  return path.split('/')[2]!;
}

export const LESSONS: LessonMeta[] = sortLessons(Object.entries(heads).map(([path, src]) => ({ ...parseLessonReadme(dirOf(path), src), body: '' })));

const loadingLocale = new Map<string, Promise<void>>();

/** Load every lesson's README.<locale>.md into `meta.translations` (once per locale). */
export function loadTranslations(locale: string): Promise<void> {
  if (locale === 'en') return Promise.resolve();
  let p = loadingLocale.get(locale);
  if (!p) {
    p = (async () => {
      await Promise.all(
        LESSONS.map(async (meta) => {
          const load = translated[`/lessons/${meta.dir}/README.${locale}.md`];
          if (!load) return;
          meta.translations = { ...meta.translations, [locale]: parseLessonTranslation(await load()) };
        }),
      );
    })();
    loadingLocale.set(locale, p);
  }
  return p;
}

/** Whether the lessons' `locale` texts are loaded; loads them and re-renders when they arrive. */
export function useLessonTranslations(locale: string): boolean {
  const done = locale === 'en' || loadingLocale.has(locale + ':done');
  const [, bump] = useState(0);
  useEffect(() => {
    if (done) return;
    let alive = true;
    void loadTranslations(locale).then(() => {
      loadingLocale.set(locale + ':done', Promise.resolve());
      if (alive) bump((n) => n + 1);
    });
    return () => {
      alive = false;
    };
  }, [locale, done]);
  return done;
}

export function lessonBySlug(slug: string): LessonMeta | undefined {
  return LESSONS.find((l) => l.slug === slug || l.dir === slug);
}

const cache = new Map<string, Promise<LessonContent>>();

export function loadLessonContent(meta: LessonMeta): Promise<LessonContent> {
  let p = cache.get(meta.dir);
  if (!p) {
    p = (async () => {
      const out: LessonContent = { scenario: null, start: {}, solution: {} };
      const readme = readmes[`/lessons/${meta.dir}/README.md`];
      if (readme) meta.body = parseLessonReadme(meta.dir, await readme()).body;
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
