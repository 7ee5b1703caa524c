//! Generates ccc, cls and sts, as `tccli` 3.1.189.1 ships them (copied into the
//! catalog sample), into `OUT_DIR`.

fn main() {
    let options = codegen::Options {
        generated_by: "build.rs of catalog-sample-build-time".into(),
        ..Default::default()
    };
    for service in ["ccc", "cls", "sts"] {
        let spec = format!("../data/catalog-sample/cn/{service}");
        codegen::build_time::build_script(spec.as_ref(), &options, service);
    }
}
