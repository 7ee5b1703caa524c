//! The retry class of each action: idempotent when its request carries a
//! client token its docs describe as an idempotency key, or its name says it
//! only reads; else not.
//!
//! A `ClientToken` member is not always a key: ess `CreateFlow` documents its
//! own as no longer used (a retry would create a second signing flow), tcb
//! `CreateCloudApp` uses it as a publish-token check (a random value is
//! wrong). So the docs decide, `overlay.json` first: a token is a key when
//! they describe one ([`KEY_WORDS`]: idempotency, re-entrancy, repeated
//! creation, retries) and do not say it is unused ([`UNUSED_WORDS`], or the
//! member is deprecated). Anything else is the caller's to fill, and the
//! action is classed by its name.

use crate::ir::{Field, Idempotence, Object, Scalar, Type};
use crate::load::ClientTokenOverlay;

/// The request member Tencent Cloud uses to recognise a repeated call
/// (CVM `RunInstances`, CBS, CLB, VPC…).
pub const CLIENT_TOKEN_MEMBER: &str = "ClientToken";

/// Name prefixes of read-only actions, in Tencent's naming convention; each
/// must be followed by the next word of the name (an upper-case letter or a
/// digit), so `Describer…` or `Listen…` do not count.
const READ_ONLY_WORDS: &[&str] = &["Describe", "Get", "List", "Query"];
/// `InquiryPrice…`, `InquirePrice…`: the word itself varies.
const READ_ONLY_STEM: &str = "Inquir";

/// Words of a `ClientToken`'s docs that describe an idempotency key, compared
/// with the docs lower-cased and without white space.
pub const KEY_WORDS: &[&str] = &[
    "幂等",
    "重入",
    "重复创建",
    "重新创建",
    "重试",
    "idempot",
    "reentr",
    "re-entr",
    "repeatedly",
    "retry",
    "retries",
    "duplicate",
];

/// Words that say a `ClientToken` is not read at all; they win over [`KEY_WORDS`].
pub const UNUSED_WORDS: &[&str] = &[
    "不再使用",
    "废弃",
    "无需填写",
    "nolongerused",
    "notused",
    "deprecated",
];

/// What an action's `ClientToken` is, and what said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientTokenUse {
    /// Whether it is an idempotency key (the action is then idempotent and
    /// the runtime fills the token when the caller leaves it unset).
    pub key: bool,
    /// Why.
    pub reason: TokenReason,
}

/// Why a `ClientToken` is or is not an idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenReason {
    /// `overlay.json` says so.
    Overlay,
    /// Its docs describe a key.
    DocsDescribeKey,
    /// Its docs (or its `disabled` flag) say it is not used.
    DocsSayUnused,
    /// Its docs describe something else, or nothing.
    DocsSilent,
}

impl TokenReason {
    /// In a sentence, after "because".
    pub fn describe(self) -> &'static str {
        match self {
            TokenReason::Overlay => "this project's `overlay.json` says so",
            TokenReason::DocsDescribeKey => "its docs describe an idempotency key",
            TokenReason::DocsSayUnused => "its docs say it is no longer used",
            TokenReason::DocsSilent => "its docs do not describe an idempotency key",
        }
    }
}

/// The class of action `name` whose request is `input`, with what its
/// `ClientToken` is when it has one; `overlay` is `overlay.json`'s word on it.
pub(super) fn classify(
    name: &str,
    input: &Object,
    overlay: Option<ClientTokenOverlay>,
) -> (Idempotence, Option<ClientTokenUse>) {
    let token = client_token(input).map(|field| token_use(field, overlay));
    let class = if token.is_some_and(|t| t.key) {
        Idempotence::ClientToken
    } else if is_read_only(name) {
        Idempotence::ReadOnly
    } else {
        Idempotence::NotIdempotent
    };
    (class, token)
}

fn client_token(input: &Object) -> Option<&Field> {
    input
        .fields
        .iter()
        .find(|f| f.wire_name == CLIENT_TOKEN_MEMBER && f.ty == Type::Scalar(Scalar::String))
}

