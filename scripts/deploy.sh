#!/usr/bin/env bash
# Ships the Worker in the safe order: build, migrate D1, deploy, register.
#
#   bash scripts/deploy.sh              # for real (needs Cloudflare credentials and secrets)
#   bash scripts/deploy.sh --dry-run    # offline rehearsal: nothing leaves this machine
#   options: --no-build (use crates/worker/build, the production build, as it is)
#
# 1. build: scripts/build-worker.sh (cargo, wasm-bindgen, wasm-opt; pinned local tools): the production
#    build in crates/worker/build, without the e2e feature's test routes.
# 2. migrate: `miti99bot migrate --d1 DB --remote` (the native CLI, through wrangler): pending
#    migrations of the enabled modules, each applied with its _migrations row in one D1 batch,
#    BEFORE the new code goes live (the original migrated after deploying).
#    --dry-run: applies them to a throwaway local D1 instead.
# 3. deploy: `wrangler deploy` with wrangler.toml minus [build].
#    --dry-run: `wrangler deploy --dry-run`, printing the upload size.
# 4. register: `miti99bot register` (setWebhook to $WEBHOOK_URL/webhook, setMyCommands).
#    --dry-run: prints both payloads, secret redacted.
#
# Needs (environment or ./.env.deploy): TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, WEBHOOK_URL
# (the Worker's https URL), and for wrangler CLOUDFLARE_API_TOKEN (or `wrangler login`).
# MODULES comes from crates/worker/wrangler.toml [vars]. The Worker's own secrets are set once
# with `wrangler secret put TELEGRAM_BOT_TOKEN` / `TELEGRAM_WEBHOOK_SECRET` (-c crates/worker/wrangler.toml).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/worker-env.sh
source "$ROOT/scripts/worker-env.sh"
cd "$ROOT"

DRY=0
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY=1 ;;
    --no-build) BUILD=0 ;;
    *) echo "usage: scripts/deploy.sh [--dry-run] [--no-build]" >&2; exit 2 ;;
  esac
done
if [ -f .env.deploy ]; then
  set -a
  # shellcheck disable=SC1091
  source .env.deploy
  set +a
fi
MODULES=$(worker_modules_var)
[ -n "$MODULES" ] || { echo "crates/worker/wrangler.toml has no [vars] MODULES" >&2; exit 1; }
export MODULES WRANGLER_BIN="$ROOT/node_modules/.bin/wrangler"
if [ "$DRY" = 1 ]; then
  export TELEGRAM_WEBHOOK_SECRET="${TELEGRAM_WEBHOOK_SECRET:-dry-run-secret}"
  export WEBHOOK_URL="${WEBHOOK_URL:-https://miti99bot.example.workers.dev}"
else
  for var in TELEGRAM_BOT_TOKEN TELEGRAM_WEBHOOK_SECRET WEBHOOK_URL; do
    [ -n "${!var:-}" ] || { echo "missing env: $var (environment or .env.deploy)" >&2; exit 1; }
  done
fi
[ -x "$WRANGLER_BIN" ] || npm ci --no-audit --no-fund
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "== 1/4 build (MODULES=$MODULES)"
if [ "$BUILD" = 1 ]; then bash scripts/build-worker.sh; fi
[ -f "$WORKER_BUILD_DIR/index_bg.wasm" ] || { echo "no build in $WORKER_BUILD_DIR" >&2; exit 1; }
BIN=$(worker_native_bin)
CONFIG=$(worker_nobuild_config)

echo "== 2/4 migrate D1"
if [ "$DRY" = 1 ]; then
  "$BIN" migrate --d1 DB --local --wrangler-config "$CONFIG" --persist-to "$TMP/d1"
else
  "$BIN" migrate --d1 DB --remote --wrangler-config "$CONFIG"
fi

echo "== 3/4 deploy"
if [ "$DRY" = 1 ]; then
  (cd "$WORKER_BUILD_DIR" && wrangler deploy --dry-run --outdir "$TMP/dist" -c "$CONFIG" </dev/null) >"$TMP/deploy.log" 2>&1 \
    || { cat "$TMP/deploy.log" >&2; exit 1; }
  grep -E "Total Upload|env\.|Schedule|Cron" "$TMP/deploy.log" || true
else
  (cd "$WORKER_BUILD_DIR" && wrangler deploy -c "$CONFIG")
fi

echo "== 4/4 register"
if [ "$DRY" = 1 ]; then
  "$BIN" register --dry-run
else
  "$BIN" register
fi
echo "deploy $([ "$DRY" = 1 ] && echo "dry run ")done"
