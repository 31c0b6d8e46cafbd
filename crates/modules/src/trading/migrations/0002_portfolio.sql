-- The portfolio of the trading module, in SQL (it lived in KV as `trading:user:<id>` JSON).
-- A buy, sell or top-up is one batch over these tables and trading_trades; the CHECKs make an
-- overdraft, a negative holding or an amount past the limits abort the whole batch. Amounts are
-- whole numbers (typeof = 'integer' keeps SQLite from storing a REAL there) within
-- portfolio::MAX_VND (10^15 VND) and portfolio::MAX_QTY (10^9 shares).
CREATE TABLE trading_accounts (
  user_id  INTEGER PRIMARY KEY,
  vnd      INTEGER NOT NULL CHECK (typeof(vnd) = 'integer' AND vnd >= 0 AND vnd <= 1000000000000000),
  invested INTEGER NOT NULL CHECK (typeof(invested) = 'integer' AND invested >= 0 AND invested <= 1000000000000000)
);

-- One row per stock a user holds; a holding sold to zero is deleted by the sell's batch.
CREATE TABLE trading_holdings (
  user_id INTEGER NOT NULL,
  symbol  TEXT    NOT NULL,
  qty     INTEGER NOT NULL CHECK (typeof(qty) = 'integer' AND qty >= 0 AND qty <= 1000000000),
  PRIMARY KEY (user_id, symbol)
);
