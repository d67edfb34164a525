/** The lesson format (see README.md next to this file): pure parsing, no globbing. */
import type { Scenario } from '../../runtime/scenario';
import { splitFrontMatter, type Yaml } from './frontmatter';

export type FileLanguage = 'typescript' | 'ini' | 'json' | 'plaintext';

export interface LessonFile {
  /** Path relative to start/ and solution/, e.g. 'nova/compute/rpcapi.ts' or 'conf/api.conf'. */
  path: string;
  language: FileLanguage;
  /** Code files: the service ids that load this module (default: every service). */
  services?: string[];
  readonly: boolean;
}

export interface LessonMeta {
  /** Folder name, e.g. '01-pin-compute'. */
  dir: string;
  /** Folder name without its NN- prefix: the route is #/lesson/<slug>. */
  slug: string;
  order: number;
  title: string;
  goal: string;
  summary?: string;
  hints: string[];
  files: LessonFile[];
  /** Markdown body after the front matter. */
  body: string;
  /** Sample lessons (dir contains "sample") are placeholders. */
  sample: boolean;
  /** A problem in the README (the lesson is still listed, with this message). */
  error?: string;
  /** Translations (README.<locale>.md), by locale. */
  translations?: Partial<Record<string, LessonTranslation>>;
}

/**
 * A lesson in another language: README.<locale>.md, the same front matter
 * keys (title, goal, summary, hints in the same order) plus `checks`, the
 * goal checks' descriptions in the order of scenario.json's `expect`.
 */
export interface LessonTranslation {
  title: string;
  goal: string;
  summary?: string;
  hints: string[];
  checks: string[];
  body: string;
  error?: string;
}

/** The text a learner sees in `locale`: the translation where there is one, else the English. */
export function localized(meta: LessonMeta, locale: string): LessonMeta & { checks?: string[] } {
  const tr = locale === 'en' ? undefined : meta.translations?.[locale];
  if (!tr || tr.error) return meta;
  return { ...meta, title: tr.title || meta.title, goal: tr.goal || meta.goal, summary: tr.summary ?? meta.summary, hints: tr.hints.length ? tr.hints : meta.hints, body: tr.body || meta.body, checks: tr.checks };
}

export function parseLessonTranslation(src: string): LessonTranslation {
  try {
    const { data, body } = splitFrontMatter(src);
    const list = (v: Yaml | undefined): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(str) : [str(v)]);
    return { title: str(data.title), goal: str(data.goal), summary: data.summary ? str(data.summary) : undefined, hints: list(data.hints), checks: list(data.checks), body };
  } catch (err) {
    return { title: '', goal: '', hints: [], checks: [], body: '', error: (err as Error).message };
  }
}

export interface LessonContent {
  scenario: Scenario | null;
  start: Record<string, string>;
  solution: Record<string, string>;
  error?: string;
}

export function languageOf(path: string): FileLanguage {
  if (/\.(ts|tsx|js|mjs)$/.test(path)) return 'typescript';
  if (/\.(conf|ini|cfg)$/.test(path)) return 'ini';
  if (/\.json$/.test(path)) return 'json';
  return 'plaintext';
}

/** Module name user code is loaded as: the path without its extension. */
export function moduleName(path: string): string {
  return path.replace(/\.(ts|tsx|js|mjs)$/, '');
}

/** `conf/<service-id>.conf` -> service id, else null. */
export function confService(path: string): string | null {
  const m = /^conf\/([A-Za-z0-9_.-]+)\.(conf|ini)$/.exec(path);
  return m ? m[1]! : null;
}

const str = (v: Yaml | undefined): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function parseFiles(v: Yaml | undefined): LessonFile[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error('files: must be a list');
  return v.map((f) => {
    if (typeof f === 'string') return { path: f, language: languageOf(f), readonly: false };
    if (f && typeof f === 'object' && !Array.isArray(f) && typeof f.path === 'string') {
      const services = Array.isArray(f.services) ? f.services.map(String) : typeof f.services === 'string' ? [f.services] : undefined;
      return { path: f.path, language: languageOf(f.path), readonly: f.readonly === true, ...(services ? { services } : {}) };
    }
    throw new Error(`files: each entry is a path or {path, services?, readonly?}, got ${JSON.stringify(f)}`);
  });
}

export function parseLessonReadme(dir: string, src: string): LessonMeta {
  const m = /^(\d+)-(.+)$/.exec(dir);
  const order = m ? Number(m[1]) : 999;
  const slug = m ? m[2]! : dir;
  const base: LessonMeta = { dir, slug, order, title: slug, goal: '', hints: [], files: [], body: src, sample: /(^|-)sample(-|$)/.test(dir) };
  try {
    const { data, body } = splitFrontMatter(src);
    const hints = data.hints === undefined || data.hints === null ? [] : Array.isArray(data.hints) ? data.hints.map(str) : [str(data.hints)];
    const title = str(data.title) || (/^#\s+(.+)$/m.exec(body)?.[1] ?? slug);
    return { ...base, title, goal: str(data.goal), summary: data.summary ? str(data.summary) : undefined, hints, files: parseFiles(data.files), body };
  } catch (err) {
    return { ...base, error: (err as Error).message };
  }
}

/** Lessons sorted by their NN- prefix, then name. */
export function sortLessons(list: LessonMeta[]): LessonMeta[] {
  return [...list].sort((a, b) => a.order - b.order || a.dir.localeCompare(b.dir));
}
