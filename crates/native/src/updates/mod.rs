//! What `serve` and `poll` add to core's [`Ingress`](miti99bot_core::ingress::Ingress): one
//! update per chat at a time, on tokio.
//!
//! - [`chat_queue`]: one task per busy chat runs its updates one at a time, in arrival order.
//! - [`processor`]: the ingress, with webhook updates run through their chat's queue.

pub mod chat_queue;
pub mod processor;

pub use chat_queue::{ChatBusy, ChatJob, ChatQueues};
pub use miti99bot_core::ingress::Outcome;
pub use processor::{Admission, Queued, UpdateProcessor};
