#!/usr/bin/env bash
# The Worker's end-to-end suite, against real workerd with local D1 and KV.
#
#   bash scripts/test-worker.sh
#
# 1. builds the production Worker (scripts/build-worker.sh: cargo --release for wasm32, the
#    pinned wasm-bindgen CLI and wasm-opt from npm binaryen@132.0.0) into crates/worker/build;
# 2. checks its wasm against the budget (<= 480 KB after wasm-opt, <= 200 KB gzip, the
#    performance issue's target) and that it holds no test code: none of the strings of the
#    `/__test/*` routes or the store contract;
# 3. builds the e2e Worker (scripts/build-worker.sh --e2e: cargo feature `e2e`) into
#    crates/worker/build-e2e, and checks those strings are in it (so step 2 can fail);
# 4. runs crates/worker/e2e with node --test: Miniflare (wrangler 4.86.0's) starts the e2e
#    Worker in workerd with in-memory D1 and KV and a fake Telegram server on 127.0.0.1 (one test
#    starts the production Worker: no test routes, the webhook works). The suite includes
#    `miti99bot migrate --d1 DB --local` (the native CLI through wrangler) filling the D1 state
#    the Worker then runs on;
# 5. scripts/deploy.sh --dry-run --no-build: migrate a throwaway local D1, `wrangler deploy
#    --dry-run` of the production build (upload size printed), `miti99bot register --dry-run`.
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

echo "== build (production)"
bash scripts/build-worker.sh

echo "== size"
WASM="$WORKER_BUILD_DIR/index_bg.wasm"
RAW=$(wc -c <"$WASM")
GZ=$(gzip -9 -c "$WASM" | wc -c)
printf 'index_bg.wasm: %d bytes (%d KB), gzip -9: %d bytes (%d KB); budget 480 KB / 200 KB\n' \
  "$RAW" $((RAW / 1000)) "$GZ" $((GZ / 1000))
SIZE_OK=1
if [ "$RAW" -gt 480000 ] || [ "$GZ" -gt 200000 ]; then
  echo "index_bg.wasm is over its budget" >&2
  SIZE_OK=0
fi

# Strings only the test code has: the test routes' paths and store-contract case names/messages.
TEST_CODE_STRINGS=(-e "__test" -e "prefix_isolation" -e "deleting a's key removed b's")
test_code_strings() { strings "$1" | grep -c "${TEST_CODE_STRINGS[@]}" || true; }
echo "== no test code in the production wasm"
LEAKS=$(test_code_strings "$WASM")
echo "test-code strings in build/index_bg.wasm: $LEAKS (want 0)"
CLEAN_OK=1
if [ "$LEAKS" != 0 ]; then
  strings "$WASM" | grep "${TEST_CODE_STRINGS[@]}" | head -5 >&2
  echo "the production wasm holds test code" >&2
  CLEAN_OK=0
fi

echo "== build (e2e: --features e2e)"
bash scripts/build-worker.sh --e2e
PROBES=$(test_code_strings "$WORKER_E2E_BUILD_DIR/index_bg.wasm")
echo "test-code strings in build-e2e/index_bg.wasm: $PROBES (want > 0: the check above can fail)"
[ "$PROBES" -gt 0 ] || { echo "the e2e wasm lacks the probe strings: fix TEST_CODE_STRINGS" >&2; CLEAN_OK=0; }

echo "== native binary (migrate --d1, register)"
MITI99BOT_BIN=$(worker_native_bin)
export MITI99BOT_BIN

echo "== end-to-end (workerd, the e2e build)"
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
echo "worker e2e: ${PASSED:-0} passed, ${FAILED:-?} failed; production wasm ${RAW} B (gzip ${GZ} B), test code $([ $CLEAN_OK = 1 ] && echo none || echo FOUND); deploy dry-run $([ $DRY_OK = 1 ] && echo ok || echo FAILED) (${UPLOAD}); ${ELAPSED}s"
[ "$E2E_OK" = 1 ] && [ "$SIZE_OK" = 1 ] && [ "$CLEAN_OK" = 1 ] && [ "$DRY_OK" = 1 ] && [ "${FAILED:-1}" = 0 ]
