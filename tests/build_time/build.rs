//! Generates the LCIC API from the repository's spec into `OUT_DIR`.

fn main() {
    let options = codegen::Options {
        generated_by: "build.rs of lcic-build-time-example".into(),
        ..Default::default()
    };
    codegen::build_time::build_script("../../api-spec/lcic".as_ref(), &options, "lcic");
}
