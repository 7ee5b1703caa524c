//! `cargo xtask release`: crates.io-ready crates for every service below a
//! spec root, versions that move only with the spec, by the diff's class.

use sdk_tests::{scratch_dir, snapshot, workspace_root};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn copy_specs(to: &Path) {
    for service in ["dnspod", "iai", "lcic", "teo"] {
        for version in std::fs::read_dir(workspace_root().join("api-spec").join(service)).unwrap() {
            let version = version.unwrap().path();
            let target = to.join(service).join(version.file_name().unwrap());
            std::fs::create_dir_all(&target).unwrap();
            for file in std::fs::read_dir(&version).unwrap() {
                let file = file.unwrap().path();
                std::fs::copy(&file, target.join(file.file_name().unwrap())).unwrap();
            }
        }
    }
}

fn release(
    specs: &Path,
    out: &Path,
    manifest: &Path,
    previous: Option<&Path>,
) -> anyhow::Result<String> {
    let mut printed = Vec::new();
    xtask::release::run(
        &xtask::release::Request {
            repo: &workspace_root(),
            spec_root: specs,
            out_dir: out,
            manifest,
            previous,
        },
        &mut printed,
    )?;
    Ok(String::from_utf8(printed).unwrap())
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn release_writes_packageable_crates_and_moves_versions_only_with_the_spec() {
    let root = scratch_dir("release-catalog");
    let (specs, out, manifest) = (
        root.join("specs"),
        root.join("ws"),
        root.join("manifest.toml"),
    );
    copy_specs(&specs);
    let printed = release(&specs, &out, &manifest, None).unwrap();
    assert!(
        printed.contains("tencentcloud-lcic            lcic                     0.1.0 (new)"),
        "{printed}"
    );

    // What crates.io and docs.rs need, and the runtime by version.
    let lcic = read(out.join("tencentcloud-lcic/Cargo.toml"));
    for line in [
        "name = \"tencentcloud-lcic\"",
        "license = \"Apache-2.0\"",
        "readme = \"README.md\"",
        "documentation = \"https://docs.rs/tencentcloud-lcic\"",
        "keywords = [\"tencentcloud\", \"tencent-cloud\", \"sdk\", \"api\", \"lcic\"]",
        "tencentcloud-runtime = { version = \"0.1.0\", path = \"../tencentcloud-runtime\" }",
        "default = [\"v20220817\"]",
        "rustdoc-args = [\"--cfg\", \"docsrs\"]",
    ] {
        assert!(lcic.contains(line), "{line}\n{lcic}");
    }
    assert!(!lcic.contains("publish = false"));
    let teo = read(out.join("tencentcloud-teo/Cargo.toml"));
    assert!(
        teo.contains("default = [\"v20220901\"]\nv20220106 = []\nv20220901 = []"),
        "{teo}"
    );
    assert!(read(out.join("tencentcloud-lcic/README.md")).contains("tencentcloud-lcic = \"0.1\""));
    let runtime = read(out.join("tencentcloud-runtime/Cargo.toml"));
    assert!(
        !runtime.contains("workspace = true") && !runtime.contains("publish"),
        "{runtime}"
    );
    // The runtime's own hand-written dependency ships beside it.
    assert!(
        runtime.contains(
            "tencentcloud-json = { version = \"0.1.0\", path = \"../tencentcloud-json\" }"
        ),
        "{runtime}"
    );
    let json = read(out.join("tencentcloud-json/Cargo.toml"));
    assert!(
        !json.contains("workspace = true")
            && json.contains("documentation = \"https://docs.rs/tencentcloud-json\""),
        "{json}"
    );

    // cargo accepts every crate for crates.io (offline; `--no-verify`: the
    // crates themselves are compiled by the rest of the test suite).
    let cargo = xtask::cargo();
    let packaged = std::process::Command::new(cargo)
        .args([
            "package",
            "--workspace",
            "--offline",
            "--no-verify",
            "--quiet",
        ])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .unwrap();
    assert!(
        packaged.status.success(),
        "{}",
        String::from_utf8_lossy(&packaged.stderr)
    );
    for krate in [
        "tencentcloud-json-0.1.0",
        "tencentcloud-runtime-0.1.0",
        "tencentcloud-lcic-0.1.0",
        "tencentcloud-teo-0.1.0",
    ] {
        assert!(
            root.join(format!("target/package/{krate}.crate")).is_file(),
            "{krate}"
        );
    }

    // Unchanged specs: nothing moves, not a byte.
    let (before, manifest_before) = (snapshot(&out), read(manifest.clone()));
    let printed = release(&specs, &out, &manifest, None).unwrap();
    assert!(printed.contains("0 written"), "{printed}");
    assert_eq!(snapshot(&out), before);
    assert_eq!(read(manifest.clone()), manifest_before);

    // Tencent adds an optional member to LCIC: exactly that crate moves, a
    // patch release of a 0.x crate, with a CHANGELOG entry.
    let old = root.join("old-specs");
    copy_specs(&old);
    let api = specs.join("lcic/2022-08-17/api.json");
    let mut spec: Value = serde_json::from_str(&read(api.clone())).unwrap();
    spec["objects"]["RoomInfo"]["members"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "Topic", "type": "string", "member": "string", "required": false, "document": "The topic."}));
    std::fs::write(&api, spec.to_string()).unwrap();
    let err = release(&specs, &out, &manifest, None).unwrap_err();
    assert!(format!("{err:#}").contains("pass --previous"), "{err:#}");
    let printed = release(&specs, &out, &manifest, Some(&old)).unwrap();
    assert!(
        printed.contains("tencentcloud-lcic            lcic                     0.1.0 → 0.1.1"),
        "{printed}"
    );
    let after = snapshot(&out);
    let changed: Vec<&Path> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.strip_prefix(&out).unwrap())
        .collect();
    assert!(!changed.is_empty());
    assert!(
        changed.iter().all(|p| p.starts_with("tencentcloud-lcic")),
        "{changed:?}"
    );
    assert!(read(out.join("tencentcloud-lcic/Cargo.toml")).contains("version = \"0.1.1\""));
    let log = read(out.join("tencentcloud-lcic/CHANGELOG.md"));
    assert!(
        log.contains("## 0.1.1\n\n`lcic`: 0 breaking, 1 additive"),
        "{log}"
    );
    assert!(log.contains("member added: optional field `topic"), "{log}");
    assert!(read(out.join("tencentcloud-teo/Cargo.toml")).contains("version = \"0.1.0\""));
    let manifest_text = read(manifest.clone());
    assert!(
        manifest_text
            .contains("[services.lcic]\ncrate = \"tencentcloud-lcic\"\nversion = \"0.1.1\""),
        "{manifest_text}"
    );
    assert!(
        manifest_text.contains("[services.teo]\ncrate = \"tencentcloud-teo\"\nversion = \"0.1.0\"")
    );
}

