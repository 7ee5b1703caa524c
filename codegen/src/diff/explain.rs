//! The surface half of the API report: every change of the emitted public
//! API (read back from the generated code by [`super::surface`], not from
//! the model the spec-level comparison works on) is either explained by a
//! spec-level change at its place, of a fitting impact, or reported on its
//! own, with the impact the surface gives it. So the report can miss
//! nothing, and a new kind of generated item needs no new diff code.
//!
//! Places are matched through the model's names: a struct's changes need a
//! change at its object (or an action using it), a client method's need one
//! at its action, `ErrorCode`'s one at an error code of its version, the
//! crate root's one at an API version. An item the spec has no counterpart
//! for (a paginator method, anything a later emitter adds) is reported
//! itself, at the action whose method its name extends, unless its whole
//! API version came or went.

use super::surface::{Delta, Entry, MemberDeltas, Surface, SurfaceDelta};
use super::{Category, Change, Impact};
use crate::ir::{ApiVersion, Service};
use std::collections::BTreeMap;

/// The changes of the surface from `before` to `after` that `spec` (the
/// spec-level changes) does not account for, each with its impact.
pub(super) fn surface_changes(
    (old, new): (&Service, &Service),
    (before, after): (&Surface, &Surface),
    spec: &[Change],
) -> Vec<Change> {
    before
        .delta(after)
        .into_iter()
        .filter_map(|delta| {
            let places = Places::of(old, new, delta.entry());
            if spec.iter().any(|c| places.whole_version(c)) {
                return None;
            }
            let impact = delta.impact();
            if !places.counterpart {
                return Some(report(&places, &delta, impact, &[]));
            }
            // A struct or enum is explained member by member, so one
            // reported change to an object cannot stand for another.
            if let (Some(deltas), Some(members)) = (delta.member_deltas(), &places.members) {
                let missing = unexplained_members(&deltas, members, &places, spec);
                return (!missing.is_empty()).then(|| report(&places, &delta, impact, &missing));
            }
            let explained = spec.iter().any(|c| places.explains(c, delta.delta, impact));
            (!explained).then(|| report(&places, &delta, impact, &[]))
        })
        .collect()
}

/// The parts of a changed struct or enum no spec change explains: `head`
/// for the item apart from its members, else the member's name.
fn unexplained_members(
    deltas: &MemberDeltas,
    members: &MemberPlaces,
    places: &Places,
    spec: &[Change],
) -> Vec<String> {
    let fits = |c: &Change, impact: Impact| c.impact <= impact;
    let mut missing = Vec::new();
    if let Some(impact) = deltas.head {
        if !spec
            .iter()
            .any(|c| fits(c, impact) && places.exact.contains(&c.location))
        {
            missing.push("its attributes".to_owned());
        }
    }
    let removed: Vec<&str> = deltas
        .members
        .iter()
        .filter(|(_, d, _)| *d == Delta::Removed)
        .map(|(name, ..)| name.as_str())
        .collect();
    for (name, delta, impact) in &deltas.members {
        let at = members.locations(name);
        let direct = spec
            .iter()
            .any(|c| fits(c, *impact) && at.contains(&c.location));
        // A member renamed in Rust: the spec change sits at the old
        // member and names the new field.
        let renamed = *delta == Delta::Added
            && spec.iter().any(|c| {
                let quoted = format!("`{name}`");
                c.category == Category::Member
                    && fits(c, *impact)
                    && c.message.contains(&quoted)
                    && removed
                        .iter()
                        .any(|r| members.locations(r).contains(&c.location))
            });
        if !direct && !renamed {
            missing.push(format!("`{name}` {}", delta.verb()));
        }
    }
    missing
}

/// The change that reports `delta` itself; `parts`: which of its members
/// (or its attributes) no spec change explains.
fn report(places: &Places, delta: &SurfaceDelta, impact: Impact, parts: &[String]) -> Change {
    let what = delta.delta.verb();
    let parts = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    let (category, message) = if places.counterpart {
        (
            Category::Unexplained,
            format!(
                "`{}` {what}{parts}, and no spec change explains it (a change of the generator)",
                delta.key
            ),
        )
    } else {
        (Category::Generated, format!("`{}` {what}", delta.key))
    };
    Change {
        impact,
        category,
        location: places.home.clone().unwrap_or_else(|| delta.key.to_owned()),
        message,
    }
}

/// Where the spec-level changes about each member of a struct or enum sit.
enum MemberPlaces {
    /// An object's fields: Rust field name → `v::Object.Member` (of the
    /// old and the new version; they differ when the member was renamed).
    Fields(BTreeMap<String, Vec<String>>),
    /// `ErrorCode`'s variants: `v::ErrorCode::` + the variant.
    Variants(String),
}

impl MemberPlaces {
    fn locations(&self, name: &str) -> Vec<String> {
        match self {
            MemberPlaces::Fields(fields) => fields.get(name).cloned().unwrap_or_default(),
            MemberPlaces::Variants(prefix) => vec![format!("{prefix}{name}")],
        }
    }
}

