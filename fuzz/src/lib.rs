//! What the fuzz targets share: running the whole spec pipeline on
//! in-memory files, structured mutations of a real spec, and the body of
//! the `response_decode` target (which the regression replay runs too).

pub mod response_decode;

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};
use std::path::Path;

/// The BatchCreateRoom slice of LCIC's real spec (the seed fixture): the
/// starting point of the mutations, small enough for many runs a second.
pub const SEED_API: &str =
    include_str!("../../tests/fixtures/seed_batch_create_room/spec/api.json");
/// The seed fixture's error codes.
pub const SEED_ERRORS: &str =
    include_str!("../../tests/fixtures/seed_batch_create_room/spec/errors.json");
/// The seed fixture's examples.
pub const SEED_EXAMPLES: &str =
    include_str!("../../tests/fixtures/seed_batch_create_room/spec/examples.json");

/// LCIC's error codes, beside the arbitrary `api.json` of `spec_bytes`.
pub const LCIC_ERRORS: &str = include_str!("../../api-spec/lcic/2022-08-17/errors.json");
/// LCIC's examples.
pub const LCIC_EXAMPLES: &str = include_str!("../../api-spec/lcic/2022-08-17/examples.json");

/// Load → validate → generate, as `cargo xtask generate` does, on files held
/// in memory. Any outcome but a panic, a hang or unbounded memory is fine;
/// what it returns is whether a crate came out.
pub fn pipeline(api: &str, errors: Option<&str>, examples: Option<&str>) -> bool {
    let dir = Path::new("fuzz/2022-08-17");
    let parse = || -> Result<codegen::load::SpecFiles, codegen::Error> {
        Ok(codegen::load::SpecFiles {
            dir: dir.to_owned(),
            api: codegen::load::parse_json(&dir.join("api.json"), api)?,
            errors: errors
                .map(|t| codegen::load::parse_json(&dir.join("errors.json"), t))
                .transpose()?,
            examples: examples
                .map(|t| codegen::load::parse_json(&dir.join("examples.json"), t))
                .transpose()?,
            overlay: None,
            names: None,
        })
    };
    let Ok(files) = parse() else { return false };
    let Ok(service) = codegen::resolve_service(&[files], None) else {
        return false;
    };
    let options = codegen::Options::default();
    match codegen::generate_service(&service, &options) {
        Ok(_) => true,
        Err(err) => panic!("a spec that validates must generate: {err}"),
    }
}

/// Names that have broken generators: keywords, prelude and std names,
/// case collisions, odd characters.
const NAMES: &[&str] = &[
    "type",
    "Type",
    "TYPE",
    "self",
    "Self",
    "super",
    "crate",
    "async",
    "await",
    "dyn",
    "r#type",
    "fn",
    "match",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Client",
    "Error",
    "ErrorCode",
    "json",
    "members",
    "value",
    "serde",
    "std",
    "core",
    "RoomInfo",
    "roomInfo",
    "room_info",
    "ROOM_INFO",
    "Room-Info",
    "Room Info",
    "1Room",
    "_",
    "__",
    "",
    "é",
    "房间",
    "A",
    "a",
    "ID",
    "Id",
    "id",
    "URLs",
    "Urls",
    "new",
    "with_name",
];

const SCALARS: &[&str] = &[
    "string",
    "int64",
    "uint64",
    "integer",
    "int",
    "float",
    "double",
    "bool",
    "boolean",
    "datetime",
    "datetime_iso",
    "date",
    "binary",
    "timestamp",
    "object",
    "list",
    "",
];

const DOCS: &[&str] = &[
    "<b>bold</b> and <a href=\"https://x\">link</a>",
    "```\nunclosed fence",
    "*/ /* `` ` \\ \" '",
    "<script>alert(1)</script>",
    "[link](javascript:x) <https://a> https://b.",
    "\u{0}\u{7f}\u{200b}\u{feff}",
    "# Heading\n- item\n\n1. one",
];

/// One structured change to a spec; indices wrap around.
#[derive(Debug, Arbitrary)]
pub enum Mutation {
    DeleteObject(u16),
    RenameObject(u16, u8),
    DeleteMember(u16, u16),
    RenameMember(u16, u16, u8),
    /// A member's `member` becomes a scalar, another object or the object itself.
    Retype(u16, u16, u8, bool),
    /// A new member typed as some object: recursion when it is its own.
    AddMember(u16, u8, u16, bool),
    Required(u16, u16, bool),
    Document(u16, u16, u8),
    DeleteAction(u16),
    RenameAction(u16, u8),
    ActionInput(u16, u16),
    ActionOutput(u16, u16),
    /// Replaces a value anywhere with a JSON value of another kind.
    Replace(u16, u8),
}

/// `spec` (an api.json) with `mutations` applied.
pub fn mutate(spec: &str, mutations: &[Mutation]) -> String {
    let mut spec: Value = serde_json::from_str(spec).expect("the seed spec is JSON");
    for mutation in mutations {
        apply(&mut spec, mutation);
    }
    spec.to_string()
}

fn pick<T: Copy>(items: &[T], i: impl Into<usize>) -> T {
    items[i.into() % items.len()]
}

fn nth_key(map: &Map<String, Value>, i: u16) -> Option<String> {
    (!map.is_empty()).then(|| map.keys().nth(usize::from(i) % map.len()).cloned())?
}

