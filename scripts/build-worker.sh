#!/usr/bin/env bash
# Builds the Cloudflare Worker once: entry.mjs (crates/worker/js, the panic guard) around
# index.js + index_bg.wasm.
#
#   bash scripts/build-worker.sh          # production -> crates/worker/build (deploys, size budget)
#   bash scripts/build-worker.sh --e2e    # e2e build  -> crates/worker/build-e2e (the e2e suite)
#   bash scripts/build-worker.sh --names  # production, keeping the names section (wasm-sizes.py)
#
# The e2e build enables the worker crate's cargo feature `e2e`: the `/__test/*` routes and the
# store contract they run. The production build has neither (their paths are plain 404), so no
# test code ships; scripts/test-worker.sh checks its wasm holds none of their strings.
#
# cargo builds the wasm32 cdylib (size-first profile from worker-env.sh); wasm-bindgen (the CLI
# of Cargo.lock's version, --target module) writes index.js, the glue that imports index_bg.wasm
# as a compiled module; wasm-opt -Oz then shrinks it and strips names and producers. No
# workers-rs and no worker-build: the Worker binds the few Fetch, D1 and KV members it calls
# itself (crates/worker/src/js_*.rs, d1_sys.rs, kv_sys.rs), and entry.mjs is the
# WorkerEntrypoint that calls the wasm's `fetch` and `scheduled` exports.
# wrangler.toml's [build] runs this script without arguments, so deploys get the production
# artifact. Both builds share cargo's target dir: switching rebuilds only the worker crate.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/worker-env.sh
source "$ROOT/scripts/worker-env.sh"

OUT_DIR="$WORKER_BUILD_DIR"
FEATURES=()
NAMES=(--strip-debug)
for arg in "$@"; do
  case "$arg" in
    --e2e) OUT_DIR="$WORKER_E2E_BUILD_DIR"; FEATURES=(--features e2e) ;;
    --names) NAMES=(--debuginfo) ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "usage: scripts/build-worker.sh [--e2e] [--names]" >&2; exit 2 ;;
  esac
done

worker_check_tools
cargo build --release --target wasm32-unknown-unknown -p miti99bot-worker "${FEATURES[@]}"
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | sed -E 's/.*"target_directory":"([^"]*)".*/\1/')
rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR"
"$WASM_BINDGEN_BIN" --target module --out-dir "$OUT_DIR" --out-name index --no-typescript \
  "$TARGET_DIR/wasm32-unknown-unknown/release/miti99bot_worker.wasm"
# wasm-bindgen's module target imports the wasm by source phase (`import source`); workerd and
# wrangler take `import wasm from "./index_bg.wasm"` as a compiled WebAssembly.Module.
sed -i 's/^import source /import /' "$OUT_DIR/index.js"
grep -q '^import .* from "./index_bg.wasm";' "$OUT_DIR/index.js" || {
  echo "index.js: no import of ./index_bg.wasm (wasm-bindgen's module glue changed?)" >&2; exit 1; }
# --low-memory-unused: rustc's wasm32 layout puts the stack's top at 1 MiB and the data above
# it, so the first KiB is never addressed (only a stack already 1 MiB deep would reach it);
# knowing that lets wasm-opt fold constant offsets into addresses. --converge repeats -Oz
# until it stops shrinking. Together: -1.6 KB gzip for about 6 s more.
"$WASM_OPT_BIN" "$OUT_DIR/index_bg.wasm" --low-memory-unused -Oz --converge "${NAMES[@]}" --strip-producers \
  --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory \
  --enable-multivalue --enable-reference-types --enable-exception-handling \
  -o "$OUT_DIR/index_bg.opt.wasm"
mv "$OUT_DIR/index_bg.opt.wasm" "$OUT_DIR/index_bg.wasm"
# The entry: the WorkerEntrypoint around the wasm's exports, with the panic guard.
cp "$WORKER_DIR/js/entry.mjs" "$OUT_DIR/entry.mjs"
