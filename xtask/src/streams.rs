//! `cargo xtask streams [ROOT]`: every action that gets a `…_stream` method
//! (it can answer with Server-Sent Events), per service, and why, by the
//! rule of `codegen::streaming`. Without ROOT it reads the checked-in specs
//! (`api-spec/`); with ROOT every service below it.

use crate::services;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Runs the command: the count per reason, then every action by service.
pub fn run(spec_root: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let mut by_service: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failed = Vec::new();
    for (job, service) in services::load_all(spec_root, "streams")? {
        let service = match service {
            Ok(service) => service,
            Err(err) => {
                failed.push((job.label, err.to_string()));
                continue;
            }
        };
        for version in &service.versions {
            for action in &version.actions {
                let Some(streaming) = &action.streaming else {
                    continue;
                };
                *reasons.entry(streaming.source.describe()).or_default() += 1;
                by_service
                    .entry(service.short_name.clone())
                    .or_default()
                    .push(format!(
                        "`{}` {} ({})",
                        action.wire_name,
                        version.version,
                        streaming.source.describe()
                    ));
            }
        }
    }
    let total: usize = reasons.values().sum();
    writeln!(
        out,
        "Streaming actions below `{}`: {total} in {} services.\n\n| why | actions |\n|---|---|",
        spec_root.display(),
        by_service.len()
    )?;
    for (reason, n) in &reasons {
        writeln!(out, "| {reason} | {n} |")?;
    }
    writeln!(
        out,
        "\nThe known list: {}.\n",
        codegen::streaming::KNOWN_SOURCE
    )?;
    for (service, actions) in &by_service {
        writeln!(out, "- {service}: {}", actions.join(", "))?;
    }
    for (label, err) in &failed {
        writeln!(
            out,
            "\nNot listed: `{label}`, which the generator rejects: {err}"
        )?;
    }
    Ok(failed.is_empty())
}
