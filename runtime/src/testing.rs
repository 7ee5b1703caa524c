//! Assertions the generated example tests use; also handy in users' tests.
//!
//! JSON is compared as values, not text. A few refinements make the comparison
//! mean "the same data" rather than "the same bytes": numbers are equal when
//! they are the same number (`1` and `1.0`), a `null` member is the same
//! as a missing one (the generated types leave unset members out), and the
//! disagreements decoding tolerates ([`crate::json`]) compare as the values
//! they decode to: a number and a string holding the same number are equal,
//! and a `""` member the same as a missing one (an object or list given as
//! `""` decodes as unset).

use crate::json::{number_in, FromJson, ToJson, Value};
use crate::{decode_response, Error, ServiceErrorCode};
use serde_json::Number;

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
    if let Err(at) = same(&original, &encoded, "", Mode::Exact) {
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
    if let Err(at) = same(inner, &encoded, "Response", Mode::Subset) {
        panic!(
            "the response lost or changed a value at {at}\noriginal: {inner}\ndecoded:  {encoded}"
        );
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

/// Compares two values; `Err` holds the path of the first difference.
fn same(expected: &Value, actual: &Value, at: &str, mode: Mode) -> Result<(), String> {
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
            a.iter()
                .zip(b)
                .enumerate()
                .try_for_each(|(i, (x, y))| same(x, y, &format!("{at}[{i}]"), mode))
        }
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(
                b.keys()
                    .filter(|k| mode == Mode::Exact && !a.contains_key(*k)),
            );
            for key in keys {
                let x = a.get(key).unwrap_or(&Value::Null);
                let y = b.get(key).unwrap_or(&Value::Null);
                // `null` in the original means "no value": a default may stand in for it.
                if x.is_null() && (y.is_null() || mode == Mode::Subset) {
                    continue;
                }
                // `""` decodes as unset only where an object or list is declared.
                if x.as_str() == Some("") && y.is_null() {
                    continue;
                }
                same(x, y, &format!("{at}.{key}"), mode)?;
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

    #[test]
    fn numbers_compare_by_value() {
        assert!(same(&json!(1), &json!(1.0), "", Mode::Exact).is_ok());
        assert!(same(&json!(1), &json!(2), "", Mode::Exact).is_err());
        assert!(same(&json!(u64::MAX), &json!(u64::MAX), "", Mode::Exact).is_ok());
    }

    #[test]
    fn tolerated_forms_compare_as_what_they_decode_to() {
        assert!(same(&json!("10"), &json!(10), "", Mode::Exact).is_ok());
        assert!(same(&json!(0), &json!("0"), "", Mode::Exact).is_ok());
        assert!(same(&json!("1.5"), &json!(1.5), "", Mode::Exact).is_ok());
        assert!(same(&json!("10"), &json!(11), "", Mode::Exact).is_err());
        assert!(same(&json!("x"), &json!(0), "", Mode::Exact).is_err());
        assert!(same(&json!({"a": ""}), &json!({}), "", Mode::Exact).is_ok());
        assert!(same(&json!({"a": ""}), &json!({"a": "b"}), "", Mode::Subset).is_err());
    }

    #[test]
    fn null_is_missing() {
        assert!(same(&json!({"a": null}), &json!({}), "", Mode::Exact).is_ok());
        assert!(same(&json!({}), &json!({"a": null}), "", Mode::Exact).is_ok());
        assert!(same(&json!({"a": null}), &json!({"a": 0}), "", Mode::Subset).is_ok());
        assert!(same(&json!({"a": null}), &json!({"a": 0}), "", Mode::Exact).is_err());
    }

    #[test]
    fn subset_allows_extra_members_exact_does_not() {
        assert!(same(&json!({"a": 1}), &json!({"a": 1, "b": 2}), "", Mode::Subset).is_ok());
        assert_eq!(
            same(&json!({"a": 1}), &json!({"a": 1, "b": 2}), "", Mode::Exact),
            Err(".b".into())
        );
        assert_eq!(
            same(
                &json!({"a": [1, 2]}),
                &json!({"a": [1, 3]}),
                "",
                Mode::Subset
            ),
            Err(".a[1]".into())
        );
        assert!(same(&json!({"a": 1}), &json!({}), "", Mode::Subset).is_err());
    }

    /// A type that drops every member but `A`.
    #[derive(Debug)]
    struct Lossy {
        a: Option<u64>,
    }

    impl FromJson for Lossy {
        fn from_json(value: Value) -> Result<Self, crate::json::JsonError> {
            let mut members = crate::json::Members::new(value)?;
            Ok(Lossy {
                a: members.optional("A")?,
            })
        }
    }

    impl ToJson for Lossy {
        fn write_json(&self, out: &mut crate::json::Writer) {
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
}
