#!/usr/bin/env bash
# Builds the Cloudflare Worker once: crates/worker/build/index.js + index_bg.wasm.
#
# worker-build --release (cargo for wasm32, wasm-bindgen, wasm-opt -Oz, esbuild), all from the
# pinned local tools, then the wasm's names section is stripped (worker-build keeps it).
# wrangler.toml's [build] runs this script too, so deploys get the same artifact.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/worker-env.sh
source "$ROOT/scripts/worker-env.sh"
worker_check_tools
cd "$WORKER_DIR"
worker-build --release
"$WASM_OPT_BIN" "$WORKER_BUILD_DIR/index_bg.wasm" --strip-debug --strip-producers \
  --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory \
  --enable-multivalue --enable-reference-types --enable-exception-handling \
  -o "$WORKER_BUILD_DIR/index_bg.stripped.wasm"
mv "$WORKER_BUILD_DIR/index_bg.stripped.wasm" "$WORKER_BUILD_DIR/index_bg.wasm"
