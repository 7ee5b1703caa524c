//! `cargo xtask client-tokens [ROOT]`: every action whose request has a
//! string `ClientToken`, whether the generator takes it for an idempotency
//! key (the action is then idempotent and the runtime fills the token) and
//! why, by the rule of `codegen`'s `resolve::retry`. Without ROOT it reads
//! the checked-in specs (`api-spec/`); with ROOT every service below it.

use crate::services;
use codegen::ir::{ClientTokenUse, Idempotence};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// One action with a `ClientToken`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// `service version action`.
    pub action: String,
    /// Whether its token is an idempotency key.
    pub key: bool,
    /// Why, in words.
    pub reason: &'static str,
    /// The retry class that follows.
    pub class: &'static str,
}

/// What the command lists.
#[derive(Debug, Default)]
pub struct Listing {
    /// Every action with a `ClientToken`, sorted.
    pub rows: Vec<Row>,
    /// The services the generator rejects: label and error.
    pub failed: Vec<(String, String)>,
}

/// Every action with a `ClientToken` below `spec_root`.
pub fn list(spec_root: &Path) -> anyhow::Result<Listing> {
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for (job, service) in services::load_all(spec_root, "tokens")? {
        let service = match service {
            Ok(service) => service,
            Err(err) => {
                failed.push((job.label, err.to_string()));
                continue;
            }
        };
        for version in &service.versions {
            for action in &version.actions {
                let Some(ClientTokenUse { key, reason }) = action.client_token else {
                    continue;
                };
                rows.push(Row {
                    action: format!(
                        "{} {} {}",
                        service.short_name, version.version, action.wire_name
                    ),
                    key,
                    reason: reason.describe(),
                    class: match action.idempotence {
                        Idempotence::ClientToken => "idempotent (token filled)",
                        Idempotence::ReadOnly => "idempotent (read-only name)",
                        Idempotence::NotIdempotent => "not idempotent",
                    },
                });
            }
        }
    }
    rows.sort();
    Ok(Listing { rows, failed })
}

/// Runs the command: the counts per reason, then every action.
pub fn run(spec_root: &Path, out: &mut dyn Write) -> anyhow::Result<bool> {
    let Listing { rows, failed } = list(spec_root)?;
    let mut counts: BTreeMap<(bool, &str), usize> = BTreeMap::new();
    for row in &rows {
        *counts.entry((!row.key, row.reason)).or_default() += 1;
    }
    let keys = rows.iter().filter(|r| r.key).count();
    writeln!(
        out,
        "Actions with a string `ClientToken` below `{}`: {}; {keys} take it for an idempotency key, {} do not.\n",
        spec_root.display(),
        rows.len(),
        rows.len() - keys
    )?;
    writeln!(out, "| idempotency key | why | actions |\n|---|---|---|")?;
    for ((not_key, reason), n) in &counts {
        let key = if *not_key { "no" } else { "yes" };
        writeln!(out, "| {key} | {reason} | {n} |")?;
    }
    writeln!(
        out,
        "\n| action | key | why | retry class |\n|---|---|---|---|"
    )?;
    for row in &rows {
        let key = if row.key { "yes" } else { "no" };
        writeln!(
            out,
            "| {} | {key} | {} | {} |",
            row.action, row.reason, row.class
        )?;
    }
    for (label, err) in &failed {
        writeln!(
            out,
            "\nNot listed: `{label}`, which the generator rejects: {err}"
        )?;
    }
    Ok(failed.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::scratch::Scratch;
    use serde_json::json;

    /// A service whose three actions document their `ClientToken` as ess
    /// `CreateFlow`, cvm `RunInstances` and tcb `CreateCloudApp` do.
    fn write_service(root: &Path) {
        let token = |doc: &str| json!({"members": [{"name": "ClientToken", "type": "string", "member": "string", "document": doc}], "type": "object"});
        let response = json!({"members": [], "type": "object"});
        let api = json!({
            "metadata": {"apiVersion": "2020-11-11", "serviceShortName": "ess"},
            "actions": {
                "CreateFlow": {"input": "CreateFlowRequest", "output": "Out", "name": "", "document": ""},
                "RunInstances": {"input": "RunInstancesRequest", "output": "Out", "name": "", "document": ""},
                "CreateCloudApp": {"input": "CreateCloudAppRequest", "output": "Out", "name": "", "document": ""}
            },
            "objects": {
                "CreateFlowRequest": token(" 该字段已不再使用 "),
                "RunInstancesRequest": token("用于保证请求幂等性的字符串。"),
                "CreateCloudAppRequest": token(" 发布 Token 校验 "),
                "Out": response
            }
        });
        let dir = root.join("ess/v20201111");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("api.json"), api.to_string()).unwrap();
    }

    #[test]
    fn every_client_token_is_listed_with_its_reason() {
        let root = Scratch::new("client-tokens");
        write_service(&root.0);
        let mut out = Vec::new();
        assert!(run(&root.0, &mut out).unwrap());
        let text = String::from_utf8(out).unwrap();
        for row in [
            "| yes | its docs describe an idempotency key | 1 |",
            "| no | its docs do not describe an idempotency key | 1 |",
            "| no | its docs say it is no longer used | 1 |",
            "| ess 2020-11-11 CreateFlow | no | its docs say it is no longer used | not idempotent |",
            "| ess 2020-11-11 RunInstances | yes | its docs describe an idempotency key | idempotent (token filled) |",
            "| ess 2020-11-11 CreateCloudApp | no | its docs do not describe an idempotency key | not idempotent |",
        ] {
            assert!(text.contains(row), "{row} in:\n{text}");
        }
        assert!(
            text.contains(": 3; 1 take it for an idempotency key, 2 do not."),
            "{text}"
        );
    }
}
