//! Write: the only part of the generator that touches the disk.
//!
//! A run either writes every file or none: all contents are rendered before
//! anything is written, every file goes to a temporary sibling first, and only
//! when all of those exist are they renamed into place. A file without the
//! `@generated` marker is never overwritten or deleted; a file with it that
//! the run no longer produces is removed.

use crate::emit::{GeneratedCrate, MARKER};
use crate::Error;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Suffix of the temporary files a write goes through.
const TMP_SUFFIX: &str = ".codegen-tmp";

/// Everything one run produces below one root directory.
#[derive(Debug, Clone, Default)]
pub struct Output {
    root: PathBuf,
    files: BTreeMap<PathBuf, String>,
}

impl Output {
    /// An empty output below `root`. Generated files below `root` that the
    /// output does not contain are stale and are removed by [`write()`].
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Output {
            root: root.into(),
            files: BTreeMap::new(),
        }
    }

    /// Adds a crate's files below `root/subdir` (`subdir` may be empty).
    pub fn add_crate(&mut self, subdir: &str, krate: &GeneratedCrate) {
        for (path, contents) in &krate.files {
            let relative: PathBuf = Path::new(subdir).join(path);
            self.files.insert(relative, contents.clone());
        }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The files, by path relative to the root.
    pub fn files(&self) -> &BTreeMap<PathBuf, String> {
        &self.files
    }
}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Stale generated files removed.
    pub removed: Vec<PathBuf>,
}

/// One difference between the disk and what the generator produces now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file differs; a unified diff from the disk to the expected text.
    Changed {
        /// The file.
        path: PathBuf,
        /// `--- path` / `+++ path` unified diff.
        diff: String,
    },
    /// The file should exist and does not.
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// A generated file exists that the generator no longer produces.
    Stale {
        /// The file.
        path: PathBuf,
    },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Changed { diff, .. } => f.write_str(diff),
            Drift::Missing { path } => writeln!(f, "missing: {}", path.display()),
            Drift::Stale { path } => writeln!(f, "stale (no longer generated): {}", path.display()),
        }
    }
}

/// The state of the disk relative to an [`Output`].
struct Plan {
    /// Files to create or change, with their new contents.
    write: Vec<(PathBuf, String)>,
    /// Files whose contents already match.
    unchanged: usize,
    /// Generated files to remove.
    remove: Vec<PathBuf>,
    /// Current contents of the files in `write` (None: missing).
    current: Vec<Option<String>>,
}

fn plan(output: &Output) -> Result<Plan, Error> {
    let existing = scan(&output.root)?;
    let mut plan = Plan {
        write: Vec::new(),
        unchanged: 0,
        remove: Vec::new(),
        current: Vec::new(),
    };
    for (relative, contents) in &output.files {
        let path = output.root.join(relative);
        let current = if existing.contains(&path) {
            Some(read(&path)?)
        } else {
            None
        };
        match current {
            Some(text) if text == *contents => plan.unchanged += 1,
            Some(text) if !has_marker(&text) => {
                return Err(Error::Write {
                    path,
                    message: format!(
                        "exists and has no `{MARKER}` marker on its first line: refusing to overwrite a file the generator did not write (move it away, or delete it)"
                    ),
                })
            }
            current => {
                plan.write.push((path, contents.clone()));
                plan.current.push(current);
            }
        }
    }
    let wanted: BTreeSet<PathBuf> = output.files.keys().map(|r| output.root.join(r)).collect();
    for path in existing.difference(&wanted) {
        if has_marker(&read_head(path)?) {
            plan.remove.push(path.clone());
        }
    }
    Ok(plan)
}

/// Compares the disk with `output` without writing anything.
pub fn check(output: &Output) -> Result<Vec<Drift>, Error> {
    let plan = plan(output)?;
    let mut drift = Vec::new();
    for ((path, expected), current) in plan.write.iter().zip(&plan.current) {
        let shown = path.strip_prefix(&output.root).unwrap_or(path);
        match current {
            None => drift.push(Drift::Missing { path: path.clone() }),
            Some(current) => drift.push(Drift::Changed {
                path: path.clone(),
                diff: similar::TextDiff::from_lines(current, expected)
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{} (on disk)", shown.display()),
                        &format!("{} (generated now)", shown.display()),
                    )
                    .to_string(),
            }),
        }
    }
    drift.extend(plan.remove.into_iter().map(|path| Drift::Stale { path }));
    Ok(drift)
}

/// Writes `output`: all files or none, then removes stale generated files.
pub fn write(output: &Output) -> Result<WriteReport, Error> {
    let plan = plan(output)?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(plan.write.len());
    for (path, contents) in &plan.write {
        match stage(path, contents) {
            Ok(tmp) => staged.push((tmp, path.clone())),
            Err(err) => {
                for (tmp, _) in &staged {
                    let _ = fs::remove_file(tmp);
                }
                return Err(err);
            }
        }
    }
    for (tmp, path) in &staged {
        fs::rename(tmp, path).map_err(|e| io_error(path, "cannot move into place", &e))?;
    }
    for path in &plan.remove {
        fs::remove_file(path).map_err(|e| io_error(path, "cannot remove stale file", &e))?;
        remove_empty_parents(path, &output.root);
    }
    Ok(WriteReport {
        written: plan.write.into_iter().map(|(p, _)| p).collect(),
        unchanged: plan.unchanged,
        removed: plan.remove,
    })
}

fn stage(path: &Path, contents: &str) -> Result<PathBuf, Error> {
    let dir = path
        .parent()
        .expect("output paths are joined below a root, so they have a parent");
    fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create directory", &e))?;
    let name = path
        .file_name()
        .expect("output paths end in a file name")
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}{TMP_SUFFIX}"));
    fs::write(&tmp, contents).map_err(|e| io_error(&tmp, "cannot write", &e))?;
    Ok(tmp)
}

fn remove_empty_parents(path: &Path, root: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Every file below `root`, skipping build output and hidden directories.
fn scan(root: &Path) -> Result<BTreeSet<PathBuf>, Error> {
    let mut files = BTreeSet::new();
    if !root.exists() {
        return Ok(files);
    }
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| io_error(&dir, "cannot list", &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, "cannot list", &e))?;
            let path = entry.path();
            let name = entry.file_name();
            let kind = entry
                .file_type()
                .map_err(|e| io_error(&path, "cannot stat", &e))?;
            if kind.is_dir() {
                let skip = name == "target" || name.to_string_lossy().starts_with('.');
                if !skip {
                    dirs.push(path);
                }
            } else if kind.is_file() {
                files.insert(path);
            }
        }
    }
    Ok(files)
}

fn has_marker(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|first| first.contains(MARKER))
}

fn read(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|e| io_error(path, "cannot read", &e))
}

/// The first line of a file, enough to see its marker; binary files have none.
fn read_head(path: &Path) -> Result<String, Error> {
    use std::io::{BufRead, BufReader, Read};
    let file = fs::File::open(path).map_err(|e| io_error(path, "cannot read", &e))?;
    let mut first = Vec::new();
    BufReader::new(file)
        .take(4096)
        .read_until(b'\n', &mut first)
        .map_err(|e| io_error(path, "cannot read", &e))?;
    Ok(String::from_utf8_lossy(&first).into_owned())
}

fn io_error(path: &Path, what: &str, err: &std::io::Error) -> Error {
    Error::Write {
        path: path.to_owned(),
        message: format!("{what}: {err}"),
    }
}
