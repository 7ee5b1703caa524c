//! `cargo xtask diff <OLD> <NEW>`: an API bump's effect on users, every
//! change of the generated public API explained by the spec. OLD and NEW are
//! spec directories, or `REV:PATH` in git history.

use crate::flags::Format;
use crate::history::Git;
use crate::workspace::TempDir;
use anyhow::{bail, Context as _};
use codegen::diff::diff_services;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs the command: exit 0 when nothing breaks, 2 when something does
/// (errors are 1, from the caller).
pub fn run(old: &str, new: &str, format: Format, out: &mut dyn Write) -> anyhow::Result<u8> {
    let (old_dir, _old_temp) = spec_source(old)?;
    let (new_dir, _new_temp) = spec_source(new)?;
    let old_service = codegen::load_service(&old_dir).with_context(|| format!("old spec {old}"))?;
    // As a release would load it: the names the old one handed out stay.
    let new_service = codegen::load_service_after(&new_dir, Some(&old_service))
        .with_context(|| format!("new spec {new}"))?;
    let report = diff_services(&old_service, &new_service)?;
    if format == Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", report.to_markdown(&format!("{old} → {new}")))?;
    }
    Ok(if report.is_breaking() { 2 } else { 0 })
}

/// A spec directory argument: a path on disk, or `REV:PATH` in git history
/// (PATH from the top of the work tree), copied out to a temporary directory.
fn spec_source(arg: &str) -> anyhow::Result<(PathBuf, Option<TempDir>)> {
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
    if !git.materialize(rev, path, temp.path())? {
        bail!("{arg}: no spec files (api.json …) at `{path}` in {rev}");
    }
    Ok((temp.path().to_owned(), Some(temp)))
}
