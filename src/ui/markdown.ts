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

export function highlight(code: string, lang?: string): string {
  const l = (lang ?? '').toLowerCase();
  if (l && hljs.getLanguage(l)) return hljs.highlight(code, { language: l, ignoreIllegals: true }).value;
  return escape(code);
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

export function renderMarkdown(src: string): string {
  const html = marked.parse(src, { async: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

/** Inline markdown (goals, hints): no paragraphs. */
export function renderInline(src: string): string {
  return DOMPurify.sanitize(marked.parseInline(src, { async: false }), { USE_PROFILES: { html: true } });
}
