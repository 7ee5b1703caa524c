//! A subset of a service: chosen actions and exactly the objects and error
//! codes they reach, for crates that want only part of a service.

use super::types::assign_directions_and_presence;
use crate::error::near_name;
use crate::ir::*;
use crate::Error;
use std::collections::{BTreeMap, BTreeSet};

impl Service {
    /// The service with only the actions named (by wire name), the objects
    /// they reach and the error codes they document. Names stay those of the
    /// full service, so code written against a subset also fits the whole.
    pub fn select_actions(&self, names: &BTreeSet<String>) -> Result<Service, Error> {
        let known: BTreeSet<&str> = self
            .versions
            .iter()
            .flat_map(|v| v.actions.iter().map(|a| a.wire_name.as_str()))
            .collect();
        if let Some(unknown) = names.iter().find(|n| !known.contains(n.as_str())) {
            return Err(Error::Options {
                message: match near_name(unknown, known.iter().copied()) {
                    Some(near) => format!(
                        "no action `{unknown}` in `{}` (did you mean `{near}`?)",
                        self.short_name
                    ),
                    None => format!("no action `{unknown}` in `{}`", self.short_name),
                },
            });
        }
        let mut service = self.clone();
        service.versions = self
            .versions
            .iter()
            .map(|v| select_version(v, names))
            .collect();
        Ok(service)
    }
}

fn select_version(version: &ApiVersion, names: &BTreeSet<String>) -> ApiVersion {
    let kept_actions: Vec<usize> = (0..version.actions.len())
        .filter(|&i| names.contains(&version.actions[i].wire_name))
        .collect();
    let reached = reachable_objects(version, &kept_actions);
    let object_map: BTreeMap<ObjectId, ObjectId> = reached
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, ObjectId(new)))
        .collect();
    let codes: BTreeSet<ErrorId> = kept_actions
        .iter()
        .flat_map(|&i| version.actions[i].errors.iter().copied())
        .collect();
    let error_map: BTreeMap<ErrorId, ErrorId> = codes
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, ErrorId(new)))
        .collect();
    let action_map: BTreeMap<usize, usize> = kept_actions
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, new))
        .collect();

    let actions: Vec<Action> = kept_actions
        .iter()
        .map(|&i| {
            let mut action = version.actions[i].clone();
            action.input = object_map[&action.input];
            action.output = object_map[&action.output];
            action.errors = action.errors.iter().map(|e| error_map[e]).collect();
            action
        })
        .collect();
    let mut objects: Vec<Object> = reached
        .iter()
        .map(|id| {
            let mut object = version.objects[id.0].clone();
            for field in &mut object.fields {
                remap(&mut field.ty, &object_map);
            }
            object
        })
        .collect();
    assign_directions_and_presence(&mut objects, &actions);
    ApiVersion {
        actions,
        objects,
        errors: codes
            .iter()
            .map(|id| version.errors[id.0].clone())
            .collect(),
        examples: version
            .examples
            .iter()
            .filter_map(|e| {
                action_map.get(&e.action).map(|&action| Example {
                    action,
                    ..e.clone()
                })
            })
            .collect(),
        ..version.clone()
    }
}

/// The objects the kept actions reach, directly or through members, in
/// their original order.
fn reachable_objects(version: &ApiVersion, kept_actions: &[usize]) -> BTreeSet<ObjectId> {
    let mut reached = BTreeSet::new();
    let mut todo: Vec<ObjectId> = kept_actions
        .iter()
        .flat_map(|&i| [version.actions[i].input, version.actions[i].output])
        .collect();
    while let Some(id) = todo.pop() {
        if reached.insert(id) {
            todo.extend(
                version.objects[id.0]
                    .fields
                    .iter()
                    .filter_map(|f| f.ty.object()),
            );
        }
    }
    reached
}

fn remap(ty: &mut Type, map: &BTreeMap<ObjectId, ObjectId>) {
    match ty {
        Type::Scalar(_) => {}
        Type::Object(id) => *id = map[id],
        Type::List(inner) => remap(inner, map),
    }
}
