//! Assertions the generated example tests use; also handy in users' tests.
//!
//! JSON is compared as values, not text. A few refinements make the comparison
//! mean "the same data" rather than "the same bytes": numbers are equal when
//! they are the same number (`1` and `1.0`), a `null` member is the same
//! as a missing one (the generated types leave unset members out), and the
//! disagreements decoding tolerates ([`crate::json`]) compare as the values
//! they decode to: a number and a string holding the same number are equal,
//! and a `""` member is the same as a missing one (or the empty default)
//! where, and only where, the type declares an object or a list there (an
//! object or list given as `""` decodes as unset; a string member keeps `""`,
//! and an unknown member is dropped, which is a loss). The comparison asks
//! the type's own decoder which it is.

use super::envelope::decode_response;
use crate::shared::{Error, ServiceErrorCode};
use serde_json::Number;
use tencentcloud_json::{number_in, FromJson, ToJson, Value};

/// Asserts that a request body decodes into `T` and encodes back to the
/// same JSON value.
///
/// # Panics
/// When it does not, with the JSON path of the first difference.
pub fn assert_request_round_trip<T: ToJson + FromJson>(body: &str) {
    let original: Value = parse(body);
    let typed = T::from_json(original.clone())
        .unwrap_or_else(|e| panic!("the request does not decode: {e}\n{body}"));
    let encoded = typed.to_json();
    let unset_here =
        |pointer: &str| empty_is_unset(&original, pointer, |v| T::from_json(v).is_ok());
    let rules = Rules {
        mode: Mode::Exact,
        empty_is_unset: &unset_here,
    };
    if let Err(at) = same(&original, &encoded, "", "", &rules) {
        panic!("the request changed in a round trip at {at}\noriginal: {original}\nencoded:  {encoded}");
    }
}

/// Asserts that a response body `{"Response": {...}}` decodes into `T`
/// and that every value it carried survives encoding `T` again.
///
/// # Panics
/// When it does not decode, is an error envelope, or loses a value.
pub fn assert_response_round_trip<T: ToJson + FromJson>(body: &str) {
    let typed: T = decode_response::<T, String>("example", 200, body.as_bytes())
        .unwrap_or_else(|e| panic!("the response does not decode: {e}"));
    let original: Value = parse(body);
    let inner = &original["Response"];
    let encoded = typed.to_json();
    let unset_here = |pointer: &str| {
        empty_is_unset(&original, pointer, |v| {
            let body = v.to_string();
            decode_response::<T, String>("example", 200, body.as_bytes()).is_ok()
        })
    };
    let rules = Rules {
        mode: Mode::Subset,
        empty_is_unset: &unset_here,
    };
    if let Err(at) = same(inner, &encoded, "Response", "/Response", &rules) {
        panic!(
            "the response lost or changed a value at {at}\noriginal: {inner}\ndecoded:  {encoded}"
        );
    }
}

/// Asserts that a stream example (Server-Sent Events, as a streaming
/// action's published examples show them) holds `events` events, read by
/// the runtime's own decoder ([`crate::sse`]), and that each event's data
/// decodes into `T` and keeps every value it carried, as
/// [`assert_response_round_trip`] checks a whole answer. The text may have
/// lost the blank line that ends its last event (examples are trimmed).
///
/// # Panics
/// When the count differs, or an event does not decode or loses a value.
pub fn assert_stream_example<T: ToJson + FromJson>(text: &str, events: usize) {
    let mut decoder = super::sse::Decoder::new();
    let mut read = Vec::new();
    for chunk in [text.as_bytes(), b"\n\n"] {
        decoder
            .feed(chunk, &mut read)
            .unwrap_or_else(|e| panic!("the stream does not decode: {e}"));
    }
    assert_eq!(read.len(), events, "events in the stream:\n{text}");
    for (i, event) in read.iter().enumerate() {
        let original = parse(&event.data);
        // Parsed as the client parses an event, numbers' text kept.
        let exact =
            tencentcloud_json::parse(&event.data).unwrap_or_else(|e| panic!("not JSON: {e}"));
        let typed = T::from_json(exact)
            .unwrap_or_else(|e| panic!("event {} does not decode: {e}\n{}", i + 1, event.data));
        let encoded = typed.to_json();
        let unset_here =
            |pointer: &str| empty_is_unset(&original, pointer, |v| T::from_json(v).is_ok());
        let rules = Rules {
            mode: Mode::Subset,
            empty_is_unset: &unset_here,
        };
        let at = format!("event {}", i + 1);
        if let Err(at) = same(&original, &encoded, &at, "", &rules) {
            panic!("the event lost or changed a value at {at}\noriginal: {original}\ndecoded:  {encoded}");
        }
    }
}

/// Asserts that an error envelope decodes into a service error with `code`.
///
/// # Panics
/// When it decodes to anything else.
pub fn assert_error_example<T: FromJson + std::fmt::Debug, E: ServiceErrorCode + PartialEq>(
    body: &str,
    code: &E,
) {
    match decode_response::<T, E>("example", 200, body.as_bytes()) {
        Err(Error::Service(err)) => {
            assert_eq!(&err.code, code, "the error envelope carries another code");
            assert_eq!(err.code.as_str(), code.as_str());
        }
        other => panic!("expected a service error with code {code}, got {other:?}"),
    }
}

fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON: {e}\n{body}"))
}

/// Whether two JSON numbers are the same number.
fn same_number(a: &Number, b: &Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

/// Whether `actual` must match `expected` exactly or only hold everything it has.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Exact,
    Subset,
}

/// How two values are compared.
struct Rules<'a> {
    mode: Mode,
    /// Whether the decoder reads `""` at this JSON pointer into the
    /// original as an unset object or list.
    empty_is_unset: &'a dyn Fn(&str) -> bool,
}

/// Whether the decoder of the type under test reads the `""` at `pointer`
/// in `original` as an unset object or list ([`tencentcloud_json::Members`]), told
/// by `decodes` (whether a whole document decodes): with a non-empty string
/// there instead, a string member still decodes (it keeps `""` too) and so
/// does an unknown member (dropped either way), while an object or list
/// member fails. `original` itself decodes.
fn empty_is_unset(original: &Value, pointer: &str, decodes: impl Fn(Value) -> bool) -> bool {
    let mut probe = original.clone();
    match probe.pointer_mut(pointer) {
        Some(slot @ Value::String(_)) => *slot = Value::String("not empty".to_owned()),
        _ => return false,
    }
    !decodes(probe)
}

/// `key` as one JSON pointer token (RFC 6901).
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Compares two values; `Err` holds the path of the first difference.
/// `at` is the path shown, `pointer` the same place as a JSON pointer.
fn same(
    expected: &Value,
    actual: &Value,
    at: &str,
    pointer: &str,
    rules: &Rules<'_>,
) -> Result<(), String> {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            same_number(a, b).then_some(()).ok_or_else(|| at.to_owned())
        }
        // A number given for a string member, or a string holding a number
        // given for a number member, decodes to the other form.
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            let equal = matches!(number_in(s), Some(Value::Number(m)) if same_number(n, &m));
            equal.then_some(()).ok_or_else(|| at.to_owned())
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{at} (length {} vs {})", a.len(), b.len()));
            }
            a.iter().zip(b).enumerate().try_for_each(|(i, (x, y))| {
                same(
                    x,
                    y,
                    &format!("{at}[{i}]"),
                    &format!("{pointer}/{i}"),
                    rules,
                )
            })
        }
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(
                b.keys()
                    .filter(|k| rules.mode == Mode::Exact && !a.contains_key(*k)),
            );
            for key in keys {
                let x = a.get(key).unwrap_or(&Value::Null);
                let y = b.get(key).unwrap_or(&Value::Null);
                // `null` in the original means "no value": a default may stand in for it.
                if x.is_null() && (y.is_null() || rules.mode == Mode::Subset) {
                    continue;
                }
                let member = format!("{pointer}/{}", pointer_token(key));
                // `""` decodes as unset (or the empty default) only where an
                // object or list is declared; a string member keeps it.
                if x.as_str() == Some("")
                    && (y.is_null() || y.is_object() || y.as_array().is_some_and(Vec::is_empty))
                    && (rules.empty_is_unset)(&member)
                {
                    continue;
                }
                same(x, y, &format!("{at}.{key}"), &member, rules)?;
            }
            Ok(())
        }
        (a, b) if a == b => Ok(()),
        _ => Err(at.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// [`same`] with no type to ask: no `""` stands for an unset object or list.
    fn untyped(expected: &Value, actual: &Value, mode: Mode) -> Result<(), String> {
        let rules = Rules {
            mode,
            empty_is_unset: &|_| false,
        };
        same(expected, actual, "", "", &rules)
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(untyped(&json!(1), &json!(1.0), Mode::Exact).is_ok());
        assert!(untyped(&json!(1), &json!(2), Mode::Exact).is_err());
        assert!(untyped(&json!(u64::MAX), &json!(u64::MAX), Mode::Exact).is_ok());
    }

    #[test]
    fn tolerated_forms_compare_as_what_they_decode_to() {
        assert!(untyped(&json!("10"), &json!(10), Mode::Exact).is_ok());
        assert!(untyped(&json!(0), &json!("0"), Mode::Exact).is_ok());
        assert!(untyped(&json!("1.5"), &json!(1.5), Mode::Exact).is_ok());
        assert!(untyped(&json!("10"), &json!(11), Mode::Exact).is_err());
        assert!(untyped(&json!("x"), &json!(0), Mode::Exact).is_err());
        // Without a type that declares an object or list there, a dropped
        // `""` is a lost value.
        assert_eq!(
            untyped(&json!({"a": ""}), &json!({}), Mode::Exact),
            Err(".a".into())
        );
        assert_eq!(
            untyped(&json!({"a": ""}), &json!({}), Mode::Subset),
            Err(".a".into())
        );
        assert!(untyped(&json!({"a": ""}), &json!({"a": "b"}), Mode::Subset).is_err());
    }

    #[test]
    fn null_is_missing() {
        assert!(untyped(&json!({"a": null}), &json!({}), Mode::Exact).is_ok());
        assert!(untyped(&json!({}), &json!({"a": null}), Mode::Exact).is_ok());
        assert!(untyped(&json!({"a": null}), &json!({"a": 0}), Mode::Subset).is_ok());
        assert!(untyped(&json!({"a": null}), &json!({"a": 0}), Mode::Exact).is_err());
    }

    #[test]
    fn subset_allows_extra_members_exact_does_not() {
        assert!(untyped(&json!({"a": 1}), &json!({"a": 1, "b": 2}), Mode::Subset).is_ok());
        assert_eq!(
            untyped(&json!({"a": 1}), &json!({"a": 1, "b": 2}), Mode::Exact),
            Err(".b".into())
        );
        assert_eq!(
            untyped(&json!({"a": [1, 2]}), &json!({"a": [1, 3]}), Mode::Subset),
            Err(".a[1]".into())
        );
        assert!(untyped(&json!({"a": 1}), &json!({}), Mode::Subset).is_err());
    }

    /// A type that drops every member but `A`.
    #[derive(Debug)]
    struct Lossy {
        a: Option<u64>,
    }

    impl FromJson for Lossy {
        fn from_json(value: Value) -> Result<Self, tencentcloud_json::JsonError> {
            let mut members = tencentcloud_json::Members::new(value)?;
            Ok(Lossy {
                a: members.optional("A")?,
            })
        }
    }

    impl ToJson for Lossy {
        fn write_json(&self, out: &mut tencentcloud_json::Writer) {
            let mut members = out.object();
            members.member("A", &self.a);
            members.finish();
        }
    }

    #[test]
    #[should_panic(expected = "round trip at .B")]
    fn request_round_trip_catches_dropped_members() {
        assert_request_round_trip::<Lossy>(r#"{"A": 1, "B": 2}"#);
    }

    #[test]
    fn round_trips_pass_for_faithful_types() {
        assert_request_round_trip::<Lossy>(r#"{"A": 1}"#);
        assert_response_round_trip::<Lossy>(r#"{"Response": {"A": 1}}"#);
        assert_error_example::<Lossy, String>(
            r#"{"Response": {"Error": {"Code": "X.Y", "Message": "m"}, "RequestId": "r"}}"#,
            &"X.Y".to_owned(),
        );
    }

    /// A string member and a list member, decoded by the rules generated
    /// types follow; with `drop_empty`, the decoder loses a `""` string.
    #[derive(Debug)]
    struct Named<const DROP_EMPTY: bool> {
        name: Option<String>,
        tags: Option<Vec<String>>,
    }

    impl<const DROP_EMPTY: bool> FromJson for Named<DROP_EMPTY> {
        fn from_json(value: Value) -> Result<Self, tencentcloud_json::JsonError> {
            let mut members = tencentcloud_json::Members::new(value)?;
            let name: Option<String> = members.read_optional("Name");
            let named = Named {
                name: name.filter(|name| !(DROP_EMPTY && name.is_empty())),
                tags: members.read_optional("Tags"),
            };
            members.finish(named)
        }
    }

    impl<const DROP_EMPTY: bool> ToJson for Named<DROP_EMPTY> {
        fn write_json(&self, out: &mut tencentcloud_json::Writer) {
            let mut members = out.object();
            members.member("Name", &self.name);
            members.member("Tags", &self.tags);
            members.finish();
        }
    }

    /// Decodes as generated types do.
    type Faithful = Named<false>;
    /// Drops `""` given for its string member.
    type DropsEmptyStrings = Named<true>;

    #[test]
    fn empty_string_is_unset_for_a_list_and_kept_for_a_string() {
        let decoded = Faithful::from_json(json!({"Name": "", "Tags": ""})).unwrap();
        assert_eq!(
            (decoded.name.as_deref(), decoded.tags),
            (Some(""), None),
            "the decoder's own rule, which the comparison follows"
        );
        assert_request_round_trip::<Faithful>(r#"{"Name": "", "Tags": ""}"#);
        assert_response_round_trip::<Faithful>(r#"{"Response": {"Name": "", "Tags": ""}}"#);
        assert_response_round_trip::<Faithful>(r#"{"Response": {"Tags": [""], "Name": "n"}}"#);
    }

    #[test]
    #[should_panic(expected = "round trip at .Name")]
    fn request_round_trip_catches_a_dropped_empty_string() {
        assert_request_round_trip::<DropsEmptyStrings>(r#"{"Name": "", "Tags": ""}"#);
    }

    #[test]
    #[should_panic(expected = "lost or changed a value at Response.Name")]
    fn response_round_trip_catches_a_dropped_empty_string() {
        assert_response_round_trip::<DropsEmptyStrings>(
            r#"{"Response": {"Name": "", "Tags": ""}}"#,
        );
    }

    /// An unknown member is dropped whatever it holds, `""` included.
    #[test]
    #[should_panic(expected = "lost or changed a value at Response.Other")]
    fn response_round_trip_catches_a_dropped_unknown_empty_string() {
        assert_response_round_trip::<Faithful>(r#"{"Response": {"Tags": "", "Other": ""}}"#);
    }
}
