//! Specs from git history: the work tree a directory is in, the commits
//! that touched a path, and the spec files of a directory at any commit.

use crate::workspace::TempDir;
use anyhow::Context as _;
use codegen::ir::Service;
use codegen::load::SPEC_FILES;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A git work tree.
pub struct Git {
    toplevel: PathBuf,
}

impl Git {
    /// The work tree `dir` is in, if any (and if git is installed).
    pub fn find(dir: &Path) -> Option<Git> {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["rev-parse", "--show-toplevel"])
            .output()
            .ok()?;
        out.status.success().then(|| Git {
            toplevel: PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()),
        })
    }

    /// `dir` relative to the top of the work tree, `/`-separated, with a
    /// trailing `/` (empty at the top).
    pub fn prefix(&self, dir: &Path) -> String {
        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
        let top = self
            .toplevel
            .canonicalize()
            .unwrap_or_else(|_| self.toplevel.clone());
        match canonical.strip_prefix(&top) {
            Ok(rel) if rel.as_os_str().is_empty() => String::new(),
            Ok(rel) => format!("{}/", rel.to_string_lossy().replace('\\', "/")),
            Err(_) => String::new(),
        }
    }

    /// `dir` relative to the top of the work tree, `/`-separated, no
    /// trailing `/` (empty at the top).
    pub fn relative(&self, dir: &Path) -> String {
        self.prefix(dir).trim_end_matches('/').to_owned()
    }

    /// The newest `limit` commits that touched `path`, newest first.
    pub fn commits_touching(&self, path: &str, limit: usize) -> Vec<String> {
        let limit = format!("-{limit}");
        let out = self
            .git(&["log", &limit, "--format=%H", "--", path])
            .unwrap_or_default();
        String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn git(&self, args: &[&str]) -> Option<Vec<u8>> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.toplevel)
            .args(args)
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    }

    /// Whether `rev` names a commit.
    pub fn is_commit(&self, rev: &str) -> bool {
        self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])
        .is_some()
    }

    /// A file's contents at `rev` (`path` from the top of the work tree).
    pub fn show(&self, rev: &str, path: &str) -> Option<Vec<u8>> {
        self.git(&["show", &format!("{rev}:{path}")])
    }

    /// Copies the spec files below `path` at `rev` into `into`, keeping their
    /// subdirectories; returns whether there were any.
    pub fn materialize(&self, rev: &str, path: &str, into: &Path) -> anyhow::Result<bool> {
        let path = path.trim_end_matches('/');
        let listing = self
            .git(&["ls-tree", "-r", "--name-only", rev, "--", path])
            .unwrap_or_default();
        let mut found = false;
        for file in String::from_utf8_lossy(&listing).lines() {
            let Some(relative) = file.strip_prefix(path).map(|r| r.trim_start_matches('/')) else {
                continue;
            };
            let name = relative.rsplit('/').next().unwrap_or(relative);
            if !SPEC_FILES.contains(&name) {
                continue;
            }
            let bytes = self
                .show(rev, file)
                .with_context(|| format!("git cannot show {rev}:{file}"))?;
            let target = into.join(relative);
            std::fs::create_dir_all(
                target
                    .parent()
                    .expect("a file below a directory has a parent"),
            )?;
            std::fs::write(&target, bytes)?;
            found = true;
        }
        Ok(found)
    }
}

/// A service's spec as committed at `HEAD`.
pub struct Previous {
    /// Resolved: the previous release, whose names the new one keeps and
    /// against which it is diffed.
    pub service: Service,
}

/// `api-spec/<name>/` as committed at `HEAD`; `None` outside git or for a
/// service `HEAD` does not have yet.
pub fn head_service(root: &Path, name: &str) -> anyhow::Result<Option<Previous>> {
    let Some(git) = Git::find(root) else {
        return Ok(None);
    };
    let prefix = git.prefix(root);
    let temp = TempDir::new()?;
    let path = format!("{prefix}api-spec/{name}");
    if !git.materialize("HEAD", &path, temp.path())? {
        return Ok(None);
    }
    let service = codegen::load_service(temp.path())
        .with_context(|| format!("the spec of `{name}` at HEAD ({path}) does not load"))?;
    Ok(Some(Previous { service }))
}
