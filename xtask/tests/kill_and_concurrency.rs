//! `cargo xtask codegen` killed at any moment leaves `generated/` either as
//! it was or as the run meant it; two runs at once take turns.
//!
//! Each test works on a scratch checkout (`XTASK_ROOT`) holding LCIC's and
//! DNSPod's specs and crates, with both specs edited so that a run rewrites
//! both crates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type Tree = BTreeMap<PathBuf, Vec<u8>>;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file below `dir`, hidden ones included.
fn snapshot(dir: &Path) -> Tree {
    fn walk(dir: &Path, base: &Path, tree: &mut Tree) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, tree);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                tree.insert(path.strip_prefix(base).unwrap().to_owned(), bytes);
            }
        }
    }
    let mut tree = Tree::new();
    walk(dir, dir, &mut tree);
    tree
}

/// A scratch checkout with the checked-in crates (the old tree) and edited
/// specs (whose output is the new tree).
fn scratch(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for service in ["lcic", "dnspod"] {
        copy_dir(
            &repo().join("api-spec").join(service),
            &root.join("api-spec").join(service),
        );
        copy_dir(
            &repo().join("generated").join(service),
            &root.join("generated").join(service),
        );
    }
    // Generated crates depend on the runtime by its version.
    std::fs::create_dir_all(root.join("runtime")).unwrap();
    std::fs::copy(
        repo().join("runtime/Cargo.toml"),
        root.join("runtime/Cargo.toml"),
    )
    .unwrap();
    for api in [
        "api-spec/lcic/2022-08-17/api.json",
        "api-spec/dnspod/2021-03-23/api.json",
    ] {
        let path = root.join(api);
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replacen("\"document\": \"", "\"document\": \"Edited. ", 40);
        assert_ne!(edited, text);
        std::fs::write(&path, edited).unwrap();
    }
    root
}

