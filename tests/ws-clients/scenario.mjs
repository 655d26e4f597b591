// Drives real y-websocket providers (yjs + y-websocket client, `ws` as the WebSocket) against a Collab server.
// Usage: node scenario.mjs <scenario> '<json arguments>'
// Prints progress on stderr and one JSON result line on stdout; exits 0 when the scenario's checks pass.
// Every wait is bounded; the whole process gives up after args.timeoutMs (default 60 s).
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import { existsSync } from 'node:fs'

const [, , scenario, rawArgs] = process.argv
const args = JSON.parse(rawArgs ?? '{}')
const log = (...m) => console.error(`[${scenario}]`, ...m)
const deadline = setTimeout(() => fail(`scenario timed out after ${args.timeoutMs ?? 60000} ms`), args.timeoutMs ?? 60000)

// a small seeded generator: every run of a scenario makes the same edits
const rng = (seed) => () => {
  seed = (seed + 0x6D2B79F5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const providers = []
process.setMaxListeners(200) // each provider adds an exit listener

function client (name, { token, connect = true, clientID } = {}) {
  const doc = new Y.Doc()
  if (clientID !== undefined) doc.clientID = clientID
  const params = token ? { token } : {}
  const provider = new WebsocketProvider(args.url, args.room, doc, {
    WebSocketPolyfill: WebSocket,
    // providers in one process would otherwise sync through the BroadcastChannel instead of the server
    disableBc: true,
    params,
    connect,
    maxBackoffTime: 300
  })
  provider.denied = []
  const auth = provider.messageHandlers[2]
  provider.messageHandlers[2] = (encoder, decoder, p, emitSynced, type) => {
    const original = console.warn
    console.warn = (msg) => provider.denied.push(String(msg))
    try { auth(encoder, decoder, p, emitSynced, type) } finally { console.warn = original }
  }
  provider.closes = []
  provider.on('connection-close', (event) => { if (event) provider.closes.push({ code: event.code, reason: event.reason }) })
  providers.push(provider)
  return { name, doc, provider, awareness: provider.awareness }
}

async function waitFor (predicate, what, timeoutMs = 15000) {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const synced = (c) => waitFor(() => c.provider.synced, `${c.name} to sync`)

function content (doc) {
  return JSON.stringify({
    text: doc.getText('text').toString(),
    // a map's iteration order depends on the order a client learnt its keys: compare sorted
    map: Object.fromEntries(Object.entries(doc.getMap('map').toJSON()).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
    array: doc.getArray('array').toJSON(),
    xml: doc.getXmlFragment('xml').toString()
  })
}

const fingerprint = (doc) => content(doc) + '|' + Buffer.from(Y.encodeStateVector(doc)).toString('hex')

async function converged (clients, what = 'convergence', timeoutMs = 20000) {
  try {
    await waitFor(() => clients.every((c) => fingerprint(c.doc) === fingerprint(clients[0].doc)), what, timeoutMs)
  } catch (e) {
    clients.forEach((c) => log(c.name, fingerprint(c.doc)))
    throw e
  }
  return content(clients[0].doc)
}

function randomEdit (c, next, i) {
  const doc = c.doc
  const kind = Math.floor(next() * 4)
  doc.transact(() => {
    if (kind === 0) {
      const text = doc.getText('text')
      if (text.length > 4 && next() < 0.3) text.delete(Math.floor(next() * (text.length - 2)), 2)
      else text.insert(Math.floor(next() * (text.length + 1)), `${c.name}${i} `)
    } else if (kind === 1) {
      doc.getMap('map').set(`k${Math.floor(next() * 8)}`, `${c.name}:${i}`)
    } else if (kind === 2) {
      const array = doc.getArray('array')
      if (array.length > 2 && next() < 0.3) array.delete(Math.floor(next() * array.length), 1)
      else array.insert(Math.floor(next() * (array.length + 1)), [{ by: c.name, i }])
    } else {
      const xml = doc.getXmlFragment('xml')
      const el = new Y.XmlElement('p')
      el.setAttribute('by', c.name)
      el.insert(0, [new Y.XmlText(`${c.name} ${i}`)])
      xml.insert(Math.floor(next() * (xml.length + 1)), [el])
    }
  })
}

async function editConcurrently (clients, edits, seed) {
  // every client edits in its own loop; the loops interleave on the event loop, so edits cross on the wire
  await Promise.all(clients.map(async (c, n) => {
    const next = rng(seed * 1000 + n)
    for (let i = 0; i < edits; i++) {
      randomEdit(c, next, i)
      if (next() < 0.5) await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 5)))
    }
  }))
}

const scenarios = {
  // N clients edit text, map, array and XML at once; they converge; a late joiner receives everything
  async converge () {
    const clients = Array.from({ length: args.clients }, (_, i) => client(`c${i}`))
    await Promise.all(clients.map(synced))
    await editConcurrently(clients, args.edits, args.seed ?? 1)
    const state = await converged(clients)
    const late = client('late')
    await synced(late)
    const lateState = await converged([...clients, late], 'the late joiner to receive everything')
    return { clients: clients.length, content: JSON.parse(state), lateJoinerEqual: lateState === state }
  },

  // a client goes offline, both sides edit, it reconnects and everything merges
  async offline () {
    const a = client('a')
    const b = client('b')
    await Promise.all([synced(a), synced(b)])
    a.doc.getText('text').insert(0, 'shared ')
    await converged([a, b], 'the shared start')
    a.provider.disconnect()
    await waitFor(() => !a.provider.wsconnected, 'a to go offline')
    a.doc.getText('text').insert(0, 'offlineA ')
    a.doc.getMap('map').set('a', 1)
    a.doc.getArray('array').push(['fromA'])
    b.doc.getText('text').insert(b.doc.getText('text').length, 'onlineB')
    b.doc.getMap('map').set('b', 2)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const bWhileOffline = content(b.doc)
    a.provider.connect()
    await synced(a)
    const state = await converged([a, b], 'offline edits to merge')
    // a newcomer sees the merged document: the server kept everything
    const c = client('c')
    await synced(c)
    await converged([a, b, c], 'the newcomer to see the merged state')
    return { bWhileOffline: JSON.parse(bWhileOffline), content: JSON.parse(state) }
  },

  // awareness states appear, change, and disappear when their client's connection drops
  async awareness () {
    const a = client('a', { clientID: 1001 })
    const b = client('b', { clientID: 1002 })
    await Promise.all([synced(a), synced(b)])
    a.awareness.setLocalStateField('user', { name: 'Ada', color: '#ff0000' })
    await waitFor(() => b.awareness.getStates().get(1001)?.user?.name === 'Ada', "a's state to appear at b")
    a.awareness.setLocalStateField('cursor', { anchor: 3, head: 5 })
    await waitFor(() => b.awareness.getStates().get(1001)?.cursor?.head === 5, "a's change to reach b")
    b.awareness.setLocalStateField('user', { name: 'Bob' })
    await waitFor(() => a.awareness.getStates().get(1002)?.user?.name === 'Bob', "b's state to appear at a")
    // a newcomer receives the current states on connect
    const c = client('c', { clientID: 1003 })
    await synced(c)
    await waitFor(() => c.awareness.getStates().get(1001)?.cursor?.head === 5 && c.awareness.getStates().get(1002)?.user?.name === 'Bob',
      'the newcomer to receive the current states')
    // a vanishes without saying goodbye: the server removes its states and tells the others
    a.provider.shouldConnect = false
    a.provider.ws.terminate()
    await waitFor(() => !b.awareness.getStates().has(1001) && !c.awareness.getStates().has(1001), "a's state to disappear", 10000)
    return {
      bSees: [...b.awareness.getStates().keys()].sort(),
      cSees: [...c.awareness.getStates().keys()].sort()
    }
  },

  // a read-only token receives everything; its writes are refused with permission denied and never applied
  // a writer nests maps up to args.limit (relayed), then one level deeper in one transaction: the server closes it
  // with 4417, the provider stops (4400-4499 are permanent for y-websocket) and the others keep working
  async nesting () {
    const w = client('w')
    const o = client('o')
    await Promise.all([synced(w), synced(o)])
    const nest = (key, levels) => w.doc.transact(() => {
      let map = w.doc.getMap('m')
      for (let i = 0; i < levels; i++) {
        const child = new Y.Map()
        map.set(key, child)
        map = child
      }
    })
    nest('ok', args.limit)
    await waitFor(() => o.doc.getMap('m').has('ok'), 'the chain at the limit to reach the other client')
    let closed = null
    w.provider.on('closed', (event) => { closed = event })
    nest('deep', args.limit + 1)
    await waitFor(() => closed !== null, 'the server to close the writer for good')
    await new Promise((resolve) => setTimeout(resolve, 700)) // long past the 300 ms backoff: it must not reconnect
    o.doc.getMap('m').set('after', 1)
    const v = client('v')
    await synced(v)
    await waitFor(() => v.doc.getMap('m').has('after'), 'a new client to see the later edit')
    let depth = 0
    for (let m = v.doc.getMap('m').get('ok'); m instanceof Y.Map; m = m.get('ok')) depth++
    return {
      closed,
      writerConnected: w.provider.wsconnected || w.provider.wsconnecting,
      keys: [...v.doc.getMap('m').keys()].sort(),
      okDepth: depth
    }
  },

  async readonly () {
    const w = client('w', { token: args.writeToken })
    const r = client('r', { token: args.readToken })
    await Promise.all([synced(w), synced(r)])
    w.doc.getText('text').insert(0, 'hello')
    await waitFor(() => r.doc.getText('text').toString() === 'hello', 'the reader to receive the edit')
    r.doc.getText('text').insert(0, 'EVIL ')
    r.doc.getMap('map').set('evil', true)
    await waitFor(() => r.provider.denied.length >= 2, 'permission denied answers')
    w.doc.getText('text').insert(5, ' world')
    await waitFor(() => r.doc.getText('text').toString().endsWith('hello world'), 'the reader to keep receiving')
    const v = client('v', { token: args.writeToken })
    await synced(v)
    await waitFor(() => v.doc.getText('text').toString() === 'hello world', 'the verifier to see the stored text')
    await new Promise((resolve) => setTimeout(resolve, 200))
    return {
      writer: w.doc.getText('text').toString(),
      verifier: v.doc.getText('text').toString(),
      verifierMapKeys: [...v.doc.getMap('map').keys()],
      denied: r.provider.denied
    }
  },

  // clients edit steadily for a while (while a test misbehaves on other connections), then must converge
  async steady () {
    const clients = Array.from({ length: args.clients ?? 2 }, (_, i) => client(`s${i}`))
    await Promise.all(clients.map(synced))
    process.stdout.write(JSON.stringify({ ready: true }) + '\n')
    const until = Date.now() + (args.durationMs ?? 2000)
    const next = rng(args.seed ?? 7)
    let i = 0
    while (Date.now() < until) {
      clients.forEach((c) => c.doc.getText('text').insert(0, `${c.name}:${i} `))
      i++
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(next() * 20)))
    }
    const state = await converged(clients)
    const closes = clients.flatMap((c) => c.provider.closes)
    return { edits: i * clients.length, closes, length: JSON.parse(state).text.length }
  },

  // writers push numbered items until the server goes away; reports what an observer had received by then
  async stream () {
    const writers = Array.from({ length: args.writers ?? 2 }, (_, i) => client(`w${i}`))
    const observer = client('observer')
    await Promise.all([...writers, observer].map(synced))
    let down = false
    observer.provider.on('status', ({ status }) => { if (status === 'disconnected') down = true })
    process.stdout.write(JSON.stringify({ ready: true }) + '\n')
    let i = 0
    while (!down) {
      writers.forEach((w) => w.doc.getArray('array').push([`${w.name}:${i}`]))
      i++
      await new Promise((resolve) => setTimeout(resolve, args.intervalMs ?? 5))
      if (i > 100000) throw new Error('the server never went away')
    }
    // stop everyone at once: nothing may be resent to the restarted server
    const received = observer.doc.getArray('array').toArray()
    providers.forEach((p) => { p.shouldConnect = false; p.destroy() })
    return { written: i * writers.length, received }
  },

  // connects, syncs and reports the document (used to check what the server holds)
  async read () {
    const c = client('reader', { token: args.token })
    await synced(c)
    await new Promise((resolve) => setTimeout(resolve, args.settleMs ?? 100))
    return { content: JSON.parse(content(c.doc)) }
  },

  // two clients edit every kind of root (text with formatting, map, array with nested types, xml); a fresh reader
  // syncs and reports each root as yjs renders it (toJSON; xml toString), for comparison with the REST content
  async tojson () {
    const a = client('a')
    const b = client('b')
    await Promise.all([synced(a), synced(b)])
    a.doc.transact(() => {
      const text = a.doc.getText('text')
      text.insert(0, 'Hello wörld 🎉 ')
      text.format(0, 5, { bold: true })
      const map = a.doc.getMap('map')
      map.set('n', 1.5)
      map.set('big', 12345678901)
      map.set('neg', -0.25)
      map.set('t', true)
      map.set('nil', null)
      map.set('s', 'quote " and \\ backslash')
      map.set('obj', { x: [1, 'two', { three: 3 }], y: null })
      map.set('bytes', new Uint8Array([1, 2, 3]))
      const inner = new Y.Map()
      map.set('inner', inner)
      inner.set('k', 'v')
      const array = a.doc.getArray('array')
      const nestedText = new Y.Text()
      array.push([1, 'two', { three: 3 }, nestedText, new Y.Array()])
      nestedText.insert(0, 'nested')
      const xml = a.doc.getXmlFragment('xml')
      const p = new Y.XmlElement('p')
      p.setAttribute('class', 'lead')
      p.insert(0, [new Y.XmlText('para'), new Y.XmlElement('br')])
      xml.insert(0, [p, new Y.XmlText('tail')])
    })
    b.doc.transact(() => {
      b.doc.getText('text').insert(0, 'B says ')
      b.doc.getMap('map').set('fromB', [1, 2, 3])
      b.doc.getArray('array').insert(0, ['b-first'])
    })
    await converged([a, b])
    a.doc.getText('text').delete(0, 2)
    b.doc.getArray('array').delete(1, 1)
    b.doc.getMap('map').delete('t')
    await converged([a, b])
    const reader = client('reader')
    await synced(reader)
    await converged([a, b, reader], 'the reader to receive everything')
    const d = reader.doc
    const named = JSON.stringify({
      text: d.getText('text').toJSON(),
      map: d.getMap('map').toJSON(),
      array: d.getArray('array').toJSON(),
      xml: d.getXmlFragment('xml').toString()
    })
    return { named }
  },

  // connects, says it is ready, then waits until the text equals args.expect (sent by someone else, e.g. REST)
  async expect () {
    const c = client('expecter', { token: args.token })
    await synced(c)
    process.stdout.write(JSON.stringify({ ready: true }) + '\n')
    await waitFor(() => c.doc.getText('text').toString() === args.expect, `the text to become ${JSON.stringify(args.expect)}`, args.waitMs ?? 15000)
    return { text: c.doc.getText('text').toString() }
  },

  // restore over REST while two clients are connected and a third is offline with edits of its own
  async restore () {
    const api = `${args.http}/api/workspaces/${args.room.split('/').map(encodeURIComponent).join('/documents/')}`
    const headers = args.token ? { Authorization: `Bearer ${args.token}` } : {}
    const call = async (method, path, body) => {
      const res = await fetch(api + path, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) })
      const json = res.status === 204 ? null : await res.json()
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
      return json
    }
    const a = client('a')
    const b = client('b')
    const c = client('c')
    await Promise.all([synced(a), synced(b), synced(c)])
    a.doc.getText('text').insert(0, 'version one')
    a.doc.getMap('map').set('status', 'draft')
    b.doc.getArray('array').push(['first'])
    await converged([a, b, c], 'the first version')
    const snapshot = await call('POST', '/snapshots', { label: 'version one' })
    const expected = content(a.doc)

    // c goes offline and edits; a and b change everything
    c.provider.disconnect()
    await waitFor(() => !c.provider.wsconnected, 'c to go offline')
    c.doc.getText('text').insert(c.doc.getText('text').length, ' +offline')
    c.doc.getMap('map').set('offline', true)
    a.doc.getText('text').delete(0, 7)
    a.doc.getText('text').insert(0, 'REWRITTEN')
    a.doc.getMap('map').set('status', 'published')
    b.doc.getArray('array').push(['second'])
    b.doc.getXmlFragment('xml').insert(0, [new Y.XmlElement('hr')])
    await converged([a, b], 'the second version')
    const changed = content(a.doc)

    const started = Date.now()
    const restored = await call('POST', `/snapshots/${snapshot.id}/restore`, undefined)
    const aAt = waitFor(() => content(a.doc) === expected, 'a to hold the snapshot', 5000).then(() => Date.now() - started)
    const bAt = waitFor(() => content(b.doc) === expected, 'b to hold the snapshot', 5000).then(() => Date.now() - started)
    const [aMs, bMs] = await Promise.all([aAt, bAt])

    // both keep editing after the restore and converge
    a.doc.getText('text').insert(0, 'after ')
    b.doc.getMap('map').set('after', 'b')
    const afterRestore = await converged([a, b], 'edits after the restore')

    // c comes back: its offline edits merge on top of the restored document
    c.provider.connect()
    await synced(c)
    const final = await converged([a, b, c], 'the offline client to merge')
    const history = await call('GET', '/history', undefined)
    return { snapshot, restored, expected: JSON.parse(expected), changed: JSON.parse(changed), aMs, bMs, afterRestore: JSON.parse(afterRestore), final: JSON.parse(final), history }
  },

  // writes a text and waits for the server's echo of it
  async write () {
    const c = client('writer', { token: args.token })
    await synced(c)
    c.doc.getText('text').insert(c.doc.getText('text').length, args.text)
    await waitFor(() => c.provider.ws !== null && c.provider.ws.bufferedAmount === 0, 'the write to be sent')
    await new Promise((resolve) => setTimeout(resolve, args.settleMs ?? 300))
    return { content: JSON.parse(content(c.doc)) }
  },

  // the load generator's light client (bench/load/light.mjs, no Y.Doc) against yjs and a provider: the updates it
  // writes are the bytes yjs writes for the same map sets, a provider applies them, it reads a provider's values and
  // a merged update's back, and a late light client gets the state from sync step 2
  async light () {
    const { LightClient, encodeMapSet, readUpdateValues } = await import('../../bench/load/light.mjs')
    const doc = new Y.Doc()
    doc.clientID = 3000000000
    const updates = []
    doc.on('update', (u) => updates.push(u))
    const values = [{ s: 0, t: [12] }, { s: 1, t: [12, 250000] }, { s: 2, t: [0, 63, 64, 8191, 8192, 2147483647, -5] },
      { s: 3, t: [], name: 'zoë €', none: null, yes: true, no: false, nested: { a: [1, 'x'] } }]
    const mismatches = []
    values.forEach((v, i) => {
      doc.getMap('m').set('k', v)
      const mine = Buffer.from(encodeMapSet(doc.clientID, i, 'm', 'k', v, i === 0 ? null : i - 1)).toString('hex')
      const theirs = Buffer.from(updates[i]).toString('hex')
      if (mine !== theirs) mismatches.push({ i, mine, theirs })
    })
    const readBack = []
    readUpdateValues(Y.mergeUpdates(updates), (c, vs) => readBack.push(...vs.map((v) => ({ client: c, v }))))

    const p = client('provider')
    await synced(p)
    const seen = []
    const light = new LightClient(WebSocket, args.url, args.room, { onValues: (c, vs) => vs.forEach((v) => seen.push({ client: c, v })) })
    await light.synced
    light.setAwareness({ user: { name: 'light' } })
    for (let s = 0; s < 3; s++) {
      light.set('light', { s, t: [s] })
      p.doc.getMap('m').set('provider', { s, t: [s] })
    }
    await waitFor(() => p.doc.getMap('m').get('light')?.s === 2, 'the light client\'s edits at the provider')
    await waitFor(() => seen.some((x) => x.client === p.doc.clientID && x.v.s === 2), "the provider's edits at the light client")
    await waitFor(() => p.awareness.getStates().get(light.clientID)?.user?.name === 'light', "the light client's awareness at the provider")
    const late = []
    const lateClient = new LightClient(WebSocket, args.url, args.room, { onValues: (c, vs) => vs.forEach((v) => late.push({ client: c, v })) })
    await lateClient.synced
    light.close()
    lateClient.close()
    return {
      mismatches,
      readBack: readBack.map((x) => x.client === doc.clientID ? x.v.s : -1),
      providerSaw: p.doc.getMap('m').get('light'),
      lightSaw: seen.filter((x) => x.client === p.doc.clientID).map((x) => x.v.s),
      lateSaw: late.map((x) => (x.client === light.clientID ? 'light' : x.client === p.doc.clientID ? 'provider' : 'other') + x.v.s).sort()
    }
  },

  // for the workspace hub: two users (awareness user fields) join, a edits once and then in a quick burst, moves its
  // cursor (not a presence change), and they leave one by one (a says goodbye, b's connection just drops). Prints {stage:'present'} once both are known, then
  // waits for the file args.gate (if given) so the test can look at the presence before anything else happens.
  async presence () {
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
    const a = client('a', { clientID: 2001, token: args.token })
    const b = client('b', { clientID: 2002, token: args.token })
    await Promise.all([synced(a), synced(b)])
    a.awareness.setLocalStateField('user', { name: 'Ada', color: '#ff0000' })
    b.awareness.setLocalStateField('user', { name: 'Bob' })
    await waitFor(() => a.awareness.getStates().get(2002)?.user?.name === 'Bob' && b.awareness.getStates().get(2001)?.user?.name === 'Ada',
      'both users to know each other')
    process.stdout.write(JSON.stringify({ stage: 'present' }) + '\n')
    if (args.gate) await waitFor(() => existsSync(args.gate), 'the test to open the gate', 30000)
    a.doc.getText('text').insert(0, 'first ')
    await converged([a, b], 'the first edit')
    await sleep(args.pauseMs ?? 600)
    for (let i = 0; i < args.edits; i++) {
      a.doc.getText('text').insert(0, `e${i} `)
      await sleep(args.editIntervalMs ?? 10)
    }
    await converged([a, b], 'the burst of edits')
    a.awareness.setLocalStateField('cursor', { anchor: 1, head: 2 })
    await waitFor(() => b.awareness.getStates().get(2001)?.cursor?.head === 2, "a's cursor to reach b")
    await sleep(300)
    a.provider.destroy()
    await waitFor(() => !b.awareness.getStates().has(2001), "a's state to disappear at b")
    await sleep(300)
    const text = b.doc.getText('text').toString()
    // b vanishes without a goodbye: the server drops its state when the connection closes
    b.provider.shouldConnect = false
    b.provider.ws.terminate()
    return { text }
  }
}

function fail (message) {
  process.stdout.write(JSON.stringify({ ok: false, error: message }) + '\n')
  process.exit(1)
}

try {
  if (!scenarios[scenario]) fail(`unknown scenario ${scenario}`)
  const result = await scenarios[scenario]()
  providers.forEach((p) => p.destroy())
  clearTimeout(deadline)
  process.stdout.write(JSON.stringify({ ok: true, ...result }) + '\n')
  setTimeout(() => process.exit(0), 50)
} catch (e) {
  fail(e.stack ?? String(e))
}
