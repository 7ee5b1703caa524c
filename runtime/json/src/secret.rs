//! Which members hold secrets, by name: the rule the generated `Debug`
//! (through the generator) and the runtime's wire log both redact by.
//!
//! Tencent's specs have no marker for a secret, so the name decides: a
//! member whose wire name ends, ignoring case, with one of
//! [`SECRET_ENDINGS`] (`Password`, `AdminPassword`, `TmpSecretKey`,
//! `SessionToken`…) is secret, unless it is one of [`NOT_SECRET`]
//! (idempotency keys and cursors end in `Token` too). Only text is
//! redacted: `TotalTokens: 12` is a count.

use super::Value;

/// Name endings of secret members (compared ignoring case).
pub const SECRET_ENDINGS: &[&str] = &[
    "Password",
    "Passwd",
    "Pwd",
    "Secret",
    "SecretKey",
    "SecretString",
    "SecretBinary",
    "SecretAccessKey",
    "PrivateKey",
    "Token",
    "ApiKey",
];

/// Members that end like a secret but are not one.
pub const NOT_SECRET: &[&str] = &["ClientToken", "NextPageToken", "CreationToken"];

/// What a redacted value is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Whether a member named `wire_name` holds a secret when its value is
/// text (a string, or a list of strings).
///
/// ```
/// use tencentcloud_json::is_secret_name;
///
/// assert!(is_secret_name("TmpSecretKey") && is_secret_name("AdminPassword"));
/// assert!(!is_secret_name("SecretId") && !is_secret_name("ClientToken"));
/// ```
pub fn is_secret_name(wire_name: &str) -> bool {
    let lower = wire_name.to_ascii_lowercase();
    SECRET_ENDINGS
        .iter()
        .any(|end| lower.ends_with(&end.to_ascii_lowercase()))
        && !NOT_SECRET.contains(&wire_name)
}

/// Replaces, at any depth of `value`, the text of every secret member
/// ([`is_secret_name`]) with [`REDACTED`]: what a log may show of a body.
///
/// ```
/// use serde_json::json;
/// use tencentcloud_json::redact_secrets;
///
/// let mut body = json!({"Credentials": {"TmpSecretId": "AKID", "TmpSecretKey": "k", "Token": "t"},
///                       "Users": [{"Password": "p"}], "TotalTokens": 3});
/// redact_secrets(&mut body);
/// assert_eq!(body, json!({"Credentials": {"TmpSecretId": "AKID", "TmpSecretKey": "<redacted>",
///                         "Token": "<redacted>"}, "Users": [{"Password": "<redacted>"}], "TotalTokens": 3}));
/// ```
pub fn redact_secrets(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if is_secret_name(name) && is_text(member) {
                    *member = Value::from(REDACTED);
                } else {
                    redact_secrets(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_secrets),
        _ => {}
    }
}

/// A string, or a list of strings.
fn is_text(value: &Value) -> bool {
    match value {
        Value::String(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
        _ => false,
    }
}
