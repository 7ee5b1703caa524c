//! The release manifest (`release/manifest.toml` unless `--manifest`
//! names another): for every service released, its crate's name, the
//! version released, a digest of the spec it was made from and its
//! changelog. `cargo xtask release` reads and updates it; `check-names`
//! reads it.

use anyhow::Context as _;
use codegen::diff::Version;
use std::collections::BTreeMap;
use std::path::Path;
use toml_edit::{value, DocumentMut, Item, Table};

/// The manifest `cargo xtask release` and `check-names` read by default,
/// relative to the repository.
pub const DEFAULT: &str = "release/manifest.toml";

/// One service's line in the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The crate's name on crates.io (`crate`).
    pub krate: String,
    /// The version released.
    pub version: Version,
    /// The digest of the spec it was made from (`sha256:…`).
    pub spec: String,
    /// The crate's CHANGELOG entries, newest first.
    pub changelog: String,
}

/// The release manifest: `[release] repository` and one `[services.<name>]`
/// table per service released.
pub struct Manifest {
    /// The repository URL every released crate names.
    pub repository: Option<String>,
    /// By service short name.
    pub services: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Reads the manifest at `path`; a missing file is an empty manifest.
    pub fn read(path: &Path) -> anyhow::Result<Manifest> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let doc: DocumentMut = text
            .parse()
            .with_context(|| format!("{}: not TOML", path.display()))?;
        let repository = doc
            .get("release")
            .and_then(|r| r.get("repository"))
            .and_then(Item::as_str)
            .map(str::to_owned);
        let mut services = BTreeMap::new();
        if let Some(table) = doc.get("services").and_then(Item::as_table) {
            for (name, item) in table {
                let field = |key: &str| -> anyhow::Result<String> {
                    item.get(key)
                        .and_then(Item::as_str)
                        .map(str::to_owned)
                        .with_context(|| {
                            format!("{}: services.{name}.{key} is missing", path.display())
                        })
                };
                services.insert(
                    name.to_owned(),
                    Entry {
                        krate: field("crate")?,
                        version: field("version")?.parse().with_context(|| {
                            format!(
                                "{}: services.{name}.version is not a semver version",
                                path.display()
                            )
                        })?,
                        spec: field("spec")?,
                        changelog: field("changelog")?,
                    },
                );
            }
        }
        Ok(Manifest {
            repository,
            services,
        })
    }

    /// Writes the manifest when its text changes (atomically: a temporary
    /// file renamed over it).
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let mut doc = DocumentMut::new();
        doc.decor_mut().set_prefix(
            "# The crates `cargo xtask release` has released: version, digest of the spec each was\n# made from, changelog. Kept by the command; commit it with each release.\n\n",
        );
        let mut release = Table::new();
        if let Some(repository) = &self.repository {
            release.insert("repository", value(repository.as_str()));
        }
        doc.insert("release", Item::Table(release));
        let mut services = Table::new();
        services.set_implicit(true);
        for (name, entry) in &self.services {
            let mut table = Table::new();
            table.insert("crate", value(entry.krate.as_str()));
            table.insert("version", value(entry.version.to_string()));
            table.insert("spec", value(entry.spec.as_str()));
            table.insert("changelog", value(entry.changelog.as_str()));
            services.insert(name, Item::Table(table));
        }
        doc.insert("services", Item::Table(services));
        let text = doc.to_string();
        if std::fs::read_to_string(path).ok().as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}
