//! # tencentcloud-runtime
//!
//! The hand-written code every generated Tencent Cloud crate shares: the
//! [`Client`] that sends a call through a [`Transport`], the response
//! envelope decoding, the [`Error`] type, and helpers the generated code and
//! its tests use.
//!
//! A generated crate's client wraps a [`Client`]:
//!
//! ```
//! # use tencentcloud_runtime::{Client, Transport, Call, Reply, TransportError, BoxFuture};
//! # #[derive(Debug)] struct Canned;
//! # impl Transport for Canned {
//! #     fn send<'a>(&'a self, _call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
//! #         Box::pin(async { Ok(Reply { status: 200, body: br#"{"Response":{"RequestId":"r"}}"#.to_vec() }) })
//! #     }
//! # }
//! let runtime = Client::with_transport(Canned);
//! // let lcic = tencentcloud_lcic::Client::new(runtime.clone());
//! # drop(runtime);
//! ```

mod client;
mod envelope;
mod error;
pub mod serde;
pub mod testing;

pub use client::{Action, BoxFuture, Call, Client, Reply, Service, Transport, TransportError};
pub use envelope::decode_response;
pub use error::{Error, ServiceError, ServiceErrorCode};
