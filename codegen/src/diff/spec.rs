//! The spec-level half of the API report: what changed between two
//! resolved services, said in the spec's terms (members, objects, actions,
//! error codes, docs) with the impact each has on the generated crate. These
//! are the explanations the surface half ([`super::explain`]) matches every
//! change of the emitted public API against.

use super::{Category, Change, Impact};
use crate::ir::{ApiVersion, Field, Object, Presence, Service, Type};
use std::collections::{BTreeMap, BTreeSet};

/// Every spec-level change between two versions of one service (each with
/// any number of API versions), unsorted.
pub(super) fn changes(old: &Service, new: &Service) -> Vec<Change> {
    let mut changes = Vec::new();
    diff_list(
        (&old.versions, &new.versions),
        |v| v.version.as_str(),
        Category::Version,
        |side, v| {
            (
                v.module.clone(),
                format!("API version {} {}", v.version, side.verb()),
            )
        },
        diff_version,
        &mut changes,
    );
    if !old.versions.is_empty()
        && !new.versions.is_empty()
        && old.newest().version != new.newest().version
    {
        changes.push(change(
            Impact::Breaking,
            Category::Version,
            "crate root",
            format!(
                "re-exports {} instead of {}",
                new.newest().module,
                old.newest().module
            ),
        ));
    }
    changes
}

pub(super) fn change(
    impact: Impact,
    category: Category,
    location: &str,
    message: String,
) -> Change {
    Change {
        impact,
        category,
        location: location.to_owned(),
        message,
    }
}

/// When a Rust name (`what`: a method, a struct, a field) differs between
/// the old and the new version: a breaking `what renamed `old` → `new``.
fn renamed(category: Category, at: &str, what: &str, old: &str, new: &str) -> Option<Change> {
    (old != new).then(|| {
        let message = format!("{what} renamed `{old}` → `{new}`");
        change(Impact::Breaking, category, at, message)
    })
}

/// When `what` (an action, a member) was deprecated or undeprecated;
/// `deprecated` says how a newly deprecated one is described.
fn deprecation(at: &str, what: &str, deprecated: &str, old: bool, new: bool) -> Option<Change> {
    (old != new).then(|| {
        let how = if new {
            deprecated
        } else {
            "no longer deprecated"
        };
        change(
            Impact::Additive,
            Category::Deprecation,
            at,
            format!("{what} {how}"),
        )
    })
}

/// When the docs `changed`: a documentation-only change, described as `what`.
fn docs(at: &str, changed: bool, what: &str) -> Option<Change> {
    changed.then(|| change(Impact::DocOnly, Category::Docs, at, what.into()))
}

fn diff_version(old: &ApiVersion, new: &ApiVersion, out: &mut Vec<Change>) {
    if old.intl_endpoint != new.intl_endpoint {
        // `SERVICE` is public; its value is what the client connects to
        // with `.international()`.
        out.push(change(
            Impact::Additive,
            Category::Version,
            &format!("{}::SERVICE", new.module),
            format!(
                "international endpoint {} → {}",
                endpoint(&old.intl_endpoint),
                endpoint(&new.intl_endpoint)
            ),
        ));
    }
    diff_actions(old, new, out);
    diff_objects(old, new, out);
    diff_errors(old, new, out);
}

fn endpoint(host: &Option<String>) -> String {
    host.as_ref()
        .map_or_else(|| "unset".to_owned(), |h| format!("`{h}`"))
}

fn diff_actions(old: &ApiVersion, new: &ApiVersion, out: &mut Vec<Change>) {
    diff_list(
        (&old.actions, &new.actions),
        |a| a.wire_name.as_str(),
        Category::Action,
        |side, a| {
            let name = format!("Client::{}", a.method);
            side.item_change(old, new, &a.wire_name, "action", &name)
        },
        |a, n, out| diff_action(old, new, a, n, out),
        out,
    );
}

