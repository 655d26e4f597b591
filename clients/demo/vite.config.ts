import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

// Built into Collab.Server's wwwroot, which is committed so the server shows the demo without npm.
// The embed script (built by pipeline-embed first) is copied in by the build script as embed/collab-pipeline.js.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  resolve: {
    alias: {
      '@collab/client/react': here('../collab-client/src/react.ts'),
      '@collab/client': here('../collab-client/src/index.ts'),
      '@collab/pipeline-embed/presence': here('../pipeline-embed/src/presence.ts'),
      '@collab/pipeline-embed': here('../pipeline-embed/src/index.ts')
    }
  },
  build: {
    outDir: here('../../src/Collab.Server/wwwroot'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    // stable names: a rebuild of unchanged sources leaves the committed files unchanged
    rollupOptions: {
      output: {
        entryFileNames: 'assets/demo.js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/[name][extname]'
      }
    }
  }
})
