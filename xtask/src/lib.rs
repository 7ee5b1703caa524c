//! The project's commands, as a library so that tests run exactly what
//! `cargo xtask` runs, in process.
//!
//! - `cargo xtask codegen` regenerates every checked-in generated crate:
//!   `api-spec/<service>/` → `generated/<service>/`, and each test fixture
//!   `tests/fixtures/<case>/spec/` → `tests/fixtures/<case>/expected/`.
//! - `cargo xtask codegen --check` writes nothing and exits 1 with a diff
//!   when the checked-in output is not what the generator produces now.
//! - `cargo xtask generate <SPEC_DIR> --out <DIR>` writes one standalone crate.
//! - `cargo xtask corpus <ROOT>` runs the whole pipeline on every spec below ROOT.
//! - `cargo xtask diff <OLD> <NEW>` reports an API bump's effect on users:
//!   every change of the generated public API, explained by the spec.
//! - `cargo xtask bumps <OLD_ROOT> <NEW_ROOT>` runs the diff and the release
//!   step over every service of two published spec trees ([`bumps`]).
//! - `cargo xtask release <SPEC_ROOT> --out <DIR>` writes crates.io-ready
//!   crates for every service below a spec root ([`publish`]).
//! - `cargo xtask check-names` asks crates.io whether the release's crate
//!   names are free.
//! - `cargo xtask import <SOURCE> <service>…` copies published specs into `api-spec/`.
//! - `cargo xtask paginators [ROOT]` counts the actions given a paginator,
//!   per pattern ([`paginators`]).
//! - `cargo xtask bench-compile` measures what generated crates cost to compile.
//! - `cargo xtask bench-catalog <ROOT>` times generating every service below
//!   ROOT in one process ([`catalog`]) against one process per service.

mod bench;
pub mod bumps;
pub mod catalog;
mod corpus;
pub mod paginators;
pub mod publish;
pub mod release;

use anyhow::Context as _;
use codegen::{Drift, Options, Output};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The release manifest `cargo xtask release` and `check-names` read by default.
const MANIFEST: &str = "release/manifest.toml";

