//! The validated model the emitters work from. No string in here needs
//! interpreting any more: types are resolved, names are final, order is fixed.

pub use crate::resolve::first_page::{FirstPage, Source as FirstPageSource};
pub use crate::resolve::pagination::{PagePattern, Pagination, Paging, Place};
pub use crate::resolve::retry::{ClientTokenUse, TokenReason};
pub use crate::resolve::streaming::{OctetStream, StreamSource, Streaming};

/// One service: one generated crate, with one module per API version.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// `metadata.serviceShortName`: the endpoint and signing name (`lcic`, `as`).
    pub short_name: String,
    /// The Cargo package name (`tencentcloud-lcic`).
    pub crate_name: String,
    /// The Chinese product name from the spec, when it has one.
    pub name_cn: Option<String>,
    /// A description of the service, when the spec has one.
    pub brief: Option<String>,
    /// Its API versions, oldest first; the last one is re-exported at the root.
    pub versions: Vec<ApiVersion>,
}

impl Service {
    /// The newest version, re-exported at the crate root.
    pub fn newest(&self) -> &ApiVersion {
        self.versions
            .last()
            .expect("a service is resolved from at least one version")
    }
}

/// One API version of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiVersion {
    /// The wire version, `2022-08-17`.
    pub version: String,
    /// Its module, `v20220817`.
    pub module: String,
    /// The spec directory it was read from (where its `names.json` lives).
    pub spec_dir: std::path::PathBuf,
    /// The documented international domain, when the spec directory records it.
    pub intl_endpoint: Option<String>,
    /// Actions, sorted by wire name.
    pub actions: Vec<Action>,
    /// Objects, sorted by wire name; [`ObjectId`] indexes this.
    pub objects: Vec<Object>,
    /// Error codes, sorted by wire code; [`ErrorId`] indexes this.
    pub errors: Vec<ErrorCode>,
    /// Examples to turn into tests, by action then position.
    pub examples: Vec<Example>,
    /// The names this version must remember so that the next release of
    /// its spec keeps them (`names.json`; see [`crate::naming`]).
    pub names: crate::load::NamesFile,
}

impl ApiVersion {
    /// The examples that disagree with the spec: `(action, example number,
    /// "request" or "response", reason)`, in order.
    pub fn skipped_examples(&self) -> Vec<(&str, usize, &'static str, &str)> {
        let mut skipped = Vec::new();
        for e in &self.examples {
            let action = self.actions[e.action].wire_name.as_str();
            if let Checked::Skipped(reason) = &e.request {
                skipped.push((action, e.index, "request", reason.as_str()));
            }
            if let Checked::Skipped(reason) = &e.response {
                skipped.push((action, e.index, "response", reason.as_str()));
            }
        }
        skipped
    }
}

/// Index into [`ApiVersion::objects`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId(pub usize);

/// Index into [`ApiVersion::errors`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ErrorId(pub usize);

/// One action: one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// `BatchCreateRoom`.
    pub wire_name: String,
    /// `batch_create_room`.
    pub method: String,
    /// The spec's short title.
    pub title: String,
    /// What it does.
    pub doc: String,
    /// Its request object.
    pub input: ObjectId,
    /// Its response object.
    pub output: ObjectId,
    /// `status: deprecated`.
    pub deprecated: bool,
    /// Documented requests per second, when known.
    pub rate_limit: Option<u32>,
    /// Whether calling it twice is safe, and why.
    pub idempotence: Idempotence,
    /// What its request's `ClientToken` is, when it has one.
    pub client_token: Option<ClientTokenUse>,
    /// The error codes it documents, sorted.
    pub errors: Vec<ErrorId>,
    /// Whether and how it is paged (see [`super::pagination`]).
    pub paging: Paging,
    /// Its stream method, when it can answer with Server-Sent Events.
    pub streaming: Option<Streaming>,
    /// Its bytes method, when it takes raw bytes with its members in headers.
    pub octet_stream: Option<OctetStream>,
}

/// Whether an action is safe to call twice, decided from its request and
/// its name, and why; the runtime retries failures after sending only for
/// idempotent actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotence {
    /// Its request has a `ClientToken` string member that its docs describe
    /// as an idempotency key, which lets the service recognise a repeated
    /// call; the runtime fills it when unset.
    ClientToken,
    /// Read-only by Tencent's naming convention (`Describe…`, `Get…`,
    /// `List…`, `Query…`, `Inquir…`).
    ReadOnly,
    /// Anything else: running it twice could act twice.
    NotIdempotent,
}

impl Idempotence {
    /// Whether a call that may have reached the server can be sent again.
    pub fn is_idempotent(self) -> bool {
        self != Idempotence::NotIdempotent
    }
}

/// One object: one struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// The spec's name.
    pub wire_name: String,
    /// The struct name.
    pub rust_name: String,
    /// What it is.
    pub doc: String,
    /// Whether a request can contain it (so it needs constructors and setters).
    pub sent: bool,
    /// Whether a response can contain it (so decoding must be lenient).
    pub received: bool,
    /// Its fields, in the spec's order.
    pub fields: Vec<Field>,
}

