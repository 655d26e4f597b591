import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

// The single-script embed: React, React Flow, yjs and the Collab client bundled into one IIFE that
// defines window.CollabPipeline = { mount, version }.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: {
      '@collab/client/react': here('../collab-client/src/react.ts'),
      '@collab/client': here('../collab-client/src/index.ts')
    }
  },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    lib: {
      entry: here('src/embed.ts'),
      name: 'CollabPipeline',
      formats: ['iife'],
      fileName: () => 'collab-pipeline.js'
    }
  }
})
