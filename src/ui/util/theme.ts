/** Light/dark theme on <html data-theme>, from the saved choice or the OS preference. */
import { useEffect, useState } from 'preact/hooks';
import { isEmbedSearch, load, save } from './storage';

export type Theme = 'light' | 'dark';
type Listener = (t: Theme) => void;
const listeners = new Set<Listener>();

export function initialTheme(): Theme {
  // Embeds choose their theme in the URL (?embed=1&theme=dark).
  if (typeof location !== 'undefined') {
    const q = new URLSearchParams(location.search);
    const t = q.get('theme');
    if (isEmbedSearch(location.search) && (t === 'light' || t === 'dark')) return t;
  }
  const saved = load<Theme | null>('theme', null);
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(t: Theme): void {
  document.documentElement.dataset.theme = t;
  document.documentElement.style.colorScheme = t;
  for (const l of listeners) l(t);
}

export function onThemeChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (document.documentElement.dataset.theme as Theme) || initialTheme());
  useEffect(() => applyTheme(theme), [theme]);
  return [
    theme,
    (t: Theme) => {
      save('theme', t);
      setTheme(t);
    },
  ];
}
