//! Rust types as tokens: the one rendering of a [`RustType`] every emitter
//! that writes a type (models, required members, paginators) uses.

use super::{ident, Context, Prelude};
use crate::ir::{ApiVersion, RustType};
use proc_macro2::TokenStream;
use quote::quote;

/// A [`RustType`] as tokens; `models` is the path to the models module from
/// where the type is written (empty inside it). Prelude types are spelled
/// by full path where a spec object shadows them.
pub(super) fn rust_type(
    version: &ApiVersion,
    ty: &RustType,
    cx: &Context,
    models: &TokenStream,
) -> TokenStream {
    let inner = |t: &RustType| rust_type(version, t, cx, models);
    match ty {
        RustType::String => cx.path(Prelude::String),
        RustType::I64 => quote!(i64),
        RustType::U64 => quote!(u64),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::Struct(id) => {
            let name = ident(&version.objects[id.0].rust_name);
            quote!(#models #name)
        }
        RustType::Vec(t) => {
            let (vec, t) = (cx.path(Prelude::Vec), inner(t));
            quote!(#vec<#t>)
        }
        RustType::Box(t) => {
            let (boxed, t) = (cx.path(Prelude::Box), inner(t));
            quote!(#boxed<#t>)
        }
        RustType::Option(t) => {
            let (option, t) = (cx.path(Prelude::Option), inner(t));
            quote!(#option<#t>)
        }
    }
}
