#!/usr/bin/env bash
# Runs the same load against Collab (memory, SQLite, and PostgreSQL if COLLAB_BENCH_POSTGRES is set; each durable
# backend twice: Collab:Storage:Durability Flush, the default, and Write, "-write" in the table) and the classic
# y-websocket server (npm y-websocket@1.5.4, bin/server.js), then prints a markdown table.
#   bench/load/run.sh ["rooms clients rate duration [warmup]"]...
#   default: "50 8 10 20", "50 8 20 20" (5 s of warm-up) and "50 8 20 20 30" (steady state: past the servers' JIT
#   tier-up and Collab's first compactions, which the first 10-15 s after a start still show)
# Needs: npm ci --omit=optional --prefix bench/load; a quiet machine (numbers on a busy one mean little). Collab servers
# listen after their start-up warm-up (up to 5 s; Collab:WarmUp), which is not part of any measured run.
# Each run is measured with two generators (COLLAB_BENCH_CLIENTS, default "light provider"): light clients (light.mjs:
# the y-websocket protocol without a Y.Doc, so the generator's own CPU stays low and the latency is the server's) and
# real y-websocket providers (end to end: each client also applies every update to its Y.Doc on the same two cores).
# Beside each load, fsync.mjs measures how long the disk takes to flush a write (the wait a durable commit has): a
# durable backend's p99 is only as good as the disk's flushes in those seconds.
# COLLAB_BENCH_TIMELINES=DIR keeps each load's per-second latencies there (load.mjs --timeline), one file per server,
# generator and run.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
[ -d node_modules/y-websocket-classic ] || npm ci --omit=optional --no-audit --no-fund
dotnet build "$root/src/Collab.Server" -c Release --nologo -v q >/dev/null
server_dll="$root/src/Collab.Server/bin/Release/net10.0/Collab.Server.dll"

runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=("50 8 10 20" "50 8 20 20" "50 8 20 20 30")

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 300); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; return 1; }
rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; } # user + system CPU seconds so far

durability() { case $1 in *-write) echo Write ;; *) echo Flush ;; esac; }

start_server() { # name port -> sets server_pid
  local name=$1 port=$2 data
  case $name in
    classic) HOST=127.0.0.1 PORT=$port node node_modules/y-websocket-classic/bin/server.js >/dev/null 2>&1 & ;;
    collab-memory) dotnet "$server_dll" --urls "http://127.0.0.1:$port" --Collab:Storage:Provider=memory --Logging:LogLevel:Default=Warning >/dev/null 2>&1 & ;;
    collab-sqlite|collab-sqlite-write) data=$(mktemp -d); dotnet "$server_dll" --urls "http://127.0.0.1:$port" --Collab:DataDirectory="$data" --Collab:Storage:Durability="$(durability "$name")" --Logging:LogLevel:Default=Warning >/dev/null 2>&1 & ;;
    collab-postgres|collab-postgres-write) dotnet "$server_dll" --urls "http://127.0.0.1:$port" --Collab:Storage:Postgres="$COLLAB_BENCH_POSTGRES" --Collab:Storage:Durability="$(durability "$name")" --Logging:LogLevel:Default=Warning >/dev/null 2>&1 & ;;
  esac
  server_pid=$!
  pids+=("$server_pid")
  wait_port "$port"
}

servers=(classic collab-memory collab-sqlite)
[ -n "${COLLAB_BENCH_POSTGRES:-}" ] && servers+=(collab-postgres)
load_servers=("${servers[@]}" collab-sqlite-write)
[ -n "${COLLAB_BENCH_POSTGRES:-}" ] && load_servers+=(collab-postgres-write)

clients_kinds=(${COLLAB_BENCH_CLIENTS:-light provider})

