//! JSON conversion of the generated models.
//!
//! Generated types implement [`ToJson`] and [`FromJson`] with one line per
//! member, and their serde `Serialize`/`Deserialize` impls go through
//! [`Value`]. serde's derived visitors would do the same job with several
//! times the code per struct, and a crate with a thousand structs pays for
//! that code on every clean build (see `BENCHMARKS.md`). The client never
//! goes through serde's generic path: a request writes itself straight to
//! the body's bytes ([`ToJson::write_json`], members in the order the spec
//! lists them), and an answer is parsed into a [`Value`] once, in this
//! crate, from which the response type takes its members.
//!
//! The rules, the same for every generated type:
//! - a missing member and a `null` member are the same thing: unset;
//! - unknown members are ignored, so a new member in a response never breaks
//!   decoding;
//! - numbers must fit the member's type (`u64` rejects `-1` and `1.5`);
//! - unset members are left out when encoding.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
// For `serde_via_json!`, so the crates that call it need no `serde` of their own.
#[doc(hidden)]
pub use serde;
use serde_json::Map;
pub use serde_json::Value;
use std::fmt;

/// A value that did not have the shape its type expects, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Path segments from the innermost outwards (errors are built as the
    /// decoder unwinds).
    path: Vec<Segment>,
    reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Member(&'static str),
    Index(usize),
}

impl JsonError {
    /// An error at the current value.
    pub fn new(reason: impl Into<String>) -> Self {
        JsonError {
            path: Vec::new(),
            reason: reason.into(),
        }
    }

    fn expected(what: &str, found: &Value) -> Self {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(n) if n.is_f64() => "a fractional number",
            Value::Number(n) if n.is_i64() && n.as_i64() < Some(0) => "a negative integer",
            Value::Number(_) => "an integer",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        JsonError::new(format!("expected {what}, found {found}"))
    }

    fn at_member(mut self, key: &'static str) -> Self {
        self.path.push(Segment::Member(key));
        self
    }

    fn at_index(mut self, index: usize) -> Self {
        self.path.push(Segment::Index(index));
        self
    }

    /// The path of the offending value, such as `RoomInfos[2].Name`; empty
    /// for the top-level value.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Member(key) if out.is_empty() => out.push_str(key),
                Segment::Member(key) => {
                    out.push('.');
                    out.push_str(key);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// What is wrong, without the path.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path() {
            path if path.is_empty() => f.write_str(&self.reason),
            path => write!(f, "at `{path}`: {}", self.reason),
        }
    }
}

impl std::error::Error for JsonError {}

/// A type that decodes from a JSON value.
pub trait FromJson: Sized {
    /// Decodes `value`, taking ownership so strings move rather than copy.
    ///
    /// # Errors
    /// When `value` does not have the shape of `Self`.
    fn from_json(value: Value) -> Result<Self, JsonError>;
}

/// A type that encodes to JSON.
///
/// Generated types write themselves straight to bytes ([`write_json`]): a
/// request body is never built as a [`Value`] first. [`to_json`] gives the
/// same encoding as a [`Value`].
///
/// [`write_json`]: ToJson::write_json
/// [`to_json`]: ToJson::to_json
pub trait ToJson {
    /// Writes `self` as one JSON value; unset members are left out.
    fn write_json(&self, out: &mut Writer);

    /// Whether `self` is unset (an empty `Option`, a non-finite number),
    /// which a member leaves out and an array writes as `null`.
    fn is_unset(&self) -> bool {
        false
    }

    /// Encodes `self` as a [`Value`]; unset members are left out.
    fn to_json(&self) -> Value {
        let mut out = Writer::default();
        self.write_json(&mut out);
        serde_json::from_slice(out.as_bytes())
            .expect("invariant: `write_json` writes exactly one JSON value")
    }
}

/// JSON text being written by [`ToJson::write_json`]: compact, members in
/// the order their type declares them.
#[derive(Debug, Default, Clone)]
pub struct Writer(Vec<u8>);

impl Writer {
    /// An empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Writer(Vec::with_capacity(capacity))
    }

    /// Starts an object; its members follow, then [`MembersOut::finish`].
    pub fn object(&mut self) -> MembersOut<'_> {
        self.0.push(b'{');
        MembersOut {
            out: self,
            empty: true,
        }
    }

    /// What was written.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// What was written, as owned bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// Writes a value serde_json knows how to write (strings escaped,
    /// numbers as it prints them).
    fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        serde_json::to_writer(&mut self.0, value)
            .expect("invariant: writing strings, numbers and values to a Vec cannot fail");
    }
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
            other => Err(JsonError::expected("an object", &other)),
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

    /// A member that is `None` when missing or `null`.
    ///
    /// # Errors
    /// When it is set but not a `T`.
    pub fn optional<T: FromJson>(&mut self, key: &'static str) -> Result<Option<T>, JsonError> {
        self.take(key)
            .map(|value| T::from_json(value).map_err(|e| e.at_member(key)))
            .transpose()
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key).filter(|value| !value.is_null())
    }
}

