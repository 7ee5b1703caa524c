//! The client every generated service client wraps.

use crate::{decode_response, Error, ServiceErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed, sendable future: what [`Transport::send`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A service and API version, as generated into each version module (`SERVICE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// The service short name used in endpoints and signatures (`lcic`).
    pub name: &'static str,
    /// The API version sent in `X-TC-Version` (`2022-08-17`).
    pub version: &'static str,
    /// The documented international domain, when the spec records it.
    pub intl_endpoint: Option<&'static str>,
}

/// An action, as generated into each client method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    /// The wire name sent in `X-TC-Action` (`BatchCreateRoom`).
    pub name: &'static str,
    /// The documented rate limit, in requests per second.
    pub rate_limit_per_second: Option<u32>,
}

/// One call handed to a [`Transport`]: the JSON body of the request.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// The service and version.
    pub service: &'a Service,
    /// The action.
    pub action: &'a Action,
    /// The request serialized as JSON.
    pub body: Vec<u8>,
}

/// The HTTP answer to a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Why a transport could not deliver a call or its answer.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// An error with a message and, optionally, its cause.
    pub fn new(
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            message: message.into(),
            source,
        }
    }
}

/// Sends calls: signing, HTTP and retries live behind this trait, so tests
/// and embedders can substitute their own.
pub trait Transport: fmt::Debug + Send + Sync + 'static {
    /// Sends one call and returns the HTTP answer.
    fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>>;
}

/// The shared client: cheap to clone, clones share the transport.
#[derive(Debug, Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
}

impl Client {
    /// A client that sends every call through `transport`.
    pub fn with_transport(transport: impl Transport) -> Self {
        Client {
            transport: Arc::new(transport),
        }
    }

    /// Sends `request` as `action` of `service` and decodes the answer.
    pub async fn call<Req, Resp, E>(
        &self,
        service: &Service,
        action: &Action,
        request: &Req,
    ) -> Result<Resp, Error<E>>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
        E: ServiceErrorCode,
    {
        let name = action.name;
        let body = serde_json::to_vec(request).map_err(|source| Error::Encode {
            action: name,
            source,
        })?;
        let reply = self
            .transport
            .send(Call {
                service,
                action,
                body,
            })
            .await
            .map_err(|source| Error::Transport {
                action: name,
                source,
            })?;
        decode_response(name, reply.status, &reply.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Debug, Default)]
    struct Recorder {
        seen: Mutex<Vec<(String, String, Vec<u8>)>>,
        answer: Option<(u16, &'static str)>,
    }

    impl Transport for Recorder {
        fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
            self.seen.lock().unwrap().push((
                call.service.name.into(),
                call.action.name.into(),
                call.body,
            ));
            let answer = self.answer;
            Box::pin(async move {
                match answer {
                    Some((status, body)) => Ok(Reply {
                        status,
                        body: body.as_bytes().to_vec(),
                    }),
                    None => Err(TransportError::new("connection refused", None)),
                }
            })
        }
    }

    const SERVICE: Service = Service {
        name: "lcic",
        version: "2022-08-17",
        intl_endpoint: None,
    };
    const ACTION: Action = Action {
        name: "DescribeRoom",
        rate_limit_per_second: None,
    };

    #[tokio::test]
    async fn call_sends_json_and_decodes_the_answer() {
        let recorder = Arc::new(Recorder {
            answer: Some((200, r#"{"Response":{"Name":"n","RequestId":"r"}}"#)),
            ..Recorder::default()
        });
        #[derive(Debug)]
        struct Shared(Arc<Recorder>);
        impl Transport for Shared {
            fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
                self.0.send(call)
            }
        }
        let client = Client::with_transport(Shared(recorder.clone()));
        let request = serde_json::json!({"RoomId": 7});
        let out: serde_json::Value = client
            .call::<_, _, String>(&SERVICE, &ACTION, &request)
            .await
            .unwrap();
        assert_eq!(out["Name"], "n");
        let seen = recorder.seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].0, "lcic");
        assert_eq!(seen[0].1, "DescribeRoom");
        assert_eq!(seen[0].2, br#"{"RoomId":7}"#);
    }

    #[tokio::test]
    async fn transport_failures_name_the_action() {
        let client = Client::with_transport(Recorder::default());
        let err = client
            .call::<_, serde_json::Value, String>(&SERVICE, &ACTION, &serde_json::json!({}))
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "DescribeRoom: connection refused");
    }
}