impl Object {
    /// Fields a caller must supply to build one: the fields of its
    /// `required::` struct, the argument of `new`.
    pub fn constructor_fields(&self) -> impl Iterator<Item = &Field> + Clone {
        self.fields
            .iter()
            .filter(|f| f.presence != Presence::Optional)
    }

    /// Whether requests carry it and it has members a caller must supply,
    /// so it has a `required::` struct and `new` takes one.
    pub fn has_required(&self) -> bool {
        self.sent && self.constructor_fields().next().is_some()
    }

    /// Whether every field has a default, so the struct can derive `Default`.
    pub fn has_default(&self) -> bool {
        self.fields.iter().all(|f| f.presence != Presence::Required)
    }
}

/// How a field is represented, decided from `required` and the object's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`: required in a request-only object; must be given to `new`.
    Required,
    /// `T` that must be given to `new`, but decodes as `T::default()` when a
    /// response leaves it out or sends `null` (required members of objects
    /// that travel both ways).
    Defaulted,
    /// `Option<T>`: not sent when `None`; `None` when missing or `null`.
    Optional,
}

/// One member: one struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The exact wire name.
    pub wire_name: String,
    /// The field name.
    pub rust_name: String,
    /// What it means.
    pub doc: String,
    /// Its type.
    pub ty: Type,
    /// How it is represented.
    pub presence: Presence,
    /// The spec's `required` flag, as published.
    pub required: bool,
    /// `disabled: true` in the spec.
    pub deprecated: bool,
    /// Whether the value must be boxed to break a recursive type.
    pub boxed: bool,
    /// Whether it holds a secret, printed redacted by `Debug`.
    pub sensitive: bool,
}

/// A scalar: the leaf types of Tencent's type system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// `string/string` → `String`.
    String,
    /// `int/int64` → `i64`.
    Int64,
    /// `int/uint64` → `u64`.
    Uint64,
    /// `float/float` → `f64`.
    Float,
    /// `bool/bool` → `bool`.
    Bool,
    /// `string/datetime` → `String` holding `YYYY-MM-DD hh:mm:ss`.
    DateTime,
    /// `string/datetime_iso` → `String` holding ISO 8601 (`2020-09-22T00:00:00+00:00`).
    DateTimeIso,
    /// `string/date` → `String` holding `YYYY-MM-DD`.
    Date,
    /// `binary/binary` → `String` holding base64.
    Binary,
}

/// Every scalar with the spec's `type`/`member` pair for it, and whether a
/// `list` of it is published (`list`/`int64`); the one table the loader,
/// its error messages and the diff read.
const SCALARS: [(Scalar, &str, &str, bool); 9] = [
    (Scalar::String, "string", "string", true),
    (Scalar::DateTime, "string", "datetime", false),
    (Scalar::DateTimeIso, "string", "datetime_iso", false),
    (Scalar::Date, "string", "date", false),
    (Scalar::Int64, "int", "int64", true),
    (Scalar::Uint64, "int", "uint64", true),
    (Scalar::Float, "float", "float", true),
    (Scalar::Bool, "bool", "bool", true),
    (Scalar::Binary, "binary", "binary", false),
];

/// The spec's `type` of a list and of an object member.
pub const LIST_TYPE: &str = "list";
/// See [`LIST_TYPE`].
pub const OBJECT_TYPE: &str = "object";

impl Scalar {
    /// The scalar of a member whose spec `type` is `kind` and `member` is
    /// `member` (`int`, `uint64`).
    pub fn from_spec(kind: &str, member: &str) -> Option<Scalar> {
        SCALARS
            .iter()
            .find(|(_, k, m, _)| *k == kind && *m == member)
            .map(|(scalar, ..)| *scalar)
    }

    /// The scalar of a list member whose spec `member` is `member`.
    pub fn list_element(member: &str) -> Option<Scalar> {
        SCALARS
            .iter()
            .find(|(_, _, m, listed)| *listed && *m == member)
            .map(|(scalar, ..)| *scalar)
    }

    /// The spec's `type/member` pair, for messages (`int/uint64`).
    pub fn spec_name(self) -> String {
        let (_, kind, member, _) = SCALARS
            .iter()
            .find(|(scalar, ..)| *scalar == self)
            .expect("SCALARS lists every Scalar");
        format!("{kind}/{member}")
    }

