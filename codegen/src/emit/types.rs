//! Rust types as generated code spells them: the one rendering of a
//! [`RustType`], as tokens for every emitter that writes a type (models,
//! required members, paginators) and as text ([`RustType::render`]) for the
//! diff's messages and the compile benchmark.

use super::{ident, Context};
use crate::ir::{ApiVersion, RustType};
use proc_macro2::TokenStream;
use quote::quote;

/// Prelude items that a spec object could shadow (objects named `Option`,
/// `Box`, …); generated code names them through [`Prelude::path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prelude {
    /// `Option`
    Option,
    /// `Vec`
    Vec,
    /// `String`
    String,
    /// `Box`
    Box,
}

impl Prelude {
    /// Every prelude item a spec object could shadow.
    pub const ALL: [Prelude; 4] = [Prelude::Option, Prelude::Vec, Prelude::String, Prelude::Box];

    /// Its name, as a spec object that shadows it is named.
    pub fn name(self) -> &'static str {
        match self {
            Prelude::Option => "Option",
            Prelude::Vec => "Vec",
            Prelude::String => "String",
            Prelude::Box => "Box",
        }
    }

    /// Its short name, or its full path where a spec object in `shadowed`
    /// takes the short one.
    pub fn path(self, shadowed: &[Prelude]) -> TokenStream {
        if !shadowed.contains(&self) {
            let name = ident(self.name());
            return quote!(#name);
        }
        match self {
            Prelude::Option => quote!(::std::option::Option),
            Prelude::Vec => quote!(::std::vec::Vec),
            Prelude::String => quote!(::std::string::String),
            Prelude::Box => quote!(::std::boxed::Box),
        }
    }
}

/// A [`RustType`] as tokens; `models` is the path to the models module from
/// where the type is written (empty inside it). Prelude types are spelled
/// by full path where a spec object shadows them.
pub(super) fn rust_type(
    version: &ApiVersion,
    ty: &RustType,
    cx: &Context,
    models: &TokenStream,
) -> TokenStream {
    spell(version, ty, &|item| cx.path(item), models)
}

impl RustType {
    /// As text, prelude names short (`Option<Vec<RoomInfo>>`), for messages:
    /// the tokens the emitters write, printed.
    pub fn render(&self, version: &ApiVersion) -> String {
        self.text(version, &[])
    }

    /// As text that may sit beside a struct named `String`, `Vec`, `Box` or
    /// `Option`: prelude types by full path.
    pub fn render_qualified(&self, version: &ApiVersion) -> String {
        self.text(version, &Prelude::ALL)
    }

    fn text(&self, version: &ApiVersion, shadowed: &[Prelude]) -> String {
        let tokens = spell(
            version,
            self,
            &|item| item.path(shadowed),
            &TokenStream::new(),
        );
        // A type's tokens hold no literal, so every space is the printer's.
        tokens.to_string().replace(' ', "")
    }
}

fn spell(
    version: &ApiVersion,
    ty: &RustType,
    path: &dyn Fn(Prelude) -> TokenStream,
    models: &TokenStream,
) -> TokenStream {
    let generic = |item: Prelude, inner: &RustType| {
        let (outer, inner) = (path(item), spell(version, inner, path, models));
        quote!(#outer<#inner>)
    };
    match ty {
        RustType::String => path(Prelude::String),
        RustType::I64 => quote!(i64),
        RustType::U64 => quote!(u64),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::Struct(id) => {
            let name = ident(&version.objects[id.0].rust_name);
            quote!(#models #name)
        }
        RustType::Vec(t) => generic(Prelude::Vec, t),
        RustType::Box(t) => generic(Prelude::Box, t),
        RustType::Option(t) => generic(Prelude::Option, t),
    }
}
