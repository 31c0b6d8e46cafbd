#!/usr/bin/env bash
# `miti99bot serve` against a teloxide webhook bot doing the same /ping and /trade_buy work, as
# separate processes on 127.0.0.1 under one load generator and one fake Bot API.
# See docs/benchmarks.md section 3.
#
#   bash scripts/bench-teloxide.sh [--no-build] [--quick] [--rounds R] [--updates N]
#     [--concurrency C] [--e2e-updates E] [--one-chat-updates O] [--rate R/s] [--duration D]
#     [--only ping,e2e-ping,e2e-buy,one-chat,rate-ping,rate-buy] [--targets ours,ours-reply,teloxide,teloxide-ledger]
#   (defaults: R=3, N=2000, C=32, E=50000, O=5000, 2000 req/s, D=5 s; --quick: 1 round, small N)
#
# 1. builds target/release/miti99bot (cargo build --release -p miti99bot) and, in
#    target/teloxide-baseline (its own target dir: the main one is left alone), the teloxide
#    bot and the generator from bench/teloxide-baseline (its own workspace and Cargo.lock);
# 2. runs the generator: per round and scenario ours, ours (WEBHOOK_REPLY=true), teloxide,
#    teloxide+ledger, each a fresh process on a fresh SQLite file; peak RSS per server and
#    scenario; checks after each run; one table per scenario (medians over rounds, ratios).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

build=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --rounds|--updates|--concurrency|--e2e-updates|--one-chat-updates|--rate|--duration|--only|--targets)
      [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift ;;
    --quick) args+=("$1") ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

TB_TARGET="$ROOT/target/teloxide-baseline"
if [ "$build" = 1 ]; then
  cargo build --release --locked -p miti99bot
  CARGO_TARGET_DIR="$TB_TARGET" cargo build --release --locked \
    --manifest-path bench/teloxide-baseline/Cargo.toml
fi
OURS="$ROOT/target/release/miti99bot"
TELOXIDE="$TB_TARGET/release/teloxide-baseline"
for bin in "$OURS" "$TELOXIDE" "$TB_TARGET/release/loadgen"; do
  [ -x "$bin" ] || { echo "missing $bin: run without --no-build" >&2; exit 1; }
done

echo "machine: $(nproc) CPU ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(rustc --version); teloxide $(grep -A1 '^name = "teloxide"$' bench/teloxide-baseline/Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')"
if git rev-parse --git-dir >/dev/null 2>&1; then
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates Cargo.lock bench/teloxide-baseline || echo ' (uncommitted changes in crates/ or bench/teloxide-baseline: the build measured them)')"
fi
strip_size() { strip -o "$2" "$1" && echo "$(( $(stat -c %s "$2") / 1024 )) KiB"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "stripped: miti99bot $(strip_size "$OURS" "$tmp/o"), teloxide-baseline $(strip_size "$TELOXIDE" "$tmp/t")"
"$TB_TARGET/release/loadgen" --ours "$OURS" --teloxide "$TELOXIDE" "${args[@]}"
