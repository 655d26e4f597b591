// How long the disk takes to make a write durable, measured beside a load run: every 20 ms, overwrite one 8 KiB block
// of a file in DIR and fdatasync it (the same flush a durable commit waits for; in place, so no file-system metadata
// changes and the probe adds little I/O of its own). Prints one JSON line: { n, p50, p99, max, over100 } in ms, where
// over100 lists the probes that took more than 100 ms, as seconds since the probe started.
//
//   node fsync.mjs [--dir DIR (default: the temp directory)] [--seconds 30] (SIGTERM ends it early)
import { closeSync, fdatasyncSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i < 0 ? fallback : process.argv[i + 1] }
const dir = arg('dir', tmpdir())
const seconds = Number(arg('seconds', 30))
const file = join(dir, `collab-fsync-probe-${process.pid}`)
const fd = openSync(file, 'w')
const block = Buffer.alloc(8192, 1)
writeSync(fd, block, 0, block.length, 0)
fdatasyncSync(fd)
const times = []
const over100 = []
const start = performance.now()
let stop = false
process.on('SIGTERM', () => { stop = true })
const probe = () => {
  if (stop || performance.now() - start > seconds * 1000) return finish()
  const t = performance.now()
  writeSync(fd, block, 0, block.length, 0)
  fdatasyncSync(fd)
  const ms = performance.now() - t
  times.push(ms)
  if (ms > 100) over100.push([Math.round((t - start) / 100) / 10, Math.round(ms)])
  setTimeout(probe, 20)
}
function finish () {
  closeSync(fd)
  unlinkSync(file)
  times.sort((a, b) => a - b)
  const q = (p) => times.length === 0 ? null : Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 10) / 10
  console.log(JSON.stringify({ n: times.length, p50: q(0.5), p99: q(0.99), max: q(1), over100 }))
  process.exit(0)
}
probe()
