import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  Background, Controls, MarkerType, Panel, ReactFlow, ReactFlowProvider, applyEdgeChanges, applyNodeChanges, useReactFlow,
  type Connection, type EdgeChange, type NodeChange
} from '@xyflow/react'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { CollabRestClient, WorkspaceEvents } from '@collab/client'
import { usePresence } from '@collab/client/react'
import {
  addNode, applyEdgeChangesToDoc, applyNodeChangesToDoc, connectNodes, freePosition, moveNodes, observePipeline, readPipeline,
  removeNodes, renameNode, toFlowEdges, toFlowNodes, type FlowEdge, type FlowNode, type NodeKind
} from './binding.js'
import { PipelineActionsContext, RemoteSelectionsContext, type PipelineActions } from './context.js'
import { HistoryPanel } from './HistoryPanel.js'
import { PipelineNode } from './PipelineNode.js'
import { PresenceAvatars } from './PresenceAvatars.js'
import { readPointer, readSelection, readUser, type PipelineUser, type RemoteUser } from './presence.js'
import { RemotePointers } from './RemotePointers.js'
import { throttle } from './throttle.js'

export interface PipelineEditorProps {
  doc: Y.Doc
  awareness: Awareness
  user: PipelineUser
  /** Shows the history panel (snapshots over REST) when given. */
  history?: { rest: CollabRestClient, workspace: string, document: string, events?: WorkspaceEvents | null } | null
  readOnly?: boolean
  /** How often a drag writes positions to the doc, in ms (the drag's end is always written at once). */
  dragWriteInterval?: number
  /** How often the pointer position goes out over awareness, in ms. */
  pointerInterval?: number
}

const nodeTypes = { pipeline: PipelineNode }
const edgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } }
const kindLabels: Record<NodeKind, string> = { source: 'Source', transform: 'Transform', sink: 'Sink' }

/** The collaborative pipeline editor on a doc and awareness the caller owns. */
export function PipelineEditor (props: PipelineEditorProps): React.ReactElement {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  )
}

