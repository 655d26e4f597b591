#!/usr/bin/env bash
# Runs the clients' vitest suites, then the browser end-to-end test, against the built Release server
# (dotnet build src/Collab.Server -c Release). Ends with "clients: N passed, N failed" (both runs summed;
# a run that crashed before reporting counts as one failure). Exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -f ../src/Collab.Server/bin/Release/net10.0/Collab.Server.dll ]; then
  echo "building the server the tests start (dotnet build src/Collab.Server -c Release)"
  dotnet build ../src/Collab.Server -c Release --nologo -v q || exit 1
fi

# the suites import @collab/client as a package, i.e. its build output (dist/, not in git)
if [ ! -f collab-client/dist/index.js ]; then
  echo "building @collab/client (npm run build -w @collab/client)"
  npm run build -w @collab/client || exit 1
fi

passed=0
failed=0
status=0
for phase in units e2e; do
  report=$(mktemp)
  if [ "$phase" = units ]; then
    projects=(--project client --project pipeline-embed --project demo)
  else
    projects=(--project e2e)
  fi
  echo "== clients: $phase"
  npx --no-install vitest run "${projects[@]}" --reporter=default --reporter=json --outputFile.json="$report"
  run_status=$?
  counts=$(node -e '
    const fs = require("fs")
    try {
      const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"))
      // a file that failed to load has no tests to count; count it as one failure
      const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed")).length
      console.log(r.numPassedTests, r.numFailedTests + broken)
    } catch { console.log(0, 0) }' "$report")
  rm -f "$report"
  p=${counts% *}
  f=${counts#* }
  if [ "$run_status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$run_status" -eq 0 ] || status=1
done
echo "clients: $passed passed, $failed failed"
exit $status
