//! Decoding: [`FromJson`], the [`Members`] reader generated impls call, and
//! the impls for the standard types members are made of.

use super::{JsonError, Value};
use serde_json::Map;

/// A type that decodes from a JSON value.
pub trait FromJson: Sized {
    /// Whether `Self` decodes from [`parse`]'s value, in which a number a
    /// [`Value`] cannot give back as it was written is a string of its
    /// text: true for every type made of members (the generated ones), whose
    /// string members so keep the exact text and whose number members read
    /// the same number from it. [`Value`] (and a list or option of it) says
    /// false: it is the JSON as it came, so whoever decodes into it parses
    /// with `serde_json` instead.
    ///
    /// A type of your own holding a [`Value`] member says false too.
    const FROM_EXACT_TEXT: bool = true;

    /// Decodes `value`, taking ownership so strings move rather than copy.
    ///
    /// # Errors
    /// When `value` does not have the shape of `Self`.
    fn from_json(value: Value) -> Result<Self, JsonError>;
}

/// Parses JSON `text` as an answer is parsed before it is decoded into a
/// [`FromJson`] type: as `serde_json::from_str` does, except that a number
/// a [`Value`] would not give back as written (`123456789012345678901234`,
/// which a double rounds; `1.50` and `1e3`, which it prints `1.5` and
/// `1000.0`) is a string holding its exact text.
///
/// A string member given such a number keeps its text, and a number member
/// reads it by [`number_in`], which parses the text as `serde_json` would:
/// the same number as before, or the same error. Numbers a [`Value`] gives
/// back as written (`10`, `-3`, `0.25`) stay numbers.
///
/// ```
/// use tencentcloud_json::{parse, FromJson, Value};
///
/// let value = parse(r#"{"Id": 123456789012345678901234, "Price": 1.50, "Size": 10}"#).unwrap();
/// assert_eq!(value["Id"], "123456789012345678901234");
/// assert_eq!(value["Price"], "1.50");
/// assert_eq!(value["Size"], 10);
/// assert_eq!(String::from_json(value["Id"].clone()).unwrap(), "123456789012345678901234");
/// assert_eq!(f64::from_json(value["Price"].clone()).unwrap(), 1.5);
/// ```
///
/// # Errors
/// When `text` is not JSON: `serde_json`'s error, its line and column
/// those of `text`.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    let inexact = inexact_numbers(text);
    if inexact.is_empty() {
        return serde_json::from_str(text);
    }
    let mut quoted = String::with_capacity(text.len() + 2 * inexact.len());
    let mut from = 0;
    for number in inexact {
        quoted.push_str(&text[from..number.start]);
        quoted.push('"');
        quoted.push_str(&text[number.clone()]);
        quoted.push('"');
        from = number.end;
    }
    quoted.push_str(&text[from..]);
    // Quoting a number changes no document's validity; an invalid one is
    // reported from the text as given, so that positions are the caller's.
    serde_json::from_str(&quoted).or_else(|_| serde_json::from_str(text))
}

/// Where the numbers of `text` (outside strings) are that a [`Value`]
/// would not give back as written.
fn inexact_numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => i = string_end(bytes, i + 1),
            b'-' | b'0'..=b'9' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                {
                    i += 1;
                }
                if !is_exact(&text[start..i]) {
                    found.push(start..i);
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// The index just past the string whose text starts at `i` (after its
/// opening quote), or the end of `bytes`. Answers are mostly strings, so
/// the text between quotes and escapes is skipped with `memchr`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(at) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
    {
        i += at;
        if bytes[i] == b'"' {
            return i + 1;
        }
        i += 2;
    }
    bytes.len()
}

