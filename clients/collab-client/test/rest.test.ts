import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CollabApiError, CollabRestClient } from '@collab/client'
import { client, closeAll, requireRestApi, rest, serverUrl, token, uniqueNames, waitFor } from './helpers.js'

afterEach(closeAll)

// Fails every test below with "REST API not present" while the server build has no /api routes.
beforeEach(requireRestApi)

async function seeded (prefix: string): Promise<{ workspace: string, document: string, api: CollabRestClient }> {
  const { workspace, document } = uniqueNames(prefix)
  const writer = client({ workspace, document, token: token(workspace) })
  await writer.whenSynced()
  writer.doc.getMap('nodes').set('n1', 'first')
  writer.doc.getText('body').insert(0, 'hello')
  const api = rest(workspace)
  await waitFor(async () => {
    const content = await api.getContent(workspace, document, { nodes: 'map', body: 'text' }).catch(() => null)
    return content !== null && (content.body as string | undefined) === 'hello'
  }, 'the edit to be readable over REST')
  return { workspace, document, api }
}

describe('REST client', () => {
  it('lists workspaces and documents', async () => {
    const { workspace, document, api } = await seeded('list')
    const admin = new CollabRestClient({ url: serverUrl(), token: token('*', 'admin') })
    const workspaces: string[] = []
    let after: string | undefined
    do {
      const page = await admin.listWorkspaces({ after, limit: 1000 })
      workspaces.push(...page.items.map((w) => w.name))
      after = page.next ?? undefined
    } while (after !== undefined)
    expect(workspaces).toContain(workspace)
    const documents = await api.listDocuments(workspace)
    const info = documents.items.find((d) => d.name === document)
    expect(info).toBeDefined()
    expect(info!.size).toBeGreaterThan(0)
    expect(info!.lastSeq).toBeGreaterThan(0)
    expect(info!.connectedClients).toBe(1)
  })

  it('reads a document as JSON', async () => {
    const { workspace, document, api } = await seeded('json')
    expect(await api.getContent(workspace, document, { nodes: 'map', body: 'text' })).toEqual({ nodes: { n1: 'first' }, body: 'hello' })
  })

  it('reads the state as an update, and only the missing part against a state vector', async () => {
    const { workspace, document, api } = await seeded('update')
    const copy = new Y.Doc()
    Y.applyUpdate(copy, await api.getUpdate(workspace, document))
    expect(copy.getText('body').toString()).toBe('hello')
    const v2 = new Y.Doc()
    Y.applyUpdateV2(v2, await api.getUpdate(workspace, document, { format: 'v2' }))
    expect(v2.getMap('nodes').get('n1')).toBe('first')
    const diff = await api.getUpdate(workspace, document, { stateVector: Y.encodeStateVector(copy) })
    const before = Y.encodeStateAsUpdate(copy)
    Y.applyUpdate(copy, diff)
    expect(Y.encodeStateAsUpdate(copy)).toEqual(before)
  })

  it('posts an update that connected clients receive', async () => {
    const { workspace, document } = uniqueNames('post')
    const reader = client({ workspace, document, token: token(workspace) })
    await reader.whenSynced()
    const source = new Y.Doc()
    source.getText('body').insert(0, 'over REST')
    const { seq } = await rest(workspace, 'write').postUpdate(workspace, document, Y.encodeStateAsUpdate(source))
    expect(seq).toBeGreaterThan(0)
    await waitFor(() => reader.doc.getText('body').toString() === 'over REST', 'the connected client to receive the posted update')
  })

  it('pages through the history and long-polls the change feed', async () => {
    const { workspace, document, api } = await seeded('history')
    const history = await api.history(workspace, document, { limit: 1000 })
    expect(history.items.length).toBeGreaterThan(0)
    const lastSeq = Math.max(...history.items.map((h) => h.seq))
    // the contract says the connection's user (sub); the server may add a connection tag after it
    expect(history.items[0]!.origin).toMatch(/^tester\b/)

    const waiting = api.changes(workspace, document, { since: lastSeq, timeout: 20 })
    const source = new Y.Doc()
    source.getMap('nodes').set('n2', 'second')
    await rest(workspace, 'write').postUpdate(workspace, document, Y.encodeStateAsUpdate(source))
    const changes = await waiting
    expect(changes.updates.length).toBeGreaterThan(0)
    expect(changes.updates[0]!.seq).toBeGreaterThan(lastSeq)
    expect(changes.updates[0]!.origin).toMatch(/^rest:tester\b/)
    const replay = new Y.Doc()
    Y.applyUpdate(replay, changes.updates[0]!.update)
    expect(replay.getMap('nodes').get('n2')).toBe('second')

    const empty = await api.changes(workspace, document, { since: changes.lastSeq, timeout: 0 })
    expect(empty.updates).toEqual([])
  })

  it('creates, lists, reads and restores snapshots', async () => {
    const { workspace, document, api } = await seeded('snapshots')
    const snapshot = await api.createSnapshot(workspace, document, 'before the rewrite')
    expect(snapshot.label).toBe('before the rewrite')
    expect(snapshot.author).toBe('tester')
    const listed = await api.listSnapshots(workspace, document)
    expect(listed.items.map((s) => s.id)).toContain(snapshot.id)
    const read = await api.getSnapshot(workspace, document, snapshot.id, { body: 'text', nodes: 'map' })
    expect(read.content).toEqual({ nodes: { n1: 'first' }, body: 'hello' })

    const live = client({ workspace, document, token: token(workspace) })
    await live.whenSynced()
    live.doc.getText('body').insert(5, ' world')
    live.doc.getMap('nodes').delete('n1')
    await waitFor(async () => (await api.getContent(workspace, document, { body: 'text' })).body === 'hello world', 'the rewrite to be stored')

    const restored = await api.restoreSnapshot(workspace, document, snapshot.id)
    expect(restored.snapshotId).toBe(snapshot.id)
    await waitFor(() => live.doc.getText('body').toString() === 'hello' && live.doc.getMap('nodes').get('n1') === 'first',
      'the connected client to see the restored content')
  })

  it('deletes a document (admin) and reports what was wrong on errors', async () => {
    const { workspace, document, api } = await seeded('delete')
    const reader = rest(workspace, 'read')
    const denied = await reader.deleteDocument(workspace, document).catch((e: unknown) => e)
    expect(denied).toBeInstanceOf(CollabApiError)
    expect((denied as CollabApiError).status).toBe(403)
    expect((denied as CollabApiError).problem?.detail).toBeTruthy()

    await api.deleteDocument(workspace, document)
    const missing = await api.getContent(workspace, document).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(CollabApiError)
    expect((missing as CollabApiError).status).toBe(404)

    const anonymous = new CollabRestClient({ url: serverUrl() })
    const unauthorized = await anonymous.listDocuments(workspace).catch((e: unknown) => e)
    expect((unauthorized as CollabApiError).status).toBe(401)
  })
})
