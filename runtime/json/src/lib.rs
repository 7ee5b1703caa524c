//! # tencentcloud-json
//!
//! The JSON rules of the generated Tencent Cloud models, in one small crate
//! so that the generated code (through `tencentcloud-runtime`, which
//! re-exports this crate as `tencentcloud_runtime::json`) and the generator
//! itself (checking the examples of the spec) decode by the very same rules.
//!
//! Generated types implement [`ToJson`] and [`FromJson`] with one line per
//! member. With their crate's `serde` feature they implement serde's
//! `Serialize`/`Deserialize` too, through [`Value`]
//! ([`serde_via_json!`](crate::serde_via_json)); without it, [`Serde`] gives
//! any of them serde's traits where you need them. serde's derived visitors
//! would do the same job with several times the code per struct, and a crate with a thousand structs pays for
//! that code on every clean build (see `BENCHMARKS.md`). The client never
//! goes through serde's generic path: a request writes itself straight to
//! the body's bytes ([`ToJson::write_json`], members in the order the spec
//! lists them), and an answer is parsed into a [`Value`] once, in the
//! runtime, from which the response type takes its members.
//!
//! The rules, the same for every generated type:
//! - a missing member and a `null` member are the same thing: unset;
//! - unknown members are ignored, so a new member in a response never breaks
//!   decoding;
//! - numbers must fit the member's type (`u64` rejects `-1` and `1.5`);
//! - unset members are left out when encoding.
//!
//! Decoding tolerates, and only these, the disagreements with the spec that
//! Tencent's own published answers show, where the meaning is plain:
//! - an integer or float member given as a string holding exactly one JSON
//!   number (`"10"`, `"-1.5e3"`; no spaces), read by the rules above: the
//!   lenient number rule, [`number_in`];
//! - a string member given as a number, kept as its JSON text (`10` → `"10"`),
//!   exactly as written when the answer was parsed by [`parse`], as the
//!   client parses every answer (`1.50` → `"1.50"`,
//!   `123456789012345678901234` → `"123456789012345678901234"`, which a
//!   double would round);
//! - `""` for an optional (or defaulted) object or list member: unset, as
//!   `null` is ([`JsonError::is_empty_for_container`]).
//!
//! Each rule is written once, in the [`FromJson`] impls of the standard
//! types (`u64`, `i64`, `f64`, `bool`, `String`, `Vec<T>`, `Option<T>`) and
//! in [`Members`]; code outside the generated models that must judge a
//! value as decoding would (the generator's check of the spec's examples)
//! calls those impls, e.g. `<u64 as FromJson>::from_json(value)`.
//!
//! Anything else that does not match (a boolean for a number, `"x"` for a
//! number, an object for a list, `""` for a required object or inside a
//! list) is an error naming the JSON path.
//!
//! Where things are: decoding in `read.rs` ([`FromJson`], [`Members`] and
//! the impls for standard types), encoding in `write.rs` ([`ToJson`],
//! [`Writer`], [`MembersOut`] and theirs), [`JsonError`] in `error.rs`, and
//! the serde glue ([`serialize`], [`deserialize`], [`Serde`],
//! [`serde_via_json!`](crate::serde_via_json)) here.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
/// What `serde_via_json!` expands to reaches serde through here, so the
/// crates that call it (through `tencentcloud-runtime`) need no `serde` of
/// their own. Not for use by hand.
#[doc(hidden)]
pub mod __private {
    pub use serde;
}
pub use serde_json::Value;

mod error;
mod read;
mod secret;
mod write;

pub use error::JsonError;
pub use read::{number_in, parse, FromJson, Members};
pub use secret::{is_secret_name, redact_secrets, NOT_SECRET, REDACTED, SECRET_ENDINGS};
pub use write::{MembersOut, ToJson, Writer};

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

/// serde's `Serialize` and `Deserialize` for any type with [`ToJson`] and
/// [`FromJson`] (every generated type), whether or not its crate's `serde`
/// feature is on: the wrapper encodes and decodes exactly as the type's own
/// serde impls do with the feature.
///
/// ```
/// use tencentcloud_json::{FromJson, JsonError, Members, Serde, ToJson, Value, Writer};
///
/// // What a generated type looks like, written out by hand.
/// #[derive(Debug, PartialEq)]
/// struct Room { name: String, size: Option<u64> }
///
/// impl ToJson for Room {
///     fn write_json(&self, out: &mut Writer) {
///         let mut members = out.object();
///         members.member("Name", &self.name);
///         members.member("Size", &self.size);
///         members.finish();
///     }
/// }
///
/// impl FromJson for Room {
///     fn from_json(value: Value) -> Result<Self, JsonError> {
///         let mut members = Members::new(value)?;
///         let room = Room { name: members.read_required("Name"), size: members.read_optional("Size") };
///         members.finish(room)
///     }
/// }
///
/// let room = Room { name: "math".into(), size: None };
/// // Serialize borrows, through `Serde(&value)`:
/// assert_eq!(serde_json::to_string(&Serde(&room)).unwrap(), r#"{"Name":"math"}"#);
/// // Deserialize gives `Serde<T>`; `.0` is the value:
/// let Serde(back): Serde<Room> = serde_json::from_str(r#"{"Name":"math","Size":3}"#).unwrap();
/// assert_eq!(back, Room { name: "math".into(), size: Some(3) });
/// // Any container of them, as one value:
/// let rooms: Serde<Vec<Room>> = serde_json::from_str(r#"[{"Name":"a"}]"#).unwrap();
/// assert_eq!(rooms.0.len(), 1);
/// // Decoding errors name the JSON path, as the generated types' own do:
/// let err = serde_json::from_str::<Serde<Room>>(r#"{"Size":3}"#).unwrap_err();
/// assert_eq!(err.to_string(), "at `Name`: missing required member");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Serde<T>(pub T);

impl<T: ToJson> Serialize for Serde<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(&self.0, serializer)
    }
}

impl<'de, T: FromJson> Deserialize<'de> for Serde<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer).map(Serde)
    }
}

/// Implements serde's `Serialize` and `Deserialize` for types that
/// implement [`ToJson`] and [`FromJson`], through [`serialize`] and
/// [`deserialize`]. A generated models file calls it once, for all its
/// types, behind its crate's `serde` feature (which needs no dependency of
/// its own: the macro reaches serde through this crate, and works called
/// as `tencentcloud_runtime::serde_via_json!`, by crates that depend on the
/// runtime only).
#[macro_export]
macro_rules! serde_via_json {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::serialize(self, serializer)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::deserialize(deserializer)
            }
        }
    )*};
}

#[cfg(test)]
mod tests;