/// Whether the number token `token` reads back as written from a
/// [`Value`]; a token that is no number is left for the parser to refuse.
fn is_exact(token: &str) -> bool {
    // Up to 18 digits always fit an `i64`, printed back as written
    // (`-0` aside, which reads as a float).
    let digits = token.strip_prefix('-').unwrap_or(token);
    if digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) && token != "-0" {
        return true;
    }
    serde_json::from_str::<serde_json::Number>(token).map_or(true, |n| n.to_string() == token)
}

/// Reads the members of one object, for a generated [`FromJson`] impl.
///
/// A generated impl reads every member with a `read_…` method, which keeps
/// the first error and goes on, then hands the decoded value to
/// [`finish`](Members::finish), which returns that error if there was one:
///
/// ```
/// use tencentcloud_json::{FromJson, JsonError, Members, Value};
///
/// struct Room { name: String, size: u64, teacher: Option<String> }
///
/// impl FromJson for Room {
///     fn from_json(value: Value) -> Result<Self, JsonError> {
///         let mut members = Members::new(value)?;
///         let room = Room {
///             name: members.read_required("Name"),
///             size: members.read_defaulted("Size"),
///             teacher: members.read_optional("Teacher"),
///         };
///         members.finish(room)
///     }
/// }
///
/// let err = Room::from_json(serde_json::json!({"Size": "x"})).err().unwrap();
/// assert_eq!(err.to_string(), "at `Name`: missing required member");
/// ```
///
/// The error is the one the first failing member gives, in the order the
/// members are read, exactly as with one `?` per member; the generated code
/// just has no early return per member, which is a good part of what it
/// costs to compile (`BENCHMARKS.md`). A required member whose type has no
/// [`Default`] (an object with required members of its own) is read with
/// [`required`](Members::required) and `?`, which returns the first error
/// kept before it, if any.
#[derive(Debug)]
pub struct Members {
    map: Map<String, Value>,
    /// The first error a `read_…` method met.
    error: Option<JsonError>,
}

impl Members {
    /// The members of `value`, which must be an object.
    ///
    /// # Errors
    /// When `value` is not an object.
    pub fn new(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Object(map) => Ok(Members { map, error: None }),
            other => Err(JsonError::expected_container("an object", &other)),
        }
    }

    /// `value`, or the first error a `read_…` method met.
    ///
    /// # Errors
    /// The first member that did not decode.
    pub fn finish<T>(self, value: T) -> Result<T, JsonError> {
        match self.error {
            None => Ok(value),
            Some(error) => Err(error),
        }
    }

    /// A member that must be set; on error (missing, `null`, or not a `T`)
    /// the error is kept for [`finish`](Members::finish) and the value is a
    /// placeholder that `finish` discards.
    #[must_use]
    pub fn read_required<T: FromJson + Default>(&mut self, key: &'static str) -> T {
        let result = self.required_here(key);
        self.keep(result).unwrap_or_default()
    }

    /// A member that is `T::default()` when missing or `null`; an error is
    /// kept for [`finish`](Members::finish).
    #[must_use]
    pub fn read_defaulted<T: FromJson + Default>(&mut self, key: &'static str) -> T {
        let result = self.optional_here(key);
        self.keep(result).flatten().unwrap_or_default()
    }

    /// A member that is `None` when missing or `null`, or when it is an
    /// object or a list given as `""` (as Tencent's answers sometimes do);
    /// an error is kept for [`finish`](Members::finish).
    #[must_use]
    pub fn read_optional<T: FromJson>(&mut self, key: &'static str) -> Option<T> {
        let result = self.optional_here(key);
        self.keep(result).flatten()
    }

    /// A member that must be set.
    ///
    /// # Errors
    /// The first error a `read_…` method met before, if any; else when the
    /// member is missing, `null`, or not a `T`.
    pub fn required<T: FromJson>(&mut self, key: &'static str) -> Result<T, JsonError> {
        self.required_here(key)
            .map_err(|e| self.error.take().unwrap_or(e))
    }

    /// A member that is `T::default()` when missing or `null`.
    ///
    /// # Errors
    /// The first error a `read_…` method met before, if any; else when the
    /// member is set but not a `T`.
    pub fn defaulted<T: FromJson + Default>(&mut self, key: &'static str) -> Result<T, JsonError> {
        Ok(self.optional(key)?.unwrap_or_default())
    }

    /// A member that is `None` when missing or `null`, or when it is an
    /// object or a list given as `""` (as Tencent's answers sometimes do).
    ///
    /// # Errors
    /// The first error a `read_…` method met before, if any; else when the
    /// member is set but not a `T`.
    pub fn optional<T: FromJson>(&mut self, key: &'static str) -> Result<Option<T>, JsonError> {
        self.optional_here(key)
            .map_err(|e| self.error.take().unwrap_or(e))
    }

    fn required_here<T: FromJson>(&mut self, key: &'static str) -> Result<T, JsonError> {
        match self.take(key) {
            Some(value) => T::from_json(value).map_err(|e| e.at_member(key)),
            None => Err(JsonError::new("missing required member").at_member(key)),
        }
    }

    fn optional_here<T: FromJson>(&mut self, key: &'static str) -> Result<Option<T>, JsonError> {
        let Some(value) = self.take(key) else {
            return Ok(None);
        };
        match T::from_json(value) {
            Ok(value) => Ok(Some(value)),
            Err(e) if e.is_empty_for_container() => Ok(None),
            Err(e) => Err(e.at_member(key)),
        }
    }

    /// The value, or `None` with the error kept if it is the first.
    fn keep<T>(&mut self, result: Result<T, JsonError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.error.get_or_insert(error);
                None
            }
        }
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|value| !value.is_null())
    }
}

