import type { TestProject } from 'vitest/node'
import { startServer } from '../../testing/server.js'

/** Auth is on, so the tests exercise tokens; every test signs its own with this secret. */
export const secret = 'collab-client-tests-secret-0123456789abcdef'

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string
    authSecret: string
  }
}

export default async function setup (project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer({ env: { Collab__Auth__Enabled: 'true', Collab__Auth__Secret: secret } })
  project.provide('serverUrl', server.url)
  project.provide('authSecret', secret)
  return async () => { await server.stop() }
}
