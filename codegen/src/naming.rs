//! Every Rust name the generator invents is decided here.
//!
//! The rules, in the order they apply (they are also the crate's documented
//! naming policy, see README "Naming"):
//!
//! 1. **Acronyms.** Mixed-case acronyms that a plain case conversion would tear
//!    apart (`IPv6`, `DDoS`, `IDs`) are folded into one word first, so
//!    `AddressIPv6` becomes `address_ipv6`, not `address_i_pv6`.
//! 2. **Case.** Members and actions become `snake_case` (fields, methods);
//!    objects keep their wire name when it is already a valid `UpperCamelCase`
//!    identifier, error codes become `UpperCamelCase` with the dots removed.
//! 3. **Keywords.** A name that is a Rust keyword (strict, reserved or
//!    weak-but-troublesome, any edition) gets a trailing underscore:
//!    `type_`, `self_`, `super_`, `Self_`. Raw identifiers are not used because
//!    `self`, `super`, `crate` and `Self` cannot be raw.
//! 4. **Leading digits** get a leading underscore (`3DModel` → `_3d_model`).
//! 5. **Names stay with their member.** A name handed out before (a [`Pins`]
//!    entry: the spec directory's `names.json`, or the previous release of the
//!    spec) is kept by its member, whatever joins the scope later: a member
//!    added beside `DNSFormat` never takes `dns_format` from it.
//! 6. **Collisions.** Within one scope (the objects of a version, the members
//!    of one object, the actions of one client, the codes of one `ErrorCode`),
//!    the names not pinned that come out equal are ordered: first the one
//!    whose wire name converts back exactly (`DnsFormat` for `dns_format`),
//!    then by wire name in byte order. The first keeps the plain name unless
//!    a pinned member has it; the others get `_2`, `_3`, … (`2`, `3`, … for
//!    `UpperCamelCase` names). Names reserved by the generator itself count as
//!    taken, so a spec can never shadow them. Where no history is known (a
//!    first generation) this rule alone decides, deterministically.
//! 7. **What is remembered.** [`to_pin`] says which names a scope must
//!    remember for the next release: every member of a collision and every
//!    name that is not its member's plain name. Everything else is what the
//!    rules above give anyway.
//!
//! Wire names are never derived back from Rust names: every field carries its
//! exact wire name in its JSON conversions.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// Names already handed out in one scope: wire name → Rust name.
pub type Pins = BTreeMap<String, String>;

/// Mixed-case acronyms found across Tencent's catalog, with the single word
/// they are read as. Longest first so `IPv6s` is not read as `IPv6` + `s`.
const ACRONYMS: &[(&str, &str)] = &[
    ("TBaaS", "Tbaas"),
    ("DDoS", "Ddos"),
    ("DDos", "Ddos"),
    ("IPv4", "Ipv4"),
    ("IPv6", "Ipv6"),
    ("IDs", "Ids"),
    ("IPs", "Ips"),
    ("URLs", "Urls"),
    ("K8S", "K8s"),
];

