//! The [`Operation`](https://docs.rs/tencentcloud-runtime) impls of a
//! version: each request type names its action and its response type, so
//! the runtime's typed mocks can answer and record it.

use super::ident;
use crate::ir::ApiVersion;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// One impl per action whose request type is its own (a request type
/// shared by two actions cannot name one action).
pub fn emit(version: &ApiVersion) -> Option<TokenStream> {
    let mut uses: BTreeMap<usize, usize> = BTreeMap::new();
    for action in &version.actions {
        *uses.entry(action.input.0).or_default() += 1;
    }
    let mut impls = version
        .actions
        .iter()
        .filter(|action| uses[&action.input.0] == 1)
        .map(|action| {
            let request = ident(&version.objects[action.input.0].rust_name);
            let response = ident(&version.objects[action.output.0].rust_name);
            let wire = &action.wire_name;
            quote! {
                impl ::tencentcloud_runtime::Operation for models::#request {
                    type Response = models::#response;
                    const SERVICE: &'static str = super::SERVICE.name;
                    const ACTION: &'static str = #wire;
                }
            }
        })
        .peekable();
    impls.peek()?;
    Some(quote!(#(#impls)*))
}
