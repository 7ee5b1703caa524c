//! The call logic: what one call of an action is, above the wire.
//!
//! - [`Client`] and [`ClientBuilder`] (`client.rs`): configuration,
//!   credentials, the send-and-retry loop, the per-action rate limit and
//!   tracing; the [`Service`] and [`Action`] the generated code passes in.
//! - [`RetryPolicy`] (`retry.rs`): which failures are tried again and how
//!   long to wait, and the client-side rate limiter.
//! - [`decode_response`] (`envelope.rs`): opening Tencent Cloud's
//!   `{"Response": …}` envelope into an answer or a service error.
//! - [`Operation`] (`operation.rs`): a request type's action and answer type.
//!
//! Everything here reaches the network only through a
//! [`Transport`](crate::Transport), so each piece is testable without one.

mod client;
mod envelope;
mod operation;
mod retry;

pub use client::{Action, BuildError, Client, ClientBuilder, Service, ENV_ENDPOINT, ENV_REGION};
pub use envelope::decode_response;
pub use operation::Operation;
pub use retry::{is_rate_limited, RetryPolicy};
