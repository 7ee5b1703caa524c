//! `cargo xtask corpus <ROOT>`: every spec directory below ROOT, generated,
//! checked, linted, documented and its examples run, with a table.
//!
//! The crates are generated in one process on all cores
//! ([`catalog::generate_all`]) into one cargo workspace under
//! `target/corpus/`, so dependencies compile once and a second run only
//! rebuilds what changed (unchanged files keep their timestamps). Cargo's
//! JSON messages (read with `cargo_metadata`) attribute each diagnostic to
//! its crate by package id.

use crate::catalog::{self, Generated, Job};
use anyhow::{bail, Context as _};
use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::{Message, MetadataCommand, PackageId};
use codegen::{Options, Output};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Per-crate results of the cargo runs.
#[derive(Default, Clone)]
struct Checks {
    check: Option<String>,
    clippy: Option<String>,
    doc: Option<String>,
    /// The first error building the crate's tests.
    test_build: Option<String>,
    /// Passed and failed example tests per version module.
    examples: BTreeMap<String, (usize, usize)>,
    tests_ran: bool,
}

/// Runs the corpus command; `Ok(false)` when any spec failed. Without
/// `lint`, the clippy step (check and lints) is left out and its columns
/// say `-`: rustdoc and the test build still fail on code that does not
/// compile.
pub fn run(root: &Path, workspace: &Path, lint: bool, out: &mut dyn Write) -> anyhow::Result<bool> {
    let jobs = catalog::find_services(root, "corpus")?;
    if jobs.is_empty() {
        bail!(
            "no spec directory (a directory holding api.json) below {}",
            root.display()
        );
    }
    writeln!(
        out,
        "corpus: {} services below {}",
        jobs.len(),
        root.display()
    )?;
    let work = workspace.join("target/corpus");
    let generated = generate_all(&jobs, workspace, out)?;
    let crates_dir = work.join("ws/crates");
    write_workspace(&work.join("ws"), &crates_dir, &jobs, &generated)?;
    pin_dependencies(workspace, &work.join("ws"))?;
    let members: Vec<&Job> = jobs
        .iter()
        .zip(&generated)
        .filter(|(_, g)| g.is_ok())
        .map(|(j, _)| j)
        .collect();
    let mut checks: BTreeMap<String, Checks> = members
        .iter()
        .map(|j| (j.package.clone(), Checks::default()))
        .collect();
    let ws = work.join("ws");
    let target = work.join("target");
    if !members.is_empty() && lint {
        writeln!(
            out,
            "corpus: cargo clippy (check + lints) on {} crates",
            members.len()
        )?;
        for (package, errors) in cargo_errors(
            &ws,
            &target,
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--keep-going",
            ],
            &["--", "-D", "warnings"],
            None,
        )? {
            let entry = checks.entry(package).or_default();
            entry.check = errors.iter().find(|e| e.compile).map(|e| e.text.clone());
            entry.clippy = errors.first().map(|e| e.text.clone());
        }
    }
    if !members.is_empty() {
        writeln!(out, "corpus: cargo doc with RUSTDOCFLAGS=-D warnings")?;
        for (package, errors) in cargo_errors(
            &ws,
            &target,
            &[
                "doc",
                "--workspace",
                "--no-deps",
                "--all-features",
                "--keep-going",
            ],
            &[],
            Some("-D warnings"),
        )? {
            checks.entry(package).or_default().doc = errors.first().map(|e| e.text.clone());
        }
        let testable: Vec<&str> = members
            .iter()
            .filter(|j| checks.get(&j.package).is_some_and(|c| c.clippy.is_none()))
            .map(|j| j.package.as_str())
            .collect();
        writeln!(
            out,
            "corpus: running the example tests of {} crates",
            testable.len()
        )?;
        run_tests(&ws, &target, &testable, &mut checks)?;
    }
    let passed = report(&jobs, &generated, &checks, lint, &work, out)?;
    Ok(passed)
}

