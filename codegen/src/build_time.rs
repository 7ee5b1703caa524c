//! Build-time generation: a crate's `build.rs` generates a service into
//! `OUT_DIR` and `include!`s it.
//!
//! In `build.rs`:
//!
//! ```no_run
//! let options = codegen::Options { generated_by: "build.rs of my-crate".into(), ..Default::default() };
//! codegen::build_time::build_script("../api-spec/lcic".as_ref(), &options, "lcic");
//! ```
//!
//! In `src/lib.rs`: `include!(concat!(env!("OUT_DIR"), "/lcic/include.rs"));`

use crate::options::{Layout, Options, INCLUDE_FILE};
use crate::{load, Error, Output};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Generates `spec_dir` for `include!` into `out_dir` and writes the
/// `cargo:rerun-if-changed` lines for its spec files (not the whole tree) to
/// `cargo`. Returns the file to `include!`.
pub fn generate_into(
    spec_dir: &Path,
    options: &Options,
    out_dir: &Path,
    cargo: &mut dyn Write,
) -> Result<PathBuf, Error> {
    for dir in crate::spec_dirs(spec_dir)? {
        for file in load::SPEC_FILES {
            let path = dir.join(file);
            if path.is_file() {
                let _ = writeln!(cargo, "cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    let options = Options {
        layout: Layout::Include,
        ..options.clone()
    };
    let krate = crate::generate(spec_dir, &options)?;
    let mut output = Output::new(out_dir);
    output.add_crate("", &krate);
    crate::write(&output)?;
    Ok(out_dir.join(INCLUDE_FILE))
}

/// For `build.rs`: [`generate_into`] `$OUT_DIR/<subdir>`. On a bad spec it
/// prints the same one-line message `cargo xtask` prints and ends the build
/// script with exit code 1, so the build fails with that message and no
/// panic backtrace.
pub fn build_script(spec_dir: &Path, options: &Options, subdir: &str) -> PathBuf {
    let out_dir = match std::env::var_os("OUT_DIR") {
        Some(dir) => PathBuf::from(dir).join(subdir),
        None => fail(&"OUT_DIR is not set: call build_script from a build script"),
    };
    match generate_into(spec_dir, options, &out_dir, &mut std::io::stdout()) {
        Ok(path) => path,
        Err(err) => fail(&err),
    }
}

fn fail(err: &dyn std::fmt::Display) -> ! {
    eprintln!("error: {err}");
    std::process::exit(1)
}
