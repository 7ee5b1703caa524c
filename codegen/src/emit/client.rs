//! `client.rs`: the version's `Client`, one async method per action.
//!
//! Like progenitor's `OperationMethod`, each action is first turned into a
//! small description ([`Method`]) that the docs and the body are emitted from.

use super::{docs, ident};
use crate::resolve::ir::{Action, ApiVersion, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// Everything the emitter needs to know about one method.
struct Method<'a> {
    action: &'a Action,
    request: &'a str,
    response: &'a str,
    doc: Vec<String>,
}

impl<'a> Method<'a> {
    fn new(version: &'a ApiVersion, action: &'a Action) -> Self {
        Method {
            request: &version.objects[action.input.0].rust_name,
            response: &version.objects[action.output.0].rust_name,
            doc: method_doc(version, action),
            action,
        }
    }

    fn emit(&self) -> TokenStream {
        let name = ident(&self.action.method);
        let request = ident(self.request);
        let response = ident(self.response);
        let wire = &self.action.wire_name;
        let doc = docs::lines_to_attrs(&self.doc);
        let deprecated = self
            .action
            .deprecated
            .then(|| quote!(#[deprecated(note = "the action is deprecated in the API spec")]));
        let rate_limit = match self.action.rate_limit {
            Some(limit) => quote!(::std::option::Option::Some(#limit)),
            None => quote!(::std::option::Option::None),
        };
        // `#[inline]`: a method becomes machine code in the crate that calls
        // it, so users compile the actions they use, not all of them.
        quote! {
            #doc
            #deprecated
            #[inline]
            pub async fn #name(
                &self,
                request: &models::#request,
            ) -> ::std::result::Result<models::#response, Error> {
                const ACTION: ::tencentcloud_runtime::Action = ::tencentcloud_runtime::Action {
                    name: #wire,
                    rate_limit_per_second: #rate_limit,
                };
                self.runtime.call(&super::SERVICE, &ACTION, request).await
            }
        }
    }
}

fn method_doc(version: &ApiVersion, action: &Action) -> Vec<String> {
    let mut doc = Vec::new();
    let title = action.title.trim();
    doc.push(if title.is_empty() {
        format!("Calls `{}`.", action.wire_name)
    } else {
        format!("{title} (`{}`).", action.wire_name)
    });
    let body = docs::lines(&action.doc);
    if !body.is_empty() {
        doc.push(String::new());
        doc.extend(body);
    }
    if let Some(limit) = action.rate_limit {
        doc.push(String::new());
        doc.push(format!(
            "Rate limit: {limit} requests per second. The service answers `RequestLimitExceeded` beyond it."
        ));
    }
    doc.push(String::new());
    doc.push("# Errors".into());
    doc.push(String::new());
    if action.errors.is_empty() {
        doc.push("Fails with a transport or decoding error, or a service error; the spec lists no codes for this action.".into());
    } else {
        doc.push("Fails with a transport or decoding error, or a service error; the spec lists these codes for this action:".into());
        doc.push(String::new());
        for id in &action.errors {
            let code = &version.errors[id.0];
            let description = docs::lines(&code.description).join(" ");
            doc.push(format!(
                "- [`{}`](ErrorCode::{}): {}",
                code.code, code.variant, description
            ));
        }
    }
    doc
}

/// The whole client module of one API version.
pub fn emit(service: &Service, version: &ApiVersion) -> TokenStream {
    let methods = version
        .actions
        .iter()
        .map(|a| Method::new(version, a).emit());
    let client_doc = docs::lines_to_attrs(&[
        format!(
            "The client of the `{}` API, version {}.",
            service.short_name, version.version
        ),
        String::new(),
        "It wraps a shared [`tencentcloud_runtime::Client`], which holds the credentials,".into(),
        "region, endpoint and connection pool; cloning either is cheap.".into(),
    ]);
    quote! {

        use super::errors::ErrorCode;
        use super::models;

        /// The error of every method: a service error carrying an [`ErrorCode`], or a
        /// transport, HTTP or decoding failure.
        pub type Error = ::tencentcloud_runtime::Error<ErrorCode>;

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: ::tencentcloud_runtime::Client,
        }

        impl Client {
            /// A client that sends its calls through `runtime`.
            pub fn new(runtime: ::tencentcloud_runtime::Client) -> Self {
                Client { runtime }
            }

            /// A client set up from the environment: credentials from the default
            /// chain (environment, `~/.tencentcloud/credentials`, TKE OIDC, CVM
            /// role), region from `TENCENTCLOUD_REGION`, endpoint from
            /// `TENCENTCLOUD_ENDPOINT`.
            ///
            /// # Errors
            ///
            /// When no credentials are found or the HTTP client cannot be set up.
            pub fn from_env() -> ::std::result::Result<Self, ::tencentcloud_runtime::BuildError> {
                ::tencentcloud_runtime::Client::from_env().map(Self::new)
            }

            /// The runtime client this client sends through.
            pub fn runtime(&self) -> &::tencentcloud_runtime::Client {
                &self.runtime
            }

            /// This client, sending its calls to `url` (a regional, private or
            /// test endpoint) instead of the runtime's endpoint; the calls of
            /// other services through the same runtime are unaffected.
            pub fn with_endpoint(&self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                Client {
                    runtime: self.runtime.with_service_endpoint(super::SERVICE.name, url),
                }
            }

            #(#methods)*
        }
    }
}
