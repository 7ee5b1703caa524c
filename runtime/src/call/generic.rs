//! The generic call: any action of any service by name, with a JSON body
//! (or raw bytes), for actions no generated crate has yet.

use super::builder::CallBuilder;
use super::client::Client;
use super::octet::{given_headers, OctetStreamBuilder};
use super::stream::StreamBuilder;
use crate::shared::{Action, Service};
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use tencentcloud_json::Value;

impl Client {
    /// Calls `action` of `service` (its short name, e.g. `cvm`) at API
    /// `version` (`2017-03-12`) with `body`, and returns the `Response`
    /// object of the answer as JSON: the same signing, endpoints, per-call
    /// options, retries and errors as a generated method, for an action the generated
    /// crates do not have yet.
    ///
    /// Error codes stay strings (`Error<String>`). The action is
    /// [`NotIdempotent`](crate::RetryClass::NotIdempotent) unless you say
    /// otherwise ([`CallBuilder::retry_class`], or
    /// [`ClientBuilder::retry_class`](crate::ClientBuilder::retry_class)),
    /// and has no client-side rate limit. The names are kept for the life of
    /// the process (once per distinct name), as the tracing and errors of
    /// every call name them.
    ///
    /// ```no_run
    /// # async fn run(client: tencentcloud_runtime::Client) -> Result<(), tencentcloud_runtime::Error<String>> {
    /// use serde_json::json;
    /// let zones = client
    ///     .call_json("cvm", "2017-03-12", "DescribeZones", &json!({}))
    ///     .region("ap-guangzhou")
    ///     .await?;
    /// println!("{}", zones["TotalCount"]);
    /// # Ok(()) }
    /// ```
    pub fn call_json<'a>(
        &'a self,
        service: &str,
        version: &str,
        action: &str,
        body: &'a Value,
    ) -> CallBuilder<'a, Value, Value, String> {
        let service = Service {
            name: intern(service),
            version: intern(version),
            intl_endpoint: None,
        };
        CallBuilder::new(self, service, Action::new(intern(action)), body)
    }

    /// Calls `action` of `service` at API `version` with `body` as a
    /// streaming call ([`StreamBuilder`]), and gives each response as JSON,
    /// as it arrives: [`call_json`](Self::call_json) for an action that
    /// answers with a stream of events.
    ///
    /// No member of `body` is set for you: ask for the stream with
    /// [`stream_member`](StreamBuilder::stream_member) (`"Stream"` is set
    /// to `true`, the rest of the body sent as it is), or put the member in
    /// `body` yourself. Retries and names are as for
    /// [`call_json`](Self::call_json).
    ///
    /// ```no_run
    /// # async fn run(client: tencentcloud_runtime::Client) -> Result<(), tencentcloud_runtime::Error<String>> {
    /// use serde_json::json;
    /// use tencentcloud_runtime::paginate::TryStreamExt;
    ///
    /// let request = json!({"Model": "hunyuan-lite", "Messages": [{"Role": "user", "Content": "hi"}]});
    /// let mut events = client
    ///     .call_json_stream("hunyuan", "2023-09-01", "ChatCompletions", &request)
    ///     .stream_member("Stream")
    ///     .await?;
    /// while let Some(event) = events.try_next().await? {
    ///     print!("{}", event["Choices"][0]["Delta"]["Content"].as_str().unwrap_or(""));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn call_json_stream<'a>(
        &'a self,
        service: &str,
        version: &str,
        action: &str,
        body: &'a Value,
    ) -> StreamBuilder<'a, Value, Value, String> {
        StreamBuilder::new(self.call_json(service, version, action, body))
    }

    /// Calls `action` of `service` at API `version` as an octet-stream call
    /// ([`OctetStreamBuilder`]): `body` sent as raw bytes
    /// (`Content-Type: application/octet-stream`), each of `headers` sent
    /// as it is, its name in full (`("X-CLS-TopicId", "…")`), and the
    /// `Response` object of the answer returned as JSON, as
    /// [`call_json`](Self::call_json) returns it.
    ///
    /// The call is signed as any call, over the content type
    /// `application/octet-stream` and the SHA-256 of `body`. A header HTTP
    /// cannot carry, or one the call writes itself, fails the call before
    /// anything is sent (see [`OctetStreamBuilder`]). Retries and names are
    /// as for [`call_json`](Self::call_json).
    ///
    /// ```no_run
    /// # async fn run(client: tencentcloud_runtime::Client) -> Result<(), tencentcloud_runtime::Error<String>> {
    /// let packed: Vec<u8> = vec![/* a LogGroupList, protobuf-encoded */];
    /// let headers = [("X-CLS-TopicId", "0a1b2c3d-…"), ("X-CLS-HashKey", "")];
    /// let answer = client
    ///     .call_octet_stream("cls", "2020-10-16", "UploadLog", &headers, &packed)
    ///     .region("ap-guangzhou")
    ///     .await?;
    /// println!("request id {}", answer["RequestId"]);
    /// # Ok(()) }
    /// ```
    pub fn call_octet_stream<'a>(
        &'a self,
        service: &str,
        version: &str,
        action: &str,
        headers: &'a [(&'a str, &'a str)],
        body: &'a [u8],
    ) -> OctetStreamBuilder<'a, [(&'a str, &'a str)], Value, String> {
        let service = Service {
            name: intern(service),
            version: intern(version),
            intl_endpoint: None,
        };
        let call = CallBuilder::new(self, service, Action::new(intern(action)), headers);
        OctetStreamBuilder::new(call, given_headers, "", body)
    }
}

/// `name` as a `&'static str`: each distinct name is leaked once, so a
/// program calling a few actions by name keeps a few short strings.
fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    // A poisoned lock only means another thread panicked; the set is still valid.
    let mut names = NAMES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(kept) = names.get(name) {
        return kept;
    }
    let kept: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(kept);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_kept_once() {
        let first = intern("DescribeZonesForInternTest");
        let second = intern(&String::from("DescribeZonesForInternTest"));
        assert!(std::ptr::eq(first, second));
        assert_eq!(first, "DescribeZonesForInternTest");
    }
}
