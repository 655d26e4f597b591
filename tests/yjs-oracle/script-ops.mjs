// The editing operations of the history scripts, shared by oracle.mjs (update algebra) and
// doc-oracle.mjs (document model): the roots, value decoding and applyOp. See oracle.mjs for the format.
import * as Y from 'yjs'

const toB64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64')
const fromB64 = (s) => {
  if (typeof s !== 'string') throw new Error('expected a base64 string')
  const buf = Buffer.from(s, 'base64')
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

const ROOTS = [
  ['map', 'm'], ['map', '🗺'], ['array', 'a'], ['array', 'массив'], ['text', 't'], ['text', 'テキスト'], ['xml', 'x']
]

const defineRoots = (doc) => ROOTS.map(([kind, name]) => {
  switch (kind) {
    case 'map': return doc.getMap(name)
    case 'array': return doc.getArray(name)
    case 'text': return doc.getText(name)
    default: return doc.getXmlFragment(name)
  }
})

const toValue = (v) => {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v
  if (typeof v !== 'object') throw new Error('bad value ' + JSON.stringify(v))
  if (Array.isArray(v)) throw new Error('untagged array in value: use {"$arr":[...]}')
  if ('$num' in v) {
    switch (v.$num) {
      case 'NaN': return NaN
      case 'Infinity': return Infinity
      case '-Infinity': return -Infinity
      case '-0': return -0
      default: return Number(v.$num)
    }
  }
  if ('$big' in v) return BigInt(v.$big)
  if ('$undef' in v) return undefined
  if ('$bin' in v) return fromB64(v.$bin).slice()
  if ('$arr' in v) return v.$arr.map(toValue)
  if ('$obj' in v) {
    const o = {}
    for (const [k, x] of Object.entries(v.$obj)) o[k] = toValue(x)
    return o
  }
  if ('$doc' in v) {
    const d = v.$doc
    const opts = { guid: d.guid }
    if (d.meta !== undefined) opts.meta = toValue(d.meta)
    if (d.autoLoad) opts.autoLoad = true
    if (d.gc === false) opts.gc = false
    return new Y.Doc(opts)
  }
  if ('$type' in v) return toType(v)
  throw new Error('unknown value tag ' + JSON.stringify(v))
}

const toType = (v) => {
  switch (v.$type) {
    case 'map': return new Y.Map((v.init || []).map(([k, x]) => [k, toValue(x)]))
    case 'array': return Y.Array.from((v.items || []).map(toValue))
    case 'text': return new Y.Text(v.text || '')
    case 'xmlText': return new Y.XmlText(v.text || '')
    case 'xmlHook': {
      const h = new Y.XmlHook(v.name)
      for (const [k, x] of v.init || []) h.set(k, toValue(x))
      return h
    }
    case 'xmlElement': {
      const e = new Y.XmlElement(v.name)
      for (const [k, x] of Object.entries(v.attrs || {})) e.setAttribute(k, toValue(x))
      const children = (v.children || []).map(toType)
      if (children.length > 0) e.insert(0, children)
      return e
    }
    case 'xmlFragment': {
      const f = new Y.XmlFragment()
      const children = (v.children || []).map(toType)
      if (children.length > 0) f.insert(0, children)
      return f
    }
    default: throw new Error('unknown type ' + v.$type)
  }
}

// Plain JSON (format attributes, embeds): the tagged object/array forms are unwrapped, nothing else allowed.
const toJson = (v) => {
  if (v === null || typeof v !== 'object') return v
  if ('$arr' in v) return v.$arr.map(toJson)
  if ('$obj' in v) {
    const o = {}
    for (const [k, x] of Object.entries(v.$obj)) o[k] = toJson(x)
    return o
  }
  throw new Error('only JSON is allowed here: ' + JSON.stringify(v))
}

const toAttrs = (a) => {
  if (a === null || a === undefined) return undefined
  const o = {}
  for (const [k, x] of Object.entries(a)) o[k] = toJson(x)
  return o
}

// Every shared type reachable from the roots, depth first, in a deterministic order.
const collectTypes = (doc) => {
  const out = []
  const visit = (type) => {
    out.push(type)
    let kids = []
    if (type instanceof Y.Map) {
      kids = Array.from(type._map.keys()).sort().map(k => type.get(k))
    } else if (type instanceof Y.Array || type instanceof Y.XmlFragment) {
      kids = type.toArray()
    } else if (type instanceof Y.Text) {
      kids = type.toDelta().map(d => d.insert)
    }
    for (const k of kids) if (k instanceof Y.AbstractType) visit(k)
  }
  for (const root of defineRoots(doc)) visit(root)
  return out
}

const KIND_TEST = {
  map: t => t instanceof Y.Map,
  array: t => t instanceof Y.Array,
  text: t => t instanceof Y.Text,
  xml: t => t instanceof Y.XmlFragment,
  attr: t => t instanceof Y.XmlElement || t instanceof Y.Text
}

const OP_KIND = {
  mapSet: 'map', mapDelete: 'map',
  arrayInsert: 'array', arrayPush: 'array', arrayDelete: 'array', arrayInsertJson: 'array',
  textInsert: 'text', textDelete: 'text', textFormat: 'text', textEmbed: 'text',
  xmlInsert: 'xml', xmlDelete: 'xml',
  setAttr: 'attr', removeAttr: 'attr'
}

const nat = (x) => {
  if (!Number.isSafeInteger(x) || x < 0) throw new Error('expected a non-negative integer, got ' + x)
  return x
}

// A range [pos, pos+len) inside a sequence of `length`, or null when the sequence is empty.
const range = (length, pos, len) => {
  if (length === 0) return null
  const p = nat(pos) % length
  return [p, 1 + (nat(len) % (length - p))]
}

// Inserts an Item with ContentJSON (kind 2), which no public yjs API creates any more but every decoder
// must still read. It goes after a random item of the list (deleted ones included) or at the start.
const insertJsonContent = (tr, parent, r, items) => {
  const lefts = [null]
  for (let n = parent._start; n !== null; n = n.right) lefts.push(n)
  const left = lefts[nat(r) % lefts.length]
  const right = left === null ? parent._start : left.right
  const doc = tr.doc
  const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID))
  const item = new Y.Item(id, left, left && left.lastId, right, right && right.id, parent, null, new Y.ContentJSON(items))
  item.integrate(tr, 0)
  // The index cache would still point at the old positions.
  if (parent._searchMarker) parent._searchMarker.length = 0
}

