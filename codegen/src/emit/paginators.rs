//! The paginators of a version's client: one `…_paginator` method per
//! action [`resolve::pagination`](crate::pagination) recognised, in an
//! `impl Client` block of its own after the client's.
//!
//! Each method only names the members the pattern advances and reads; the
//! logic is the runtime's [`Paginator`](https://docs.rs/tencentcloud-runtime),
//! and each page is a call of the action's own client method.

use super::models::rust_type;
use super::{docs, ident, Context};
use crate::resolve::ir::{
    Action, ApiVersion, Field, Object, PagePattern, Pagination, Paging, Presence,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The `impl Client` block of the paginators; `None` when no action is paged.
pub fn emit(version: &ApiVersion, cx: &Context) -> Option<TokenStream> {
    let methods: Vec<TokenStream> = version
        .actions
        .iter()
        .filter_map(|action| match &action.paging {
            Paging::Paged(paging) => Some(emit_method(version, action, paging, cx)),
            Paging::NotPaged | Paging::Unrecognised(_) => None,
        })
        .collect();
    if methods.is_empty() {
        return None;
    }
    Some(quote! {
        /// Paginators: every page, or every item, of a paged action.
        impl Client {
            #(#methods)*
        }
    })
}

fn emit_method(
    version: &ApiVersion,
    action: &Action,
    paging: &Pagination,
    cx: &Context,
) -> TokenStream {
    let input = &version.objects[action.input.0];
    let output = &version.objects[action.output.0];
    let name = ident(&paging.method);
    let call = ident(&action.method);
    let request = ident(&input.rust_name);
    let response = ident(&output.rust_name);
    let wire = &action.wire_name;
    let models = quote!(models::);
    let item = paging.items().map(|i| {
        let ty = rust_type(version, &list_item(&output.fields[i]), cx, &models);
        let field = ident(&output.fields[i].rust_name);
        (ty, field)
    });
    let list = match &item {
        Some((ty, _)) => quote!(::tencentcloud_runtime::paginate::Items<models::#response, #ty>),
        None => quote!(::tencentcloud_runtime::paginate::NoItems),
    };
    let with_items = item.as_ref().map(|(_, field)| {
        quote!(.with_items(|r| ::tencentcloud_runtime::paginate::PageList::into_items(r.#field)))
    });
    let pattern = emit_pattern(input, output, paging);
    let doc = docs::lines_to_attrs(&method_doc(input, output, action, paging));
    let used = used_fields(input, output, paging);
    let deprecated = action
        .deprecated
        .then(|| quote!(#[deprecated(note = "the action is deprecated in the API spec")]));
    let allow = (action.deprecated || used.iter().any(|f| f.deprecated))
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #doc
        #deprecated
        #allow
        #[inline]
        pub fn #name(
            &self,
            request: models::#request,
        ) -> ::tencentcloud_runtime::paginate::Paginator<models::#request, models::#response, ErrorCode, #list> {
            let client = self.clone();
            ::tencentcloud_runtime::paginate::Paginator::<models::#request, models::#response, ErrorCode>::new(
                #wire,
                request,
                #pattern,
                ::std::boxed::Box::new(move |request| {
                    let client = client.clone();
                    ::std::boxed::Box::pin(async move { client.#call(&request).await })
                }),
            )
            #with_items
        }
    }
}

/// The runtime's `Pattern` value: accessors of the members it uses.
fn emit_pattern(input: &Object, output: &Object, paging: &Pagination) -> TokenStream {
    let req = |i: usize| ident(&input.fields[i].rust_name);
    let resp = |i: usize| ident(&output.fields[i].rust_name);
    let total = |total: Option<usize>| match total {
        Some(i) => {
            let field = resp(i);
            quote!(::std::option::Option::Some(|r| ::tencentcloud_runtime::paginate::PageField::get(&r.#field)))
        }
        None => quote!(::std::option::Option::None),
    };
    let mut lens = paging.lists.iter().map(|&i| {
        let field = resp(i);
        quote!(::tencentcloud_runtime::paginate::PageList::page_len(&r.#field))
    });
    // Several lists: the longest decides whether the page was full.
    let first = lens.next().unwrap_or_else(|| quote!(0));
    let len = quote!(|r| #first #(.max(#lens))*);
    match paging.pattern {
        PagePattern::OffsetLimit {
            offset,
            limit,
            total: t,
        } => {
            let (offset, limit, total) = (req(offset), req(limit), total(t));
            quote! {
                ::tencentcloud_runtime::paginate::Pattern::OffsetLimit {
                    offset: |r| &mut r.#offset,
                    limit: |r| &mut r.#limit,
                    total: #total,
                    len: #len,
                }
            }
        }
        PagePattern::PageNumber {
            page,
            size,
            total: t,
        } => {
            let (page, size, total) = (req(page), req(size), total(t));
            quote! {
                ::tencentcloud_runtime::paginate::Pattern::PageNumber {
                    page: |r| &mut r.#page,
                    size: |r| &mut r.#size,
                    total: #total,
                    len: #len,
                }
            }
        }
        PagePattern::Token { request, response } => {
            let token = req(request);
            let next_field = &output.fields[response];
            let next = resp(response);
            let next = match next_field.presence {
                Presence::Optional => quote!(|r| r.#next.as_deref()),
                Presence::Required | Presence::Defaulted => {
                    quote!(|r| ::std::option::Option::Some(r.#next.as_str()))
                }
            };
            quote! {
                ::tencentcloud_runtime::paginate::Pattern::Token {
                    token: |r| &mut r.#token,
                    next: #next,
                }
            }
        }
    }
}

/// The element type of a list field.
fn list_item(field: &Field) -> crate::resolve::ir::RustType {
    match field.value_type() {
        crate::resolve::ir::RustType::Vec(inner) => *inner,
        other => other,
    }
}

/// The members the paginator touches, for `#[allow(deprecated)]`.
fn used_fields<'a>(input: &'a Object, output: &'a Object, paging: &Pagination) -> Vec<&'a Field> {
    let (request, response): (Vec<usize>, Vec<usize>) = match paging.pattern {
        PagePattern::OffsetLimit {
            offset,
            limit,
            total,
        } => (vec![offset, limit], total.into_iter().collect()),
        PagePattern::PageNumber { page, size, total } => {
            (vec![page, size], total.into_iter().collect())
        }
        PagePattern::Token { request, response } => (vec![request], vec![response]),
    };
    let response = response.into_iter().chain(paging.lists.iter().copied());
    request
        .into_iter()
        .map(|i| &input.fields[i])
        .chain(response.map(|i| &output.fields[i]))
        .collect()
}

fn method_doc(
    input: &Object,
    output: &Object,
    action: &Action,
    paging: &Pagination,
) -> Vec<String> {
    let req = |i: usize| input.fields[i].wire_name.as_str();
    let resp = |i: usize| output.fields[i].wire_name.as_str();
    let total = |t: Option<usize>| match t {
        Some(i) => format!(", up to the total in `{}`", resp(i)),
        None => ", until a short or empty page (the response has no total)".to_owned(),
    };
    let how = match paging.pattern {
        PagePattern::OffsetLimit { offset, limit, total: t } => format!(
            "offset and limit: `{}` advances by the items received, `{}` items a page{}",
            req(offset),
            req(limit),
            total(t)
        ),
        PagePattern::PageNumber { page, size, total: t } => format!(
            "page number and size: `{}` advances by one from the request's (1 when unset), `{}` items a page{}",
            req(page),
            req(size),
            total(t)
        ),
        PagePattern::Token { request, response } => format!(
            "token: the response's `{}` is sent back as `{}` until it is absent, empty or repeated",
            resp(response),
            req(request)
        ),
    };
    let mut doc = vec![
        format!(
            "Every page of [`{0}`](Self::{0}) (`{1}`), from `request`: its other members are sent on every page.",
            action.method, action.wire_name
        ),
        String::new(),
        format!("Paged by {how}."),
        String::new(),
    ];
    doc.push(match paging.items() {
        Some(i) => format!(
            "`.pages()` streams the responses, `.items()` every element of `{}`; nothing is sent until the stream is polled. Each page is one call of [`{}`](Self::{}), so a failed page ends the stream with its error, and `.max_pages(n)` caps the pages (by default `tencentcloud_runtime::paginate::DEFAULT_MAX_PAGES`).",
            resp(i), action.method, action.method
        ),
        None => format!(
            "`.pages()` streams the responses (the response has {} lists, so no item stream); nothing is sent until the stream is polled. Each page is one call of [`{}`](Self::{}), so a failed page ends the stream with its error, and `.max_pages(n)` caps the pages (by default `tencentcloud_runtime::paginate::DEFAULT_MAX_PAGES`).",
            if paging.lists.is_empty() { "no top-level".to_owned() } else { paging.lists.len().to_string() },
            action.method, action.method
        ),
    });
    doc
}