/// Where in a report a change to one surface entry may be described.
struct Places {
    /// Report locations a change may sit at, exactly or as a prefix (`v::Object.`).
    exact: Vec<String>,
    prefixes: Vec<String>,
    /// Categories that cover the entry wherever they sit in its version.
    categories: Vec<Category>,
    /// The API version module the entry is in (`None`: the crate root).
    version: Option<String>,
    /// Whether the entry is the Rust form of something in the spec (an
    /// object, an action's method, an error code, …), which spec-level
    /// changes can explain; other entries are always reported themselves.
    counterpart: bool,
    /// The report location of the spec item the entry belongs to, if any.
    home: Option<String>,
    /// For an object's struct or `ErrorCode`: where its members' changes sit.
    members: Option<MemberPlaces>,
}

impl Places {
    fn of(old: &Service, new: &Service, entry: &Entry) -> Places {
        let mut places = Places {
            exact: Vec::new(),
            prefixes: Vec::new(),
            categories: Vec::new(),
            version: entry.version.clone(),
            counterpart: false,
            home: None,
            members: None,
        };
        let Some(module) = &entry.version else {
            // The crate root: its modules and its re-export of the newest version.
            places.categories.push(Category::Version);
            places.counterpart = true;
            return places;
        };
        let versions = [old, new]
            .into_iter()
            .filter_map(|s| s.versions.iter().find(|v| &v.module == module));
        for version in versions {
            places.add_owner(version, entry);
        }
        places
    }

    /// Whether `change` is the whole API version of the entry added or
    /// removed, which accounts for everything in it.
    fn whole_version(&self, change: &Change) -> bool {
        change.category == Category::Version && Some(&change.location) == self.version.as_ref()
    }

    /// Whether `change` accounts for a `delta` of this entry whose impact
    /// on users is `impact`: it sits at one of the entry's places and is at
    /// least as severe (a removal needs a breaking change).
    fn explains(&self, change: &Change, delta: Delta, impact: Impact) -> bool {
        let severe_enough = match delta {
            Delta::Removed => change.impact == Impact::Breaking,
            Delta::Added | Delta::Changed => change.impact <= impact,
        };
        self.counterpart && severe_enough && self.cover(change)
    }

    fn add_owner(&mut self, version: &ApiVersion, entry: &Entry) {
        let at = |name: &str| format!("{}::{name}", version.module);
        match entry.owner.as_str() {
            "Client" => {
                let method = entry.method.as_deref().unwrap_or_default();
                if let Some(action) = version.actions.iter().find(|a| a.method == method) {
                    self.counterpart = true;
                    self.home.get_or_insert_with(|| at(&action.wire_name));
                    self.exact.push(at(&action.wire_name));
                    for id in [action.input, action.output] {
                        self.add_object(version, &version.objects[id.0].wire_name);
                    }
                } else if let Some(action) = extended_action(version, method) {
                    self.home.get_or_insert_with(|| at(&action.wire_name));
                }
            }
            "ErrorCode" => {
                self.counterpart = true;
                self.prefixes.push(at("ErrorCode::"));
                self.members = Some(MemberPlaces::Variants(at("ErrorCode::")));
            }
            "SERVICE" => {
                self.counterpart = true;
                self.exact.push(at("SERVICE"));
            }
            // The module of required-member structs comes and goes with the
            // first and last required member of the version.
            "required" => {
                self.counterpart = true;
                self.categories
                    .extend([Category::Member, Category::Presence, Category::Object]);
            }
            owner => {
                if let Some(object) = version.objects.iter().find(|o| o.rust_name == owner) {
                    self.counterpart = true;
                    self.home.get_or_insert_with(|| at(&object.wire_name));
                    let members = self
                        .members
                        .get_or_insert_with(|| MemberPlaces::Fields(BTreeMap::new()));
                    let MemberPlaces::Fields(fields) = members else {
                        unreachable!("an owner is an object or `ErrorCode`, never both")
                    };
                    for field in &object.fields {
                        let place = format!("{}.{}", at(&object.wire_name), field.wire_name);
                        fields
                            .entry(field.rust_name.clone())
                            .or_default()
                            .push(place);
                    }
                    self.add_object(version, &object.wire_name);
                    for action in &version.actions {
                        let uses = [action.input, action.output]
                            .iter()
                            .any(|id| version.objects[id.0].rust_name == owner);
                        if uses {
                            self.exact.push(at(&action.wire_name));
                        }
                    }
                }
            }
        }
    }

    fn add_object(&mut self, version: &ApiVersion, wire: &str) {
        let at = format!("{}::{wire}", version.module);
        self.prefixes.push(format!("{at}."));
        self.exact.push(at);
    }

    fn cover(&self, change: &Change) -> bool {
        let in_version = match &self.version {
            Some(v) => change.location.starts_with(&format!("{v}::")) || change.location == *v,
            None => true,
        };
        self.exact.contains(&change.location)
            || self.prefixes.iter().any(|p| change.location.starts_with(p))
            || (in_version && self.categories.contains(&change.category))
    }
}

/// The action whose method `method` extends (`describe_rooms_paginator` →
/// `DescribeRooms`, `match_paginator` → `Match`): the longest method name
/// (without the `_` a keyword gets) it starts with, then `_`.
fn extended_action<'a>(version: &'a ApiVersion, method: &str) -> Option<&'a crate::ir::Action> {
    version
        .actions
        .iter()
        .filter(|a| {
            method
                .strip_prefix(a.method.trim_end_matches('_'))
                .is_some_and(|rest| rest.starts_with('_'))
        })
        .max_by_key(|a| a.method.len())
}
