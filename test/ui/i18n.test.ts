import { describe, expect, it } from 'vitest';
import { AREAS } from '../../src/ui/i18n/catalog';
import { localeFromLanguages, t } from '../../src/ui/i18n';

describe('i18n', () => {
  it('every UI string has an English and a Chinese text with the same placeholders', () => {
    for (const [area, entries] of Object.entries(AREAS)) {
      for (const [key, e] of Object.entries(entries)) {
        expect(e.en.trim(), `${area}: ${key} en`).not.toBe('');
        expect(e.zh.trim(), `${area}: ${key} zh`).not.toBe('');
        const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(ph(e.zh), `${area}: ${key} placeholders`).toEqual(ph(e.en));
      }
    }
  });

  it('picks Chinese for a zh browser and English otherwise', () => {
    expect(localeFromLanguages(['zh-CN', 'en'])).toBe('zh-CN');
    expect(localeFromLanguages(['zh-TW'])).toBe('zh-CN');
    expect(localeFromLanguages(['en-US', 'zh-CN'])).toBe('en');
    expect(localeFromLanguages(['fr'])).toBe('en');
  });

  it('looks strings up per locale and fills placeholders', () => {
    expect(t('shell.language', undefined, 'zh-CN')).toBe('语言');
    expect(t('shell.language', undefined, 'en')).toBe('Language');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});

describe('i18n coverage of the course UI', () => {
  // The lesson pane, the share and embed dialogs: every visible string goes through t().
  const files = ['src/ui/lessons/LessonPane.tsx', 'src/ui/share/ShareDialogs.tsx'];
  it.each(files)('%s has no hard-coded English text node, label or title', async (file) => {
    const { readFileSync } = await import('node:fs');
    const src = readFileSync(file, 'utf8');
    const textNodes = [...src.matchAll(/(?<![=-])>\s*([A-Za-z][^<>{}();]*?)\s*</g)].map((m) => m[1]!).filter((s) => /[a-z]{3}/.test(s) && !/^(English)$/.test(s));
    const attrs = [...src.matchAll(/\b(aria-label|title|label)="([^"]*[A-Za-z]{3}[^"]*)"/g)].map((m) => `${m[1]}="${m[2]}"`);
    expect([...textNodes, ...attrs]).toEqual([]);
  });

  it('has the lesson UI strings in both languages', () => {
    for (const key of ['goal.solved', 'goal.nextLesson', 'goal.stale', 'check.eventExact', 'check.showEvent', 'solution.show', 'shell.language']) {
      expect(t(key, undefined, 'en')).not.toBe(key);
      expect(t(key, undefined, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
