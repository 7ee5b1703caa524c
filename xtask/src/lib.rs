//! The project's commands, as a library so that tests run exactly what
//! `cargo xtask` runs, in process.
//!
//! The command line (every command, its arguments and their help) is
//! declared in [`flags`]; `cargo xtask --help` prints it. [`run`] parses it
//! and hands each command to the module named after it; the other modules
//! hold what the commands share.

mod bench_catalog;
mod bench_compile;
pub mod bumps;
mod check_names;
pub mod client_tokens;
mod codegen;
mod corpus;
mod diff;
pub mod flags;
mod generate;
mod history;
mod import;
mod manifest;
pub mod paginators;
pub mod release;
mod services;
pub mod streams;
mod versions;
mod workspace;

pub use crate::codegen::{drift, lock as codegen_lock, project_outputs, run as codegen};
pub use crate::import::run as import;
pub use crate::workspace::{cargo, files_below, workspace_root};

use flags::XtaskCmd;
use std::io::Write;
use std::path::Path;

/// Runs a command; returns the process exit code (0 ok, 1 failure, 2 usage).
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let command = match flags::parse(args) {
        Ok(command) => command,
        Err(help) if help.is_help() => {
            let _ = writeln!(out, "{help}");
            return 0;
        }
        Err(usage) => {
            let _ = writeln!(
                err,
                "error: {usage}\nusage: cargo xtask <command> …; `cargo xtask --help` lists them"
            );
            return 2;
        }
    };
    let root = workspace_root();
    exit_code(dispatch(command, &root, out), &root, err)
}

/// Runs the parsed command; its exit code.
fn dispatch(command: XtaskCmd, root: &Path, out: &mut dyn Write) -> anyhow::Result<u8> {
    let ok = match command {
        XtaskCmd::Help(_) => {
            writeln!(out, "{}", flags::help())?;
            true
        }
        XtaskCmd::Codegen(c) => codegen::run(root, c.check, out)?,
        XtaskCmd::Generate(c) => generate::run(&c.spec_dir, &c.out, out)?,
        XtaskCmd::Corpus(c) => corpus::run(&c.root, root, !c.no_lint, out)?,
        XtaskCmd::Paginators(c) => {
            let spec_root = c.spec_root.unwrap_or_else(|| root.join("api-spec"));
            paginators::run(&spec_root, out)?
        }
        XtaskCmd::ClientTokens(c) => {
            let spec_root = c.spec_root.unwrap_or_else(|| root.join("api-spec"));
            client_tokens::run(&spec_root, out)?
        }
        XtaskCmd::Streams(c) => {
            let spec_root = c.spec_root.unwrap_or_else(|| root.join("api-spec"));
            streams::run(&spec_root, out)?
        }
        XtaskCmd::BenchCompile(c) => bench_compile::run(root, c.rounds.unwrap_or(1), out)?,
        XtaskCmd::Release(c) => {
            let manifest = c.manifest.unwrap_or_else(|| root.join(manifest::DEFAULT));
            let request = release::Request {
                repo: root,
                spec_root: &c.spec_root,
                out_dir: &c.out,
                manifest: &manifest,
                previous: c.previous.as_deref(),
            };
            release::run(&request, out)?
        }
        XtaskCmd::CheckNames(c) => {
            let manifest = c.manifest.unwrap_or_else(|| root.join(manifest::DEFAULT));
            check_names::run(&manifest, out)?
        }
        XtaskCmd::BenchCatalog(c) => {
            let parent = c.out.unwrap_or_else(|| root.join("target"));
            bench_catalog::run(&c.root, &parent, c.rounds.unwrap_or(1), out)?
        }
        XtaskCmd::Import(c) => {
            import::run(root, &c.source, &c.services, out)?;
            true
        }
        XtaskCmd::Diff(c) => return diff::run(&c.old, &c.new, c.format.unwrap_or_default(), out),
        XtaskCmd::Bumps(c) => bumps::run(&c.old_root, &c.new_root, out)?,
    };
    Ok(if ok { 0 } else { 1 })
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
