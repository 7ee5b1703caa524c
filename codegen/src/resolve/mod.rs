//! Validate and resolve: loaded spec files → [`crate::ir::Service`].
//!
//! Every check that can fail on user input lives here and reports the file,
//! the JSON path and what is wrong. After this step the emitters cannot fail
//! on input; they only print.

mod examples;

pub mod first_page;
pub mod pagination;
mod pins;
pub mod retry;
pub mod secrets;
mod select;
pub mod streaming;
mod types;

use crate::error::near_name;
use crate::ir::*;
use crate::load::{self, NamesFile, SpecFiles};
use crate::naming::{self, Case};
use crate::Error;
use std::collections::{BTreeMap, BTreeSet};

/// Names a client method may not take: the client's own methods.
const RESERVED_METHODS: &[&str] = &["new", "from_env", "runtime", "with_endpoint"];
/// The catch-all variant of every `ErrorCode`.
pub const UNRECOGNIZED_VARIANT: &str = "Unrecognized";
pub use retry::CLIENT_TOKEN_MEMBER;

/// Resolves the spec directories of one service (one per API version) into
/// the model of one crate.
///
/// `previous` is the service as its previous release resolved it, when
/// known: every member, object, action and error code it had keeps the Rust
/// name it had there (as do the names pinned in each `names.json`).
pub fn resolve_service(specs: &[SpecFiles], previous: Option<&Service>) -> Result<Service, Error> {
    let first = specs.first().ok_or_else(|| Error::Layout {
        path: ".".into(),
        message: "no spec directory given".into(),
    })?;
    let short_name = first.api.metadata.service_short_name.clone();
    let mut versions = Vec::with_capacity(specs.len());
    for spec in specs {
        check_metadata(spec, &short_name)?;
        let before = previous.and_then(|p| {
            p.versions
                .iter()
                .find(|v| v.version == spec.api.metadata.api_version)
        });
        versions.push(resolve_version(spec, before)?);
    }
    versions.sort_by(|a, b| a.version.cmp(&b.version));
    if let Some(pair) = versions.windows(2).find(|w| w[0].module == w[1].module) {
        return Err(Error::Layout {
            path: first.dir.clone(),
            message: format!(
                "two spec directories of `{short_name}` declare API version {} (module {})",
                pair[1].version, pair[1].module
            ),
        });
    }
    // The newest version's metadata describes the crate.
    let newest = specs
        .iter()
        .max_by(|a, b| a.api.metadata.api_version.cmp(&b.api.metadata.api_version))
        .expect("specs is non-empty: checked above");
    Ok(Service {
        crate_name: naming::crate_name(&short_name),
        name_cn: newest
            .api
            .metadata
            .service_name_cn
            .clone()
            .filter(|s| !s.is_empty()),
        brief: newest
            .api
            .metadata
            .api_brief
            .clone()
            .filter(|s| !s.is_empty()),
        short_name,
        versions,
    })
}

fn check_metadata(spec: &SpecFiles, short_name: &str) -> Result<(), Error> {
    let meta = &spec.api.metadata;
    let bad = |location: &str, message: String| Error::Spec {
        path: spec.path(load::API_FILE),
        location: location.into(),
        message,
        suggestion: None,
    };
    let valid_short = !meta.service_short_name.is_empty()
        && meta
            .service_short_name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_short {
        return Err(bad(
            "metadata.serviceShortName",
            format!(
                "`{}` is not a service short name (lowercase letters and digits)",
                meta.service_short_name
            ),
        ));
    }
    if meta.service_short_name != short_name {
        return Err(bad(
            "metadata.serviceShortName",
            format!(
                "`{}` differs from the other versions' `{short_name}`: one crate holds one service",
                meta.service_short_name
            ),
        ));
    }
    if !meta.api_version.chars().any(|c| c.is_ascii_digit())
        || !meta
            .api_version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(bad(
            "metadata.apiVersion",
            format!(
                "`{}` is not an API version like 2022-08-17",
                meta.api_version
            ),
        ));
    }
    Ok(())
}

