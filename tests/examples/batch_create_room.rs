//! Sends a BatchCreateRoom request read from a JSON file.
//!
//! ```text
//! cargo run --example batch_create_room -- request.json
//! ```
//!
//! Credentials come from the default chain (`TENCENTCLOUD_SECRET_ID` and
//! `TENCENTCLOUD_SECRET_KEY`, then `~/.tencentcloud/credentials`), the region
//! from `TENCENTCLOUD_REGION`, the endpoint URL from `TENCENTCLOUD_ENDPOINT`
//! when set. Prints the response as JSON and exits 0; on a service error
//! prints the code, message and request id to stderr and exits 1.

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = sdk_tests::batch_create_room::run(
        &args,
        tencentcloud_lcic::Client::from_env,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    )
    .await;
    std::process::ExitCode::from(code as u8)
}
