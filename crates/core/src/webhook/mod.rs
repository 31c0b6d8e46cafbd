//! The webhook's parts: the secret header compared in constant time, the body size limit and
//! what counts as a malformed body. [`Ingress`](crate::ingress::Ingress) puts them together
//! with the [`ledger`](crate::ledger) into the contract both runtimes serve:
//!
//! | request | answer |
//! |---|---|
//! | `GET /` | 200 [`HEALTH_BODY`] |
//! | `POST /webhook`, secret wrong or missing | 401 |
//! | body over [`MAX_BODY_BYTES`] | 413 |
//! | body not JSON, or JSON without an `update_id` | 400 |
//! | JSON with an `update_id` that is not a valid update | 200 (logged: redelivery would fail alike) |
//! | an update already applied (see [`ledger`](crate::ledger)) | 200, not applied again |
//! | an update whose handler fails | 200 (logged: a retry could apply a trade twice) |
//! | anything else | 404 |

mod body;
mod secret;

pub use body::{parse_update_body, BodyError};
pub use secret::{constant_time_eq, is_valid_secret, WebhookSecret};

/// The largest webhook body accepted: 1 MiB.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// The header Telegram sends the webhook's `secret_token` in.
pub const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";
/// The health check's body.
pub const HEALTH_BODY: &str = "miti99bot ok";
