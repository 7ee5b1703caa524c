//! Objects and their members: names, types, recursion, direction.

use super::pins::name_scope;
use crate::error::near_name;
use crate::ir::*;
use crate::load::{self, NamesFile};
use crate::naming::{self, Case};
use crate::Error;
use std::collections::BTreeMap;
use std::path::Path;

/// Resolves every object of `api.json` with final names and types. Directions and
/// presence are filled in by [`assign_directions_and_presence`] once the actions
/// are known. Names pinned in `pins` stay; the names to remember are added
/// to `remember`.
pub(super) fn resolve_objects(
    path: &Path,
    objects: &BTreeMap<String, load::Object>,
    pins: &NamesFile,
    remember: &mut NamesFile,
) -> Result<Vec<Object>, Error> {
    let ids: BTreeMap<&str, ObjectId> = objects
        .keys()
        .enumerate()
        .map(|(i, name)| (name.as_str(), ObjectId(i)))
        .collect();
    let candidates: Vec<(String, String)> = objects
        .keys()
        .map(|name| (name.clone(), naming::type_name(name)))
        .collect();
    let names = name_scope(
        &candidates,
        &[],
        Case::Camel,
        Some(&pins.objects),
        &mut remember.objects,
    );
    let mut resolved = Vec::with_capacity(objects.len());
    for ((wire_name, object), rust_name) in objects.iter().zip(names) {
        let mut members = load::NameMap::new();
        let fields = resolve_fields(
            path,
            wire_name,
            object,
            &ids,
            pins.members.get(wire_name),
            &mut members,
        )?;
        if !members.is_empty() {
            remember.members.insert(wire_name.clone(), members);
        }
        resolved.push(Object {
            fields,
            wire_name: wire_name.clone(),
            rust_name,
            doc: object.document.clone(),
            sent: false,
            received: false,
        });
    }
    mark_boxed(&mut resolved);
    Ok(resolved)
}

fn resolve_fields(
    path: &Path,
    object_name: &str,
    object: &load::Object,
    ids: &BTreeMap<&str, ObjectId>,
    pins: Option<&load::NameMap>,
    remember: &mut load::NameMap,
) -> Result<Vec<Field>, Error> {
    let mut first_seen = BTreeMap::new();
    for (i, member) in object.members.iter().enumerate() {
        let location = format!("objects.{object_name}.members[{i}]");
        if member.name.is_empty() {
            return Err(spec_error(
                path,
                location,
                "member has an empty name".into(),
                None,
            ));
        }
        if let Some(first) = first_seen.insert(member.name.as_str(), i) {
            return Err(spec_error(
                path,
                location,
                format!("duplicate member `{}` (also members[{first}])", member.name),
                None,
            ));
        }
    }
    let candidates: Vec<(String, String)> = object
        .members
        .iter()
        .map(|m| (m.name.clone(), naming::snake(&m.name)))
        .collect();
    let names = name_scope(&candidates, &[], Case::Snake, pins, remember);
    object
        .members
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (member, rust_name))| {
            let location = format!("objects.{object_name}.members[{i}]");
            Ok(Field {
                ty: member_type(path, &location, member, ids)?,
                wire_name: member.name.clone(),
                rust_name,
                doc: member.document.clone(),
                presence: Presence::Optional,
                required: member.required == Some(true),
                deprecated: member.disabled == Some(true),
                boxed: false,
                sensitive: false,
            })
        })
        .collect()
}

