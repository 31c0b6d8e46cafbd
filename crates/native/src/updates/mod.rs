//! What `serve` and `poll` share: applying updates at most once, in chat order.
//!
//! - [`dedup`]: the `_updates` table of processed ids (claimed before dispatch).
//! - [`chat_order`]: one update per chat at a time.
//! - [`processor`]: claim, dispatch, contain failures and panics.

pub mod chat_order;
pub mod dedup;
pub mod processor;

pub use chat_order::ChatOrder;
pub use dedup::UpdateLog;
pub use processor::{chat_of, Outcome, UpdateProcessor};
