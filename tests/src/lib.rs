//! Shared support of the project's tests.

use std::path::{Path, PathBuf};

pub mod batch_create_room;
pub mod logs;

/// The repository root.
pub fn workspace_root() -> PathBuf {
    xtask::workspace_root()
}

/// A fresh, empty directory below the target directory, unique per test.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = workspace_root()
        .join("target")
        .join("test-scratch")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the target directory is writable");
    dir
}

/// Every file below `dir` with its contents, for "nothing changed" checks.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("a listed file is readable");
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}
pub mod server;