/// Generates every job in one process on all cores ([`catalog::generate_all`]);
/// one result per job, in job order.
fn generate_all(
    jobs: &[Job],
    workspace: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<Vec<Result<Generated, String>>> {
    let runtime = workspace.join("runtime").display().to_string();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let options = |job: &Job| Options {
        generated_by: "cargo xtask corpus".into(),
        runtime_path: runtime.clone(),
        crate_name: Some(job.package.clone()),
        ..Options::default()
    };
    let results = catalog::generate_all(jobs, options, |job, result| {
        // Progress goes to the terminal as each service finishes.
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        match result {
            Ok(g) => eprintln!(
                "[{n}/{}] generated {} in {} ms",
                jobs.len(),
                job.label,
                g.millis
            ),
            Err(_) => eprintln!("[{n}/{}] FAILED to generate {}", jobs.len(), job.label),
        }
    });
    let results: Vec<Result<Generated, String>> = results
        .into_iter()
        .map(|result| result.map_err(|e| e.to_string()))
        .collect();
    for (job, result) in jobs.iter().zip(&results) {
        if let Err(e) = result {
            writeln!(out, "FAILED to generate {}: {e}", job.label)?;
        }
    }
    Ok(results)
}

/// Writes the generated crates and the corpus workspace manifest.
fn write_workspace(
    ws: &Path,
    crates_dir: &Path,
    jobs: &[Job],
    generated: &[Result<Generated, String>],
) -> anyhow::Result<()> {
    let mut output = Output::new(crates_dir);
    let mut members = Vec::new();
    for (job, result) in jobs.iter().zip(generated) {
        if let Ok(g) = result {
            output.add_crate(&job.package, &g.krate);
            members.push(format!("    \"crates/{}\",", job.package));
        }
    }
    codegen::write(&output)?;
    let manifest = format!(
        "# @generated by `cargo xtask corpus`.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    std::fs::create_dir_all(ws)?;
    let path = ws.join("Cargo.toml");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(manifest.as_str()) {
        std::fs::write(&path, manifest)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Starts the corpus workspace's lock from the repository's, so the
/// crates build against the dependency versions the repository is tested
/// with (and a warm registry cache needs no index update); cargo adds the
/// corpus's own packages to it.
fn pin_dependencies(repo: &Path, ws: &Path) -> anyhow::Result<()> {
    let lock = ws.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(repo.join("Cargo.lock"), &lock)
            .with_context(|| format!("cannot write {}", lock.display()))?;
    }
    Ok(())
}

/// One error diagnostic: its rendered first lines, and whether it is a
/// compile error (as opposed to a lint denied by `-D warnings`).
struct Diagnostic {
    text: String,
    compile: bool,
}

/// Runs a cargo command with JSON messages; returns the error diagnostics
/// per package name (every package that compiled has an entry). Cargo's own
/// progress goes to the terminal.
fn cargo_errors(
    ws: &Path,
    target: &Path,
    args: &[&str],
    trailing: &[&str],
    rustdocflags: Option<&str>,
) -> anyhow::Result<BTreeMap<String, Vec<Diagnostic>>> {
    let names = package_names(ws)?;
    let mut command = Command::new(crate::cargo());
    command
        .args(args)
        .arg("--message-format=json")
        .args(trailing)
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        // One-off builds of hundreds of crates: incremental compilation's
        // caches (tens of gigabytes for a whole catalog) would never be reused.
        .env("CARGO_INCREMENTAL", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(flags) = rustdocflags {
        command.env("RUSTDOCFLAGS", flags);
    }
    let mut child = command.spawn().context("cannot run cargo")?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut errors: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for message in Message::parse_stream(BufReader::new(stdout)) {
        match message? {
            Message::CompilerArtifact(artifact) => {
                errors.entry(names.of(&artifact.package_id)).or_default();
            }
            Message::CompilerMessage(message) => {
                if let Some(diagnostic) = Diagnostic::of_error(&message.message) {
                    errors
                        .entry(names.of(&message.package_id))
                        .or_default()
                        .push(diagnostic);
                }
            }
            _ => {}
        }
    }
    child.wait()?;
    Ok(errors)
}

impl Diagnostic {
    /// The first lines of an error (not a warning, nor the closing "aborting
    /// due to" summary), and whether it is a compile error: rustc's own
    /// errors carry an `E…` code or none, lints denied by `-D warnings` a
    /// lint name.
    fn of_error(message: &cargo_metadata::diagnostic::Diagnostic) -> Option<Diagnostic> {
        if message.level != DiagnosticLevel::Error {
            return None;
        }
        let text = message.rendered.as_deref().unwrap_or_default();
        if text.is_empty() || text.starts_with("error: aborting due to") {
            return None;
        }
        let code = message.code.as_ref().map_or("", |c| c.code.as_str());
        Some(Diagnostic {
            text: text.lines().take(4).collect::<Vec<_>>().join("\n"),
            compile: code.starts_with('E') || code.is_empty(),
        })
    }
}

/// The workspace's package names by cargo package id, from `cargo metadata`.
struct PackageNames(BTreeMap<PackageId, String>);

impl PackageNames {
    /// The name of the package `id`; dependencies outside the workspace get
    /// their id's text, which matches no job.
    fn of(&self, id: &PackageId) -> String {
        self.0.get(id).cloned().unwrap_or_else(|| id.repr.clone())
    }
}

fn package_names(ws: &Path) -> anyhow::Result<PackageNames> {
    let metadata = MetadataCommand::new()
        .cargo_path(crate::cargo())
        .current_dir(ws)
        .no_deps()
        .exec()
        .with_context(|| format!("cargo metadata failed in {}", ws.display()))?;
    Ok(PackageNames(
        metadata
            .packages
            .into_iter()
            .map(|p| (p.id, p.name.to_string()))
            .collect(),
    ))
}

/// Builds the test executables of `packages` and runs them on all cores,
/// counting passed and failed example tests per version module.
fn run_tests(
    ws: &Path,
    target: &Path,
    packages: &[&str],
    checks: &mut BTreeMap<String, Checks>,
) -> anyhow::Result<()> {
    if packages.is_empty() {
        return Ok(());
    }
    let mut command = Command::new(crate::cargo());
    // Every API version of each crate, not only the default (newest) one;
    // `--keep-going` so that one crate that does not build leaves the
    // others' tests to run. Without debug info: a test binary per crate of
    // the whole catalog otherwise takes tens of gigabytes.
    command.args([
        "build",
        "--tests",
        "--all-features",
        "--keep-going",
        "--message-format=json",
    ]);
    for package in packages {
        command.args(["-p", package]);
    }
    let output = command
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        // One-off builds of hundreds of crates: incremental compilation's
        // caches (tens of gigabytes for a whole catalog) would never be reused.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_PROFILE_TEST_DEBUG", "false")
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo build --tests")?;
    let names = package_names(ws)?;
    let mut executables: Vec<(String, String)> = Vec::new();
    for message in Message::parse_stream(output.stdout.as_slice()) {
        match message? {
            Message::CompilerArtifact(artifact) if artifact.profile.test => {
                if let Some(exe) = artifact.executable {
                    executables.push((names.of(&artifact.package_id), exe.into_string()));
                }
            }
            Message::CompilerMessage(message) => {
                if let Some(error) = Diagnostic::of_error(&message.message) {
                    let entry = checks.entry(names.of(&message.package_id)).or_default();
                    entry.test_build.get_or_insert(error.text);
                }
            }
            _ => {}
        }
    }
    let results: Vec<(String, String)> = executables
        .par_iter()
        .map(|(package, exe)| {
            let text = Command::new(exe)
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            (package.clone(), text)
        })
        .collect();
    for (package, text) in results {
        let entry = checks.entry(package).or_default();
        entry.tests_ran = true;
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("test ") else {
                continue;
            };
            let Some((name, outcome)) = rest.rsplit_once(" ... ") else {
                continue;
            };
            let Some((module, _)) = name.split_once("::examples::") else {
                continue;
            };
            let counts = entry.examples.entry(module.to_owned()).or_default();
            match outcome {
                "ok" => counts.0 += 1,
                _ => counts.1 += 1,
            }
        }
    }
    Ok(())
}

/// Prints the table and the failures; returns whether every spec passed.
fn report(
    jobs: &[Job],
    generated: &[Result<Generated, String>],
    checks: &BTreeMap<String, Checks>,
    linted: bool,
    work: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let mut rows = vec![[
        "service",
        "version",
        "actions",
        "objects",
        "gen ms",
        "check",
        "clippy",
        "doc",
        "examples ok/failed/skipped",
    ]
    .map(String::from)
    .to_vec()];
    let mut failures = Vec::new();
    let mut skipped_lines = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    for (job, result) in jobs.iter().zip(generated) {
        let g = match result {
            Ok(g) => g,
            Err(e) => {
                rows.push(vec![
                    job.label.clone(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "FAILED".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                ]);
                failures.push(format!("{}: generate: {e}", job.label));
                failed += 1;
                continue;
            }
        };
        let c = checks.get(&job.package).cloned().unwrap_or_default();
        for version in &g.service.versions {
            let skipped: Vec<String> = version
                .skipped_examples()
                .into_iter()
                .map(|(action, index, part, reason)| {
                    format!(
                        "{}/{} {action} example {index} {part}: {reason}",
                        job.label, version.version
                    )
                })
                .collect();
            let (ok, bad) = c.examples.get(&version.module).copied().unwrap_or((0, 0));
            let status = |e: &Option<String>| if e.is_some() { "FAIL" } else { "ok" }.to_owned();
            let lint_status = |e: &Option<String>| if linted { status(e) } else { "-".into() };
            let tests_failed = bad > 0 || (!c.tests_ran && c.clippy.is_none());
            let spec_failed =
                c.check.is_some() || c.clippy.is_some() || c.doc.is_some() || tests_failed;
            rows.push(vec![
                job.label.clone(),
                version.version.clone(),
                version.actions.len().to_string(),
                version.objects.len().to_string(),
                g.millis.to_string(),
                lint_status(&c.check),
                lint_status(&c.clippy),
                status(&c.doc),
                format!("{ok}/{bad}/{}", skipped.len()),
            ]);
            if spec_failed {
                failed += 1;
                let first = c
                    .check
                    .as_ref()
                    .or(c.clippy.as_ref())
                    .or(c.doc.as_ref())
                    .or(c.test_build.as_ref());
                let reason = match first {
                    Some(error) => error.clone(),
                    None if bad > 0 => format!("{bad} example test(s) failed"),
                    None => "the tests did not run".into(),
                };
                failures.push(format!("{}/{}: {reason}", job.label, version.version));
            } else {
                passed += 1;
            }
            skipped_lines.extend(skipped);
        }
    }
    writeln!(out)?;
    print_table(&rows, out)?;
    let skipped_file = work.join("examples-skipped.txt");
    std::fs::write(&skipped_file, skipped_lines.join("\n") + "\n")?;
    writeln!(
        out,
        "\n{} examples skipped because they disagree with the spec; reasons in {}",
        skipped_lines.len(),
        skipped_file.display()
    )?;
    for failure in &failures {
        writeln!(out, "\nFAILED {failure}")?;
    }
    writeln!(out, "corpus: {passed} passed, {failed} failed")?;
    Ok(failed == 0)
}

fn print_table(rows: &[Vec<String>], out: &mut dyn Write) -> std::io::Result<()> {
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(level: &str, code: Option<&str>, rendered: &str) -> Option<Diagnostic> {
        let message = serde_json::json!({
            "message": rendered.lines().next().unwrap_or_default(),
            "code": code.map(|c| serde_json::json!({"code": c, "explanation": null})),
            "level": level,
            "spans": [],
            "children": [],
            "rendered": rendered,
        });
        Diagnostic::of_error(&serde_json::from_value(message).expect("rustc's diagnostic shape"))
    }

    #[test]
    fn errors_are_told_from_denied_lints_and_noise() {
        let compile = diagnostic(
            "error",
            Some("E0308"),
            "error[E0308]: mismatched types\n --> a.rs\n |\n1 | x\n5 | more",
        )
        .expect("an error");
        assert!(compile.compile);
        assert_eq!(
            compile.text.lines().count(),
            4,
            "the first four lines are kept"
        );
        let lint = diagnostic(
            "error",
            Some("clippy::needless_borrow"),
            "error: needless borrow",
        )
        .expect("a denied lint is an error");
        assert!(!lint.compile);
        assert!(diagnostic("warning", Some("unused"), "warning: unused").is_none());
        assert!(diagnostic("error", None, "error: aborting due to 2 previous errors").is_none());
    }

    #[test]
    fn the_table_is_aligned() {
        let rows = vec![
            vec!["service".to_owned(), "ms".to_owned()],
            vec!["cn/tke".to_owned(), "1234".to_owned()],
        ];
        let mut out = Vec::new();
        print_table(&rows, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "service  ms\ncn/tke   1234\n"
        );
    }
}
