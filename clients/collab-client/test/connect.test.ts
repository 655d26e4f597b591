import { afterEach, describe, expect, it } from 'vitest'
import { providerAddress, toHttpUrl, toWebSocketUrl } from '@collab/client'
import { client, closeAll, token, uniqueNames, waitFor } from './helpers.js'

afterEach(closeAll)

describe('addresses', () => {
  it('turns either scheme into the other and drops trailing slashes', () => {
    expect(toWebSocketUrl('http://h:1/')).toBe('ws://h:1')
    expect(toWebSocketUrl('https://h')).toBe('wss://h')
    expect(toHttpUrl('wss://h/base/')).toBe('https://h/base')
    expect(toHttpUrl('ws://h:2')).toBe('http://h:2')
  })

  it('puts the workspace in the provider URL and the document in the room, each percent-encoded', () => {
    expect(providerAddress('http://h:1', 'a b', 'c/d')).toEqual({ serverUrl: 'ws://h:1/ws/a%20b', room: 'c%2Fd' })
  })
})

describe('connect', () => {
  it('syncs edits between two clients of one document through the server', async () => {
    const { workspace, document } = uniqueNames('sync')
    const a = client({ workspace, document, token: token(workspace) })
    await a.whenSynced()
    a.doc.getMap('m').set('from', 'a')
    const b = client({ workspace, document, token: token(workspace) })
    await b.whenSynced()
    await waitFor(() => b.doc.getMap('m').get('from') === 'a', 'b to receive a\'s edit made before it joined')
    b.doc.getText('t').insert(0, 'hello')
    await waitFor(() => a.doc.getText('t').toString() === 'hello', 'a to receive b\'s live edit')
  })

  it('keeps documents with names that need encoding apart', async () => {
    const { workspace } = uniqueNames('names')
    const t = token(workspace)
    const one = client({ workspace, document: 'plans/2026 ä?x', token: t })
    const other = client({ workspace, document: 'plans', token: t })
    const oneAgain = client({ workspace, document: 'plans/2026 ä?x', token: t })
    await Promise.all([one.whenSynced(), other.whenSynced(), oneAgain.whenSynced()])
    one.doc.getMap('m').set('k', 1)
    await waitFor(() => oneAgain.doc.getMap('m').get('k') === 1, 'the same name to share the edit')
    // the edit reached oneAgain through the server; give a stray one the same time to reach `other`
    await new Promise((r) => setTimeout(r, 300))
    expect(other.doc.getMap('m').get('k')).toBeUndefined()
  })

  it('shares awareness states and removes a client\'s state when it is destroyed', async () => {
    const { workspace, document } = uniqueNames('awareness')
    const a = client({ workspace, document, token: token(workspace) })
    const b = client({ workspace, document, token: token(workspace) })
    await Promise.all([a.whenSynced(), b.whenSynced()])
    a.awareness.setLocalStateField('user', { name: 'Ada', color: '#f783ac' })
    await waitFor(() => (b.awareness.getStates().get(a.awareness.clientID)?.user as { name?: string } | undefined)?.name === 'Ada',
      'b to see Ada')
    a.destroy()
    await waitFor(() => !b.awareness.getStates().has(a.doc.clientID), 'b to drop Ada\'s state after destroy')
  })

  it('is refused without a token, or with one for another workspace, and never syncs', async () => {
    const { workspace, document } = uniqueNames('auth')
    const refused = new Set<string>()
    const anonymous = client({ workspace, document })
    const stranger = client({ workspace, document, token: token('some-other-workspace') })
    for (const [name, c] of [['anonymous', anonymous], ['stranger', stranger]] as const) {
      c.provider.on('connection-close', () => { refused.add(name) })
      c.provider.on('connection-error', () => { refused.add(name) })
    }
    await waitFor(() => refused.size === 2, 'both refused connections to close')
    expect(anonymous.provider.synced).toBe(false)
    expect(stranger.provider.synced).toBe(false)
  })

  it('uses the Y.Doc it is given and leaves it alive on destroy', async () => {
    const { workspace, document } = uniqueNames('owndoc')
    const { Doc } = await import('yjs')
    const doc = new Doc()
    doc.getMap('m').set('offline', true)
    const a = client({ workspace, document, token: token(workspace), doc })
    expect(a.doc).toBe(doc)
    await a.whenSynced()
    const b = client({ workspace, document, token: token(workspace) })
    await waitFor(() => b.doc.getMap('m').get('offline') === true, 'the offline edit to reach the server')
    a.destroy()
    doc.getMap('m').set('after', 1)
    expect(doc.getMap('m').get('after')).toBe(1)
  })
})
