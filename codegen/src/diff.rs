//! What changed between two versions of a service's spec, said in terms of
//! the generated Rust API, with the semver bump it implies.
//!
//! The policy (also in the README, "API bumps"): the generated API is built
//! so that Tencent's usual changes are additive. Structs are
//! `#[non_exhaustive]` and built with `new(required::…)` plus `with_…`
//! setters, so a new optional member breaks nobody; `ErrorCode` is
//! `#[non_exhaustive]` with a catch-all, so a new code breaks nobody; response
//! members are always `Option`, so a response member turning optional or
//! required changes nothing; members are matched by wire name and `new`
//! takes required members by name, so a reorder changes nothing at all.
//! What does break: removing anything, renaming, changing a Rust type, and a
//! required request member added or removed (the `required::` struct gains
//! or loses a field, so code that builds it stops compiling).

use crate::resolve::ir::{ApiVersion, Field, Object, Presence, Service, Type};
pub use semver::Version;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// How a change affects a user of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Code that compiled against the old crate may not compile, or may
    /// behave differently.
    Breaking,
    /// New API; existing code keeps compiling and behaving.
    Additive,
    /// Documentation only, or a spec change with no effect on the Rust API.
    DocOnly,
}

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// API versions (modules) added or removed.
    Version,
    /// Actions (client methods) added or removed, or their types changed.
    Action,
    /// Objects (structs) added, removed or reshaped.
    Object,
    /// Members (fields) added, removed or renamed.
    Member,
    /// A member's Rust type changed.
    Type,
    /// A member became required or optional.
    Presence,
    /// Something was deprecated or undeprecated.
    Deprecation,
    /// Error codes added, removed or re-described.
    ErrorCode,
    /// An action's documented error codes changed.
    ActionErrors,
    /// Descriptions changed.
    Docs,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Its effect on users.
    pub impact: Impact,
    /// What kind of change.
    pub category: Category,
    /// Where: `v20220817::RoomInfo.RecordLang`, `v20220817::BatchCreateRoom`, …
    pub location: String,
    /// What happened, in a sentence.
    pub message: String,
}

/// The semver bump a report implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Doc-only changes.
    Patch,
    /// Additive changes.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// The next version after `current` (`0.y.z` crates take a breaking
    /// change as a minor bump and anything else as a patch, as Cargo does).
    /// Pre-release and build metadata are dropped by any bump.
    pub fn apply(self, current: &Version) -> Version {
        let (major, minor, patch) = (current.major, current.minor, current.patch);
        let (major, minor, patch) = match (self, major) {
            (Bump::None, _) => return current.clone(),
            (Bump::Major, 0) => (0, minor + 1, 0),
            (Bump::Minor | Bump::Patch, 0) => (0, minor, patch + 1),
            (Bump::Major, _) => (major + 1, 0, 0),
            (Bump::Minor, _) => (major, minor + 1, 0),
            (Bump::Patch, _) => (major, minor, patch + 1),
        };
        Version::new(major, minor, patch)
    }
}

/// Every change between two versions of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The service short name.
    pub service: String,
    /// The changes, most severe first, then by category and location.
    pub changes: Vec<Change>,
    /// The bump they imply.
    pub bump: Bump,
}

impl Report {
    /// Whether any change breaks users.
    pub fn is_breaking(&self) -> bool {
        self.bump == Bump::Major
    }

    /// Counts per impact: (breaking, additive, doc-only).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |impact| self.changes.iter().filter(|c| c.impact == impact).count();
        (
            count(Impact::Breaking),
            count(Impact::Additive),
            count(Impact::DocOnly),
        )
    }

    /// Markdown fit for a CHANGELOG, with `heading` as its `##` title.
    pub fn to_markdown(&self, heading: &str) -> String {
        let mut md = format!("## {heading}\n\n");
        let (breaking, additive, docs) = self.counts();
        if self.changes.is_empty() {
            md.push_str("No change to the generated API.\n");
            return md;
        }
        let _ = writeln!(
            md,
            "`{}`: {breaking} breaking, {additive} additive, {docs} doc-only change(s); semver bump: {}.\n",
            self.service,
            match self.bump {
                Bump::Major => "major",
                Bump::Minor => "minor",
                Bump::Patch => "patch",
                Bump::None => "none",
            }
        );
        for (impact, title) in [
            (Impact::Breaking, "Breaking"),
            (Impact::Additive, "Additive"),
            (Impact::DocOnly, "Documentation only"),
        ] {
            let items: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(md, "### {title}\n");
            for change in items {
                let _ = writeln!(md, "- `{}`: {}", change.location, change.message);
            }
            md.push('\n');
        }
        md
    }
}

