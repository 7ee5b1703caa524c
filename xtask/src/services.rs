//! Generating a whole catalog: every service below a root, in one process,
//! on all cores.
//!
//! This is the generate step of `cargo xtask corpus` (and of any command
//! that generates every published service, such as a release of the whole
//! catalog): [`find`] lists the services below a root, and
//! [`generate_all`] loads and generates them.
//!
//! One process does the work that one process per spec would do, with
//! less: the process, its allocator and its thread pool start once, and
//! the cores are shared by every service at once. Services and the pieces
//! of each service's files (`codegen::generate_service` renders those on rayon's
//! pool too) are work items of one [rayon] pool, so a core that finishes
//! a small service takes up pieces of a large one instead of waiting, and
//! the largest services start first so that none of them is left running
//! alone at the end. `cargo xtask bench-catalog ROOT` measures it against
//! one `cargo xtask generate` process per service, in the same run
//! (BENCHMARKS.md).
//!
//! The output does not depend on the number of threads or on the order in
//! which services finish: results come back in [`find`] order,
//! and each crate's bytes are what `codegen::generate_service` gives for it alone.

use anyhow::Context as _;
use codegen::ir::Service;
use codegen::{GeneratedCrate, Options};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One service found below the root: a directory whose version
/// subdirectories (or itself) hold `api.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Path relative to the root, `/`-separated: `cn/tke`.
    pub label: String,
    /// The directory handed to the generator.
    pub dir: PathBuf,
    /// A Cargo package name made from the label: `corpus-cn-tke` for the
    /// prefix `corpus`.
    pub package: String,
}

/// What generation produced for one service.
pub struct Generated {
    /// The loaded, resolved service.
    pub service: Service,
    /// Its crate.
    pub krate: GeneratedCrate,
    /// Wall-clock time of this service's load and generation (other
    /// services were being generated at the same time).
    pub millis: u128,
}

/// Every service directory below `root`, sorted by label; hidden
/// directories are skipped. A service is the parent of its version
/// directories (those holding `api.json`); a version directory directly at
/// the root is a service of its own. Packages are named `<prefix>-<label>`.
pub fn find(root: &Path, prefix: &str) -> anyhow::Result<Vec<Job>> {
    let mut version_dirs = Vec::new();
    let mut todo = vec![root.to_owned()];
    while let Some(dir) = todo.pop() {
        if dir.join(codegen::load::API_FILE).is_file() {
            version_dirs.push(dir);
            continue;
        }
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            let path = entry
                .with_context(|| format!("cannot list {}", dir.display()))?
                .path();
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if path.is_dir() && !hidden {
                todo.push(path);
            }
        }
    }
    let services: BTreeSet<PathBuf> = version_dirs
        .into_iter()
        .map(|dir| match dir.parent() {
            Some(parent) if parent.starts_with(root) && parent != root => parent.to_owned(),
            _ => dir,
        })
        .collect();
    Ok(services
        .into_iter()
        .map(|dir| {
            let relative = dir.strip_prefix(root).unwrap_or(&dir);
            let label = relative.to_string_lossy().replace('\\', "/");
            let label = if label.is_empty() {
                crate::workspace::dir_name(&dir)
            } else {
                label
            };
            let slug: String = label
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            Job {
                package: format!("{prefix}-{slug}"),
                label,
                dir,
            }
        })
        .collect())
}

/// Loads every service below `root` (its jobs named with `prefix`, as
/// [`find`] does) on all cores; each job with its model or the generator's
/// error, in job order.
pub fn load_all(
    root: &Path,
    prefix: &str,
) -> anyhow::Result<Vec<(Job, Result<codegen::ir::Service, codegen::Error>)>> {
    let jobs = find(root, prefix)?;
    Ok(jobs
        .into_par_iter()
        .with_max_len(1)
        .map(|job| {
            let service = codegen::load_service(&job.dir);
            (job, service)
        })
        .collect())
}

