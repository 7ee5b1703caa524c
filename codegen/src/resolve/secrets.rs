//! Which members hold secrets, so that the generated `Debug` prints them
//! redacted (as smithy-rs does for members its models mark sensitive).
//!
//! Tencent's specs have no such marker, so the name decides, by the rule
//! the runtime's wire log redacts by too, written once in the JSON crate
//! ([`tencentcloud_json::is_secret_name`]: a name ending in `Password`,
//! `SecretKey`, `Token`… and not `ClientToken`, `NextPageToken`,
//! `CreationToken`); here, besides, a member must hold text (a string, or a
//! list of them), and the paging cursors of [`TOKENS`] are no secrets. An
//! object member is not redacted as a whole: its own secret members are.
//! `overlay.json`'s `sensitive` map (`"Object.Member": true | false`)
//! corrects the rule either way.

use super::pagination::TOKENS;
use crate::ir::{Scalar, Type};
use tencentcloud_json::is_secret_name;

/// Whether a member named `wire_name` of type `ty` holds a secret, by the
/// rule of the module docs (before `overlay.json`).
pub fn by_name(wire_name: &str, ty: &Type) -> bool {
    is_secret_name(wire_name) && !TOKENS.contains(&wire_name) && holds_text(ty)
}

fn holds_text(ty: &Type) -> bool {
    match ty {
        Type::Scalar(Scalar::String) => true,
        Type::List(inner) => holds_text(inner),
        Type::Scalar(_) | Type::Object(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::ObjectId;

    /// Member names of the published catalog and what the rule makes of them.
    #[test]
    fn names_table() {
        let string = Type::Scalar(Scalar::String);
        let strings = Type::List(Box::new(string.clone()));
        let int = Type::Scalar(Scalar::Int64);
        let object = Type::Object(ObjectId(0));
        let cases = [
            ("Password", &string, true),
            ("PassWord", &string, true),
            ("AdminPassword", &string, true),
            ("DbPwd", &string, true),
            ("SecretKey", &string, true),
            ("TmpSecretKey", &string, true),
            ("SecretAccessKey", &string, true),
            ("AccessKeySecret", &string, true),
            ("ClientSecret", &string, true),
            ("SecretString", &string, true),
            ("SecretBinary", &string, true),
            ("PrivateKey", &string, true),
            ("GmEncPrivateKey", &string, true),
            ("Token", &string, true),
            ("SessionToken", &string, true),
            ("AccessToken", &string, true),
            ("ApiKey", &string, true),
            ("Passwords", &strings, false),
            ("Tokens", &strings, false),
            ("PrivateKeys", &strings, false),
            // Identifiers and counts, not secrets.
            ("SecretId", &string, false),
            ("TmpSecretId", &string, false),
            ("SecretName", &string, false),
            ("ApiKeyId", &string, false),
            ("TotalTokens", &int, false),
            ("PasswordLength", &int, false),
            ("EncryptPassword", &Type::Scalar(Scalar::Bool), false),
            // Paging cursors and idempotency keys.
            ("NextToken", &string, false),
            ("PageToken", &string, false),
            ("ScrollToken", &string, false),
            ("NextPageToken", &string, false),
            ("ClientToken", &string, false),
            ("CreationToken", &string, false),
            // Objects hold their secrets in their own members.
            ("Token", &object, false),
        ];
        for (name, ty, secret) in cases {
            assert_eq!(by_name(name, ty), secret, "{name}");
        }
        assert!(by_name("UserPassword", &strings), "a list of secrets");
    }
}
