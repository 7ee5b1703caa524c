//! The spec-level half of the API report explains every change of the
//! generated public API it is responsible for: the report is made from the
//! surface of the two generated crates, read back with `syn`, and a surface
//! change of a spec item (an object, an action's method, an error code)
//! that no spec-level change explains is reported as `unexplained`, which
//! these tests refuse. Checked over the real LCIC bump and over random
//! mutations of the real LCIC spec (reorders, retypes, removals,
//! requiredness flips, renames, additions, case collisions, error codes,
//! a new API version): every edit kind in every run, with a fresh seed each
//! run (printed on failure; seeds that failed are replayed from
//! `tests/diff_self_check.seeds`), each edit checked to have applied.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sdk_tests::{scratch_dir, workspace_root};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn load(dir: &Path) -> codegen::ir::Service {
    codegen::load_service(dir).unwrap()
}

/// Diffs two spec directories and returns the report with what its
/// spec-level half left unexplained.
fn misses(old: &Path, new: &Path) -> (codegen::diff::Report, Vec<String>) {
    let (old, new) = (load(old), load(new));
    let report = codegen::diff::diff_services(&old, &new).unwrap();
    let missing = unexplained(&report);
    (report, missing)
}

fn unexplained(report: &codegen::diff::Report) -> Vec<String> {
    report
        .changes
        .iter()
        .filter(|c| c.category == codegen::diff::Category::Unexplained)
        .map(|c| c.message.clone())
        .collect()
}

#[test]
fn the_real_lcic_bump_is_reported_completely() {
    let old = workspace_root().join("tests/data/lcic-intl-3.0.800");
    let new = workspace_root().join("api-spec/lcic");
    let (report, missing) = misses(&old, &new);
    assert!(report.changes.len() > 10, "{report:#?}");
    assert!(missing.is_empty(), "{missing:#?}");
}

/// One edit of a spec.
#[derive(Debug, Clone)]
enum Mutation {
    Reorder(usize),
    Retype(usize, usize),
    RemoveMember(usize, usize),
    FlipRequired(usize, usize),
    RenameMember(usize, usize),
    AddMember(usize, bool),
    /// Two members added to one object: a report that dropped one of two
    /// changes to an object would show here.
    AddTwoMembers(usize, bool),
    CaseCollision(usize, usize),
    RemoveAction(usize),
    AddAction(usize),
    RenameObject(usize),
    AddErrorCode,
    RemoveErrorCode(usize),
    NewVersion,
}

/// One strategy per edit kind, so that each run draws every kind.
fn kinds() -> Vec<BoxedStrategy<Mutation>> {
    let i = || 0..10_000usize;
    vec![
        i().prop_map(Mutation::Reorder).boxed(),
        (i(), i()).prop_map(|(o, m)| Mutation::Retype(o, m)).boxed(),
        (i(), i())
            .prop_map(|(o, m)| Mutation::RemoveMember(o, m))
            .boxed(),
        (i(), i())
            .prop_map(|(o, m)| Mutation::FlipRequired(o, m))
            .boxed(),
        (i(), i())
            .prop_map(|(o, m)| Mutation::RenameMember(o, m))
            .boxed(),
        (i(), any::<bool>())
            .prop_map(|(o, r)| Mutation::AddMember(o, r))
            .boxed(),
        (i(), any::<bool>())
            .prop_map(|(o, r)| Mutation::AddTwoMembers(o, r))
            .boxed(),
        (i(), i())
            .prop_map(|(o, m)| Mutation::CaseCollision(o, m))
            .boxed(),
        i().prop_map(Mutation::RemoveAction).boxed(),
        i().prop_map(Mutation::AddAction).boxed(),
        i().prop_map(Mutation::RenameObject).boxed(),
        Just(Mutation::AddErrorCode).boxed(),
        i().prop_map(Mutation::RemoveErrorCode).boxed(),
        Just(Mutation::NewVersion).boxed(),
    ]
}

/// The spec files of one version, as JSON.
#[derive(Clone)]
struct Spec {
    api: Value,
    errors: Value,
}

