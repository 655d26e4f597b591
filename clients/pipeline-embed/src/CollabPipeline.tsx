import { useEffect, useLayoutEffect, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { CollabRestClient, WorkspaceEvents } from '@collab/client'
import { useCollabDocument } from '@collab/client/react'
import { PipelineEditor } from './PipelineEditor.js'
import type { PipelineUser } from './presence.js'
import { ensureStyles } from './styles.js'

export interface CollabPipelineProps {
  /** The Collab server's base URL (`http(s)://` or `ws(s)://`); default: the page's own origin. */
  url?: string
  workspace: string
  document: string
  /** A JWT when the server has auth on. */
  token?: string
  /** Who this is, as others see it. */
  user: PipelineUser
  /** Use an open connection (doc + awareness) instead of opening one, e.g. to share it with another editor on the page. */
  connection?: { doc: Y.Doc, awareness: Awareness }
  /** Show the history panel (snapshots over REST). Default true. */
  history?: boolean
  /** Listen to workspace events (SignalR) to refresh the history at once; without them it polls. Default true. */
  liveEvents?: boolean
  readOnly?: boolean
  /** CSS height of the editor (default 100%: size the parent). */
  height?: number | string
}

function defaultUrl (): string {
  return typeof window !== 'undefined' ? window.location.origin : 'http://localhost:5000'
}

/** The collaborative pipeline editor for one Collab document, ready to drop into a React page. */
export function CollabPipeline (props: CollabPipelineProps): React.ReactElement {
  const url = props.url ?? defaultUrl()
  useLayoutEffect(() => { ensureStyles() }, [])
  const own = useCollabDocument(props.connection === undefined
    ? { url, workspace: props.workspace, document: props.document, token: props.token }
    : null)
  const connection = props.connection ?? own

  const rest = useMemo(() => new CollabRestClient({ url, token: props.token }), [url, props.token])
  const events = useWorkspaceEvents(props.history !== false && props.liveEvents !== false ? url : null, props.workspace, props.token)

  return (
    <div style={{ height: props.height ?? '100%', width: '100%' }} data-collab-status={own?.status ?? 'shared'}>
      {connection === null
        ? <div style={{ padding: 16 }}>Connecting…</div>
        : <PipelineEditor doc={connection.doc} awareness={connection.awareness} user={props.user} readOnly={props.readOnly}
            history={props.history === false ? null : { rest, workspace: props.workspace, document: props.document, events }} />}
    </div>
  )
}

/** Joins the workspace on the events hub; null until joined, and for good if the server has no hub (the history then polls). */
function useWorkspaceEvents (url: string | null, workspace: string, token: string | undefined): WorkspaceEvents | null {
  const [joined, setJoined] = useState<WorkspaceEvents | null>(null)
  useEffect(() => {
    if (url === null) return
    const events = new WorkspaceEvents({ url, token })
    let live = true
    events.join(workspace).then(() => { if (live) setJoined(events) }, (e: unknown) => {
      console.info(`collab-pipeline: no workspace events (${String(e)}); the history panel polls instead`)
    })
    return () => {
      live = false
      setJoined(null)
      void events.stop()
    }
  }, [url, workspace, token])
  return joined
}
