// The document benchmarks of bench/Collab.Bench/DocBenchmarks.cs and MemoryProbe.cs, with real yjs 13.6.33
// from the oracle's node_modules (tests/yjs-oracle; run `npm ci` there first). Run with --expose-gc.
// Prints JSON on stdout:
//   { yjs, node, results: [{ operation, input, medianMs, minMs, runs }], memory: { b4HeldBytes } }
// B4 = automerge-paper replayed into a fresh Y.Doc (clientID 1), one transaction per patch, with an
// 'update' listener; S1 = Y.applyUpdateV2 of egwalker S1 into an empty Y.Doc. Each is warmed up, then
// timed RUNS times one call at a time (the calls take hundreds of milliseconds), and the median reported.
//
// Usage: node --expose-gc bench/yjs/doc.mjs [--runs N] [--warmup N] [--filter SUBSTRING]

import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const oracle = createRequire(join(repo, 'tests', 'yjs-oracle', 'package.json'))
const Y = await import(pathToFileURL(join(dirname(oracle.resolve('yjs/package.json')), 'dist', 'yjs.mjs')).href)
const yjsVersion = oracle('yjs/package.json').version

if (typeof globalThis.gc !== 'function') {
  process.stderr.write('bench/yjs/doc.mjs: run with node --expose-gc\n')
  process.exit(1)
}

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const RUNS = Number(option('--runs', '9'))
const WARMUP = Number(option('--warmup', '6'))
const filter = option('--filter', '')

// COLLAB_TRACES names the yjs-updates folder, as for bench.mjs; the traces are its siblings.
const updates = process.env.COLLAB_TRACES ?? join(repo, '..', 'shared', 'traces', 'yjs-updates')
const sequential = join(updates, '..', 'sequential')

const trace = JSON.parse(gunzipSync(readFileSync(join(sequential, 'automerge-paper.json.gz'))).toString('utf8'))
const s1 = new Uint8Array(readFileSync(join(updates, 'egwalker', 'S1.v2.yjs')))

const replayB4 = () => {
  const doc = new Y.Doc()
  doc.clientID = 1
  const text = doc.getText('text')
  let updateBytes = 0
  doc.on('update', update => { updateBytes += update.length })
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del)
        if (ins.length > 0) text.insert(pos, ins)
      }
    })
  }
  return doc
}

const applyS1 = () => {
  const doc = new Y.Doc()
  Y.applyUpdateV2(doc, s1)
  return doc
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const time = fn => {
  for (let i = 0; i < WARMUP; i++) fn()
  const ms = []
  for (let i = 0; i < RUNS; i++) {
    gc()
    const t0 = performance.now()
    fn()
    ms.push(performance.now() - t0)
  }
  return { medianMs: median(ms), minMs: Math.min(...ms), runs: RUNS }
}

const check = (doc, expected, what) => {
  if (doc.getText('text').toString() !== expected) throw new Error(`${what} did not produce the expected text`)
}
check(replayB4(), trace.endContent, 'B4 replay')

// The heap a loaded B4 document holds: heapUsed after a full gc with the document referenced, minus before;
// the median of five, measured before the timings litter the heap. One replay has already run above, so
// code and yjs' module state are in place. Each document stays referenced until all five are measured:
// freeing one between readings lets V8's lazy sweeping skew the next.
const heldSamples = []
const heldDocs = []
for (let i = 0; i < 5; i++) {
  gc(); gc()
  const before = process.memoryUsage().heapUsed
  heldDocs.push(replayB4())
  gc(); gc()
  heldSamples.push(process.memoryUsage().heapUsed - before)
}
for (const doc of heldDocs) check(doc, trace.endContent, 'B4 replay (memory)')
heldDocs.length = 0
const heldBytes = median(heldSamples)
process.stderr.write(`yjs B4 document heap ${(heldBytes / 1048576).toFixed(2)} MB (median of ${heldSamples.map(b => (b / 1048576).toFixed(2)).join(', ')})\n`)

if (applyS1().getText('text').length !== 314556) throw new Error('S1 did not apply to its recorded length')

const results = []
for (const [operation, input, fn] of [['B4 replay', 'automerge-paper', replayB4], ['S1 apply', 'S1.v2', applyS1]]) {
  if (filter && !`${operation} ${input}`.includes(filter)) continue
  const r = time(fn)
  results.push({ operation, input, ...r })
  process.stderr.write(`yjs ${operation.padEnd(10)} ${input.padEnd(16)} ${r.medianMs.toFixed(1)} ms (median of ${RUNS})\n`)
}

process.stdout.write(JSON.stringify({ yjs: yjsVersion, node: process.version, results, memory: { b4HeldBytes: heldBytes, samples: heldSamples } }, null, 2) + '\n')
