#!/usr/bin/env bash
# Times the update algebra and the document model (B4 replay, S1 apply, B4 memory) in Collab
# (BenchmarkDotNet, short in-process job) and in yjs 13.6.33 (Node) in one run, then prints two markdown
# tables and writes them to bench/results/latest.md.
# Needs: the .NET SDK, Node, and `npm ci` done in tests/yjs-oracle. Takes about five minutes.
# Extra arguments go to BenchmarkDotNet, e.g.  bench/run.sh --filter '*Decode*'
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
results="$repo/bench/results"
artifacts="$results/bdn"
mkdir -p "$results"
rm -rf "$artifacts"

if [ ! -d "$repo/tests/yjs-oracle/node_modules/yjs" ]; then
  echo "bench/run.sh: yjs is not installed; run 'npm ci' in tests/yjs-oracle first." >&2
  exit 1
fi

echo "== Collab (BenchmarkDotNet)" >&2
dotnet run -c Release --project "$repo/bench/Collab.Bench" -- \
  --filter '*UpdateBenchmarks*' '*DocBenchmarks*' --artifacts "$artifacts" "$@" >"$results/bdn.log" 2>&1 || {
  tail -n 40 "$results/bdn.log" >&2
  echo "bench/run.sh: BenchmarkDotNet failed; full log in bench/results/bdn.log" >&2
  exit 1
}

report="$(find "$artifacts/results" -name '*-report-full.json' | head -n 1)"
if [ -z "$report" ]; then
  echo "bench/run.sh: no BenchmarkDotNet JSON report under $artifacts/results" >&2
  exit 1
fi

echo "== Collab (B4 document memory)" >&2
dotnet run -c Release --no-build --project "$repo/bench/Collab.Bench" -- --memory >"$results/collab-memory.json"

echo "== yjs (Node)" >&2
node "$repo/bench/yjs/bench.mjs" >"$results/yjs.json"
node --expose-gc "$repo/bench/yjs/doc.mjs" >"$results/yjs-doc.json"

node "$repo/bench/report.mjs" "$report" "$results/yjs.json" "$results/yjs-doc.json" "$results/collab-memory.json" \
  | tee "$results/latest.md"
