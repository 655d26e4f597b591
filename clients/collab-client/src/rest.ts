import { fromBase64Url, toBase64Url } from './base64url.js'
import { CollabApiError, type ProblemDetails } from './errors.js'
import type {
  Changes, DocumentInfo, HistoryEntry, Page, PageOptions, RestoreResult, RootTypes, Snapshot,
  SnapshotWithContent, UpdateFormat, WorkspaceInfo
} from './types.js'
import { toHttpUrl } from './urls.js'

export type TokenSource = string | (() => string | undefined | Promise<string | undefined>)

export interface RestClientOptions {
  /** The server's base URL, `http(s)://` or `ws(s)://`. */
  url: string
  /** A JWT (or a function returning the current one) sent as `Authorization: Bearer`. */
  token?: TokenSource
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch
}

/** A typed client for Collab's REST API (`/api/...`). Every error status becomes a {@link CollabApiError}. */
export class CollabRestClient {
  private readonly base: string
  private readonly token: TokenSource | undefined
  private readonly fetchImpl: typeof fetch

  constructor (options: RestClientOptions) {
    this.base = toHttpUrl(options.url)
    this.token = options.token
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis)
  }

  /** The calls of one document, with its names bound. */
  document (workspace: string, document: string): DocumentApi {
    return new DocumentApi(this, workspace, document)
  }

  listWorkspaces (page?: PageOptions): Promise<Page<WorkspaceInfo>> {
    return this.json('GET', '/api/workspaces', pageQuery(page))
  }

  listDocuments (workspace: string, page?: PageOptions): Promise<Page<DocumentInfo>> {
    return this.json('GET', `/api/workspaces/${seg(workspace)}/documents`, pageQuery(page))
  }

  /** The document as JSON (yjs `toJSON` of each root); `types` names roots the server cannot infer. */
  getContent (workspace: string, document: string, types?: RootTypes): Promise<Record<string, unknown>> {
    return this.json('GET', docPath(workspace, document), typesQuery(types))
  }

  /** The document's state as one update, or only what is missing beside `stateVector`. */
  async getUpdate (workspace: string, document: string, options: { format?: UpdateFormat, stateVector?: Uint8Array } = {}): Promise<Uint8Array> {
    const query: Record<string, string | undefined> = {
      format: options.format,
      stateVector: options.stateVector !== undefined ? toBase64Url(options.stateVector) : undefined
    }
    const response = await this.send('GET', `${docPath(workspace, document)}/update`, query)
    return new Uint8Array(await response.arrayBuffer())
  }

  /** Applies an update (durably, broadcast to connected clients); creates the document if needed. */
  postUpdate (workspace: string, document: string, update: Uint8Array, options: { format?: UpdateFormat } = {}): Promise<{ seq: number }> {
    return this.json('POST', `${docPath(workspace, document)}/update`, { format: options.format }, {
      body: update, contentType: 'application/octet-stream'
    })
  }

  /** Deletes the document and closes its connections (admin). */
  async deleteDocument (workspace: string, document: string): Promise<void> {
    await this.send('DELETE', docPath(workspace, document))
  }

  history (workspace: string, document: string, options: { after?: number, limit?: number } = {}): Promise<Page<HistoryEntry>> {
    return this.json('GET', `${docPath(workspace, document)}/history`, {
      after: options.after?.toString(), limit: options.limit?.toString()
    })
  }

  /** The change feed: updates after `since`, waiting up to `timeout` seconds (0..60) when there are none yet. */
  async changes (workspace: string, document: string, options: { since?: number, timeout?: number, format?: UpdateFormat, signal?: AbortSignal } = {}): Promise<Changes> {
    const raw = await this.json<{ lastSeq: number, updates: Array<{ seq: number, time: string, origin: string | null, update: string }> }>(
      'GET', `${docPath(workspace, document)}/changes`, {
        since: options.since?.toString(), timeout: options.timeout?.toString(), format: options.format
      }, { signal: options.signal })
    return {
      lastSeq: raw.lastSeq,
      updates: raw.updates.map((u) => ({ seq: u.seq, time: u.time, origin: u.origin, update: fromBase64Url(u.update) }))
    }
  }

  createSnapshot (workspace: string, document: string, label: string): Promise<Snapshot> {
    return this.json('POST', `${docPath(workspace, document)}/snapshots`, {}, {
      body: JSON.stringify({ label }), contentType: 'application/json'
    })
  }

  listSnapshots (workspace: string, document: string): Promise<{ items: Snapshot[] }> {
    return this.json('GET', `${docPath(workspace, document)}/snapshots`)
  }

  getSnapshot (workspace: string, document: string, id: string, types?: RootTypes): Promise<SnapshotWithContent> {
    return this.json('GET', `${docPath(workspace, document)}/snapshots/${seg(id)}`, typesQuery(types))
  }

  /** Makes the document's content that of the snapshot again (as a new update every client receives). */
  restoreSnapshot (workspace: string, document: string, id: string): Promise<RestoreResult> {
    return this.json('POST', `${docPath(workspace, document)}/snapshots/${seg(id)}/restore`)
  }

  private async json<T> (method: string, path: string, query?: Record<string, string | undefined>, body?: RequestBody): Promise<T> {
    const response = await this.send(method, path, query, body)
    return await response.json() as T
  }

  private async send (method: string, path: string, query?: Record<string, string | undefined>, body?: RequestBody): Promise<Response> {
    const headers: Record<string, string> = {}
    const token = typeof this.token === 'function' ? await this.token() : this.token
    if (token !== undefined && token !== '') headers.Authorization = `Bearer ${token}`
    if (body?.contentType !== undefined) headers['Content-Type'] = body.contentType
    const response = await this.fetchImpl(this.base + path + queryString(query), {
      method, headers, body: body?.body as BodyInit | undefined, signal: body?.signal
    })
    if (!response.ok) {
      const text = await response.text()
      let problem: ProblemDetails | null = null
      if ((response.headers.get('content-type') ?? '').includes('json')) {
        try { problem = JSON.parse(text) as ProblemDetails } catch { problem = null }
      }
      throw new CollabApiError(method, path, response.status, problem, text)
    }
    return response
  }
}

