import { useState } from 'react'
import type { CollabRestClient, WorkspaceEvents } from '@collab/client'
import { useSnapshots } from '@collab/client/react'

export interface HistoryPanelProps {
  rest: CollabRestClient
  workspace: string
  document: string
  /** Live refresh on snapshot and restore events; without it the list polls. */
  events?: WorkspaceEvents | null
}

/** The document's snapshots (REST): list, create one with a label, restore one for everybody. */
export function HistoryPanel ({ rest, workspace, document, events }: HistoryPanelProps): React.ReactElement {
  const { snapshots, loading, error, create, restore } = useSnapshots({
    rest, workspace, document, events, pollInterval: events != null ? 0 : 4000
  })
  const [label, setLabel] = useState('')
  const [status, setStatus] = useState('')
  const [busy, setBusy] = useState(false)

  return (
    <aside className='cp-history' aria-label='History'>
      <h3>History</h3>
      <form onSubmit={(e) => {
        e.preventDefault()
        const text = label.trim() === '' ? `Snapshot ${new Date().toLocaleTimeString()}` : label.trim()
        setBusy(true)
        void create(text).then((snapshot) => {
          setBusy(false)
          if (snapshot !== null) {
            setLabel('')
            setStatus(`Saved “${snapshot.label}”`)
          }
        })
      }}>
        <input type='text' aria-label='Snapshot label' placeholder='Snapshot label' value={label}
          onChange={(e) => { setLabel(e.target.value) }} />
        <button type='submit' disabled={busy}>Save</button>
      </form>
      {status !== '' && <div className='cp-history-status' role='status'>{status}</div>}
      {error !== null && <div className='cp-history-error' role='alert'>{error.message}</div>}
      {loading && snapshots.length === 0 && error === null && <div className='cp-snapshot-meta'>Loading…</div>}
      {!loading && snapshots.length === 0 && error === null && <div className='cp-snapshot-meta'>No snapshots yet.</div>}
      <ul>
        {snapshots.map((s) => (
          <li key={s.id} className='cp-snapshot' data-snapshot-label={s.label}>
            <div>
              <div>{s.label}</div>
              <div className='cp-snapshot-meta'>
                {new Date(s.createdAt).toLocaleString()}{s.author !== null ? ` · ${s.author}` : ''}
              </div>
            </div>
            <button type='button' disabled={busy} onClick={() => {
              setBusy(true)
              void restore(s.id).then((ok) => {
                setBusy(false)
                if (ok) setStatus(`Restored “${s.label}”`)
              })
            }}>Restore</button>
          </li>
        ))}
      </ul>
    </aside>
  )
}