const applyOp = (doc, tr, op) => {
  const kind = OP_KIND[op.op]
  if (!kind) throw new Error('unknown op ' + op.op)
  const candidates = collectTypes(doc).filter(KIND_TEST[kind])
  if (candidates.length === 0) return false
  const t = candidates[nat(op.t) % candidates.length]
  switch (op.op) {
    case 'mapSet': t.set(op.key, toValue(op.value)); break
    case 'mapDelete': t.delete(op.key); break
    case 'arrayInsert': t.insert(nat(op.pos) % (t.length + 1), op.items.map(toValue)); break
    case 'arrayPush': t.push(op.items.map(toValue)); break
    case 'arrayDelete': {
      const r = range(t.length, op.pos, op.len)
      if (r === null) return false
      t.delete(r[0], r[1])
      break
    }
    case 'arrayInsertJson': insertJsonContent(tr, t, op.pos, op.items.map(toValue)); break
    case 'textInsert': t.insert(nat(op.pos) % (t.length + 1), op.text, toAttrs(op.attrs)); break
    case 'textDelete': {
      const r = range(t.length, op.pos, op.len)
      if (r === null) return false
      t.delete(r[0], r[1])
      break
    }
    case 'textFormat': {
      const r = range(t.length, op.pos, op.len)
      if (r === null) return false
      t.format(r[0], r[1], toAttrs(op.attrs))
      break
    }
    case 'textEmbed': {
      const embed = op.embed !== null && typeof op.embed === 'object' && '$type' in op.embed ? toType(op.embed) : toJson(op.embed)
      t.insertEmbed(nat(op.pos) % (t.length + 1), embed, toAttrs(op.attrs))
      break
    }
    case 'xmlInsert': t.insert(nat(op.pos) % (t.length + 1), op.nodes.map(toType)); break
    case 'xmlDelete': {
      const r = range(t.length, op.pos, op.len)
      if (r === null) return false
      t.delete(r[0], r[1])
      break
    }
    case 'setAttr': t.setAttribute(op.key, toValue(op.value)); break
    case 'removeAttr': t.removeAttribute(op.key); break
  }
  return true
}

const REMOTE = 'remote'

