#!/usr/bin/env bash
# miti99bot's Worker against a grammY Worker doing the same work, in Miniflare (workerd) with
# local D1 + KV, same load, same fake Telegram on 127.0.0.1. See docs/benchmarks.md.
#
#   bash scripts/bench-baseline.sh [--no-build] [--rounds R] [N]   (default N=500, R=3)
#
# 1. builds our Worker (scripts/build-worker.sh) unless --no-build;
# 2. installs bench/grammy-baseline from its package-lock.json (npm ci, only when missing) and
#    bundles it with the esbuild wrangler ships (ESM; minified and unminified);
# 3. bench/baseline.mjs: N sequential /ping and N sequential /trade_buy per run, rounds
#    alternating ours / grammY / grammY+ledger, medians of the rounds.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/worker-env.sh
source "$ROOT/scripts/worker-env.sh"
cd "$ROOT"

build=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --rounds) args+=(--rounds "$2"); shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

[ -x node_modules/.bin/wrangler ] || npm ci --no-audit --no-fund
[ "$build" = 0 ] || bash scripts/build-worker.sh
[ -f crates/worker/build/index.js ] || { echo "no Worker build: run without --no-build" >&2; exit 1; }

GB=bench/grammy-baseline
[ -f "$GB/node_modules/grammy/package.json" ] || (cd "$GB" && npm ci --no-audit --no-fund)
for min in 0 1; do
  out="$GB/dist/index.js"; flags=()
  [ "$min" = 0 ] || { out="$GB/dist/index.min.js"; flags=(--minify); }
  # The options wrangler gives esbuild for a modules Worker (no nodejs_compat).
  "$ESBUILD_BIN" "$GB/src/index.js" --bundle --format=esm --platform=neutral \
    --conditions=workerd,worker,browser --main-fields=browser,module,main --target=es2022 \
    "${flags[@]}" --outfile="$out" --log-level=warning
done

echo "machine: $(nproc) CPU ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), load $(cut -d' ' -f1-3 /proc/loadavg)"
if git rev-parse --git-dir >/dev/null 2>&1; then
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates Cargo.lock || echo ' (crates/ has uncommitted changes: the build measured them)')"
fi
node bench/baseline.mjs "${args[@]}"
