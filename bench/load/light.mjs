// A light y-websocket client for the load generator: speaks the y-websocket protocol on a `ws` socket without a
// Y.Doc. It writes one key of the root map `m` (what a Y.Map set writes, byte for byte: the node test
// `light-client` in tests/ws-clients compares its updates with yjs's) and reads the updates it receives only as far
// as the map values they carry, so that receiving an edit costs the generator a small fraction of what a provider
// applying it to a Y.Doc costs. The server cannot tell it from a provider: the same messages reach it in the same
// order. No imports, so that the tests can load it without this folder's node_modules.
//
//   const c = new LightClient(WebSocket, url, room, { onValues (client, values) {} })
//   await c.synced           // sync step 2 received (the document as the server had it)
//   c.set('c7', { s: 0, t: [12] })
//   c.setAwareness({ user: { name: 'c7' } })
//   c.close()

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const SYNC_STEP1 = 0
const SYNC_STEP2 = 1
const SYNC_UPDATE = 2
const CONTENT_ANY = 8
const utf8 = new TextEncoder()
const utf8Decoder = new TextDecoder()

// --- writing (lib0's encoding, for the few shapes written here) ---

class Writer {
  constructor () { this.bytes = [] }
  byte (b) { this.bytes.push(b) }
  uint (n) { // varUint
    while (n > 0x7f) { this.bytes.push(0x80 | (n & 0x7f)); n = Math.floor(n / 128) }
    this.bytes.push(n)
  }
  int (n) { // varInt: sign in the first byte's second bit
    const negative = n < 0 || Object.is(n, -0)
    if (negative) n = -n
    this.bytes.push((n > 0x3f ? 0x80 : 0) | (negative ? 0x40 : 0) | (n & 0x3f))
    n = Math.floor(n / 64)
    while (n > 0) { this.bytes.push((n > 0x7f ? 0x80 : 0) | (n & 0x7f)); n = Math.floor(n / 128) }
  }
  string (s) { const b = utf8.encode(s); this.uint(b.length); for (const x of b) this.bytes.push(x) }
  array (a) { this.uint(a.length); for (const x of a) this.bytes.push(x) } // varUint8Array
  any (v) { // lib0 writeAny, for what JSON holds
    if (v === null) this.byte(126)
    else if (v === undefined) this.byte(127)
    else if (v === true) this.byte(120)
    else if (v === false) this.byte(121)
    else if (typeof v === 'string') { this.byte(119); this.string(v) }
    else if (typeof v === 'number') {
      if (!Number.isInteger(v) || Math.abs(v) > 0x7fffffff) throw new Error('the light client writes integers only')
      this.byte(125); this.int(v)
    } else if (Array.isArray(v)) { this.byte(117); this.uint(v.length); for (const x of v) this.any(x) }
    else { const keys = Object.keys(v); this.byte(118); this.uint(keys.length); for (const k of keys) { this.string(k); this.any(v[k]) } }
  }
  done () { return Uint8Array.from(this.bytes) }
}

// The update a Y.Doc with this client id writes when it sets `key` of the root map `map` to `value`, given the clock
// of this client's previous item for that key (null for the first): one item of ContentAny, and the previous
// value's deletion.
export function encodeMapSet (client, clock, map, key, value, previous) {
  const w = new Writer()
  w.uint(1) // one client's structs
  w.uint(1) // one struct
  w.uint(client)
  w.uint(clock)
  if (previous === null) {
    w.byte(CONTENT_ANY | 0x20) // parentSub, no origins: the parent follows
    w.uint(1) // parent named by its root key
    w.string(map)
    w.string(key)
  } else {
    w.byte(CONTENT_ANY | 0x80 | 0x20) // origin (the previous value), parentSub (implied by the origin)
    w.uint(client)
    w.uint(previous)
  }
  w.uint(1) // one value
  w.any(value)
  // delete set: the previous value
  if (previous === null) w.uint(0)
  else { w.uint(1); w.uint(client); w.uint(1); w.uint(previous); w.uint(1) }
  return w.done()
}

function syncMessage (kind, payload) {
  const w = new Writer()
  w.uint(MESSAGE_SYNC); w.uint(kind); w.array(payload)
  return w.done()
}

// --- reading ---

class Reader {
  constructor (bytes) { this.b = bytes; this.p = 0 }
  byte () { if (this.p >= this.b.length) throw new Error('unexpected end of message'); return this.b[this.p++] }
  uint () {
    let n = 0; let mult = 1
    for (;;) {
      const r = this.byte()
      n += (r & 0x7f) * mult
      if (r < 0x80) return n
      mult *= 128
      if (mult > 2 ** 53) throw new Error('varUint too long')
    }
  }
  int () {
    let r = this.byte()
    let n = r & 0x3f; let mult = 64
    const negative = (r & 0x40) !== 0
    while (r & 0x80) { r = this.byte(); n += (r & 0x7f) * mult; mult *= 128 }
    return negative ? -n : n
  }
  bytesOf (n) { if (this.p + n > this.b.length) throw new Error('unexpected end of message'); const s = this.b.subarray(this.p, this.p + n); this.p += n; return s }
  array () { return this.bytesOf(this.uint()) }
  string () { return utf8Decoder.decode(this.array()) }
  any () {
    const t = this.byte()
    switch (t) {
      case 127: return undefined
      case 126: return null
      case 125: return this.int()
      case 124: { const v = new DataView(this.b.buffer, this.b.byteOffset + this.p, 4).getFloat32(0); this.p += 4; return v }
      case 123: { const v = new DataView(this.b.buffer, this.b.byteOffset + this.p, 8).getFloat64(0); this.p += 8; return v }
      case 122: { const v = new DataView(this.b.buffer, this.b.byteOffset + this.p, 8).getBigInt64(0); this.p += 8; return v }
      case 121: return false
      case 120: return true
      case 119: return this.string()
      case 118: { const o = {}; for (let n = this.uint(); n > 0; n--) { const k = this.string(); o[k] = this.any() } return o }
      case 117: { const a = []; for (let n = this.uint(); n > 0; n--) a.push(this.any()); return a }
      case 116: return this.array()
      default: throw new Error(`unknown Any type ${t}`)
    }
  }
}

