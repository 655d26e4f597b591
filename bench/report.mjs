// Joins the BenchmarkDotNet JSON report and bench/yjs/bench.mjs output into one markdown table; with the
// output of bench/yjs/doc.mjs and `Collab.Bench --memory` as well, adds a second table for the document model.
// Usage: node bench/report.mjs <bdn-report-full.json> <yjs.json> [<yjs-doc.json> <collab-memory.json>]
// (markdown on stdout)

import { readFileSync } from 'node:fs'

const [bdnPath, yjsPath, yjsDocPath, collabMemoryPath] = process.argv.slice(2)
const bdn = JSON.parse(readFileSync(bdnPath, 'utf8'))
const yjs = JSON.parse(readFileSync(yjsPath, 'utf8'))

// UpdateBenchmarks method -> the operation name bench.mjs uses.
const operationOf = { Decode: 'decode', DecodeEncode: 'decode+encode', Merge: 'merge', Diff: 'diff', Convert: 'convert', StateVector: 'sv' }
const operations = Object.values(operationOf)
const inputs = ['b4-update.v1', 'b4-replay.v1', 'b4-replay.v2', 'S1.v2', 'C1.v2']

const collab = new Map()
for (const b of bdn.Benchmarks) {
  const operation = operationOf[b.Method]
  const input = /Input=([^&]+)/.exec(b.Parameters ?? '')?.[1]
  if (!operation || !input || !b.Statistics) continue
  collab.set(`${operation}|${input}`, { ms: b.Statistics.Median / 1e6, allocated: b.Memory?.BytesAllocatedPerOperation })
}
const js = new Map(yjs.results.map(r => [`${r.operation}|${r.input}`, r.medianMs]))

const fmt = ms => ms === undefined ? 'n/a' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)
const lines = [
  '| operation | input | Collab (ms) | yjs (ms) | ratio (yjs/Collab) |',
  '|---|---|---:|---:|---:|'
]
for (const operation of operations) {
  for (const input of inputs) {
    const c = collab.get(`${operation}|${input}`)
    const y = js.get(`${operation}|${input}`)
    if (!c && y === undefined) continue
    const ratio = c && y !== undefined ? (y / c.ms).toFixed(2) + '×' : 'n/a'
    lines.push(`| ${operation} | ${input} | ${fmt(c?.ms)} | ${fmt(y)} | ${ratio} |`)
  }
}

const host = bdn.HostEnvironmentInfo ?? {}
lines.push('')
lines.push(`Medians. Collab: BenchmarkDotNet ${host.BenchmarkDotNetVersion ?? ''}, ${host.RuntimeVersion ?? ''}, ` +
  `${host.ProcessorName ?? ''}; yjs ${yjs.yjs} on Node ${yjs.node}, median of ${yjs.samples} batches. ` +
  'merge = the update merged with its own second half (diff against half the state vector); ' +
  'diff = against half the state vector; decode+encode in yjs = diffUpdate against the empty state vector; ' +
  'convert = v1→v2 for v1 inputs, v2→v1 for v2 inputs.')

// The document model (bench/Collab.Bench/DocBenchmarks.cs, MemoryProbe.cs; bench/yjs/doc.mjs), against the
// targets of issue 3.
if (yjsDocPath && collabMemoryPath) {
  const yjsDoc = JSON.parse(readFileSync(yjsDocPath, 'utf8'))
  const collabMemory = JSON.parse(readFileSync(collabMemoryPath, 'utf8'))
  const collabStats = method => {
    const b = bdn.Benchmarks.find(x => x.Method === method && x.Statistics)
    return b ? { median: b.Statistics.Median / 1e6, min: b.Statistics.Min / 1e6 } : undefined
  }
  const yjsStats = operation => {
    const r = yjsDoc.results.find(x => x.operation === operation)
    return r ? { median: r.medianMs, min: r.minMs } : undefined
  }
  const mb = bytes => (bytes / 1048576).toFixed(2)
  // Medians decide; the minimums are shown too because a loaded machine slows single runs unevenly.
  const speed = (label, method, operation, target) => {
    const c = collabStats(method)
    const y = yjsStats(operation)
    const ratio = c && y ? y.median / c.median : undefined
    const minRatio = c && y ? y.min / c.min : undefined
    const verdict = ratio === undefined ? 'n/a' : ratio >= target ? 'met' : 'not met'
    const cell = x => x ? `${fmt(x.median)} ms (min ${fmt(x.min)})` : 'n/a'
    return `| ${label} | ${cell(c)} | ${cell(y)} | ${ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}× (min ${minRatio.toFixed(2)}×)`} | ≥ ${target}× faster | ${verdict} |`
  }
  const cMem = collabMemory.b4HeldBytes
  const yMem = yjsDoc.memory?.b4HeldBytes
  lines.push('')
  lines.push('| document model | Collab | yjs | yjs/Collab | target | |')
  lines.push('|---|---:|---:|---:|---|---|')
  lines.push(speed('B4: replay automerge-paper (client 1, a transaction per patch, update listener)', 'B4Replay', 'B4 replay', 10))
  lines.push(speed('S1: apply egwalker S1.v2 to an empty document', 'S1Apply', 'S1 apply', 5))
  lines.push(`| memory held by the loaded B4 document | ${mb(cMem)} MB | ${yMem === undefined ? 'n/a' : mb(yMem) + ' MB'} | ` +
    `${yMem === undefined ? 'n/a' : (yMem / cMem).toFixed(2) + '×'} | Collab ≤ yjs | ${yMem === undefined ? 'n/a' : cMem <= yMem ? 'met' : 'not met'} |`)
  lines.push('')
  lines.push(`Medians. Collab: BenchmarkDotNet (6 warm-ups, 9 iterations of ≥ 200 ms; B4 is one call per iteration). yjs ${yjsDoc.yjs} on Node ${yjsDoc.node}: ` +
    `median of ${yjsDoc.results[0]?.runs ?? '?'} runs after warm-up, gc() before each. ` +
    'Memory: Collab GC.GetTotalMemory(true) after minus before building the document, yjs heapUsed the same way ' +
    'with gc() (node --expose-gc); both the median of five, after one earlier replay, with the document still referenced.')
}

process.stdout.write(lines.join('\n') + '\n')
