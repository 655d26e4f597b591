// Prints the golden y-protocols vectors that tests/Collab.Sync.Tests/Golden/YProtocolsVectors.cs holds.
// Run: node tests/ws-clients/vectors.mjs  (after npm ci --prefix tests/ws-clients)
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as authProtocol from 'y-protocols/auth'
import * as awarenessProtocol from 'y-protocols/awareness'

const hex = (u8) => Buffer.from(u8).toString('hex')
const frame = (type, write) => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, type)
  write(e)
  return encoding.toUint8Array(e)
}

const doc = new Y.Doc()
doc.clientID = 2 ** 40 + 7 // above 2^32: client ids are held as ulong
doc.getText('t').insert(0, 'héllo 👋')
doc.getMap('m').set('k', [1, 'two', { three: 3 }])
const other = new Y.Doc()
other.clientID = 5
other.getArray('a').insert(0, [1, 2, 3])
const sv = Y.encodeStateVector(other)
const update = Y.encodeStateAsUpdate(doc)

const out = {
  emptyStep1: hex(frame(0, (e) => syncProtocol.writeSyncStep1(e, new Y.Doc()))),
  step1: hex(frame(0, (e) => syncProtocol.writeSyncStep1(e, doc))),
  step1StateVector: hex(Y.encodeStateVector(doc)),
  step2: hex(frame(0, (e) => syncProtocol.writeSyncStep2(e, doc, sv))),
  step2Update: hex(Y.encodeStateAsUpdate(doc, sv)),
  update: hex(frame(0, (e) => syncProtocol.writeUpdate(e, update))),
  updatePayload: hex(update),
  permissionDenied: hex(frame(2, (e) => authProtocol.writePermissionDenied(e, 'read-only: ünicode ✓'))),
  queryAwareness: hex(frame(3, () => {}))
}

// awareness: a state with unicode and nesting, a big client id, and a removal
const a1 = new awarenessProtocol.Awareness(doc)
a1.setLocalState({ user: { name: 'Zoë ✓', color: '#30bced' }, cursor: null, n: 1.5 })
a1.setLocalStateField('n', 2)
const a2 = new awarenessProtocol.Awareness(other)
a2.setLocalState({ x: [1, 2] })
a2.setLocalState(null)
const combined = new awarenessProtocol.Awareness(new Y.Doc())
awarenessProtocol.applyAwarenessUpdate(combined, awarenessProtocol.encodeAwarenessUpdate(a1, [doc.clientID]), 'test')
const a1Update = awarenessProtocol.encodeAwarenessUpdate(a1, [doc.clientID])
const a2Update = awarenessProtocol.encodeAwarenessUpdate(a2, [other.clientID])
const both = new Uint8Array([...[2], ...a1Update.slice(1), ...a2Update.slice(1)])
out.awarenessUpdate = hex(both)
out.awarenessFrame = hex(frame(1, (e) => encoding.writeVarUint8Array(e, both)))
out.awarenessClock1 = a1.meta.get(doc.clientID).clock
out.awarenessClock2 = a2.meta.get(other.clientID).clock

// apply semantics: a scripted sequence applied to a fresh Awareness, the full table encoded after each step
const script = [
  [[9, 0, { a: 1 }]], // clock 0 for an unknown client: ignored
  [[9, 1, { a: 1 }]], // added
  [[9, 1, { a: 2 }]], // same clock: ignored
  [[9, 2, { a: 1 }]], // renewal (updated, unchanged)
  [[9, 3, { a: 3 }], [10, 4, 'str']], // updated + added
  [[9, 3, null]], // equal clock, null, state exists: removed
  [[9, 3, { a: 4 }]], // equal clock again: ignored
  [[9, 5, { a: 5 }]], // re-added with a newer clock (known meta: reported as updated)
  [[10, 4, null], [11, 7, null]] // removal; removal of an unknown client (sets meta only)
]
const target = new awarenessProtocol.Awareness(new Y.Doc())
target.setLocalState(null)
const steps = []
for (const entries of script) {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(e, id)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, JSON.stringify(state))
  }
  let changes = null
  const h = (c) => { changes = c }
  target.on('update', h)
  awarenessProtocol.applyAwarenessUpdate(target, encoding.toUint8Array(e), 'test')
  target.off('update', h)
  const known = Array.from(target.meta.keys()).filter((k) => k !== target.clientID).sort((x, y) => x - y)
  steps.push({
    input: hex(encoding.toUint8Array(e)),
    added: changes ? changes.added : [],
    updated: changes ? changes.updated : [],
    removed: changes ? changes.removed : [],
    table: hex(awarenessProtocol.encodeAwarenessUpdate(target, known))
  })
}
out.awarenessScript = steps
console.log(JSON.stringify(out, null, 2))
process.exit(0)