/// An action both versions have: its method, types, deprecation, error
/// codes and docs.
fn diff_action(
    old: &ApiVersion,
    new: &ApiVersion,
    a: &crate::ir::Action,
    n: &crate::ir::Action,
    out: &mut Vec<Change>,
) {
    let at = format!("{}::{}", old.module, a.wire_name);
    out.extend(renamed(
        Category::Action,
        &at,
        "method",
        &a.method,
        &n.method,
    ));
    let (oi, ni) = (
        &old.objects[a.input.0].rust_name,
        &new.objects[n.input.0].rust_name,
    );
    let (oo, no) = (
        &old.objects[a.output.0].rust_name,
        &new.objects[n.output.0].rust_name,
    );
    if oi != ni || oo != no {
        out.push(change(
            Impact::Breaking,
            Category::Action,
            &at,
            format!("signature changed: ({oi}) -> {oo} became ({ni}) -> {no}"),
        ));
    }
    let (od, nd) = (a.deprecated, n.deprecated);
    out.extend(deprecation(&at, "action", "deprecated", od, nd));
    let codes = |v: &ApiVersion, ids: &[crate::ir::ErrorId]| -> BTreeSet<String> {
        ids.iter().map(|id| v.errors[id.0].code.clone()).collect()
    };
    let (oc, nc) = (codes(old, &a.errors), codes(new, &n.errors));
    if oc != nc {
        let added: Vec<_> = nc.difference(&oc).map(|c| format!("+{c}")).collect();
        let removed: Vec<_> = oc.difference(&nc).map(|c| format!("-{c}")).collect();
        out.push(change(
            Impact::DocOnly,
            Category::ActionErrors,
            &at,
            format!(
                "documented error codes changed: {}",
                removed
                    .into_iter()
                    .chain(added)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let changed = a.doc != n.doc || a.title != n.title || a.rate_limit != n.rate_limit;
    out.extend(docs(
        &at,
        changed,
        "description, title or rate limit changed",
    ));
    out.extend(behaviour(
        &at,
        "retry class",
        retry_class(a),
        retry_class(n),
    ));
    if let (Some(old_first), Some(new_first)) = (first_page(a), first_page(n)) {
        out.extend(behaviour(&at, "paginator", old_first, new_first));
    }
}

/// A change of behaviour, `what` going from `old` to `new`: additive, for
/// the new behaviour follows the spec and code written for the old one
/// keeps compiling; reported so that it is never silent.
fn behaviour(at: &str, what: &str, old: String, new: String) -> Option<Change> {
    (old != new).then(|| {
        change(
            Impact::Additive,
            Category::Behaviour,
            at,
            format!("{what}: {old} → {new}"),
        )
    })
}

/// An action's retry class and what its `ClientToken` is, in words.
fn retry_class(action: &crate::ir::Action) -> String {
    use crate::ir::Idempotence;
    let class = match action.idempotence {
        Idempotence::ClientToken => "idempotent, `ClientToken` filled when unset",
        Idempotence::ReadOnly => "idempotent (read-only by its name)",
        Idempotence::NotIdempotent => "not idempotent",
    };
    match action.client_token {
        Some(token) if !token.key => format!(
            "{class}; `ClientToken` not a key ({})",
            token.reason.describe()
        ),
        _ => class.to_owned(),
    }
}

/// Where a page-number paginator starts, in words.
fn first_page(action: &crate::ir::Action) -> Option<String> {
    use crate::ir::{PagePattern, Paging};
    let Paging::Paged(paging) = &action.paging else {
        return None;
    };
    let PagePattern::PageNumber { first, .. } = paging.pattern else {
        return None;
    };
    Some(match first.number() {
        Some(number) => format!("pages counted from {number}"),
        None => "first page not known (the caller sets it)".to_owned(),
    })
}

fn diff_objects(old: &ApiVersion, new: &ApiVersion, out: &mut Vec<Change>) {
    diff_list(
        (&old.objects, &new.objects),
        |o| o.wire_name.as_str(),
        Category::Object,
        |side, o| side.item_change(old, new, &o.wire_name, "object", &o.rust_name),
        |o, n, out| {
            let at = format!("{}::{}", old.module, o.wire_name);
            diff_object(Versions { old, new }, o, n, &at, out);
        },
        out,
    );
}

/// The two versions an object is compared across, for its members' types.
#[derive(Clone, Copy)]
struct Versions<'a> {
    old: &'a ApiVersion,
    new: &'a ApiVersion,
}

fn diff_object(v: Versions, old: &Object, new: &Object, at: &str, out: &mut Vec<Change>) {
    out.extend(renamed(
        Category::Object,
        at,
        "struct",
        &old.rust_name,
        &new.rust_name,
    ));
    if old.has_default() != new.has_default() {
        let (impact, what) = if new.has_default() {
            (Impact::Additive, "now implements")
        } else {
            (Impact::Breaking, "no longer implements")
        };
        out.push(change(
            impact,
            Category::Object,
            at,
            format!("{what} `Default`"),
        ));
    }
    if old.sent != new.sent {
        let (impact, what) = if new.sent {
            (
                Impact::Additive,
                "now sent in requests: gains `new` and `with_…` setters",
            )
        } else {
            (
                Impact::Breaking,
                "no longer sent in requests: loses `new` and `with_…` setters",
            )
        };
        out.push(change(impact, Category::Object, at, what.into()));
    }
    out.extend(docs(at, old.doc != new.doc, "description changed"));
    diff_members(v, old, new, at, out);
}

/// The members of an object both versions have: renames (a member that
/// left and one that came with the same type and the same description, or
/// names equal but for case), removals, additions, then each kept member.
fn diff_members(v: Versions, old: &Object, new: &Object, at: &str, out: &mut Vec<Change>) {
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut kept = Vec::new();
    for pair in pairs(&old.fields, &new.fields, |f| f.wire_name.as_str()) {
        match pair {
            Pair::Removed(f) => removed.push(f),
            Pair::Kept(o, n) => kept.push((o, n)),
            Pair::Added(f) => added.push(f),
        }
    }
    removed.retain(|r| {
        let Some(pos) = added.iter().position(|a| {
            rust_type(v.old, r) == rust_type(v.new, a)
                && (r.doc == a.doc || r.wire_name.eq_ignore_ascii_case(&a.wire_name))
        }) else {
            return true;
        };
        let a = added.remove(pos);
        let impact = if a.rust_name == r.rust_name {
            Impact::Additive
        } else {
            Impact::Breaking
        };
        out.push(change(
            impact,
            Category::Member,
            &format!("{at}.{}", r.wire_name),
            format!(
                "member renamed `{}` → `{}` (field `{}` → `{}`)",
                r.wire_name, a.wire_name, r.rust_name, a.rust_name
            ),
        ));
        false
    });
    for r in removed {
        out.push(change(
            Impact::Breaking,
            Category::Member,
            &format!("{at}.{}", r.wire_name),
            format!("member removed: field `{}` is gone", r.rust_name),
        ));
    }
    for a in added {
        let (impact, how) = match a.presence {
            Presence::Optional => (
                Impact::Additive,
                format!("optional field `{}: {}`", a.rust_name, rust_type(v.new, a)),
            ),
            _ => (
                Impact::Breaking,
                format!(
                    "required field `{}`: `required::{}` gains it, so code that builds one without it stops compiling",
                    a.rust_name, new.rust_name
                ),
            ),
        };
        out.push(change(
            impact,
            Category::Member,
            &format!("{at}.{}", a.wire_name),
            format!("member added: {how}"),
        ));
    }
    for (o, n) in kept {
        diff_field(v, o, n, &format!("{at}.{}", o.wire_name), out);
    }
}

fn diff_field(v: Versions, old: &Field, new: &Field, at: &str, out: &mut Vec<Change>) {
    out.extend(renamed(
        Category::Member,
        at,
        "field",
        &old.rust_name,
        &new.rust_name,
    ));
    let (ot, nt) = (rust_type(v.old, old), rust_type(v.new, new));
    let type_changed = old.ty_name(v.old) != new.ty_name(v.new);
    if type_changed || old.boxed != new.boxed {
        let impact = if value_type(v.old, old) != value_type(v.new, new) {
            Impact::Breaking
        } else {
            Impact::DocOnly
        };
        out.push(change(
            impact,
            Category::Type,
            at,
            format!(
                "type changed from {} to {} (Rust `{}` → `{}`)",
                old.ty_name(v.old),
                new.ty_name(v.new),
                value_type(v.old, old),
                value_type(v.new, new)
            ),
        ));
    }
    if old.presence != new.presence || old.required != new.required {
        out.push(presence_change(old, new, (&ot, &nt), type_changed, at));
    }
    let (od, nd) = (old.deprecated, new.deprecated);
    out.extend(deprecation(at, "member", "deprecated (`disabled`)", od, nd));
    out.extend(docs(at, old.doc != new.doc, "description changed"));
    if old.sensitive != new.sensitive {
        let now = if new.sensitive {
            "now prints"
        } else {
            "no longer prints"
        };
        out.push(change(
            Impact::DocOnly,
            Category::Behaviour,
            at,
            format!("{now} redacted in `Debug`"),
        ));
    }
}

/// A member turned required or optional: what that does to the Rust API
/// (`types`: its Rust type before and after).
fn presence_change(
    old: &Field,
    new: &Field,
    (ot, nt): (&str, &str),
    type_changed: bool,
    at: &str,
) -> Change {
    let in_new = |f: &Field| f.presence != Presence::Optional;
    let breaking = (ot != nt && !type_changed) || in_new(old) != in_new(new);
    let impact = if breaking {
        Impact::Breaking
    } else if old.presence != new.presence {
        Impact::Additive
    } else {
        Impact::DocOnly
    };
    let spec = |f: &Field| if f.required { "required" } else { "optional" };
    let effect = match impact {
        Impact::Breaking => format!(
            "field `{ot}` → `{nt}`; it {} `required::` struct that `new` takes",
            if in_new(new) {
                "joins the"
            } else {
                "leaves the"
            }
        ),
        Impact::Additive => "decoding is more or less lenient; the Rust API is unchanged".into(),
        Impact::DocOnly => {
            "no change to the generated API (response members are always `Option`)".into()
        }
    };
    change(
        impact,
        Category::Presence,
        at,
        format!("{} → {}: {effect}", spec(old), spec(new)),
    )
}

fn diff_errors(old: &ApiVersion, new: &ApiVersion, out: &mut Vec<Change>) {
    for pair in pairs(&old.errors, &new.errors, |e| e.code.as_str()) {
        let (at, impact, message) = match pair {
            Pair::Removed(o) => (o, Impact::Breaking, "removed".to_owned()),
            Pair::Kept(o, n) if n.variant != o.variant => (
                o,
                Impact::Breaking,
                format!("is now the variant `{}`", n.variant),
            ),
            Pair::Kept(o, n) if n.description != o.description => {
                (o, Impact::DocOnly, "re-described".to_owned())
            }
            Pair::Kept(..) => continue,
            Pair::Added(n) => (n, Impact::Additive, "added".to_owned()),
        };
        let version = if matches!(pair, Pair::Added(_)) {
            new
        } else {
            old
        };
        out.push(change(
            impact,
            Category::ErrorCode,
            &format!("{}::ErrorCode::{}", version.module, at.variant),
            format!("error code `{}` {message}", at.code),
        ));
    }
}

/// One item of two lists, paired by key.
enum Pair<'a, T> {
    /// Only in the old list.
    Removed(&'a T),
    /// In both.
    Kept(&'a T, &'a T),
    /// Only in the new list.
    Added(&'a T),
}

/// Pairs the items of `old` and `new` by `key` (a wire name): those in the
/// old list (removed or kept) in key order, then those only in the new one.
fn pairs<'a, T, K: Ord>(old: &'a [T], new: &'a [T], key: impl Fn(&'a T) -> K) -> Vec<Pair<'a, T>> {
    let mut news: BTreeMap<K, &'a T> = new.iter().map(|t| (key(t), t)).collect();
    let olds: BTreeMap<K, &'a T> = old.iter().map(|t| (key(t), t)).collect();
    let mut out: Vec<Pair<'a, T>> = olds
        .into_iter()
        .map(|(k, o)| match news.remove(&k) {
            Some(n) => Pair::Kept(o, n),
            None => Pair::Removed(o),
        })
        .collect();
    out.extend(news.into_values().map(Pair::Added));
    out
}

/// The side of a list an unpaired item is on.
#[derive(Clone, Copy)]
enum Side {
    Removed,
    Added,
}

impl Side {
    fn verb(self) -> &'static str {
        match self {
            Side::Removed => "removed",
            Side::Added => "added",
        }
    }

    /// The place and message of an item of an API version (`what`: action,
    /// object) that is only on this side, named in Rust as `name`.
    fn item_change(
        self,
        old: &ApiVersion,
        new: &ApiVersion,
        wire: &str,
        what: &str,
        name: &str,
    ) -> (String, String) {
        let (version, gone) = match self {
            Side::Removed => (old, " is gone"),
            Side::Added => (new, ""),
        };
        let at = format!("{}::{wire}", version.module);
        (at, format!("{what} {}: `{name}`{gone}", self.verb()))
    }
}