echo "| server | clients | rooms × clients | edits/s/client | warm-up s | sent / target | lost | edits per message | p50 ms | p95 ms | p99 ms | max ms | CPU s: server / generator | generator loop delay p99 / max ms | disk fsync p99 / max ms (over 100 ms) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
port=5301
for run in "${runs[@]}"; do
  read -r rooms clients rate duration warmup <<<"$run"
  warmup=${warmup:-5}
  for kind in "${clients_kinds[@]}"; do
    for name in "${load_servers[@]}"; do
      port=$((port + 1))
      start_server "$name" "$port"
      url="ws://127.0.0.1:$port"; [ "$name" = classic ] || url="$url/ws"
      cpu0=$(cpu_s "$server_pid")
      timeline=()
      [ -n "${COLLAB_BENCH_TIMELINES:-}" ] && mkdir -p "$COLLAB_BENCH_TIMELINES" && timeline=(--timeline "$COLLAB_BENCH_TIMELINES/$name-$kind-$rooms-$clients-$rate-$warmup.txt")
      # the disk's flush latency in the same seconds (fsync.mjs): a durable backend's commits wait for it
      probe_out=$(mktemp); node fsync.mjs --seconds 600 >"$probe_out" & probe=$!
      result=$(node load.mjs --url "$url" --rooms "$rooms" --clients "$clients" --rate "$rate" --duration "$duration" --warmup "$warmup" --workers 2 --client "$kind" "${timeline[@]}" 2>/dev/null || echo '{}')
      kill -TERM "$probe"; wait "$probe" || true; disk=$(cat "$probe_out"); rm -f "$probe_out"
      server_cpu=$(awk -v a="$cpu0" -v b="$(cpu_s "$server_pid")" 'BEGIN { printf "%.1f", b - a }')
      node -e "const r=JSON.parse(process.argv[1]); const d=JSON.parse(process.argv[2] || '{}'); console.log('| $name | $kind | ${rooms} × ${clients} | $rate | $warmup | ' + [r.sent + ' / ' + r.target, r.unlisted ? r.lost + ' (' + r.unlisted + ' unlisted)' : r.lost, r.messages ? (r.received / r.messages).toFixed(2) : null, r.p50, r.p95, r.p99, r.max, '$server_cpu / ' + r.generatorCpu, r.loopP99 == null ? null : r.loopP99 + ' / ' + r.loopMax, d.max == null ? null : d.p99 + ' / ' + d.max + ' (' + d.over100.length + ')'].map(v => v ?? 'n/a').join(' | ') + ' |')" "$result" "$disk"
      kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    done
  done
done

echo
# memory: the durability changes no structure in memory, so each backend once
echo "| server | RSS at start | RSS after warm-up | per idle connection (400 in 50 rooms) | per loaded small document (200) |"
echo "|---|---|---|---|---|"
for name in "${servers[@]}"; do
  port=$((port + 1))
  start_server "$name" "$port"
  url="ws://127.0.0.1:$port"; [ "$name" = classic ] || url="$url/ws"
  sleep 1
  cold=$(rss_kb "$server_pid")
  # warm-up, the same for every server: 100 documents and 400 connections opened and closed first, so that the
  # deltas below are what a document or a connection holds, not the first use of the code (JIT-compiled code and
  # the runtime's first heap growth count in RSS: without it a .NET server's first 200 documents cost ~130 KiB each,
  # the next 1000 ~30 KiB each)
  node idle.mjs --url "$url" --clients 100 --rooms 100 --prefix warm-docs --hold 1 | grep -q ready
  node idle.mjs --url "$url" --clients 400 --rooms 50 --prefix warm-conns --hold 1 | grep -q ready
  sleep 2
  base=$(rss_kb "$server_pid")
  node idle.mjs --url "$url" --clients 200 --rooms 200 --prefix docs --hold 4 | grep -q ready
  sleep 2; docs=$(rss_kb "$server_pid")
  node idle.mjs --url "$url" --clients 400 --rooms 50 --prefix conns --hold 6 >/tmp/idle.$$ &
  idle=$!; for _ in $(seq 1 600); do grep -q ready /tmp/idle.$$ 2>/dev/null && break; sleep 0.1; done
  sleep 2; conns=$(rss_kb "$server_pid"); wait "$idle" || true; rm -f /tmp/idle.$$
  # the 200 documents stay loaded (idle unload takes 30 s), so the connection delta is measured on top of them
  echo "| $name | $((cold / 1024)) MiB | $((base / 1024)) MiB | $(( (conns - docs) / 400 )) KiB | $(( (docs - base) / 200 )) KiB |"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
done
