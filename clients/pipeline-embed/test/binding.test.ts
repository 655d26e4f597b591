import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import {
  addNode, applyEdgeChangesToDoc, applyNodeChangesToDoc, connectNodes, moveNode, observePipeline, pipelineMaps,
  freePosition, readPipeline, removeNodes, renameNode, toFlowEdges, toFlowNodes, wouldCreateCycle, type FlowNode
} from '../src/binding.js'
import { throttle } from '../src/throttle.js'

function pair (): [Y.Doc, Y.Doc, () => void] {
  const a = new Y.Doc()
  const b = new Y.Doc()
  const sync = (): void => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  }
  return [a, b, sync]
}

describe('edits become Y operations', () => {
  it('stores a node as a Y.Map of its fields under its id', () => {
    const doc = new Y.Doc()
    const id = addNode(doc, { label: 'Load', x: 10, y: 20, type: 'source' })
    const map = pipelineMaps(doc).nodes.get(id)!
    expect(map).toBeInstanceOf(Y.Map)
    expect(map.toJSON()).toEqual({ id, label: 'Load', x: 10, y: 20, type: 'source' })
  })

  it('moves and renames by setting single fields, so concurrent edits of different fields both survive', () => {
    const [a, b, sync] = pair()
    const id = addNode(a, { id: 'n1', label: 'Load', x: 0, y: 0, type: 'source' })
    sync()
    moveNode(a, id, 100, 50)
    renameNode(b, id, 'Load CSV')
    sync()
    for (const doc of [a, b]) expect(readPipeline(doc).nodes).toEqual([{ id: 'n1', label: 'Load CSV', x: 100, y: 50, type: 'source' }])
  })

  it('writes nothing for a move to the same place (no update on the wire)', () => {
    const doc = new Y.Doc()
    addNode(doc, { id: 'n1', label: 'A', x: 1, y: 2, type: 'transform' })
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    moveNode(doc, 'n1', 1, 2)
    expect(updates).toHaveLength(0)
    expect(moveNode(doc, 'missing', 1, 2)).toBe(false)
  })

  it('connects nodes with an id derived from the ends, so the same connection made twice at once is one edge', () => {
    const [a, b, sync] = pair()
    addNode(a, { id: 's', label: 'S', x: 0, y: 0, type: 'source' })
    addNode(a, { id: 't', label: 'T', x: 0, y: 0, type: 'sink' })
    sync()
    expect(connectNodes(a, 's', 't')).toEqual({ id: 's->t' })
    expect(connectNodes(b, 's', 't')).toEqual({ id: 's->t' })
    sync()
    expect(readPipeline(a).edges).toEqual([{ id: 's->t', source: 's', target: 't' }])
    expect(readPipeline(b)).toEqual(readPipeline(a))
    expect(connectNodes(a, 's', 't')).toEqual({ refused: 'duplicate' })
    expect(connectNodes(a, 's', 'nope')).toEqual({ refused: 'missing-node' })
  })

  it('refuses edges that would make a cycle, keeping the pipeline a DAG', () => {
    const doc = new Y.Doc()
    for (const id of ['a', 'b', 'c']) addNode(doc, { id, label: id, x: 0, y: 0, type: 'transform' })
    connectNodes(doc, 'a', 'b')
    connectNodes(doc, 'b', 'c')
    expect(connectNodes(doc, 'c', 'a')).toEqual({ refused: 'cycle' })
    expect(connectNodes(doc, 'a', 'a')).toEqual({ refused: 'cycle' })
    expect(connectNodes(doc, 'a', 'c')).toEqual({ id: 'a->c' })
    expect(wouldCreateCycle([{ source: 'x', target: 'y' }], 'y', 'x')).toBe(true)
    expect(wouldCreateCycle([{ source: 'x', target: 'y' }], 'x', 'z')).toBe(false)
  })

  it('deletes a node with every edge touching it in one transaction', () => {
    const doc = new Y.Doc()
    for (const id of ['a', 'b', 'c']) addNode(doc, { id, label: id, x: 0, y: 0, type: 'transform' })
    connectNodes(doc, 'a', 'b')
    connectNodes(doc, 'b', 'c')
    connectNodes(doc, 'a', 'c')
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    removeNodes(doc, ['b'])
    expect(updates).toHaveLength(1)
    expect(readPipeline(doc).edges.map((e) => e.id)).toEqual(['a->c'])
    expect([...pipelineMaps(doc).edges.keys()]).toEqual(['a->c'])
  })
})

