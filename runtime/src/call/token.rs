//! The request body of a call, and the members the call fills in it: the
//! client token (`ClientToken`), which lets Tencent Cloud recognise a
//! repeated create, so a retry cannot act twice, and, for a streaming call,
//! the stream member (`Stream`).

use tencentcloud_json::{ToJson, Writer};

/// The request body of a call, and the client token it carries when the
/// action has a client-token member (`token_member`); `stream_member`, when
/// given (a streaming call), is sent as `true` whatever the request holds.
///
/// A token the caller set is kept; an unset or empty one is replaced by a
/// fresh random token, so the body (and so every attempt) carries one. The
/// request is written once, the members filled as it is
/// ([`Writer::filling`], [`Writer::setting`]): every other byte is the one
/// the request writes by itself, its numbers never reprinted.
pub(crate) fn encode<Req: ToJson + ?Sized>(
    request: &Req,
    token_member: Option<&str>,
    stream_member: Option<&str>,
) -> (Vec<u8>, Option<String>) {
    // Most request bodies are small; one allocation usually holds them.
    let mut body = Writer::with_capacity(512);
    if let Some(member) = stream_member {
        body = body.setting(member, &true);
    }
    if let Some(member) = token_member {
        // Made before knowing whether the caller set one: a token is one
        // random draw, cheaper than writing the request twice.
        body = body.filling(member, new_client_token());
    }
    request.write_json(&mut body);
    let token = body.filled_token().map(str::to_owned);
    (body.into_bytes(), token)
}

