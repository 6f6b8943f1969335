#!/usr/bin/env bash
# The one test command (npm run test:all; .ci/run calls it): installs what is missing, starts the services,
# runs lint + cycle check, type check, build, and every vitest suite, then stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/services.sh start
trap 'bash scripts/services.sh stop' EXIT
echo "== lint and cycle check"; npm run --silent lint
echo "== type check"; npm run --silent typecheck
echo "== build"; npm run --silent build
echo "== tests"
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.sluice/vitest-report.json "$@" || status=$?
# One plain closing line for CI: "N passed, N failed".
node -e "const r=require('./.sluice/vitest-report.json'); console.log(r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed' + (r.numPendingTests ? ', ' + r.numPendingTests + ' skipped' : ''))" || true
exit $status
