//! `models.rs`: one struct per spec object.

use super::{docs, ident, Context};
use crate::resolve::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The start of a models module, before its objects.
pub fn header() -> TokenStream {
    quote! {
        use ::tencentcloud_runtime::json;
    }
}

/// One object: its struct, constructors and conversions.
pub fn emit_object(version: &ApiVersion, object: &Object, cx: &Context) -> TokenStream {
    let name = ident(&object.rust_name);
    let doc = docs::attrs(&object_doc(object));
    let default = object.has_default().then(|| quote!(Default,));
    let fields = object.fields.iter().map(|f| emit_field(version, f, cx));
    let constructors = object.sent.then(|| emit_constructors(version, object, cx));
    let conversions = emit_conversions(object);
    let (derives, attributes) = cx.extras_for(&object.wire_name);
    let derives = derives.iter().map(|d| quote!(#d,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default #(#derives)*)]
        #(#attributes)*
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #constructors
        #conversions
    }
}

/// JSON both ways, and serde's traits on top of it.
///
/// One line per member through the runtime's `json` module rather than
/// serde's derived visitors: the derives were most of what a generated crate
/// cost to compile (`BENCHMARKS.md`), and this is cheap enough to give every
/// type both directions. `#[inline]` makes the conversions machine code only
/// in the crates that use them, for the types they use, instead of for
/// every type in the generated crate.
fn emit_conversions(object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    let touches_deprecated = object.fields.iter().any(|f| f.deprecated);
    let allow = touches_deprecated.then(|| quote!(#[allow(deprecated)]));
    let (read, write) = if object.fields.is_empty() {
        (
            quote!(json::Members::new(value)?;),
            quote!(out.object().finish();),
        )
    } else {
        let reads = object.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            let wire = &f.wire_name;
            let method = match f.presence {
                Presence::Required => quote!(required),
                Presence::Defaulted => quote!(defaulted),
                Presence::Optional => quote!(optional),
            };
            quote!(#field: members.#method(#wire)?,)
        });
        let writes = object.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            let wire = &f.wire_name;
            quote!(members.member(#wire, &self.#field);)
        });
        (
            quote! {
                let mut members = json::Members::new(value)?;
                ::std::result::Result::Ok(Self { #(#reads)* })
            },
            quote! {
                let mut members = out.object();
                #(#writes)*
                members.finish();
            },
        )
    };
    let read = if object.fields.is_empty() {
        quote!(#read ::std::result::Result::Ok(Self {}))
    } else {
        read
    };
    quote! {
        #allow
        impl json::FromJson for #name {
            #[inline]
            fn from_json(value: json::Value) -> ::std::result::Result<Self, json::JsonError> {
                #read
            }
        }

        #allow
        impl json::ToJson for #name {
            #[inline]
            fn write_json(&self, out: &mut json::Writer) {
                #write
            }
        }

        ::tencentcloud_runtime::serde_via_json!(#name);
    }
}

fn object_doc(object: &Object) -> String {
    let mut doc = if object.doc.trim().is_empty() {
        format!("The `{}` object.", object.wire_name)
    } else {
        object.doc.clone()
    };
    if object.wire_name != object.rust_name {
        doc.push_str(&format!("\n\nWire name: `{}`.", object.wire_name));
    }
    doc
}

fn field_doc(field: &Field) -> String {
    let mut doc = if field.doc.trim().is_empty() {
        format!("The `{}` member.", field.wire_name)
    } else {
        field.doc.clone()
    };
    let note = match &field.ty {
        Type::Scalar(s) => s.format_note(),
        Type::List(inner) => match **inner {
            Type::Scalar(s) => s.format_note(),
            _ => None,
        },
        Type::Object(_) => None,
    };
    if let Some(note) = note {
        doc.push_str("\n\n");
        doc.push_str(note);
    }
    doc
}

fn emit_field(version: &ApiVersion, field: &Field, cx: &Context) -> TokenStream {
    let name = ident(&field.rust_name);
    let doc = docs::attrs(&field_doc(field));
    let ty = field_type(version, field, cx);
    let deprecated = field
        .deprecated
        .then(|| quote!(#[deprecated(note = "disabled in the API spec")]));
    quote! {
        #doc
        #deprecated
        pub #name: #ty,
    }
}

/// The field's declared type, `Option` included.
fn field_type(version: &ApiVersion, field: &Field, cx: &Context) -> TokenStream {
    let inner = value_type(version, &field.ty, field.boxed, cx);
    match field.presence {
        Presence::Optional => {
            let option = cx.path(Prelude::Option);
            quote!(#option<#inner>)
        }
        Presence::Required | Presence::Defaulted => inner,
    }
}

/// The value type of a field, `Option` excluded.
fn value_type(version: &ApiVersion, ty: &Type, boxed: bool, cx: &Context) -> TokenStream {
    match ty {
        Type::Scalar(scalar) => scalar_type(*scalar, cx),
        Type::Object(id) => {
            let name = ident(&version.objects[id.0].rust_name);
            if boxed {
                let boxed = cx.path(Prelude::Box);
                quote!(#boxed<#name>)
            } else {
                quote!(#name)
            }
        }
        Type::List(inner) => {
            let inner = value_type(version, inner, false, cx);
            let vec = cx.path(Prelude::Vec);
            quote!(#vec<#inner>)
        }
    }
}

fn scalar_type(scalar: Scalar, cx: &Context) -> TokenStream {
    match scalar {
        Scalar::Int64 => quote!(i64),
        Scalar::Uint64 => quote!(u64),
        Scalar::Float => quote!(f64),
        Scalar::Bool => quote!(bool),
        Scalar::String | Scalar::DateTime | Scalar::DateTimeIso | Scalar::Date | Scalar::Binary => {
            cx.path(Prelude::String)
        }
    }
}

/// A parameter type and the expression that stores it in the field.
fn parameter(version: &ApiVersion, field: &Field, cx: &Context) -> (TokenStream, TokenStream) {
    let name = ident(&field.rust_name);
    match (&field.ty, field.boxed) {
        (Type::Scalar(s), _) if s.is_string() => {
            let string = cx.path(Prelude::String);
            (quote!(impl Into<#string>), quote!(#name.into()))
        }
        (ty @ Type::Object(_), true) => {
            let boxed = cx.path(Prelude::Box);
            (
                value_type(version, ty, false, cx),
                quote!(#boxed::new(#name)),
            )
        }
        (ty, _) => (value_type(version, ty, false, cx), quote!(#name)),
    }
}

/// `new` (when the object has members a caller must give) and a `with_…`
/// setter per optional member, for objects that requests carry.
fn emit_constructors(version: &ApiVersion, object: &Object, cx: &Context) -> TokenStream {
    let name = ident(&object.rust_name);
    let needs_new = object.constructor_fields().next().is_some();
    let new = needs_new.then(|| emit_new(version, object, cx));
    let setters = object
        .fields
        .iter()
        .filter(|f| f.presence == Presence::Optional)
        .map(|f| emit_setter(version, f, cx));
    let touches_deprecated = object.fields.iter().any(|f| f.deprecated);
    let allow = touches_deprecated.then(|| quote!(#[allow(deprecated)]));
    if !needs_new
        && object
            .fields
            .iter()
            .all(|f| f.presence != Presence::Optional)
    {
        return TokenStream::new();
    }
    quote! {
        #allow
        impl #name {
            #new
            #(#setters)*
        }
    }
}

fn emit_new(version: &ApiVersion, object: &Object, cx: &Context) -> TokenStream {
    let required: Vec<&Field> = object.constructor_fields().collect();
    let params = required.iter().map(|f| {
        let name = ident(&f.rust_name);
        let (ty, _) = parameter(version, f, cx);
        quote!(#name: #ty)
    });
    let inits = object.fields.iter().map(|f| {
        let name = ident(&f.rust_name);
        if f.presence == Presence::Optional {
            quote!(#name: None)
        } else {
            match parameter(version, f, cx) {
                // Shorthand, as clippy's `redundant_field_names` wants.
                (_, value) if name == value.to_string() => quote!(#name),
                (_, value) => quote!(#name: #value),
            }
        }
    });
    let arg_docs: Vec<String> = required
        .iter()
        .map(|f| format!("- `{}`: `{}`", f.rust_name, f.wire_name))
        .collect();
    let doc = docs::lines_to_attrs(
        &[
            format!(
                "Creates a `{}` from the members a request must carry:",
                object.rust_name
            ),
            String::new(),
        ]
        .into_iter()
        .chain(arg_docs)
        .chain([
            String::new(),
            "Optional members start unset; set them with the `with_…` methods.".to_owned(),
        ])
        .collect::<Vec<_>>(),
    );
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #many
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

fn emit_setter(version: &ApiVersion, field: &Field, cx: &Context) -> TokenStream {
    let name = ident(&field.rust_name);
    let setter = ident(&crate::naming::setter(&field.rust_name));
    let (ty, value) = parameter(version, field, cx);
    let doc = docs::lines_to_attrs(&[format!(
        "Sets `{}` (see [`Self::{}`]).",
        field.wire_name, field.rust_name
    )]);
    let deprecated = field
        .deprecated
        .then(|| quote!(#[deprecated(note = "disabled in the API spec")]));
    quote! {
        #doc
        #deprecated
        #[must_use]
        pub fn #setter(mut self, #name: #ty) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// Prelude items that a spec object could shadow (objects named `Option`,
/// `Box`, …); generated code names them through [`Context::path`].
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