fn apply(spec: &mut Value, mutation: &Mutation) {
    let object_names: Vec<String> = spec["objects"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let object_name = |i: u16| {
        (!object_names.is_empty())
            .then(|| object_names[usize::from(i) % object_names.len()].clone())
    };
    match *mutation {
        Mutation::DeleteObject(o) => {
            if let (Some(name), Some(objects)) = (object_name(o), spec["objects"].as_object_mut()) {
                objects.remove(&name);
            }
        }
        Mutation::RenameObject(o, n) => {
            if let (Some(name), Some(objects)) = (object_name(o), spec["objects"].as_object_mut()) {
                if let Some(body) = objects.remove(&name) {
                    objects.insert(pick(NAMES, n).to_owned(), body);
                }
            }
        }
        Mutation::DeleteMember(o, m) => {
            if let Some(members) = members(spec, object_name(o)) {
                if !members.is_empty() {
                    let len = members.len();
                    members.remove(usize::from(m) % len);
                }
            }
        }
        Mutation::RenameMember(o, m, n) => {
            if let Some(member) = member(spec, object_name(o), m) {
                member.insert("name".into(), json!(pick(NAMES, n)));
            }
        }
        Mutation::Retype(o, m, t, list) => {
            let target = type_name(&object_names, t);
            if let Some(member) = member(spec, object_name(o), m) {
                member.insert("member".into(), json!(target));
                member.insert("type".into(), json!(if list { "list" } else { "object" }));
            }
        }
        Mutation::AddMember(o, n, t, required) => {
            let target = object_name(t).unwrap_or_else(|| "string".into());
            if let Some(members) = members(spec, object_name(o)) {
                members.push(json!({
                    "name": pick(NAMES, n), "member": target, "type": "object",
                    "required": required, "document": "", "disabled": false
                }));
            }
        }
        Mutation::Required(o, m, required) => {
            if let Some(member) = member(spec, object_name(o), m) {
                member.insert("required".into(), json!(required));
            }
        }
        Mutation::Document(o, m, d) => {
            if let Some(member) = member(spec, object_name(o), m) {
                member.insert("document".into(), json!(pick(DOCS, d)));
            }
        }
        Mutation::DeleteAction(a) => {
            if let Some(actions) = spec["actions"].as_object_mut() {
                if let Some(name) = nth_key(actions, a) {
                    actions.remove(&name);
                }
            }
        }
        Mutation::RenameAction(a, n) => {
            if let Some(actions) = spec["actions"].as_object_mut() {
                if let Some(name) = nth_key(actions, a) {
                    let body = actions.remove(&name).expect("the key was just listed");
                    actions.insert(pick(NAMES, n).to_owned(), body);
                }
            }
        }
        Mutation::ActionInput(a, o) | Mutation::ActionOutput(a, o) => {
            let key = if matches!(mutation, Mutation::ActionInput(..)) {
                "input"
            } else {
                "output"
            };
            let target = object_name(o);
            if let Some(actions) = spec["actions"].as_object_mut() {
                if let (Some(name), Some(target)) = (nth_key(actions, a), target) {
                    // An earlier `Replace` may have made the action a non-object.
                    if let Some(action) = actions[&name].as_object_mut() {
                        action.insert(key.to_owned(), json!(target));
                    }
                }
            }
        }
        Mutation::Replace(at, kind) => {
            let replacement = match kind % 6 {
                0 => Value::Null,
                1 => json!(true),
                2 => json!(-1),
                3 => json!("x"),
                4 => json!([]),
                _ => json!({}),
            };
            replace_nth(spec, usize::from(at), replacement);
        }
    }
}

fn type_name(objects: &[String], t: u8) -> String {
    let t = usize::from(t);
    if t < SCALARS.len() || objects.is_empty() {
        SCALARS[t % SCALARS.len()].to_owned()
    } else {
        objects[t % objects.len()].clone()
    }
}

fn members(spec: &mut Value, object: Option<String>) -> Option<&mut Vec<Value>> {
    spec["objects"]
        .get_mut(object?)?
        .get_mut("members")?
        .as_array_mut()
}

/// The `m`th member, when it is still an object (a `Replace` may have made it
/// something else).
fn member(spec: &mut Value, object: Option<String>, m: u16) -> Option<&mut Map<String, Value>> {
    let members = members(spec, object)?;
    let len = members.len();
    (len > 0).then(|| members[usize::from(m) % len].as_object_mut())?
}

/// Replaces the `n`th value of a depth-first walk (the root excluded).
fn replace_nth(value: &mut Value, n: usize, replacement: Value) {
    fn walk(value: &mut Value, n: &mut usize, replacement: &mut Option<Value>) {
        let children: Vec<&mut Value> = match value {
            Value::Array(items) => items.iter_mut().collect(),
            Value::Object(map) => map.values_mut().collect(),
            _ => return,
        };
        for child in children {
            if replacement.is_none() {
                return;
            }
            if *n == 0 {
                *child = replacement.take().expect("checked above");
                return;
            }
            *n -= 1;
            walk(child, n, replacement);
        }
    }
    let mut n = n % 20_000;
    walk(value, &mut n, &mut Some(replacement));
}