/// The command named in the marker line of checked-in generated files.
pub const CODEGEN_COMMAND: &str = "cargo xtask codegen";

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check]          regenerate generated/ (and test fixtures) from api-spec/
  cargo xtask generate <SPEC_DIR> --out <DIR>
                                         generate one standalone crate from a spec directory
                                         (a version directory holding api.json, or a service
                                         directory whose subdirectories are its versions)
  cargo xtask corpus <ROOT> [--no-lint]  generate, check, lint, document and run the examples of
                                         every spec directory below ROOT, and print a table
                                         (--no-lint: without the clippy step)
  cargo xtask paginators [SPEC_ROOT]     actions with a paginator per pattern, and the paged-looking
                                         ones without one and why (default root: api-spec/)
  cargo xtask bench-compile [--rounds N] compile time of generated crates against the naive baseline
  cargo xtask release <SPEC_ROOT> --out <DIR> [--manifest <FILE>] [--previous <SPEC_ROOT>]
                                         one crates.io-ready crate per service below SPEC_ROOT, and
                                         the runtime, in one workspace at DIR; versions from the
                                         release manifest (default release/manifest.toml) and the diff
  cargo xtask check-names [--manifest <FILE>]
                                         ask crates.io whether every crate name the release manifest
                                         gives (and the runtime's) is free; exit 1 if one is not
  cargo xtask bench-catalog <ROOT> [--rounds N] [--out DIR]
                                         generate every service below ROOT in one process, against
                                         one `cargo xtask generate` process per service; both write
                                         below DIR/bench-catalog/ (default target/), removed at the end
  cargo xtask import <TCCLI_SERVICES_DIR_OR_SPEC_DIR> <service>...
                                         copy published service versions into api-spec/<service>/<date>/
  cargo xtask diff <OLD> <NEW> [--format markdown|json]
                                         what changed between two versions of a spec, for users of
                                         the generated crate; OLD/NEW are directories or REV:PATH;
                                         exit 0 when nothing breaks, 2 when something does
  cargo xtask bumps <OLD_ROOT> <NEW_ROOT>
                                         for every service in both spec trees (tccli services/ or
                                         api-spec/ layout): the diff of each API version in both and
                                         the release step, one table row each; exit 1 if any failed";

/// Runs a command; returns the process exit code (0 ok, 1 failure, 2 usage).
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = workspace_root();
    let result = match args.as_slice() {
        ["codegen"] => codegen(&root, false, out),
        ["codegen", "--check"] => codegen(&root, true, out),
        ["generate", spec, "--out", dir] | ["generate", "--out", dir, spec] => {
            generate(Path::new(spec), Path::new(dir), out)
        }
        ["paginators"] => paginators::run(&root.join("api-spec"), out),
        ["paginators", spec_root] => paginators::run(Path::new(spec_root), out),
        ["corpus", spec_root] => corpus::run(Path::new(spec_root), &root, true, out),
        ["corpus", spec_root, "--no-lint"] => corpus::run(Path::new(spec_root), &root, false, out),
        ["bench-compile"] => bench::compile(&root, 1, out),
        ["bench-compile", "--rounds", n] => rounds(n).and_then(|n| bench::compile(&root, n, out)),
        ["bench-catalog", spec_root, rest @ ..] => {
            bench_catalog(&root, Path::new(spec_root), rest, out)
        }
        ["bumps", old, new] => bumps::run(Path::new(old), Path::new(new), out),
        ["release", rest @ ..] => release_command(&root, rest, out),
        ["check-names"] => publish::check_names(&root.join(MANIFEST), out),
        ["check-names", "--manifest", manifest] => publish::check_names(Path::new(manifest), out),
        ["import", source, services @ ..] if !services.is_empty() => {
            let services: Vec<String> = services.iter().map(|s| s.to_string()).collect();
            import(&root, Path::new(source), &services, out).map(|()| true)
        }
        ["diff", old, new] | ["diff", old, new, "--format", "markdown"] => {
            return exit_code(release::diff_command(old, new, false, out), &root, err)
        }
        ["diff", old, new, "--format", "json"] => {
            return exit_code(release::diff_command(old, new, true, out), &root, err)
        }
        [] | ["help" | "--help" | "-h"] => {
            let _ = writeln!(out, "{USAGE}");
            return 0;
        }
        _ => {
            let _ = writeln!(
                err,
                "error: unknown arguments `{}`\n{USAGE}",
                args.join(" ")
            );
            return 2;
        }
    };
    exit_code(result.map(|ok| if ok { 0 } else { 1 }), &root, err)
}

/// `cargo xtask release <SPEC_ROOT> --out <DIR> [--manifest F] [--previous R]`.
fn release_command(root: &Path, args: &[&str], out: &mut dyn Write) -> anyhow::Result<bool> {
    let (mut spec_root, mut out_dir, mut manifest, mut previous) = (None, None, None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let slot = match *arg {
            "--out" => &mut out_dir,
            "--manifest" => &mut manifest,
            "--previous" => &mut previous,
            other if spec_root.is_none() && !other.starts_with("--") => {
                spec_root = Some(PathBuf::from(other));
                continue;
            }
            other => anyhow::bail!("release: unexpected argument `{other}`\n{USAGE}"),
        };
        let value = rest
            .next()
            .with_context(|| format!("release: {arg} takes a path"))?;
        *slot = Some(PathBuf::from(value));
    }
    let (Some(spec_root), Some(out_dir)) = (spec_root, out_dir) else {
        anyhow::bail!("release: give a spec root and --out <DIR>\n{USAGE}");
    };
    let manifest = manifest.unwrap_or_else(|| root.join(MANIFEST));
    publish::run(
        &publish::Request {
            repo: root,
            spec_root: &spec_root,
            out_dir: &out_dir,
            manifest: &manifest,
            previous: previous.as_deref(),
        },
        out,
    )
}