// Runs a history script; describePeer(doc) adds fields to each peer's result. checkClientIds refuses a
// history in which yjs renamed a peer (it does when a peer receives unknown structs under its own id).
const runHistory = (script, { describePeer = () => ({}), checkClientIds = true } = {}) => {
  if (script === null || typeof script !== 'object') throw new Error('script must be an object')
  const updates = []
  let stepIndex = -1
  const peers = script.peers.map((p, i) => {
    const doc = new Y.Doc({ gc: p.gc !== false, guid: 'peer-' + i })
    doc.clientID = nat(p.client)
    defineRoots(doc)
    const peer = { doc, log: [] }
    // 'update' and 'updateV2' fire for the same transaction; pair them by it.
    const byTransaction = new WeakMap()
    const record = (field) => (u, origin, _doc, tr) => {
      let rec = byTransaction.get(tr)
      if (rec === undefined) {
        rec = { peer: i, step: stepIndex, local: origin !== REMOTE, v1: null, v2: null }
        byTransaction.set(tr, rec)
        updates.push(rec)
        peer.log.push(rec)
      }
      rec[field] = u
    }
    doc.on('update', record('v1'))
    doc.on('updateV2', record('v2'))
    return peer
  })
  const peerAt = (i) => {
    const p = peers[nat(i)]
    if (p === undefined) throw new Error('no peer ' + i)
    return p
  }
  let skipped = 0
  for (const step of script.steps) {
    stepIndex++
    switch (step.kind) {
      case 'txn': {
        const { doc } = peerAt(step.peer)
        doc.transact(tr => {
          for (const op of step.ops) if (!applyOp(doc, tr, op)) skipped++
        })
        break
      }
      case 'deliver': {
        const from = peerAt(step.from)
        const to = peerAt(step.to).doc
        if (from.log.length === 0) break
        const picked = step.picks.map(r => from.log[nat(r) % from.log.length])
        const v1s = picked.map(r => r.v1)
        const v2s = picked.map(r => r.v2)
        switch (step.mode) {
          case 'each': for (const u of v1s) Y.applyUpdate(to, u, REMOTE); break
          case 'eachV2': for (const u of v2s) Y.applyUpdateV2(to, u, REMOTE); break
          case 'merged': Y.applyUpdate(to, Y.mergeUpdates(v1s), REMOTE); break
          case 'mergedV2': Y.applyUpdateV2(to, Y.mergeUpdatesV2(v2s), REMOTE); break
          case 'diff': Y.applyUpdate(to, Y.diffUpdate(Y.mergeUpdates(v1s), Y.encodeStateVector(to)), REMOTE); break
          case 'diffV2': Y.applyUpdateV2(to, Y.diffUpdateV2(Y.mergeUpdatesV2(v2s), Y.encodeStateVector(to)), REMOTE); break
          default: throw new Error('unknown deliver mode ' + step.mode)
        }
        break
      }
      case 'state': {
        const from = peerAt(step.from).doc
        const to = peerAt(step.to).doc
        const sv = Y.encodeStateVector(to)
        if (step.v2) Y.applyUpdateV2(to, Y.encodeStateAsUpdateV2(from, sv), REMOTE)
        else Y.applyUpdate(to, Y.encodeStateAsUpdate(from, sv), REMOTE)
        break
      }
      default: throw new Error('unknown step kind ' + step.kind)
    }
  }
  if (script.finalSync) {
    stepIndex++
    // Two rounds: the first may leave structs pending on peers that were synced early in the round.
    for (let round = 0; round < 2; round++) {
      for (const a of peers) {
        for (const b of peers) {
          if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), REMOTE)
        }
      }
    }
  }
  for (const [i, p] of (checkClientIds ? peers.entries() : [])) {
    // yjs renames a peer that receives unknown structs under its own id; the history would be meaningless.
    if (p.doc.clientID !== script.peers[i].client) throw new Error('peer ' + i + ' changed its client id')
  }
  const result = {
    updates: updates.map(r => ({
      peer: r.peer,
      step: r.step,
      local: r.local,
      v1: toB64(r.v1 ?? Y.convertUpdateFormatV2ToV1(r.v2)),
      v2: toB64(r.v2 ?? Y.convertUpdateFormatV1ToV2(r.v1))
    })),
    peers: peers.map(p => ({
      client: p.doc.clientID,
      stateV1: toB64(Y.encodeStateAsUpdate(p.doc)),
      stateV2: toB64(Y.encodeStateAsUpdateV2(p.doc)),
      sv: toB64(Y.encodeStateVector(p.doc)),
      ...describePeer(p.doc)
    })),
    skipped
  }
  for (const p of peers) p.doc.destroy()
  return result
}

export { runHistory, toB64, fromB64, ROOTS, defineRoots, toValue, toType, toJson, toAttrs, collectTypes, KIND_TEST, OP_KIND, nat, range, insertJsonContent, applyOp }
