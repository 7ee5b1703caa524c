//! The retry class of each action: idempotent when its request carries a
//! client token or its name says it only reads, else not.

use crate::ir::{Idempotence, Object, Scalar, Type};

/// The request member Tencent Cloud uses to recognise a repeated call
/// (CVM `RunInstances`, CBS, CLB, VPC…).
pub const CLIENT_TOKEN_MEMBER: &str = "ClientToken";

/// Name prefixes of read-only actions, in Tencent's naming convention; each
/// must be followed by the next word of the name (an upper-case letter or a
/// digit), so `Describer…` or `Listen…` do not count.
const READ_ONLY_WORDS: &[&str] = &["Describe", "Get", "List", "Query"];
/// `InquiryPrice…`, `InquirePrice…`: the word itself varies.
const READ_ONLY_STEM: &str = "Inquir";

/// The class of action `name` whose request is `input`.
pub(super) fn classify(name: &str, input: &Object) -> Idempotence {
    if has_client_token(input) {
        Idempotence::ClientToken
    } else if is_read_only(name) {
        Idempotence::ReadOnly
    } else {
        Idempotence::NotIdempotent
    }
}

fn has_client_token(input: &Object) -> bool {
    input
        .fields
        .iter()
        .any(|f| f.wire_name == CLIENT_TOKEN_MEMBER && f.ty == Type::Scalar(Scalar::String))
}

fn is_read_only(name: &str) -> bool {
    let starts_word = |rest: &str| {
        rest.chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    name.starts_with(READ_ONLY_STEM)
        || READ_ONLY_WORDS
            .iter()
            .any(|word| name.strip_prefix(word).is_some_and(starts_word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Presence};

    fn request(members: &[(&str, Type)]) -> Object {
        Object {
            wire_name: "Request".into(),
            rust_name: "Request".into(),
            doc: String::new(),
            sent: true,
            received: false,
            fields: members
                .iter()
                .map(|(name, ty)| Field {
                    wire_name: (*name).into(),
                    rust_name: name.to_lowercase(),
                    doc: String::new(),
                    ty: ty.clone(),
                    presence: Presence::Optional,
                    required: false,
                    deprecated: false,
                    boxed: false,
                })
                .collect(),
        }
    }

    #[test]
    fn classes() {
        let string = Type::Scalar(Scalar::String);
        let token = request(&[("Zone", string.clone()), ("ClientToken", string)]);
        let plain = request(&[("Zone", Type::Scalar(Scalar::String))]);
        let int_token = request(&[("ClientToken", Type::Scalar(Scalar::Int64))]);
        let cases = [
            ("RunInstances", &token, Idempotence::ClientToken),
            ("DescribeInstances", &token, Idempotence::ClientToken),
            ("RunInstances", &plain, Idempotence::NotIdempotent),
            ("RunInstances", &int_token, Idempotence::NotIdempotent),
            ("DescribeInstances", &plain, Idempotence::ReadOnly),
            ("GetGroupInfo", &plain, Idempotence::ReadOnly),
            ("ListUsers", &plain, Idempotence::ReadOnly),
            ("QueryOrder", &plain, Idempotence::ReadOnly),
            ("InquiryPriceRunInstances", &plain, Idempotence::ReadOnly),
            ("InquirePriceRenewDisks", &plain, Idempotence::ReadOnly),
            ("Describe", &plain, Idempotence::NotIdempotent),
            ("ListenerCreate", &plain, Idempotence::NotIdempotent),
            ("Getaway", &plain, Idempotence::NotIdempotent),
            ("BatchCreateRoom", &plain, Idempotence::NotIdempotent),
            ("ModifyDescribe", &plain, Idempotence::NotIdempotent),
        ];
        for (name, input, class) in cases {
            assert_eq!(classify(name, input), class, "{name}");
        }
    }
}
