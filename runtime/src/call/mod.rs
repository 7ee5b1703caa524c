//! The call logic: what one call of an action is, above the wire and the
//! credentials.
//!
//! - [`Client`] and [`ClientBuilder`] (`client.rs`): configuration, the
//!   credentials the client signs with, each call's attempts under the retry
//!   rules (`shared/`) with the client's policy and per-action overrides,
//!   the per-action rate limit (`rate_limit.rs`) and tracing.
//! - [`CallOptions`] (`options.rs`): settings of one call.
//! - [`CallBuilder`] (`builder.rs`): what each generated method returns,
//!   made by [`Client::prepare`].
//! - [`StreamBuilder`] and [`EventStream`] (`stream.rs`): a streaming call
//!   (Server-Sent Events), made by [`Client::prepare_stream`], and the
//!   responses it gives as they arrive.
//! - [`OctetStreamBuilder`] (`octet.rs`): an octet-stream call (a body of
//!   raw bytes, the request's members in headers), made by
//!   [`Client::prepare_octet_stream`].
//! - the body (`token.rs`): filling `ClientToken` so retries are safe, and
//!   a streaming call's `Stream` member.
//! - [`Client::call_json`], [`Client::call_json_stream`] and
//!   [`Client::call_octet_stream`] (`generic.rs`): any action by name, JSON
//!   (or raw bytes) in, JSON out.
//! - [`Operation`] (`operation.rs`): a request type's action and answer type.
//! - [`paginate`](crate::paginate) (`paginate.rs`): the
//!   [`Paginator`](crate::paginate::Paginator) behind every generated
//!   `…_paginator` method.
//! - [`mock`](crate::mock) (`mock.rs`): [`Mock`](crate::mock::Mock), a
//!   transport answering typed rules, for users' tests.
//!
//! Everything here reaches the network only through a
//! [`Transport`](crate::Transport), so each piece is testable without one.
//! Which credentials a client is built with when given none, and the
//! settings read from the environment, are decided above (`defaults/`).

mod builder;
mod client;
mod generic;
pub mod mock;
mod octet;
mod operation;
mod options;
pub mod paginate;
mod rate_limit;
mod stream;
mod token;

pub use builder::CallBuilder;
pub use client::{BuildError, Client, ClientBuilder};
pub use octet::OctetStreamBuilder;
pub use operation::Operation;
pub use options::CallOptions;
pub use stream::{EventStream, StreamBuilder};
pub use token::new_client_token;
