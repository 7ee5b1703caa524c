//! The crate around the modules: `Cargo.toml`, `lib.rs`, each version's `mod.rs`.

use super::docs::{self, Reader};
use super::{ident, Options};
use crate::ir::{ApiVersion, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// `Cargo.toml`, with the marker as its first line: the metadata crates.io
/// and docs.rs need, one feature per API version (the newest on by
/// default), and the runtime by version (and path, while unpublished).
pub fn cargo_toml(service: &Service, options: &Options, marker: &str) -> String {
    let version = options.crate_version();
    let mut toml = format!(
        "{marker}\n[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\nrust-version = \"1.82\"\nlicense = \"Apache-2.0\"\ndescription = {description}\ndocumentation = \"https://docs.rs/{name}\"\n",
        name = service.crate_name,
        description = toml_string(&description(service)),
    );
    if let Some(repository) = &options.repository {
        toml.push_str(&format!("repository = {}\n", toml_string(repository)));
    }
    toml.push_str(&format!(
        "readme = \"README.md\"\nkeywords = [{}]\ncategories = [\"api-bindings\", \"web-programming::http-client\"]\n",
        keywords(service)
            .iter()
            .map(|k| toml_string(k))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if !options.publish {
        toml.push_str("publish = false\n");
    }
    let runtime = match &options.runtime_version {
        Some(v) => format!(
            "{{ version = {}, path = {} }}",
            toml_string(v),
            toml_string(&options.runtime_path)
        ),
        None => format!("{{ path = {} }}", toml_string(&options.runtime_path)),
    };
    toml.push_str(&format!(
        "\n[dependencies]\ntencentcloud-runtime = {runtime}\n"
    ));
    if has_quick_start(options) {
        toml.push_str(
            "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n",
        );
    }
    toml.push_str("\n# One feature per API version; the newest is on by default.\n[features]\n");
    toml.push_str(&format!("default = [\"{}\"]\n", service.newest().module));
    for v in &service.versions {
        toml.push_str(&format!("{} = []\n", v.module));
    }
    toml.push_str(SERDE_FEATURE_TOML);
    toml.push_str("\n[package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n");
    if options.standalone {
        toml.push_str(
            "\n# Its own workspace: generated outside the SDK's workspace.\n[workspace]\n",
        );
    }
    toml
}

/// The `serde` feature, off by default: serde's `Serialize` and
/// `Deserialize` on every model type. It needs no dependency: the runtime's
/// macro reaches serde through the runtime.
const SERDE_FEATURE_TOML: &str = "# serde's `Serialize` and `Deserialize` on every model type; off by default, as they cost\n# compile time. Needs no dependency: they come through `tencentcloud-runtime`.\nserde = []\n";

/// What the crate docs and the README say about the `serde` feature.
pub fn serde_feature_doc(reader: Reader) -> String {
    let json = reader.runtime_link("`tencentcloud_runtime::json`", "json", "json/");
    let to = reader.runtime_link("`ToJson`", "json::ToJson", "json/trait.ToJson.html");
    let from = reader.runtime_link("`FromJson`", "json::FromJson", "json/trait.FromJson.html");
    let serde = reader.runtime_link("`Serde`", "json::Serde", "json/struct.Serde.html");
    format!(
        "Every model type converts to and from JSON through {json} ({to}, {from}). serde's `Serialize` and \
         `Deserialize` are behind the `serde` feature, off by default because they cost compile time: turn it \
         on with `features = [\"serde\"]` on this crate's dependency. Without it, {serde} wraps any model \
         type for serde (`serde_json::to_string(&Serde(&value))`)."
    )
}

/// The package description: the service by name.
fn description(service: &Service) -> String {
    format!(
        "{}: typed models, error codes and an async client, generated from Tencent's published API spec",
        title(service)
    )
}

/// "Tencent Cloud `lcic` API (实时互动-教育版)": the service as docs and
/// metadata name it.
pub fn title(service: &Service) -> String {
    match &service.name_cn {
        Some(cn) => format!("Tencent Cloud `{}` API ({cn})", service.short_name),
        None => format!("Tencent Cloud `{}` API", service.short_name),
    }
}

/// crates.io keywords: at most five, each ASCII letters, digits, `-` or
/// `_`, at most 20 characters.
fn keywords(service: &Service) -> Vec<String> {
    let mut keywords: Vec<String> = ["tencentcloud", "tencent-cloud", "sdk", "api"]
        .map(str::to_owned)
        .into();
    let name: String = service
        .short_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(20)
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) && !keywords.contains(&name) {
        keywords.push(name);
    }
    keywords
}

/// Whether the crate carries `examples/quick_start.rs` (which its README
/// shows): crates with a release and a client.
pub fn has_quick_start(options: &Options) -> bool {
    options.release.is_some()
        && !options.models_only
        && options.layout == crate::options::Layout::Crate
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The crate docs of `lib.rs`.
fn crate_doc(service: &Service) -> Vec<String> {
    let mut doc = vec![
        format!("# {}", service.crate_name),
        String::new(),
        match &service.name_cn {
            Some(cn) => format!(
                "Typed Rust SDK for the Tencent Cloud `{}` API ({cn}).",
                service.short_name
            ),
            None => format!(
                "Typed Rust SDK for the Tencent Cloud `{}` API.",
                service.short_name
            ),
        },
        "Generated from Tencent's published API spec by `tencentcloud-codegen`.".into(),
    ];
    if let Some(brief) = &service.brief {
        doc.push(String::new());
        doc.extend(docs::lines(brief));
    }
    doc.push(String::new());
    doc.push("API versions, one module and one cargo feature each; the newest is on by default and re-exported at the crate root:".into());
    doc.push(String::new());
    let newest = &service.newest().module;
    for version in &service.versions {
        // Plain text, not intra-doc links: a module whose feature is off
        // is not there to link to.
        let tag = if &version.module == newest {
            ", the newest, on by default"
        } else {
            ""
        };
        doc.push(format!(
            "- {} in `{1}` (feature `{1}`{tag})",
            version.version, version.module
        ));
    }
    doc.push(String::new());
    doc.push("# serde".into());
    doc.push(String::new());
    doc.push(serde_feature_doc(Reader::Rustdoc));
    doc
}

/// Whether a version has a `required` module: some request object has
/// members a caller must supply.
pub fn has_required(version: &ApiVersion) -> bool {
    version.objects.iter().any(|o| o.has_required())
}

/// The leaf modules of a version (files of their own in both layouts), with
/// the docs their declaration carries.
pub fn leaf_modules(version: &ApiVersion, options: &Options) -> Vec<(&'static str, &'static str)> {
    let mut leaves = vec![(
        "models",
        "Requests, responses and data types of this API version.",
    )];
    if has_required(version) {
        leaves.push((
            "required",
            "The members each request type must carry, by name: what its `new` takes.",
        ));
    }
    leaves.push(("errors", "The error codes this API version documents."));
    if !options.models_only {
        leaves.push((
            "client",
            "The client of this API version: one async method per action.",
        ));
    }
    leaves
}

/// `src/lib.rs`: crate docs, one module per version behind its feature,
/// the newest re-exported.
pub fn lib_rs(service: &Service) -> TokenStream {
    let doc = docs::inner_attrs(&crate_doc(service));
    let modules = service.versions.iter().map(|v| {
        let module = ident(&v.module);
        let feature = &v.module;
        let doc = version_doc(service, v);
        // prettyplease prints generated code; `cargo fmt` must leave it be,
        // or the drift check would fail after every `cargo fmt --all`.
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    let newest = ident(&service.newest().module);
    let newest_feature = &service.newest().module;
    quote! {
        #doc
        #![warn(missing_docs)]
        #![cfg_attr(docsrs, feature(doc_cfg))]

        #(#modules)*

        #[cfg(feature = #newest_feature)]
        pub use #newest::*;
    }
}

fn version_doc(service: &Service, version: &ApiVersion) -> String {
    format!(
        " The `{}` API, version {}.",
        service.short_name, version.version
    )
}

/// `src/<version>/mod.rs`: the version's modules and its items.
pub fn version_mod_rs(service: &Service, version: &ApiVersion, options: &Options) -> TokenStream {
    let leaves = leaf_modules(version, options)
        .into_iter()
        .map(|(name, doc)| {
            let module = ident(name);
            let doc = format!(" {doc}");
            quote!(#[doc = #doc] pub mod #module;)
        });
    let examples = (!version.examples.is_empty()).then(|| {
        quote!(
            #[cfg(test)]
            mod examples;
        )
    });
    let items = version_items(service, version, options);
    quote! {
        #(#leaves)*
        #examples
        #items
    }
}

/// The file a crate `include!`s to get the whole API, for build-time
/// generation: inline version modules whose leaf modules `include!` the leaf
/// files next to it (so the leaves are the very files a checked-in crate has).
pub fn include_rs(service: &Service, options: &Options) -> TokenStream {
    let versions = service.versions.iter().map(|v| {
        let module = ident(&v.module);
        let doc = version_doc(service, v);
        let leaves = leaf_modules(v, options)
            .into_iter()
            .map(|(name, leaf_doc)| {
                let leaf = ident(name);
                let leaf_doc = format!(" {leaf_doc}");
                let path = format!("src/{}/{name}.rs", v.module);
                quote!(#[doc = #leaf_doc] pub mod #leaf { include!(#path); })
            });
        let items = version_items(service, v, options);
        quote! {
            #[doc = #doc]
            pub mod #module {
                #(#leaves)*
                #items
            }
        }
    });
    let newest = ident(&service.newest().module);
    quote! {
        #(#versions)*
        pub use #newest::*;
    }
}

/// A version module's own items: re-exports and the service constant.
fn version_items(service: &Service, version: &ApiVersion, options: &Options) -> TokenStream {
    let name = &service.short_name;
    let wire_version = &version.version;
    let intl = match &version.intl_endpoint {
        Some(host) => quote!(::std::option::Option::Some(#host)),
        None => quote!(::std::option::Option::None),
    };
    let client = (!options.models_only).then(|| {
        quote!(
            pub use client::{Client, Error};
        )
    });
    quote! {
        #client
        pub use errors::ErrorCode;
        pub use models::*;

        /// The service name and API version every call of this module sends.
        pub const SERVICE: ::tencentcloud_runtime::Service = ::tencentcloud_runtime::Service {
            name: #name,
            version: #wire_version,
            intl_endpoint: #intl,
        };
    }
}