/// Loads and generates every job in one process on all cores (rayon's
/// global pool); one result per job, in job order.
///
/// `options` gives each job's generator options; when they name a crate
/// (`crate_name`), the service is generated under that name. `done` is
/// called as each job finishes (from the worker that finished it, in no
/// particular order), for progress output.
pub fn generate_all(
    jobs: &[Job],
    options: impl Fn(&Job) -> Options + Sync,
    done: impl Fn(&Job, &Result<Generated, codegen::Error>) + Sync,
) -> Vec<Result<Generated, codegen::Error>> {
    // The largest services first (their specs' size stands for their
    // work), so the pool's last moments are not one large service alone.
    let sizes: Vec<u64> = jobs.iter().map(|job| spec_bytes(&job.dir)).collect();
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let mut results: Vec<(usize, Result<Generated, codegen::Error>)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|i| {
            let job = &jobs[i];
            let options = options(job);
            let started = Instant::now();
            let result = codegen::load_service(&job.dir).and_then(|mut service| {
                if let Some(name) = &options.crate_name {
                    service.crate_name = name.clone();
                }
                let krate = codegen::generate_service(&service, &options)?;
                Ok(Generated {
                    service,
                    krate,
                    millis: started.elapsed().as_millis(),
                })
            });
            done(job, &result);
            (i, result)
        })
        .collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

/// The size of the `api.json` files of a service directory (0 when unreadable:
/// the generator reports that error itself).
fn spec_bytes(dir: &Path) -> u64 {
    codegen::spec_dirs(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|d| std::fs::metadata(d.join(codegen::load::API_FILE)).ok())
        .map(|m| m.len())
        .sum()
}

/// A scratch directory for the commands' tests.
#[cfg(test)]
pub(crate) mod scratch {
    use std::path::PathBuf;

    /// A scratch directory removed at the end of the test.
    pub(crate) struct Scratch(pub(crate) PathBuf);

    impl Scratch {
        pub(crate) fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scratch::Scratch;
    use super::*;

    #[test]
    fn services_are_found_at_any_depth_and_grouped_by_parent() {
        let root = Scratch::new("catalog-find");
        for dir in [
            "cn/tke/2018-05-25",
            "cn/tke/2022-05-01",
            "intl/deep/er/lcic/2022-08-17",
            ".hidden/x/2020-01-01",
        ] {
            std::fs::create_dir_all(root.0.join(dir)).unwrap();
            std::fs::write(root.0.join(dir).join("api.json"), "{}").unwrap();
        }
        std::fs::create_dir_all(root.0.join("empty/dir")).unwrap();
        let jobs = find(&root.0, "corpus").unwrap();
        let found: Vec<(&str, &str)> = jobs
            .iter()
            .map(|j| (j.label.as_str(), j.package.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("cn/tke", "corpus-cn-tke"),
                ("intl/deep/er/lcic", "corpus-intl-deep-er-lcic")
            ]
        );
    }

    #[test]
    fn every_service_is_generated_as_alone_in_job_order() {
        let root = crate::workspace::workspace_root().join("api-spec");
        let jobs = find(&root, "catalog").unwrap();
        let labels: Vec<&str> = jobs.iter().map(|j| j.label.as_str()).collect();
        assert_eq!(labels, ["dnspod", "hunyuan", "iai", "lcic", "teo"]);
        let options = |job: &Job| Options {
            generated_by: "catalog test".into(),
            crate_name: Some(job.package.clone()),
            ..Options::default()
        };
        let finished = std::sync::Mutex::new(Vec::new());
        let results = generate_all(&jobs, options, |job, result| {
            assert!(result.is_ok(), "{}", job.label);
            finished.lock().unwrap().push(job.label.clone());
        });
        let mut finished = finished.into_inner().unwrap();
        finished.sort();
        assert_eq!(finished, labels, "each job is reported once");
        for (job, result) in jobs.iter().zip(results) {
            let generated = result.unwrap();
            assert_eq!(generated.service.crate_name, job.package);
            let alone = codegen::generate(&job.dir, &options(job)).unwrap();
            assert!(
                generated.krate == alone,
                "{}: not the bytes of a run alone",
                job.label
            );
        }
    }

    #[test]
    fn a_broken_service_fails_alone() {
        let root = Scratch::new("catalog-broken");
        let lcic = crate::workspace::workspace_root().join("api-spec/lcic/2022-08-17");
        std::fs::create_dir_all(root.0.join("a/2020-01-01")).unwrap();
        std::fs::write(root.0.join("a/2020-01-01/api.json"), "{ not json").unwrap();
        std::fs::create_dir_all(root.0.join("b/2022-08-17")).unwrap();
        std::fs::copy(lcic.join("api.json"), root.0.join("b/2022-08-17/api.json")).unwrap();
        let jobs = find(&root.0, "catalog").unwrap();
        let results = generate_all(&jobs, |_| Options::default(), |_, _| {});
        assert_eq!(results.len(), 2);
        let error = results[0].as_ref().err().expect("a/ does not parse");
        assert!(error.to_string().contains("api.json"), "{error}");
        assert!(results[1].is_ok());
    }
}
