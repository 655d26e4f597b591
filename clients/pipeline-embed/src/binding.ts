// The pipeline's shape in the Y.Doc, and the mapping between Y operations and React Flow's nodes and edges.
// Pure (no React, no DOM) so that it is tested on its own.
//
//   doc.getMap('nodes'): node id → Y.Map { id, label, x, y, type }     type: 'source' | 'transform' | 'sink'
//   doc.getMap('edges'): edge id → Y.Map { id, source, target }
//
// Each node is a Y.Map of its own, not one JSON value, so that concurrent edits of different fields (one
// user drags while another renames) both survive.
import * as Y from 'yjs'
import type { Edge, EdgeChange, Node, NodeChange } from '@xyflow/react'

export const nodeKinds = ['source', 'transform', 'sink'] as const
export type NodeKind = typeof nodeKinds[number]

export interface PipelineNode {
  id: string
  label: string
  x: number
  y: number
  type: NodeKind
}

export interface PipelineEdge {
  id: string
  source: string
  target: string
}

export interface Pipeline {
  nodes: PipelineNode[]
  edges: PipelineEdge[]
}

export interface PipelineNodeData extends Record<string, unknown> {
  label: string
  kind: NodeKind
}

export type FlowNode = Node<PipelineNodeData, 'pipeline'>
export type FlowEdge = Edge

/** The transaction origin of edits made through this module, so observers can tell local edits apart. */
export const localOrigin = Symbol('collab-pipeline-local')

export function pipelineMaps (doc: Y.Doc): { nodes: Y.Map<Y.Map<unknown>>, edges: Y.Map<Y.Map<unknown>> } {
  return { nodes: doc.getMap<Y.Map<unknown>>('nodes'), edges: doc.getMap<Y.Map<unknown>>('edges') }
}

function isKind (value: unknown): value is NodeKind {
  return typeof value === 'string' && (nodeKinds as readonly string[]).includes(value)
}

function readNode (id: string, map: Y.Map<unknown>): PipelineNode | null {
  if (!(map instanceof Y.Map)) return null
  const x = map.get('x')
  const y = map.get('y')
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return null
  const label = map.get('label')
  const type = map.get('type')
  return { id, label: typeof label === 'string' ? label : id, x, y, type: isKind(type) ? type : 'transform' }
}

/**
 * The pipeline as plain values, sorted by id. Entries another client wrote malformed are left out, and so
 * are edges whose source or target is gone (a node deleted while someone else connected it).
 */
export function readPipeline (doc: Y.Doc): Pipeline {
  const maps = pipelineMaps(doc)
  const nodes: PipelineNode[] = []
  maps.nodes.forEach((map, id) => {
    const node = readNode(id, map)
    if (node !== null) nodes.push(node)
  })
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const present = new Set(nodes.map((n) => n.id))
  const edges: PipelineEdge[] = []
  maps.edges.forEach((map, id) => {
    if (!(map instanceof Y.Map)) return
    const source = map.get('source')
    const target = map.get('target')
    if (typeof source === 'string' && typeof target === 'string' && present.has(source) && present.has(target)) {
      edges.push({ id, source, target })
    }
  })
  edges.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { nodes, edges }
}

let idCounter = 0
/** An id unique across clients: the doc's client id plus a local counter and the time. */
export function newNodeId (doc: Y.Doc): string {
  idCounter++
  return `n${doc.clientID.toString(36)}${Date.now().toString(36)}${idCounter.toString(36)}`
}

export function addNode (doc: Y.Doc, node: Omit<PipelineNode, 'id'> & { id?: string }): string {
  const id = node.id ?? newNodeId(doc)
  const map = new Y.Map<unknown>()
  doc.transact(() => {
    map.set('id', id)
    map.set('label', node.label)
    map.set('x', node.x)
    map.set('y', node.y)
    map.set('type', node.type)
    pipelineMaps(doc).nodes.set(id, map)
  }, localOrigin)
  return id
}

/** Writes a position; false when the node is gone (deleted by someone else meanwhile). */
export function moveNode (doc: Y.Doc, id: string, x: number, y: number): boolean {
  return moveNodes(doc, [{ id, x, y }]) === 1
}

/** Writes several positions in one transaction (one update on the wire); returns how many nodes existed. */
export function moveNodes (doc: Y.Doc, moves: Array<{ id: string, x: number, y: number }>): number {
  const nodes = pipelineMaps(doc).nodes
  let moved = 0
  doc.transact(() => {
    for (const { id, x, y } of moves) {
      const map = nodes.get(id)
      if (!(map instanceof Y.Map)) continue
      moved++
      if (map.get('x') !== x) map.set('x', x)
      if (map.get('y') !== y) map.set('y', y)
    }
  }, localOrigin)
  return moved
}

export function renameNode (doc: Y.Doc, id: string, label: string): boolean {
  const map = pipelineMaps(doc).nodes.get(id)
  if (!(map instanceof Y.Map)) return false
  if (map.get('label') !== label) doc.transact(() => { map.set('label', label) }, localOrigin)
  return true
}

/** Deletes nodes and every edge touching them, in one transaction. */
export function removeNodes (doc: Y.Doc, ids: Iterable<string>): void {
  const { nodes, edges } = pipelineMaps(doc)
  const gone = new Set(ids)
  if (gone.size === 0) return
  doc.transact(() => {
    for (const id of gone) nodes.delete(id)
    edges.forEach((map, id) => {
      if (map instanceof Y.Map && (gone.has(map.get('source') as string) || gone.has(map.get('target') as string))) edges.delete(id)
    })
  }, localOrigin)
}

export function edgeId (source: string, target: string): string {
  return `${source}->${target}`
}

