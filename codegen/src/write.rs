//! Write: the only part of the generator that touches the disk.
//!
//! A run replaces a root directory's tree as one step, so a run killed at any
//! moment leaves the root either as it was or as the run meant it to be:
//! the new tree is built in a sibling staging directory (unchanged and
//! foreign files hard-linked from the old tree, so their timestamps and
//! cargo's fingerprints survive), then swapped with the old one by one
//! atomic `renameat2(RENAME_EXCHANGE)` on Linux, and the old tree is
//! deleted. Leftovers of a killed run are directories beside the root,
//! removed by the next run.
//!
//! Writers of one root take turns on a lock file beside it (`flock`, Unix).
//!
//! A file without the `@generated` marker is never overwritten or deleted;
//! a file with it that the run no longer produces is removed. Directories
//! the scan skips (`target`, hidden ones) are moved across after the swap.

use crate::emit::{GeneratedCrate, MARKER};
use crate::Error;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

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

    /// Adds one file at `relative` below the root.
    pub fn add_file(&mut self, relative: impl Into<PathBuf>, contents: String) {
        self.files.insert(relative.into(), contents);
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

/// Writes `output`: the root's tree becomes the new one in one atomic step
/// (see the module docs). Nothing is touched when nothing changed.
pub fn write(output: &Output) -> Result<WriteReport, Error> {
    let root = &output.root;
    let _turn = lock_root(root)?;
    remove_leftovers(root)?;
    let plan = plan(output)?;
    let report = WriteReport {
        written: plan.write.iter().map(|(p, _)| p.clone()).collect(),
        unchanged: plan.unchanged,
        removed: plan.remove.clone(),
    };
    if plan.write.is_empty() && plan.remove.is_empty() {
        return Ok(report);
    }
    let staging = sibling(root, STAGING_SUFFIX);
    if let Err(err) = stage_tree(output, &plan, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }
    pause_at("staged");
    swap_in(root, &staging)?;
    Ok(report)
}

/// Test-only: the environment variable naming a point of [`write`]
/// (`staging`, `staged`, `exchanged`, `old-aside`) at which the writer says
/// `codegen: paused at <point>` on stderr and waits to be killed, so the
/// kill test of `cargo xtask codegen` can aim at each phase of the swap.
#[doc(hidden)]
pub const PAUSE_ENV: &str = "TENCENTCLOUD_CODEGEN_TEST_PAUSE";

/// Stops here for good when [`PAUSE_ENV`] names `point`.
fn pause_at(point: &str) {
    if std::env::var(PAUSE_ENV).is_ok_and(|p| p == point) {
        eprintln!("codegen: paused at {point}");
        loop {
            std::thread::park();
        }
    }
}

/// Suffix of the sibling directory a new tree is built in.
const STAGING_SUFFIX: &str = ".codegen-new";
/// Suffix of the lock file beside a root that makes its writers take turns.
const LOCK_SUFFIX: &str = ".codegen-lock";

/// An exclusive lock on the lock file beside `root`, held until dropped (or
/// the process ends, however it ends): two writers of one root, in one
/// process or two, take turns rather than build one staging tree together.
fn lock_root(root: &Path) -> Result<fs::File, Error> {
    let path = sibling(root, LOCK_SUFFIX);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create directory", &e))?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_error(&path, "cannot open the lock file", &e))?;
    #[cfg(unix)]
    rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
        .map_err(|e| io_error(&path, "cannot lock", &e.into()))?;
    Ok(file)
}
/// Suffix of the sibling directory an old tree waits in to be deleted.
const OLD_SUFFIX: &str = ".codegen-old";

/// `.<name><suffix>` beside `root`.
fn sibling(root: &Path, suffix: &str) -> PathBuf {
    let name = root
        .file_name()
        .map_or_else(|| "root".into(), |n| n.to_string_lossy().into_owned());
    root.with_file_name(format!(".{name}{suffix}"))
}

/// Removes what a killed run left beside `root`; puts the old tree back if a
/// non-atomic swap was cut between its two renames.
fn remove_leftovers(root: &Path) -> Result<(), Error> {
    let old = sibling(root, OLD_SUFFIX);
    if !root.exists() && old.exists() {
        fs::rename(&old, root).map_err(|e| io_error(root, "cannot restore the old tree", &e))?;
    }
    for leftover in [sibling(root, STAGING_SUFFIX), old] {
        if leftover.exists() {
            fs::remove_dir_all(&leftover)
                .map_err(|e| io_error(&leftover, "cannot remove a killed run's leftovers", &e))?;
        }
    }
    Ok(())
}

/// The whole new tree in `staging`: new contents written, every other file
/// the root keeps hard-linked (copied where links are not possible).
fn stage_tree(output: &Output, plan: &Plan, staging: &Path) -> Result<(), Error> {
    fs::create_dir_all(staging).map_err(|e| io_error(staging, "cannot create directory", &e))?;
    let changed: BTreeMap<&PathBuf, &String> = plan.write.iter().map(|(p, c)| (p, c)).collect();
    let removed: BTreeSet<&PathBuf> = plan.remove.iter().collect();
    for file in scan(&output.root)? {
        if changed.contains_key(&file) || removed.contains(&file) {
            continue;
        }
        let target = restage(&file, &output.root, staging);
        create_parent(&target)?;
        if fs::hard_link(&file, &target).is_err() {
            fs::copy(&file, &target).map_err(|e| io_error(&file, "cannot copy", &e))?;
        }
    }
    for (n, (path, contents)) in changed.into_iter().enumerate() {
        if n == 1 {
            pause_at("staging");
        }
        let target = restage(path, &output.root, staging);
        create_parent(&target)?;
        fs::write(&target, contents).map_err(|e| io_error(&target, "cannot write", &e))?;
    }
    Ok(())
}

fn restage(path: &Path, root: &Path, staging: &Path) -> PathBuf {
    staging.join(
        path.strip_prefix(root)
            .expect("scanned and planned paths lie below the root"),
    )
}

fn create_parent(path: &Path) -> Result<(), Error> {
    let dir = path
        .parent()
        .expect("staged paths lie below the staging directory");
    fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create directory", &e))
}

/// Makes `staging` the root and deletes the old tree, after moving across
/// the directories the scan skipped.
fn swap_in(root: &Path, staging: &Path) -> Result<(), Error> {
    if !root.exists() {
        return fs::rename(staging, root).map_err(|e| io_error(root, "cannot move into place", &e));
    }
    let old = sibling(root, OLD_SUFFIX);
    exchange(root, staging, &old)?;
    pause_at("old-aside");
    for dir in skipped_dirs(&old)? {
        let target = root.join(dir.strip_prefix(&old).expect("listed below the old tree"));
        if !target.exists() && create_parent(&target).is_ok() {
            let _ = fs::rename(&dir, &target);
        }
    }
    fs::remove_dir_all(&old).map_err(|e| io_error(&old, "cannot remove the old tree", &e))
}

/// Swaps `root` and `staging` in one step, leaving the old tree at `old`.
#[cfg(target_os = "linux")]
fn exchange(root: &Path, staging: &Path, old: &Path) -> Result<(), Error> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, staging, CWD, root, RenameFlags::EXCHANGE)
        .map_err(|e| io_error(root, "cannot swap in the new tree", &e.into()))?;
    pause_at("exchanged");
    fs::rename(staging, old).map_err(|e| io_error(staging, "cannot move the old tree aside", &e))
}

