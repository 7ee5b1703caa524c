//! The call logic: what one call of an action is, above the wire.
//!
//! - [`Client`] and [`ClientBuilder`] (`client.rs`): configuration,
//!   credentials, the send-and-retry loop, the per-action rate limit and
//!   tracing; the [`Service`] and [`Action`] the generated code passes in.
//! - [`RetryPolicy`] and [`RetryClass`] (`retry.rs`): which failures are
//!   tried again and how long to wait, and the client-side rate limiter.
//! - [`CallOptions`] and [`CallBuilder`] (`options.rs`): settings of one
//!   call, and what each generated method returns.
//! - the client token (`token.rs`): filling `ClientToken` so retries are safe.
//! - [`Client::call_json`] (`generic.rs`): any action by name, JSON in and out.
//! - [`decode_response`] (`envelope.rs`): opening Tencent Cloud's
//!   `{"Response": …}` envelope into an answer or a service error.
//! - [`Operation`] (`operation.rs`): a request type's action and answer type.
//!
//! Everything here reaches the network only through a
//! [`Transport`](crate::Transport), so each piece is testable without one.

mod client;
mod envelope;
mod generic;
mod operation;
mod options;
mod retry;
mod token;

pub use client::{Action, BuildError, Client, ClientBuilder, Service, ENV_ENDPOINT, ENV_REGION};
pub use envelope::decode_response;
pub(crate) use envelope::excerpt;
pub use operation::Operation;
pub use options::{CallBuilder, CallOptions};
pub use retry::{is_internal_error, is_rate_limited, RetryClass, RetryPolicy};
pub use token::new_client_token;
