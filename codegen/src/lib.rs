//! # tencentcloud-codegen
//!
//! Turns Tencent Cloud's published API specs (`api.json`, as shipped in
//! `tccli`, plus optional `errors.json`, `examples.json` and `overlay.json`)
//! into a typed Rust crate: models, error codes, an async client and tests of
//! the spec's examples.
//!
//! The flow runs one way, one module per step:
//! [`load`] (serde mirrors of the JSON) → `resolve` (validation, names
//! decided by [`naming`]) into [`ir`] (the validated model every later step
//! and the [`diff`] read) → `emit` (`TokenStream`s, printed with
//! `prettyplease`) → [`write()`] (atomic, marker-checked).
//!
//! ```no_run
//! use std::path::Path;
//!
//! let options = codegen::Options {
//!     generated_by: "build.rs of my-crate".into(),
//!     ..codegen::Options::default()
//! };
//! let krate = codegen::generate(Path::new("api-spec/lcic"), &options)?;
//! let mut output = codegen::Output::new("generated/lcic");
//! output.add_crate("", &krate);
//! codegen::write(&output)?;
//! # Ok::<(), codegen::Error>(())
//! ```

pub mod build_time;
pub mod diff;
mod emit;
mod error;
pub mod ir;
pub mod load;
pub mod naming;
mod options;
mod resolve;
mod write;

pub use emit::{names_file, GeneratedCrate, MARKER};
pub use error::Error;
pub use options::{Layout, Options, Release, INCLUDE_FILE};
pub use resolve::{pagination, resolve_service, streaming};
#[doc(hidden)]
pub use write::PAUSE_ENV;
pub use write::{check, write, Drift, Output, WriteReport};

use std::path::{Path, PathBuf};

/// The spec directories below `dir`: `dir` itself when it holds `api.json`
/// (one API version), else each subdirectory that does (one service with
/// several versions), sorted by name.
pub fn spec_dirs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if dir.join(load::API_FILE).is_file() {
        return Ok(vec![dir.to_owned()]);
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut dirs = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Read {
                path: dir.to_owned(),
                source,
            })?
            .path();
        if path.join(load::API_FILE).is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    if dirs.is_empty() {
        return Err(Error::Layout {
            path: dir.to_owned(),
            message: format!(
                "not a spec directory: neither it nor any subdirectory holds {}",
                load::API_FILE
            ),
        });
    }
    Ok(dirs)
}

/// Loads and validates one service: a version directory, or a service
/// directory whose subdirectories are its versions.
pub fn load_service(dir: &Path) -> Result<ir::Service, Error> {
    load_service_after(dir, None)
}

/// Loads and validates one service whose previous release is `previous`
/// (as [`load_service`] gave it): every name that release handed out stays
/// with its member (README, "Naming").
pub fn load_service_after(
    dir: &Path,
    previous: Option<&ir::Service>,
) -> Result<ir::Service, Error> {
    let specs = spec_dirs(dir)?
        .iter()
        .map(|d| load::load_dir(d))
        .collect::<Result<Vec<_>, _>>()?;
    resolve_service(&specs, previous)
}

/// Loads, validates and generates the crate for a service or version directory.
pub fn generate(dir: &Path, options: &Options) -> Result<GeneratedCrate, Error> {
    generate_service(&load_service(dir)?, options)
}

/// Generates the crate for a loaded service ([`load_service`],
/// [`load_service_after`]), applying every option: the action selection
/// and the crate name first, then emission. The one way to emit a crate.
pub fn generate_service(service: &ir::Service, options: &Options) -> Result<GeneratedCrate, Error> {
    let mut service = match &options.actions {
        Some(actions) => service.select_actions(actions)?,
        None => service.clone(),
    };
    if let Some(name) = &options.crate_name {
        service.crate_name = name.clone();
    }
    emit::emit_crate(&service, options)
}
