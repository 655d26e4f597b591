import { useEffect, useMemo, useState } from 'react'
import { useCollabDocument, usePresence } from '@collab/client/react'
import { CollabPipeline } from '@collab/pipeline-embed'
import { colorFor, palette } from '@collab/pipeline-embed/presence'
import { TextEditor } from './TextEditor.js'

const query = new URLSearchParams(window.location.search)
const workspace = query.get('workspace') ?? 'demo'
const documentName = query.get('doc') ?? 'welcome'
const token = query.get('token') ?? undefined

function initialUser (): { name: string, color: string } {
  const seed = Math.floor(Math.random() * 1000)
  return {
    name: query.get('name') ?? localStorage.getItem('collab-demo-name') ?? `Guest ${seed}`,
    color: query.get('color') ?? localStorage.getItem('collab-demo-color') ?? colorFor(seed)
  }
}

export function App (): React.ReactElement {
  const [user, setUser] = useState(initialUser)
  useEffect(() => {
    localStorage.setItem('collab-demo-name', user.name)
    localStorage.setItem('collab-demo-color', user.color)
  }, [user])

  const connection = useCollabDocument({ url: window.location.origin, workspace, document: documentName, token })
  const shared = useMemo(() => connection === null ? undefined : { doc: connection.doc, awareness: connection.awareness },
    [connection?.doc, connection?.awareness])
  const people = usePresence(connection?.awareness, user)

  return (
    <div className='demo'>
      <header>
        <h1>Collab demo</h1>
        <span className='demo-where'>workspace <b>{workspace}</b> · document <b>{documentName}</b></span>
        <span className={`demo-status demo-status-${connection?.status ?? 'connecting'}`} data-status={connection?.status ?? 'connecting'}>
          {connection === null ? 'connecting' : connection.synced ? connection.status : `${connection.status}, syncing`}
        </span>
        <span className='demo-people'>{people.length} here</span>
        <label>Name <input type='text' aria-label='Your name' value={user.name} maxLength={40}
          onChange={(e) => { setUser({ ...user, name: e.target.value }) }} /></label>
        <label>Colour <select aria-label='Your colour' value={user.color} onChange={(e) => { setUser({ ...user, color: e.target.value }) }}>
          {[...new Set([...palette, user.color])].map((c) => <option key={c} value={c} style={{ background: c }}>{c}</option>)}
        </select></label>
        <span className='demo-swatch' style={{ background: user.color }} />
        <a href={window.location.href} target='_blank' rel='noreferrer'>open another window</a>
      </header>
      <main>
        <section className='demo-pipeline' aria-label='Pipeline editor'>
          {shared !== undefined && (
            <CollabPipeline url={window.location.origin} workspace={workspace} document={documentName} token={token}
              user={user} connection={shared} />
          )}
        </section>
        <section className='demo-notes' aria-label='Notes'>
          <h2>Notes</h2>
          {connection !== null && <TextEditor text={connection.doc.getText('notes')} />}
          <p className='demo-hint'>
            Open this page in a second window: nodes, edges, pointers and notes are shared live. The same editor embeds
            in any page with one script: see <a href='embed.html'>embed.html</a>.
          </p>
        </section>
      </main>
    </div>
  )
}
