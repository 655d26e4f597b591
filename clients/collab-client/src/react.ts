// React bindings. A separate entry point (`@collab/client/react`) so that non-React users do not pull React.
import { useCallback, useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { WebsocketProvider } from 'y-websocket'
import { connect, type ConnectOptions } from './connect.js'
import type { WorkspaceEvents } from './events.js'
import type { CollabRestClient } from './rest.js'
import { CollabApiError } from './errors.js'
import type { Snapshot } from './types.js'

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected'

export interface CollabDocumentState {
  doc: Y.Doc
  provider: WebsocketProvider
  awareness: Awareness
  status: ConnectionStatus
  /** True once the first sync with the server completed. */
  synced: boolean
}

/**
 * Connects to a document for as long as the component is mounted (or until url, workspace, document or
 * token change); returns null until the connection object exists, i.e. during the first render.
 */
export function useCollabDocument (options: ConnectOptions | null): CollabDocumentState | null {
  const [state, setState] = useState<CollabDocumentState | null>(null)
  const optionsRef = useRef(options)
  optionsRef.current = options
  const key = options === null ? null : JSON.stringify([options.url, options.workspace, options.document, options.token ?? null])

  useEffect(() => {
    const current = optionsRef.current
    if (key === null || current === null) {
      setState(null)
      return
    }
    const connection = connect(current)
    const { provider } = connection
    let status: ConnectionStatus = provider.wsconnected ? 'connected' : 'connecting'
    let synced = provider.synced
    const publish = (): void => { setState({ doc: connection.doc, provider, awareness: connection.awareness, status, synced }) }
    const onStatus = (event: { status: ConnectionStatus }): void => { status = event.status; publish() }
    const onSync = (isSynced: boolean): void => { synced = isSynced; publish() }
    provider.on('status', onStatus)
    provider.on('sync', onSync)
    publish()
    return () => {
      provider.off('status', onStatus)
      provider.off('sync', onSync)
      connection.destroy()
    }
  }, [key])

  return state
}

export interface PresenceEntry<U = Record<string, unknown>> {
  clientId: number
  /** The awareness state's `user` field (name, color, ...), or null when the client has not set one. */
  user: U | null
  /** The whole awareness state (pointer, selection, ...). */
  state: Record<string, unknown>
  isLocal: boolean
}

/**
 * Every client's awareness state, re-rendered on each awareness change; when `localUser` is given it is set
 * as this client's `user` field.
 */
export function usePresence<U extends object = Record<string, unknown>> (
  awareness: Awareness | null | undefined, localUser?: U): Array<PresenceEntry<U>> {
  const [entries, setEntries] = useState<Array<PresenceEntry<U>>>([])
  const userKey = localUser === undefined ? undefined : JSON.stringify(localUser)

  useEffect(() => {
    if (awareness == null || userKey === undefined) return
    awareness.setLocalStateField('user', JSON.parse(userKey) as U)
  }, [awareness, userKey])

  useEffect(() => {
    if (awareness == null) {
      setEntries([])
      return
    }
    const read = (): void => {
      const list: Array<PresenceEntry<U>> = []
      awareness.getStates().forEach((state, clientId) => {
        list.push({
          clientId,
          user: (state.user as U | undefined) ?? null,
          state,
          isLocal: clientId === awareness.clientID
        })
      })
      list.sort((a, b) => Number(b.isLocal) - Number(a.isLocal) || a.clientId - b.clientId)
      setEntries(list)
    }
    read()
    awareness.on('change', read)
    return () => { awareness.off('change', read) }
  }, [awareness])

  return entries
}

export interface SnapshotsState {
  snapshots: Snapshot[]
  loading: boolean
  /** The last error (loading, creating or restoring), with the server's explanation. */
  error: Error | null
  refresh: () => Promise<void>
  create: (label: string) => Promise<Snapshot | null>
  restore: (id: string) => Promise<boolean>
}

export interface UseSnapshotsOptions {
  rest: CollabRestClient
  workspace: string
  document: string
  /** When given, the list refreshes on SnapshotCreated and DocumentRestored events for this document. */
  events?: WorkspaceEvents | null
  /** Also refresh this often, in ms (0 = never; default 0). For pages without the events hub. */
  pollInterval?: number
}

/** A document's snapshots through the REST API: list (newest first), create, restore. */
export function useSnapshots (options: UseSnapshotsOptions): SnapshotsState {
  const { rest, workspace, document, events, pollInterval = 0 } = options
  const [snapshots, setSnapshots] = useState<Snapshot[]>([])
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<Error | null>(null)
  const generation = useRef(0)

  const refresh = useCallback(async () => {
    const mine = ++generation.current
    setLoading(true)
    try {
      const { items } = await rest.listSnapshots(workspace, document).catch((e: unknown) => {
        // a document nobody has written yet has no snapshots (the server answers 404 with a problem document;
        // a 404 without one means the server has no REST API, which stays an error)
        if (e instanceof CollabApiError && e.status === 404 && e.problem !== null) return { items: [] }
        throw e
      })
      if (mine !== generation.current) return
      setSnapshots([...items].sort((a, b) => b.seq - a.seq || b.createdAt.localeCompare(a.createdAt)))
      setError(null)
    } catch (e) {
      if (mine === generation.current) setError(e as Error)
    } finally {
      if (mine === generation.current) setLoading(false)
    }
  }, [rest, workspace, document])

  useEffect(() => { void refresh() }, [refresh])

  useEffect(() => {
    if (events == null) return
    const mine = (e: { workspace: string, document: string }): boolean => e.workspace === workspace && e.document === document
    const offCreated = events.on('SnapshotCreated', (e) => { if (mine(e)) void refresh() })
    const offRestored = events.on('DocumentRestored', (e) => { if (mine(e)) void refresh() })
    return () => { offCreated(); offRestored() }
  }, [events, workspace, document, refresh])

  useEffect(() => {
    if (pollInterval <= 0) return
    const timer = setInterval(() => { void refresh() }, pollInterval)
    return () => { clearInterval(timer) }
  }, [pollInterval, refresh])

  const create = useCallback(async (label: string) => {
    try {
      const snapshot = await rest.createSnapshot(workspace, document, label)
      await refresh()
      return snapshot
    } catch (e) {
      setError(e as Error)
      return null
    }
  }, [rest, workspace, document, refresh])

  const restore = useCallback(async (id: string) => {
    try {
      await rest.restoreSnapshot(workspace, document, id)
      setError(null)
      return true
    } catch (e) {
      setError(e as Error)
      return false
    }
  }, [rest, workspace, document])

  return { snapshots, loading, error, refresh, create, restore }
}
