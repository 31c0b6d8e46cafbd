#!/usr/bin/env bash
# Builds the Cloudflare Worker once: entry.mjs (crates/worker/js, the panic guard) around
# index.js + index_bg.wasm.
#
#   bash scripts/build-worker.sh          # production -> crates/worker/build (deploys, size budget)
#   bash scripts/build-worker.sh --e2e    # e2e build  -> crates/worker/build-e2e (the e2e suite)
#
# The e2e build enables the worker crate's cargo feature `e2e`: the `/__test/*` routes and the
# store contract they run. The production build has neither (their paths are plain 404), so no
# test code ships; scripts/test-worker.sh checks its wasm holds none of their strings.
#
# worker-build --release (cargo for wasm32, wasm-bindgen, wasm-opt -Oz, esbuild), all from the
# pinned local tools, then one more wasm-opt pass: the exports of workers-rs classes this Worker
# never creates are removed with the code only they reach (see DEAD_EXPORTS), and the names
# section is stripped (worker-build keeps it).
# wrangler.toml's [build] runs this script without arguments, so deploys get the production
# artifact. Both builds share cargo's target dir: switching rebuilds only the worker crate.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/worker-env.sh
source "$ROOT/scripts/worker-env.sh"

OUT_DIR="$WORKER_BUILD_DIR"
CARGO_ARGS=()
for arg in "$@"; do
  case "$arg" in
    --e2e) OUT_DIR="$WORKER_E2E_BUILD_DIR"; CARGO_ARGS=(-- --features e2e) ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "usage: scripts/build-worker.sh [--e2e]" >&2; exit 2 ;;
  esac
done

worker_check_tools
cd "$WORKER_DIR"
# worker-build hands what follows `--` to `cargo build`; --out-dir is relative to the crate.
worker-build --release --out-dir "$(basename "$OUT_DIR")" "${CARGO_ARGS[@]}"
# Classes that workers-rs (and its wasm-streams) export to JavaScript whether or not a Worker uses
# them: ContainerStartupOptions (Containers), MinifyConfig (the `cf` minify options), R2Range
# (R2) and IntoUnderlying{Source,ByteSource,Sink} (a Rust stream as a ReadableStream body). This
# Worker has no container, R2 or minify setting and answers with whole bodies, so nothing ever
# creates one; index.js touches these exports only inside the classes' methods. Removing them
# lets wasm-opt drop the code they keep alive (issue 12: ~13 KB raw, ~5 KB gzip). A Worker that
# starts using one of them must take its pattern out of this list.
DEAD_EXPORTS='*containerstartupoptions*,*minifyconfig*,*r2range*,*intounderlying*'
"$WASM_OPT_BIN" "$OUT_DIR/index_bg.wasm" \
  --remove-exports --pass-arg=remove-exports@"$DEAD_EXPORTS" -Oz --strip-debug --strip-producers \
  --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory \
  --enable-multivalue --enable-reference-types --enable-exception-handling \
  -o "$OUT_DIR/index_bg.stripped.wasm"
mv "$OUT_DIR/index_bg.stripped.wasm" "$OUT_DIR/index_bg.wasm"
# The entry wraps the Rust Worker: a panic (which aborts on wasm32) is answered like natively.
cp "$WORKER_DIR/js/entry.mjs" "$OUT_DIR/entry.mjs"
