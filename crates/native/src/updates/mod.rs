//! What `serve` and `poll` add to core's [`Ingress`](miti99bot_core::ingress::Ingress): one
//! update per chat at a time, on tokio.
//!
//! - [`chat_order`]: one update per chat at a time, in arrival order.
//! - [`processor`]: the ingress run inside the update's chat turn.

pub mod chat_order;
pub mod processor;

pub use chat_order::{ChatBusy, ChatOrder, ChatPlace, ChatTurn};
pub use miti99bot_core::ingress::Outcome;
pub use processor::UpdateProcessor;