/// A change of the generated API made by the generator itself, not by a
/// spec release. Each generated crate's CHANGELOG records it once, in the
/// first release generated after it; it is found there again by its marker.
#[derive(Debug, Clone, Copy)]
pub struct GeneratorChange {
    /// Identifies it in a CHANGELOG (inside an HTML comment).
    pub id: &'static str,
    /// Its effect on users.
    pub impact: Impact,
    /// The CHANGELOG section for one crate, `###` heading included.
    pub entry: fn(&Service) -> String,
}

impl GeneratorChange {
    /// The comment that marks its section in a CHANGELOG.
    pub fn marker(&self) -> String {
        format!("<!-- generator-change: {} -->", self.id)
    }

    /// The bump it implies.
    pub fn bump(&self) -> Bump {
        bump_of(self.impact)
    }
}

/// Every generator change so far, oldest first.
pub const GENERATOR_CHANGES: &[GeneratorChange] = &[
    GeneratorChange {
        id: "required-by-name",
        impact: Impact::Breaking,
        entry: required_by_name_entry,
    },
    GeneratorChange {
        id: "call-builder-and-retry-classes",
        impact: Impact::Breaking,
        entry: call_builder_entry,
    },
    GeneratorChange {
        id: "paginators-and-mocks",
        impact: Impact::Additive,
        entry: paginators_and_mocks_entry,
    },
    GeneratorChange {
        id: "serde-feature",
        impact: Impact::Breaking,
        entry: serde_feature_entry,
    },
];

fn serde_feature_entry(service: &Service) -> String {
    let mut md = format!(
        "### Breaking (generator): serde's traits are behind the `serde` feature\n\n\
         Model types implement serde's `Serialize` and `Deserialize` only with the crate's new \
         `serde` feature, off by default (as in aws-sdk-rust). To keep them, turn it on: \
         `{} = {{ version = \"…\", features = [\"serde\"] }}`; the impls are the same as \
         before, and the feature adds no dependency. Or, without it, wrap a value in \
         `tencentcloud_runtime::json::Serde`: `serde_json::to_string(&Serde(&request))`, \
         `serde_json::from_str::<Serde<T>>(text)?.0`. The client never goes through serde, and \
         the impls were about a tenth of what the crate cost every user to compile; decoding \
         (`FromJson`) now also reads every member and returns the first error, with the same \
         messages and paths, at about a tenth less.\n",
        service.crate_name
    );
    let objects = service.newest().objects.len();
    let _ = writeln!(
        md,
        "\nIn this crate's newest version, {objects} types have the serde impls behind the feature."
    );
    md
}

fn call_builder_entry(service: &Service) -> String {
    let mut md = String::from(
        "### Breaking (generator): methods return a call builder; retry classes; client tokens\n\n\
         Every client method now returns a `tencentcloud_runtime::CallBuilder` instead of being an \
         `async fn`: `client.action(&request).await` reads as before, and options for one call go \
         before the `.await` (`.region(…)`, `.timeout(…)`, `.retry(…)`, `.language(…)`, \
         `.retry_class(…)`). Code that used the method's value as a `Future` without awaiting it \
         (`tokio::spawn(client.action(&request))`) calls `.into_future()` on it. Each method's docs \
         state its retry class: actions whose request has a `ClientToken` (filled with a fresh token \
         when unset, the same on every retry) and read-only actions (`Describe…`, `Get…`, `List…`, \
         `Query…`, `Inquir…`) are idempotent, and now retry timeouts after sending, resets, \
         `InternalError` and HTTP 5xx; every other action keeps the old rule.\n\n",
    );
    let newest = service.newest();
    let idempotent = newest
        .actions
        .iter()
        .filter(|a| a.retry_class.is_idempotent())
        .count();
    let _ = writeln!(
        md,
        "In this crate's newest version, {idempotent} of {} actions are idempotent.",
        newest.actions.len()
    );
    md
}

