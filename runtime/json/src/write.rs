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
///
/// A writer can also fill members of the outermost object as it is
/// written, in the one pass that writes the body: the client token of a
/// request ([`filling`](Writer::filling)), or a member a call sets whatever
/// the request says, such as the `Stream` flag of a streaming call
/// ([`setting`](Writer::setting)).
#[derive(Debug, Default, Clone)]
pub struct Writer {
    bytes: Vec<u8>,
    /// The members to fill, in the order given; each member once.
    fills: Vec<Fill>,
}

/// A member a [`Writer`] fills, and with what.
#[derive(Debug, Clone)]
struct Fill {
    member: Box<str>,
    /// The JSON text written as the member's value.
    raw: Vec<u8>,
    /// Whether a non-empty string the object writes there is kept instead
    /// of `raw` (a caller's own client token).
    keeps_own_string: bool,
    /// What the member was written with, once it was: for a string, the
    /// string unescaped; for any other value, its JSON text.
    sent: Option<String>,
}

impl Writer {
    /// An empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Writer {
            bytes: Vec::with_capacity(capacity),
            ..Writer::default()
        }
    }

    /// This writer, filling `member` of the outermost object it writes with
    /// `token` unless that member is written as a non-empty string (the
    /// caller's own token, which is kept).
    ///
    /// The member is filled where the object writes it: unset, `""` or not a
    /// string, it is written as `token` instead; never written, it is added
    /// last. Members of nested objects are written as they are, whatever
    /// their name, and so is every other byte: the body is the one the
    /// object writes by itself, with the member set.
    /// [`filled_token`](Self::filled_token) tells which token was written.
    /// A writer may fill several members (see [`setting`](Self::setting));
    /// naming a member again replaces what it was to be filled with.
    ///
    /// ```
    /// use tencentcloud_json::{ToJson, Value, Writer};
    ///
    /// let request: Value = serde_json::json!({"Zone": "z", "Count": 1.0});
    /// let mut out = Writer::default().filling("ClientToken", "t-1".into());
    /// request.write_json(&mut out);
    /// assert_eq!(out.filled_token(), Some("t-1"));
    /// assert_eq!(out.as_bytes(), br#"{"Count":1.0,"Zone":"z","ClientToken":"t-1"}"#);
    /// ```
    #[must_use]
    pub fn filling(self, member: &str, token: String) -> Self {
        let mut raw = Vec::with_capacity(token.len() + 2);
        write_serde(&mut raw, token.as_str());
        self.fill(member, raw, true)
    }

    /// This writer, writing `member` of the outermost object as `value`,
    /// whatever the object writes there: where the object writes the
    /// member (set or not), `value` is written instead; never written, it is
    /// added last. Every other byte is the one the object writes by itself,
    /// nested objects' members of the same name included. `value` is encoded
    /// once, now.
    ///
    /// A streaming call sets its request's stream member so: the member is
    /// `true` whatever the request holds.
    ///
    /// ```
    /// use tencentcloud_json::{ToJson, Value, Writer};
    ///
    /// let request: Value = serde_json::json!({"Stream": false, "Model": "m"});
    /// let mut out = Writer::default()
    ///     .setting("Stream", &true)
    ///     .filling("ClientToken", "t-1".into());
    /// request.write_json(&mut out);
    /// assert_eq!(
    ///     out.as_bytes(),
    ///     br#"{"Model":"m","Stream":true,"ClientToken":"t-1"}"#
    /// );
    /// ```
    #[must_use]
    pub fn setting<T: ToJson + ?Sized>(self, member: &str, value: &T) -> Self {
        let mut text = Writer::default();
        value.write_json(&mut text);
        self.fill(member, text.bytes, false)
    }

    /// The token the member given to [`filling`](Self::filling) was
    /// written with (the first such member, when there are several): the
    /// one the object wrote, unescaped, or the one given to fill it. `None`
    /// until the outermost object is finished, and when there is no member
    /// to fill or no object was written.
    pub fn filled_token(&self) -> Option<&str> {
        self.fills
            .iter()
            .find(|fill| fill.keeps_own_string)?
            .sent
            .as_deref()
    }

    /// Starts an object; its members follow, then [`MembersOut::finish`].
    pub fn object(&mut self) -> MembersOut<'_> {
        // The outermost object is the one the text starts with; any other
        // is inside it (or inside an array).
        let outermost = self.bytes.is_empty();
        self.bytes.push(b'{');
        MembersOut {
            out: self,
            empty: true,
            outermost,
        }
    }

    /// What was written.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// What was written, as owned bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// This writer, filling `member` with the JSON text `raw`.
    fn fill(mut self, member: &str, raw: Vec<u8>, keeps_own_string: bool) -> Self {
        self.fills.retain(|fill| &*fill.member != member);
        self.fills.push(Fill {
            member: member.into(),
            raw,
            keeps_own_string,
            sent: None,
        });
        self
    }

    /// Writes a value serde_json knows how to write (strings escaped,
    /// numbers as it prints them).
    fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        write_serde(&mut self.bytes, value);
    }

    /// Whether an object begun now is the outermost one, with a member
    /// still to fill.
    fn fills_next_object(&self) -> bool {
        self.bytes.is_empty() && self.pending().next().is_some()
    }

    /// Whether `key`, a member of the outermost object, is one to fill
    /// and has not been written yet.
    fn fills(&self, key: &str) -> bool {
        self.pending().any(|member| member == key)
    }

    /// The members to fill that are still to write.
    fn pending(&self) -> impl Iterator<Item = &str> {
        self.fills
            .iter()
            .filter(|fill| fill.sent.is_none())
            .map(|fill| &*fill.member)
    }

    /// Settles the value of `key`, a member to fill whose value was written
    /// since `start`: kept if the member keeps a non-empty string and that
    /// is what was written, else replaced by the value to fill.
    fn settle_fill(&mut self, key: &str, start: usize) {
        let Writer { bytes, fills } = self;
        let fill = fills
            .iter_mut()
            .find(|fill| &*fill.member == key && fill.sent.is_none())
            .expect("invariant: a member is settled only when it is one still to fill");
        let own = if fill.keeps_own_string {
            serde_json::from_slice::<String>(&bytes[start..]).ok()
        } else {
            None
        };
        let sent = match own {
            Some(written) if !written.is_empty() => written,
            _ => {
                bytes.truncate(start);
                bytes.extend_from_slice(&fill.raw);
                // The value was encoded from a string or a `ToJson`:
                // UTF-8 JSON text, a string's unescaped.
                serde_json::from_slice::<String>(&fill.raw)
                    .unwrap_or_else(|_| String::from_utf8_lossy(&fill.raw).into_owned())
            }
        };
        fill.sent = Some(sent);
    }
}

