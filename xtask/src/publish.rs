//! `cargo xtask release <SPEC_ROOT> --out <DIR>`: one crates.io-ready crate
//! per service found below SPEC_ROOT (a tccli `services/` tree as Tencent
//! publishes it, or a directory in `api-spec/` layout), plus the runtime, in
//! one cargo workspace at DIR.
//!
//! Versions are not guessed: the release manifest (checked in,
//! `release/manifest.toml` by default) records for every service the
//! version released, a digest of the spec it was made from and its
//! changelog. A service whose spec digest is unchanged keeps its version; one
//! whose spec changed moves by the semver class of the diff against the
//! released spec (which `--previous <ROOT>`, or the git history of the spec
//! root, must supply): the API report, made from the generated public API
//! and explained by the spec; a new service starts at 0.1.0.

use crate::release::{next_release, spec_hash, Git, TempDir};
use anyhow::{bail, Context as _};
use codegen::diff::{diff_services, Report, Version};
use codegen::ir::Service;
use codegen::{Options, Output, Release};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use toml_edit::{value, Array, DocumentMut, Item, Table};

/// The command named in the marker line of released files.
const COMMAND: &str = "cargo xtask release";
/// The runtime's directory (and package name) in the release workspace.
const RUNTIME: &str = "tencentcloud-runtime";

/// What a release run is given.
pub struct Request<'a> {
    /// The repository (for the runtime's sources and manifest).
    pub repo: &'a Path,
    /// Where the specs are.
    pub spec_root: &'a Path,
    /// The release workspace to write.
    pub out_dir: &'a Path,
    /// The release manifest to read and update.
    pub manifest: &'a Path,
    /// The specs of the previous release, when not in git history.
    pub previous: Option<&'a Path>,
}

/// One service's line in the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    krate: String,
    version: Version,
    spec: String,
    changelog: String,
}

/// One service in this run.
struct Planned {
    label: String,
    service: Service,
    entry: Entry,
    before: Option<Version>,
}

