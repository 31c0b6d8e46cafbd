#!/usr/bin/env bash
# The Worker's end-to-end suite, against real workerd with local D1 and KV.
#
#   bash scripts/test-worker.sh
#
# 1. builds the Worker once (scripts/build-worker.sh: worker-build --release with the pinned
#    local wasm-bindgen, wasm-opt from npm binaryen@132.0.0 and wrangler's esbuild);
# 2. checks the wasm against its budget (<= 700 KB after wasm-opt, <= 300 KB gzip);
# 3. runs crates/worker/e2e with node --test: Miniflare (wrangler 4.86.0's) starts the built
#    Worker in workerd with in-memory D1 and KV and a fake Telegram server on 127.0.0.1;
# 4. wrangler deploy --dry-run, printing the upload size.
# Nothing reaches the internet. Tools are installed by .ci/run; a missing tool is an error.
set -euo pipefail
START=$(date +%s)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/worker-env.sh
source "$ROOT/scripts/worker-env.sh"
cd "$ROOT"
[ -x node_modules/.bin/wrangler ] || npm ci --no-audit --no-fund
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "== build"
bash scripts/build-worker.sh

echo "== size"
WASM="$WORKER_BUILD_DIR/index_bg.wasm"
RAW=$(wc -c <"$WASM")
GZ=$(gzip -9 -c "$WASM" | wc -c)
printf 'index_bg.wasm: %d bytes (%d KB), gzip -9: %d bytes (%d KB); budget 700 KB / 300 KB\n' \
  "$RAW" $((RAW / 1000)) "$GZ" $((GZ / 1000))
SIZE_OK=1
if [ "$RAW" -gt 700000 ] || [ "$GZ" -gt 300000 ]; then
  echo "index_bg.wasm is over its budget" >&2
  SIZE_OK=0
fi

echo "== end-to-end (workerd)"
E2E_OK=1
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$TMP/e2e.tap" \
  crates/worker/e2e/ || E2E_OK=0
PASSED=$(awk '/^# pass /{print $3}' "$TMP/e2e.tap")
FAILED=$(awk '/^# fail /{print $3}' "$TMP/e2e.tap")

echo "== wrangler deploy --dry-run"
DRY_OK=1
# Same config minus [build] (already built), main pointing at the built bundle.
awk '/^\[build\]/{skip=1; next} /^\[/{skip=0} !skip' "$WORKER_DIR/wrangler.toml" >"$WORKER_DIR/.wrangler.nobuild.toml"
if (cd "$WORKER_DIR" && wrangler deploy --dry-run --outdir "$TMP/dist" -c .wrangler.nobuild.toml </dev/null >"$TMP/dry.log" 2>&1); then
  grep -E "Total Upload|Your Worker has access|env\.|Cron" "$TMP/dry.log" || true
else
  cat "$TMP/dry.log" >&2
  DRY_OK=0
fi
rm -f "$WORKER_DIR/.wrangler.nobuild.toml"

ELAPSED=$(($(date +%s) - START))
echo "worker e2e: ${PASSED:-0} passed, ${FAILED:-?} failed; wasm ${RAW} B (gzip ${GZ} B); dry-run $([ $DRY_OK = 1 ] && echo ok || echo FAILED); ${ELAPSED}s"
[ "$E2E_OK" = 1 ] && [ "$SIZE_OK" = 1 ] && [ "$DRY_OK" = 1 ] && [ "${FAILED:-1}" = 0 ]
