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

/// A fresh scratch directory laid out like this repository for
/// `xtask::codegen`: it holds the runtime's manifest (generated crates
/// depend on its version); the test adds `api-spec/`.
pub fn scratch_repo(name: &str) -> PathBuf {
    let root = scratch_dir(name);
    std::fs::create_dir_all(root.join("runtime")).expect("the scratch directory is writable");
    std::fs::copy(
        workspace_root().join("runtime/Cargo.toml"),
        root.join("runtime/Cargo.toml"),
    )
    .expect("the runtime's manifest is readable");
    root
}

/// Runs git in `dir` as a test user (no signing, no global identity needed);
/// panics with git's message when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file below `dir` with its contents, for "nothing changed" checks.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    // A tree that does not exist (yet) has no files.
    xtask::files_below(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a listed file is readable");
            (path, bytes)
        })
        .collect()
}
pub mod server;
