// The document-model oracle: runs a multi-peer editing script (the format of oracle.mjs' `history` op, generated
// by Collab.Crdt.PropertyTests' HistoryGen) in real yjs 13.6.33 and answers with what every peer ends up holding:
// the JSON and a structural dump of each root, the encoded state, and every update event. Collab's document-model
// differential test (property-tests/Collab.Crdt.PropertyTests/DocModel) runs the same script on Collab `Doc`s.
//
// Protocol: one JSON request per stdin line, {"id":n,"op":"...",...}; one JSON response per stdout line,
// {"id":n,"ok":true,"result":...} or {"id":n,"ok":false,"error":"..."}. Binary values travel as base64. Requests
// are answered in order. Nothing else may reach stdout, so console output is sent to stderr.
//
// Ops:
//   ping                 -> "pong"
//   run {script}         -> { updates: [{peer, step, local, v1, v2}],      every update event, in order
//                             peers: [{client, stateV1, stateV2, sv,       encodeStateAsUpdate[V2], encodeStateVector
//                                      json: {root: string},            JSON.stringify(root.toJSON()), or "throws"
//                                      dump: {root: string}}],          see `dump` below
//                             skipped }
//   shutdown             -> "bye", then the process exits
//
// The script-running code (values, type collection, ops) is a copy of oracle.mjs', which cannot be imported (it is
// a process of its own); the two must stay in step with HistoryGen.

import * as Y from 'yjs'
import * as readline from 'node:readline'

const writeOut = process.stdout.write.bind(process.stdout)
for (const level of ['log', 'info', 'debug', 'warn']) {
  console[level] = (...args) => console.error(...args)
}

const fromB64 = (s) => {
  if (typeof s !== 'string') throw new Error('expected a base64 string')
  const buf = Buffer.from(s, 'base64')
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}
const toB64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64')

// ---------------------------------------------------------------------------------------------
// Copied from oracle.mjs (ROOTS .. applyOp).
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

// ---------------------------------------------------------------------------------------------

// A structural dump of a value, with every distinction the JSON loses: number kinds, undefined, BigInt, bytes,
// subdocuments, each shared type's kind, text deltas with their attributes and embeds, XML attributes.
// Collab's DocDump writes the same text. Map keys are sorted (UTF-16 code units); object keys keep their order.
const str = (s) => JSON.stringify(s)
const hex = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('hex')
// The live entries of a type's map part (Y.Map, and the attributes of XmlElement and Text), as typeMapGet reads them.
const sortedEntries = (type) => Array.from(type._map.entries())
  .filter(([_, item]) => !item.deleted)
  .sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
  .map(([k, item]) => str(k) + ':' + dump(item.content.getContent()[item.length - 1]))
  .join(',')

const dumpDelta = (text) => '[' + text.toDelta().map(d => {
  let s = '{' + dump(d.insert)
  if (d.attributes !== undefined) s += ' ' + dump(d.attributes)
  return s + '}'
}).join(',') + ']'

const dump = (v) => {
  if (v === null) return 'null'
  if (v === undefined) return 'undefined'
  switch (typeof v) {
    case 'boolean': return String(v)
    case 'number': return 'n(' + (Object.is(v, -0) ? '-0' : String(v)) + ')'
    case 'bigint': return 'big(' + String(v) + ')'
    case 'string': return str(v)
  }
  if (v instanceof Uint8Array) return 'bin(' + hex(v) + ')'
  if (v instanceof Y.Doc) return 'doc(' + str(v.guid) + ')'
  if (v instanceof Y.XmlHook) return 'hook(' + str(v.hookName) + '){' + sortedEntries(v) + '}'
  if (v instanceof Y.Map) return 'map{' + sortedEntries(v) + '}'
  if (v instanceof Y.Array) return 'array[' + v.toArray().map(dump).join(',') + ']'
  if (v instanceof Y.XmlText) return 'xmltext{' + sortedEntries(v) + '}' + dumpDelta(v)
  if (v instanceof Y.Text) return 'text{' + sortedEntries(v) + '}' + dumpDelta(v)
  if (v instanceof Y.XmlElement) return 'elem(' + str(v.nodeName) + '){' + sortedEntries(v) + '}[' + v.toArray().map(dump).join(',') + ']'
  if (v instanceof Y.XmlFragment) return 'frag[' + v.toArray().map(dump).join(',') + ']'
  if (v instanceof Y.AbstractType) return 'type?'
  if (Array.isArray(v)) return '[' + v.map(dump).join(',') + ']'
  return '{' + Object.keys(v).map(k => str(k) + ':' + dump(v[k])).join(',') + '}'
}