/// Compares two lists of items paired by `key` (a wire name): an item only
/// in the old list is a breaking removal and one only in the new list an
/// addition, each at the place and with the message `describe` gives;
/// `kept` compares the items both have.
fn diff_list<'a, T, K: Ord>(
    (old, new): (&'a [T], &'a [T]),
    key: impl Fn(&'a T) -> K,
    category: Category,
    describe: impl Fn(Side, &T) -> (String, String),
    mut kept: impl FnMut(&'a T, &'a T, &mut Vec<Change>),
    out: &mut Vec<Change>,
) {
    for pair in pairs(old, new, key) {
        let (impact, (at, message)) = match pair {
            Pair::Removed(o) => (Impact::Breaking, describe(Side::Removed, o)),
            Pair::Kept(o, n) => {
                kept(o, n, out);
                continue;
            }
            Pair::Added(n) => (Impact::Additive, describe(Side::Added, n)),
        };
        out.push(change(impact, category, &at, message));
    }
}

impl Field {
    /// The spec's type, `list/RoomInfo` style, for messages.
    fn ty_name(&self, version: &ApiVersion) -> String {
        fn name(t: &Type, v: &ApiVersion) -> String {
            match t {
                Type::Scalar(s) => s.spec_name(),
                Type::Object(id) => format!("object/{}", v.objects[id.0].wire_name),
                Type::List(inner) => format!(
                    "list/{}",
                    name(inner, v).rsplit('/').next().unwrap_or_default()
                ),
            }
        }
        name(&self.ty, version)
    }
}

/// The field's value type as Rust spells it, `Option` excluded.
fn value_type(version: &ApiVersion, field: &Field) -> String {
    field.value_type().render(version)
}

/// The field's declared Rust type.
fn rust_type(version: &ApiVersion, field: &Field) -> String {
    field.rust_type().render(version)
}
