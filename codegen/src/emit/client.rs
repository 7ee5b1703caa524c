//! `client.rs`: the version's `Client`, one async method per action.
//!
//! Like progenitor's `OperationMethod`, each action is first turned into a
//! small description ([`Method`]) that the docs and the body are emitted from.

use super::{docs, ident};
use crate::ir::{Action, ApiVersion, Idempotence, Object, OctetStream, Service, Streaming};
use crate::resolve::CLIENT_TOKEN_MEMBER;
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
        self.item(Item {
            name: &self.action.method,
            doc: &self.doc,
            builder: quote!(CallBuilder),
            body: None,
            stream_member: None,
            prepare: quote!(prepare(&super::SERVICE, &ACTION, request)),
        })
    }

    /// The stream method of a streaming action: the same call, its answer
    /// read as Server-Sent Events.
    fn emit_stream(&self, streaming: &Streaming, input: &Object) -> TokenStream {
        let member = streaming.member.map(|i| {
            let wire = &input.fields[i].wire_name;
            quote!(.stream_member(#wire))
        });
        self.item(Item {
            name: &streaming.method,
            doc: &stream_doc(self, streaming, input),
            builder: quote!(StreamBuilder),
            body: None,
            stream_member: member,
            prepare: quote!(prepare_stream(&super::SERVICE, &ACTION, request)),
        })
    }

    /// The bytes method of an action that takes raw bytes: its members as
    /// headers, `body` as the call's body.
    fn emit_bytes(&self, octet: &OctetStream) -> TokenStream {
        let action = self.action;
        let doc = [
            format!(
                "Calls `{}` as the service takes it: each member of `request` as a header `{}<Member>`, and `body` as the call's raw bytes (`application/octet-stream`), signed over their hash.",
                action.wire_name, octet.header_prefix
            ),
            String::new(),
            format!(
                "The service does not take [`{0}`](Self::{0})'s JSON body for this action. Retries as for [`{0}`](Self::{0}); set [options](tencentcloud_runtime::OctetStreamBuilder) before the `.await`.",
                action.method
            ),
        ];
        let prefix = &octet.header_prefix;
        self.item(Item {
            name: &octet.method,
            doc: &doc,
            builder: quote!(OctetStreamBuilder),
            body: Some(quote!(body: &'a [u8],)),
            stream_member: None,
            prepare: quote!(prepare_octet_stream(&super::SERVICE, &ACTION, request, #prefix, body)),
        })
    }

    /// One method of this action, as `item` describes it.
    fn item(&self, item: Item) -> TokenStream {
        let name = ident(item.name);
        let request = ident(self.request);
        let response = ident(self.response);
        let doc = docs::lines_to_attrs(item.doc);
        let deprecated = self
            .action
            .deprecated
            .then(|| quote!(#[deprecated(note = "the action is deprecated in the API spec")]));
        let action = action_const(self.action);
        let Item {
            builder,
            body,
            stream_member,
            prepare,
            ..
        } = item;
        // `#[inline]`: a method becomes machine code in the crate that calls
        // it, so users compile the actions they use, not all of them.
        quote! {
            #doc
            #deprecated
            #[inline]
            pub fn #name<'a>(
                &'a self,
                request: &'a models::#request,
                #body
            ) -> ::tencentcloud_runtime::#builder<'a, models::#request, models::#response, ErrorCode> {
                const ACTION: ::tencentcloud_runtime::Action = #action #stream_member;
                self.runtime.#prepare
            }
        }
    }
}

/// What differs between the methods of one action (the call, the stream,
/// the bytes).
struct Item<'a> {
    name: &'a str,
    doc: &'a [String],
    /// The runtime builder it returns.
    builder: TokenStream,
    /// The parameter after the request, if any.
    body: Option<TokenStream>,
    /// The `Action` constant's `.stream_member(…)`, if any.
    stream_member: Option<TokenStream>,
    /// The runtime method that prepares the call, with its arguments.
    prepare: TokenStream,
}

/// The docs of a stream method.
fn stream_doc(method: &Method, streaming: &Streaming, input: &Object) -> Vec<String> {
    let action = method.action;
    let member = streaming.member.map_or_else(String::new, |i| {
        format!(" (with `{}` set to `true`)", input.fields[i].wire_name)
    });
    vec![
        format!(
            "Calls `{}` as [`{}`](Self::{}) does{member}, and reads its answer as a stream of Server-Sent Events, each a [`{}`](models::{}).",
            action.wire_name, action.method, action.method, method.response, method.response
        ),
        String::new(),
        format!(
            "It streams because {}. Awaiting the builder sends the call and gives a [`tencentcloud_runtime::EventStream`] once the answer starts (the request id is there); an error before that is the `.await`'s. A service that answers with one JSON object instead gives it as the only event; an error event or a cut connection ends the stream with its error after the events already delivered. Retries happen only before the first event; dropping the stream closes the connection.",
            streaming.source.describe()
        ),
        String::new(),
        "Set [options](tencentcloud_runtime::StreamBuilder) for this call before the `.await`, as for any call.".to_owned(),
    ]
}

/// The `Action` constant of a method: its name, rate limit, retry class
/// and client-token member.
fn action_const(action: &Action) -> TokenStream {
    let wire = &action.wire_name;
    let rate_limit = action.rate_limit.map(|limit| quote!(.rate_limit(#limit)));
    let class = if action.idempotence.is_idempotent() {
        quote!(Idempotent)
    } else {
        quote!(NotIdempotent)
    };
    let token = (action.idempotence == Idempotence::ClientToken)
        .then(|| quote!(.client_token(#CLIENT_TOKEN_MEMBER)));
    quote! {
        ::tencentcloud_runtime::Action::new(#wire)
            #rate_limit
            .retry_class(::tencentcloud_runtime::RetryClass::#class)
            #token
    }
}

/// The "# Retries" section of a method's docs: the class and why, from the
/// spec; what each class retries is the runtime's to say, so it is linked
/// rather than copied (a runtime change then needs no regeneration).
fn retry_doc(action: &Action) -> Vec<String> {
    let mut why = match action.idempotence {
        Idempotence::ClientToken => format!(
            "Retry class: idempotent. The request has a `{CLIENT_TOKEN_MEMBER}` ({}): when it is unset or empty, \
             the client fills it with a fresh token, the same on every retry, so a retry cannot act twice \
             (errors carry it: `Error::client_token`).",
            action.client_token.map_or("", |t| t.reason.describe())
        ),
        Idempotence::ReadOnly => "Retry class: idempotent (read-only by its name).".to_owned(),
        Idempotence::NotIdempotent => {
            "Retry class: not idempotent. Calling it twice could act twice.".to_owned()
        }
    };
    if let Some(token) = action.client_token.filter(|t| !t.key) {
        why.push_str(&format!(
            " Its `{CLIENT_TOKEN_MEMBER}` is not taken for an idempotency key ({}), so the client leaves it as you set it.",
            token.reason.describe()
        ));
    }
    vec![
        why,
        String::new(),
        "What each class retries, and how to override it per action or per call: \
         [`RetryClass`](tencentcloud_runtime::RetryClass)."
            .to_owned(),
    ]
}

fn method_doc(version: &ApiVersion, action: &Action) -> Vec<String> {
    let mut doc = Vec::new();
    // A title is spec prose too: `[integrated]` in one must not become an
    // intra-doc link.
    let title = docs::lines(&action.title).join(" ");
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
    doc.push("Await the call to send it, or set [options](tencentcloud_runtime::CallBuilder) for this call first.".into());
    if let Some(octet) = &action.octet_stream {
        doc.push(String::new());
        doc.push(format!(
            "The service takes this action's members as `{}…` headers and its data as raw bytes: use [`{1}`](Self::{1}).",
            octet.header_prefix, octet.method
        ));
    }
    if let Some(streaming) = &action.streaming {
        doc.push(String::new());
        doc.push(format!(
            "Its answer can come as a stream of events, which [`{0}`](Self::{0}) reads; this method reads one JSON answer{1}.",
            streaming.method,
            if streaming.member.is_some() { ", so leave `Stream` unset here" } else { "" }
        ));
    }
    doc.push(String::new());
    doc.push("# Retries".into());
    doc.push(String::new());
    doc.extend(retry_doc(action));
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
    let methods = version.actions.iter().map(|a| {
        let method = Method::new(version, a);
        let stream = a
            .streaming
            .as_ref()
            .map(|s| method.emit_stream(s, &version.objects[a.input.0]));
        let bytes = a.octet_stream.as_ref().map(|o| method.emit_bytes(o));
        let call = method.emit();
        quote!(#call #stream #bytes)
    });
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

            /// A client set up from the environment: credentials, region and
            /// endpoint as [`from_env`](::tencentcloud_runtime::Client::from_env)
            /// finds them.
            ///
            /// # Errors
            ///
            /// As [`from_env`](::tencentcloud_runtime::Client::from_env)'s.
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

/// [`crate::Options::probe_items`]: one `…_wire_name()` method per action.
pub fn probe(version: &ApiVersion) -> TokenStream {
    let methods = version.actions.iter().map(|action| {
        let name = ident(&crate::naming::probe(&action.method));
        let wire = &action.wire_name;
        quote! {
            /// The action's name on the wire.
            pub fn #name(&self) -> &'static str {
                #wire
            }
        }
    });
    quote! {
        impl Client {
            #(#methods)*
        }
    }
}
