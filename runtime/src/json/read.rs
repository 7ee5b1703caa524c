//! Decoding: [`FromJson`], the [`Members`] reader generated impls call, and
//! the impls for the standard types members are made of.

use super::{JsonError, Value};
use serde_json::Map;

/// A type that decodes from a JSON value.
pub trait FromJson: Sized {
    /// Decodes `value`, taking ownership so strings move rather than copy.
    ///
    /// # Errors
    /// When `value` does not have the shape of `Self`.
    fn from_json(value: Value) -> Result<Self, JsonError>;
}

/// Reads the members of one object, for a generated [`FromJson`] impl.
#[derive(Debug)]
pub struct Members(Map<String, Value>);

impl Members {
    /// The members of `value`, which must be an object.
    ///
    /// # Errors
    /// When `value` is not an object.
    pub fn new(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Object(map) => Ok(Members(map)),
            other => Err(JsonError::expected_container("an object", &other)),
        }
    }

    /// A member that must be set.
    ///
    /// # Errors
    /// When it is missing, `null`, or not a `T`.
    pub fn required<T: FromJson>(&mut self, key: &'static str) -> Result<T, JsonError> {
        match self.take(key) {
            Some(value) => T::from_json(value).map_err(|e| e.at_member(key)),
            None => Err(JsonError::new("missing required member").at_member(key)),
        }
    }

    /// A member that is `T::default()` when missing or `null`.
    ///
    /// # Errors
    /// When it is set but not a `T`.
    pub fn defaulted<T: FromJson + Default>(&mut self, key: &'static str) -> Result<T, JsonError> {
        Ok(self.optional(key)?.unwrap_or_default())
    }

    /// A member that is `None` when missing or `null`, or when it is an
    /// object or a list given as `""` (as Tencent's answers sometimes do).
    ///
    /// # Errors
    /// When it is set but not a `T`.
    pub fn optional<T: FromJson>(&mut self, key: &'static str) -> Result<Option<T>, JsonError> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        match T::from_json(value) {
            Ok(value) => Ok(Some(value)),
            Err(e) if e.is_empty_for_container() => Ok(None),
            Err(e) => Err(e.at_member(key)),
        }
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key).filter(|value| !value.is_null())
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        Ok(value)
    }
}

/// A string, or a number given where a string is declared, kept as its
/// JSON text (`10`, `-3`, `1.5`; a fraction as serde_json prints it).
impl FromJson for String {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(JsonError::expected("a string", &other)),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        value
            .as_bool()
            .ok_or_else(|| JsonError::expected("a boolean", &value))
    }
}

/// Numbers: a JSON number, or a string that holds exactly one (`"10"`,
/// `"-1.5e3"`; no spaces, no `NaN`), read by the same rules. A number must
/// fit the type: `u64` rejects `-1` and `1.5`, given either way.
macro_rules! from_json_number {
    ($($ty:ty: $as:ident, $what:literal;)*) => {$(
        impl FromJson for $ty {
            fn from_json(value: Value) -> Result<Self, JsonError> {
                let number = match &value {
                    Value::String(text) => number_in(text).and_then(|n| n.$as()),
                    other => other.$as(),
                };
                number.ok_or_else(|| JsonError::expected($what, &value))
            }
        }
    )*};
}

from_json_number! {
    u64: as_u64, "an unsigned integer";
    i64: as_i64, "an integer";
    f64: as_f64, "a number";
}

/// The number a string holds, when it is exactly one JSON number.
pub(crate) fn number_in(text: &str) -> Option<Value> {
    let starts_like_a_number = text
        .bytes()
        .next()
        .is_some_and(|b| b == b'-' || b.is_ascii_digit());
    let ends_like_a_number = text.bytes().last().is_some_and(|b| b.is_ascii_digit());
    if !(starts_like_a_number && ends_like_a_number) {
        return None;
    }
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_number)
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::from_json(item).map_err(|e| e.at_index(i)))
                .collect(),
            other => Err(JsonError::expected_container("an array", &other)),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        T::from_json(value).map(Box::new)
    }
}