/// Writes `value` as serde_json writes it to `bytes`.
fn write_serde<T: Serialize + ?Sized>(bytes: &mut Vec<u8>, value: &T) {
    serde_json::to_writer(bytes, value)
        .expect("invariant: writing strings, numbers and values to a Vec cannot fail");
}

/// Writes the members of one object, for a generated [`ToJson`] impl.
#[derive(Debug)]
#[must_use = "an object is complete only after `finish`"]
pub struct MembersOut<'a> {
    out: &'a mut Writer,
    empty: bool,
    /// Whether this is the outermost object, whose members a filling
    /// [`Writer`] fills.
    outermost: bool,
}

impl MembersOut<'_> {
    /// Writes `key` and `value`, unless `value` is unset (an empty `Option`).
    pub fn member<T: ToJson + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.fills(key) {
            self.fill(key, value);
        } else if !value.is_unset() {
            self.entry(key, value);
        }
    }

    /// Ends the object.
    pub fn finish(mut self) {
        if self.outermost {
            // Never written: the members are added last, in the order given.
            let missing: Vec<String> = self.out.pending().map(str::to_owned).collect();
            for member in missing {
                self.fill(&member, &None::<String>);
            }
        }
        self.out.bytes.push(b'}');
    }

    /// Whether `key` is a member this object fills.
    fn fills(&self, key: &str) -> bool {
        self.outermost && self.out.fills(key)
    }

    /// Writes a member to fill: `value`, if the member keeps what the
    /// object writes and `value` writes as a non-empty string, else the
    /// writer's value. `value` is written before it is judged so that any
    /// type the member has is judged by its JSON text.
    fn fill<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        let start = self.key(key);
        if !value.is_unset() {
            value.write_json(self.out);
        }
        self.out.settle_fill(key, start);
    }

    /// Writes `key` and `value`, set or not.
    fn entry<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        self.key(key);
        value.write_json(self.out);
    }

    /// Writes `key` and its colon; where its value starts.
    fn key(&mut self, key: &str) -> usize {
        if !self.empty {
            self.out.bytes.push(b',');
        }
        self.empty = false;
        self.out.serde(key);
        self.out.bytes.push(b':');
        self.out.bytes.len()
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut Writer) {
        match self {
            // A request given as a `Value` (a generic call) gets its member
            // filled too: its members are written one by one, each exactly
            // as serde_json writes it, `null` included.
            Value::Object(members) if out.fills_next_object() => {
                let mut object = out.object();
                for (key, value) in members {
                    if object.fills(key) {
                        object.fill(key, value);
                    } else {
                        object.entry(key, value);
                    }
                }
                object.finish();
            }
            _ => out.serde(self),
        }
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
        out.bytes.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.bytes.push(b',');
            }
            item.write_json(out);
        }
        out.bytes.push(b']');
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Some(value) => value.write_json(out),
            None => out.bytes.extend_from_slice(b"null"),
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