describe('Y state becomes React Flow nodes and edges', () => {
  it('hides edges to a node deleted concurrently with their creation', () => {
    const [a, b, sync] = pair()
    addNode(a, { id: 's', label: 'S', x: 0, y: 0, type: 'source' })
    addNode(a, { id: 't', label: 'T', x: 0, y: 0, type: 'sink' })
    sync()
    connectNodes(a, 's', 't')
    removeNodes(b, ['t'])
    sync()
    expect(readPipeline(a)).toEqual(readPipeline(b))
    expect(readPipeline(a).edges).toEqual([])
    expect(pipelineMaps(a).edges.size).toBe(1) // still stored, but not shown
  })

  it('ignores malformed entries another client wrote', () => {
    const doc = new Y.Doc()
    const bad = new Y.Map<unknown>()
    pipelineMaps(doc).nodes.set('bad', bad)
    bad.set('x', 'not a number')
    addNode(doc, { id: 'ok', label: 'OK', x: 1, y: 1, type: 'sink' })
    const odd = new Y.Map<unknown>()
    pipelineMaps(doc).nodes.set('odd', odd)
    odd.set('x', 3)
    odd.set('y', 4)
    odd.set('type', 'teapot')
    expect(readPipeline(doc).nodes).toEqual([
      { id: 'odd', label: 'odd', x: 3, y: 4, type: 'transform' },
      { id: 'ok', label: 'OK', x: 1, y: 1, type: 'sink' }
    ])
  })

  it('maps nodes with their label and kind, keeping local selection, size and a position being dragged', () => {
    const doc = new Y.Doc()
    addNode(doc, { id: 'a', label: 'A', x: 5, y: 6, type: 'source' })
    addNode(doc, { id: 'b', label: 'B', x: 7, y: 8, type: 'sink' })
    const first = toFlowNodes(readPipeline(doc))
    expect(first).toEqual([
      { id: 'a', type: 'pipeline', position: { x: 5, y: 6 }, data: { label: 'A', kind: 'source' } },
      { id: 'b', type: 'pipeline', position: { x: 7, y: 8 }, data: { label: 'B', kind: 'sink' } }
    ])
    const local: FlowNode[] = [
      { ...first[0]!, selected: true, measured: { width: 100, height: 40 } },
      { ...first[1]!, dragging: true, position: { x: 70, y: 80 } }
    ]
    moveNode(doc, 'a', 50, 60)
    moveNode(doc, 'b', 71, 81) // a throttled write from the drag, older than the pointer
    const next = toFlowNodes(readPipeline(doc), local)
    expect(next[0]).toMatchObject({ position: { x: 50, y: 60 }, selected: true, measured: { width: 100, height: 40 } })
    expect(next[1]).toMatchObject({ position: { x: 70, y: 80 }, dragging: true })
  })

  it('maps edges and keeps their local selection', () => {
    const doc = new Y.Doc()
    addNode(doc, { id: 'a', label: 'A', x: 0, y: 0, type: 'source' })
    addNode(doc, { id: 'b', label: 'B', x: 0, y: 0, type: 'sink' })
    connectNodes(doc, 'a', 'b')
    expect(toFlowEdges(readPipeline(doc), [{ id: 'a->b', source: 'a', target: 'b', selected: true }]))
      .toEqual([{ id: 'a->b', source: 'a', target: 'b', selected: true }])
  })

  it('applies React Flow changes: moves and removals to Y, selection and dimensions not', () => {
    const doc = new Y.Doc()
    addNode(doc, { id: 'a', label: 'A', x: 0, y: 0, type: 'source' })
    addNode(doc, { id: 'b', label: 'B', x: 0, y: 0, type: 'sink' })
    connectNodes(doc, 'a', 'b')
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    applyNodeChangesToDoc(doc, [
      { type: 'select', id: 'a', selected: true },
      { type: 'dimensions', id: 'a', dimensions: { width: 10, height: 10 } }
    ])
    expect(updates).toHaveLength(0)
    const moves = applyNodeChangesToDoc(doc, [{ type: 'position', id: 'a', position: { x: 9, y: 9 }, dragging: true }], false)
    expect(moves).toEqual([{ id: 'a', x: 9, y: 9 }])
    expect(updates).toHaveLength(0) // the caller writes throttled moves itself
    applyNodeChangesToDoc(doc, [{ type: 'position', id: 'a', position: { x: 9, y: 9 } }])
    expect(readPipeline(doc).nodes[0]).toMatchObject({ x: 9, y: 9 })
    applyEdgeChangesToDoc(doc, [{ type: 'remove', id: 'a->b' }])
    expect(readPipeline(doc).edges).toEqual([])
    applyNodeChangesToDoc(doc, [{ type: 'remove', id: 'b' }])
    expect(readPipeline(doc).nodes.map((n) => n.id)).toEqual(['a'])
  })

  it('notifies once per transaction with the new pipeline, for remote updates too', () => {
    const [a, b, sync] = pair()
    const seen: number[] = []
    const stop = observePipeline(b, (p) => seen.push(p.nodes.length))
    addNode(a, { id: 'a', label: 'A', x: 0, y: 0, type: 'source' })
    addNode(a, { id: 'b', label: 'B', x: 0, y: 0, type: 'sink' })
    connectNodes(a, 'a', 'b')
    sync()
    expect(seen).toEqual([2])
    removeNodes(b, ['a'])
    expect(seen).toEqual([2, 1])
    stop()
    removeNodes(b, ['b'])
    expect(seen).toEqual([2, 1])
  })
})

describe('placing new nodes', () => {
  it('puts a new node on the first free spot of a diagonal, never on top of another', () => {
    expect(freePosition([], 10, 10)).toEqual({ x: 10, y: 10 })
    expect(freePosition([{ x: 10, y: 10 }], 10, 10)).toEqual({ x: 50, y: 50 })
    expect(freePosition([{ x: 10, y: 10 }, { x: 55, y: 45 }], 10, 10)).toEqual({ x: 90, y: 90 })
    expect(freePosition([{ x: 100, y: 100 }], 10, 10)).toEqual({ x: 10, y: 10 })
  })
})

describe('throttle', () => {
  it('runs the first call at once and the last of a burst once, after the interval; flush runs it early', () => {
    vi.useFakeTimers()
    try {
      const calls: number[] = []
      const t = throttle((n: number) => calls.push(n), 50, () => Date.now())
      t(1); t(2); t(3)
      expect(calls).toEqual([1])
      vi.advanceTimersByTime(50)
      expect(calls).toEqual([1, 3])
      t(4)
      expect(calls).toEqual([1, 3])
      t.flush()
      expect(calls).toEqual([1, 3, 4])
      t(5); t(6); t.cancel()
      vi.advanceTimersByTime(100)
      expect(calls).toEqual([1, 3, 4])
    } finally {
      vi.useRealTimers()
    }
  })
})