fn paginators_and_mocks_entry(service: &Service) -> String {
    use crate::resolve::ir::Paging;
    let newest = service.newest();
    let paged: Vec<_> = newest
        .actions
        .iter()
        .filter_map(|a| match &a.paging {
            Paging::Paged(p) => Some((a, p)),
            _ => None,
        })
        .collect();
    let mut md = String::from(
        "### Additive (generator): paginators, and types for typed mocks

",
    );
    let _ = writeln!(
        md,
        "- {} paged actions of version {} get a `…_paginator(request)` method: `.pages()` and \
         (when the response has one list) `.items()` are `futures` streams that follow the \
         action's offset, page number or token to the end of the listing, with a page cap.",
        paged.len(),
        newest.version
    );
    if let Some((action, paging)) = paged.iter().find(|(_, p)| p.items().is_some()) {
        let _ = writeln!(
            md,
            "  For example `client.{}(request).items()` lists every item of `{}`.",
            paging.method, action.wire_name
        );
    }
    md.push_str(
        "- Every request type implements `tencentcloud_runtime::Operation` (its action and \
         response type), for `tencentcloud_runtime::mock::Mock`; response types (and every \
         object with optional members) get `with_…` setters, so tests can build them from \
         `Default`.\n",
    );
    md
}

fn required_by_name_entry(service: &Service) -> String {
    let mut md = String::from(
        "### Breaking (generator): required members are given by name\n\n\
         `new` of every request type with required members now takes one struct of those \
         members, `required::<Type>`, written as a struct literal (`From` works too). Tencent \
         reorders members between releases; positional parameters followed the spec's order, so \
         a regeneration could silently send a value to another member of the same type. Now a \
         reorder changes nothing, and a required member added or removed makes the literal fail \
         to compile. Names handed out before also stay with their member (`names.json` next to \
         the spec).\n\n",
    );
    // One with several required members shows the change best.
    let objects = &service.newest().objects;
    let example = objects
        .iter()
        .find(|o| o.has_required() && o.constructor_fields().count() > 1)
        .or_else(|| objects.iter().find(|o| o.has_required()));
    if let Some(object) = example {
        let fields: Vec<&str> = object
            .constructor_fields()
            .map(|f| f.rust_name.as_str())
            .collect();
        let _ = writeln!(
            md,
            "```rust,ignore\n// Before: positional, in the order of the spec\nlet value = {0}::new({1});\n// After: by name, in any order\nlet value = {0}::new(required::{0} {{ {1} }});\n```",
            object.rust_name,
            fields.join(", ")
        );
    }
    md
}

fn bump_of(impact: Impact) -> Bump {
    match impact {
        Impact::Breaking => Bump::Major,
        Impact::Additive => Bump::Minor,
        Impact::DocOnly => Bump::Patch,
    }
}

/// Compares two versions of one service (each with any number of API versions).
pub fn diff_services(old: &Service, new: &Service) -> Report {
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
    changes.sort_by(|a, b| {
        (a.impact, a.category, &a.location).cmp(&(b.impact, b.category, &b.location))
    });
    let bump = changes.iter().map(|c| bump_of(c.impact));
    Report {
        service: new.short_name.clone(),
        bump: bump.max().unwrap_or(Bump::None),
        changes,
    }
}

fn change(impact: Impact, category: Category, location: &str, message: String) -> Change {
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
                Type::Scalar(s) => s.spec_name().to_owned(),
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

#[cfg(test)]
mod tests {
    use super::{Bump, Version};

    fn v(text: &str) -> Version {
        Version::parse(text).expect("a valid version in the test table")
    }

    #[test]
    fn bumps_follow_cargo_semver() {
        assert_eq!(Bump::Major.apply(&v("0.1.0")), v("0.2.0"));
        assert_eq!(Bump::Minor.apply(&v("0.1.0")), v("0.1.1"));
        assert_eq!(Bump::Patch.apply(&v("0.1.3")), v("0.1.4"));
        assert_eq!(Bump::None.apply(&v("0.1.3")), v("0.1.3"));
        assert_eq!(Bump::Major.apply(&v("1.2.3")), v("2.0.0"));
        assert_eq!(Bump::Minor.apply(&v("1.2.3")), v("1.3.0"));
        assert_eq!(Bump::Patch.apply(&v("1.2.3")), v("1.2.4"));
        assert_eq!(Bump::Patch.apply(&v("1.2.3-beta.1+b5")), v("1.2.4"));
    }
}