fn xtask(root: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .arg("codegen")
        .env("XTASK_ROOT", root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn run_to_end(root: &Path) -> String {
    let out = xtask(root).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn reset(root: &Path, old: &Tree) {
    let generated = root.join("generated");
    let _ = std::fs::remove_dir_all(&generated);
    for (path, bytes) in old {
        let path = generated.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// A killed run's staging or old trees beside `generated` (the lock file
/// beside it stays, by design).
fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("codegen") && !n.ends_with("-lock"))
        .collect()
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_tree_or_the_new() {
    let root = scratch("kill");
    let old = snapshot(&root.join("generated"));
    let mut full_run = timed(|| run_to_end(&root));
    let new = snapshot(&root.join("generated"));
    assert_ne!(old, new, "the edited specs change the crates");

    // Kill points spread over the whole run and past it. A run on a loaded
    // machine can take twice the measured one, so the run length is the
    // longest seen so far, and the rounds go on (up to a bound) until one
    // kill comes after the run has ended by itself.
    let steps = 6u32;
    let (mut saw_old, mut saw_new, mut outlived) = (0, 0, false);
    for i in 0..40u32 {
        if i >= 2 * steps && outlived {
            break;
        }
        reset(&root, &old);
        let delay = full_run.mul_f64(f64::from(i) / f64::from(steps));
        let mut child = xtask(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        outlived |= child.try_wait().unwrap().is_some();
        let _ = child.kill();
        child.wait().unwrap();
        let now = snapshot(&root.join("generated"));
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let mixed: Vec<_> = now
                .keys()
                .chain(new.keys())
                .filter(|p| now.get(*p) != new.get(*p) && now.get(*p) != old.get(*p))
                .take(5)
                .collect();
            panic!("killed after {delay:?}: generated/ is neither old nor new: {mixed:?}");
        }
        // The next run cleans up and finishes the job.
        full_run = full_run.max(timed(|| run_to_end(&root)));
        assert_eq!(snapshot(&root.join("generated")), new);
        assert!(leftovers(&root).is_empty(), "{:?}", leftovers(&root));
    }
    assert!(
        outlived,
        "no kill came after a whole run (longest run {full_run:?})"
    );
    assert!(saw_old > 0 && saw_new > 0, "old {saw_old}, new {saw_new}");
    let _ = std::fs::remove_dir_all(&root);
}

fn timed<T>(f: impl FnOnce() -> T) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

/// A run stopped at `point` of the writer (`codegen::PAUSE_ENV`), then
/// killed: the phases the time-scattered kills above rarely hit.
fn kill_at(root: &Path, point: &str) -> Tree {
    let mut child = xtask(root).env(codegen::PAUSE_ENV, point).spawn().unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let wanted = format!("codegen: paused at {point}");
    let reached = std::io::BufRead::lines(stderr)
        .map_while(Result::ok)
        .any(|line| line.contains(&wanted));
    let _ = child.kill();
    child.wait().unwrap();
    assert!(reached, "the run ended without reaching `{point}`");
    snapshot(&root.join("generated"))
}

#[test]
fn a_run_killed_in_each_phase_of_the_write_leaves_the_old_tree_or_the_new() {
    let root = scratch("kill-phases");
    let old = snapshot(&root.join("generated"));
    run_to_end(&root);
    let new = snapshot(&root.join("generated"));
    // Before the swap the old tree stands; from the atomic exchange on, the
    // new one (other systems swap with two renames, repaired by the next run).
    let mut phases = vec![("staging", &old), ("staged", &old), ("old-aside", &new)];
    if cfg!(target_os = "linux") {
        phases.push(("exchanged", &new));
    }
    for (point, expected) in phases {
        reset(&root, &old);
        let now = kill_at(&root, point);
        assert!(
            &now == expected,
            "killed at `{point}`: generated/ is not the expected tree"
        );
        run_to_end(&root);
        assert_eq!(
            snapshot(&root.join("generated")),
            new,
            "after a kill at `{point}`"
        );
        assert!(
            leftovers(&root).is_empty(),
            "{point}: {:?}",
            leftovers(&root)
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn two_runs_at_once_take_turns() {
    let root = scratch("twice");
    let first = xtask(&root).spawn().unwrap();
    let second = xtask(&root).spawn().unwrap();
    let (first, second) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    assert!(first.status.success() && second.status.success());
    let said: String = [&first.stdout, &second.stdout]
        .iter()
        .map(|o| String::from_utf8_lossy(o).into_owned())
        .collect();
    assert!(
        said.contains("waiting for another `cargo xtask codegen`"),
        "{said}"
    );
    // Both finished: the tree is the new one, and a third run changes nothing.
    let after = snapshot(&root.join("generated"));
    let third = run_to_end(&root);
    assert!(third.contains("0 written"), "{third}");
    assert_eq!(snapshot(&root.join("generated")), after);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_held_lock_makes_a_run_wait_until_it_is_released() {
    let root = scratch("held");
    let mut sink = Vec::new();
    let lock = xtask::codegen_lock(&root, &mut sink).unwrap();
    let mut child = xtask(&root).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the run did not wait");
    let before = snapshot(&root.join("generated"));
    drop(lock);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("waiting for another"));
    assert_ne!(snapshot(&root.join("generated")), before);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn two_generates_into_one_directory_take_turns() {
    let root = scratch("generate");
    let out = root.join("out");
    let generate = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command
            .args(["generate", "--out"])
            .arg(&out)
            .arg(root.join("api-spec/lcic"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    };
    let children: Vec<_> = (0..3).map(|_| generate().spawn().unwrap()).collect();
    for child in children {
        let done = child.wait_with_output().unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
    let after = snapshot(&out);
    assert!(after.contains_key(Path::new("src/v20220817/models.rs")));
    let again = generate().output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 written"));
    assert_eq!(snapshot(&out), after);
    let _ = std::fs::remove_dir_all(&root);
}
