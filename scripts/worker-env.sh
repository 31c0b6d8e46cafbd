# Sourced by the Worker scripts: where the pinned tools are (wasm-bindgen from cargo install,
# wasm-opt, esbuild and wrangler from npm ci), and the size-first release profile for the wasm
# build (the workspace profile is tuned for the native binary).
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$HOME/.cargo/bin/wasm-bindgen}"
export WASM_OPT_BIN="${WASM_OPT_BIN:-$ROOT/node_modules/.bin/wasm-opt}"
export ESBUILD_BIN="${ESBUILD_BIN:-$ROOT/node_modules/.bin/esbuild}"
export WRANGLER_SEND_METRICS=false
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export CARGO_PROFILE_RELEASE_LTO=true
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
WORKER_DIR="$ROOT/crates/worker"
# The production build (deploys, the size budget) and the e2e build (with the test routes).
WORKER_BUILD_DIR="$WORKER_DIR/build"
WORKER_E2E_BUILD_DIR="$WORKER_DIR/build-e2e"

# The version of wasm-bindgen in Cargo.lock (the CLI must be the same version).
worker_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Fails with a message naming what is missing or at the wrong version (never skips).
worker_check_tools() {
  local ok=1 want
  want=$(worker_wasm_bindgen_version)
  if [ "$("$WASM_BINDGEN_BIN" --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    echo "missing: wasm-bindgen-cli $want at $WASM_BINDGEN_BIN (cargo install wasm-bindgen-cli --version $want)" >&2; ok=0
  fi
  for bin in "$WASM_OPT_BIN" "$ROOT/node_modules/.bin/wrangler"; do
    [ -x "$bin" ] || { echo "missing: $bin (run npm ci at the repository root)" >&2; ok=0; }
  done
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || {
    echo "missing: rustup target wasm32-unknown-unknown" >&2; ok=0; }
  [ "$ok" = 1 ]
}

# MODULES from wrangler.toml's [vars] (one source of truth for the Worker and its tooling).
worker_modules_var() {
  awk '/^\[vars\]/{v=1; next} /^\[/{v=0} v && /^MODULES *=/{sub(/^MODULES *= *"/, ""); sub(/".*$/, ""); print; exit}' \
    "$WORKER_DIR/wrangler.toml"
}

# Writes build/wrangler.nobuild.toml: wrangler.toml without [build] (the Worker is built
# already; wrangler 4.86 would also build twice) and `main` relative to build/. Prints its path.
worker_nobuild_config() {
  local out="$WORKER_BUILD_DIR/wrangler.nobuild.toml"
  awk '/^\[build\]/{skip=1; next} /^\[/{skip=0} skip{next} /^main *=/{print "main = \"entry.mjs\""; next} {print}' \
    "$WORKER_DIR/wrangler.toml" >"$out"
  echo "$out"
}

# The native binary (migrate, register): $MITI99BOT_BIN, else built from this checkout.
worker_native_bin() {
  if [ -n "${MITI99BOT_BIN:-}" ]; then
    echo "$MITI99BOT_BIN"
  else
    (cd "$ROOT" && cargo build -q -p miti99bot >&2) && echo "$ROOT/target/debug/miti99bot"
  fi
}
