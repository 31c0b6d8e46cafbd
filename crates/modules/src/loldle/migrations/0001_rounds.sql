-- loldle's rounds and stats (the original kept them as KV JSON, `loldle:game:<subject>` with a
-- 7-day TTL and `loldle:stats:<subject>` forever). One round per subject (the user in a private
-- chat, the chat in a group): the running one or the last one. A guess is one UPDATE computing
-- the new state from this row; on a finished round it writes 'over', which the CHECK refuses, so
-- the guess's batch writes nothing. `guesses` is the comma list of guessed champion ids.
CREATE TABLE loldle_rounds (
  subject    INTEGER PRIMARY KEY,
  target     TEXT    NOT NULL,
  guesses    TEXT    NOT NULL,
  n          INTEGER NOT NULL CHECK (typeof(n) = 'integer' AND n >= 0 AND n <= 8),
  state      TEXT    NOT NULL CHECK (state IN ('open', 'won', 'lost', 'gaveup')),
  started_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- The purge cron deletes by expiry.
CREATE INDEX loldle_rounds_expires ON loldle_rounds (expires_at);

-- One record per subject, never expiring; the streak counts consecutive round wins.
CREATE TABLE loldle_stats (
  subject        INTEGER PRIMARY KEY,
  played         INTEGER NOT NULL CHECK (played >= 0),
  wins           INTEGER NOT NULL CHECK (wins >= 0 AND wins <= played),
  streak         INTEGER NOT NULL CHECK (streak >= 0),
  best_streak    INTEGER NOT NULL CHECK (best_streak >= streak),
  last_result_at INTEGER
);
