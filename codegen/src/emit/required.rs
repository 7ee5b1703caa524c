//! `required.rs`: for every object a request carries that has members a
//! caller must supply, a plain struct of exactly those members, named like
//! the object (`required::RoomInfo`), which its `new` takes.
//!
//! A struct literal names every member it sets and must set them all: a
//! value cannot land in another member without the caller writing that
//! member's name, a member added by a later spec release makes the literal
//! fail to compile, and the order of members in the spec matters nowhere
//! (`README.md`, "Constructors", weighs this against the alternatives).

use super::models::{debug, field_declaration};
use super::types::rust_type;
use super::{docs, ident, Context};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The required-members struct of `object`, if it has one.
pub fn emit(version: &ApiVersion, object: &Object, cx: &Context) -> Option<TokenStream> {
    if !object.has_required() {
        return None;
    }
    let name = ident(&object.rust_name);
    let doc = docs::lines_to_attrs(&[
        format!(
            "The members a [`{0}`](super::models::{0}) must carry: what [`{0}::new`](super::models::{0}::new) takes.",
            object.rust_name
        ),
        String::new(),
        "Write it as a struct literal; every member is named, so the order of members in the spec never matters.".to_owned(),
    ]);
    let models = quote!(super::models::);
    let fields = object.constructor_fields().map(|f| {
        // Unboxed: `new` boxes what recursion needs.
        let ty = RustType::of(&f.ty, false);
        field_declaration(f, rust_type(version, &ty, cx, &models))
    });
    let (debug, debug_impl) = debug(&object.rust_name, object.constructor_fields());
    Some(quote! {
        #doc
        #[derive(#debug Clone)]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
    })
}
