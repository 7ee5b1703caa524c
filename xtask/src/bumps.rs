//! `cargo xtask bumps <OLD_ROOT> <NEW_ROOT>`: Tencent's real API bumps, run
//! as a user regenerating after an update would run them.
//!
//! Both roots are spec trees (a `tccli` `services/` tree as published, or
//! the `api-spec/` layout). For every service in both, each API version in
//! both goes through what `cargo xtask diff` does, and the whole service
//! through the release step (`cargo xtask release --previous`, in memory:
//! the new spec loaded after the released one, the report, the version it
//! implies, the crate generated with it). One table row per service: the
//! bump, the changes by impact and by kind, and any failure.

use crate::release::release_after;
use crate::services::{self, Job};
use anyhow::Context as _;
use codegen::diff::{diff_services, Bump, Category, Report};
use codegen::{Options, Release};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What one service's bump came to.
#[derive(Debug, Clone)]
pub struct Row {
    /// The service's directory, relative to the roots (`lcic`).
    pub label: String,
    /// Per API version in both trees (by date): what `cargo xtask diff`
    /// exits with (0 nothing breaks, 2 something does, 1 it failed).
    pub diff_exits: BTreeMap<String, u8>,
    /// Diff failures, one sentence each.
    pub failures: Vec<String>,
    /// The release step's report, or why it failed.
    pub release: Result<Released, String>,
}

/// A release step that succeeded.
#[derive(Debug, Clone)]
pub struct Released {
    /// The report between the two trees' service.
    pub report: Report,
    /// The version after 0.1.0 it gives.
    pub version: codegen::diff::Version,
}

impl Row {
    /// Whether everything about this service worked.
    pub fn ok(&self) -> bool {
        self.failures.is_empty() && self.release.is_ok()
    }
}

/// Runs the command: prints the table, `Ok(false)` when any service failed.
pub fn run(old_root: &Path, new_root: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let rows = bumps(old_root, new_root)?;
    print(&rows, out)?;
    Ok(rows.iter().all(Row::ok))
}

/// One row per service present in both roots, by label.
pub fn bumps(old_root: &Path, new_root: &Path) -> anyhow::Result<Vec<Row>> {
    let old: BTreeMap<String, Job> = services::find(old_root, "old")?
        .into_iter()
        .map(|j| (j.label.clone(), j))
        .collect();
    let pairs: Vec<(Job, Job)> = services::find(new_root, "new")?
        .into_iter()
        .filter_map(|new| Some((old.get(&new.label)?.clone(), new)))
        .collect();
    if pairs.is_empty() {
        anyhow::bail!(
            "no service is in both {} and {}",
            old_root.display(),
            new_root.display()
        );
    }
    Ok(pairs
        .par_iter()
        .map(|(old, new)| service_row(old, new))
        .collect())
}

fn service_row(old: &Job, new: &Job) -> Row {
    let mut row = Row {
        label: new.label.clone(),
        diff_exits: BTreeMap::new(),
        failures: Vec::new(),
        release: Err(String::new()),
    };
    match version_pairs(&old.dir, &new.dir) {
        Ok(pairs) => {
            for (date, old_dir, new_dir) in pairs {
                let exit = match diff_exit(&old_dir, &new_dir) {
                    Ok(exit) => exit,
                    Err(e) => {
                        row.failures.push(format!("diff of {date}: {e:#}"));
                        1
                    }
                };
                row.diff_exits.insert(date, exit);
            }
        }
        Err(e) => row.failures.push(format!("{e:#}")),
    }
    row.release = release(&old.dir, &new.dir).map_err(|e| format!("{e:#}"));
    row
}

/// What `cargo xtask diff OLD NEW` exits with for one API version.
fn diff_exit(old: &Path, new: &Path) -> anyhow::Result<u8> {
    let old_service = codegen::load_service(old).context("old spec")?;
    let new_service = codegen::load_service_after(new, Some(&old_service)).context("new spec")?;
    let report = diff_services(&old_service, &new_service)?;
    Ok(if report.is_breaking() { 2 } else { 0 })
}

/// The release step for the whole service, from a first release of the
/// old spec: the version it moves to, and the crate generated with it.
fn release(old: &Path, new: &Path) -> anyhow::Result<Released> {
    let (service, report, release) = release_after(old, new, Release::initial())?;
    let options = Options {
        release: Some(release.clone()),
        ..Options::default()
    };
    codegen::generate_service(&service, &options)?;
    Ok(Released {
        report,
        version: release.version,
    })
}

/// The API versions in both service directories, keyed by date (`tccli`'s
/// `v20220817` and `api-spec/`'s `2022-08-17` are the same version).
fn version_pairs(old: &Path, new: &Path) -> anyhow::Result<Vec<(String, PathBuf, PathBuf)>> {
    let by_date = |dir: &Path| -> anyhow::Result<BTreeMap<String, PathBuf>> {
        Ok(codegen::spec_dirs(dir)?
            .into_iter()
            .map(|d| (date_of(&d), d))
            .collect())
    };
    let old = by_date(old)?;
    Ok(by_date(new)?
        .into_iter()
        .filter_map(|(date, n)| Some((date.clone(), old.get(&date)?.clone(), n)))
        .collect())
}

/// A version directory's date, digits only.
fn date_of(dir: &Path) -> String {
    crate::workspace::dir_name(dir)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// The table, then the totals.
fn print(rows: &[Row], out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "| service | versions in both | `diff` exits | release | breaking | additive | doc-only | changes by kind |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for row in rows {
        let exits: Vec<String> = row.diff_exits.values().map(u8::to_string).collect();
        let (release, counts, kinds) = match &row.release {
            Ok(r) => {
                let (b, a, d) = r.report.counts();
                let bump = match r.report.bump {
                    Bump::Major => "major",
                    Bump::Minor => "minor",
                    Bump::Patch => "patch",
                    Bump::None => "none",
                };
                (
                    format!("{bump} → {}", r.version),
                    [b, a, d].map(|n| n.to_string()),
                    kinds(&r.report),
                )
            }
            Err(e) => (
                format!("FAILED: {}", one_line(e)),
                ["-".into(), "-".into(), "-".into()],
                String::new(),
            ),
        };
        writeln!(
            out,
            "| {} | {} | {} | {release} | {} | {} | {} | {kinds} |",
            row.label,
            row.diff_exits.len(),
            exits.join(" "),
            counts[0],
            counts[1],
            counts[2],
        )?;
        for failure in &row.failures {
            writeln!(out, "|  | FAILED: {} | | | | | | |", one_line(failure))?;
        }
    }
    let pairs = rows.iter().map(|r| r.diff_exits.len()).sum::<usize>();
    let exits = |code: u8| {
        rows.iter()
            .flat_map(|r| r.diff_exits.values())
            .filter(|&&e| e == code)
            .count()
    };
    let released = rows.iter().filter(|r| r.release.is_ok()).count();
    writeln!(
        out,
        "\n{} services in both, {pairs} API versions in both: `diff` exited 0 for {}, 2 for {}, 1 for {}; the release step succeeded for {released} of {} services",
        rows.len(),
        exits(0),
        exits(2),
        exits(1),
        rows.len()
    )?;
    Ok(())
}

/// `member 12, generated 3, …`: the report's changes per category.
fn kinds(report: &Report) -> String {
    let mut counts: BTreeMap<Category, usize> = BTreeMap::new();
    for change in &report.changes {
        *counts.entry(change.category).or_default() += 1;
    }
    counts
        .iter()
        .map(|(category, n)| format!("{} {n}", category.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A message fit for a table cell.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
