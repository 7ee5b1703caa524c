//! Each generated crate's version and CHANGELOG.
//!
//! A generated crate's release is derived, not stored: its version and
//! changelog are those checked in at `HEAD`, plus one entry (and the bump it
//! implies) for the difference between the spec at `HEAD` and the spec in
//! the work tree. So `cargo xtask codegen` is idempotent before a commit, and
//! after the commit the difference is empty and nothing moves.

use crate::history::{Git, Previous};
use anyhow::Context as _;
use codegen::diff::{diff_services, Bump, GeneratorChange, Report, Version, GENERATOR_CHANGES};
use codegen::ir::Service;
use codegen::Release;
use std::path::Path;

/// The release of `generated/<name>/` for the spec now in `api-spec/<name>/`,
/// `previous` being the spec at `HEAD` ([`head_service`]).
pub fn release_for(
    root: &Path,
    name: &str,
    previous: Option<&Previous>,
    service: &Service,
) -> anyhow::Result<Release> {
    let crate_dir = format!("generated/{name}");
    let (Some(git), Some(previous)) = (Git::find(root), previous) else {
        return Ok(on_disk_release(&root.join(&crate_dir)));
    };
    let prefix = git.prefix(root);
    let head = |file: &str| {
        git.show("HEAD", &format!("{prefix}{crate_dir}/{file}"))
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    };
    let base = release_from(
        head("Cargo.toml").as_deref(),
        head("CHANGELOG.md").as_deref(),
    );
    let report = diff_services(&previous.service, service)?;
    Ok(next_release(base, &report, service))
}

/// The release after `base` given a spec diff, with every generator change
/// (`codegen::diff::GENERATOR_CHANGES`) that `base`'s entries do not record
/// yet and that applies to the service.
pub fn next_release(base: Release, report: &Report, service: &Service) -> Release {
    let pending: Vec<&GeneratorChange> = GENERATOR_CHANGES
        .iter()
        .filter(|c| !base.entries.contains(&c.marker()) && (c.applies)(service))
        .collect();
    if report.changes.is_empty() && pending.is_empty() {
        return base;
    }
    let bump = pending
        .iter()
        .map(|c| c.bump())
        .fold(report.bump, Bump::max);
    let version = bump.apply(&base.version);
    let mut entry = if report.changes.is_empty() {
        format!("## {version}\n\n")
    } else {
        report.to_markdown(&version.to_string())
    };
    for change in pending {
        entry.push_str(&format!("{}\n{}", change.marker(), (change.entry)(service)));
    }
    Release {
        entries: format!("{entry}\n{}", base.entries),
        version,
    }
}

fn on_disk_release(crate_dir: &Path) -> Release {
    let read = |file: &str| std::fs::read_to_string(crate_dir.join(file)).ok();
    release_from(
        read("Cargo.toml").as_deref(),
        read("CHANGELOG.md").as_deref(),
    )
}

/// The release recorded in a crate's `Cargo.toml` and `CHANGELOG.md`.
fn release_from(manifest: Option<&str>, changelog: Option<&str>) -> Release {
    let version = manifest.and_then(package_version);
    match (version, changelog.and_then(Release::entries_of)) {
        (Some(version), Some(entries)) => Release { version, entries },
        _ => Release::initial(),
    }
}

/// `[package] version` of a `Cargo.toml`'s text, if it parses and has a
/// semver one.
pub fn package_version(manifest: &str) -> Option<Version> {
    let doc: toml_edit::DocumentMut = manifest.parse().ok()?;
    doc.get("package")?.get("version")?.as_str()?.parse().ok()
}

/// The version of the `tencentcloud-runtime` crate at `root/runtime`, which
/// generated crates depend on.
pub fn runtime_version(root: &Path) -> anyhow::Result<String> {
    let path = root.join("runtime/Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    package_version(&text)
        .map(|version| version.to_string())
        .with_context(|| format!("{}: no semver [package] version", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_are_read_back_from_what_was_generated() {
        let release = release_from(
            Some("[package]\nname = \"x\"\nversion = \"0.3.1\"\n"),
            Some(
                "<!-- @generated -->\n\n# Changelog of x\n\n## 0.3.1\n\nA.\n\n## 0.1.0\n\nFirst.\n",
            ),
        );
        assert_eq!(release.version, Version::new(0, 3, 1));
        assert_eq!(release.entries, "## 0.3.1\n\nA.\n\n## 0.1.0\n\nFirst.\n");
        assert_eq!(release_from(None, None), Release::initial());
    }
}
