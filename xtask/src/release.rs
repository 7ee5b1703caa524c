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

use crate::history::Git;
use crate::manifest::{Entry, Manifest};
use crate::versions::next_release;
use crate::workspace::TempDir;
use anyhow::{bail, Context as _};
use codegen::diff::{diff_services, Report, Version};
use codegen::ir::Service;
use codegen::load::SPEC_FILES;
use codegen::{Options, Output, Release};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use toml_edit::{value, Array, DocumentMut, Item, Table};

/// The command named in the marker line of released files.
const COMMAND: &str = "cargo xtask release";
/// The runtime's directory (and package name) in the release workspace.
pub const RUNTIME: &str = "tencentcloud-runtime";

/// The hand-written crates a release ships beside the generated ones: each
/// one's directory in the repository and package name, which is also its
/// directory in the release workspace.
pub const HAND_WRITTEN: [(&str, &str); 2] =
    [("runtime/json", "tencentcloud-json"), ("runtime", RUNTIME)];

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
    let services = crate::services::find(request.spec_root, "release")?;
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
    let runtime_version = crate::versions::runtime_version(request.repo)?;
    let mut output = Output::new(request.out_dir);
    let mut members: Vec<String> = HAND_WRITTEN
        .iter()
        .map(|(_, name)| name.to_string())
        .collect();
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
    for (dir, name) in HAND_WRITTEN {
        add_hand_written(
            &mut output,
            request.repo,
            dir,
            name,
            manifest.repository.as_deref(),
        )?;
    }
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
        "{}: {} generated crates and {} hand-written (the runtime); {} written, {} unchanged, {} removed",
        request.out_dir.display(),
        planned.len(),
        HAND_WRITTEN.len(),
        report.written.len(),
        report.unchanged,
        report.removed.len()
    )?;
    Ok(true)
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

/// A digest of every spec file below `dir` (each version's `api.json`,
/// `errors.json`, … with its path relative to `dir`): equal digests, equal
/// specs.
fn spec_hash(dir: &Path) -> anyhow::Result<String> {
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

/// The release workspace's `Cargo.toml`.
fn workspace_manifest(members: &[String]) -> String {
    let members: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    format!(
        "# @generated by `{COMMAND}`. Do not edit by hand.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    )
}

/// A hand-written crate (`dir` in the repository, package `name`), as
/// published: its sources (each with the marker line), its README and a
/// manifest with the workspace's inherited keys written out and
/// publishing metadata added.
fn add_hand_written(
    output: &mut Output,
    repo: &Path,
    dir: &str,
    name: &str,
    repository: Option<&str>,
) -> anyhow::Result<()> {
    let source = repo.join(dir);
    let marker = format!("// @generated by `{COMMAND}` from {dir}/. Edit the original.\n");
    for file in rust_files(&source.join("src"))? {
        let relative = file.strip_prefix(&source).expect("found below the crate");
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        output.add_file(Path::new(name).join(relative), format!("{marker}{text}"));
    }
    let readme = std::fs::read_to_string(source.join("README.md"))
        .with_context(|| format!("cannot read {dir}/README.md"))?;
    output.add_file(
        Path::new(name).join("README.md"),
        format!("<!-- @generated by `{COMMAND}` from {dir}/README.md. -->\n{readme}"),
    );
    output.add_file(
        Path::new(name).join("Cargo.toml"),
        hand_written_manifest(repo, dir, name, repository)?,
    );
    Ok(())
}

fn rust_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = crate::workspace::files_below(dir)?;
    files.retain(|path| path.extension().is_some_and(|e| e == "rs"));
    Ok(files)
}

/// `<dir>/Cargo.toml` made standalone: `x.workspace = true` keys replaced
/// by the workspace's values (a path dependency on another hand-written
/// crate pointing at its place in the release workspace), dev-dependencies
/// and benches (not shipped) dropped, `publish = false` removed, metadata
/// added.
fn hand_written_manifest(
    repo: &Path,
    dir: &str,
    name: &str,
    repository: Option<&str>,
) -> anyhow::Result<String> {
    let workspace = read_toml(&repo.join("Cargo.toml"))?;
    let mut doc = read_toml(&repo.join(dir).join("Cargo.toml"))?;
    let package = doc["package"]
        .as_table_mut()
        .with_context(|| format!("{dir}/Cargo.toml has no [package]"))?;
    for (key, item) in package.iter_mut() {
        if item.get("workspace").and_then(Item::as_bool) == Some(true) {
            *item = workspace["workspace"]["package"][key.get()].clone();
        }
    }
    package.remove("publish");
    add_metadata(package, name, repository);
    let deps = doc["dependencies"]
        .as_table_like_mut()
        .with_context(|| format!("{dir}/Cargo.toml has no [dependencies]"))?;
    for (name, item) in deps.iter_mut() {
        if item.get("workspace").and_then(Item::as_bool) == Some(true) {
            let base = &workspace["workspace"]["dependencies"][name.get()];
            *item = inherit_dependency(name.get(), base, item)?;
        }
    }
    doc.remove("dev-dependencies");
    doc.remove("bench");
    doc.decor_mut().set_prefix(format!(
        "# @generated by `{COMMAND}` from {dir}/Cargo.toml.\n"
    ));
    Ok(doc.to_string())
}

fn read_toml(path: &Path) -> anyhow::Result<DocumentMut> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.parse()
        .with_context(|| format!("{}: not TOML", path.display()))
}

/// What crates.io and docs.rs show of a hand-written crate.
fn add_metadata(package: &mut Table, name: &str, repository: Option<&str>) {
    package.insert("documentation", value(format!("https://docs.rs/{name}")));
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
            // A path in the repository's workspace: the crate's place in the
            // release workspace, beside this one.
            if table.contains_key("path") {
                table.insert("path", format!("../{name}").into());
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