/** True when an edge source → target would close a cycle (target already reaches source), including a self loop. */
export function wouldCreateCycle (edges: ReadonlyArray<{ source: string, target: string }>, source: string, target: string): boolean {
  if (source === target) return true
  const next = new Map<string, string[]>()
  for (const e of edges) {
    const list = next.get(e.source)
    if (list === undefined) next.set(e.source, [e.target])
    else list.push(e.target)
  }
  const seen = new Set<string>()
  const stack = [target]
  while (stack.length > 0) {
    const at = stack.pop()!
    if (at === source) return true
    if (seen.has(at)) continue
    seen.add(at)
    for (const n of next.get(at) ?? []) stack.push(n)
  }
  return false
}

export type ConnectRefusal = 'missing-node' | 'duplicate' | 'cycle'

/**
 * Adds the edge source → target if the pipeline stays a DAG; returns its id, or why it was refused.
 * The id is derived from the ends, so two users connecting the same pair at once make one edge.
 */
export function connectNodes (doc: Y.Doc, source: string, target: string): { id: string } | { refused: ConnectRefusal } {
  const { nodes, edges } = pipelineMaps(doc)
  if (!(nodes.get(source) instanceof Y.Map) || !(nodes.get(target) instanceof Y.Map)) return { refused: 'missing-node' }
  const id = edgeId(source, target)
  if (edges.has(id)) return { refused: 'duplicate' }
  if (wouldCreateCycle(readPipeline(doc).edges, source, target)) return { refused: 'cycle' }
  const map = new Y.Map<unknown>()
  doc.transact(() => {
    map.set('id', id)
    map.set('source', source)
    map.set('target', target)
    edges.set(id, map)
  }, localOrigin)
  return { id }
}

export function removeEdges (doc: Y.Doc, ids: Iterable<string>): void {
  const edges = pipelineMaps(doc).edges
  doc.transact(() => { for (const id of ids) edges.delete(id) }, localOrigin)
}

/** Calls `onChange` after every transaction that touched the pipeline (local or remote) with its new state. */
export function observePipeline (doc: Y.Doc, onChange: (pipeline: Pipeline, transaction: Y.Transaction) => void): () => void {
  const { nodes, edges } = pipelineMaps(doc)
  // one callback per transaction even when it touched both maps
  let pending: Y.Transaction | null = null
  const handler = (_events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void => {
    if (pending === transaction) return
    pending = transaction
    onChange(readPipeline(doc), transaction)
  }
  nodes.observeDeep(handler)
  edges.observeDeep(handler)
  return () => {
    nodes.unobserveDeep(handler)
    edges.unobserveDeep(handler)
  }
}

export interface LocalNodeState {
  selected?: boolean
  dragging?: boolean
  measured?: { width?: number, height?: number }
  position?: { x: number, y: number }
}

/**
 * Y → React Flow. Selection, measured size and, while this user drags a node, its position are the
 * user's own and are carried over from `previous`; everything else comes from the doc.
 */
export function toFlowNodes (pipeline: Pipeline, previous: ReadonlyArray<FlowNode> = []): FlowNode[] {
  const local = new Map(previous.map((n) => [n.id, n]))
  return pipeline.nodes.map((n) => {
    const before = local.get(n.id)
    const node: FlowNode = {
      id: n.id,
      type: 'pipeline',
      position: before?.dragging === true ? before.position : { x: n.x, y: n.y },
      data: { label: n.label, kind: n.type }
    }
    if (before?.selected !== undefined) node.selected = before.selected
    if (before?.dragging !== undefined) node.dragging = before.dragging
    if (before?.measured !== undefined) node.measured = before.measured
    return node
  })
}

export function toFlowEdges (pipeline: Pipeline, previous: ReadonlyArray<FlowEdge> = []): FlowEdge[] {
  const selected = new Set(previous.filter((e) => e.selected === true).map((e) => e.id))
  return pipeline.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, selected: selected.has(e.id) }))
}

/**
 * React Flow node changes → Y operations. Moves go to Y (as one transaction) unless `writePositions` is
 * false (the caller throttles drags); removals delete the node and its edges. Selection and dimension
 * changes are local and not written. Returns the moves so a throttled caller can write them later.
 */
export function applyNodeChangesToDoc (doc: Y.Doc, changes: ReadonlyArray<NodeChange<FlowNode>>, writePositions = true): Array<{ id: string, x: number, y: number }> {
  const moves: Array<{ id: string, x: number, y: number }> = []
  const removed: string[] = []
  for (const change of changes) {
    if (change.type === 'position' && change.position !== undefined) {
      moves.push({ id: change.id, x: change.position.x, y: change.position.y })
    } else if (change.type === 'remove') {
      removed.push(change.id)
    }
  }
  if (writePositions && moves.length > 0) moveNodes(doc, moves)
  if (removed.length > 0) removeNodes(doc, removed)
  return moves
}

export function applyEdgeChangesToDoc (doc: Y.Doc, changes: ReadonlyArray<EdgeChange>): void {
  const removed = changes.filter((c) => c.type === 'remove').map((c) => c.id)
  if (removed.length > 0) removeEdges(doc, removed)
}

/**
 * The first spot on a diagonal from (x, y) that no node starts within `clearance` of, so a new node does not
 * land on (and hide) an existing one.
 */
export function freePosition (nodes: ReadonlyArray<{ x: number, y: number }>, x: number, y: number, step = 40, clearance = 30): { x: number, y: number } {
  for (let i = 0; i < 200; i++) {
    const cx = x + i * step
    const cy = y + i * step
    if (!nodes.some((n) => Math.abs(n.x - cx) < clearance && Math.abs(n.y - cy) < clearance)) return { x: cx, y: cy }
  }
  return { x, y }
}
