//! The client token: the request member (`ClientToken`) that lets Tencent
//! Cloud recognise a repeated create, so a retry cannot act twice.

use tencentcloud_json::{ToJson, Value, Writer};

/// The request body of a call, and the client token it carries when the
/// action has a client-token `member`.
///
/// A token the caller set is kept; an unset or empty one is replaced by a
/// fresh random token, so the body (and so every attempt) carries one. Only
/// these requests go through a [`Value`]; every other request writes itself
/// straight to bytes.
pub(crate) fn encode<Req: ToJson + ?Sized>(
    request: &Req,
    member: Option<&str>,
) -> (Vec<u8>, Option<String>) {
    let plain = || {
        // Most request bodies are small; one allocation usually holds them.
        let mut body = Writer::with_capacity(512);
        request.write_json(&mut body);
        body.into_bytes()
    };
    let Some(member) = member else {
        return (plain(), None);
    };
    let mut value = request.to_json();
    let Value::Object(members) = &mut value else {
        // A request is an object; any other value has no member to fill.
        return (plain(), None);
    };
    let token = match members.get(member) {
        Some(Value::String(token)) if !token.is_empty() => token.clone(),
        _ => {
            let token = new_client_token();
            members.insert(member.to_owned(), Value::String(token.clone()));
            token
        }
    };
    let body = serde_json::to_vec(&value)
        .expect("invariant: a serde_json::Value always serializes to a Vec");
    (body, Some(token))
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

    fn body(bytes: &[u8]) -> Value {
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn an_unset_or_empty_token_is_filled_and_reported() {
        for request in [
            json!({"Zone": "z"}),
            json!({"Zone": "z", "ClientToken": ""}),
        ] {
            let (bytes, token) = encode(&request, Some("ClientToken"));
            let token = token.expect("a token is reported");
            let sent = body(&bytes);
            assert_eq!(sent["ClientToken"], token.as_str());
            assert_eq!(sent["Zone"], "z");
            let uuid = uuid::Uuid::parse_str(&token).expect("UUID-shaped");
            assert_eq!(uuid.get_version_num(), 4);
        }
        let (_, first) = encode(&json!({}), Some("ClientToken"));
        let (_, second) = encode(&json!({}), Some("ClientToken"));
        assert_ne!(first, second, "each call gets its own token");
    }

    #[test]
    fn a_token_the_caller_set_is_kept() {
        let request = json!({"ClientToken": "mine"});
        let (bytes, token) = encode(&request, Some("ClientToken"));
        assert_eq!(token.as_deref(), Some("mine"));
        assert_eq!(body(&bytes), request);
    }

    #[test]
    fn actions_without_a_token_member_send_the_request_as_is() {
        let request = json!({"B": 1, "A": 2});
        let (bytes, token) = encode(&request, None);
        assert_eq!(token, None);
        assert_eq!(bytes, serde_json::to_vec(&request).unwrap());
    }
}
