/**
 * The lesson renderer (marked, DOMPurify, highlight.js) is the largest part
 * of the first page, and lesson text loads with its lesson anyway, so the
 * renderer loads beside it. Until it is there, text shows escaped and plain
 * (a few milliseconds on a local site).
 */
import { useEffect, useState } from 'preact/hooks';

type Markdown = typeof import('./markdown');

let loaded: Markdown | null = null;
let loading: Promise<Markdown> | null = null;

export function loadMarkdown(): Promise<Markdown> {
  loading ??= import('./markdown').then((m) => (loaded = m));
  return loading;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The renderer, or a plain-text stand-in until it has loaded (the component re-renders then). */
export function useMarkdown(): Pick<Markdown, 'renderMarkdown' | 'renderInline' | 'highlight'> {
  const [md, setMd] = useState<Markdown | null>(loaded);
  useEffect(() => {
    if (md) return;
    let alive = true;
    void loadMarkdown().then((m) => alive && setMd(m));
    return () => {
      alive = false;
    };
  }, []);
  return md ?? { renderMarkdown: (s) => `<p>${escape(s)}</p>`, renderInline: escape, highlight: (code) => escape(code) };
}