/// `bench-catalog ROOT [--rounds N] [--out DIR]`.
fn bench_catalog(
    root: &Path,
    spec_root: &Path,
    args: &[&str],
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let (mut n, mut parent) = (1, root.join("target"));
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = rest
            .next()
            .with_context(|| format!("bench-catalog: {arg} takes a value\n{USAGE}"));
        match *arg {
            "--rounds" => n = rounds(value?)?,
            "--out" => parent = PathBuf::from(value?),
            other => anyhow::bail!("bench-catalog: unexpected argument `{other}`\n{USAGE}"),
        }
    }
    // Only its own folder below the one given: the bench removes it.
    bench::catalog(spec_root, &parent.join("bench-catalog"), n, out)
}

/// The argument of `--rounds`: a positive number.
fn rounds(n: &str) -> anyhow::Result<u32> {
    match n.parse::<u32>() {
        Ok(rounds) if rounds > 0 => Ok(rounds),
        _ => Err(anyhow::anyhow!(
            "--rounds takes a positive number, not `{n}`"
        )),
    }
}

/// The exit code of a command's result; an error is printed and is 1.
fn exit_code(result: anyhow::Result<u8>, root: &Path, err: &mut dyn Write) -> u8 {
    match result {
        Ok(code) => code,
        Err(e) => {
            // Paths inside the repository read better relative to it.
            let message = format!("{e:#}").replace(&format!("{}/", root.display()), "");
            let _ = writeln!(err, "error: {message}");
            1
        }
    }
}

/// The repository root (the xtask crate's parent directory).
///
/// `XTASK_ROOT` points the commands at another checkout (the kill and
/// concurrency tests run `cargo xtask codegen` on scratch copies).
pub fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_ROOT") {
        return PathBuf::from(root);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ lives directly below the workspace root")
        .to_owned()
}

