// Vite builds the two pages into web/dist, which the server serves. Scripts are
// external files, so helmet's default CSP (script-src 'self') needs no exception.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline data: URLs for assets: every file comes from 'self'.
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: {
        shopper: resolve(import.meta.dirname, 'index.html'),
        admin: resolve(import.meta.dirname, 'admin/index.html'),
      },
    },
  },
});
