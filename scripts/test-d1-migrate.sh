#!/usr/bin/env bash
# `miti99bot migrate --d1` against wrangler's real local D1 (workerd's SQLite), from a fresh state:
# dry run applies nothing, a run applies every migration with its _migrations row, a second run
# applies nothing, the recorded checksums equal the SQLite file's, and an edited (tampered)
# record is reported as a changed migration. Needs `npm ci` (wrangler) and the debug binary.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ -z "${MITI99BOT_BIN:-}" ]; then
  cargo build -q -p miti99bot
fi
BIN="${MITI99BOT_BIN:-$ROOT/target/debug/miti99bot}"
WRANGLER="$ROOT/node_modules/.bin/wrangler"
export WRANGLER_SEND_METRICS=false RUST_LOG=error
STATE=$(mktemp -d)
trap 'rm -rf "$STATE"' EXIT
cat >"$STATE/wrangler.toml" <<'TOML'
name = "d1-migrate-check"
main = "index.js"
compatibility_date = "2025-10-01"
[[d1_databases]]
binding = "DB"
database_name = "miti99bot-db"
database_id = "00000000-0000-0000-0000-000000000000"
TOML
echo 'export default {}' >"$STATE/index.js"

pass=0; fail=0
check() { # name, command...
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); echo "ok   $name"; else fail=$((fail + 1)); echo "FAIL $name"; fi
}
migrate() { "$BIN" migrate --d1 DB --local --persist-to "$STATE/d1" --wrangler "$WRANGLER" --wrangler-config "$STATE/wrangler.toml" "$@"; }
d1() { "$WRANGLER" d1 execute DB --local --persist-to "$STATE/d1" --config "$STATE/wrangler.toml" --json --command "$1" 2>/dev/null; }

# MODULES is unset, so every built-in module's migrations apply: count their files.
MIGRATIONS=$(find crates/modules/src -path '*/migrations/*.sql' | wc -l)
dry=$(migrate --dry-run)
check "dry run lists pending migrations" grep -q "pending  trading/0001_trades.sql" <<<"$dry"
check "dry run applies nothing" test "$(d1 'SELECT COUNT(*) AS n FROM _migrations' | grep -o '"n": [0-9]*')" = '"n": 0'
first=$(migrate)
check "first run applies" grep -q "applied $MIGRATIONS migration(s)" <<<"$first"
check "tables exist" grep -q '"name": "trading_trades"' <<<"$(d1 "SELECT name FROM sqlite_master WHERE type = 'table'")"
second=$(migrate)
check "second run applies nothing" grep -q "nothing to apply ($MIGRATIONS migration(s) already applied)" <<<"$second"
sqlite_db="$STATE/native.db"
"$BIN" migrate --db "$sqlite_db" >/dev/null
native_sum=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT checksum FROM _migrations WHERE name='trading/0001_trades.sql'\").fetchone()[0])" "$sqlite_db")
check "D1 and SQLite record the same checksum" grep -q "\"checksum\": \"$native_sum\"" <<<"$(d1 'SELECT checksum FROM _migrations')"
d1 "UPDATE _migrations SET checksum = 'tampered' WHERE name = 'trading/0001_trades.sql'" >/dev/null
if out=$(migrate 2>&1); then changed=0; else changed=1; fi
check "a changed migration is an error" test "$changed" = 1
check "the error names the migration" grep -q "migration trading/0001_trades.sql was changed after it was applied" <<<"$out"

echo "d1-migrate: $pass passed, $fail failed"
test "$fail" = 0