fn resolve_version(spec: &SpecFiles, previous: Option<&ApiVersion>) -> Result<ApiVersion, Error> {
    let api_path = spec.path(load::API_FILE);
    let pins = pins::gather(spec, previous)?;
    let mut names = NamesFile::default();
    let mut objects = types::resolve_objects(&api_path, &spec.api.objects, &pins, &mut names)?;
    let object_ids: BTreeMap<&str, ObjectId> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| (o.wire_name.as_str(), ObjectId(i)))
        .collect();
    let errors = resolve_error_codes(spec, &pins, &mut names)?;
    let mut actions = resolve_actions(spec, &object_ids, &objects, &errors, &pins, &mut names)?;
    apply_overlay(spec, &mut actions)?;
    mark_sensitive(spec, &mut objects)?;
    types::assign_directions_and_presence(&mut objects, &actions);
    let first_page = |action: &Action, field: &Field| learn_first_page(spec, action, field);
    pagination::recognise_all(&mut actions, &objects, &first_page);
    mark_stream_and_bytes_methods(spec, &mut actions, &objects);
    check_overlay_targets(spec, &actions)?;
    let examples = examples::resolve(spec, &actions, &objects)?;
    Ok(ApiVersion {
        version: spec.api.metadata.api_version.clone(),
        module: naming::version_module(&spec.api.metadata.api_version),
        spec_dir: spec.dir.clone(),
        intl_endpoint: spec.overlay.as_ref().and_then(|o| o.intl_endpoint.clone()),
        actions,
        objects,
        errors,
        examples,
        names,
    })
}

fn resolve_actions(
    spec: &SpecFiles,
    object_ids: &BTreeMap<&str, ObjectId>,
    objects: &[Object],
    errors: &[ErrorCode],
    pins: &NamesFile,
    remember: &mut NamesFile,
) -> Result<Vec<Action>, Error> {
    let api_path = spec.path(load::API_FILE);
    let lookup = |action: &str, key: &str, name: &str| {
        object_ids.get(name).copied().ok_or_else(|| Error::Spec {
            path: api_path.clone(),
            location: format!("actions.{action}.{key}"),
            message: if name.is_empty() {
                format!("action `{action}` has no {key} object")
            } else {
                format!("action `{action}` names {key} object `{name}`, which is not in `objects`")
            },
            suggestion: near_name(name, object_ids.keys().copied()),
        })
    };
    let candidates: Vec<(String, String)> = spec
        .api
        .actions
        .keys()
        .map(|name| (name.clone(), naming::snake(name)))
        .collect();
    let methods = pins::name_scope(
        &candidates,
        RESERVED_METHODS,
        Case::Snake,
        Some(&pins.actions),
        &mut remember.actions,
    );
    let error_lists = action_error_lists(spec, errors)?;
    let mut actions = Vec::with_capacity(methods.len());
    for ((wire_name, action), method) in spec.api.actions.iter().zip(methods) {
        let input = lookup(wire_name, "input", &action.input)?;
        let overlay = action_overlay(spec, wire_name).and_then(|o| o.client_token);
        let (idempotence, client_token) = retry::classify(wire_name, &objects[input.0], overlay);
        actions.push(Action {
            idempotence,
            client_token,
            input,
            output: lookup(wire_name, "output", &action.output)?,
            title: action.name.clone(),
            doc: action.document.clone(),
            deprecated: action.status.as_deref() == Some("deprecated"),
            rate_limit: None,
            errors: error_lists
                .get(wire_name.as_str())
                .cloned()
                .unwrap_or_default(),
            method,
            wire_name: wire_name.clone(),
            paging: Paging::NotPaged,
            streaming: None,
            octet_stream: None,
        });
    }
    Ok(actions)
}

fn resolve_error_codes(
    spec: &SpecFiles,
    pins: &NamesFile,
    remember: &mut NamesFile,
) -> Result<Vec<ErrorCode>, Error> {
    let Some(file) = &spec.errors else {
        return Ok(Vec::new());
    };
    let path = spec.path(load::ERRORS_FILE);
    let mut seen = BTreeMap::new();
    for (i, entry) in file.errors.iter().enumerate() {
        if entry.code.trim().is_empty() {
            return Err(Error::Spec {
                path,
                location: format!("errors[{i}].code"),
                message: "empty error code".into(),
                suggestion: None,
            });
        }
        if let Some(first) = seen.insert(entry.code.as_str(), i) {
            return Err(Error::Spec {
                path,
                location: format!("errors[{i}]"),
                message: format!(
                    "duplicate error code `{}` (also errors[{first}])",
                    entry.code
                ),
                suggestion: None,
            });
        }
    }
    let mut entries: Vec<_> = file.errors.iter().collect();
    entries.sort_by(|a, b| a.code.cmp(&b.code));
    let candidates: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e.code.clone(), naming::variant(&e.code)))
        .collect();
    let variants = pins::name_scope(
        &candidates,
        &[UNRECOGNIZED_VARIANT],
        Case::Camel,
        Some(&pins.errors),
        &mut remember.errors,
    );
    Ok(entries
        .into_iter()
        .zip(variants)
        .map(|(entry, variant)| ErrorCode {
            code: entry.code.clone(),
            variant,
            description: entry.description.clone(),
        })
        .collect())
}

