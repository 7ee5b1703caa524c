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

mod explain;
mod spec;
pub mod surface;

use crate::ir::Service;
use crate::{Error, Options};
pub use semver::Version;
use serde::Serialize;
use std::fmt::Write as _;
use surface::Surface;

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
    /// What a method does changed with its Rust API unchanged: its retry
    /// class (and so whether its `ClientToken` is filled), where its
    /// paginator starts, whether a member prints redacted.
    Behaviour,
    /// A generated public item the spec has no counterpart for (a
    /// paginator method, …) added, removed or changed, with the impact its
    /// Rust gives it.
    Generated,
    /// A change of the generated public API that no spec-level change
    /// explains: a change of the generator, with the impact its Rust gives it.
    Unexplained,
}

impl Category {
    /// Its name in JSON reports (`action-errors`).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .expect("a unit variant serialises as its kebab-case name")
    }
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
    /// Whether it changes anything in a crate of this service: one it does
    /// not touch gets no entry and no bump from it.
    pub applies: fn(&Service) -> bool,
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
        applies: every_crate,
    },
    GeneratorChange {
        id: "call-builder-and-retry-classes",
        impact: Impact::Breaking,
        entry: call_builder_entry,
        applies: every_crate,
    },
    GeneratorChange {
        id: "paginators-and-mocks",
        impact: Impact::Additive,
        entry: paginators_and_mocks_entry,
        applies: every_crate,
    },
    GeneratorChange {
        id: "serde-feature",
        impact: Impact::Breaking,
        entry: serde_feature_entry,
        applies: every_crate,
    },
    GeneratorChange {
        id: "behaviour-from-docs",
        impact: Impact::Additive,
        entry: behaviour_from_docs_entry,
        applies: every_crate,
    },
    GeneratorChange {
        id: "streams-and-bytes",
        impact: Impact::Additive,
        entry: streams_and_bytes_entry,
        applies: has_streams_or_bytes,
    },
];

fn every_crate(_: &Service) -> bool {
    true
}

fn has_streams_or_bytes(service: &Service) -> bool {
    let actions = service.versions.iter().flat_map(|v| &v.actions);
    actions
        .clone()
        .any(|a| a.streaming.is_some() || a.octet_stream.is_some())
}

fn streams_and_bytes_entry(service: &Service) -> String {
    let newest = service.newest();
    let methods = |f: fn(&crate::ir::Action) -> Option<&str>| -> String {
        let names: Vec<String> = newest
            .actions
            .iter()
            .filter_map(f)
            .map(|m| format!("`{m}`"))
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    format!(
        "### Additive (generator): streaming calls, and raw-byte calls\n\n\
         - An action that can answer with Server-Sent Events gets a `…_stream` method: the same \
         call (its `Stream` member set to `true`), its answer a `futures` stream of typed events \
         (`tencentcloud_runtime::EventStream`). In this crate's newest version: {}.\n\
         - An action the service takes as raw bytes, its members in headers, gets a `…_bytes` \
         method. In this crate's newest version: {}.\n",
        methods(|a| a.streaming.as_ref().map(|s| s.method.as_str())),
        methods(|a| a.octet_stream.as_ref().map(|o| o.method.as_str()))
    )
}

fn behaviour_from_docs_entry(service: &Service) -> String {
    use crate::ir::{FirstPage, PagePattern, Paging};
    let newest = service.newest();
    let not_keys = newest
        .actions
        .iter()
        .filter(|a| a.client_token.is_some_and(|t| !t.key))
        .count();
    let firsts: Vec<FirstPage> = newest
        .actions
        .iter()
        .filter_map(|a| match &a.paging {
            Paging::Paged(p) => match p.pattern {
                PagePattern::PageNumber { first, .. } => Some(first),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let count = |n: Option<u64>| firsts.iter().filter(|f| f.number() == n).count();
    let secrets: usize = newest
        .objects
        .iter()
        .map(|o| o.fields.iter().filter(|f| f.sensitive).count())
        .sum();
    let mut md = String::from(
        "### Additive (generator): client tokens, first pages and secrets read from the docs\n\n\
         - A `ClientToken` makes an action idempotent (retried after a timeout, and filled when \
         unset) only where its docs describe an idempotency key; one documented as unused or as \
         something else is left as you set it. `overlay.json` can say either way.\n\
         - A page-number paginator starts at the first page the spec gives (its docs, then its \
         examples; `overlay.json` first), 0 or 1, instead of always 1; where the spec says \
         nothing it asks you to set the first page (`Error::FirstPageUnknown`). `PageIndex` and \
         `CurrentPage` actions whose spec says where pages start get a paginator.\n\
         - Members that hold secrets (by name: `…Password`, `…SecretKey`, `…Token`, \
         `…PrivateKey`, …) print `<redacted>` in `Debug`.\n\n",
    );
    let _ = writeln!(
        md,
        "In this crate's newest version: {not_keys} `ClientToken` members not taken for a key; \
         {} page-number paginators counting from 0, {} from 1, {} asking; {secrets} members redacted.",
        count(Some(0)),
        count(Some(1)),
        count(None)
    );
    md
}

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
        .filter(|a| a.idempotence.is_idempotent())
        .count();
    let _ = writeln!(
        md,
        "In this crate's newest version, {idempotent} of {} actions are idempotent.",
        newest.actions.len()
    );
    md
}

fn paginators_and_mocks_entry(service: &Service) -> String {
    use crate::ir::Paging;
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

/// Compares two versions of one service (each with any number of API
/// versions) as crates generated with the default options.
pub fn diff_services(old: &Service, new: &Service) -> Result<Report, Error> {
    diff_services_with(old, new, &Options::default())
}

/// The API report between the crates `options` generates for `old` and
/// `new`: every change of their public surface, each explained by a
/// spec-level change (which member, action or error code, the docs) or,
/// where none explains it, reported itself with the impact its Rust gives
/// it. The spec-level changes with no effect on the surface (docs, error
/// codes an action documents) are in it too.
pub fn diff_services_with(
    old: &Service,
    new: &Service,
    options: &Options,
) -> Result<Report, Error> {
    let mut changes = spec::changes(old, new);
    // Equal models generate equal crates: nothing to read back.
    if old != new {
        let before = Surface::of(&crate::generate_service(old, options)?.files)?;
        let after = Surface::of(&crate::generate_service(new, options)?.files)?;
        let unexplained = explain::surface_changes((old, new), (&before, &after), &changes);
        changes.extend(unexplained);
    }
    changes.sort_by(|a, b| {
        (a.impact, a.category, &a.location).cmp(&(b.impact, b.category, &b.location))
    });
    let bump = changes.iter().map(|c| bump_of(c.impact));
    Ok(Report {
        service: new.short_name.clone(),
        bump: bump.max().unwrap_or(Bump::None),
        changes,
    })
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
