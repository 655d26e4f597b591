// Load generator: rooms × clients real y-websocket providers, each editing `rate` times a second; measures the
// latency from an edit to its arrival at each other client of the room, and counts what never arrived.
//
//   node load.mjs --url ws://127.0.0.1:5000/ws --rooms 50 --clients 8 --rate 10 --duration 30 [--warmup 5] [--workers 2]
//                 [--client provider|light]
//
// --client provider (the default): each client is a y-websocket provider with its Y.Doc, as an editor runs it; the
// generator's processes then spend most of their CPU applying every update to 400 Y.Docs, and on two cores shared
// with the server that backlog becomes part of every latency. --client light: each client is light.mjs, the same
// protocol and the same bytes on the wire without a Y.Doc (it reads the values off each update), so the latency is the
// server's and the network's, and the generator's own delay stays small.
//
// Every client writes its own key of a Y.Map (`c<id>` = { s: seq of its last edit, t: the times of its last 16 edits,
// in 0.1 ms since the common start }): the document stays small, each edit is one update. A server may deliver several
// edits in one message (Collab merges what one flush made durable), and then a receiver sees only the key's last
// value: the history in it still shows every edit that arrived, and when. After a stall longer than 16 edits the
// older ones are no longer listed; they count as received with the oldest listed edit's latency (a lower bound of
// theirs) and as `unlisted`. Timestamps are performance.timeOrigin + performance.now(), comparable across the worker
// processes. Prints one JSON line: { sent, expected, received, lost, unlisted, messages, p50, p95, p99, max,
// generatorCpu, loopP99, loopMax } (latencies in ms; messages = remote transactions the clients applied, so
// received / messages is how many edits a message carried; generatorCpu = CPU seconds of all the generator's
// processes, from start-up to the end; loopP99 / loopMax = how late the worse worker's event loop ran, in ms, over the
// measured part: an arrival is timed only when its worker's loop gets to it, so that much of any latency is the
// generator's own). With --timeline FILE it also writes where in the run the latencies fell: per second since the
// start of the edits (the warm-up first), the arrivals of the edits made in it and their p50 / p99 / max, the
// generator's event-loop delay in that second, and the p99 of the first 4 s
// after the warm-up against the rest (a server's first seconds after start-up pay for its JIT compiling; spikes show
// which second).
import { fork } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import { LightClient } from './light.mjs'

process.setMaxListeners(1000) // each provider adds an exit listener
const now = () => performance.timeOrigin + performance.now()

function parseArgs (argv) {
  const args = { rooms: 10, clients: 4, rate: 5, duration: 10, warmup: 3, workers: 2, prefix: `load-${process.pid}`, client: 'provider' }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--')) {
      const key = a.slice(2)
      const value = argv[i + 1]
      i++
      args[key] = key === 'url' || key === 'prefix' || key === 'timeline' || key === 'client' ? value : Number(value)
    }
  }
  return args
}

