// Joins the BenchmarkDotNet JSON report and bench/yjs/bench.mjs output into one markdown table.
// Usage: node bench/report.mjs <bdn-report-full.json> <yjs.json>  (markdown on stdout)

import { readFileSync } from 'node:fs'

const [bdnPath, yjsPath] = process.argv.slice(2)
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
process.stdout.write(lines.join('\n') + '\n')
