#!/usr/bin/env bash
# Fails when dist/ differs from a fresh build of src/ (users run dist/, not src/).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The three bundles side by side, each into its own directory first (a
# bundle's output directory is emptied before it is written).
ncc build src/index.ts -o "$tmp/main" -t --license licenses.txt >"$tmp/main.log" 2>&1 &
a=$!
ncc build src/cli.ts -o "$tmp/cli" -t --license licenses.txt >"$tmp/cli.log" 2>&1 &
b=$!
ncc build src/probes/load-worker.ts -o "$tmp/load-worker" -t --license licenses.txt >"$tmp/load-worker.log" 2>&1 &
c=$!
failed=0
for job in "$a:main" "$b:cli" "$c:load-worker"; do
  if ! wait "${job%%:*}"; then
    echo "ncc build of ${job#*:} failed:" >&2
    cat "$tmp/${job#*:}.log" >&2
    failed=1
  fi
done
[ "$failed" = 0 ] || exit 1
mv "$tmp/main" "$tmp/dist"
mv "$tmp/cli" "$tmp/dist/cli"
mv "$tmp/load-worker" "$tmp/dist/load-worker"
if ! diff -r -q dist "$tmp/dist"; then
  echo "dist/ is stale: run 'npm run package' and commit dist/" >&2
  exit 1
fi
echo "dist/ is up to date"
