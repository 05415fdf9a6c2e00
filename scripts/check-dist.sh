#!/usr/bin/env bash
# Fails when dist/ differs from a fresh build of src/ (users run dist/, not src/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ncc build src/index.ts -o "$tmp/dist" --license licenses.txt >/dev/null
ncc build src/cli.ts -o "$tmp/dist/cli" --license licenses.txt >/dev/null
ncc build src/probes/load-worker.ts -o "$tmp/dist/load-worker" --license licenses.txt >/dev/null
if ! diff -r -q dist "$tmp/dist"; then
  echo "dist/ is stale: run 'npm run package' and commit dist/" >&2
  exit 1
fi
echo "dist/ is up to date"
