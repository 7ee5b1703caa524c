//! How to generate a crate: the options every way in reads (the xtask,
//! build scripts, other SDK crates), and the release data a crate carries.
//! They sit above the emitters: [`crate::generate_service`] applies all of
//! them, selection and naming included, before anything is emitted.

use std::collections::BTreeMap;

/// How to generate a crate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The command named in each file's marker line, e.g. `cargo xtask codegen`.
    pub generated_by: String,
    /// Path from the generated crate's directory to the `tencentcloud-runtime`
    /// crate, written into its `Cargo.toml`.
    pub runtime_path: String,
    /// The Cargo package name; `tencentcloud-<service>` when `None`.
    pub crate_name: Option<String>,
    /// Whether the crate is its own workspace (for output outside this
    /// repository's workspace).
    pub standalone: bool,
    /// The crate's version and changelog; `None`: version 0.1.0, no changelog.
    pub release: Option<Release>,
    /// A crate of its own, or files for a crate's `include!`.
    pub layout: Layout,
    /// Emit models and error codes only: no client.
    pub models_only: bool,
    /// Extra derives for every generated struct (e.g. `Eq`, `schemars::JsonSchema`).
    pub derives: Vec<String>,
    /// Extra derives for named structs only, by wire name.
    pub type_derives: BTreeMap<String, Vec<String>>,
    /// Extra attributes for every generated struct, e.g. `#[doc(alias = "…")]`.
    pub attributes: Vec<String>,
    /// Generate only these actions (wire names) and what they reach; all when `None`.
    pub actions: Option<std::collections::BTreeSet<String>>,
    /// Whether the crate may be published (no `publish = false`).
    pub publish: bool,
    /// The `repository` URL written into `Cargo.toml`, if any.
    pub repository: Option<String>,
    /// The `tencentcloud-runtime` version depended on (with the path); by
    /// path alone when `None`.
    pub runtime_version: Option<String>,
    /// Test-only: every action also gets a `Client::<method>_wire_name()`
    /// method, a kind of public item that nothing else in the generator
    /// (the API report included) knows of; the report's tests use it to
    /// show that a new kind of item is reported without new diff code.
    #[doc(hidden)]
    pub probe_items: bool,
}

/// The file [`Layout::Include`] writes for the crate to `include!`.
pub const INCLUDE_FILE: &str = "include.rs";

/// How the generated files are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A whole crate: `Cargo.toml`, `src/lib.rs`, one directory per version.
    #[default]
    Crate,
    /// For build-time generation: `include.rs`, which a crate `include!`s
    /// from `OUT_DIR`, and the leaf files it includes in turn
    /// (`src/<version>/models.rs`, …), identical to a crate's.
    Include,
}

/// A generated crate's version and the entries of its `CHANGELOG.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The Cargo package version.
    pub version: crate::diff::Version,
    /// The changelog's entries, newest first, each starting with `## <version>`.
    pub entries: String,
}

impl Release {
    /// The first release of a crate. It is born with every generator
    /// change so far, so none of them is entered as news later.
    pub fn initial() -> Self {
        let mut entries = String::from("## 0.1.0\n\nFirst generated release.\n");
        for change in crate::diff::GENERATOR_CHANGES {
            entries.push_str(&format!("{}\n", change.marker()));
        }
        Release {
            version: crate::diff::Version::new(0, 1, 0),
            entries,
        }
    }

    /// The entries of a `CHANGELOG.md` this generator wrote (everything from
    /// the first `## ` heading on), if it has any.
    pub fn entries_of(changelog: &str) -> Option<String> {
        let start = if changelog.starts_with("## ") {
            Some(0)
        } else {
            changelog.find("\n## ").map(|i| i + 1)
        };
        start.map(|i| changelog[i..].to_owned())
    }
}

impl Options {
    /// The version the generated crate's `Cargo.toml` and README carry: the
    /// release's, or a first release's when there is none.
    pub fn crate_version(&self) -> crate::diff::Version {
        self.release
            .as_ref()
            .map_or_else(|| Release::initial().version, |r| r.version.clone())
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            generated_by: "tencentcloud-codegen".into(),
            runtime_path: "../../runtime".into(),
            crate_name: None,
            standalone: false,
            release: None,
            layout: Layout::Crate,
            models_only: false,
            derives: Vec::new(),
            type_derives: BTreeMap::new(),
            attributes: Vec::new(),
            actions: None,
            publish: false,
            repository: None,
            runtime_version: None,
            probe_items: false,
        }
    }
}
