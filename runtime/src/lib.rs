//! # tencentcloud-runtime
//!
//! The hand-written code every generated Tencent Cloud crate shares: the
//! [`Client`] (configuration, credentials, retries, rate limit, tracing), the
//! signed HTTPS [`HttpTransport`], the response envelope decoding, the
//! [`Error`] type, and helpers the generated code and its tests use.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use tencentcloud_runtime::{Client, Credentials};
//!
//! // Credentials from the default chain (environment, ~/.tencentcloud/credentials,
//! // TKE OIDC, CVM role; see `credentials`), region and endpoint from
//! // TENCENTCLOUD_REGION / TENCENTCLOUD_ENDPOINT:
//! let runtime = Client::from_env()?;
//! // Or explicitly:
//! let runtime = Client::builder()
//!     .credentials(Credentials::new("AKID…", "…"))
//!     .region("ap-guangzhou")
//!     .international()
//!     .build()?;
//! // let lcic = tencentcloud_lcic::Client::new(runtime);
//! # drop(runtime); Ok(()) }
//! ```

mod call;
pub mod credentials;
mod error;
pub mod json;
pub mod testing;
mod wire;

pub use call::{
    decode_response, is_rate_limited, Action, BuildError, Client, ClientBuilder, RetryPolicy,
    Service, ENV_ENDPOINT, ENV_REGION,
};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{Error, ServiceError, ServiceErrorCode};
pub use wire::sign;
pub use wire::{
    BoxFuture, Call, Endpoint, HttpSettings, HttpTransport, Reply, Transport, TransportError,
    TransportErrorKind,
};