/// Writes the members of one object, for a generated [`ToJson`] impl.
#[derive(Debug)]
#[must_use = "an object is complete only after `finish`"]
pub struct MembersOut<'a> {
    out: &'a mut Writer,
    empty: bool,
}

impl MembersOut<'_> {
    /// Writes `key` and `value`, unless `value` is unset (an empty `Option`).
    pub fn member<T: ToJson + ?Sized>(&mut self, key: &'static str, value: &T) {
        if value.is_unset() {
            return;
        }
        if !self.empty {
            self.out.0.push(b',');
        }
        self.empty = false;
        self.out.serde(key);
        self.out.0.push(b':');
        value.write_json(self.out);
    }

    /// Ends the object.
    pub fn finish(self) {
        self.out.0.push(b'}');
    }
}

/// `Serialize::serialize` of a generated type.
///
/// # Errors
/// When `serializer` fails.
pub fn serialize<T: ToJson + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.to_json().serialize(serializer)
}

/// `Deserialize::deserialize` of a generated type.
///
/// # Errors
/// When the input is not valid or does not have the shape of `T`.
pub fn deserialize<'de, T: FromJson, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::from_json(Value::deserialize(deserializer)?).map_err(D::Error::custom)
}

/// Implements serde's `Serialize` and `Deserialize` for types that
/// implement [`ToJson`] and [`FromJson`], through [`serialize`] and
/// [`deserialize`]. Generated models use it, one line per type.
#[macro_export]
macro_rules! serde_via_json {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::json::serde::Serialize for $ty {
            fn serialize<S: $crate::json::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::json::serialize(self, serializer)
            }
        }

        impl<'de> $crate::json::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::json::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::json::deserialize(deserializer)
            }
        }
    )*};
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        Ok(value)
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut Writer) {
        out.serde(self);
    }

    fn is_unset(&self) -> bool {
        self.is_null()
    }

    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl FromJson for String {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(JsonError::expected("a string", &other)),
        }
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut Writer) {
        out.serde(self.as_str());
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut Writer) {
        out.serde(self);
    }
}

macro_rules! from_json_via {
    ($($ty:ty: $as:ident, $what:literal;)*) => {$(
        impl FromJson for $ty {
            fn from_json(value: Value) -> Result<Self, JsonError> {
                value
                    .$as()
                    .ok_or_else(|| JsonError::expected($what, &value))
            }
        }
    )*};
}

from_json_via! {
    bool: as_bool, "a boolean";
    u64: as_u64, "an unsigned integer";
    i64: as_i64, "an integer";
    f64: as_f64, "a number";
}

macro_rules! to_json_via_serde {
    ($($ty:ty),*) => {$(
        impl ToJson for $ty {
            fn write_json(&self, out: &mut Writer) {
                out.serde(self);
            }
        }
    )*};
}

to_json_via_serde!(bool, u64, i64);

/// NaN and infinities have no JSON form: they are unset, as `null` is
/// what serde_json writes for them.
impl ToJson for f64 {
    fn write_json(&self, out: &mut Writer) {
        out.serde(self);
    }