#[test]
fn a_crate_name_given_in_the_manifest_is_the_name_released() {
    // `tencentcloud-sms` belongs to another project on crates.io; the
    // manifest is where such a service gets another name before its first
    // publish, and a released service keeps its name.
    let root = scratch_dir("release-rename");
    let (specs, out, manifest) = (
        root.join("specs"),
        root.join("out"),
        root.join("manifest.toml"),
    );
    copy_specs(&specs);
    release(&specs, &out, &manifest, None).unwrap();
    let text = read(manifest.clone()).replace(
        "crate = \"tencentcloud-iai\"",
        "crate = \"tencentcloud-iai-api\"",
    );
    std::fs::write(&manifest, text).unwrap();

    let printed = release(&specs, &out, &manifest, None).unwrap();
    assert!(
        printed.contains("tencentcloud-iai-api         iai                      0.1.0 (unchanged)"),
        "{printed}"
    );
    assert!(!out.join("tencentcloud-iai").exists());
    let cargo_toml = read(out.join("tencentcloud-iai-api/Cargo.toml"));
    assert!(
        cargo_toml.contains("name = \"tencentcloud-iai-api\""),
        "{cargo_toml}"
    );
    assert!(
        read(out.join("tencentcloud-iai-api/examples/quick_start.rs"))
            .contains("tencentcloud_iai_api::")
    );
    assert!(read(out.join("Cargo.toml")).contains("\"tencentcloud-iai-api\""));
    assert!(read(manifest).contains("[services.iai]\ncrate = \"tencentcloud-iai-api\""));
}