impl Spec {
    fn lcic() -> Spec {
        let dir = workspace_root().join("api-spec/lcic/2022-08-17");
        let read =
            |f: &str| serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap();
        Spec {
            api: read("api.json"),
            errors: read("errors.json"),
        }
    }

    fn object_names(&self) -> Vec<String> {
        self.api["objects"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    fn members(&mut self, object: usize) -> (String, &mut Vec<Value>) {
        let names = self.object_names();
        let name = names[object % names.len()].clone();
        let members = self.api["objects"][&name]["members"]
            .as_array_mut()
            .unwrap();
        (name, members)
    }

    fn apply(&mut self, m: &Mutation) -> bool {
        match *m {
            Mutation::Reorder(o) => self.members(o).1.reverse(),
            Mutation::Retype(o, i) => {
                let (_, members) = self.members(o);
                let Some(member) = pick(members, i) else {
                    return false;
                };
                let (kind, element) = if member["type"] == "string" {
                    ("int", "int64")
                } else {
                    ("string", "string")
                };
                member["type"] = json!(kind);
                member["member"] = json!(element);
            }
            Mutation::RemoveMember(o, i) => {
                let (_, members) = self.members(o);
                if members.is_empty() {
                    return false;
                }
                let at = i % members.len();
                members.remove(at);
            }
            Mutation::FlipRequired(o, i) => {
                let (_, members) = self.members(o);
                let Some(member) = pick(members, i) else {
                    return false;
                };
                let required = member["required"].as_bool().unwrap_or(false);
                member["required"] = json!(!required);
            }
            Mutation::RenameMember(o, i) => {
                let (_, members) = self.members(o);
                let Some(member) = pick(members, i) else {
                    return false;
                };
                member["name"] = json!(format!("{}Renamed", member["name"].as_str().unwrap()));
            }
            Mutation::AddMember(o, required) => {
                let (_, members) = self.members(o);
                let name = format!("Added{}", members.len());
                members.insert(0, json!({"name": name, "type": "string", "member": "string", "required": required, "document": "Added."}));
            }
            Mutation::AddTwoMembers(o, required) => {
                let (_, members) = self.members(o);
                for n in 0..2 {
                    let name = format!("AddedPair{n}");
                    members.push(json!({"name": name, "type": "int", "member": "int64", "required": required, "document": format!("Added {n}.")}));
                }
            }
            Mutation::CaseCollision(o, i) => {
                let (_, members) = self.members(o);
                let Some(member) = pick(members, i) else {
                    return false;
                };
                let mut twin = member.clone();
                let name = twin["name"].as_str().unwrap().to_owned();
                let flipped = if name.chars().any(|c| c.is_ascii_lowercase()) {
                    name.to_ascii_uppercase()
                } else {
                    name.to_ascii_lowercase()
                };
                twin["name"] = json!(flipped);
                members.push(twin);
            }
            Mutation::RemoveAction(a) => {
                let actions = self.api["actions"].as_object_mut().unwrap();
                let name = actions.keys().nth(a % actions.len()).unwrap().clone();
                actions.remove(&name);
                if let Some(lists) = self.errors["actions"].as_object_mut() {
                    lists.remove(&name);
                }
            }
            Mutation::AddAction(a) => {
                let actions = self.api["actions"].as_object_mut().unwrap();
                let (name, action) = actions.iter().nth(a % actions.len()).unwrap();
                let (name, action) = (format!("{name}Copy"), action.clone());
                actions.insert(name, action);
            }
            Mutation::RenameObject(o) => {
                let names = self.object_names();
                let old = names[o % names.len()].clone();
                let new = format!("{old}Renamed");
                rename_object(&mut self.api, &old, &new);
            }
            Mutation::AddErrorCode => {
                let codes = self.errors["errors"].as_array_mut().unwrap();
                let code = format!("FailedOperation.Added{}", codes.len());
                codes.push(json!({"code": code, "description": "Added."}));
            }
            Mutation::RemoveErrorCode(e) => {
                let codes = self.errors["errors"].as_array_mut().unwrap();
                let code = codes.remove(e % codes.len())["code"].clone();
                for list in self.errors["actions"].as_object_mut().unwrap().values_mut() {
                    list.as_array_mut().unwrap().retain(|c| *c != code);
                }
            }
            Mutation::NewVersion => {} // applied by `write`
        }
        true
    }

    fn write(&self, dir: &Path, version: &str) {
        let dir = dir.join(version);
        std::fs::create_dir_all(&dir).unwrap();
        let mut api = self.api.clone();
        api["metadata"]["apiVersion"] = json!(version);
        std::fs::write(dir.join("api.json"), api.to_string()).unwrap();
        std::fs::write(dir.join("errors.json"), self.errors.to_string()).unwrap();
    }
}

fn pick(members: &mut [Value], i: usize) -> Option<&mut Value> {
    let len = members.len();
    (len > 0).then(|| &mut members[i % len])
}

fn rename_object(api: &mut Value, old: &str, new: &str) {
    let objects = api["objects"].as_object_mut().unwrap();
    let object = objects.remove(old).unwrap();
    objects.insert(new.to_owned(), object);
    for object in objects.values_mut() {
        for member in object["members"].as_array_mut().unwrap() {
            if member["member"] == old {
                member["member"] = json!(new);
            }
        }
    }
    for action in api["actions"].as_object_mut().unwrap().values_mut() {
        for key in ["input", "output"] {
            if action[key] == old {
                action[key] = json!(new);
            }
        }
    }
}

/// Runs per edit kind: each run checks every kind this many times, first
/// in its case, with up to two random edits of any kind after it.
const ROUNDS: usize = 2;

/// Seeds that failed before, replayed by every run before a fresh one.
const SEEDS_FILE: &str = "tests/diff_self_check.seeds";

#[test]
fn random_edits_of_a_real_spec_are_reported_completely() {
    for seed in sdk_tests::seeds(SEEDS_FILE, "DIFF_SELF_CHECK_SEED") {
        check_seed(seed);
    }
}

fn check_seed(seed: u64) {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let failed = |case: usize, what: &str| {
        format!(
            "seed {seed} (rerun with DIFF_SELF_CHECK_SEED={seed}; add it to {SEEDS_FILE} to keep it), case {case}: {what}"
        )
    };
    let base = Spec::lcic();
    let root = scratch_dir(&format!("diff-self-check-{seed}"));
    let old: PathBuf = root.join("old");
    base.write(&old, "2022-08-17");
    let old_service = load(&old);
    let kinds = kinds();
    let any = proptest::strategy::Union::new(kinds.clone());
    for case in 0..ROUNDS * kinds.len() {
        let mut spec = base.clone();
        // The case's own kind: redrawn until it applies (an edit of a
        // member needs an object that has one).
        let first = (0..50)
            .map(|_| draw(&kinds[case % kinds.len()], &mut runner))
            .find(|edit| spec.apply(edit))
            .unwrap_or_else(|| panic!("{}", failed(case, "the edit never applied")));
        let mut edits = vec![first];
        for _ in 0..draw(&(0..3usize), &mut runner) {
            let edit = draw(&any, &mut runner);
            if spec.apply(&edit) {
                edits.push(edit);
            }
        }
        let new = root.join(format!("new-{case}"));
        spec.write(&new, "2022-08-17");
        if edits.iter().any(|e| matches!(e, Mutation::NewVersion)) {
            spec.write(&new, "2099-01-01");
        }
        let new_service = load(&new);
        let report = codegen::diff::diff_services(&old_service, &new_service).unwrap();
        let missing = unexplained(&report);
        assert!(
            missing.is_empty(),
            "{}",
            failed(
                case,
                &format!(
                    "edits {edits:?}: the spec-level report leaves surface changes unexplained:\n{}\nreport: {report:#?}",
                    missing.join("\n")
                )
            )
        );
        // A reorder is no change at all; every other edit is one.
        let reorders_only = edits.iter().all(|e| matches!(e, Mutation::Reorder(_)));
        assert_eq!(
            reorders_only,
            report.changes.is_empty(),
            "{}",
            failed(case, &format!("edits {edits:?}: {report:#?}"))
        );
    }
}

fn draw<T: std::fmt::Debug>(strategy: &impl Strategy<Value = T>, runner: &mut TestRunner) -> T {
    strategy
        .new_tree(runner)
        .expect("these strategies never reject")
        .current()
}