async function worker () {
  // receives { url, prefix, assignments: [[room, client]], rate, duration, warmup, start }
  // messages sent to a child before it listens can be lost: ask for the job once listening
  const jobArrived = new Promise((resolve) => process.once('message', resolve))
  process.send({ type: 'hello' })
  const job = await jobArrived
  const clients = []
  const epoch = { start: 0, measureFrom: Infinity } // set below, before the first edit
  for (const [room, id] of job.assignments) {
    // people join a room at different moments: the clients are created over 3 s, which spreads the phases of
    // y-protocols' awareness check (every 3 s from a provider's creation; see the renewals below)
    await new Promise((resolve) => setTimeout(resolve, 3000 / job.assignments.length))
    const c = { room, id, sent: 0, seq: 0, history: [], latencies: [], sentAt: [], received: 0, unlisted: 0, messages: 0, seen: new Map() }
    const arrived = (sentAt, latency) => {
      c.latencies.push(latency)
      if (job.timeline) c.sentAt.push(sentAt - epoch.start)
      c.received++
    }
    // a value of another client's key (`writer`) arrived at time t
    const receive = (writer, v, t) => {
      if (!v || !v.t) return
      const last = c.seen.get(writer) ?? -1
      if (v.s <= last) return
      const first = v.s - v.t.length + 1
      // After a stall (more than 16 edits of one client in one message) the edits between the last one seen and the
      // oldest the value lists arrived too: Yjs applies a client's updates in order, so the key at seq s means every
      // earlier edit was applied. Their times fell out of the list: each counts as received with the oldest listed
      // edit's latency, a lower bound of its own, and is measured if it was made after the warm-up by the schedule.
      if (first > last + 1) {
        const oldestAt = epoch.start + v.t[0] / 10
        for (let k = 0; k < first - (last + 1); k++) {
          if (oldestAt - (k + 1) * (1000 / job.rate) < epoch.measureFrom) break
          arrived(oldestAt, t - oldestAt)
          c.unlisted++
        }
      }
      for (let i = Math.max(0, last + 1 - first); i < v.t.length; i++) {
        const sentAt = epoch.start + v.t[i] / 10
        // an edit is measured when it was made after the warm-up
        if (sentAt >= epoch.measureFrom) arrived(sentAt, t - sentAt)
      }
      c.seen.set(writer, v.s)
    }
    if (job.client === 'light') {
      // reads values off the wire: a message counts once, at the time its first value is read
      let counted = -1
      c.light = new LightClient(WebSocket, job.url, `${job.prefix}/r${room}`, {
        onValues (writer, values) {
          if (writer === c.light.clientID) return
          const t = now()
          if (counted !== c.light.messages) { counted = c.light.messages; if (t >= epoch.measureFrom) c.messages++ }
          for (const v of values) receive(writer, v, t)
        }
      })
      c.set = (value) => c.light.set(`c${id}`, value)
      c.synced = c.light.synced
      c.setAwareness = (state) => { c.light.setAwareness(state); c.renewal = setInterval(() => c.light.setAwareness(), 15000) }
      c.destroy = () => { clearInterval(c.renewal); c.light.close() }
    } else {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(job.url, `${job.prefix}/r${room}`, doc, {
        WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 1000
      })
      const map = doc.getMap('m')
      map.observe((event, tx) => {
        if (tx.local) return
        const t = now()
        if (t >= epoch.measureFrom) c.messages++
        for (const key of event.keysChanged) {
          if (key !== `c${id}`) receive(key, map.get(key), t)
        }
      })
      c.set = (value) => map.set(`c${id}`, value)
      c.synced = provider.synced ? Promise.resolve() : new Promise((resolve) => provider.once('sync', resolve))
      c.setAwareness = (state) => provider.awareness.setLocalStateField('user', state.user)
      c.destroy = () => provider.destroy()
    }
    clients.push(c)
  }
  await Promise.all(clients.map((c) => c.synced)).catch((e) => { console.error(`a client did not connect: ${e.message}`); process.exit(1) })
  process.send({ type: 'ready' })
  const { start } = await new Promise((resolve) => process.once('message', resolve))
  epoch.start = start
  epoch.measureFrom = start + job.warmup * 1000
  const measureFrom = start + job.warmup * 1000
  // Each provider sets its awareness state (a user name, as editors do) at a random moment of the first 15 s, so that
  // the renewals y-protocols sends every 15 s come spread out as a real room's would. With all providers created
  // within a second, every renewal fell in one second, in which each provider applied and re-sent 7 others'; the
  // generator's event loops stalled 90-130 ms there, p99 was 70-170 ms in that second on every server (the classic
  // one too), and every run's p99 carried it (2026-12-07).
  clients.forEach((c) => setTimeout(() => c.setAwareness({ user: { name: `c${c.id}` } }), Math.random() * 15000))
  const end = measureFrom + job.duration * 1000
  // How late this process's event loop ran its callbacks: an arrival waits that long before the observer above reads
  // its time, so a run (or a second) whose loop delay is high shows the generator, not the server, holding edits.
  // Per second from the start of the edits, and over the measured part (from the end of the warm-up to the end of
  // the grace period below).
  const loop = loopDelay(start, measureFrom)
  const interval = 1000 / job.rate
  // spread the clients' ticks over the interval so edits do not arrive in lockstep
  await new Promise((resolve) => {
    let pending = clients.length
    clients.forEach((c, i) => {
      const offset = (interval * i) / clients.length
      let next = start + offset
      const tick = () => {
        const t = now()
        if (next >= end) { if (--pending === 0) resolve(); return }
        // an edit made after the warm-up is measured (receivers apply the same rule to the time they read); a starved
        // generator skips slots instead of bursting, so `sent` below the target shows that the generator fell behind
        const at = Math.round((t - start) * 10)
        const measured = start + at / 10 >= measureFrom
        c.history.push(at)
        if (c.history.length > 16) c.history.shift()
        c.set({ s: c.seq++, t: c.history.slice() })
        if (measured) c.sent++
        next += interval
        while (next + interval < now()) next += interval
        setTimeout(tick, Math.max(0, next - now()))
      }
      setTimeout(tick, Math.max(0, next - now()))
    })
  })
  // let the last edits arrive: 2 s, then for as long as arrivals continue (a saturated server drains its backlog),
  // at most 30 s more; what has not arrived by then counts as lost
  const arrivals = () => clients.reduce((sum, c) => sum + c.received, 0)
  const graceEnd = now() + 32000
  await new Promise((resolve) => setTimeout(resolve, 2000))
  for (let before = -1; arrivals() !== before && now() < graceEnd;) {
    before = arrivals()
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const { seconds: loopSeconds, measured: loopMeasured } = loop.stop()
  const latencies = []
  const sentAt = []
  let sent = 0
  let received = 0
  let unlisted = 0
  let messages = 0
  for (const c of clients) { latencies.push(...c.latencies); sentAt.push(...c.sentAt); sent += c.sent; received += c.received; unlisted += c.unlisted; messages += c.messages }
  // a light client does not reconnect: a socket the server closed during the run shows here (its edits count as lost)
  const closed = clients.filter((c) => c.light?.closed).map((c) => `c${c.id}: ${c.light.closed.code} ${c.light.closed.reason}`)
  if (closed.length > 0) console.error(`${closed.length} light clients were closed during the run: ${closed.slice(0, 5).join('; ')}`)
  clients.forEach((c) => c.destroy())
  // a large message is still being written when send returns: exit only once it is out
  const usage = process.cpuUsage() // this worker's CPU time since it started (user + system, µs)
  process.send({ type: 'done', sent, received, unlisted, messages, latencies, sentAt, loopSeconds, loopMeasured, cpu: (usage.user + usage.system) / 1e6 }, () => process.exit(0))
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  if (!args.url) throw new Error('--url is required')
  const total = args.rooms * args.clients
  const assignments = Array.from({ length: args.workers }, () => [])
  for (let i = 0; i < total; i++) {
    const room = Math.floor(i / args.clients)
    // a room's clients spread over workers, so its latency includes crossing processes
    assignments[i % args.workers].push([room, i])
  }
  const children = assignments.map(() => fork(new URL(import.meta.url).pathname, ['--worker']))
  const ready = children.map((child) => new Promise((resolve) => child.on('message', (m) => { if (m.type === 'ready') resolve() })))
  const done = children.map((child) => new Promise((resolve) => child.on('message', (m) => { if (m.type === 'done') resolve(m) })))
  children.forEach((child, i) => child.on('message', (m) => {
    if (m.type === 'hello') child.send({ url: args.url, prefix: args.prefix, client: args.client, assignments: assignments[i], rate: args.rate, duration: args.duration, warmup: args.warmup, timeline: Boolean(args.timeline) })
  }))
  const progress = children.map(() => 'started')
  children.forEach((child, i) => child.on('message', (m) => { progress[i] = m.type }))
  // a worker that exits before its result (a client that could not connect, a crash) ends the run at once
  children.forEach((child, i) => child.on('exit', (code) => {
    if (progress[i] === 'done') return
    progress[i] = `exited ${code}`
    if (code === 0) return // it sent its result and left; the message may still be on its way
    console.error('load run failed; workers: ' + progress.join(', '))
    children.forEach((c) => c.kill('SIGKILL'))
    process.exit(2)
  }))
  const hardStop = setTimeout(() => { console.error('load run timed out; workers: ' + progress.join(', ')); children.forEach((c) => c.kill('SIGKILL')); process.exit(2) },
    (args.warmup + args.duration + (args.grace ?? 120)) * 1000)
  await Promise.all(ready)
  const start = now() + 500
  const startedAt = Date.now() + 500 // the same moment on the wall clock, for lining a timeline up with other logs
  children.forEach((child) => child.send({ start }))
  const results = await Promise.all(done)
  clearTimeout(hardStop)
  if (args.timeline) writeTimeline(args.timeline, results, args.warmup, startedAt)
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b)
  const sent = results.reduce((s, r) => s + r.sent, 0)
  const received = results.reduce((s, r) => s + r.received, 0)
  const unlisted = results.reduce((s, r) => s + r.unlisted, 0)
  const messages = results.reduce((s, r) => s + r.messages, 0)
  const own = process.cpuUsage()
  const cpu = results.reduce((s, r) => s + r.cpu, (own.user + own.system) / 1e6)
  const expected = sent * (args.clients - 1)
  // the worse worker's event-loop delay over the measured part
  const loopP99 = Math.max(...results.map((r) => r.loopMeasured.p99))
  const loopMax = Math.max(...results.map((r) => r.loopMeasured.max))
  const q = (p) => latencies.length === 0 ? null : Math.round(quantile(latencies, p) * 10) / 10
  console.log(JSON.stringify({
    rooms: args.rooms, clients: args.clients, rate: args.rate, duration: args.duration,
    target: total * args.rate * args.duration, sent, expected, received, lost: expected - received, unlisted, messages,
    p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), generatorCpu: Math.round(cpu * 10) / 10,
    loopP99: Math.round(loopP99 * 10) / 10, loopMax: Math.round(loopMax * 10) / 10
  }))
}