/// `errors.json`'s per-action lists, checked against the actions and codes.
fn action_error_lists(
    spec: &SpecFiles,
    errors: &[ErrorCode],
) -> Result<BTreeMap<String, Vec<ErrorId>>, Error> {
    let Some(file) = &spec.errors else {
        return Ok(BTreeMap::new());
    };
    let path = spec.path(load::ERRORS_FILE);
    let ids: BTreeMap<&str, ErrorId> = errors
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code.as_str(), ErrorId(i)))
        .collect();
    let mut lists = BTreeMap::new();
    for (action, codes) in &file.actions {
        if !spec.api.actions.contains_key(action) {
            return Err(Error::Spec {
                path,
                location: format!("actions.{action}"),
                message: format!("unknown action `{action}`: api.json has no such action"),
                suggestion: near_name(action, spec.api.actions.keys().map(String::as_str)),
            });
        }
        let mut list = BTreeSet::new();
        for (i, code) in codes.iter().enumerate() {
            let id = ids.get(code.as_str()).ok_or_else(|| Error::Spec {
                path: path.clone(),
                location: format!("actions.{action}[{i}]"),
                message: format!("error code `{code}` is not in `errors`"),
                suggestion: near_name(code, ids.keys().copied()),
            })?;
            list.insert(*id);
        }
        lists.insert(action.clone(), list.into_iter().collect());
    }
    Ok(lists)
}

fn apply_overlay(spec: &SpecFiles, actions: &mut [Action]) -> Result<(), Error> {
    let Some(overlay) = &spec.overlay else {
        return Ok(());
    };
    for (name, facts) in &overlay.actions {
        let Some(action) = actions.iter_mut().find(|a| &a.wire_name == name) else {
            return Err(Error::Spec {
                path: spec.path(load::OVERLAY_FILE),
                location: format!("actions.{name}"),
                message: format!("unknown action `{name}`: api.json has no such action"),
                suggestion: near_name(name, spec.api.actions.keys().map(String::as_str)),
            });
        };
        if facts.rate_limit_per_second == Some(0) {
            return Err(overlay_error(
                spec,
                format!("actions.{name}.rate_limit_per_second"),
                "a rate limit must be at least 1 request per second".into(),
            ));
        }
        if facts.first_page.is_some_and(|page| page > 1) {
            return Err(overlay_error(
                spec,
                format!("actions.{name}.first_page"),
                "the first page is 0 or 1".into(),
            ));
        }
        action.rate_limit = facts.rate_limit_per_second;
    }
    Ok(())
}

/// `overlay.json`'s facts about action `name`, if any.
fn action_overlay<'a>(spec: &'a SpecFiles, name: &str) -> Option<&'a load::ActionOverlay> {
    spec.overlay.as_ref()?.actions.get(name)
}

fn overlay_error(spec: &SpecFiles, location: String, message: String) -> Error {
    Error::Spec {
        path: spec.path(load::OVERLAY_FILE),
        location,
        message,
        suggestion: None,
    }
}

