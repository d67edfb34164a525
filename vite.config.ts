import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Relative base: the built site works from any sub-path of a static host.
export default defineConfig({
  base: './',
  plugins: [preact()],
  worker: { format: 'es' },
  optimizeDeps: { include: ['comlink'] },
  preview: { port: 4173, strictPort: true, host: '127.0.0.1' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    rollupOptions: { input: { main: 'index.html', runner: 'runner.html' } },
  },
});
