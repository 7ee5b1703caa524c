//! `cargo xtask codegen [--check]`: every checked-in generated crate from
//! its spec (`api-spec/<service>/` → `generated/<service>/`), each test
//! fixture's `expected/` from its `spec/`, and the names files next to the
//! specs; `--check` writes nothing and reports what differs.
//!
//! (`codegen::` below is the generator crate, not this module.)

use crate::history::head_service;
use crate::versions::{release_for, runtime_version};
use crate::workspace::{dir_name, subdirs};
use anyhow::Context as _;
use codegen::{Drift, Options, Output};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

/// The command named in the marker line of checked-in generated files.
pub const CODEGEN_COMMAND: &str = "cargo xtask codegen";

/// `cargo xtask codegen [--check]` on the repository at `root`. `Ok(false)`
/// means `--check` found drift (exit code 1).
pub fn run(root: &Path, check: bool, out: &mut dyn Write) -> anyhow::Result<bool> {
    if check {
        // `--check` writes nothing, not even the lock file; each tree it
        // reads is swapped in whole, so it sees every tree either old or new.
        return report_drift(&drift(root)?, out);
    }
    let _lock = lock(root, out)?;
    for output in &project_outputs(root)? {
        let report = codegen::write(output)?;
        let shown = output.root().strip_prefix(root).unwrap_or(output.root());
        writeln!(
            out,
            "{}: {} written, {} unchanged, {} removed",
            shown.display(),
            report.written.len(),
            report.unchanged,
            report.removed.len()
        )?;
    }
    Ok(true)
}

/// Prints what `--check` found, and how to fix it; `Ok(true)` when nothing.
fn report_drift(drift: &[Drift], out: &mut dyn Write) -> anyhow::Result<bool> {
    if drift.is_empty() {
        writeln!(out, "generated code is up to date")?;
        return Ok(true);
    }
    for d in drift {
        write!(out, "{d}")?;
    }
    writeln!(
        out,
        "\n{} generated file(s) are not what the generator produces from the specs now.\nTo fix it, run: {CODEGEN_COMMAND}",
        drift.len()
    )?;
    Ok(false)
}

/// Holds the lock that makes runs of `cargo xtask codegen` on one checkout
/// take turns: a second run waits (saying so) until the first has finished.
/// The OS drops the lock when the process ends, however it ends.
pub fn lock(root: &Path, out: &mut dyn Write) -> anyhow::Result<std::fs::File> {
    let dir = root.join("target");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("xtask-codegen.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
    writeln!(
        out,
        "waiting for another `cargo xtask codegen` on this checkout to finish (lock: {})",
        path.display()
    )?;
    file.lock()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(file)
}

/// Compares the checked-in output with what the generator makes now.
pub fn drift(root: &Path) -> anyhow::Result<Vec<Drift>> {
    let mut all = Vec::new();
    for output in project_outputs(root)? {
        all.extend(codegen::check(&output)?);
    }
    Ok(all)
}

/// Everything `cargo xtask codegen` keeps in the repository: one [`Output`]
/// per sweep root. Nothing is written; any spec error is returned first.
pub fn project_outputs(root: &Path) -> anyhow::Result<Vec<Output>> {
    let runtime_version = runtime_version(root)?;
    let mut outputs = service_outputs(root, &runtime_version)?;
    outputs.extend(fixture_outputs(root, &runtime_version)?);
    Ok(outputs)
}

/// `generated/` (a crate per service of `api-spec/`) and the names files
/// kept next to the specs in `api-spec/`.
fn service_outputs(root: &Path, runtime_version: &str) -> anyhow::Result<Vec<Output>> {
    let mut generated = Output::new(root.join("generated"));
    let spec_root = root.join("api-spec");
    let mut names = Output::new(&spec_root);
    // Services are independent: generate them on all cores (rayon's pool,
    // which also renders each service's pieces).
    let crates: Vec<anyhow::Result<_>> = subdirs(&spec_root)?
        .par_iter()
        .map(|service_dir| checked_in_crate(root, service_dir, runtime_version))
        .collect();
    for result in crates {
        let (name, service, krate) = result?;
        generated.add_crate(&name, &krate);
        for version in &service.versions {
            if let Some(text) = codegen::names_file(version, CODEGEN_COMMAND) {
                let dir = version.spec_dir.strip_prefix(&spec_root).with_context(|| {
                    format!(
                        "{} is not below {}",
                        version.spec_dir.display(),
                        spec_root.display()
                    )
                })?;
                names.add_file(dir.join(codegen::load::NAMES_FILE), text);
            }
        }
    }
    Ok(vec![generated, names])
}

/// One service of `api-spec/`, loaded after its spec at `HEAD` (whose names
/// it keeps) and generated with the release that difference implies.
fn checked_in_crate(
    root: &Path,
    service_dir: &Path,
    runtime_version: &str,
) -> anyhow::Result<(String, codegen::ir::Service, codegen::GeneratedCrate)> {
    let name = dir_name(service_dir);
    let previous = head_service(root, &name)?;
    let service = codegen::load_service_after(service_dir, previous.as_ref().map(|p| &p.service))?;
    let options = Options {
        release: Some(release_for(root, &name, previous.as_ref(), &service)?),
        ..checked_in_options(runtime_version, "../../runtime", None)
    };
    let krate = codegen::generate_service(&service, &options)?;
    Ok((name, service, krate))
}

/// Each test fixture's `expected/` crate, from its spec and options.
fn fixture_outputs(root: &Path, runtime_version: &str) -> anyhow::Result<Vec<Output>> {
    let mut outputs = Vec::new();
    for case in subdirs(&root.join("tests/fixtures"))? {
        let name = dir_name(&case);
        let fixture = FixtureOptions::read(&case)?;
        let options = Options {
            models_only: fixture.models_only,
            derives: fixture.derives,
            type_derives: fixture.type_derives,
            attributes: fixture.attributes,
            actions: fixture.actions,
            ..checked_in_options(
                runtime_version,
                "../../../../runtime",
                Some(format!("fixture-{}", name.replace('_', "-"))),
            )
        };
        let krate = codegen::generate(&case.join(&fixture.spec), &options)?;
        let mut fixture = Output::new(case.join("expected"));
        fixture.add_crate("", &krate);
        outputs.push(fixture);
    }
    Ok(outputs)
}

/// `tests/fixtures/<case>/options.json`: the library options a fixture is
/// generated with (all optional), so the options are golden-tested too.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureOptions {
    /// The spec directory, relative to the fixture (default `spec`).
    #[serde(default = "FixtureOptions::default_spec")]
    spec: String,
    #[serde(default)]
    actions: Option<std::collections::BTreeSet<String>>,
    #[serde(default)]
    models_only: bool,
    #[serde(default)]
    derives: Vec<String>,
    #[serde(default)]
    type_derives: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    attributes: Vec<String>,
}

impl FixtureOptions {
    fn default_spec() -> String {
        "spec".into()
    }

    fn read(case: &Path) -> anyhow::Result<FixtureOptions> {
        let path = case.join("options.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => "{}".into(),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        serde_json::from_str(&text)
            .with_context(|| format!("{}: not valid fixture options", path.display()))
    }
}

fn checked_in_options(
    runtime_version: &str,
    runtime_path: &str,
    crate_name: Option<String>,
) -> Options {
    Options {
        generated_by: CODEGEN_COMMAND.into(),
        runtime_path: runtime_path.into(),
        runtime_version: Some(runtime_version.to_owned()),
        crate_name,
        standalone: false,
        release: None,
        ..Options::default()
    }
}