/// A fresh random client token, UUID-shaped (version 4) like the official
/// SDKs'. Set one on a request yourself to know it before the call.
pub fn new_client_token() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tencentcloud_json::Value;

    /// A request as generated, with numbers serde_json would print back
    /// differently from a `Value` (key order) and a `Value` member.
    #[derive(Clone, Default)]
    struct Create {
        zone: String,
        ratio: f64,
        huge: f64,
        client_token: Option<String>,
        extra: Option<Value>,
        inner: Option<Box<Create>>,
    }

    impl ToJson for Create {
        fn write_json(&self, out: &mut Writer) {
            let mut members = out.object();
            members.member("Zone", &self.zone);
            members.member("Ratio", &self.ratio);
            members.member("Huge", &self.huge);
            members.member("ClientToken", &self.client_token);
            members.member("Extra", &self.extra);
            members.member("Inner", &self.inner);
            members.finish();
        }
    }

    fn create() -> Create {
        Create {
            zone: "ap-guangzhou-3".into(),
            ratio: 0.1,
            huge: 1e300,
            extra: Some(json!({"Id": 12_345_678_901_234_567_890_u64, "Weight": 1.0})),
            inner: Some(Box::new(Create {
                ratio: 2.5,
                ..Create::default()
            })),
            ..Create::default()
        }
    }

    /// The body of `request` sent as it is, with no token filled.
    fn plain<Req: ToJson + ?Sized>(request: &Req) -> Vec<u8> {
        encode(request, None, None).0
    }

    #[test]
    fn a_filled_body_is_the_plain_body_with_the_token_set() {
        for own in [None, Some(String::new())] {
            let request = Create {
                client_token: own,
                ..create()
            };
            let (bytes, token) = encode(&request, Some("ClientToken"), None);
            let token = token.expect("a token is reported");
            let expected = plain(&Create {
                client_token: Some(token.clone()),
                ..create()
            });
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
        let text = String::from_utf8(plain(&create())).unwrap();
        assert!(
            text.starts_with(r#"{"Zone":"ap-guangzhou-3","Ratio":0.1,"Huge":1e+300,"#)
                && text.contains(r#"{"Id":12345678901234567890,"Weight":1.0}"#),
            "{text}"
        );
    }

    #[test]
    fn a_request_without_the_member_gets_it_last() {
        let request = json!({"Zone": "z", "Count": 1.0, "Id": 12_345_678_901_234_567_890_u64});
        let (bytes, token) = encode(&request, Some("ClientToken"), None);
        let token = token.expect("a token is reported");
        let mut expected = plain(&request);
        expected.pop();
        expected.extend_from_slice(format!(r#","ClientToken":"{token}"}}"#).as_bytes());
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    #[test]
    fn a_nested_client_token_is_left_alone() {
        let request = Create {
            client_token: Some("outer".into()),
            inner: Some(Box::new(Create {
                client_token: Some(String::new()),
                ..Create::default()
            })),
            ..create()
        };
        let (bytes, token) = encode(&request, Some("ClientToken"), None);
        assert_eq!(token.as_deref(), Some("outer"));
        assert_eq!(bytes, plain(&request));
        let (bytes, token) = encode(&Create::default(), Some("ClientToken"), None);
        let sent = body(&bytes);
        assert_eq!(sent["ClientToken"], token.unwrap().as_str());
        assert!(sent.get("Inner").is_none());
    }

    #[test]
    fn a_token_needing_escapes_is_kept_as_set() {
        let own = "retry \"7\" \\ 名\n";
        let request = Create {
            client_token: Some(own.into()),
            ..create()
        };
        let (bytes, token) = encode(&request, Some("ClientToken"), None);
        assert_eq!(token.as_deref(), Some(own));
        assert_eq!(bytes, plain(&request));
        assert_eq!(body(&bytes)["ClientToken"], own);
    }

    fn body(bytes: &[u8]) -> Value {
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn an_unset_or_empty_token_is_filled_and_reported() {
        for request in [
            json!({"Zone": "z"}),
            json!({"Zone": "z", "ClientToken": ""}),
        ] {
            let (bytes, token) = encode(&request, Some("ClientToken"), None);
            let token = token.expect("a token is reported");
            let sent = body(&bytes);
            assert_eq!(sent["ClientToken"], token.as_str());
            assert_eq!(sent["Zone"], "z");
            let uuid = uuid::Uuid::parse_str(&token).expect("UUID-shaped");
            assert_eq!(uuid.get_version_num(), 4);
        }
        let (_, first) = encode(&json!({}), Some("ClientToken"), None);
        let (_, second) = encode(&json!({}), Some("ClientToken"), None);
        assert_ne!(first, second, "each call gets its own token");
    }

    #[test]
    fn a_token_the_caller_set_is_kept() {
        let request = json!({"ClientToken": "mine"});
        let (bytes, token) = encode(&request, Some("ClientToken"), None);
        assert_eq!(token.as_deref(), Some("mine"));
        assert_eq!(body(&bytes), request);
    }

    #[test]
    fn a_streaming_call_sets_its_member_and_keeps_every_other_byte() {
        for own in [None, Some(false), Some(true)] {
            let request = match own {
                Some(flag) => json!({"Model": "m", "Stream": flag, "Top": 0.1}),
                None => json!({"Model": "m", "Top": 0.1}),
            };
            let (bytes, token) = encode(&request, None, Some("Stream"));
            assert_eq!(token, None);
            let expected = match own {
                Some(_) => r#"{"Model":"m","Stream":true,"Top":0.1}"#,
                None => r#"{"Model":"m","Top":0.1,"Stream":true}"#,
            };
            assert_eq!(String::from_utf8(bytes).unwrap(), expected, "{own:?}");
        }
        // With a client token too, both are filled in the one pass.
        let (bytes, token) = encode(&create(), Some("ClientToken"), Some("Stream"));
        let token = token.expect("a token is reported");
        let mut expected = plain(&Create {
            client_token: Some(token),
            ..create()
        });
        expected.pop();
        expected.extend_from_slice(br#","Stream":true}"#);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    #[test]
    fn actions_without_a_token_member_send_the_request_as_is() {
        let request = json!({"B": 1, "A": 2});
        let (bytes, token) = encode(&request, None, None);
        assert_eq!(token, None);
        assert_eq!(bytes, serde_json::to_vec(&request).unwrap());
    }
}
