import * as signalR from '@microsoft/signalr'
import type { TokenSource } from './rest.js'
import type { WorkspaceEventMap } from './types.js'
import { toHttpUrl } from './urls.js'

export type WorkspaceEventName = keyof WorkspaceEventMap
type Handler<K extends WorkspaceEventName> = (event: WorkspaceEventMap[K]) => void

export interface WorkspaceEventsOptions {
  /** The server's base URL, `http(s)://` or `ws(s)://`. */
  url: string
  /** A JWT (or a function returning the current one), sent as SignalR's access token. */
  token?: TokenSource
  /** SignalR's log level (default: warnings). */
  logLevel?: signalR.LogLevel
}

export const workspaceEventNames: readonly WorkspaceEventName[] = ['PresenceChanged', 'DocumentChanged', 'SnapshotCreated', 'DocumentRestored']

/**
 * Workspace events from the `/hubs/workspace` SignalR hub. Joined workspaces are joined again after an
 * automatic reconnect, because the hub forgets a connection's groups when the connection drops.
 */
export class WorkspaceEvents {
  readonly connection: signalR.HubConnection
  private readonly joined = new Set<string>()
  private readonly handlers = new Map<WorkspaceEventName, Set<Handler<WorkspaceEventName>>>()
  private starting: Promise<void> | null = null

  constructor (options: WorkspaceEventsOptions) {
    const token = options.token
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl(`${toHttpUrl(options.url)}/hubs/workspace`, token === undefined
        ? {}
        : { accessTokenFactory: async () => (typeof token === 'function' ? await token() : token) ?? '' })
      .withAutomaticReconnect()
      .configureLogging(options.logLevel ?? signalR.LogLevel.Warning)
      .build()
    for (const name of workspaceEventNames) {
      this.connection.on(name, (event: WorkspaceEventMap[typeof name]) => {
        for (const handler of this.handlers.get(name) ?? []) handler(event)
      })
    }
    this.connection.onreconnected(async () => {
      for (const workspace of this.joined) await this.connection.invoke('Join', workspace)
    })
  }

  /** Starts the connection (once) and joins the workspace; rejects if the token does not cover it. */
  async join (workspace: string): Promise<void> {
    await this.start()
    await this.connection.invoke('Join', workspace)
    this.joined.add(workspace)
  }

  async leave (workspace: string): Promise<void> {
    this.joined.delete(workspace)
    if (this.connection.state === signalR.HubConnectionState.Connected) {
      await this.connection.invoke('Leave', workspace)
    }
  }

  /** Subscribes to one event kind; returns the unsubscribe function. */
  on<K extends WorkspaceEventName> (name: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(name)
    if (set === undefined) {
      set = new Set()
      this.handlers.set(name, set)
    }
    set.add(handler as Handler<WorkspaceEventName>)
    return () => { set.delete(handler as Handler<WorkspaceEventName>) }
  }

  async stop (): Promise<void> {
    this.joined.clear()
    await this.starting?.catch(() => undefined)
    await this.connection.stop()
  }

  private start (): Promise<void> {
    if (this.starting === null) {
      this.starting = this.connection.start()
      // a failed start may be retried by the next join
      this.starting.catch(() => { this.starting = null })
    }
    return this.starting
  }
}