/** One document's REST calls. */
export class DocumentApi {
  constructor (readonly client: CollabRestClient, readonly workspace: string, readonly name: string) {}
  getContent (types?: RootTypes): Promise<Record<string, unknown>> { return this.client.getContent(this.workspace, this.name, types) }
  getUpdate (options?: { format?: UpdateFormat, stateVector?: Uint8Array }): Promise<Uint8Array> { return this.client.getUpdate(this.workspace, this.name, options) }
  postUpdate (update: Uint8Array, options?: { format?: UpdateFormat }): Promise<{ seq: number }> { return this.client.postUpdate(this.workspace, this.name, update, options) }
  delete (): Promise<void> { return this.client.deleteDocument(this.workspace, this.name) }
  history (options?: { after?: number, limit?: number }): Promise<Page<HistoryEntry>> { return this.client.history(this.workspace, this.name, options) }
  changes (options?: { since?: number, timeout?: number, format?: UpdateFormat, signal?: AbortSignal }): Promise<Changes> { return this.client.changes(this.workspace, this.name, options) }
  createSnapshot (label: string): Promise<Snapshot> { return this.client.createSnapshot(this.workspace, this.name, label) }
  listSnapshots (): Promise<{ items: Snapshot[] }> { return this.client.listSnapshots(this.workspace, this.name) }
  getSnapshot (id: string, types?: RootTypes): Promise<SnapshotWithContent> { return this.client.getSnapshot(this.workspace, this.name, id, types) }
  restoreSnapshot (id: string): Promise<RestoreResult> { return this.client.restoreSnapshot(this.workspace, this.name, id) }
}

interface RequestBody {
  body?: Uint8Array | string
  contentType?: string
  signal?: AbortSignal
}

function seg (name: string): string {
  return encodeURIComponent(name)
}

function docPath (workspace: string, document: string): string {
  return `/api/workspaces/${seg(workspace)}/documents/${seg(document)}`
}

function pageQuery (page?: PageOptions): Record<string, string | undefined> {
  return { after: page?.after, limit: page?.limit?.toString() }
}

function typesQuery (types?: RootTypes): Record<string, string | undefined> {
  if (types === undefined) return {}
  return { types: Object.entries(types).map(([name, type]) => `${name}:${type}`).join(',') }
}

function queryString (query?: Record<string, string | undefined>): string {
  if (query === undefined) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, value)
  }
  const text = params.toString()
  return text.length > 0 ? `?${text}` : ''
}
