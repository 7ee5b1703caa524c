//! Checks `examples.json` against the resolved types, so that every example
//! that agrees with the spec becomes a test and every one that does not is
//! reported with the member, the expected type and the value found.
//!
//! "Agrees" is what the runtime decodes: the spec's types, plus the
//! disagreements it tolerates — a number given as a string holding one, a
//! string given as a number, `""` for an optional object or list. Those
//! rules are not copied here: the check calls the runtime's own decoder,
//! `tencentcloud-json`, so a new lenient rule there reaches the examples
//! with no change here. The generated tests then check the runtime does.

use crate::error::near_name;
use crate::ir::*;
use crate::load::{self, SpecFiles};
use crate::Error;
use tencentcloud_json::{FromJson, Members, Value};

pub(super) fn resolve(
    spec: &SpecFiles,
    actions: &[Action],
    objects: &[Object],
) -> Result<Vec<Example>, Error> {
    let Some(file) = &spec.examples else {
        return Ok(Vec::new());
    };
    let mut examples = Vec::new();
    for (name, list) in &file.actions {
        let Some(action) = actions.iter().position(|a| &a.wire_name == name) else {
            return Err(Error::Spec {
                path: spec.path(load::EXAMPLES_FILE),
                location: format!("actions.{name}"),
                message: format!(
                    "examples for unknown action `{name}`: api.json has no such action"
                ),
                suggestion: near_name(name, actions.iter().map(|a| a.wire_name.as_str())),
            });
        };
        for (i, example) in list.iter().enumerate() {
            let checker = Checker { objects };
            examples.push(Example {
                action,
                index: i + 1,
                title: example.title.clone(),
                request: checker.request(&example.input, actions[action].input),
                response: checker.response(&example.output, actions[action].output),
            });
        }
    }
    Ok(examples)
}

/// How strictly a value must match: requests must survive a round trip
/// exactly; responses only need to decode and keep what they carried.
/// The body of an example's HTTP request text: what follows the blank line
/// after the headers, or the whole text when it has none.
pub(super) fn request_body(http: &str) -> &str {
    match http
        .split_once("\n\n")
        .or_else(|| http.split_once("\r\n\r\n"))
    {
        Some((_, body)) => body.trim(),
        None => http.trim(),
    }
}

/// The Server-Sent Events of a stream example, from its first `data:`
/// line (what precedes it is HTTP headers or prose), when it has one and
/// every event's data sits on one line.
fn stream_text(body: &str) -> Option<&str> {
    let start = body
        .match_indices("data:")
        .map(|(at, _)| at)
        .find(|&at| at == 0 || body[..at].ends_with('\n'))?;
    Some(&body[start..])
}

/// The data of a `data:` field line (one space after the colon dropped, as
/// the SSE standard says).
fn data_line(line: &str) -> Option<&str> {
    let data = line.trim_end_matches('\r').strip_prefix("data:")?;
    Some(data.strip_prefix(' ').unwrap_or(data))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
}

struct Checker<'a> {
    objects: &'a [Object],
}

