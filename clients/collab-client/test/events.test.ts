import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { WorkspaceEvents, type WorkspaceEventMap, type WorkspaceEventName } from '@collab/client'
import { client, closeAll, requireRestApi, requireWorkspaceHub, rest, serverUrl, token, uniqueNames, waitFor } from './helpers.js'

// Fails every test below with "workspace events hub not present" while the server build has no hub.
beforeEach(requireWorkspaceHub)
afterEach(closeAll)

const hubs: WorkspaceEvents[] = []
afterAll(async () => { await Promise.all(hubs.map((h) => h.stop())) })

function record (events: WorkspaceEvents): Array<{ name: WorkspaceEventName, event: WorkspaceEventMap[WorkspaceEventName] }> {
  const seen: Array<{ name: WorkspaceEventName, event: WorkspaceEventMap[WorkspaceEventName] }> = []
  for (const name of ['PresenceChanged', 'DocumentChanged', 'SnapshotCreated', 'DocumentRestored'] as const) {
    events.on(name, (event) => { seen.push({ name, event }) })
  }
  return seen
}

describe('workspace events', () => {
  it('reports presence and document changes in a joined workspace', async () => {
    const { workspace, document } = uniqueNames('events')
    const events = new WorkspaceEvents({ url: serverUrl(), token: token(workspace, 'read') })
    hubs.push(events)
    const seen = record(events)
    await events.join(workspace)

    const editor = client({ workspace, document, token: token(workspace) })
    await editor.whenSynced()
    editor.awareness.setLocalStateField('user', { name: 'Ada' })
    await waitFor(() => seen.some((s) => s.name === 'PresenceChanged' &&
      (s.event as WorkspaceEventMap['PresenceChanged']).users.some((u) => u.user?.name === 'Ada')), 'PresenceChanged with Ada')
    editor.doc.getText('t').insert(0, 'x')
    await waitFor(() => seen.some((s) => s.name === 'DocumentChanged' && (s.event as WorkspaceEventMap['DocumentChanged']).document === document),
      'DocumentChanged')
    const changed = seen.find((s) => s.name === 'DocumentChanged')!.event as WorkspaceEventMap['DocumentChanged']
    expect(changed.workspace).toBe(workspace)
    expect(changed.lastSeq).toBeGreaterThan(0)
  })

  it('reports snapshots and restores', async () => {
    await requireRestApi() // snapshots are taken and restored over REST
    const { workspace, document } = uniqueNames('snapevents')
    const events = new WorkspaceEvents({ url: serverUrl(), token: () => token(workspace, 'read') })
    hubs.push(events)
    const seen = record(events)
    await events.join(workspace)
    const api = rest(workspace, 'write')
    const source = new Y.Doc()
    source.getText('t').insert(0, 'v1')
    await api.postUpdate(workspace, document, Y.encodeStateAsUpdate(source))
    const snapshot = await api.createSnapshot(workspace, document, 'v1')
    await waitFor(() => seen.some((s) => s.name === 'SnapshotCreated' && (s.event as WorkspaceEventMap['SnapshotCreated']).snapshot.id === snapshot.id),
      'SnapshotCreated')
    await api.restoreSnapshot(workspace, document, snapshot.id)
    await waitFor(() => seen.some((s) => s.name === 'DocumentRestored' && (s.event as WorkspaceEventMap['DocumentRestored']).snapshotId === snapshot.id),
      'DocumentRestored')
  })

  it('does not deliver another workspace\'s events, and refuses to join a workspace the token does not cover', async () => {
    const mine = uniqueNames('mine')
    const theirs = uniqueNames('theirs')
    const events = new WorkspaceEvents({ url: serverUrl(), token: token(mine.workspace, 'read') })
    hubs.push(events)
    const seen = record(events)
    await events.join(mine.workspace)
    await expect(events.join(theirs.workspace)).rejects.toThrow()

    const other = client({ ...theirs, token: token(theirs.workspace) })
    await other.whenSynced()
    other.doc.getText('t').insert(0, 'elsewhere')
    const own = client({ ...mine, token: token(mine.workspace) })
    await own.whenSynced()
    own.doc.getText('t').insert(0, 'here')
    await waitFor(() => seen.some((s) => s.name === 'DocumentChanged'), 'the own workspace\'s DocumentChanged')
    await new Promise((r) => setTimeout(r, 500))
    expect(seen.every((s) => (s.event as { workspace: string }).workspace === mine.workspace)).toBe(true)
    expect(seen.some((s) => s.name === 'DocumentChanged')).toBe(true)
  })
})
