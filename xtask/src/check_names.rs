//! `cargo xtask check-names [--manifest <FILE>]`: whether the crate names
//! a release would publish are free on crates.io.

use crate::manifest::Manifest;
use crate::release::HAND_WRITTEN;
use crate::workspace::TempDir;
use anyhow::Context as _;
use std::io::Write;
use std::path::Path;

/// What crates.io says of a crate name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameStatus {
    /// No crate has the name.
    Free,
    /// A crate has it; its first line of `cargo info`.
    Taken(String),
    /// `cargo info` failed otherwise (offline, registry down): unknown.
    Unknown(String),
}

/// `cargo xtask check-names [--manifest F]`: asks crates.io (through
/// `cargo info`, run outside any workspace so that local packages do not
/// answer) about every crate name the manifest releases and the runtime's.
/// `Ok(false)` when any name is taken or could not be checked: a name is
/// changed before the first publish by editing the service's `crate` in
/// the manifest.
pub fn run(manifest: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let manifest = Manifest::read(manifest)?;
    let mut names: Vec<&str> = manifest
        .services
        .values()
        .map(|e| e.krate.as_str())
        .collect();
    names.extend(HAND_WRITTEN.iter().map(|(_, name)| *name));
    names.sort_unstable();
    let outside = TempDir::new()?;
    let mut free = 0;
    for name in &names {
        match name_status(name, outside.path())? {
            NameStatus::Free => free += 1,
            NameStatus::Taken(by) => writeln!(out, "TAKEN    {name}: {by}")?,
            NameStatus::Unknown(why) => writeln!(out, "UNKNOWN  {name}: {why}")?,
        }
    }
    writeln!(
        out,
        "{free} of {} crate names are free on crates.io",
        names.len()
    )?;
    Ok(free == names.len())
}

fn name_status(name: &str, outside: &Path) -> anyhow::Result<NameStatus> {
    let output = std::process::Command::new(crate::workspace::cargo())
        .args(["info", "--registry", "crates-io", name])
        .current_dir(outside)
        .output()
        .context("cannot run cargo info")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(name_status_of(
        output.status.success(),
        &stdout,
        &stderr,
        name,
    ))
}

/// Reads `cargo info`'s answer: success names a crate that exists; "could
/// not find" is the only failure that means the name is free.
fn name_status_of(success: bool, stdout: &str, stderr: &str, name: &str) -> NameStatus {
    let last = |text: &str| text.lines().last().unwrap_or_default().trim().to_owned();
    if success {
        let description = stdout.lines().nth(1).unwrap_or_default().trim().to_owned();
        NameStatus::Taken(description)
    } else if stderr.contains(&format!("could not find `{name}`")) {
        NameStatus::Free
    } else {
        NameStatus::Unknown(last(stderr))
    }
}

#[cfg(test)]
mod tests {
    use super::{name_status_of, NameStatus};

    #[test]
    fn cargo_info_answers_are_read_strictly() {
        let free = "    Updating crates.io index\nerror: could not find `tencentcloud-cvm` in registry `crates-io`\n";
        assert_eq!(
            name_status_of(false, "", free, "tencentcloud-cvm"),
            NameStatus::Free
        );
        let taken = "tencentcloud-sms #tencent #sms\nTencent Cloud SMS SDK\nversion: 0.1.0\n";
        assert_eq!(
            name_status_of(true, taken, "", "tencentcloud-sms"),
            NameStatus::Taken("Tencent Cloud SMS SDK".into())
        );
        // A failure that is not "could not find" (offline, another name's
        // message) proves nothing about the name.
        let offline = "error: failed to query replaced source registry `crates-io`\n";
        assert!(matches!(
            name_status_of(false, "", offline, "x"),
            NameStatus::Unknown(_)
        ));
        assert!(matches!(
            name_status_of(false, "", free, "tencentcloud"),
            NameStatus::Unknown(_)
        ));
    }
}