const ROOT_GETTERS = {
  map: (doc, name) => doc.getMap(name),
  array: (doc, name) => doc.getArray(name),
  text: (doc, name) => doc.getText(name),
  xml: (doc, name) => doc.getXmlFragment(name)
}

const rootJson = (root) => {
  try {
    return JSON.stringify(root.toJSON())
  } catch {
    return 'throws'
  }
}

const REMOTE = 'remote'

const runDocHistory = (script) => {
  if (script === null || typeof script !== 'object') throw new Error('script must be an object')
  const updates = []
  let stepIndex = -1
  const peers = script.peers.map((p, i) => {
    const doc = new Y.Doc({ gc: p.gc !== false, guid: 'peer-' + i })
    doc.clientID = nat(p.client)
    defineRoots(doc)
    const peer = { doc, log: [] }
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
    for (let round = 0; round < 2; round++) {
      for (const a of peers) {
        for (const b of peers) {
          if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), REMOTE)
        }
      }
    }
  }
  const result = {
    updates: updates.map(r => ({
      peer: r.peer,
      step: r.step,
      local: r.local,
      v1: toB64(r.v1 ?? Y.convertUpdateFormatV2ToV1(r.v2)),
      v2: toB64(r.v2 ?? Y.convertUpdateFormatV1ToV2(r.v1))
    })),
    peers: peers.map(p => {
      const json = {}
      const dumps = {}
      for (const [kind, name] of ROOTS) {
        const root = ROOT_GETTERS[kind](p.doc, name)
        json[name] = rootJson(root)
        dumps[name] = dump(root)
      }
      return {
        client: p.doc.clientID,
        stateV1: toB64(Y.encodeStateAsUpdate(p.doc)),
        stateV2: toB64(Y.encodeStateAsUpdateV2(p.doc)),
        sv: toB64(Y.encodeStateVector(p.doc)),
        json,
        dump: dumps
      }
    }),
    skipped
  }
  for (const p of peers) p.doc.destroy()
  return result
}

const ops = {
  ping: () => 'pong',
  run: ({ script }) => runDocHistory(script)
}

const respond = (obj) => {
  let line
  try {
    line = JSON.stringify(obj)
  } catch (e) {
    line = JSON.stringify({ id: obj.id ?? null, ok: false, error: 'unserializable result: ' + String(e) })
  }
  writeOut(line + '\n')
}

const handle = (line) => {
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (e) {
    respond({ id: null, ok: false, error: 'bad request line: ' + String(e && e.message) })
    return
  }
  if (req.op === 'shutdown') {
    respond({ id: req.id ?? null, ok: true, result: 'bye' })
    process.exit(0)
  }
  const fn = Object.prototype.hasOwnProperty.call(ops, req.op) ? ops[req.op] : null
  try {
    if (fn === null) throw new Error('unknown op ' + JSON.stringify(req.op))
    respond({ id: req.id, ok: true, result: fn(req) })
  } catch (e) {
    respond({ id: req.id, ok: false, error: e instanceof Error ? (e.stack || e.message) : String(e) })
  }
}

process.on('uncaughtException', (e) => console.error('doc-oracle: uncaught', e))
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', handle)
rl.on('close', () => process.exit(0))
