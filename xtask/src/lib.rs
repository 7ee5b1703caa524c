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
//! - `cargo xtask diff <OLD> <NEW>` reports an API bump's effect on users.

mod corpus;
pub mod release;

use anyhow::Context as _;
use codegen::{Drift, Options, Output};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The command named in the marker line of checked-in generated files.
pub const CODEGEN_COMMAND: &str = "cargo xtask codegen";

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check]          regenerate generated/ (and test fixtures) from api-spec/
  cargo xtask generate <SPEC_DIR> --out <DIR>
                                         generate one standalone crate from a spec directory
                                         (a version directory holding api.json, or a service
                                         directory whose subdirectories are its versions)
  cargo xtask corpus <ROOT>              generate, check, lint, document and run the examples of
                                         every spec directory below ROOT, and print a table
  cargo xtask diff <OLD> <NEW> [--format markdown|json]
                                         what changed between two versions of a spec, for users of
                                         the generated crate; OLD/NEW are directories or REV:PATH;
                                         exit 0 when nothing breaks, 2 when something does";

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
        ["corpus", spec_root] => corpus::run(Path::new(spec_root), &root, out),
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
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ lives directly below the workspace root")
        .to_owned()
}

/// Everything `cargo xtask codegen` keeps in the repository: one [`Output`]
/// per sweep root. Nothing is written; any spec error is returned first.
pub fn project_outputs(root: &Path) -> anyhow::Result<Vec<Output>> {
    let mut outputs = Vec::new();
    let mut generated = Output::new(root.join("generated"));
    for service_dir in subdirs(&root.join("api-spec"))? {
        let name = dir_name(&service_dir);
        let service = codegen::load_service(&service_dir)?;
        let options = Options {
            release: Some(release::release_for(root, &name, &service)?),
            ..checked_in_options("../../runtime", None)
        };
        generated.add_crate(&name, &codegen::emit_crate(&service, &options)?);
    }
    outputs.push(generated);
    for case in subdirs(&root.join("tests/fixtures"))? {
        let name = dir_name(&case);
        let options = checked_in_options(
            "../../../../runtime",
            Some(format!("fixture-{}", name.replace('_', "-"))),
        );
        let krate = codegen::generate(&case.join("spec"), &options)?;
        let mut fixture = Output::new(case.join("expected"));
        fixture.add_crate("", &krate);
        outputs.push(fixture);
    }
    Ok(outputs)
}

fn checked_in_options(runtime_path: &str, crate_name: Option<String>) -> Options {
    Options {
        generated_by: CODEGEN_COMMAND.into(),
        runtime_path: runtime_path.into(),
        crate_name,
        standalone: false,
        release: None,
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

fn generate(spec: &Path, dir: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let runtime = workspace_root().join("runtime");
    let options = Options {
        generated_by: "cargo xtask generate".into(),
        runtime_path: runtime.display().to_string(),
        crate_name: None,
        standalone: true,
        release: None,
    };
    let krate = codegen::generate(spec, &options)?;
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

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
