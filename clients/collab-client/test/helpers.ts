import { inject } from 'vitest'
import WebSocket from 'ws'
import { connect, CollabRestClient, type CollabConnection, type ConnectOptions } from '@collab/client'
import { signToken, waitFor } from '../../testing/server.js'

export { waitFor }

export const serverUrl = (): string => inject('serverUrl')

let counter = 0
/** A workspace and document no other test uses. */
export function uniqueNames (prefix: string): { workspace: string, document: string } {
  counter++
  return { workspace: `${prefix}-ws-${process.pid}-${counter}`, document: `${prefix} doc ${counter}` }
}

export function token (workspace: string, role: 'read' | 'write' | 'admin' = 'write', sub = 'tester', document?: string): string {
  return signToken(inject('authSecret'), { workspace, role, sub, ...(document !== undefined ? { document } : {}) })
}

const open: CollabConnection[] = []

/** A connection through Node's `ws`, never through a BroadcastChannel, closed after the test file. */
export function client (options: Omit<ConnectOptions, 'url'> & { url?: string }): CollabConnection {
  const connection = connect({
    url: serverUrl(),
    WebSocketPolyfill: WebSocket,
    broadcastChannel: false,
    maxBackoffTime: 300,
    ...options
  })
  open.push(connection)
  return connection
}

export function closeAll (): void {
  for (const c of open.splice(0)) c.destroy()
}

export function rest (workspace: string, role: 'read' | 'write' | 'admin' = 'admin'): CollabRestClient {
  return new CollabRestClient({ url: serverUrl(), token: token(workspace, role) })
}

/**
 * The REST API lands on another branch (issue 5). Until it is there this fails loudly instead of letting the
 * REST tests pass or skip: every REST test calls it first (in beforeEach, so that each test fails on its own and none is counted as skipped).
 */
let restProbe: Promise<Response> | undefined
export async function requireRestApi (): Promise<void> {
  restProbe ??= fetch(`${serverUrl()}/api/workspaces`, { headers: { Authorization: `Bearer ${token('*', 'admin')}` } })
  const response = await restProbe
  if (response.status === 404) {
    throw new Error(`REST API not present: GET /api/workspaces answered 404 from ${serverUrl()} (the server build has no /api routes)`)
  }
}

/** Likewise for the workspace events hub (issue 5). */
let hubProbe: Promise<Response> | undefined
export async function requireWorkspaceHub (): Promise<void> {
  hubProbe ??= fetch(`${serverUrl()}/hubs/workspace/negotiate?negotiateVersion=1`, {
    method: 'POST', headers: { Authorization: `Bearer ${token('*', 'admin')}` }
  })
  const response = await hubProbe
  if (response.status === 404) {
    throw new Error(`workspace events hub not present: POST /hubs/workspace/negotiate answered 404 from ${serverUrl()}`)
  }
}