/// An overlay's `first_page` and `client_token` must name an action they
/// apply to: a page-number action, an action with a `ClientToken`.
fn check_overlay_targets(spec: &SpecFiles, actions: &[Action]) -> Result<(), Error> {
    let Some(overlay) = &spec.overlay else {
        return Ok(());
    };
    for action in actions {
        let Some(facts) = overlay.actions.get(&action.wire_name) else {
            continue;
        };
        let name = &action.wire_name;
        let page_number = matches!(
            &action.paging,
            Paging::Paged(Pagination {
                pattern: PagePattern::PageNumber { .. },
                ..
            })
        );
        if facts.first_page.is_some() && !page_number {
            return Err(overlay_error(
                spec,
                format!("actions.{name}.first_page"),
                format!("`{name}` has no page-number paginator for a first page to apply to"),
            ));
        }
        if facts.client_token.is_some() && action.client_token.is_none() {
            return Err(overlay_error(
                spec,
                format!("actions.{name}.client_token"),
                format!("`{name}`'s request has no string `{CLIENT_TOKEN_MEMBER}` member"),
            ));
        }
    }
    Ok(())
}

/// Where the pages of `action`'s page member `field` start
/// ([`first_page::learn`]): the overlay, the member's docs, its example and
/// the numbers the action's request examples send.
fn learn_first_page(spec: &SpecFiles, action: &Action, field: &Field) -> FirstPage {
    let overlay = action_overlay(spec, &action.wire_name).and_then(|o| o.first_page);
    let request = spec
        .api
        .actions
        .get(&action.wire_name)
        .map(|a| a.input.as_str());
    let own = request
        .and_then(|name| spec.api.objects.get(name))
        .and_then(|o| o.members.iter().find(|m| m.name == field.wire_name))
        .and_then(|m| m.example.as_ref())
        .and_then(first_page::example_number);
    let bodies = spec
        .examples
        .iter()
        .flat_map(|e| e.actions.get(&action.wire_name))
        .flatten()
        .map(|e| examples::request_body(&e.input));
    let mut seen: Vec<u64> = first_page::sent_in_examples(bodies, &field.wire_name).collect();
    seen.extend(own);
    first_page::learn(overlay, &field.doc, &seen)
}

/// Gives each action that can answer as a stream ([`streaming`]) its
/// stream method, and each that takes raw bytes its bytes method, unless
/// the name is taken by another method.
fn mark_stream_and_bytes_methods(spec: &SpecFiles, actions: &mut [Action], objects: &[Object]) {
    let service = &spec.api.metadata.service_short_name;
    let taken: BTreeSet<String> = actions
        .iter()
        .flat_map(|a| {
            let paginator = match &a.paging {
                Paging::Paged(p) => Some(p.method.clone()),
                _ => None,
            };
            std::iter::once(a.method.clone()).chain(paginator)
        })
        .collect();
    for action in actions.iter_mut() {
        let input = &objects[action.input.0];
        let facts = action_overlay(spec, &action.wire_name);
        let prefix = facts.and_then(|o| o.octet_stream_header_prefix.as_deref());
        let bytes = naming::bytes(&action.method);
        action.octet_stream = streaming::octet_stream_prefix(service, &action.wire_name, prefix)
            .filter(|_| !taken.contains(&bytes))
            .map(|header_prefix| OctetStream {
                header_prefix,
                method: bytes,
            });
        let overlay = facts.and_then(|o| o.stream);
        let source = streaming::source(service, &action.wire_name, &action.doc, input, overlay);
        let method = naming::stream(&action.method);
        action.streaming = source
            .filter(|_| !taken.contains(&method))
            .map(|source| Streaming {
                source,
                member: streaming::stream_member(input),
                method,
            });
    }
}

/// Marks the members that hold secrets ([`secrets`]), `overlay.json`'s
/// `sensitive` map over the name rule; an entry naming no member is an error.
fn mark_sensitive(spec: &SpecFiles, objects: &mut [Object]) -> Result<(), Error> {
    let overlay = spec.overlay.as_ref().map(|o| &o.sensitive);
    let mut used = BTreeSet::new();
    for object in objects.iter_mut() {
        for field in &mut object.fields {
            let key = format!("{}.{}", object.wire_name, field.wire_name);
            field.sensitive = match overlay.and_then(|o| o.get(&key)) {
                Some(&word) => {
                    used.insert(key);
                    word
                }
                None => secrets::by_name(&field.wire_name, &field.ty),
            };
        }
    }
    let unknown = overlay
        .into_iter()
        .flat_map(|o| o.keys())
        .find(|key| !used.contains(*key));
    match unknown {
        Some(key) => Err(overlay_error(
            spec,
            format!("sensitive.{key}"),
            format!("no member `{key}`: write it as `Object.Member`, both as api.json names them"),
        )),
        None => Ok(()),
    }
}
