// Builds the renderer (renderer/ -> dist/renderer/) for browser mode and Electron alike. No
// React plugin: esbuild's automatic JSX runtime is all the screens need. Relative asset paths,
// so the same build loads from http://127.0.0.1 and from Electron's app:// origin. The root is
// this file's folder's renderer/, whatever the caller's working directory (a kiosk started in its
// data folder builds its screens too).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
  logLevel: 'warn',
});