/// Rust keywords in every edition, plus the names that would shadow
/// something generated code relies on when used as a field or method.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Folds the known mixed-case acronyms of `wire` into single words.
fn fold_acronyms(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    let mut rest = wire;
    'scan: while !rest.is_empty() {
        for (acronym, word) in ACRONYMS {
            if let Some(after) = rest.strip_prefix(acronym) {
                // Only a whole word: the acronym must not run on in lower case
                // (`IDsX` is fine, `IDsomething` is not the acronym `IDs`).
                if after.chars().next().is_none_or(|c| !c.is_ascii_lowercase()) {
                    out.push_str(word);
                    rest = after;
                    continue 'scan;
                }
            }
        }
        let c = rest
            .chars()
            .next()
            .expect("loop runs only while rest is non-empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Makes `name` usable as an identifier: characters no identifier may hold
/// dropped (`x²`), `empty` for a name with nothing left (`_`, `.`, ``),
/// `_` before a leading digit, `_` after a keyword.
fn legalize(name: String, empty: &str) -> String {
    let name: String = name
        .chars()
        .filter(|&c| unicode_ident::is_xid_continue(c))
        .collect();
    let name = if name.is_empty() || name.chars().all(|c| c == '_') {
        empty.to_owned()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c != '_' && !unicode_ident::is_xid_start(c)) {
        format!("_{name}")
    } else {
        name
    };
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// The snake_case name of a member or action, before collision handling.
pub fn snake(wire: &str) -> String {
    legalize(fold_acronyms(wire).to_snake_case(), "unnamed")
}

/// The UpperCamelCase name of an object, before collision handling: the wire
/// name itself when it already is a proper type name.
pub fn type_name(wire: &str) -> String {
    let is_ident = wire.starts_with(|c: char| c.is_ascii_uppercase())
        && wire.chars().all(|c| c.is_ascii_alphanumeric());
    if is_ident {
        legalize(wire.to_owned(), "Unnamed")
    } else {
        legalize(fold_acronyms(wire).to_upper_camel_case(), "Unnamed")
    }
}

/// The `ErrorCode` variant of a wire error code (`FailedOperation.ClassStarted`
/// → `FailedOperationClassStarted`), before collision handling.
pub fn variant(code: &str) -> String {
    let joined: String = code
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().expect("empty parts are filtered out");
            first.to_ascii_uppercase().to_string() + chars.as_str()
        })
        .collect();
    legalize(joined, "Unnamed")
}

/// The module of one API version: `2022-08-17` → `v20220817`, as the official
/// SDKs name their packages.
pub fn version_module(version: &str) -> String {
    let digits: String = version
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("v{}", digits.to_ascii_lowercase())
}

/// The crate (package) name for a service short name: `lcic` → `tencentcloud-lcic`.
pub fn crate_name(service: &str) -> String {
    format!("tencentcloud-{}", service.to_snake_case().replace('_', "-"))
}

/// The Rust name of the `with_…` setter of a field.
pub fn setter(field: &str) -> String {
    format!("with_{}", field.trim_end_matches('_'))
}

/// The test-only client method naming an action's wire name
/// ([`crate::Options::probe_items`]): `get_rooms` → `get_rooms_wire_name`.
pub fn probe(method: &str) -> String {
    format!("{}_wire_name", method.trim_end_matches('_'))
}

/// The client method returning the paginator of the action whose method is
/// `method` (`get_rooms` → `get_rooms_paginator`).
pub fn paginator(method: &str) -> String {
    format!("{}_paginator", method.trim_end_matches('_'))
}

/// The client method streaming the answer of the action whose method is
/// `method` (`chat_completions` → `chat_completions_stream`).
pub fn stream(method: &str) -> String {
    format!("{}_stream", method.trim_end_matches('_'))
}

/// The client method sending raw bytes for the action whose method is
/// `method` (`upload_log` → `upload_log_bytes`).
pub fn bytes(method: &str) -> String {
    format!("{}_bytes", method.trim_end_matches('_'))
}

/// The name of a generated example test.
pub fn example_test(method: &str, index: usize, part: &str) -> String {
    format!("{method}_example_{index}_{part}")
}

/// Which case a scope's names are in, so collision suffixes read naturally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `dns_format_2`
    Snake,
    /// `InvalidParameterConflict2`
    Camel,
}

