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
import { runHistory, ROOTS } from './script-ops.mjs'

const writeOut = process.stdout.write.bind(process.stdout)
for (const level of ['log', 'info', 'debug', 'warn']) {
  console[level] = (...args) => console.error(...args)
}


// ---------------------------------------------------------------------------------------------

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

const describePeer = (doc) => {
  const json = {}
  const dumps = {}
  for (const [kind, name] of ROOTS) {
    const root = ROOT_GETTERS[kind](doc, name)
    json[name] = rootJson(root)
    dumps[name] = dump(root)
  }
  return { json, dump: dumps }
}

// Collab renames its peers exactly as yjs does, so a renamed peer is compared, not refused.
const runDocHistory = (script) => runHistory(script, { describePeer, checkClientIds: false })

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
