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
#    The suite includes `miti99bot migrate --d1 DB --local` (the native CLI through wrangler)
#    filling the D1 state the Worker then runs on;
# 4. scripts/deploy.sh --dry-run --no-build: migrate a throwaway local D1, `wrangler deploy
#    --dry-run` (upload size printed), `miti99bot register --dry-run`.
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

echo "== native binary (migrate --d1, register)"
MITI99BOT_BIN=$(worker_native_bin)
export MITI99BOT_BIN

echo "== end-to-end (workerd)"
E2E_OK=1
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$TMP/e2e.tap" \
  crates/worker/e2e/ || E2E_OK=0
PASSED=$(awk '/^# pass /{print $3}' "$TMP/e2e.tap")
FAILED=$(awk '/^# fail /{print $3}' "$TMP/e2e.tap")

echo "== deploy rehearsal: scripts/deploy.sh --dry-run (wrangler deploy --dry-run inside)"
DRY_OK=1
bash scripts/deploy.sh --dry-run --no-build >"$TMP/deploy.log" 2>&1 || DRY_OK=0
grep -v '^{"level"' "$TMP/deploy.log" | grep -E "^==|Total Upload|applied|pending|url" || true
[ "$DRY_OK" = 1 ] || { tail -40 "$TMP/deploy.log" >&2; }
UPLOAD=$(grep -o "Total Upload: .*" "$TMP/deploy.log" || echo "Total Upload: ?")

ELAPSED=$(($(date +%s) - START))
echo "worker e2e: ${PASSED:-0} passed, ${FAILED:-?} failed; wasm ${RAW} B (gzip ${GZ} B); deploy dry-run $([ $DRY_OK = 1 ] && echo ok || echo FAILED) (${UPLOAD}); ${ELAPSED}s"
[ "$E2E_OK" = 1 ] && [ "$SIZE_OK" = 1 ] && [ "$DRY_OK" = 1 ] && [ "${FAILED:-1}" = 0 ]
