//! `cargo xtask bench-catalog <ROOT>`: generating every service below ROOT
//! in this one process ([`services::generate_all`], on all cores) against
//! the same work done by one `cargo xtask generate` process per service,
//! run one after the other (each of them on all cores), in the same run.
//!
//! Both write every crate to a new directory below `DIR/bench-catalog/`
//! (`--out DIR`, by default `target/`), with the options of `cargo xtask
//! generate`; the two trees of the first round are then compared byte for
//! byte, and everything below `bench-catalog/` is removed at the end. Each
//! side runs `rounds` times, alternating, and the fastest round of each is
//! reported.

use crate::services::{self, Job};
use anyhow::Context as _;
use codegen::Output;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The directories each round's two sides write below.
const ONE_PROCESS: &str = "one-process";
const PROCESS_PER_SERVICE: &str = "process-per-service";

/// Runs the benchmark for the services below `root`, writing below
/// `parent/bench-catalog/`; `Ok(false)` when the two sides' trees differ.
pub fn run(root: &Path, parent: &Path, rounds: u32, out: &mut dyn Write) -> anyhow::Result<bool> {
    // Only its own folder below the one given: the bench removes it.
    let work = parent.join("bench-catalog");
    let jobs = services::find(root, "catalog")?;
    anyhow::ensure!(
        !jobs.is_empty(),
        "no spec directory (a directory holding api.json) below {}",
        root.display()
    );
    let specs: usize = jobs
        .iter()
        .map(|job| codegen::spec_dirs(&job.dir).map_or(0, |dirs| dirs.len()))
        .sum();
    let exe = std::env::current_exe().context("cannot find the running xtask binary")?;
    writeln!(
        out,
        "bench-catalog: {} services ({specs} spec versions) below {}, {} threads, {rounds} round(s), writing below {}",
        jobs.len(),
        root.display(),
        rayon::current_num_threads(),
        work.display()
    )?;
    // Left over from a run that was stopped: removed before any timing.
    remove_tree(&work)?;
    let (mut best_one, mut best_each) = (Duration::MAX, Duration::MAX);
    let mut differences = Vec::new();
    for round in 1..=rounds {
        // Every round writes new trees and nothing is removed until the
        // end: creating files right after removing thousands is slow on
        // some filesystems (ext4 without a journal scans the recently
        // freed inodes on each create), which would time the removal, not
        // the generator.
        let round_dir = work.join(format!("round-{round}"));
        let (one, each) = time_round(&exe, &jobs, &round_dir, round, out)?;
        best_one = best_one.min(one);
        best_each = best_each.min(each);
        if round == 1 {
            differences = compare_trees(
                &round_dir.join(ONE_PROCESS),
                &round_dir.join(PROCESS_PER_SERVICE),
            )?;
        }
    }
    remove_tree(&work)?;
    for difference in &differences {
        writeln!(out, "differs: {difference}")?;
    }
    writeln!(
        out,
        "\ngenerate {} services | one process (s) | one process per service (s) | ratio\n---|---|---|---\nfastest of {rounds} | {:.2} | {:.2} | {:.2}",
        jobs.len(),
        best_one.as_secs_f64(),
        best_each.as_secs_f64(),
        best_one.as_secs_f64() / best_each.as_secs_f64()
    )?;
    Ok(differences.is_empty())
}

/// One round of both sides, each writing below `dir`, and its line: the time
/// of one process and of one process per service. Both sides must fail on
/// the same services (the first round names them).
fn time_round(
    exe: &Path,
    jobs: &[Job],
    dir: &Path,
    round: u32,
    out: &mut dyn Write,
) -> anyhow::Result<(Duration, Duration)> {
    let (each, failed_each) = time_process_per_service(exe, jobs, &dir.join(PROCESS_PER_SERVICE))?;
    let (one, failed_one) = time_one_process(jobs, &dir.join(ONE_PROCESS))?;
    anyhow::ensure!(
        failed_one == failed_each,
        "the generator failed on {failed_one:?} in one process but on {failed_each:?} one process per service"
    );
    if round == 1 && !failed_one.is_empty() {
        writeln!(
            out,
            "the generator rejects {} service(s) on both sides: {}",
            failed_one.len(),
            failed_one.join(", ")
        )?;
    }
    writeln!(
        out,
        "round {round}: one process {:.2} s, one process per service {:.2} s",
        one.as_secs_f64(),
        each.as_secs_f64()
    )?;
    Ok((one, each))
}

/// Generates every job with one `xtask generate` process each (`exe`), one
/// after the other, below `dir`: the time taken and the labels that failed.
fn time_process_per_service(
    exe: &Path,
    jobs: &[Job],
    dir: &Path,
) -> anyhow::Result<(Duration, Vec<String>)> {
    let started = Instant::now();
    let mut failed = Vec::new();
    for job in jobs {
        let status = Command::new(exe)
            .arg("generate")
            .arg(&job.dir)
            .arg("--out")
            .arg(dir.join(&job.label))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("cannot run xtask generate")?;
        if !status.success() {
            failed.push(job.label.clone());
        }
    }
    Ok((started.elapsed(), failed))
}

/// Generates every job in this process ([`services::generate_all`]) and
/// writes the crates below `dir`: the time taken and the labels that failed
/// (a spec the generator rejects fails alike on both sides).
fn time_one_process(jobs: &[Job], dir: &Path) -> anyhow::Result<(Duration, Vec<String>)> {
    let started = Instant::now();
    let results = services::generate_all(jobs, |_| crate::generate::options(), |_, _| {});
    let written: Vec<anyhow::Result<Option<String>>> = jobs
        .par_iter()
        .zip(results)
        .map(|(job, result)| {
            let Ok(krate) = result else {
                return Ok(Some(job.label.clone()));
            };
            let mut output = Output::new(dir.join(&job.label));
            output.add_crate("", &krate.krate);
            codegen::write(&output)?;
            Ok(None)
        })
        .collect();
    let mut failed = Vec::new();
    for result in written {
        failed.extend(result?);
    }
    Ok((started.elapsed(), failed))
}

/// Removes `dir` and everything below it, if it exists.
fn remove_tree(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    }
    Ok(())
}

/// The relative paths of files that differ between two trees, or are in
/// only one of them.
fn compare_trees(a: &Path, b: &Path) -> anyhow::Result<Vec<String>> {
    let files = |root: &Path| -> anyhow::Result<std::collections::BTreeMap<PathBuf, PathBuf>> {
        crate::workspace::files_below(root)?
            .into_iter()
            .map(|path| Ok((path.strip_prefix(root)?.to_owned(), path)))
            .collect()
    };
    let (a, b) = (files(a)?, files(b)?);
    let mut differences = Vec::new();
    for (relative, path) in &a {
        let same = match b.get(relative) {
            Some(other) => std::fs::read(path)? == std::fs::read(other)?,
            None => false,
        };
        if !same {
            differences.push(relative.display().to_string());
        }
    }
    differences.extend(
        b.keys()
            .filter(|relative| !a.contains_key(*relative))
            .map(|relative| relative.display().to_string()),
    );
    Ok(differences)
}
