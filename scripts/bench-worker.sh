#!/usr/bin/env bash
# Median per-update time of the Worker in workerd (not part of CI's critical path).
#
#   bash scripts/bench-worker.sh [N]     (default 500 sequential updates per command)
#
# Builds the Worker (scripts/build-worker.sh), then crates/worker/e2e/bench.mjs sends N
# updates for /ping (KV) and N for /trade_buy (D1 + KV) through /webhook, one at a time.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/worker-env.sh
source "$ROOT/scripts/worker-env.sh"
cd "$ROOT"
[ -x node_modules/.bin/wrangler ] || npm ci --no-audit --no-fund
[ "${SKIP_BUILD:-0}" = 1 ] || bash scripts/build-worker.sh
node crates/worker/e2e/bench.mjs "${1:-500}"
