#!/usr/bin/env bash
# The test command: every suite (xunit, FsCheck, and later node and browser suites), then one line
# "N passed, N failed" summing them. Exits non-zero if anything failed or did not build.
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -d tests/yjs-oracle/node_modules/yjs ]; then
  echo "installing the yjs oracle's npm packages (npm ci --prefix tests/yjs-oracle)"
  npm ci --prefix tests/yjs-oracle --no-audit --no-fund || exit 1
fi

if [ ! -d tests/ws-clients/node_modules/y-websocket ] || [ ! -d tests/ws-clients/node_modules/@microsoft/signalr ]; then
  echo "installing the y-websocket test clients (npm ci --prefix tests/ws-clients)"
  npm ci --prefix tests/ws-clients --no-audit --no-fund || exit 1
fi

if [ ! -d clients/node_modules/vitest ]; then
  # npm install, not ci: see .ci/run (the lockfile pins every version either way)
  echo "installing the browser clients' npm packages (npm install --prefix clients)"
  npm install --prefix clients --no-audit --no-fund || exit 1
fi

# PostgreSQL for the storage tests (idempotent; set COLLAB_TEST_POSTGRES to use a server of your own)
if [ -z "${COLLAB_TEST_POSTGRES:-}" ]; then
  bash tests/Collab.Storage.Tests/setup-postgres.sh || exit 1
fi

log=$(mktemp)
export COLLAB_CASES_FILE
COLLAB_CASES_FILE=$(mktemp)

dotnet test Collab.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 138, Skipped: 0, ..."
summaries=$(grep -E '^(Passed|Failed)!' "$log" || true)
passed=$(echo "$summaries" | grep -oE 'Passed: +[0-9]+' | awk '{s+=$2} END {print s+0}')
failed=$(echo "$summaries" | grep -oE 'Failed: +[0-9]+' | awk '{s+=$2} END {print s+0}')

if [ -s "$COLLAB_CASES_FILE" ]; then
  echo "differential cases against yjs: $(awk '{s+=$NF} END {print s+0}' "$COLLAB_CASES_FILE")"
fi
rm -f "$log" "$COLLAB_CASES_FILE"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # a build error or a crashed test host: count it so the summary line cannot read as green
  failed=1
fi

# browser clients (clients/): the vitest suites (client against a live server, embed binding, demo), then the
# browser end-to-end test (Chromium); both use the Release server that dotnet test built above
bash clients/run-tests.sh 2>&1 | tee "${log}.clients"
clients_status=${PIPESTATUS[0]}
clients_counts=$(grep -E '^clients: [0-9]+ passed, [0-9]+ failed$' "${log}.clients" | tail -1)
clients_passed=$(echo "$clients_counts" | awk '{print $2+0}')
clients_failed=$(echo "$clients_counts" | awk '{print $4+0}')
if [ "$clients_status" -ne 0 ] && [ "$clients_failed" -eq 0 ]; then clients_failed=1; fi
passed=$((passed + clients_passed))
failed=$((failed + clients_failed))
[ "$clients_status" -eq 0 ] || status=1
rm -f "${log}.clients"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