/// Assigns final, unique names to one scope.
///
/// `items` are `(wire name, candidate)` pairs in any order; the result holds
/// the final name of each item, in the same order. `reserved` names are
/// treated as taken before any item is placed. Pinned items keep their
/// pinned name (unless it is reserved or another pin took it first); of the
/// others, the item whose wire name converts back exactly from its candidate
/// keeps the plain name.
pub fn dedupe(
    items: &[(String, String)],
    reserved: &[&str],
    case: Case,
    pins: &Pins,
) -> Vec<String> {
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    let mut names: Vec<Option<String>> = vec![None; items.len()];
    // Pins first, in wire-name order, so a newcomer never takes a name that
    // was handed out before.
    let mut pinned: Vec<usize> = (0..items.len())
        .filter(|&i| pins.contains_key(&items[i].0))
        .collect();
    pinned.sort_by(|&a, &b| items[a].0.cmp(&items[b].0));
    for i in pinned {
        let name = &pins[&items[i].0];
        if taken.insert(name.clone()) {
            names[i] = Some(name.clone());
        }
    }
    // Canonical first: `DnsFormat` keeps `dns_format`, `DNSFormat` gets `_2`.
    // The key is computed once per item: a case conversion per comparison
    // was most of the resolve step for large specs.
    let mut order: Vec<usize> = (0..items.len()).filter(|&i| names[i].is_none()).collect();
    order.sort_by_cached_key(|&i| {
        let (wire, candidate) = &items[i];
        let non_canonical = match case {
            Case::Snake => candidate.to_upper_camel_case() != *wire,
            Case::Camel => candidate != wire,
        };
        (non_canonical, wire)
    });
    for i in order {
        let base = &items[i].1;
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = match case {
                Case::Snake => format!("{}_{n}", base.trim_end_matches('_')),
                Case::Camel => format!("{}{n}", base.trim_end_matches('_')),
            };
            n += 1;
        }
        taken.insert(name.clone());
        names[i] = Some(name);
    }
    names
        .into_iter()
        .map(|n| n.expect("every item is named by a pin or by the rule"))
        .collect()
}

/// The names of one scope that must be remembered so that the next release
/// keeps them: every item whose candidate another item shares, and every
/// item whose name is not its candidate. `items` and `names` as in and out
/// of [`dedupe`].
pub fn to_pin(items: &[(String, String)], names: &[String]) -> Pins {
    let mut candidates: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, candidate) in items {
        *candidates.entry(candidate.as_str()).or_default() += 1;
    }
    items
        .iter()
        .zip(names)
        .filter(|((_, candidate), name)| candidates[candidate.as_str()] > 1 || candidate != *name)
        .map(|((wire, _), name)| (wire.clone(), name.clone()))
        .collect()
}

