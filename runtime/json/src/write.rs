//! Encoding: [`ToJson`], the [`Writer`] and [`MembersOut`] generated impls
//! call, and the impls for the standard types members are made of.

use super::Value;
use serde::Serialize;

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