impl Checker<'_> {
    fn request(&self, http: &str, input: ObjectId) -> Checked<String> {
        let body = request_body(http);
        let get_style =
            body.starts_with("http://") || body.starts_with("https://") || body.starts_with("GET ");
        if body.is_empty() || get_style {
            return Checked::Skipped("the request has no JSON body (a GET-style example)".into());
        }
        let value: Value = match serde_json::from_str(body) {
            Ok(value) => value,
            Err(err) => return Checked::Skipped(format!("the request body is not JSON: {err}")),
        };
        match self.object(&value, input, Direction::Request, "") {
            Ok(()) => Checked::Ok(body.to_owned()),
            Err(reason) => Checked::Skipped(reason),
        }
    }

    fn response(&self, body: &str, output: ObjectId) -> Checked<ExampleResponse> {
        let body = body.trim();
        let value: Value = match serde_json::from_str(body) {
            Ok(value) => value,
            Err(err) => {
                return match stream_text(body) {
                    Some(text) => self.stream(text, output),
                    None => Checked::Skipped(format!("the response is not JSON: {err}")),
                };
            }
        };
        let Some(response) = value.get("Response") else {
            return Checked::Skipped("the response has no `Response` member".into());
        };
        if let Some(error) = response.get("Error") {
            return match error.get("Code").and_then(Value::as_str) {
                Some(code) => Checked::Ok(ExampleResponse::Error {
                    body: body.to_owned(),
                    code: code.to_owned(),
                }),
                None => Checked::Skipped("`Response.Error` has no string `Code`".into()),
            };
        }
        match self.object(response, output, Direction::Response, "Response") {
            Ok(()) => Checked::Ok(ExampleResponse::Success(body.to_owned())),
            Err(reason) => Checked::Skipped(reason),
        }
    }

    /// A stream example: every event's data must be an object of the
    /// output type. Only the `data:` lines are read here; the generated test
    /// runs the stream through the runtime's own SSE decoder.
    fn stream(&self, text: &str, output: ObjectId) -> Checked<ExampleResponse> {
        // A line of white space is not the blank line that ends an event:
        // by the SSE standard the events around it run together.
        let spaced = text
            .lines()
            .position(|l| !l.trim_end_matches('\r').is_empty() && l.trim().is_empty());
        if let Some(line) = spaced {
            return Checked::Skipped(format!(
                "line {} of the stream holds only white space, which does not end an event (SSE), so its events run together",
                line + 1
            ));
        }
        let data: Vec<&str> = text.lines().filter_map(data_line).collect();
        for (i, event) in data.iter().enumerate() {
            let value: Value = match serde_json::from_str(event) {
                Ok(value) => value,
                Err(err) => {
                    return Checked::Skipped(format!(
                        "event {} of the stream is not JSON: {err}",
                        i + 1
                    ))
                }
            };
            let at = format!("event {}", i + 1);
            if let Err(reason) = self.object(&value, output, Direction::Response, &at) {
                return Checked::Skipped(reason);
            }
        }
        Checked::Ok(ExampleResponse::Stream {
            text: text.to_owned(),
            events: data.len(),
        })
    }

    fn object(&self, value: &Value, id: ObjectId, dir: Direction, at: &str) -> Result<(), String> {
        let object = &self.objects[id.0];
        let Value::Object(map) = value else {
            return Err(mismatch(
                at,
                &format!("object `{}`", object.wire_name),
                value,
            ));
        };
        for key in map.keys() {
            if !object.fields.iter().any(|f| &f.wire_name == key) {
                return Err(format!(
                    "`{}`: member `{key}` is not in the spec of `{}`",
                    join(at, key),
                    object.wire_name
                ));
            }
        }
        for field in &object.fields {
            let path = join(at, &field.wire_name);
            match map.get(&field.wire_name) {
                None | Some(Value::Null)
                    if dir == Direction::Request && field.presence != Presence::Optional =>
                {
                    return Err(format!("`{path}`: required member is missing or null"));
                }
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.is_empty() && empty_means_unset(field, dir) => {}
                Some(value) => self.value(value, &field.ty, dir, &path)?,
            }
        }
        Ok(())
    }

    fn value(&self, value: &Value, ty: &Type, dir: Direction, at: &str) -> Result<(), String> {
        match ty {
            Type::Scalar(scalar) => scalar_matches(value, *scalar)
                .then_some(())
                .ok_or_else(|| mismatch(at, scalar_name(*scalar), value)),
            Type::Object(id) => self.object(value, *id, dir, at),
            Type::List(inner) => {
                let Value::Array(items) = value else {
                    return Err(mismatch(at, "a list", value));
                };
                items
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, item)| self.value(item, inner, dir, &format!("{at}[{i}]")))
            }
        }
    }
}

/// Whether `""` for `field` decodes as unset: the runtime reads `""` for an
/// object or list as unset in a member that may be unset (in a request, one
/// the caller may leave out, so that the round trip leaves it out too).
fn empty_means_unset(field: &Field, dir: Direction) -> bool {
    let may_be_unset = match dir {
        Direction::Request => field.presence == Presence::Optional,
        Direction::Response => field.presence != Presence::Required,
    };
    may_be_unset && empty_is_an_empty_container(&field.ty)
}

/// Whether the runtime's decoder takes `""` for a value of type `ty` as an
/// empty object or list: its own rule, asked rather than copied.
fn empty_is_an_empty_container(ty: &Type) -> bool {
    let empty = || Value::String(String::new());
    let error = match ty {
        Type::Object(_) => Members::new(empty()).err(),
        Type::List(_) => Vec::<Value>::from_json(empty()).err(),
        Type::Scalar(_) => None,
    };
    error.is_some_and(|e| e.is_empty_for_container())
}

/// Whether the runtime's decoder reads `value` as `scalar`: the very rules
/// the generated code decodes with (a number given as a string holding one,
/// a string given as a number), so an example is a test exactly when the
/// runtime accepts it.
fn scalar_matches(value: &Value, scalar: Scalar) -> bool {
    let value = value.clone();
    match scalar.rust() {
        RustType::String => String::from_json(value).is_ok(),
        RustType::I64 => i64::from_json(value).is_ok(),
        RustType::U64 => u64::from_json(value).is_ok(),
        RustType::F64 => f64::from_json(value).is_ok(),
        RustType::Bool => bool::from_json(value).is_ok(),
        other => unreachable!("a scalar is carried by a scalar Rust type, not {other:?}"),
    }
}

fn scalar_name(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String | Scalar::DateTime | Scalar::DateTimeIso | Scalar::Date | Scalar::Binary => {
            "a string"
        }
        Scalar::Int64 => "an integer (i64)",
        Scalar::Uint64 => "a non-negative integer (u64)",
        Scalar::Float => "a number (f64)",
        Scalar::Bool => "a boolean",
    }
}

fn mismatch(at: &str, expected: &str, found: &Value) -> String {
    let mut shown = found.to_string();
    if shown.len() > 60 {
        let cut = (0..=60)
            .rev()
            .find(|&i| shown.is_char_boundary(i))
            .unwrap_or(0);
        shown.truncate(cut);
        shown.push('…');
    }
    let at = if at.is_empty() { "(body)" } else { at };
    format!("`{at}`: expected {expected}, found {shown}")
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}
