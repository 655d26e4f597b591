// The operations of bench/Collab.Bench, timed with real yjs 13.6.33 from the oracle's node_modules
// (tests/yjs-oracle; run `npm ci` there first). Prints JSON on stdout:
//   { yjs, node, samples, results: [{ operation, input, medianMs, minMs, batch }] }
// Each sample times a batch of calls sized to take >= MIN_BATCH_MS, after WARMUP_MS of warm-up, so that
// timer resolution and JIT tiers do not dominate the sub-millisecond operations.
//
// Usage: node bench/yjs/bench.mjs [--samples N] [--warmup-ms MS] [--filter SUBSTRING]

import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const oracle = createRequire(join(repo, 'tests', 'yjs-oracle', 'package.json'))
const Y = await import(pathToFileURL(join(dirname(oracle.resolve('yjs/package.json')), 'dist', 'yjs.mjs')).href)
const yjsVersion = oracle('yjs/package.json').version

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : fallback
}
const SAMPLES = Number(option('--samples', '15'))
const WARMUP_MS = Number(option('--warmup-ms', '500'))
const MIN_BATCH_MS = 20
const filter = option('--filter', '')

const traces = process.env.COLLAB_TRACES ?? join(repo, '..', 'shared', 'traces', 'yjs-updates')

// Same names, files and formats as bench/Collab.Bench/BenchInputs.cs.
const inputs = [
  ['b4-update.v1', 'b4-update.v1.bin', 1],
  ['b4-replay.v1', 'b4-replay.yjs13.6.33.client1.v1.bin', 1],
  ['b4-replay.v2', 'b4-replay.yjs13.6.33.client1.v2.bin', 2],
  ['S1.v2', 'egwalker/S1.v2.yjs', 2],
  ['C1.v2', 'egwalker/C1.v2.yjs', 2]
]

const api = format => format === 1
  ? { decode: Y.decodeUpdate, diff: Y.diffUpdate, merge: Y.mergeUpdates, sv: Y.encodeStateVectorFromUpdate, convert: Y.convertUpdateFormatV1ToV2 }
  : { decode: Y.decodeUpdateV2, diff: Y.diffUpdateV2, merge: Y.mergeUpdatesV2, sv: Y.encodeStateVectorFromUpdateV2, convert: Y.convertUpdateFormatV2ToV1 }

const halfStateVector = (update, f) => {
  const sv = Y.decodeStateVector(f.sv(update))
  const half = new Map()
  sv.forEach((clock, client) => half.set(client, Math.floor(clock / 2)))
  // lib0 encoding of a state vector: varUint count, then varUint client and varUint clock per entry.
  const bytes = []
  const varUint = n => { while (n > 127) { bytes.push((n % 128) | 128); n = Math.floor(n / 128) } bytes.push(n) }
  varUint(half.size)
  half.forEach((clock, client) => { varUint(client); varUint(clock) })
  return Uint8Array.from(bytes)
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

let sink = 0
const consume = r => { sink ^= (r?.length ?? r?.structs?.length ?? 1) }

const time = fn => {
  // Warm up, and find a batch size that takes at least MIN_BATCH_MS.
  let batch = 1
  const warmupEnd = performance.now() + WARMUP_MS
  for (;;) {
    const t0 = performance.now()
    for (let i = 0; i < batch; i++) consume(fn())
    const dt = performance.now() - t0
    if (performance.now() >= warmupEnd && dt >= MIN_BATCH_MS) break
    if (dt < MIN_BATCH_MS) batch *= 2
  }
  const perCall = []
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = performance.now()
    for (let i = 0; i < batch; i++) consume(fn())
    perCall.push((performance.now() - t0) / batch)
  }
  return { medianMs: median(perCall), minMs: Math.min(...perCall), batch }
}

const results = []
for (const [name, file, format] of inputs) {
  const update = new Uint8Array(readFileSync(join(traces, file)))
  const f = api(format)
  const half = halfStateVector(update, f)
  const empty = new Uint8Array([0])
  const mergeInputs = [update, f.diff(update, half)]
  const operations = [
    ['decode', () => f.decode(update)],
    ['decode+encode', () => f.diff(update, empty)],
    ['merge', () => f.merge(mergeInputs)],
    ['diff', () => f.diff(update, half)],
    ['convert', () => f.convert(update)],
    ['sv', () => f.sv(update)]
  ]
  for (const [operation, fn] of operations) {
    if (filter && !`${operation} ${name}`.includes(filter)) continue
    const r = time(fn)
    results.push({ operation, input: name, ...r })
    process.stderr.write(`yjs ${operation.padEnd(14)} ${name.padEnd(13)} ${r.medianMs.toFixed(3)} ms (batch ${r.batch})\n`)
  }
}

process.stdout.write(JSON.stringify({ yjs: yjsVersion, node: process.version, samples: SAMPLES, sink, results }, null, 2) + '\n')