/// Whether `name` is one [`snake`] or [`type_name`]/[`variant`] could have
/// given (for `case`), so a hand-edited pin cannot put a non-identifier or a
/// keyword into generated code.
pub fn is_valid(name: &str, case: Case) -> bool {
    let legal = legalize(name.to_owned(), "") == name && !name.is_empty();
    let cased = match case {
        Case::Snake => !name.chars().any(|c| c.is_uppercase()),
        Case::Camel => !name.starts_with(|c: char| c.is_lowercase()),
    };
    legal && cased
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_table() {
        let table = [
            ("SdkAppId", "sdk_app_id"),
            ("RTCAudienceNumber", "rtc_audience_number"),
            ("AddressIPv6", "address_ipv6"),
            ("AntiDDoSPackageId", "anti_ddos_package_id"),
            ("DDosProtectionConfig", "ddos_protection_config"),
            ("BlockRuleIDs", "block_rule_ids"),
            ("IPs", "ips"),
            ("IPv4AddressType", "ipv4_address_type"),
            ("K8SVersion", "k8s_version"),
            ("K8sVersion", "k8s_version"),
            ("TBaaS", "tbaas"),
            ("IDsomething", "i_dsomething"),
            ("Type", "type_"),
            ("Self", "self_"),
            ("Super", "super_"),
            ("Crate", "crate_"),
            ("Override", "override_"),
            ("Async", "async_"),
            ("Await", "await_"),
            ("Box", "box_"),
            ("Gen", "gen_"),
            ("Mod", "mod_"),
            ("3DModel", "_3d_model"),
            ("TopN", "top_n"),
            // Found by fuzzing: names that leave no identifier behind.
            ("_", "unnamed"),
            ("", "unnamed"),
            ("__", "unnamed"),
            ("🕴", "unnamed"),
            ("x²", "x"),
            ("房间", "房间"),
            ("é", "é"),
        ];
        for (wire, want) in table {
            assert_eq!(snake(wire), want, "snake({wire:?})");
        }
    }

    /// The two UpperCamelCase conversions side by side: an object's wire
    /// name (`type_name`) and an error code (`variant`, split at every
    /// non-alphanumeric character).
    #[test]
    fn type_name_and_variant_table() {
        let table = [
            ("RoomInfo", "RoomInfo", "RoomInfo"),
            ("Option", "Option", "Option"),
            ("Result", "Result", "Result"),
            ("Self", "Self_", "Self_"),
            ("lower_case_thing", "LowerCaseThing", "LowerCaseThing"),
            ("Has-Dash", "HasDash", "HasDash"),
            ("_", "Unnamed", "Unnamed"),
            ("", "Unnamed", "Unnamed"),
            (".", "Unnamed", "Unnamed"),
            ("1Room", "_1room", "_1Room"),
            ("房间", "房间", "Unnamed"),
            ("AuthFailure", "AuthFailure", "AuthFailure"),
            (
                "FailedOperation.ClassStarted",
                "FailedOperationClassStarted",
                "FailedOperationClassStarted",
            ),
            (
                "InvalidParameter.Conflict",
                "InvalidParameterConflict",
                "InvalidParameterConflict",
            ),
            ("FailedOperation.", "FailedOperation", "FailedOperation"),
            (
                "ResourceNotFound.xyz",
                "ResourceNotFoundXyz",
                "ResourceNotFoundXyz",
            ),
        ];
        for (wire, want_type, want_variant) in table {
            assert_eq!(type_name(wire), want_type, "type_name({wire:?})");
            assert_eq!(variant(wire), want_variant, "variant({wire:?})");
        }
    }

    #[test]
    fn versions_and_crates() {
        assert_eq!(version_module("2022-08-17"), "v20220817");
        assert_eq!(crate_name("lcic"), "tencentcloud-lcic");
        assert_eq!(crate_name("as"), "tencentcloud-as");
        assert_eq!(setter("type_"), "with_type");
        assert_eq!(setter("room_infos"), "with_room_infos");
        assert_eq!(paginator("get_rooms"), "get_rooms_paginator");
        assert_eq!(
            paginator("describe_instances"),
            "describe_instances_paginator"
        );
        assert_eq!(paginator("match_"), "match_paginator");
        assert_eq!(stream("chat_completions"), "chat_completions_stream");
        assert_eq!(stream("match_"), "match_stream");
        assert_eq!(bytes("upload_log"), "upload_log_bytes");
    }

    fn scope(wires: &[&str], reserved: &[&str], case: Case) -> Vec<String> {
        let convert = match case {
            Case::Snake => snake,
            Case::Camel => variant,
        };
        let items: Vec<_> = wires.iter().map(|w| (w.to_string(), convert(w))).collect();
        dedupe(&items, reserved, case, &Pins::new())
    }

    #[test]
    fn case_collisions_prefer_the_canonical_wire_name() {
        assert_eq!(
            scope(&["DNSFormat", "DnsFormat"], &[], Case::Snake),
            ["dns_format_2", "dns_format"]
        );
        assert_eq!(scope(&["Ttl", "TTL"], &[], Case::Snake), ["ttl", "ttl_2"]);
        assert_eq!(scope(&["TTL", "Ttl"], &[], Case::Snake), ["ttl_2", "ttl"]);
    }

    #[test]
    fn error_code_collisions_are_suffixed() {
        assert_eq!(
            scope(
                &["InvalidParameter.Conflict", "InvalidParameterConflict"],
                &[],
                Case::Camel
            ),
            ["InvalidParameterConflict2", "InvalidParameterConflict"]
        );
        assert_eq!(
            scope(&["FailedOperation", "FailedOperation."], &[], Case::Camel),
            ["FailedOperation", "FailedOperation2"]
        );
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        assert_eq!(
            scope(&["Unrecognized"], &["Unrecognized"], Case::Camel),
            ["Unrecognized2"]
        );
        assert_eq!(scope(&["New"], &["new"], Case::Snake), ["new_2"]);
        assert_eq!(
            scope(&["Type", "Type_"], &[], Case::Snake),
            ["type_", "type_2"]
        );
    }

    #[test]
    fn many_collisions_stay_unique() {
        let names = scope(&["AB", "Ab", "A_B", "a_b"], &[], Case::Snake);
        let unique: BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), 4, "{names:?}");
    }

    fn pinned_scope(wires: &[&str], pins: &[(&str, &str)]) -> Vec<String> {
        let items: Vec<_> = wires.iter().map(|w| (w.to_string(), snake(w))).collect();
        let pins: Pins = pins
            .iter()
            .map(|(w, n)| (w.to_string(), n.to_string()))
            .collect();
        dedupe(&items, &[], Case::Snake, &pins)
    }

    #[test]
    fn pinned_names_stay_with_their_member() {
        // The previous release had `DNSFormat` alone, as `dns_format`; the
        // newcomer `DnsFormat` would win the plain name by rule 6, but not
        // from a member that had it before.
        assert_eq!(
            pinned_scope(&["DNSFormat", "DnsFormat"], &[("DNSFormat", "dns_format")]),
            ["dns_format", "dns_format_2"]
        );
        // A member keeps a suffixed name after its rival left.
        assert_eq!(
            pinned_scope(&["DNSFormat"], &[("DNSFormat", "dns_format_2")]),
            ["dns_format_2"]
        );
        // A pin for a member that is gone is ignored; order does not matter.
        assert_eq!(
            pinned_scope(&["Ttl", "TTL"], &[("Gone", "ttl"), ("TTL", "ttl")]),
            ["ttl_2", "ttl"]
        );
        // Two pins naming the same name: the first by wire name wins, the
        // other is placed by the rule.
        assert_eq!(
            pinned_scope(&["A", "B"], &[("A", "x"), ("B", "x")]),
            ["x", "b"]
        );
    }

    #[test]
    fn reserved_names_beat_pins() {
        let items = vec![("New".to_owned(), snake("New"))];
        let pins: Pins = [("New".to_owned(), "new".to_owned())].into();
        assert_eq!(dedupe(&items, &["new"], Case::Snake, &pins), ["new_2"]);
    }

    #[test]
    fn collisions_and_renamed_members_are_remembered() {
        let items: Vec<_> = ["DNSFormat", "DnsFormat", "Name", "Type"]
            .iter()
            .map(|w| (w.to_string(), snake(w)))
            .collect();
        let names = dedupe(&items, &[], Case::Snake, &Pins::new());
        let pins = to_pin(&items, &names);
        let want: Pins = [
            ("DNSFormat".to_owned(), "dns_format_2".to_owned()),
            ("DnsFormat".to_owned(), "dns_format".to_owned()),
        ]
        .into();
        assert_eq!(pins, want);
        // Remembered names give the same names again, whatever joins later.
        let mut later = items.clone();
        later.push(("DnsFORMAT".into(), snake("DnsFORMAT")));
        let again = dedupe(&later, &[], Case::Snake, &pins);
        assert_eq!(&again[..4], &names[..]);
        assert_eq!(again[4], "dns_format_3");
        let reserved = [("New".to_owned(), "new".to_owned())];
        assert_eq!(
            to_pin(&reserved, &["new_2".to_owned()]),
            Pins::from([("New".to_owned(), "new_2".to_owned())])
        );
    }

    #[test]
    fn valid_pins_table() {
        let table = [
            ("dns_format", Case::Snake, true),
            ("dns_format_2", Case::Snake, true),
            ("type_", Case::Snake, true),
            ("type", Case::Snake, false),
            ("Dns", Case::Snake, false),
            ("", Case::Snake, false),
            ("a b", Case::Snake, false),
            ("RoomInfo2", Case::Camel, true),
            ("roomInfo", Case::Camel, false),
            ("Self", Case::Camel, false),
            ("_1room", Case::Camel, true),
        ];
        for (name, case, want) in table {
            assert_eq!(is_valid(name, case), want, "is_valid({name:?}, {case:?})");
        }
    }
}
