#!/usr/bin/env bash
# The README's first quick-start command: installs dependencies if missing, builds, and runs the main job on
# its embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
node dist/src/cli/main.js ingest fixtures/specs/transactions.yaml "$@"
