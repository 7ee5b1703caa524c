//! `errors.rs`: the version's `ErrorCode` enum.

use super::{docs, ident};
use crate::ir::ApiVersion;
use crate::resolve::UNRECOGNIZED_VARIANT;
use proc_macro2::TokenStream;
use quote::quote;

/// The whole errors module of one API version.
pub fn emit(version: &ApiVersion) -> TokenStream {
    let unrecognized = ident(UNRECOGNIZED_VARIANT);
    let variants = version.errors.iter().map(|e| {
        let name = ident(&e.variant);
        let doc = docs::attrs(&variant_doc(&e.code, &e.description));
        quote!(#doc #name,)
    });
    let known = version.errors.iter().map(|e| {
        let name = ident(&e.variant);
        quote!(Self::#name,)
    });
    let count = proc_macro2::Literal::usize_unsuffixed(version.errors.len());
    let (as_str_body, description_body, from_code_body) = method_bodies(version);
    let conversions = conversions();
    let catch_all_doc = format!(
        " [`{UNRECOGNIZED_VARIANT}`](Self::{UNRECOGNIZED_VARIANT}), so decoding a response never fails on an unknown code."
    );
    quote! {

        /// An error code returned by the service in `Response.Error.Code`.
        ///
        /// Every code the spec lists has a variant; a code it does not list (a
        /// code the service added later, or a common code such as
        /// `AuthFailure.SignatureExpire`) is kept verbatim in
        #[doc = #catch_all_doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code this version of the spec does not list, as sent by the service.
            #unrecognized(::std::string::String),
        }

        impl ErrorCode {
            /// Every code the spec lists, in code order.
            pub const KNOWN: [ErrorCode; #count] = [#(#known)*];

            /// The wire code, e.g. `FailedOperation.ClassStarted`.
            pub fn as_str(&self) -> &str {
                #as_str_body
            }

            /// The spec's description of the code, when it lists the code.
            pub fn description(&self) -> ::std::option::Option<&'static str> {
                #description_body
            }

            /// The variant for a wire code; never fails.
            pub fn from_code(code: &str) -> Self {
                #from_code_body
            }
        }

        #conversions
    }
}

/// The bodies of `as_str`, `description` and `from_code`: a match over
/// the listed codes with the catch-all last.
fn method_bodies(version: &ApiVersion) -> (TokenStream, TokenStream, TokenStream) {
    let unrecognized = ident(UNRECOGNIZED_VARIANT);
    let as_str = version.errors.iter().map(|e| {
        let (name, code) = (ident(&e.variant), &e.code);
        quote!(Self::#name => #code,)
    });
    let descriptions = version.errors.iter().map(|e| {
        let (name, description) = (ident(&e.variant), &e.description);
        quote!(Self::#name => ::std::option::Option::Some(#description),)
    });
    let from_code = version.errors.iter().map(|e| {
        let (name, code) = (ident(&e.variant), &e.code);
        quote!(#code => Self::#name,)
    });
    // With no listed codes every match would have one arm, which clippy
    // rightly flags; the bodies then say the same thing directly.
    if version.errors.is_empty() {
        (
            quote!(let Self::#unrecognized(code) = self; code),
            quote!(::std::option::Option::None),
            quote!(Self::#unrecognized(code.to_owned())),
        )
    } else {
        (
            quote!(match self { #(#as_str)* Self::#unrecognized(code) => code, }),
            quote!(match self { #(#descriptions)* Self::#unrecognized(_) => ::std::option::Option::None, }),
            quote!(match code { #(#from_code)* other => Self::#unrecognized(other.to_owned()), }),
        )
    }
}

/// `Display`, `FromStr`, `From<&str>` and the runtime's trait, all through
/// the inherent methods.
fn conversions() -> TokenStream {
    quote! {
        impl ::std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for ErrorCode {
            type Err = ::std::convert::Infallible;

            fn from_str(code: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from_code(code))
            }
        }

        impl ::std::convert::From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                Self::from_code(code)
            }
        }

        impl ::tencentcloud_runtime::ServiceErrorCode for ErrorCode {
            fn from_code(code: &str) -> Self {
                Self::from_code(code)
            }

            fn as_str(&self) -> &str {
                self.as_str()
            }

            fn description(&self) -> ::std::option::Option<&'static str> {
                self.description()
            }
        }
    }
}

fn variant_doc(code: &str, description: &str) -> String {
    if description.trim().is_empty() {
        format!("`{code}`.")
    } else {
        format!("`{code}`: {description}")
    }
}
