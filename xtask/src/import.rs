//! `cargo xtask import <SOURCE> <service>...`: published specs copied into
//! `api-spec/`.

use anyhow::Context as _;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `cargo xtask import`: copies every version of each named service from
/// `source` (`tccli/services/` as Tencent ships it, with `v<date>/` version
/// directories, or a directory in this project's `api-spec/` layout) into
/// `root/api-spec/<service>/<YYYY-MM-DD>/`. Every version is validated before
/// anything is written; files the source does not have (`overlay.json`) stay.
pub fn run(
    root: &Path,
    source: &Path,
    services: &[String],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut copies: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    for service in services {
        let dir = [source.join(service), source.join("services").join(service)]
            .into_iter()
            .find(|d| d.is_dir())
            .with_context(|| format!("no service `{service}` in {}", source.display()))?;
        let versions = codegen::spec_dirs(&dir)?;
        for version_dir in versions {
            let spec = codegen::load_service(&version_dir)?;
            let version = spec.newest().version.clone();
            if spec.short_name != *service && crate::workspace::dir_name(&dir) != *service {
                anyhow::bail!(
                    "{}: declares service `{}`, not `{service}`",
                    version_dir.display(),
                    spec.short_name
                );
            }
            copies.push((
                version_dir,
                root.join("api-spec").join(service).join(&version),
                format!("{service} {version}"),
            ));
        }
    }
    for (from, to, label) in copies {
        std::fs::create_dir_all(&to).with_context(|| format!("cannot create {}", to.display()))?;
        for file in codegen::load::SPEC_FILES {
            let source_file = from.join(file);
            if !source_file.is_file() {
                continue;
            }
            let target = to.join(file);
            let tmp = to.join(format!(".{file}.import-tmp"));
            std::fs::copy(&source_file, &tmp)
                .with_context(|| format!("cannot copy {}", source_file.display()))?;
            std::fs::rename(&tmp, &target)
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        writeln!(out, "imported {label} into {}", to.display())?;
    }
    Ok(())
}