// Calls onValues(client, values) for every item of ContentAny in a v1 update, in the update's order (a client's
// items by clock); every other struct is read past. Throws on a malformed update.
export function readUpdateValues (update, onValues) {
  const r = new Reader(update)
  for (let clients = r.uint(); clients > 0; clients--) {
    let structs = r.uint()
    const client = r.uint()
    r.uint() // first clock
    for (; structs > 0; structs--) {
      const info = r.byte()
      const ref = info & 0x1f
      if (ref === 0 || ref === 10) { r.uint(); continue } // GC, Skip: a length
      if (info & 0x80) { r.uint(); r.uint() } // origin
      if (info & 0x40) { r.uint(); r.uint() } // right origin
      if ((info & 0xc0) === 0) {
        if (r.uint() === 1) r.string() // parent: a root type's name
        else { r.uint(); r.uint() } // or an item's id
        if (info & 0x20) r.string() // parentSub
      }
      switch (ref) {
        case 1: r.uint(); break // deleted: a length
        case 2: for (let n = r.uint(); n > 0; n--) r.string(); break // JSON
        case 3: r.array(); break // binary
        case 4: r.string(); break // string
        case 5: r.string(); break // embed
        case 6: r.string(); r.string(); break // format
        case 7: { const type = r.uint(); if (type === 3 || type === 5) r.string(); break } // type (XmlElement, XmlHook: a name)
        case 8: { const values = []; for (let n = r.uint(); n > 0; n--) values.push(r.any()); onValues(client, values); break }
        case 9: r.string(); r.any(); break // subdocument
        default: throw new Error(`unknown content ref ${ref}`)
      }
    }
  }
  // the delete set follows; nothing here needs it
}

export class LightClient {
  constructor (WebSocket, url, room, { onValues, clientID } = {}) {
    this.clientID = clientID ?? (Math.random() * 0x100000000) >>> 0
    this.clock = 0
    this.previous = new Map() // key -> clock of this client's current item for it
    this.awarenessClock = 0
    this.awarenessState = null
    this.onValues = onValues ?? (() => {})
    this.messages = 0 // update messages received (step 2 and updates)
    this.ws = new WebSocket(`${url}/${room}`)
    this.ws.binaryType = 'nodebuffer'
    this.synced = new Promise((resolve, reject) => {
      this._synced = resolve
      this.ws.once('error', reject)
      this.ws.once('close', (code, reason) => reject(new Error(`closed before sync: ${code} ${reason}`)))
    })
    this.synced.catch(() => {}) // a failed connection is the awaiting caller's to report, not an unhandled rejection
    this.closed = null // { code, reason } once the socket closed
    this.ws.on('close', (code, reason) => { this.closed = { code, reason: String(reason) } })
    this.ws.on('error', () => {}) // reported through `synced` or `closed`
    this.ws.on('open', () => this.ws.send(syncMessage(SYNC_STEP1, Uint8Array.of(0)))) // an empty state vector: send me everything
    this.ws.on('message', (data) => this._receive(data))
  }

  _receive (data) {
    const r = new Reader(data)
    const type = r.uint()
    if (type !== MESSAGE_SYNC) return // awareness, auth, query-awareness: not needed here
    const kind = r.uint()
    if (kind === SYNC_STEP1) {
      // the server's state vector: answer with everything it lacks. Edits start after sync, so at that moment that
      // is nothing; after a reconnect (not done here) it would be this client's items
      r.array()
      this.ws.send(syncMessage(SYNC_STEP2, Uint8Array.of(0, 0)))
      return
    }
    const update = r.array()
    this.messages++
    readUpdateValues(update, this.onValues)
    if (kind === SYNC_STEP2) this._synced()
  }

  set (key, value, map = 'm') {
    const previous = this.previous.get(key) ?? null
    const update = encodeMapSet(this.clientID, this.clock, map, key, value, previous)
    this.previous.set(key, this.clock)
    this.clock++
    this.ws.send(syncMessage(SYNC_UPDATE, update))
    return update
  }

  // y-protocols' awareness update for this client; call again to renew (y-protocols renews every 15 s)
  setAwareness (state) {
    if (state !== undefined) this.awarenessState = state
    const w = new Writer()
    w.uint(1); w.uint(this.clientID); w.uint(++this.awarenessClock); w.string(JSON.stringify(this.awarenessState))
    const m = new Writer()
    m.uint(MESSAGE_AWARENESS); m.array(w.done())
    this.ws.send(m.done())
  }

  close () { this.ws.close() }
}
