//! [`JsonError`]: what did not have the expected shape, and where.

use super::Value;
use std::fmt;

/// A value that did not have the shape its type expects, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Path segments from the innermost outwards (errors are built as the
    /// decoder unwinds).
    path: Vec<Segment>,
    reason: String,
    /// An object or a list was expected and `""` was found: what an
    /// optional member may stand for "unset" with ([`super::read`]).
    empty_for_container: bool,
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
            empty_for_container: false,
        }
    }

    /// An object or a list (`what`) was expected and `found` is not one.
    pub(super) fn expected_container(what: &str, found: &Value) -> Self {
        JsonError {
            empty_for_container: matches!(found, Value::String(s) if s.is_empty()),
            ..JsonError::expected(what, found)
        }
    }

    /// Whether the value itself (not one inside it) was `""` where an
    /// object or a list was expected: the `""`-for-an-unset-container rule.
    ///
    /// Tencent's answers sometimes give an unset object or list member as
    /// `""`; an optional (or defaulted) member that fails to decode with
    /// this error is unset, as `null` is ([`Members`](crate::Members) reads
    /// it so). A `""` anywhere else (a required member, an item of a list,
    /// a member inside the value) stays an error.
    ///
    /// ```
    /// use tencentcloud_json::{FromJson, Value};
    ///
    /// let err = <Vec<u64>>::from_json(Value::from("")).unwrap_err();
    /// assert!(err.is_empty_for_container());
    /// let err = <Vec<u64>>::from_json(serde_json::json!([""])).unwrap_err();
    /// assert!(!err.is_empty_for_container(), "inside the list");
    /// let err = u64::from_json(Value::from("")).unwrap_err();
    /// assert!(!err.is_empty_for_container(), "not a container");
    /// ```
    pub fn is_empty_for_container(&self) -> bool {
        self.empty_for_container && self.path.is_empty()
    }

    pub(super) fn expected(what: &str, found: &Value) -> Self {
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

    pub(super) fn at_member(mut self, key: &'static str) -> Self {
        self.path.push(Segment::Member(key));
        self
    }

    pub(super) fn at_index(mut self, index: usize) -> Self {
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
