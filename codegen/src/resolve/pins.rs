//! Names handed out before: read from `names.json` and from the previous
//! release of the spec, checked, and remembered again for the next release.
//!
//! The rules themselves (a pinned member keeps its name, what is worth
//! remembering) are [`naming`]'s; this module only gathers the pins of each
//! scope and reports a bad `names.json` with its place.

use crate::ir::ApiVersion;
use crate::load::{self, NameMap, NamesFile, SpecFiles};
use crate::naming::{self, Case};
use crate::Error;
use std::collections::BTreeMap;

/// The pins of one version: `names.json` first, then the names the previous
/// release gave to members it also had.
pub(super) fn gather(spec: &SpecFiles, previous: Option<&ApiVersion>) -> Result<NamesFile, Error> {
    let mut pins = previous.map(names_of).unwrap_or_default();
    let Some(file) = &spec.names else {
        return Ok(pins);
    };
    let path = spec.path(load::NAMES_FILE);
    check_scope(&path, "objects", &file.objects, Case::Camel)?;
    check_scope(&path, "actions", &file.actions, Case::Snake)?;
    check_scope(&path, "errors", &file.errors, Case::Camel)?;
    for (object, members) in &file.members {
        check_scope(&path, &format!("members.{object}"), members, Case::Snake)?;
    }
    // The file wins over the previous release: it is what was checked in
    // with the current names, or what a user pinned on purpose.
    pins.objects.extend(file.objects.clone());
    pins.actions.extend(file.actions.clone());
    pins.errors.extend(file.errors.clone());
    for (object, members) in &file.members {
        pins.members
            .entry(object.clone())
            .or_default()
            .extend(members.clone());
    }
    Ok(pins)
}

/// Every name a resolved version hands out, as pins.
fn names_of(version: &ApiVersion) -> NamesFile {
    let pairs = |it: &mut dyn Iterator<Item = (&String, &String)>| -> NameMap {
        it.map(|(w, r)| (w.clone(), r.clone())).collect()
    };
    NamesFile {
        note: None,
        objects: pairs(&mut version.objects.iter().map(|o| (&o.wire_name, &o.rust_name))),
        members: version
            .objects
            .iter()
            .map(|o| {
                let fields = pairs(&mut o.fields.iter().map(|f| (&f.wire_name, &f.rust_name)));
                (o.wire_name.clone(), fields)
            })
            .collect(),
        actions: pairs(&mut version.actions.iter().map(|a| (&a.wire_name, &a.method))),
        errors: pairs(&mut version.errors.iter().map(|e| (&e.code, &e.variant))),
    }
}

/// A pinned name must be an identifier the naming rules could give, and
/// two members of one scope cannot share one.
fn check_scope(
    path: &std::path::Path,
    scope: &str,
    pins: &NameMap,
    case: Case,
) -> Result<(), Error> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (wire, name) in pins {
        let bad = |message: String| Error::Spec {
            path: path.to_owned(),
            location: format!("{scope}.{wire}"),
            message,
            suggestion: None,
        };
        if !naming::is_valid(name, case) {
            let want = match case {
                Case::Snake => "a snake_case identifier that is not a keyword",
                Case::Camel => "an UpperCamelCase identifier that is not a keyword",
            };
            return Err(bad(format!("`{name}` is not {want}")));
        }
        if let Some(first) = seen.insert(name, wire) {
            return Err(bad(format!(
                "`{name}` is pinned for `{first}` too: one name, one member"
            )));
        }
    }
    Ok(())
}

/// Names one scope: candidates, pins and the scope's reserved names in, final
/// names out, and the names to remember added to `remember`.
pub(super) fn name_scope(
    items: &[(String, String)],
    reserved: &[&str],
    case: Case,
    pins: Option<&NameMap>,
    remember: &mut NameMap,
) -> Vec<String> {
    let empty = NameMap::new();
    let names = naming::dedupe(items, reserved, case, pins.unwrap_or(&empty));
    remember.extend(naming::to_pin(items, &names));
    names
}
