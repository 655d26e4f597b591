// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { createElement, useState } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { flushSync } from 'react-dom'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { CollabRestClient } from '@collab/client'
import { useCollabDocument, usePresence, useSnapshots } from '@collab/client/react'
import { client, closeAll, requireRestApi, serverUrl, token, uniqueNames, waitFor } from './helpers.js'

const roots: Root[] = []
afterEach(() => {
  for (const root of roots.splice(0)) root.unmount()
  document.body.innerHTML = ''
  closeAll()
})

function render (element: React.ReactElement): HTMLElement {
  const container = document.createElement('div')
  document.body.appendChild(container)
  const root = createRoot(container)
  roots.push(root)
  flushSync(() => { root.render(element) })
  return container
}

function Editor ({ workspace, document: name, jwt, user }: { workspace: string, document: string, jwt: string, user: { name: string, color: string } }): React.ReactElement {
  const state = useCollabDocument({ url: serverUrl(), workspace, document: name, token: jwt, WebSocketPolyfill: WebSocket, broadcastChannel: false })
  const presence = usePresence(state?.awareness, user)
  const [, rerender] = useState(0)
  if (state !== null && (state.doc as Y.Doc & { hooked?: boolean }).hooked !== true) {
    (state.doc as Y.Doc & { hooked?: boolean }).hooked = true
    state.doc.getText('t').observe(() => { rerender((n) => n + 1) })
  }
  return createElement('div', null,
    createElement('p', { id: 'status' }, state === null ? 'none' : `${state.status}/${state.synced ? 'synced' : 'syncing'}`),
    createElement('p', { id: 'text' }, state?.doc.getText('t').toString() ?? ''),
    createElement('ul', { id: 'people' }, presence.map((p) =>
      createElement('li', { key: p.clientId, 'data-local': String(p.isLocal) }, String(p.user?.name ?? '?')))))
}

describe('useCollabDocument and usePresence', () => {
  it('connect, sync, render remote edits and list the people present', async () => {
    const { workspace, document: name } = uniqueNames('hooks')
    const view = render(createElement(Editor, { workspace, document: name, jwt: token(workspace), user: { name: 'Ada', color: '#f00' } }))
    const text = (): string => view.querySelector('#text')?.textContent ?? ''
    const people = (): string[] => [...view.querySelectorAll('#people li')].map((li) => li.textContent ?? '')
    await waitFor(() => view.querySelector('#status')?.textContent === 'connected/synced', 'the hook to report connected/synced')
    expect(people()).toEqual(['Ada'])

    const other = client({ workspace, document: name, token: token(workspace) })
    other.awareness.setLocalStateField('user', { name: 'Grace' })
    await other.whenSynced()
    other.doc.getText('t').insert(0, 'from Grace')
    await waitFor(() => text() === 'from Grace', 'the remote edit to render')
    await waitFor(() => people().join(',') === 'Ada,Grace', 'Grace to appear after the local user')

    other.destroy()
    await waitFor(() => people().join(',') === 'Ada', 'Grace to leave')
  })

  it('disconnects when unmounted', async () => {
    const { workspace, document: name } = uniqueNames('unmount')
    const watcher = client({ workspace, document: name, token: token(workspace) })
    await watcher.whenSynced()
    render(createElement(Editor, { workspace, document: name, jwt: token(workspace), user: { name: 'Ada', color: '#f00' } }))
    const named = (): string[] => [...watcher.awareness.getStates().values()].map((s) => (s.user as { name?: string } | undefined)?.name ?? '')
    await waitFor(() => named().includes('Ada'), 'the watcher to see Ada')
    for (const root of roots.splice(0)) root.unmount()
    await waitFor(() => !named().includes('Ada'), 'Ada to leave on unmount')
  })
})

function History ({ api, workspace, document: name }: { api: CollabRestClient, workspace: string, document: string }): React.ReactElement {
  const { snapshots, create, restore, error } = useSnapshots({ rest: api, workspace, document: name })
  return createElement('div', null,
    createElement('button', { id: 'create', onClick: () => { void create('first') } }, 'create'),
    createElement('ul', { id: 'snapshots' }, snapshots.map((s) =>
      createElement('li', { key: s.id }, createElement('button', { onClick: () => { void restore(s.id) } }, s.label)))),
    createElement('p', { id: 'error' }, error?.message ?? ''))
}

describe('useSnapshots', () => {
  it('lists, creates and restores snapshots through the REST API', async () => {
    await requireRestApi()
    const { workspace, document: name } = uniqueNames('usesnapshots')
    const live = client({ workspace, document: name, token: token(workspace) })
    await live.whenSynced()
    live.doc.getText('t').insert(0, 'v1')
    const api = new CollabRestClient({ url: serverUrl(), token: token(workspace, 'write') })
    await waitFor(async () => (await api.getContent(workspace, name, { t: 'text' }).catch(() => ({} as Record<string, unknown>))).t === 'v1', 'v1 stored')
    const view = render(createElement(History, { api, workspace, document: name }))
    const labels = (): string[] => [...view.querySelectorAll('#snapshots li')].map((li) => li.textContent ?? '')
    ;(view.querySelector('#create') as HTMLButtonElement).click()
    await waitFor(() => labels().includes('first'), 'the created snapshot to be listed')
    live.doc.getText('t').insert(2, ' and v2')
    await waitFor(async () => (await api.getContent(workspace, name, { t: 'text' })).t === 'v1 and v2', 'v2 stored')
    ;(view.querySelector('#snapshots li button') as HTMLButtonElement).click()
    await waitFor(() => live.doc.getText('t').toString() === 'v1', 'the restore to reach the live client')
    expect(view.querySelector('#error')?.textContent).toBe('')
  })

  it('shows a document nobody has written yet as having no snapshots, not as an error', async () => {
    await requireRestApi()
    const { workspace, document: name } = uniqueNames('fresh')
    const api = new CollabRestClient({ url: serverUrl(), token: token(workspace, 'write') })
    const view = render(createElement(History, { api, workspace, document: name }))
    await waitFor(() => view.querySelector('#snapshots') !== null, 'the list to render')
    await new Promise((r) => setTimeout(r, 300))
    expect(view.querySelectorAll('#snapshots li')).toHaveLength(0)
    expect(view.querySelector('#error')?.textContent).toBe('')
  })

  it('reports a server without the REST API as an error that says so', async () => {
    const { workspace, document: name } = uniqueNames('norest')
    // a base URL under which nothing is routed stands for a server without /api
    const api = new CollabRestClient({ url: `${serverUrl()}/no-such-prefix`, token: token(workspace, 'write') })
    const view = render(createElement(History, { api, workspace, document: name }))
    await waitFor(() => (view.querySelector('#error')?.textContent ?? '') !== '', 'the error to show')
    expect(view.querySelector('#error')?.textContent).toContain('REST API not present')
  })
})