function Editor ({ doc, awareness, user, history, readOnly = false, dragWriteInterval = 50, pointerInterval = 40 }: PipelineEditorProps): React.ReactElement {
  const flow = useReactFlow<FlowNode, FlowEdge>()
  const canvas = useRef<HTMLDivElement>(null)
  const [nodes, setNodes] = useState<FlowNode[]>(() => toFlowNodes(readPipeline(doc)))
  const [edges, setEdges] = useState<FlowEdge[]>(() => toFlowEdges(readPipeline(doc)))
  const [notice, setNotice] = useState('')
  const presence = usePresence(awareness, user)

  // Y → React Flow, for local and remote transactions alike
  useEffect(() => {
    const sync = (): void => {
      const pipeline = readPipeline(doc)
      setNodes((previous) => toFlowNodes(pipeline, previous))
      setEdges((previous) => toFlowEdges(pipeline, previous))
    }
    sync()
    return observePipeline(doc, sync)
  }, [doc])

  // Drags write the latest positions of the dragged nodes at most every dragWriteInterval ms.
  const pendingMoves = useRef(new Map<string, { x: number, y: number }>())
  const writeMoves = useMemo(() => throttle(() => {
    const moves = [...pendingMoves.current].map(([id, p]) => ({ id, x: p.x, y: p.y }))
    pendingMoves.current.clear()
    if (moves.length > 0) moveNodes(doc, moves)
  }, dragWriteInterval), [doc, dragWriteInterval])
  useEffect(() => () => { writeMoves.flush() }, [writeMoves])

  const onNodesChange = useCallback((changes: Array<NodeChange<FlowNode>>) => {
    const allowed = readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes
    setNodes((current) => applyNodeChanges(allowed, current))
    if (readOnly) return
    for (const move of applyNodeChangesToDoc(doc, allowed, false)) pendingMoves.current.set(move.id, { x: move.x, y: move.y })
    if (pendingMoves.current.size > 0) {
      writeMoves()
      // a drag's end (or a keyboard move) is written without waiting
      if (allowed.some((c) => c.type === 'position' && c.dragging !== true)) writeMoves.flush()
    }
  }, [doc, readOnly, writeMoves])

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const allowed = readOnly ? changes.filter((c) => c.type === 'select') : changes
    setEdges((current) => applyEdgeChanges(allowed, current))
    if (!readOnly) applyEdgeChangesToDoc(doc, allowed)
  }, [doc, readOnly])

  const onConnect = useCallback((connection: Connection) => {
    if (readOnly) return
    const result = connectNodes(doc, connection.source, connection.target)
    if ('refused' in result) {
      setNotice(result.refused === 'cycle' ? 'That connection would make a cycle: a pipeline must stay acyclic.'
        : result.refused === 'duplicate' ? 'Those steps are already connected.' : 'That step was deleted meanwhile.')
    } else {
      setNotice('')
    }
  }, [doc, readOnly])

  // this user's selection → awareness, so the others can show it
  const selectedIds = useMemo(() => nodes.filter((n) => n.selected === true).map((n) => n.id), [nodes])
  const selectionKey = selectedIds.join('\n')
  useEffect(() => {
    awareness.setLocalStateField('selection', selectionKey === '' ? [] : selectionKey.split('\n'))
  }, [awareness, selectionKey])

  const sendPointer = useMemo(() => throttle((pointer: { x: number, y: number } | null) => {
    awareness.setLocalStateField('pointer', pointer)
  }, pointerInterval), [awareness, pointerInterval])
  useEffect(() => () => { sendPointer.cancel() }, [sendPointer])

  const others = presence.filter((p) => !p.isLocal)
  const pointers = others.map((p) => readPointer(p.clientId, p.state)).filter((p) => p !== null)
  const users: RemoteUser[] = presence.map((p) => readUser(p.clientId, p.state))
  const remoteSelections = useMemo(() => {
    const map = new Map<string, RemoteUser[]>()
    for (const p of others) {
      for (const id of readSelection(p.state)) {
        const list = map.get(id) ?? []
        list.push(readUser(p.clientId, p.state))
        map.set(id, list)
      }
    }
    return map
  }, [others])

  const actions = useMemo<PipelineActions>(() => ({
    readOnly,
    rename: (id, label) => { renameNode(doc, id, label) }
  }), [doc, readOnly])

  const add = (kind: NodeKind): void => {
    const rect = canvas.current?.getBoundingClientRect()
    const center = rect !== undefined
      ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
      : { x: 0, y: 0 }
    const existing = readPipeline(doc).nodes
    const count = existing.filter((n) => n.type === kind).length
    const at = freePosition(existing, Math.round(center.x - 70), Math.round(center.y - 20))
    addNode(doc, { label: `${kindLabels[kind]} ${count + 1}`, type: kind, x: at.x, y: at.y })
  }

  const single = selectedIds.length === 1 ? nodes.find((n) => n.id === selectedIds[0]) : undefined

  return (
    <div className='collab-pipeline'>
      <PipelineActionsContext.Provider value={actions}>
        <RemoteSelectionsContext.Provider value={remoteSelections}>
          <div className='cp-canvas' ref={canvas}
            onPointerMove={(e) => { sendPointer(flow.screenToFlowPosition({ x: e.clientX, y: e.clientY })) }}
            onPointerLeave={() => { sendPointer(null); sendPointer.flush() }}>
            <ReactFlow<FlowNode, FlowEdge>
              nodes={nodes} edges={edges} nodeTypes={nodeTypes} defaultEdgeOptions={edgeOptions}
              onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={onConnect}
              nodesDraggable={!readOnly} nodesConnectable={!readOnly} elementsSelectable
              deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
              fitView fitViewOptions={{ maxZoom: 1 }} minZoom={0.2} maxZoom={2}
              proOptions={{ hideAttribution: true }}>
              <Background gap={16} />
              <Controls showInteractive={false} />
              <Panel position='top-left'>
                <div className='cp-toolbar' role='toolbar' aria-label='Pipeline'>
                  {!readOnly && (['source', 'transform', 'sink'] as const).map((kind) => (
                    <button key={kind} type='button' onClick={() => { add(kind) }}>+ {kindLabels[kind]}</button>
                  ))}
                  {!readOnly && (
                    <button type='button' disabled={selectedIds.length === 0 && !edges.some((e) => e.selected === true)} onClick={() => {
                      removeNodes(doc, selectedIds)
                      applyEdgeChangesToDoc(doc, edges.filter((e) => e.selected === true).map((e) => ({ type: 'remove' as const, id: e.id })))
                    }}>Delete</button>
                  )}
                  {!readOnly && single !== undefined && (
                    <input type='text' aria-label='Selected node name' value={single.data.label}
                      onChange={(e) => { renameNode(doc, single.id, e.target.value) }} />
                  )}
                  {notice !== '' && <span className='cp-notice' role='alert'>{notice}</span>}
                </div>
              </Panel>
              <Panel position='top-right'>
                <PresenceAvatars users={users} localClientId={awareness.clientID} />
              </Panel>
              <RemotePointers pointers={pointers} />
            </ReactFlow>
          </div>
          {history != null && <HistoryPanel {...history} />}
        </RemoteSelectionsContext.Provider>
      </PipelineActionsContext.Provider>
    </div>
  )
}