/// The deliberate mapping of every (type, member) pair Tencent publishes.
/// A pair not listed here is an error, never a guess.
fn member_type(
    path: &Path,
    location: &str,
    member: &load::Member,
    ids: &BTreeMap<&str, ObjectId>,
) -> Result<Type, Error> {
    if let Some(scalar) = Scalar::from_spec(&member.kind, &member.member) {
        return Ok(Type::Scalar(scalar));
    }
    let kind = member.kind.as_str();
    match (kind, Scalar::list_element(&member.member)) {
        (LIST_TYPE, Some(scalar)) => Ok(Type::List(Box::new(Type::Scalar(scalar)))),
        (LIST_TYPE | OBJECT_TYPE, None) => {
            let id = ids.get(member.member.as_str()).copied().ok_or_else(|| {
                spec_error(
                    path,
                    location.to_owned(),
                    format!(
                        "member `{}` refers to object `{}`, which is not in `objects`",
                        member.name, member.member
                    ),
                    near_name(&member.member, ids.keys().copied()),
                )
            })?;
            Ok(match kind {
                LIST_TYPE => Type::List(Box::new(Type::Object(id))),
                _ => Type::Object(id),
            })
        }
        _ => Err(spec_error(
            path,
            location.to_owned(),
            format!(
                "member `{}` has type `{}`/`{}`, which the generator does not know; known: {}",
                member.name,
                member.kind,
                member.member,
                Scalar::known_pairs()
            ),
            near_name(&member.kind, Scalar::spec_kinds()),
        )),
    }
}

fn spec_error(path: &Path, location: String, message: String, suggestion: Option<String>) -> Error {
    Error::Spec {
        path: path.to_owned(),
        location,
        message,
        suggestion,
    }
}

/// Boxes exactly the fields that make a struct infinitely sized: direct
/// (non-list) object fields whose target is in the same strongly connected
/// component of the "contains directly" graph. Lists already allocate.
fn mark_boxed(objects: &mut [Object]) {
    let edges: Vec<Vec<usize>> = objects
        .iter()
        .map(|o| {
            o.fields
                .iter()
                .filter_map(|f| match f.ty {
                    Type::Object(ObjectId(to)) => Some(to),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let component = strongly_connected_components(&edges);
    for (from, object) in objects.iter_mut().enumerate() {
        for field in &mut object.fields {
            if let Type::Object(ObjectId(to)) = field.ty {
                field.boxed = component[from] == component[to];
            }
        }
    }
}

/// Tarjan's algorithm, iterative so that deep specs cannot overflow the stack.
/// Returns the component number of every node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // (node, position of the next edge to follow)
        let mut work = vec![(root, 0)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNVISITED {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if index[next] == UNVISITED {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Decides each object's direction from the actions, then each
/// field's presence from `required` and the direction.
pub(crate) fn assign_directions_and_presence(objects: &mut [Object], actions: &[Action]) {
    let sent = reachable(objects, actions.iter().map(|a| a.input));
    let received = reachable(objects, actions.iter().map(|a| a.output));
    for (i, object) in objects.iter_mut().enumerate() {
        // An object no action uses is still public API; give it both
        // directions so it can be built and decoded.
        let orphan = !sent[i] && !received[i];
        object.sent = sent[i] || orphan;
        object.received = received[i] || orphan;
    }
    for object in objects.iter_mut() {
        let (sent, received) = (object.sent, object.received);
        for field in &mut object.fields {
            field.presence = match (field.required, sent, received) {
                (false, _, _) | (true, false, true) => Presence::Optional,
                (true, _, false) => Presence::Required,
                (true, true, true) => Presence::Defaulted,
            };
        }
    }
}

fn reachable(objects: &[Object], roots: impl Iterator<Item = ObjectId>) -> Vec<bool> {
    let mut seen = vec![false; objects.len()];
    let mut todo: Vec<usize> = roots.map(|id| id.0).collect();
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        for field in &objects[i].fields {
            if let Some(ObjectId(to)) = field.ty.object() {
                todo.push(to);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::strongly_connected_components;

    #[test]
    fn components_group_cycles_only() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 3 loops on itself; 4 → 0 is acyclic.
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let c = strongly_connected_components(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }

    #[test]
    fn deep_chains_do_not_overflow() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] })
            .collect();
        let c = strongly_connected_components(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
