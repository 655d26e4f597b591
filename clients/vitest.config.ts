import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

// Workspace packages are tested from their sources, so the tests need no build step first.
const alias = {
  '@collab/client/react': here('./collab-client/src/react.ts'),
  '@collab/client': here('./collab-client/src/index.ts')
}

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    reporters: ['default'],
    projects: [
      {
        resolve: { alias },
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'client',
          include: ['collab-client/test/**/*.test.{ts,tsx}'],
          globalSetup: ['collab-client/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // the hooks' tests talk to the test server from happy-dom's page origin, which has no CORS headers to offer
          environmentOptions: { happyDOM: { settings: { fetch: { disableSameOriginPolicy: true } } } }
        }
      },
      {
        resolve: { alias },
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'pipeline-embed',
          include: ['pipeline-embed/test/**/*.test.{ts,tsx}']
        }
      },
      {
        test: {
          name: 'demo',
          include: ['demo/test/**/*.test.ts']
        }
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // one server and one Chromium: the steps of the scenario run in order
          fileParallelism: false,
          sequence: { concurrent: false }
        }
      }
    ]
  }
})