/// Two renames; a run killed between them is repaired by the next one
/// ([`remove_leftovers`]).
#[cfg(not(target_os = "linux"))]
fn exchange(root: &Path, staging: &Path, old: &Path) -> Result<(), Error> {
    fs::rename(root, old).map_err(|e| io_error(root, "cannot move the old tree aside", &e))?;
    pause_at("exchanged");
    fs::rename(staging, root).map_err(|e| io_error(root, "cannot move the new tree in", &e))
}

/// The directories below `root` that [`scan`] skips (`target`, hidden).
fn skipped_dirs(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut skipped = Vec::new();
    walk(root, &mut |path, is_dir, skip| {
        if is_dir && skip {
            skipped.push(path.to_owned());
        }
    })?;
    Ok(skipped)
}

/// Every file below `root`, skipping build output and hidden directories.
fn scan(root: &Path) -> Result<BTreeSet<PathBuf>, Error> {
    let mut files = BTreeSet::new();
    walk(root, &mut |path, is_dir, _| {
        if !is_dir {
            files.insert(path.to_owned());
        }
    })?;
    Ok(files)
}

/// Calls `visit(path, is_dir, skipped)` for the files and directories below
/// `root`, not descending into skipped directories (`target`, hidden).
fn walk(root: &Path, visit: &mut dyn FnMut(&Path, bool, bool)) -> Result<(), Error> {
    if !root.exists() {
        return Ok(());
    }
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| read_error(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| read_error(&dir, e))?;
            let path = entry.path();
            let name = entry.file_name();
            let kind = entry
                .file_type()
                .map_err(|e| io_error(&path, "cannot stat", &e))?;
            if kind.is_dir() {
                let skip = name == "target" || name.to_string_lossy().starts_with('.');
                visit(&path, true, skip);
                if !skip {
                    dirs.push(path);
                }
            } else if kind.is_file() {
                visit(&path, false, false);
            }
        }
    }
    Ok(())
}

fn has_marker(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|first| first.contains(MARKER))
}

fn read(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|e| read_error(path, e))
}

/// The first line of a file, enough to see its marker; binary files have none.
fn read_head(path: &Path) -> Result<String, Error> {
    use std::io::{BufRead, BufReader, Read};
    let file = fs::File::open(path).map_err(|e| read_error(path, e))?;
    let mut first = Vec::new();
    BufReader::new(file)
        .take(4096)
        .read_until(b'\n', &mut first)
        .map_err(|e| read_error(path, e))?;
    Ok(String::from_utf8_lossy(&first).into_owned())
}

/// Reading the disk failed: what is there could not be seen, which is not
/// a failure to write.
fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Read {
        path: path.to_owned(),
        source,
    }
}

fn io_error(path: &Path, what: &str, err: &std::io::Error) -> Error {
    Error::Write {
        path: path.to_owned(),
        message: format!("{what}: {err}"),
    }
}