/// Runs a release; prints one line per service. `Ok(true)` on success.
pub fn run(request: &Request, out: &mut dyn Write) -> anyhow::Result<bool> {
    let mut manifest = Manifest::read(request.manifest)?;
    let services = crate::catalog::find_services(request.spec_root, "release")?;
    if services.is_empty() {
        bail!("no spec directories below {}", request.spec_root.display());
    }
    let planned = services
        .par_iter()
        .map(|job| {
            plan(request, &manifest, &job.label, &job.dir)
                .with_context(|| format!("service `{}`", job.label))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let runtime_version = crate::release::runtime_version(request.repo)?;
    let mut output = Output::new(request.out_dir);
    let mut members = vec![RUNTIME.to_owned()];
    for p in &planned {
        let options = Options {
            generated_by: COMMAND.into(),
            runtime_path: format!("../{RUNTIME}"),
            runtime_version: Some(runtime_version.clone()),
            repository: manifest.repository.clone(),
            crate_name: Some(p.entry.krate.clone()),
            publish: true,
            release: Some(Release {
                version: p.entry.version.clone(),
                entries: p.entry.changelog.clone(),
            }),
            ..Options::default()
        };
        let krate = codegen::generate_service(&p.service, &options)?;
        output.add_crate(&p.entry.krate, &krate);
        members.push(p.entry.krate.clone());
    }
    add_runtime(&mut output, request.repo, manifest.repository.as_deref())?;
    output.add_file("Cargo.toml", workspace_manifest(&members));
    let report = codegen::write(&output)?;
    for p in &planned {
        let moved = match &p.before {
            Some(before) if *before == p.entry.version => {
                format!("{} (unchanged)", p.entry.version)
            }
            Some(before) => format!("{before} → {}", p.entry.version),
            None => format!("{} (new)", p.entry.version),
        };
        writeln!(out, "{:<28} {:<24} {moved}", p.entry.krate, p.label)?;
        manifest
            .services
            .insert(p.service.short_name.clone(), p.entry.clone());
    }
    manifest.write(request.manifest)?;
    writeln!(
        out,
        "{}: {} crates and the runtime; {} written, {} unchanged, {} removed",
        request.out_dir.display(),
        planned.len(),
        report.written.len(),
        report.unchanged,
        report.removed.len()
    )?;
    Ok(true)
}

/// What crates.io says of a crate name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameStatus {
    /// No crate has the name.
    Free,
    /// A crate has it; its first line of `cargo info`.
    Taken(String),
    /// `cargo info` failed otherwise (offline, registry down): unknown.
    Unknown(String),
}

/// `cargo xtask check-names [--manifest F]`: asks crates.io (through
/// `cargo info`, run outside any workspace so that local packages do not
/// answer) about every crate name the manifest releases and the runtime's.
/// `Ok(false)` when any name is taken or could not be checked: a name is
/// changed before the first publish by editing the service's `crate` in
/// the manifest.
pub fn check_names(manifest: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let manifest = Manifest::read(manifest)?;
    let mut names: Vec<&str> = manifest
        .services
        .values()
        .map(|e| e.krate.as_str())
        .collect();
    names.push(RUNTIME);
    names.sort_unstable();
    let outside = TempDir::new()?;
    let mut free = 0;
    for name in &names {
        match name_status(name, outside.path())? {
            NameStatus::Free => free += 1,
            NameStatus::Taken(by) => writeln!(out, "TAKEN    {name}: {by}")?,
            NameStatus::Unknown(why) => writeln!(out, "UNKNOWN  {name}: {why}")?,
        }
    }
    writeln!(
        out,
        "{free} of {} crate names are free on crates.io",
        names.len()
    )?;
    Ok(free == names.len())
}

fn name_status(name: &str, outside: &Path) -> anyhow::Result<NameStatus> {
    let output = std::process::Command::new(crate::cargo())
        .args(["info", "--registry", "crates-io", name])
        .current_dir(outside)
        .output()
        .context("cannot run cargo info")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(name_status_of(
        output.status.success(),
        &stdout,
        &stderr,
        name,
    ))
}

/// Reads `cargo info`'s answer: success names a crate that exists; "could
/// not find" is the only failure that means the name is free.
fn name_status_of(success: bool, stdout: &str, stderr: &str, name: &str) -> NameStatus {
    let last = |text: &str| text.lines().last().unwrap_or_default().trim().to_owned();
    if success {
        let description = stdout.lines().nth(1).unwrap_or_default().trim().to_owned();
        NameStatus::Taken(description)
    } else if stderr.contains(&format!("could not find `{name}`")) {
        NameStatus::Free
    } else {
        NameStatus::Unknown(last(stderr))
    }
}

/// Loads one service and decides its release.
fn plan(
    request: &Request,
    manifest: &Manifest,
    label: &str,
    dir: &Path,
) -> anyhow::Result<Planned> {
    let hash = spec_hash(dir)?;
    let probe = codegen::load_service(dir)?;
    let released = manifest.services.get(&probe.short_name);
    let Some(released) = released else {
        let mut release = Release::initial();
        release.entries = release
            .entries
            .replace("First generated release.", "First release.");
        return Ok(Planned {
            label: label.to_owned(),
            entry: Entry {
                krate: probe.crate_name.clone(),
                version: release.version,
                spec: hash,
                changelog: release.entries,
            },
            service: probe,
            before: None,
        });
    };
    let base = Release {
        version: released.version.clone(),
        entries: released.changelog.clone(),
    };
    if released.spec == hash {
        // Unchanged spec; the changelog still takes generator changes.
        let nothing = codegen::diff::Report {
            service: probe.short_name.clone(),
            changes: Vec::new(),
            bump: codegen::diff::Bump::None,
        };
        let release = next_release(base, &nothing, &probe);
        return Ok(planned(label, probe, released, hash, release));
    }
    let previous = previous_spec(request, label, &probe.short_name, &released.spec)?;
    let (service, _, release) = release_after(&previous.0, dir, base)?;
    Ok(planned(label, service, released, hash, release))
}

/// The release step for a changed spec: the service at `dir` loaded after
/// the released one at `previous` (whose names it keeps), the API report
/// between them, and the release after `base` that the report implies.
pub fn release_after(
    previous: &Path,
    dir: &Path,
    base: Release,
) -> anyhow::Result<(Service, Report, Release)> {
    let old = codegen::load_service(previous)?;
    let service = codegen::load_service_after(dir, Some(&old))?;
    let report = diff_services(&old, &service)?;
    let release = next_release(base, &report, &service);
    Ok((service, report, release))
}

fn planned(
    label: &str,
    service: Service,
    released: &Entry,
    hash: String,
    release: Release,
) -> Planned {
    Planned {
        label: label.to_owned(),
        entry: Entry {
            // A released service keeps the name the manifest gives it.
            krate: released.krate.clone(),
            version: release.version,
            spec: hash,
            changelog: release.entries,
        },
        service,
        before: Some(released.version.clone()),
    }
}

/// The spec directory of the released version of a service: below
/// `--previous` (same relative place), or in the git history of the spec
/// root (the newest commit whose spec has the recorded digest).
fn previous_spec(
    request: &Request,
    label: &str,
    short_name: &str,
    digest: &str,
) -> anyhow::Result<(PathBuf, Option<TempDir>)> {
    if let Some(root) = request.previous {
        let dir = root.join(label);
        if dir.is_dir() && spec_hash(&dir)? == digest {
            return Ok((dir, None));
        }
        bail!(
            "`{short_name}` changed since its release, and {} is not the released spec (its digest is not {digest})",
            dir.display()
        );
    }
    let dir = request.spec_root.join(label);
    if let Some(found) = from_history(&dir, digest)? {
        return Ok(found);
    }
    bail!(
        "`{short_name}` changed since its release ({digest}), and the released spec is not in git history: pass --previous <the spec root it was released from> so the change can be classified"
    )
}

/// Searches the last commits touching `dir` for the spec with `digest`.
fn from_history(dir: &Path, digest: &str) -> anyhow::Result<Option<(PathBuf, Option<TempDir>)>> {
    const COMMITS: usize = 50;
    let Some(git) = Git::find(dir) else {
        return Ok(None);
    };
    let path = git.relative(dir);
    for commit in git.commits_touching(&path, COMMITS) {
        let temp = TempDir::new()?;
        if git.materialize(&commit, &path, temp.path())? && spec_hash(temp.path())? == digest {
            return Ok(Some((temp.path().to_owned(), Some(temp))));
        }
    }
    Ok(None)
}

/// The release manifest: `[release] repository` and one `[services.<name>]`
/// table per service released.
struct Manifest {
    repository: Option<String>,
    services: BTreeMap<String, Entry>,
}

impl Manifest {
    fn read(path: &Path) -> anyhow::Result<Manifest> {
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
    fn write(&self, path: &Path) -> anyhow::Result<()> {
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

/// The release workspace's `Cargo.toml`.
fn workspace_manifest(members: &[String]) -> String {
    let members: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    format!(
        "# @generated by `{COMMAND}`. Do not edit by hand.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    )
}

/// The runtime crate, as published: its sources (each with the marker
/// line), its README and a manifest with the workspace's inherited keys
/// written out and publishing metadata added.
fn add_runtime(output: &mut Output, repo: &Path, repository: Option<&str>) -> anyhow::Result<()> {
    let runtime = repo.join("runtime");
    let marker = format!("// @generated by `{COMMAND}` from runtime/. Edit the original.\n");
    for file in rust_files(&runtime.join("src"))? {
        let relative = file
            .strip_prefix(&runtime)
            .expect("found below the runtime");
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        output.add_file(Path::new(RUNTIME).join(relative), format!("{marker}{text}"));
    }
    let readme = std::fs::read_to_string(runtime.join("README.md"))
        .context("cannot read runtime/README.md")?;
    output.add_file(
        Path::new(RUNTIME).join("README.md"),
        format!("<!-- @generated by `{COMMAND}` from runtime/README.md. -->\n{readme}"),
    );
    output.add_file(
        Path::new(RUNTIME).join("Cargo.toml"),
        runtime_manifest(repo, repository)?,
    );
    Ok(())
}

fn rust_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = crate::files_below(dir)?;
    files.retain(|path| path.extension().is_some_and(|e| e == "rs"));
    Ok(files)
}

/// `runtime/Cargo.toml` made standalone: `x.workspace = true` keys replaced
/// by the workspace's values, dev-dependencies and benches (not shipped)
/// dropped, `publish = false` removed, metadata added.
fn runtime_manifest(repo: &Path, repository: Option<&str>) -> anyhow::Result<String> {
    let workspace = read_toml(&repo.join("Cargo.toml"))?;
    let mut doc = read_toml(&repo.join("runtime/Cargo.toml"))?;
    let package = doc["package"]
        .as_table_mut()
        .context("runtime/Cargo.toml has no [package]")?;
    for (key, item) in package.iter_mut() {
        if item.get("workspace").and_then(Item::as_bool) == Some(true) {
            *item = workspace["workspace"]["package"][key.get()].clone();
        }
    }
    package.remove("publish");
    add_metadata(package, repository);
    let deps = doc["dependencies"]
        .as_table_like_mut()
        .context("runtime/Cargo.toml has no [dependencies]")?;
    for (name, item) in deps.iter_mut() {
        if item.get("workspace").and_then(Item::as_bool) == Some(true) {
            let base = &workspace["workspace"]["dependencies"][name.get()];
            *item = inherit_dependency(name.get(), base, item)?;
        }
    }
    doc.remove("dev-dependencies");
    doc.remove("bench");
    doc.decor_mut().set_prefix(format!(
        "# @generated by `{COMMAND}` from runtime/Cargo.toml.\n"
    ));
    Ok(doc.to_string())
}

fn read_toml(path: &Path) -> anyhow::Result<DocumentMut> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.parse()
        .with_context(|| format!("{}: not TOML", path.display()))
}

/// What crates.io and docs.rs show of the runtime.
fn add_metadata(package: &mut Table, repository: Option<&str>) {
    package.insert("documentation", value(format!("https://docs.rs/{RUNTIME}")));
    if let Some(repository) = repository {
        package.insert("repository", value(repository));
    }
    let array = |items: &[&str]| {
        let mut array = Array::new();
        for item in items {
            array.push(*item);
        }
        value(array)
    };
    package.insert(
        "keywords",
        array(&["tencentcloud", "tencent-cloud", "sdk", "api"]),
    );
    package.insert(
        "categories",
        array(&["api-bindings", "web-programming::http-client"]),
    );
}

/// A `{ workspace = true, … }` dependency written out: the workspace's
/// entry (`base`: a version or a table) with the member's own keys joined,
/// its `features` added to the workspace's, as cargo reads them.
fn inherit_dependency(name: &str, base: &Item, own: &Item) -> anyhow::Result<Item> {
    let mut table = toml_edit::InlineTable::new();
    match base.as_str() {
        Some(version) => {
            table.insert("version", version.into());
        }
        None => {
            let base = base.as_table_like().with_context(|| {
                format!("workspace dependency `{name}` is neither a version nor a table")
            })?;
            for (k, v) in base.iter() {
                if let Some(v) = v.as_value() {
                    table.insert(k, v.clone());
                }
            }
        }
    }
    for (k, v) in own.as_table_like().into_iter().flat_map(|t| t.iter()) {
        let Some(v) = v.as_value() else { continue };
        match (k, table.get_mut("features"), v.as_array()) {
            ("workspace", ..) => {}
            ("features", Some(toml_edit::Value::Array(features)), Some(more)) => {
                for feature in more {
                    if !features.iter().any(|f| f.as_str() == feature.as_str()) {
                        features.push(feature.clone());
                    }
                }
                features.fmt();
            }
            _ => {
                table.insert(k, v.clone());
            }
        }
    }
    Ok(Item::Value(toml_edit::Value::InlineTable(table)))
}

#[cfg(test)]
mod tests {
    use super::{name_status_of, NameStatus};

    #[test]
    fn cargo_info_answers_are_read_strictly() {
        let free = "    Updating crates.io index\nerror: could not find `tencentcloud-cvm` in registry `crates-io`\n";
        assert_eq!(
            name_status_of(false, "", free, "tencentcloud-cvm"),
            NameStatus::Free
        );
        let taken = "tencentcloud-sms #tencent #sms\nTencent Cloud SMS SDK\nversion: 0.1.0\n";
        assert_eq!(
            name_status_of(true, taken, "", "tencentcloud-sms"),
            NameStatus::Taken("Tencent Cloud SMS SDK".into())
        );
        // A failure that is not "could not find" (offline, another name's
        // message) proves nothing about the name.
        let offline = "error: failed to query replaced source registry `crates-io`\n";
        assert!(matches!(
            name_status_of(false, "", offline, "x"),
            NameStatus::Unknown(_)
        ));
        assert!(matches!(
            name_status_of(false, "", free, "tencentcloud"),
            NameStatus::Unknown(_)
        ));
    }
}
