//! # miti99bot-sqlite
//!
//! SQLite-backed stores for miti99bot: the embedded default of the native runtime, and the test
//! double for Cloudflare D1 (D1 is SQLite, so tests run real SQL).
//!
//! One [`SqliteDb`] holds one connection (WAL journal for files, foreign keys on, a busy
//! timeout) shared by its [`SqliteKv`] (the [`KvStore`](miti99bot_core::kv::KvStore), in the
//! `_kv` table) and its [`SqliteSql`] (the [`SqlStore`](miti99bot_core::sql::SqlStore)), so a
//! bot keeps everything in one database file. Both enforce the same rules as their Cloudflare
//! counterparts: Workers KV's key, TTL and paging rules, and D1's statement rules (at most 100
//! bound parameters, one statement per call, no explicit transactions, integers within
//! ±(2^53 − 1)), so what passes here also passes on Workers.
//!
//! Reads run synchronously on the calling task: SQLite on a local file answers in microseconds,
//! and the connection is guarded by a mutex held only for the duration of one call. Writes (a
//! SQL batch, a KV put) are committed in groups by a thread of their own, one transaction for
//! all that queued while the previous group ran, each inside its own savepoint (`writer.rs`),
//! and awaited. The slowest thing SQLite does, a WAL checkpoint with its `fsync`, runs on a
//! thread of its own too.

#![forbid(unsafe_code)]

mod busy_wait;
mod checkpointer;
mod cursor;
mod db;
mod error;
mod exec;
mod file_identity;
mod kv;
mod prefix_range;
mod sql;
mod value;
mod writer;

pub use db::SqliteDb;
pub use error::OpenError;
pub use file_identity::DatabaseFault;
pub use kv::SqliteKv;
pub use sql::SqliteSql;
