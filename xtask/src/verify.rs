//! The diff checks itself: a report is only trusted if every change of the
//! generated public API (read back from the generated code by
//! [`crate::surface`], not from the model the diff works on) is accounted
//! for by a change in the report at the same place, of a fitting impact.
//!
//! Places are matched through the model's names: a struct's changes need a
//! change at its object (or an action using it), a client method's need one
//! at its action, `ErrorCode`'s one at an error code of its version, the
//! crate root's one at an API version. Anything removed from the surface
//! needs a breaking change there; anything added or changed, a change that
//! is more than documentation.

use crate::surface::{Delta, Entry, Surface};
use codegen::diff::{Category, Change, Impact, Report};
use codegen::ir::{ApiVersion, Service};

/// The surface changes `report` does not account for, one sentence each
/// (empty: the report is complete).
pub fn unreported(old: &Service, new: &Service, report: &Report) -> anyhow::Result<Vec<String>> {
    let (before, after) = (surface(old)?, surface(new)?);
    Ok(unreported_between(old, new, &before, &after, report))
}

/// [`unreported`], given the [`surface`] of each crate (a caller checking
/// many reports against one old crate reads it once).
pub fn unreported_between(
    old: &Service,
    new: &Service,
    before: &Surface,
    after: &Surface,
    report: &Report,
) -> Vec<String> {
    let mut missing = Vec::new();
    for (key, delta, entry) in before.delta(after) {
        let places = Places::of(old, new, entry);
        let fits = |c: &&Change| {
            places.cover(c)
                && match delta {
                    Delta::Removed => c.impact == Impact::Breaking,
                    Delta::Added | Delta::Changed => c.impact != Impact::DocOnly,
                }
        };
        if !report.changes.iter().any(|c| fits(&c)) {
            let what = match delta {
                Delta::Added => "added",
                Delta::Removed => "removed (needs a breaking change)",
                Delta::Changed => "changed",
            };
            missing.push(format!("`{key}` {what}, and the report says nothing of it"));
        }
    }
    missing
}

/// The public API of the crate the generator makes for `service`.
pub fn surface(service: &Service) -> anyhow::Result<Surface> {
    Surface::of(&codegen::generate_service(service, &codegen::Options::default())?.files)
}

/// Where in a report a change to one surface entry may be described.
struct Places {
    /// Report locations a change may sit at, exactly or as a prefix (`v::Object.`).
    exact: Vec<String>,
    prefixes: Vec<String>,
    /// Categories that cover the entry wherever they sit in its version.
    categories: Vec<Category>,
    version: Option<String>,
}

impl Places {
    fn of(old: &Service, new: &Service, entry: &Entry) -> Places {
        let mut places = Places {
            exact: Vec::new(),
            prefixes: Vec::new(),
            categories: Vec::new(),
            version: entry.version.clone(),
        };
        let Some(module) = &entry.version else {
            // The crate root: its modules and its re-export of the newest version.
            places.categories.push(Category::Version);
            return places;
        };
        // A whole version added or removed covers everything in it.
        places.exact.push(module.clone());
        let versions = [old, new]
            .into_iter()
            .filter_map(|s| s.versions.iter().find(|v| &v.module == module));
        for version in versions {
            places.add_owner(version, entry);
        }
        places
    }

    fn add_owner(&mut self, version: &ApiVersion, entry: &Entry) {
        let at = |name: &str| format!("{}::{name}", version.module);
        match entry.owner.as_str() {
            "Client" => {
                let action = version
                    .actions
                    .iter()
                    .find(|a| Some(&a.method) == entry.method.as_ref());
                if let Some(action) = action {
                    self.exact.push(at(&action.wire_name));
                    for id in [action.input, action.output] {
                        self.add_object(version, &version.objects[id.0].wire_name);
                    }
                }
            }
            "ErrorCode" => self.prefixes.push(at("ErrorCode::")),
            "SERVICE" => self.exact.push(at("SERVICE")),
            // The module of required-member structs comes and goes with the
            // first and last required member of the version.
            "required" => {
                self.categories
                    .extend([Category::Member, Category::Presence, Category::Object])
            }
            owner => {
                if let Some(object) = version.objects.iter().find(|o| o.rust_name == owner) {
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
