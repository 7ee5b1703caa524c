//! Load: serde structs that mirror Tencent's published JSON, one file each.
//!
//! Nothing here interprets the spec; it only reads it. Unknown fields are
//! ignored so that a newer upstream file with extra keys still loads.

mod api;
mod errors;
mod examples;
mod names;
mod overlay;

pub use api::{Action, ApiFile, Member, Metadata, Object};
pub use errors::{ErrorEntry, ErrorsFile};
pub use examples::{Example, ExamplesFile};
pub use names::{NameMap, NamesFile};
pub use overlay::{ActionOverlay, ClientTokenOverlay, Overlay};

use crate::Error;
use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// The file names of a spec directory.
pub const API_FILE: &str = "api.json";
/// Error codes: optional.
pub const ERRORS_FILE: &str = "errors.json";
/// Request/response examples: optional.
pub const EXAMPLES_FILE: &str = "examples.json";
/// This project's additions that upstream api.json lacks: optional.
pub const OVERLAY_FILE: &str = "overlay.json";
/// The Rust names handed out before, kept by `cargo xtask codegen`: optional.
pub const NAMES_FILE: &str = "names.json";
/// Every file a spec directory may hold, `api.json` first: what is copied,
/// watched and read back from history as "the spec".
pub const SPEC_FILES: &[&str] = &[
    API_FILE,
    ERRORS_FILE,
    EXAMPLES_FILE,
    OVERLAY_FILE,
    NAMES_FILE,
];

/// One spec directory as read from disk: `api.json` and its optional companions.
#[derive(Debug)]
pub struct SpecFiles {
    /// The directory.
    pub dir: PathBuf,
    /// `api.json`.
    pub api: ApiFile,
    /// `errors.json`, when present.
    pub errors: Option<ErrorsFile>,
    /// `examples.json`, when present.
    pub examples: Option<ExamplesFile>,
    /// `overlay.json`, when present.
    pub overlay: Option<Overlay>,
    /// `names.json`, when present.
    pub names: Option<NamesFile>,
}

impl SpecFiles {
    /// The path of one of this directory's files, for error messages.
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }
}

/// Reads a spec directory. `api.json` is required; the others are optional.
pub fn load_dir(dir: &Path) -> Result<SpecFiles, Error> {
    let api_path = dir.join(API_FILE);
    if !api_path.is_file() {
        return Err(Error::Layout {
            path: dir.to_owned(),
            message: format!("no {API_FILE} here: a spec directory holds {API_FILE} (and optionally {ERRORS_FILE}, {EXAMPLES_FILE}, {OVERLAY_FILE}, {NAMES_FILE})"),
        });
    }
    Ok(SpecFiles {
        dir: dir.to_owned(),
        api: read_json(&api_path)?,
        errors: read_optional(&dir.join(ERRORS_FILE))?,
        examples: read_optional(&dir.join(EXAMPLES_FILE))?,
        overlay: read_optional(&dir.join(OVERLAY_FILE))?,
        names: read_optional(&dir.join(NAMES_FILE))?,
    })
}

fn read_optional<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, Error> {
    if path.exists() {
        read_json(path).map(Some)
    } else {
        Ok(None)
    }
}

/// Reads and parses one JSON file; syntax and shape errors carry line:column.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_json(path, &text)
}

/// Parses JSON text that came from `path` (used for messages only).
pub fn parse_json<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|err| Error::json(path, &err))
}

/// Deserializes a flag that Tencent's files write as a boolean, or as the
/// integer `1` or `0` (seen in published `api.json` files, e.g. databuddy
/// 2026-07-15: `"required": 1`). Tencent's own tools read these as true
/// and false; any other value (`2`, `"yes"`) is an error, not a guess.
/// `null` reads as absent.
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    struct Flag;

    impl<'de> Visitor<'de> for Flag {
        type Value = Option<bool>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a boolean, or 1 or 0")
        }

        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            match v {
                0 => Ok(Some(false)),
                1 => Ok(Some(true)),
                _ => Err(E::invalid_value(serde::de::Unexpected::Unsigned(v), &self)),
            }
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            match u64::try_from(v) {
                Ok(v) => self.visit_u64(v),
                Err(_) => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
            }
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Flag)
        }
    }

    deserializer.deserialize_any(Flag)
}

/// Deserializes a JSON object into a `BTreeMap`, rejecting duplicate keys.
///
/// serde_json would silently keep the last of two equal keys; in a spec that
/// means one object or action silently vanishes, so it is an error here.
pub(crate) fn unique_map<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct UniqueMap<V>(PhantomData<V>);

    impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueMap<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
            let mut map = BTreeMap::new();
            while let Some(key) = access.next_key::<String>()? {
                if map.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate name `{key}`")));
                }
                let value = access.next_value()?;
                map.insert(key, value);
            }
            Ok(map)
        }
    }

    deserializer.deserialize_map(UniqueMap(PhantomData))
}
