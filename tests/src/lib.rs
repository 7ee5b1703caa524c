//! Shared support of the project's tests.

use std::path::{Path, PathBuf};

pub mod batch_create_room;
pub mod logs;

pub use counting::{Attempts, CountingTransport};

/// Counting the attempts a client makes where no server can count them
/// (a refused connection): a transport around the real one.
mod counting {
    use std::sync::{Arc, Mutex};
    use tencentcloud_runtime::{BoxFuture, Call, Reply, Transport, TransportError};

    /// The real [`HttpTransport`](tencentcloud_runtime::HttpTransport) (or
    /// any transport), noting the body of every attempt the client hands it.
    #[derive(Debug)]
    pub struct CountingTransport<T> {
        inner: T,
        attempts: Attempts,
    }

    /// The bodies of the attempts a [`CountingTransport`] sent, in order.
    #[derive(Debug, Clone, Default)]
    pub struct Attempts(Arc<Mutex<Vec<Vec<u8>>>>);

    impl<T: Transport> CountingTransport<T> {
        /// Counts the attempts sent through `inner`.
        pub fn new(inner: T) -> (Self, Attempts) {
            let attempts = Attempts::default();
            let transport = CountingTransport {
                inner,
                attempts: attempts.clone(),
            };
            (transport, attempts)
        }
    }

    impl<T: Transport> Transport for CountingTransport<T> {
        fn send<'a>(&'a self, call: Call<'a>) -> BoxFuture<'a, Result<Reply, TransportError>> {
            self.attempts
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(call.body.to_vec());
            self.inner.send(call)
        }
    }

    impl Attempts {
        /// How many attempts were sent.
        pub fn count(&self) -> usize {
            self.bodies().len()
        }

        /// The body of each attempt.
        pub fn bodies(&self) -> Vec<Vec<u8>> {
            self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
        }
    }
}

/// The repository root.
/// The seeds a randomised test runs: those kept in `file` (below the
/// workspace root; one `u64` a line, `#` comments), which once failed, then
/// a fresh one, or the one the environment variable `env` gives.
pub fn seeds(file: &str, env: &str) -> Vec<u64> {
    let mut seeds: Vec<u64> = std::fs::read_to_string(workspace_root().join(file))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.parse()
                .unwrap_or_else(|_| panic!("{file}: `{l}` is not a u64 seed"))
        })
        .collect();
    let fresh = match std::env::var(env) {
        Ok(seed) => seed
            .parse()
            .unwrap_or_else(|_| panic!("{env}: `{seed}` is not a u64 seed")),
        Err(_) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("the clock is past 1970")
                .as_nanos();
            (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
        }
    };
    seeds.push(fresh);
    seeds
}

/// Seconds since the Unix epoch, `seconds` from now: an expiry for
/// credentials a stand-in issues.
pub fn unix_in(seconds: u64) -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
        + seconds
}

/// The workspace's root directory.
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
