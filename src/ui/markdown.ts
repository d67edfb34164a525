/**
 * Lesson Markdown -> sanitized HTML: `marked` for parsing, highlight.js core
 * with only the languages lessons use, DOMPurify on the result.
 */
import { Marked } from 'marked';
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import typescript from 'highlight.js/lib/languages/typescript';
import python from 'highlight.js/lib/languages/python';
import ini from 'highlight.js/lib/languages/ini';
import json from 'highlight.js/lib/languages/json';

hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('python', python);
hljs.registerLanguage('ini', ini);
hljs.registerLanguage('json', json);
hljs.registerAliases(['ts', 'js', 'javascript'], { languageName: 'typescript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['conf', 'cfg', 'toml'], { languageName: 'ini' });

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The lesson pane re-renders while a run draws its trace (the goal, the
 * hints, the solution's files): the same text gives the same HTML, so it is
 * parsed, highlighted and sanitized once, not on every render.
 */
function memo(f: (src: string, key: string) => string): (src: string, key?: string) => string {
  const cache = new Map<string, string>();
  return (src, key = '') => {
    const k = `${key}\u0000${src}`;
    let html = cache.get(k);
    if (html === undefined) {
      html = f(src, key);
      if (cache.size >= 200) cache.delete(cache.keys().next().value!);
      cache.set(k, html);
    }
    return html;
  };
}

const highlighted = memo((code, l) => (l && hljs.getLanguage(l) ? hljs.highlight(code, { language: l, ignoreIllegals: true }).value : escape(code)));

export function highlight(code: string, lang?: string): string {
  return highlighted(code, (lang ?? '').toLowerCase());
}

const marked = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }) {
      const l = (lang ?? '').split(/\s+/)[0] ?? '';
      return `<pre class="code" tabindex="0"><code class="hljs${l ? ` language-${escape(l)}` : ''}">${highlight(text, l)}</code></pre>\n`;
    },
  },
});

const markdown = memo((src) => DOMPurify.sanitize(marked.parse(src, { async: false }), { USE_PROFILES: { html: true } }));
const inline = memo((src) => DOMPurify.sanitize(marked.parseInline(src, { async: false }), { USE_PROFILES: { html: true } }));

export function renderMarkdown(src: string): string {
  return markdown(src);
}

/** Inline markdown (goals, hints): no paragraphs. */
export function renderInline(src: string): string {
  return inline(src);
}
