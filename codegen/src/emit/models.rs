//! `models.rs`: one struct per spec object.

use super::types::{rust_type, Prelude};
use super::{docs, ident, Context};
use crate::ir::*;
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
    let constructors = emit_constructors(object, cx, version);
    let conversions = emit_conversions(version, object);
    let (derives, attributes) = cx.extras_for(&object.wire_name);
    let derives = derives.iter().map(|d| quote!(#d,));
    let (debug, debug_impl) = debug(&object.rust_name, object.fields.iter());
    quote! {
        #doc
        #[derive(#debug Clone, PartialEq, #default #(#derives)*)]
        #(#attributes)*
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
        #constructors
        #conversions
    }
}

/// `Debug` for the struct `name` with `fields`: derived (the first part,
/// for the derive list) unless a field holds a secret, when it is written
/// out (the second part) to print that field through the runtime's
/// `Redacted`, which shows whether it is set and never its value.
pub(super) fn debug<'a>(
    name: &str,
    fields: impl Iterator<Item = &'a Field> + Clone,
) -> (Option<TokenStream>, Option<TokenStream>) {
    if !fields.clone().any(|f| f.sensitive) {
        return (Some(quote!(Debug,)), None);
    }
    let allow = fields
        .clone()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let type_name = ident(name);
    let entries = fields.map(|f| {
        let field = ident(&f.rust_name);
        let label = &f.rust_name;
        if f.sensitive {
            quote!(.field(#label, &::tencentcloud_runtime::Redacted(&self.#field)))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let debug_impl = quote! {
        #allow
        impl ::std::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name) #(#entries)* .finish()
            }
        }
    };
    (None, Some(debug_impl))
}

/// JSON both ways.
///
/// One line per member through the runtime's `json` module rather than
/// serde's derived visitors: the derives were most of what a generated crate
/// cost to compile (`BENCHMARKS.md`), and this is cheap enough to give every
/// type both directions. `#[inline]` makes the conversions machine code only
/// in the crates that use them, for the types they use, instead of for
/// every type in the generated crate. Decoding reads every member with a
/// `read_…` method that keeps the first error for `finish`, so the body has
/// no early return per member (one `?` each cost about a tenth of the
/// crate's compile time); only a required member whose type has no
/// `Default`, which `read_required` needs for its placeholder, takes a `?`.
/// serde's traits come from [`serde_footer`], behind the crate's `serde`
/// feature.
fn emit_conversions(version: &ApiVersion, object: &Object) -> TokenStream {
    let name = ident(&object.rust_name);
    let touches_deprecated = object.fields.iter().any(|f| f.deprecated);
    let allow = touches_deprecated.then(|| quote!(#[allow(deprecated)]));
    let (read, write) = if object.fields.is_empty() {
        (
            quote! {
                json::Members::new(value)?;
                ::std::result::Result::Ok(Self {})
            },
            quote!(out.object().finish();),
        )
    } else {
        let reads = object.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            let wire = &f.wire_name;
            let read = match f.presence {
                Presence::Required if !has_default(version, &f.ty) => {
                    quote!(members.required(#wire)?)
                }
                Presence::Required => quote!(members.read_required(#wire)),
                Presence::Defaulted => quote!(members.read_defaulted(#wire)),
                Presence::Optional => quote!(members.read_optional(#wire)),
            };
            quote!(#field: #read,)
        });
        let writes = object.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            let wire = &f.wire_name;
            quote!(members.member(#wire, &self.#field);)
        });
        (
            quote! {
                let mut members = json::Members::new(value)?;
                let decoded = Self { #(#reads)* };
                members.finish(decoded)
            },
            quote! {
                let mut members = out.object();
                #(#writes)*
                members.finish();
            },
        )
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
    }
}

/// Whether a member's type (unboxed, not in an `Option`) implements
/// `Default`: every type but a struct with required members.
fn has_default(version: &ApiVersion, ty: &Type) -> bool {
    match ty {
        Type::Object(id) => version.objects[id.0].has_default(),
        Type::Scalar(_) | Type::List(_) => true,
    }
}

/// The end of a models module: serde's `Serialize` and `Deserialize` for
/// every type, behind the crate's `serde` feature, in one invocation of the
/// runtime's macro (one `cfg` for the file, which costs nothing when the
/// feature is off: the invocation is gone before macros expand). `None` for
/// a version without objects.
pub fn serde_footer(version: &ApiVersion) -> Option<TokenStream> {
    if version.objects.is_empty() {
        return None;
    }
    let names = version.objects.iter().map(|o| ident(&o.rust_name));
    Some(quote! {
        #[cfg(feature = "serde")]
        ::tencentcloud_runtime::serde_via_json!(#(#names),*);
    })
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
    field_declaration(field, field_type(version, field, cx))
}

/// `pub name: ty,` with the member's docs and deprecation, as a struct of
/// models or of required members declares it.
pub(super) fn field_declaration(field: &Field, ty: TokenStream) -> TokenStream {
    let name = ident(&field.rust_name);
    let doc = docs::attrs(&field_doc(field));
    let deprecated = deprecated(field);
    quote! {
        #doc
        #deprecated
        pub #name: #ty,
    }
}

/// `#[deprecated]` for a member the spec marks `disabled`.
fn deprecated(field: &Field) -> Option<TokenStream> {
    field
        .deprecated
        .then(|| quote!(#[deprecated(note = "disabled in the API spec")]))
}

/// The field's declared type, `Option` included.
fn field_type(version: &ApiVersion, field: &Field, cx: &Context) -> TokenStream {
    rust_type(version, &field.rust_type(), cx, &TokenStream::new())
}

/// A setter's parameter type and the expression that stores it in the field.
fn parameter(version: &ApiVersion, field: &Field, cx: &Context) -> (TokenStream, TokenStream) {
    let name = ident(&field.rust_name);
    let no_path = TokenStream::new();
    // The setter takes the unboxed value and boxes it itself.
    match field.value_type() {
        RustType::String => {
            let string = cx.path(Prelude::String);
            (quote!(impl Into<#string>), quote!(#name.into()))
        }
        RustType::Box(inner) => {
            let boxed = cx.path(Prelude::Box);
            (
                rust_type(version, &inner, cx, &no_path),
                quote!(#boxed::new(#name)),
            )
        }
        ty => (rust_type(version, &ty, cx, &no_path), quote!(#name)),
    }
}

/// `new` and `From` (when a request carries the object and it has members a
/// caller must give, see [`super::required`]) and a `with_…` setter per
/// optional member: requests are built with them, and responses too, in
/// the tests of code that calls the client (`Default` and the setters; the
/// structs are `#[non_exhaustive]`).
fn emit_constructors(object: &Object, cx: &Context, version: &ApiVersion) -> TokenStream {
    let name = ident(&object.rust_name);
    let new = object.has_required().then(|| emit_new(object, cx));
    let setters: Vec<TokenStream> = object
        .fields
        .iter()
        .filter(|f| f.presence == Presence::Optional)
        .map(|f| emit_setter(version, f, cx))
        .collect();
    if new.is_none() && setters.is_empty() {
        return TokenStream::new();
    }
    let touches_deprecated = object.fields.iter().any(|f| f.deprecated);
    let allow = touches_deprecated.then(|| quote!(#[allow(deprecated)]));
    let from = object.has_required().then(|| {
        let doc = format!(" Same as [`{}::new`].", object.rust_name);
        quote! {
            #allow
            impl ::std::convert::From<super::required::#name> for #name {
                #[doc = #doc]
                #[inline]
                fn from(required: super::required::#name) -> Self {
                    Self::new(required)
                }
            }
        }
    });
    quote! {
        #allow
        impl #name {
            #new
            #(#setters)*
        }
        #from
    }
}

/// `new(required)`: the members a request must carry come by name, in a
/// struct literal, so no spec release that reorders them can make a call
/// send a value to another member, and one that adds one makes the call
/// fail to compile.
fn emit_new(object: &Object, cx: &Context) -> TokenStream {
    let name = ident(&object.rust_name);
    let inits = object.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        match f.presence {
            Presence::Optional => quote!(#field: None),
            _ if f.boxed => {
                let boxed = cx.path(Prelude::Box);
                quote!(#field: #boxed::new(required.#field))
            }
            _ => quote!(#field: required.#field),
        }
    });
    let doc = docs::lines_to_attrs(&[
        format!(
            "Creates a `{0}` from the members a request must carry, given by name in a [`required::{0}`](super::required::{0}).",
            object.rust_name
        ),
        String::new(),
        "Optional members start unset; set them with the `with_…` methods.".to_owned(),
    ]);
    quote! {
        #doc
        #[inline]
        pub fn new(required: super::required::#name) -> Self {
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
    let deprecated = deprecated(field);
    quote! {
        #doc
        #deprecated
        #[must_use]
        #[inline]
        pub fn #setter(mut self, #name: #ty) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}
