//! `cargo xtask generate <SPEC_DIR> --out <DIR>`: one standalone crate.

use codegen::{Options, Output};
use std::io::Write;
use std::path::Path;

/// The options of `cargo xtask generate`: a standalone crate that depends
/// on this checkout's runtime by path.
pub fn options() -> Options {
    let runtime = crate::workspace::workspace_root().join("runtime");
    Options {
        generated_by: "cargo xtask generate".into(),
        runtime_path: runtime.display().to_string(),
        crate_name: None,
        standalone: true,
        release: None,
        ..Options::default()
    }
}

/// Writes the crate generated from `spec` into `dir`; prints what changed.
pub fn run(spec: &Path, dir: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let krate = codegen::generate(spec, &options())?;
    let mut output = Output::new(dir);
    output.add_crate("", &krate);
    let report = codegen::write(&output)?;
    writeln!(
        out,
        "{}: {} written, {} unchanged, {} removed",
        dir.display(),
        report.written.len(),
        report.unchanged,
        report.removed.len()
    )?;
    Ok(true)
}
