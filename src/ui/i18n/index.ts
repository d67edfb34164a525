/**
 * The playground's languages: English and Simplified Chinese. Strings live
 * in catalog/<area>.ts, each key with both texts side by side, so a missing
 * translation is visible in review and caught by a test. Trace and log
 * lines are nova's own English and are never translated.
 *
 * Usage: `t('shell.run')`, `t('goal.passed', { n: 3 })` ({n} placeholders).
 * The locale comes from `?lang=`, then the saved choice, then the browser.
 */
import { useEffect, useState } from 'preact/hooks';
import { CATALOG } from './catalog';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };
const KEY = 'nova-lab:lang';

export function isLocale(v: unknown): v is Locale {
  return v === 'en' || v === 'zh-CN';
}

/** The locale a browser asks for: any zh* preference before English picks Chinese. */
export function localeFromLanguages(languages: readonly string[]): Locale {
  for (const l of languages) {
    const low = l.toLowerCase();
    if (low.startsWith('zh')) return 'zh-CN';
    if (low.startsWith('en')) return 'en';
  }
  return 'en';
}

function initialLocale(): Locale {
  if (typeof location !== 'undefined') {
    const q = new URLSearchParams(location.search).get('lang');
    if (isLocale(q)) return q;
  }
  try {
    const saved = globalThis.localStorage?.getItem(KEY);
    if (isLocale(saved)) return saved;
  } catch {
    /* storage unavailable */
  }
  const nav = (globalThis as { navigator?: { languages?: readonly string[]; language?: string } }).navigator;
  return localeFromLanguages(nav?.languages ?? (nav?.language ? [nav.language] : []));
}

let current: Locale = initialLocale();
const listeners = new Set<(l: Locale) => void>();
if (typeof document !== 'undefined') document.documentElement.lang = current;

export function getLocale(): Locale {
  return current;
}

/** Switch language (remembered in this browser); every `useLocale` re-renders. */
export function setLocale(l: Locale, { remember = true } = {}): void {
  if (l === current) return;
  current = l;
  if (remember) {
    try {
      globalThis.localStorage?.setItem(KEY, l);
    } catch {
      /* the choice just is not remembered */
    }
  }
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  for (const fn of listeners) fn(l);
}

/** The current locale; the component re-renders when it changes. */
export function useLocale(): Locale {
  const [l, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    set(current);
    return () => void listeners.delete(set);
  }, []);
  return l;
}

/** A UI string in the current (or given) locale; unknown keys come back as the key itself. */
export function t(key: string, vars?: Record<string, string | number>, locale: Locale = current): string {
  const entry = CATALOG[key];
  let s = entry ? (locale === 'en' ? entry.en : entry.zh || entry.en) : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  return s;
}