// Event-loop delay (ms beyond the sampling interval): p99 and max for each second from `start`, and for all of it
// from `measureFrom` until stop() is called.
function loopDelay (start, measureFrom) {
  const resolution = 10
  const delay = (h) => ({ p99: Math.max(0, h.percentile(99) / 1e6 - resolution), max: Math.max(0, h.max / 1e6 - resolution) })
  const perSecond = monitorEventLoopDelay({ resolution })
  const measured = monitorEventLoopDelay({ resolution })
  const seconds = []
  const sample = () => { seconds.push(delay(perSecond)); perSecond.reset() }
  let timer
  const timers = [
    setTimeout(() => { perSecond.enable(); timer = setInterval(sample, 1000) }, Math.max(0, start - now())),
    setTimeout(() => measured.enable(), Math.max(0, measureFrom - now()))
  ]
  return {
    stop () {
      timers.forEach(clearTimeout)
      clearInterval(timer)
      sample()
      perSecond.disable()
      measured.disable()
      return { seconds, measured: delay(measured) }
    }
  }
}

// the value at fraction p of an ascending, non-empty array
function quantile (sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

// per second since the start of the edits: arrivals of the edits made in that second, p50 / p99 / max (ms), and the
// generator's event-loop delay in that second (p99 / max ms, the worse worker); then p99 of the first 4 s after the
// warm-up and of the rest
function writeTimeline (file, results, warmup, startedAt) {
  const bins = new Map()
  const early = []
  const late = []
  for (const r of results) {
    r.sentAt.forEach((at, i) => {
      const second = Math.floor(at / 1000)
      if (!bins.has(second)) bins.set(second, [])
      bins.get(second).push(r.latencies[i])
      ;(at < (warmup + 4) * 1000 ? early : late).push(r.latencies[i])
    })
  }
  const pick = (sorted, p) => sorted.length === 0 ? '-' : quantile(sorted, p).toFixed(1)
  const lines = [...bins.keys()].sort((a, b) => a - b).map((second) => {
    const l = bins.get(second).sort((a, b) => a - b)
    // the worse worker's event-loop delay in that second
    const loops = results.map((r) => r.loopSeconds[second]).filter(Boolean)
    const loop = loops.length === 0 ? '' : ` loop p99=${Math.max(...loops.map((d) => d.p99)).toFixed(1)} max=${Math.max(...loops.map((d) => d.max)).toFixed(1)}`
    return `${second}s received=${l.length} p50=${pick(l, 0.5)} p99=${pick(l, 0.99)} max=${pick(l, 1)}${loop}`
  })
  lines.unshift(`edits started at ${new Date(startedAt).toISOString()} (${startedAt} ms since 1970)`)
  lines.push(`p99 first 4 s=${pick(early.sort((a, b) => a - b), 0.99)} after=${pick(late.sort((a, b) => a - b), 0.99)}`)
  writeFileSync(file, lines.join('\n') + '\n')
}

if (process.argv.includes('--worker')) worker()
else main().catch((e) => { console.error(e); process.exit(1) })
