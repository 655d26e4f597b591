import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import { providerAddress } from './urls.js'

export interface ConnectOptions {
  /** The server's base URL, `http(s)://` or `ws(s)://` (e.g. `http://localhost:5000`). */
  url: string
  workspace: string
  document: string
  /** A JWT when the server has auth on; sent as `?token=` (browsers cannot set WebSocket headers). */
  token?: string
  /** Use this Y.Doc instead of a new one. */
  doc?: Y.Doc
  /** A WebSocket implementation for runtimes without a global one (Node < 22: pass the `ws` package). */
  WebSocketPolyfill?: unknown
  /** Start connecting at once (default true). */
  connect?: boolean
  /**
   * Let tabs of one browser sync through a BroadcastChannel as well as through the server (y-websocket's
   * default, true). Off, every change goes through the server, which is what tests want.
   */
  broadcastChannel?: boolean
  /** Longest wait between reconnection attempts, in ms (y-websocket's default is 2500). */
  maxBackoffTime?: number
}

export interface CollabConnection {
  doc: Y.Doc
  provider: WebsocketProvider
  awareness: Awareness
  /** Resolves once the first sync with the server completed (at once if it already has). */
  whenSynced: () => Promise<void>
  /** Closes the connection, removes this client's awareness state and, if the doc was created here, destroys it. */
  destroy: () => void
}

/** Opens a document through the unmodified y-websocket provider. */
export function connect (options: ConnectOptions): CollabConnection {
  const ownsDoc = options.doc === undefined
  const doc = options.doc ?? new Y.Doc()
  const { serverUrl, room } = providerAddress(options.url, options.workspace, options.document)
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    connect: options.connect ?? true,
    params: options.token !== undefined ? { token: options.token } : {},
    // y-websocket types the polyfill as `typeof WebSocket`; ws's class is compatible at run time.
    WebSocketPolyfill: options.WebSocketPolyfill as typeof WebSocket | undefined,
    disableBc: options.broadcastChannel === false,
    maxBackoffTime: options.maxBackoffTime
  })
  const whenSynced = (): Promise<void> => provider.synced
    ? Promise.resolve()
    : new Promise((resolve) => {
      const onSync = (synced: boolean): void => {
        if (synced) {
          provider.off('sync', onSync)
          resolve()
        }
      }
      provider.on('sync', onSync)
    })
  let destroyed = false
  return {
    doc,
    provider,
    awareness: provider.awareness,
    whenSynced,
    destroy: () => {
      if (destroyed) return
      destroyed = true
      provider.destroy()
      if (ownsDoc) doc.destroy()
    }
  }
}