fn token_use(field: &Field, overlay: Option<ClientTokenOverlay>) -> ClientTokenUse {
    let (key, reason) = match overlay {
        Some(word) => (
            word == ClientTokenOverlay::IdempotencyKey,
            TokenReason::Overlay,
        ),
        None => {
            let text: String = field
                .doc
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect();
            let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
            if field.deprecated || has(UNUSED_WORDS) {
                (false, TokenReason::DocsSayUnused)
            } else if has(KEY_WORDS) {
                (true, TokenReason::DocsDescribeKey)
            } else {
                (false, TokenReason::DocsSilent)
            }
        }
    };
    ClientTokenUse { key, reason }
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
        documented(members, "")
    }

    fn documented(members: &[(&str, Type)], doc: &str) -> Object {
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
                    doc: doc.into(),
                    ty: ty.clone(),
                    presence: Presence::Optional,
                    required: false,
                    deprecated: false,
                    boxed: false,
                    sensitive: false,
                })
                .collect(),
        }
    }

    #[test]
    fn classes() {
        let string = Type::Scalar(Scalar::String);
        let token = documented(
            &[("Zone", string.clone()), ("ClientToken", string)],
            "用于保证请求幂等性的字符串。",
        );
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
            assert_eq!(classify(name, input, None).0, class, "{name}");
        }
    }

    /// `ClientToken` docs of the published catalog (tccli 3.1.189.1 and
    /// tccli-intl-en 3.1.193.1), and what they make of the token.
    #[test]
    fn client_token_docs_table() {
        use TokenReason::*;
        let cases = [
            ("cvm RunInstances", "用于保证请求幂等性的字符串。该字符串由客户生成，需保证不同请求之间唯一", true, DocsDescribeKey),
            ("cvm RunInstances (intl)", "A unique string supplied by the client to ensure that the request is idempotent.", true, DocsDescribeKey),
            ("dnspod CreateAndPayDeal", " 可重入ID，避免接口重试场景生成额外订单和实例  入参限制：长度不超过70个字符 ", true, DocsDescribeKey),
            ("emr CreateCluster", " 唯一随机标识，时效性为5分钟，需要调用者指定 防止客户端重复创建资源", true, DocsDescribeKey),
            ("emr CreateCluster (intl)", "Unique random identifier with a time-to-live of 5 minutes, which needs to be specified by the caller to prevent the client from repeatedly creating resources", true, DocsDescribeKey),
            ("ssm CreateService", "客户端生成的创建请求标识。同一次逻辑创建发生重试时，须使用相同的值。", true, DocsDescribeKey),
            ("ess CreateFlow", " 该字段已不再使用 ", false, DocsSayUnused),
            ("ess CreateDocument", " 该字段已不再使用 ", false, DocsSayUnused),
            ("tcb CreateCloudApp", " 发布 Token 校验 ", false, DocsSilent),
            ("dbdc CreateDBCustomCluster", " 客户端Token ", false, DocsSilent),
            ("billing CreateInstance", "ClientToken是一个由客户端生成的唯一的、区分大小写、不超过64个ASCII字符的字符串。", false, DocsSilent),
            ("emr ModifyResource", "Token", false, DocsSilent),
        ];
        let string = Type::Scalar(Scalar::String);
        for (case, doc, key, reason) in cases {
            let input = documented(&[("ClientToken", string.clone())], doc);
            let (class, token) = classify("CreateThing", &input, None);
            assert_eq!(token, Some(ClientTokenUse { key, reason }), "{case}");
            let want = if key {
                Idempotence::ClientToken
            } else {
                Idempotence::NotIdempotent
            };
            assert_eq!(class, want, "{case}");
        }
    }

    #[test]
    fn the_overlay_and_the_disabled_flag_decide() {
        let string = Type::Scalar(Scalar::String);
        let silent = documented(&[("ClientToken", string.clone())], "Token");
        let (class, token) = classify(
            "CreateThing",
            &silent,
            Some(ClientTokenOverlay::IdempotencyKey),
        );
        assert_eq!(class, Idempotence::ClientToken);
        assert_eq!(token.map(|t| t.reason), Some(TokenReason::Overlay));
        let keyed = documented(&[("ClientToken", string)], "保证请求幂等性");
        let (class, _) = classify("DescribeThing", &keyed, Some(ClientTokenOverlay::NotAKey));
        assert_eq!(
            class,
            Idempotence::ReadOnly,
            "a read-only name still counts"
        );
        let mut disabled = keyed.clone();
        disabled.fields[0].deprecated = true;
        let (class, token) = classify("CreateThing", &disabled, None);
        assert_eq!(class, Idempotence::NotIdempotent);
        assert_eq!(token.map(|t| t.reason), Some(TokenReason::DocsSayUnused));
    }
}
