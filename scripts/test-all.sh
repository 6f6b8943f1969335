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
echo "== tests"; npx vitest run "$@"