    fn is_unset(&self) -> bool {
        !self.is_finite()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::from_json(item).map_err(|e| e.at_index(i)))
                .collect(),
            other => Err(JsonError::expected("an array", &other)),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut Writer) {
        out.0.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.0.push(b',');
            }
            item.write_json(out);
        }
        out.0.push(b']');
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

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Some(value) => value.write_json(out),
            None => out.0.extend_from_slice(b"null"),
        }
    }

    fn is_unset(&self) -> bool {
        self.as_ref().is_none_or(ToJson::is_unset)
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut Writer) {
        T::write_json(self, out);
    }

    fn is_unset(&self) -> bool {
        T::is_unset(self)
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut Writer) {
        T::write_json(self, out);
    }

    fn is_unset(&self) -> bool {
        T::is_unset(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What a generated type looks like, written out by hand.
    #[derive(Debug, PartialEq, Default)]
    struct Room {
        name: String,
        size: u64,
        tags: Vec<String>,
        teacher: Option<String>,
        inner: Option<Box<Room>>,
    }

    impl FromJson for Room {
        fn from_json(value: Value) -> Result<Self, JsonError> {
            let mut members = Members::new(value)?;
            Ok(Room {
                name: members.required("Name")?,
                size: members.defaulted("Size")?,
                tags: members.defaulted("Tags")?,
                teacher: members.optional("Teacher")?,
                inner: members.optional("Inner")?,
            })
        }
    }

    impl ToJson for Room {
        fn write_json(&self, out: &mut Writer) {
            let mut members = out.object();
            members.member("Name", &self.name);
            members.member("Size", &self.size);
            members.member("Tags", &self.tags);
            members.member("Teacher", &self.teacher);
            members.member("Inner", &self.inner);
            members.finish();
        }
    }

    fn decode(value: Value) -> Result<Room, String> {
        Room::from_json(value).map_err(|e| e.to_string())
    }

    fn written<T: ToJson + ?Sized>(value: &T) -> String {
        let mut out = Writer::default();
        value.write_json(&mut out);
        String::from_utf8(out.into_bytes()).expect("JSON text is UTF-8")
    }

    /// The exact bytes a request body is made of: compact, members in the
    /// order the type lists them, unset ones left out, strings escaped.
    #[test]
    fn written_bytes() {
        let room = Room {
            name: "a \"quoted\" \\ 名\n".into(),
            size: 3,
            tags: vec!["x".into(), "y".into()],
            teacher: None,
            inner: Some(Box::new(Room::default())),
        };
        assert_eq!(
            written(&room),
            r#"{"Name":"a \"quoted\" \\ 名\n","Size":3,"Tags":["x","y"],"Inner":{"Name":"","Size":0,"Tags":[]}}"#
        );
        struct Empty;
        impl ToJson for Empty {
            fn write_json(&self, out: &mut Writer) {
                out.object().finish();
            }
        }
        assert_eq!(written(&Empty), "{}");
        assert_eq!(
            written(&vec![Some(1.5), None, Some(f64::NAN)]),
            "[1.5,null,null]"
        );
        assert_eq!(written(&-7i64), "-7");
        assert_eq!(written(&json!({"k": [true, null]})), r#"{"k":[true,null]}"#);
        // A non-finite number has no JSON form: as a member it is unset.
        struct Ratio(f64, Option<f64>);
        impl ToJson for Ratio {
            fn write_json(&self, out: &mut Writer) {
                let mut members = out.object();
                members.member("A", &self.0);
                members.member("B", &self.1);
                members.finish();
            }
        }
        assert_eq!(written(&Ratio(f64::INFINITY, Some(f64::NAN))), "{}");
        assert_eq!(written(&Ratio(0.5, Some(2.0))), r#"{"A":0.5,"B":2.0}"#);
        assert_eq!(Ratio(0.5, None).to_json(), json!({"A": 0.5}));
    }

    #[test]
    fn null_and_missing_are_unset_and_unknown_members_are_ignored() {
        let room = decode(json!({"Name": "a", "Size": null, "Teacher": null, "New": 1})).unwrap();
        assert_eq!(
            room,
            Room {
                name: "a".into(),
                ..Room::default()
            }
        );
        assert_eq!(room.to_json(), json!({"Name": "a", "Size": 0, "Tags": []}));
    }

    #[test]
    fn values_round_trip() {
        let value = json!({"Name": "a", "Size": 3, "Tags": ["x", "y"], "Teacher": "t",
            "Inner": {"Name": "b", "Size": 0, "Tags": []}});
        assert_eq!(decode(value.clone()).unwrap().to_json(), value);
    }

    #[test]
    fn errors_name_the_path_and_the_mismatch() {
        let cases = [
            (json!({}), "at `Name`: missing required member"),
            (json!({"Name": null}), "at `Name`: missing required member"),
            (json!([]), "expected an object, found an array"),
            (
                json!({"Name": 1}),
                "at `Name`: expected a string, found an integer",
            ),
            (
                json!({"Name": "a", "Size": -1}),
                "at `Size`: expected an unsigned integer, found a negative integer",
            ),
            (
                json!({"Name": "a", "Size": 1.5}),
                "at `Size`: expected an unsigned integer, found a fractional number",
            ),
            (
                json!({"Name": "a", "Tags": ["x", false]}),
                "at `Tags[1]`: expected a string, found a boolean",
            ),
            (
                json!({"Name": "a", "Inner": {"Name": "b", "Tags": [1]}}),
                "at `Inner.Tags[0]`: expected a string, found an integer",
            ),
        ];
        for (value, want) in cases {
            assert_eq!(decode(value.clone()).unwrap_err(), want, "{value}");
        }
    }

    #[test]
    fn scalars_accept_exactly_their_range() {
        assert_eq!(i64::from_json(json!(-5)), Ok(-5));
        assert!(i64::from_json(json!(u64::MAX)).is_err());
        assert_eq!(u64::from_json(json!(u64::MAX)), Ok(u64::MAX));
        assert_eq!(f64::from_json(json!(2)), Ok(2.0));
        assert!(bool::from_json(json!("true")).is_err());
        assert_eq!(f64::NAN.to_json(), Value::Null);
    }

    crate::serde_via_json!(Room);

    #[test]
    fn serde_impls_go_through_the_same_rules() {
        let room: Room = serde_json::from_str(r#"{"Name":"a","Size":2}"#).unwrap();
        assert_eq!(room.size, 2);
        let err = serde_json::from_str::<Room>(r#"{"Size":2}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "at `Name`: missing required member");
        assert_eq!(
            serde_json::to_string(&room).unwrap(),
            r#"{"Name":"a","Size":2,"Tags":[]}"#
        );
    }
}
