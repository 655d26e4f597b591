// The shapes of Collab's REST API and workspace events, as the API contract (issue 5) defines them.

export interface Page<T> {
  items: T[]
  /** The cursor of the next page, or null on the last. */
  next: string | null
}

export interface PageOptions {
  after?: string
  /** Server default 100, max 1000. */
  limit?: number
}

export interface WorkspaceInfo {
  name: string
}

export interface DocumentInfo {
  name: string
  size: number
  updatedAt: string
  lastSeq: number
  connectedClients: number
}

export interface HistoryEntry {
  seq: number
  time: string
  size: number
  /** A connection's user (sub), `rest:<sub>`, `restore:<snapshotId>:<sub>`, or null. */
  origin: string | null
}

export interface ChangeEntry {
  seq: number
  time: string
  origin: string | null
  /** The update, decoded from the wire's base64url. */
  update: Uint8Array
}

export interface Changes {
  lastSeq: number
  updates: ChangeEntry[]
}

export interface Snapshot {
  id: string
  label: string
  author: string | null
  seq: number
  createdAt: string
  size: number
}

export interface SnapshotWithContent extends Snapshot {
  content: Record<string, unknown>
}

export interface RestoreResult {
  seq: number
  snapshotId: string
}

export type UpdateFormat = 'v1' | 'v2'

/** How the server should read root types it cannot infer: `{ nodes: 'map', body: 'text' }` → `?types=nodes:map,body:text`. */
export type RootTypes = Record<string, 'text' | 'map' | 'array' | 'xml' | (string & {})>

export interface PresenceUser {
  clientId: number
  /** The awareness state's `user` field, or null. */
  user: Record<string, unknown> | null
}

export interface PresenceChanged {
  workspace: string
  document: string
  users: PresenceUser[]
}

export interface DocumentChanged {
  workspace: string
  document: string
  size: number
  lastSeq: number
  by: string | null
}

export interface SnapshotCreated {
  workspace: string
  document: string
  snapshot: Snapshot
}

export interface DocumentRestored {
  workspace: string
  document: string
  snapshotId: string
  seq: number
  by: string | null
}

export interface WorkspaceEventMap {
  PresenceChanged: PresenceChanged
  DocumentChanged: DocumentChanged
  SnapshotCreated: SnapshotCreated
  DocumentRestored: DocumentRestored
}
