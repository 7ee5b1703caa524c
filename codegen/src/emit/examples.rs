//! `src/<version>/examples.rs`: `examples.json` as tests of the generated types.
//!
//! A request example must survive decode → encode unchanged (as JSON values);
//! a response example must decode and keep every value it carried; an error
//! envelope must decode into a service error with its code. Examples the
//! resolver found to disagree with the spec are listed, with the reason, in
//! the file's docs instead.

use super::{docs, ident};
use crate::ir::{ApiVersion, Checked, Example, ExampleResponse};
use crate::naming;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The test file, or `None` when the version has no examples.
pub fn emit(version: &ApiVersion) -> Option<TokenStream> {
    if version.examples.is_empty() {
        return None;
    }
    let tests = version.examples.iter().map(|e| emit_example(version, e));
    let doc = docs::inner_attrs(&file_doc(version));
    // A version whose examples are all skipped has no test to import for
    // (an unused import fails `-D warnings`): the file keeps its docs only.
    let tested = version
        .examples
        .iter()
        .any(|e| matches!(e.request, Checked::Ok(_)) || matches!(e.response, Checked::Ok(_)));
    let has_errors = version
        .examples
        .iter()
        .any(|e| matches!(e.response, Checked::Ok(ExampleResponse::Error { .. })));
    let error_code = has_errors.then(|| {
        quote!(
            use super::ErrorCode;
        )
    });
    let imports = tested.then(|| {
        quote!(
            use super::models;
            #error_code
            use ::tencentcloud_runtime::testing;
        )
    });
    Some(quote! {
        #doc

        #imports

        #(#tests)*
    })
}

fn file_doc(version: &ApiVersion) -> Vec<String> {
    let mut doc = vec![format!(
        "The `examples.json` examples of API version {} that agree with the spec, as tests.",
        version.version
    )];
    let skipped: Vec<String> = version
        .skipped_examples()
        .into_iter()
        .map(|(action, index, part, reason)| {
            format!("- `{action}` example {index} {part}: {reason}")
        })
        .collect();
    if !skipped.is_empty() {
        doc.push(String::new());
        doc.push("Not tested, because they disagree with the spec:".into());
        doc.push(String::new());
        doc.extend(skipped.iter().map(|line| docs::lines(line).join(" ")));
    }
    let unknown = unknown_codes(version);
    if !unknown.is_empty() {
        doc.push(String::new());
        doc.push(format!(
            "Error examples whose code is not in `errors.json`, so they expect `ErrorCode::{}`:",
            crate::resolve::UNRECOGNIZED_VARIANT
        ));
        doc.push(String::new());
        doc.extend(unknown);
    }
    doc
}

/// `- `Action` example N: `Code``, for each tested error example whose
/// code `errors.json` does not list.
fn unknown_codes(version: &ApiVersion) -> Vec<String> {
    version
        .examples
        .iter()
        .filter_map(|example| match &example.response {
            Checked::Ok(ExampleResponse::Error { code, .. })
                if !version.errors.iter().any(|e| &e.code == code) =>
            {
                let action = &version.actions[example.action].wire_name;
                Some(format!("- `{action}` example {}: `{code}`", example.index))
            }
            _ => None,
        })
        .collect()
}

fn emit_example(version: &ApiVersion, example: &Example) -> TokenStream {
    let action = &version.actions[example.action];
    let request = ident(&version.objects[action.input.0].rust_name);
    let response = ident(&version.objects[action.output.0].rust_name);
    // `more`: the assertion's arguments after the body.
    let test = |kind: &str, body: &str, assertion: TokenStream, more: TokenStream| {
        let name = ident(&naming::example_test(&action.method, example.index, kind));
        let body = raw_string(body);
        quote! {
            #[test]
            fn #name() {
                #assertion(#body #more);
            }
        }
    };
    let request_test = match &example.request {
        Checked::Ok(body) => Some(test(
            "request",
            body,
            quote!(testing::assert_request_round_trip::<models::#request>),
            TokenStream::new(),
        )),
        Checked::Skipped(_) => None,
    };
    let response_test = match &example.response {
        Checked::Ok(ExampleResponse::Success(body)) => Some(test(
            "response",
            body,
            quote!(testing::assert_response_round_trip::<models::#response>),
            TokenStream::new(),
        )),
        Checked::Ok(ExampleResponse::Error { body, code }) => {
            let expected = expected_code(version, code);
            let assertion = quote!(testing::assert_error_example::<models::#response, ErrorCode>);
            Some(test("error", body, assertion, quote!(, &#expected)))
        }
        Checked::Ok(ExampleResponse::Stream { text, events }) => {
            let assertion = quote!(testing::assert_stream_example::<models::#response>);
            Some(test("stream", text, assertion, quote!(, #events)))
        }
        Checked::Skipped(_) => None,
    };
    quote!(#request_test #response_test)
}

/// The code an error example must decode to, written out as the variant
/// resolved from `errors.json` (not through `from_code`, the function under
/// test); a code `errors.json` does not have is expected as
/// `Unrecognized`, and listed in the file's docs.
fn expected_code(version: &ApiVersion, code: &str) -> TokenStream {
    match version.errors.iter().find(|e| e.code == code) {
        Some(error) => {
            let variant = ident(&error.variant);
            quote!(ErrorCode::#variant)
        }
        None => {
            let unrecognized = ident(crate::resolve::UNRECOGNIZED_VARIANT);
            quote!(ErrorCode::#unrecognized(#code.to_owned()))
        }
    }
}

/// A raw string literal holding `text`, with enough `#`s to be unambiguous.
fn raw_string(text: &str) -> Literal {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .expect("a raw string with a fence longer than any in its text is a valid literal")
}
