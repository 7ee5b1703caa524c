//! `cargo xtask paginators [ROOT]`: how many actions get a paginator, per
//! pattern, and the paged-looking actions that do not, with the reason the
//! rules of `codegen::pagination` give. Without ROOT it counts the
//! checked-in specs (`api-spec/`); with ROOT every service below it (the
//! whole catalog: `/path/to/tccli/services`). Every API version counts.

use crate::services;
use codegen::ir::{FirstPage, PagePattern, Paging, Service};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The counts of one run.
#[derive(Debug, Default)]
pub struct Counts {
    /// Actions looked at.
    pub actions: usize,
    /// Recognised actions per pattern label; of them, those with an item stream.
    pub patterns: BTreeMap<&'static str, (usize, usize)>,
    /// Page-number paginators by where their pages start and what said so.
    pub first_pages: BTreeMap<String, usize>,
    /// Unrecognised actions: reason → `service version action`.
    pub unrecognised: BTreeMap<String, Vec<String>>,
    /// Services the generator rejects: label and error.
    pub failed: Vec<(String, String)>,
}

impl Counts {
    fn add(&mut self, service: &Service) {
        for version in &service.versions {
            for action in &version.actions {
                self.actions += 1;
                match &action.paging {
                    Paging::NotPaged => {}
                    Paging::Paged(paging) => {
                        let entry = self.patterns.entry(paging.pattern.label()).or_default();
                        entry.0 += 1;
                        entry.1 += usize::from(paging.items().is_some());
                        if let PagePattern::PageNumber { first, .. } = paging.pattern {
                            *self.first_pages.entry(first_page(first)).or_default() += 1;
                        }
                    }
                    // The rules' reasons name only member names and
                    // types, so equal reasons group.
                    Paging::Unrecognised(reason) => {
                        self.unrecognised
                            .entry(reason.clone())
                            .or_default()
                            .push(format!(
                                "{} {} {}",
                                service.short_name, version.version, action.wire_name
                            ));
                    }
                }
            }
        }
    }
}

/// Counts the services below `spec_root`.
pub fn count(spec_root: &Path) -> anyhow::Result<Counts> {
    let mut counts = Counts::default();
    for (job, service) in services::load_all(spec_root, "paging")? {
        match service {
            Ok(service) => counts.add(&service),
            Err(err) => counts.failed.push((job.label.clone(), err.to_string())),
        }
    }
    Ok(counts)
}

/// A first page as the report's table shows it.
fn first_page(first: FirstPage) -> String {
    match (first.number(), first.source()) {
        (Some(number), Some(source)) => format!("from {number}, by {}", source.describe()),
        _ => "not known: the caller sets it".to_owned(),
    }
}

/// Runs the command: counts, then a Markdown report.
pub fn run(spec_root: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let counts = count(spec_root)?;
    report(&counts, spec_root, out)?;
    Ok(true)
}

fn report(counts: &Counts, root: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    let recognised: usize = counts.patterns.values().map(|(n, _)| n).sum();
    let unrecognised: usize = counts.unrecognised.values().map(Vec::len).sum();
    writeln!(
        out,
        "Paginators below `{}`: {} actions, {recognised} with a paginator, {unrecognised} paged-looking without one.\n",
        root.display(),
        counts.actions
    )?;
    writeln!(
        out,
        "| pattern | actions | with an item stream |\n|---|---|---|"
    )?;
    for (pattern, (n, items)) in &counts.patterns {
        writeln!(out, "| {pattern} | {n} | {items} |")?;
    }
    writeln!(out, "| **total** | **{recognised}** | |\n")?;
    writeln!(
        out,
        "| page-number paginators: first page | actions |\n|---|---|"
    )?;
    for (first, n) in &counts.first_pages {
        writeln!(out, "| {first} | {n} |")?;
    }
    writeln!(out)?;
    writeln!(out, "| not recognised: why | actions |\n|---|---|")?;
    let mut reasons: Vec<_> = counts.unrecognised.iter().collect();
    reasons.sort_by_key(|(reason, actions)| (std::cmp::Reverse(actions.len()), reason.as_str()));
    for (reason, actions) in &reasons {
        writeln!(
            out,
            "| {} | {} |",
            reason.replace('|', "\\|"),
            actions.len()
        )?;
    }
    writeln!(out)?;
    for (label, err) in &counts.failed {
        writeln!(
            out,
            "Not counted: `{label}`, which the generator rejects: {err}\n"
        )?;
    }
    writeln!(
        out,
        "Unrecognised actions (service, version, action), by reason:\n"
    )?;
    for (reason, actions) in &reasons {
        writeln!(out, "- {reason}: {}", actions.join(", "))?;
    }
    Ok(())
}
