// Builds the renderer into renderer/dist, which both hosts serve: `curator serve` over HTTP and the
// Electron shell through its app:// protocol. Relative asset URLs (`base: './'`) work under both.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev:renderer` against a running `curator serve` (CURATOR_SERVE_URL=http://127.0.0.1:PORT).
    proxy: process.env.CURATOR_SERVE_URL ? { '/api': { target: process.env.CURATOR_SERVE_URL, ws: true } } : undefined,
  },
});
