import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * `README.md?frontmatter`: only a lesson's front matter (title, goal,
 * hints...), for the lesson list in the first page; the text itself loads
 * with the lesson.
 */
function frontMatterOnly(): Plugin {
  return {
    name: 'lesson-front-matter',
    enforce: 'pre',
    load(id) {
      if (!id.endsWith('?frontmatter')) return null;
      const text = readFileSync(id.slice(0, -'?frontmatter'.length), 'utf8').replace(/\r\n?/g, '\n');
      const m = /^\uFEFF?---[ \t]*\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
      return `export default ${JSON.stringify(m ? m[0] : '')};`;
    },
  };
}

// Relative base: the built site works from any sub-path of a static host.
export default defineConfig({
  base: './',
  plugins: [frontMatterOnly(), preact()],
  worker: { format: 'es' },
  optimizeDeps: { include: ['comlink'] },
  preview: { port: 4173, strictPort: true, host: '127.0.0.1' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    rollupOptions: { input: { main: 'index.html', runner: 'runner.html' } },
  },
});
