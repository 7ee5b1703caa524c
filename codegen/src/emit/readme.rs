//! A crate's `README.md` (what crates.io shows) and, for crates with a
//! release, `examples/quick_start.rs`: the README's code, compiled by every
//! `cargo test` and clippy run of the crate, so the first thing a user
//! copies builds.

use super::docs::Reader;
use super::{ident, Options, MARKER};
use crate::diff::Version;
use crate::ir::{Action, ApiVersion, Object, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// Where the quick start lives in the crate.
pub const QUICK_START: &str = "examples/quick_start.rs";

/// `README.md`, showing `quick_start` (the text of [`quick_start`]) when
/// the crate has a client.
pub fn readme(service: &Service, options: &Options, quick_start: Option<&str>) -> String {
    let name = &service.crate_name;
    let version = options.crate_version();
    let mut md = format!(
        "<!-- {MARKER} by `{}`. Do not edit by hand: change the spec and run it again. -->\n\n# {name}\n\n",
        options.generated_by
    );
    md.push_str(&format!(
        "Typed async Rust SDK for the {}, generated from Tencent's published API spec: one struct per spec object with its exact wire names, an `ErrorCode` enum of the documented error codes, and a client with one method per action, signed with TC3-HMAC-SHA256.\n",
        super::krate::title(service)
    ));
    if let Some(brief) = &service.brief {
        md.push_str(&format!("\n> {}\n", brief.replace('\n', " ")));
    }
    md.push_str(&format!(
        "\n## Install\n\n```toml\n[dependencies]\n{name} = \"{}\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n```\n",
        caret(&version)
    ));
    if let Some(code) = quick_start {
        let chain = Reader::Web.runtime_link("the default chain", "credentials", "credentials/");
        md.push_str(&format!(
            "\n## Quick start\n\n`Client::from_env` takes credentials from {chain} and the region from `TENCENTCLOUD_REGION`; `tencentcloud-runtime`'s builder sets them in code.\n\n```rust,no_run\n{code}```\n"
        ));
    }
    md.push_str("\n## API versions\n\nOne module and one cargo feature per API version; only the enabled ones are compiled. The newest is on by default and re-exported at the crate root.\n\n| version | module and feature |\n|---|---|\n");
    for v in service.versions.iter().rev() {
        let default = if v.module == service.newest().module {
            " (default)"
        } else {
            ""
        };
        md.push_str(&format!("| {} | `{}`{default} |\n", v.version, v.module));
    }
    md.push_str(&format!(
        "\n## serde\n\n{}\n\n```toml\n[dependencies]\n{name} = {{ version = \"{}\", features = [\"serde\"] }}\n```\n",
        super::krate::serde_feature_doc(Reader::Web),
        caret(&version)
    ));
    let runtime = Reader::Web.runtime_link("`tencentcloud-runtime`", "", "");
    md.push_str(&format!(
        "\n## More\n\n- API reference: <https://docs.rs/{name}>\n- Retries, timeouts, endpoints, credentials and errors: {runtime}.\n- License: Apache-2.0. The API specs are Tencent's, published under Apache-2.0 in `tccli`.\n"
    ));
    md
}

/// `0.2.0` → `0.2`, `1.4.2` → `1`: the requirement that takes compatible updates.
fn caret(version: &Version) -> String {
    match version.major {
        0 => format!("0.{}", version.minor),
        major => major.to_string(),
    }
}

/// `examples/quick_start.rs`: one call of a read-only action of the newest
/// version (one that needs no required member when there is one).
pub fn quick_start(service: &Service) -> TokenStream {
    let version = service.newest();
    let krate = ident(&service.crate_name.replace('-', "_"));
    let Some(action) = pick(version) else {
        return quote! {
            //! This API version has no action a quick start can call with defaults.
            fn main() {}
        };
    };
    let request = &version.objects[action.input.0];
    let method = ident(&action.method);
    let ty = ident(&request.rust_name);
    let doc = format!(" Calls `{}` once and prints the answer.", action.wire_name);
    // The crate root re-exports the newest version's types, but `Client`,
    // `Error` and `ErrorCode` there are the client's own.
    let at_root = !["Client", "Error", "ErrorCode"].contains(&request.rust_name.as_str());
    let (import, path) = if at_root {
        (quote!(use #krate::{Client, #ty};), quote!(#ty))
    } else {
        (quote!(use #krate::{models, Client};), quote!(models::#ty))
    };
    let (import, build) = if request.has_required() {
        let fields = request.constructor_fields().map(|f| {
            let field = ident(&f.rust_name);
            quote!(#field: Default::default())
        });
        let import = quote!(#import use #krate::required;);
        (import, quote!(#path::new(required::#ty { #(#fields),* })))
    } else {
        (import, quote!(#path::default()))
    };
    quote! {
        #![doc = #doc]

        #import

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let client = Client::from_env()?;
            let request = #build;
            let response = client.#method(&request).await?;
            println!("{response:?}");
            Ok(())
        }
    }
}

/// A read-only action (Tencent names them `Describe…`, `Get…`, `List…`,
/// `Query…`), preferring one whose request needs nothing; then any action.
/// Never a deprecated one, nor one whose required members have no default.
fn pick(version: &ApiVersion) -> Option<&Action> {
    let request = |a: &Action| -> &Object { &version.objects[a.input.0] };
    let read_only = |a: &&Action| {
        ["Describe", "Get", "List", "Query"]
            .iter()
            .any(|p| a.wire_name.starts_with(p))
    };
    // Required members are filled with `Default::default()`, so each must
    // have a default: a scalar, a list, or an object without required members.
    let buildable = |a: &&Action| {
        request(a).constructor_fields().all(|f| match &f.ty {
            crate::ir::Type::Object(id) => version.objects[id.0].has_default(),
            _ => true,
        })
    };
    let live = || {
        version
            .actions
            .iter()
            .filter(|a| !a.deprecated && buildable(a))
    };
    live()
        .filter(read_only)
        .find(|a| !request(a).has_required())
        .or_else(|| live().find(|a| !request(a).has_required()))
        .or_else(|| live().find(read_only))
        .or_else(|| live().next())
}