/// Holds the lock that makes runs of `cargo xtask codegen` on one checkout
/// take turns: a second run waits (saying so) until the first has finished.
/// The OS drops the lock when the process ends, however it ends.
pub fn codegen_lock(root: &Path, out: &mut dyn Write) -> anyhow::Result<std::fs::File> {
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

/// Everything `cargo xtask codegen` keeps in the repository: one [`Output`]
/// per sweep root. Nothing is written; any spec error is returned first.
pub fn project_outputs(root: &Path) -> anyhow::Result<Vec<Output>> {
    let mut outputs = Vec::new();
    let mut generated = Output::new(root.join("generated"));
    let spec_root = root.join("api-spec");
    let mut names = Output::new(&spec_root);
    let service_dirs = subdirs(&spec_root)?;
    let runtime_version = release::runtime_version(root)?;
    // Services are independent: generate them on all cores (rayon's pool,
    // which also renders each service's pieces).
    let crates: Vec<anyhow::Result<_>> = service_dirs
        .par_iter()
        .map(
        |service_dir| -> anyhow::Result<(String, codegen::ir::Service, codegen::GeneratedCrate)> {
            let name = dir_name(service_dir);
            let previous = release::head_service(root, &name)?;
            let service =
                codegen::load_service_after(service_dir, previous.as_ref().map(|p| &p.service))?;
            let options = Options {
                release: Some(release::release_for(
                    root,
                    &name,
                    previous.as_ref(),
                    &service,
                )?),
                ..checked_in_options(&runtime_version, "../../runtime", None)
            };
            let krate = codegen::generate_service(&service, &options)?;
            Ok((name, service, krate))
        },
    )
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
    outputs.push(generated);
    outputs.push(names);
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
                &runtime_version,
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

/// Compares the checked-in output with what the generator makes now.
pub fn drift(root: &Path) -> anyhow::Result<Vec<Drift>> {
    let mut all = Vec::new();
    for output in project_outputs(root)? {
        all.extend(codegen::check(&output)?);
    }
    Ok(all)
}

/// `cargo xtask codegen [--check]` on the repository at `root`. `Ok(false)`
/// means `--check` found drift (exit code 1).
pub fn codegen(root: &Path, check: bool, out: &mut dyn Write) -> anyhow::Result<bool> {
    // `--check` writes nothing, not even the lock file; each tree it reads is
    // swapped in whole, so it sees every tree either old or new.
    let _lock = if check {
        None
    } else {
        Some(codegen_lock(root, out)?)
    };
    let outputs = project_outputs(root)?;
    if check {
        let mut drift = Vec::new();
        for output in &outputs {
            drift.extend(codegen::check(output)?);
        }
        if drift.is_empty() {
            writeln!(out, "generated code is up to date")?;
            return Ok(true);
        }
        for d in &drift {
            write!(out, "{d}")?;
        }
        writeln!(
            out,
            "\n{} generated file(s) are not what the generator produces from the specs now.\nTo fix it, run: {CODEGEN_COMMAND}",
            drift.len()
        )?;
        return Ok(false);
    }
    for output in &outputs {
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

/// The options of `cargo xtask generate`: a standalone crate that depends
/// on this checkout's runtime by path.
fn generate_options() -> Options {
    let runtime = workspace_root().join("runtime");
    Options {
        generated_by: "cargo xtask generate".into(),
        runtime_path: runtime.display().to_string(),
        crate_name: None,
        standalone: true,
        release: None,
        ..Options::default()
    }
}

fn generate(spec: &Path, dir: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let krate = codegen::generate(spec, &generate_options())?;
    let mut output = Output::new(dir);
    output.add_crate("", &krate);
    let report = codegen::write(&output)?;
    writeln!(
        out,
        "{}: {} written, {} unchanged, {} removed",
        dir.display(),
        report.written.len(),
        report.unchanged,
        report.removed.len()
    )?;
    Ok(true)
}

/// `cargo xtask import`: copies every version of each named service from
/// `source` (`tccli/services/` as Tencent ships it, with `v<date>/` version
/// directories, or a directory in this project's `api-spec/` layout) into
/// `root/api-spec/<service>/<YYYY-MM-DD>/`. Every version is validated before
/// anything is written; files the source does not have (`overlay.json`) stay.
pub fn import(
    root: &Path,
    source: &Path,
    services: &[String],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut copies: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    for service in services {
        let dir = [source.join(service), source.join("services").join(service)]
            .into_iter()
            .find(|d| d.is_dir())
            .with_context(|| format!("no service `{service}` in {}", source.display()))?;
        let versions = codegen::spec_dirs(&dir)?;
        for version_dir in versions {
            let spec = codegen::load_service(&version_dir)?;
            let version = spec.newest().version.clone();
            if spec.short_name != *service && dir_name(&dir) != *service {
                anyhow::bail!(
                    "{}: declares service `{}`, not `{service}`",
                    version_dir.display(),
                    spec.short_name
                );
            }
            copies.push((
                version_dir,
                root.join("api-spec").join(service).join(&version),
                format!("{service} {version}"),
            ));
        }
    }
    for (from, to, label) in copies {
        std::fs::create_dir_all(&to).with_context(|| format!("cannot create {}", to.display()))?;
        for file in codegen::load::SPEC_FILES {
            let source_file = from.join(file);
            if !source_file.is_file() {
                continue;
            }
            let target = to.join(file);
            let tmp = to.join(format!(".{file}.import-tmp"));
            std::fs::copy(&source_file, &tmp)
                .with_context(|| format!("cannot copy {}", source_file.display()))?;
            std::fs::rename(&tmp, &target)
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        writeln!(out, "imported {label} into {}", to.display())?;
    }
    Ok(())
}

fn subdirs(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.is_dir() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// The cargo that runs this command (`cargo xtask` sets `CARGO`), or the
/// one on the `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Every file below `dir`, at any depth, sorted.
pub fn files_below(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in
            std::fs::read_dir(&d).with_context(|| format!("cannot list {}", d.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
