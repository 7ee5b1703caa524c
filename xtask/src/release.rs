//! Spec directories from git history (`REV:PATH`), `cargo xtask diff`, and
//! each generated crate's version and CHANGELOG.
//!
//! A generated crate's release is derived, not stored: its version and
//! changelog are those checked in at `HEAD`, plus one entry (and the bump it
//! implies) for the difference between the spec at `HEAD` and the spec in
//! the work tree. So `cargo xtask codegen` is idempotent before a commit, and
//! after the commit the difference is empty and nothing moves.

use anyhow::{bail, Context as _};
use codegen::diff::{diff_services, Bump, GeneratorChange, Report, Version, GENERATOR_CHANGES};
use codegen::ir::Service;
use codegen::Release;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::load::SPEC_FILES;

/// A git work tree.
pub struct Git {
    toplevel: PathBuf,
}

impl Git {
    /// The work tree `dir` is in, if any (and if git is installed).
    pub fn find(dir: &Path) -> Option<Git> {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["rev-parse", "--show-toplevel"])
            .output()
            .ok()?;
        out.status.success().then(|| Git {
            toplevel: PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()),
        })
    }

    /// `dir` relative to the top of the work tree, `/`-separated, with a
    /// trailing `/` (empty at the top).
    fn prefix(&self, dir: &Path) -> String {
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
        let top = self
            .toplevel
            .canonicalize()
            .unwrap_or_else(|_| self.toplevel.clone());
        match canonical.strip_prefix(&top) {
            Ok(rel) if rel.as_os_str().is_empty() => String::new(),
            Ok(rel) => format!("{}/", rel.to_string_lossy().replace('\\', "/")),
            Err(_) => String::new(),
        }
    }

    /// `dir` relative to the top of the work tree, `/`-separated, no
    /// trailing `/` (empty at the top).
    pub fn relative(&self, dir: &Path) -> String {
        self.prefix(dir).trim_end_matches('/').to_owned()
    }

    /// The newest `limit` commits that touched `path`, newest first.
    pub fn commits_touching(&self, path: &str, limit: usize) -> Vec<String> {
        let limit = format!("-{limit}");
        let out = self
            .git(&["log", &limit, "--format=%H", "--", path])
            .unwrap_or_default();
        String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn git(&self, args: &[&str]) -> Option<Vec<u8>> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.toplevel)
            .args(args)
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    }

    /// Whether `rev` names a commit.
    fn is_commit(&self, rev: &str) -> bool {
        self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])
        .is_some()
    }

    /// A file's contents at `rev` (`path` from the top of the work tree).
    pub fn show(&self, rev: &str, path: &str) -> Option<Vec<u8>> {
        self.git(&["show", &format!("{rev}:{path}")])
    }

    /// Copies the spec files below `path` at `rev` into `into`, keeping their
    /// subdirectories; returns whether there were any.
    pub fn materialize(&self, rev: &str, path: &str, into: &Path) -> anyhow::Result<bool> {
        let path = path.trim_end_matches('/');
        let listing = self
            .git(&["ls-tree", "-r", "--name-only", rev, "--", path])
            .unwrap_or_default();
        let mut found = false;
        for file in String::from_utf8_lossy(&listing).lines() {
            let Some(relative) = file.strip_prefix(path).map(|r| r.trim_start_matches('/')) else {
                continue;
            };
            let name = relative.rsplit('/').next().unwrap_or(relative);
            if !SPEC_FILES.contains(&name) {
                continue;
            }
            let bytes = self
                .show(rev, file)
                .with_context(|| format!("git cannot show {rev}:{file}"))?;
            let target = into.join(relative);
            std::fs::create_dir_all(
                target
                    .parent()
                    .expect("a file below a directory has a parent"),
            )?;
            std::fs::write(&target, bytes)?;
            found = true;
        }
        Ok(found)
    }
}

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A new, empty directory below the system's temporary directory.
    pub fn new() -> anyhow::Result<TempDir> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("xtask-spec-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A spec directory argument: a path on disk, or `REV:PATH` in git history
/// (PATH from the top of the work tree), copied out to a temporary directory.
pub fn spec_source(arg: &str) -> anyhow::Result<(PathBuf, Option<TempDir>)> {
    if Path::new(arg).exists() {
        return Ok((PathBuf::from(arg), None));
    }
    let Some((rev, path)) = arg.split_once(':') else {
        bail!("{arg}: no such directory (to name one in git history, write REV:PATH, e.g. HEAD~1:api-spec/lcic/2022-08-17)");
    };
    let cwd = std::env::current_dir()?;
    let Some(git) = Git::find(&cwd) else {
        bail!(
            "{arg}: no such directory, and {} is not in a git work tree",
            cwd.display()
        );
    };
    if !git.is_commit(rev) {
        bail!("{arg}: `{rev}` is not a git revision");
    }
    let temp = TempDir::new()?;
    if !git.materialize(rev, path, &temp.0)? {
        bail!("{arg}: no spec files (api.json …) at `{path}` in {rev}");
    }
    Ok((temp.0.clone(), Some(temp)))
}

/// `cargo xtask diff OLD NEW [--format json]`: exit 0 when nothing breaks,
/// 2 when something does (errors are 1, from the caller).
pub fn diff_command(
    old: &str,
    new: &str,
    json: bool,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<u8> {
    let (old_dir, _old_temp) = spec_source(old)?;
    let (new_dir, _new_temp) = spec_source(new)?;
    let old_service = codegen::load_service(&old_dir).with_context(|| format!("old spec {old}"))?;
    // As a release would load it: the names the old one handed out stay.
    let new_service = codegen::load_service_after(&new_dir, Some(&old_service))
        .with_context(|| format!("new spec {new}"))?;
    let report = diff_services(&old_service, &new_service)?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", report.to_markdown(&format!("{old} → {new}")))?;
    }
    Ok(if report.is_breaking() { 2 } else { 0 })
}

/// A service's spec as committed at `HEAD`.
pub struct Previous {
    /// Resolved: the previous release, whose names the new one keeps and
    /// against which it is diffed.
    pub service: Service,
}

/// `api-spec/<name>/` as committed at `HEAD`; `None` outside git or for a
/// service `HEAD` does not have yet.
pub fn head_service(root: &Path, name: &str) -> anyhow::Result<Option<Previous>> {
    let Some(git) = Git::find(root) else {
        return Ok(None);
    };
    let prefix = git.prefix(root);
    let temp = TempDir::new()?;
    let path = format!("{prefix}api-spec/{name}");
    if !git.materialize("HEAD", &path, &temp.0)? {
        return Ok(None);
    }
    let service = codegen::load_service(&temp.0)
        .with_context(|| format!("the spec of `{name}` at HEAD ({path}) does not load"))?;
    Ok(Some(Previous { service }))
}

/// A digest of every spec file below `dir` (each version's `api.json`,
/// `errors.json`, … with its path relative to `dir`): equal digests, equal
/// specs.
pub fn spec_hash(dir: &Path) -> anyhow::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for version in codegen::spec_dirs(dir)? {
        let relative = version.strip_prefix(dir).unwrap_or(&version);
        for file in SPEC_FILES {
            let path = version.join(file);
            if !path.is_file() {
                continue;
            }
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            hasher.update(format!("{}/{file}\0{}\0", relative.display(), bytes.len()).as_bytes());
            hasher.update(&bytes);
        }
    }
    Ok(format!("sha256:{:x}", hasher.finalize()))
}

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
/// (`codegen::diff::GENERATOR_CHANGES`) that `base`'s entries do not record yet.
pub fn next_release(base: Release, report: &Report, service: &Service) -> Release {
    let pending: Vec<&GeneratorChange> = GENERATOR_CHANGES
        .iter()
        .filter(|c| !base.entries.contains(&c.marker()))
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
