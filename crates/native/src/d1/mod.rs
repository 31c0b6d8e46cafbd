//! Migrating Cloudflare D1 through wrangler, with the same files, tracking table and checksums
//! as the SQLite file, so the two never disagree about what was applied.
//!
//! Each pending migration travels in ONE `wrangler d1 execute --command` together with its
//! `_migrations` row: D1 runs the statements of one query as a batch, atomically, so a failing
//! migration leaves neither its changes nor its record behind.

mod sql_literal;
mod wrangler;

pub use sql_literal::render_statement;
pub use wrangler::{D1Target, Wrangler, WranglerError};