impl FromJson for Value {
    const FROM_EXACT_TEXT: bool = false;

    fn from_json(value: Value) -> Result<Self, JsonError> {
        Ok(value)
    }
}

/// A string, or a number given where a string is declared, kept as its
/// JSON text: as written, in an answer the client decodes ([`parse`] keeps
/// `1.50` and `123456789012345678901234` as they are); from a [`Value`]
/// made otherwise, as serde_json prints the number (`1.5`).
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
                // A string holding a number is judged as that number.
                let read = match &value {
                    Value::String(text) => number_in(text),
                    _ => None,
                };
                let number = read.as_ref().unwrap_or(&value);
                number.$as().ok_or_else(|| JsonError::expected($what, number))
            }
        }
    )*};
}

from_json_number! {
    u64: as_u64, "an unsigned integer";
    i64: as_i64, "an integer";
    f64: as_f64, "a number";
}

/// The number a string holds, when it is exactly one JSON number: THE
/// lenient number rule, by which a number member given as a string
/// (`"10"`, `"-1.5e3"`) is read.
///
/// The whole string must be one JSON number: no spaces, no sign but a
/// leading `-`, no `NaN` or `Infinity`, nothing before or after it. The
/// number is then read by the rules of the member's type (the [`FromJson`]
/// impls of `u64`, `i64` and `f64` call this), so `"-1"` is no `u64`.
///
/// ```
/// use tencentcloud_json::{number_in, Value};
///
/// assert_eq!(number_in("-1.5e3"), Some(Value::from(-1500.0)));
/// assert_eq!(number_in("10"), Some(Value::from(10)));
/// assert_eq!(number_in(" 10"), None);
/// assert_eq!(number_in("0x10"), None);
/// assert_eq!(number_in("NaN"), None);
/// ```
pub fn number_in(text: &str) -> Option<Value> {
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
    const FROM_EXACT_TEXT: bool = T::FROM_EXACT_TEXT;

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
    const FROM_EXACT_TEXT: bool = T::FROM_EXACT_TEXT;

    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    const FROM_EXACT_TEXT: bool = T::FROM_EXACT_TEXT;

    fn from_json(value: Value) -> Result<Self, JsonError> {
        T::from_json(value).map(Box::new)
    }
}
