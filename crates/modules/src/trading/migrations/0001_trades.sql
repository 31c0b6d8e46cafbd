-- Trade history of the trading module: one row per buy or sell.
-- qty and price_vnd are whole numbers (the CHECKs keep SQLite from storing a REAL there).
CREATE TABLE trading_trades (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id   INTEGER NOT NULL,
  symbol    TEXT    NOT NULL,
  side      TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  qty       INTEGER NOT NULL CHECK (typeof(qty) = 'integer' AND qty > 0),
  price_vnd INTEGER NOT NULL CHECK (typeof(price_vnd) = 'integer' AND price_vnd > 0),
  ts        INTEGER NOT NULL
);

-- /history: a user's newest trades.
CREATE INDEX idx_trading_trades_user_ts ON trading_trades (user_id, ts DESC);

-- trim-trades: the newest trades overall.
CREATE INDEX idx_trading_trades_ts ON trading_trades (ts);