    /// Every spec `type` the generator knows, for suggestions.
    pub fn spec_kinds() -> Vec<&'static str> {
        let mut kinds: Vec<&str> = SCALARS.iter().map(|(_, kind, ..)| *kind).collect();
        kinds.dedup();
        kinds.extend([LIST_TYPE, OBJECT_TYPE]);
        kinds
    }

    /// Every `type/member` pair the generator knows, as an error message
    /// lists them.
    pub fn known_pairs() -> String {
        let pairs = SCALARS
            .iter()
            .map(|(_, kind, member, _)| format!("{kind}/{member}"));
        let lists = SCALARS
            .iter()
            .filter(|(.., listed)| *listed)
            .map(|(_, _, member, _)| *member);
        let list = format!(
            "{LIST_TYPE}/({}|<object>)",
            lists.collect::<Vec<_>>().join("|")
        );
        let mut known: Vec<String> = pairs.collect();
        known.extend([list, format!("{OBJECT_TYPE}/<object>")]);
        known.join(", ")
    }

    /// The Rust type that carries it: the one mapping every consumer reads.
    pub fn rust(self) -> RustType {
        match self {
            Scalar::Int64 => RustType::I64,
            Scalar::Uint64 => RustType::U64,
            Scalar::Float => RustType::F64,
            Scalar::Bool => RustType::Bool,
            Scalar::String
            | Scalar::DateTime
            | Scalar::DateTimeIso
            | Scalar::Date
            | Scalar::Binary => RustType::String,
        }
    }

    /// The value format a string scalar carries, for its docs.
    pub fn format_note(self) -> Option<&'static str> {
        match self {
            Scalar::DateTime => Some("Format: `YYYY-MM-DD hh:mm:ss` (a date-time string)."),
            Scalar::DateTimeIso => {
                Some("Format: ISO 8601 date-time, e.g. `2020-09-22T00:00:00+00:00`.")
            }
            Scalar::Date => Some("Format: `YYYY-MM-DD`."),
            Scalar::Binary => Some("Format: base64-encoded bytes."),
            _ => None,
        }
    }
}

/// A member's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// A leaf value.
    Scalar(Scalar),
    /// A struct.
    Object(ObjectId),
    /// A list of a leaf value or a struct.
    List(Box<Type>),
}

impl Type {
    /// The object this type holds, directly or as list elements.
    pub fn object(&self) -> Option<ObjectId> {
        match self {
            Type::Scalar(_) => None,
            Type::Object(id) => Some(*id),
            Type::List(inner) => inner.object(),
        }
    }
}

/// A Rust type as generated code spells it. Decided here, from the spec
/// type, the field's presence and boxing; rendered once, in `emit::types`: as tokens for the
/// emitters, as text ([`RustType::render`]) for the diff and the benchmark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// `String`
    String,
    /// `i64`
    I64,
    /// `u64`
    U64,
    /// `f64`
    F64,
    /// `bool`
    Bool,
    /// A generated struct.
    Struct(ObjectId),
    /// `Vec<T>`
    Vec(Box<RustType>),
    /// `Box<T>`
    Box(Box<RustType>),
    /// `Option<T>`
    Option(Box<RustType>),
}

impl RustType {
    /// The type of a value of `ty` (`boxed`: behind a `Box`).
    pub fn of(ty: &Type, boxed: bool) -> RustType {
        match ty {
            Type::Scalar(scalar) => scalar.rust(),
            Type::Object(id) if boxed => RustType::Box(Box::new(RustType::Struct(*id))),
            Type::Object(id) => RustType::Struct(*id),
            Type::List(inner) => RustType::Vec(Box::new(RustType::of(inner, false))),
        }
    }
}

impl Field {
    /// The field's value type, `Option` excluded (boxed where recursion needs it).
    pub fn value_type(&self) -> RustType {
        RustType::of(&self.ty, self.boxed)
    }

    /// The field's declared type.
    pub fn rust_type(&self) -> RustType {
        match self.presence {
            Presence::Optional => RustType::Option(Box::new(self.value_type())),
            Presence::Required | Presence::Defaulted => self.value_type(),
        }
    }
}

/// One error code: one `ErrorCode` variant.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    /// The wire code, `FailedOperation.ClassStarted`.
    pub code: String,
    /// The variant, `FailedOperationClassStarted`.
    pub variant: String,
    /// What it means.
    pub description: String,
}

/// One `examples.json` example, checked against the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The action it belongs to.
    pub action: usize,
    /// 1-based position among the action's examples.
    pub index: usize,
    /// Its title.
    pub title: String,
    /// The request body, or why it cannot be tested.
    pub request: Checked<String>,
    /// The response body, or why it cannot be tested.
    pub response: Checked<ExampleResponse>,
}

/// An example part that agrees with the spec, or the reason it does not.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked<T> {
    /// Agrees with the spec; becomes a test.
    Ok(T),
    /// Does not; the reason is reported and no test is generated.
    Skipped(String),
}

/// A response example: a success body or an error envelope.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleResponse {
    /// `{"Response": {...}}` decoding into the output type.
    Success(String),
    /// `{"Response": {"Error": {"Code": ...}}}` with this code.
    Error {
        /// The full body.
        body: String,
        /// The code it carries.
        code: String,
    },
    /// A stream of Server-Sent Events, each `data` an object of the output
    /// type (no `Response` wrapper).
    Stream {
        /// The stream, from its first field line.
        text: String,
        /// How many events it carries.
        events: usize,
    },
}
