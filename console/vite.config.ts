// Builds the console into dist/console, served by Credence at /console (src/http/consoleRoutes.ts).
// JSX goes through esbuild (no React plugin: nothing here needs fast refresh at build time).
import { fileURLToPath } from 'node:url'

import { defineConfig } from 'vite'

const here = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root: here,
  base: '/console/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // The assets are few and all needed on the first page; one chunk keeps the first load to two
    // requests. That chunk is about 550 kB (90 kB gzipped): warn only when it grows past 700.
    chunkSizeWarningLimit: 700,
  },
  logLevel: 'warn',
})
