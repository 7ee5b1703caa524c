//! The paginators of a version's client: one `…_paginator` method per
//! action [`resolve::pagination`](crate::pagination) recognised, in an
//! `impl Client` block of its own after the client's.
//!
//! Each method only names the members the pattern advances and reads; the
//! logic is the runtime's [`Paginator`](https://docs.rs/tencentcloud-runtime),
//! and each page is a call of the action's own client method.

use super::types::rust_type;
use super::{docs, ident, Context};
use crate::ir::{
    Action, ApiVersion, Field, FirstPage, FirstPageSource, Object, PagePattern, Pagination, Paging,
    Place, Presence,
};
use proc_macro2::{Ident, TokenStream};
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
    let places = Places { version, output };
    let item = paging.items().map(|place| {
        let ty = rust_type(version, &list_item(places.field(place)), cx, &models);
        (ty, places.items(place))
    });
    let list = match &item {
        Some((ty, _)) => quote!(::tencentcloud_runtime::paginate::Items<models::#response, #ty>),
        None => quote!(::tencentcloud_runtime::paginate::NoItems),
    };
    let with_items = item
        .as_ref()
        .map(|(_, items)| quote!(.with_items(|r| #items)));
    let pattern = emit_pattern(input, &places, paging);
    let doc = docs::lines_to_attrs(&method_doc(input, &places, action, paging));
    let used = used_fields(input, &places, paging);
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
            ::tencentcloud_runtime::paginate::Paginator::<models::#request, models::#response, ErrorCode>::new(
                #wire,
                request,
                #pattern,
                ::tencentcloud_runtime::paginate::fetch(self, Self::#call),
            )
            #with_items
        }
    }
}

/// The runtime's `Pattern` value: accessors of the members it uses.
fn emit_pattern(input: &Object, places: &Places, paging: &Pagination) -> TokenStream {
    let req = |i: usize| ident(&input.fields[i].rust_name);
    let resp = |i: usize| ident(&places.output.fields[i].rust_name);
    let total = |total: Option<Place>| match total {
        Some(place) => {
            let total = places.count(place);
            quote!(::std::option::Option::Some(|r| #total))
        }
        None => quote!(::std::option::Option::None),
    };
    let len = places.page_len(&paging.lists);
    let len = quote!(|r| #len);
    match paging.pattern {
        PagePattern::OffsetLimit {
            offset,
            limit,
            total: t,
        } => counted(
            quote!(OffsetLimit),
            [(quote!(offset), req(offset)), (quote!(limit), req(limit))],
            None,
            total(t),
            len,
        ),
        PagePattern::PageNumber {
            page,
            first,
            size,
            total: t,
        } => counted(
            quote!(PageNumber),
            [(quote!(page), req(page)), (quote!(size), req(size))],
            Some(first_page(first, &input.fields[page])),
            total(t),
            len,
        ),
        PagePattern::Token { request, response } => {
            let token = req(request);
            let next_field = &places.output.fields[response];
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

/// A counted pattern's value: its two request members (the runtime's name
/// for each, and the request's), the first page of a page number, the total
/// and the page length.
fn counted(
    variant: TokenStream,
    members: [(TokenStream, Ident); 2],
    first: Option<TokenStream>,
    total: TokenStream,
    len: TokenStream,
) -> TokenStream {
    let members = members
        .iter()
        .map(|(key, field)| quote!(#key: |r| &mut r.#field,));
    let first = first.map(|first| quote!(first: #first,));
    quote! {
        ::tencentcloud_runtime::paginate::Pattern::#variant {
            #(#members)*
            #first
            total: #total,
            len: #len,
        }
    }
}

/// The runtime's `FirstPage` for the page member `page`.
fn first_page(first: FirstPage, page: &Field) -> TokenStream {
    let path = quote!(::tencentcloud_runtime::paginate::FirstPage);
    match first {
        FirstPage::Zero(_) => quote!(#path::Zero),
        FirstPage::One(_) => quote!(#path::One),
        FirstPage::Unknown => {
            let member = &page.rust_name;
            quote!(#path::Unknown { member: #member })
        }
    }
}

/// The element type of a list field.
fn list_item(field: &Field) -> crate::ir::RustType {
    match field.value_type() {
        crate::ir::RustType::Vec(inner) => *inner,
        other => other,
    }
}

/// The members the paginator touches, for `#[allow(deprecated)]`.
fn used_fields<'a>(input: &'a Object, places: &Places<'a>, paging: &Pagination) -> Vec<&'a Field> {
    let (request, total, token) = match paging.pattern {
        PagePattern::OffsetLimit {
            offset,
            limit,
            total,
        } => (vec![offset, limit], total, None),
        PagePattern::PageNumber {
            page, size, total, ..
        } => (vec![page, size], total, None),
        PagePattern::Token { request, response } => (vec![request], None, Some(response)),
    };
    let response = total.into_iter().chain(paging.lists.iter().copied());
    let holders = response.clone().filter_map(|p| p.within);
    request
        .into_iter()
        .map(|i| &input.fields[i])
        .chain(response.map(|p| places.field(p)))
        .chain(holders.chain(token).map(|i| &places.output.fields[i]))
        .collect()
}

/// Members of one action's response, as [`Place`]s name them.
struct Places<'a> {
    version: &'a ApiVersion,
    output: &'a Object,
}

impl<'a> Places<'a> {
    /// The member at `place`.
    fn field(&self, place: Place) -> &'a Field {
        match place.within {
            None => &self.output.fields[place.field],
            Some(holder) => &self.inner(holder).fields[place.field],
        }
    }

    /// The object the response field `holder` holds.
    fn inner(&self, holder: usize) -> &'a Object {
        let id = self.output.fields[holder]
            .ty
            .object()
            .expect("resolve places lists only inside object members");
        &self.version.objects[id.0]
    }

    /// Its wire path, for docs: `Data.List`.
    fn wire(&self, place: Place) -> String {
        match place.within {
            None => self.field(place).wire_name.clone(),
            Some(holder) => format!(
                "{}.{}",
                self.output.fields[holder].wire_name,
                self.field(place).wire_name
            ),
        }
    }

    /// `expr(d)` for the object of `holder` borrowed as `d`; when an
    /// optional holder is absent, `absent`'s value (`None`: `expr` is itself
    /// an `Option`, joined with `and_then`, since `map_or(None, …)` is what
    /// clippy's `option_map_or_none` rejects).
    fn within(
        &self,
        holder: usize,
        absent: Option<TokenStream>,
        expr: impl Fn(TokenStream) -> TokenStream,
    ) -> TokenStream {
        let field = &self.output.fields[holder];
        let name = ident(&field.rust_name);
        match field.presence {
            Presence::Optional => {
                let body = expr(quote!(d));
                match absent {
                    Some(default) => quote!(r.#name.as_ref().map_or(#default, |d| #body)),
                    None => quote!(r.#name.as_ref().and_then(|d| #body)),
                }
            }
            Presence::Required | Presence::Defaulted => expr(quote!(r.#name)),
        }
    }

    /// A page's item count: the longest of `lists` (they share one holder).
    fn page_len(&self, lists: &[Place]) -> TokenStream {
        let lens = |base: TokenStream| {
            let mut lens = lists.iter().map(|p| {
                let field = ident(&self.field(*p).rust_name);
                quote!(::tencentcloud_runtime::paginate::PageList::page_len(&#base.#field))
            });
            // Several lists: the longest decides whether the page was full.
            let first = lens.next().unwrap_or_else(|| quote!(0));
            quote!(#first #(.max(#lens))*)
        };
        match lists.first().and_then(|p| p.within) {
            None => lens(quote!(r)),
            Some(holder) => self.within(holder, Some(quote!(0)), lens),
        }
    }

    /// The count at `place` (a total).
    fn count(&self, place: Place) -> TokenStream {
        let field = ident(&self.field(place).rust_name);
        let get = |base: TokenStream| quote!(::tencentcloud_runtime::paginate::PageField::get(&#base.#field));
        match place.within {
            None => get(quote!(r)),
            Some(holder) => self.within(holder, None, get),
        }
    }

    /// The items of the list at `place`, taking the response `r`.
    fn items(&self, place: Place) -> TokenStream {
        let field = ident(&self.field(place).rust_name);
        let Some(holder) = place.within else {
            return quote!(::tencentcloud_runtime::paginate::PageList::into_items(r.#field));
        };
        let outer = &self.output.fields[holder];
        let name = ident(&outer.rust_name);
        match outer.presence {
            Presence::Optional => quote! {
                r.#name
                    .map(|d| ::tencentcloud_runtime::paginate::PageList::into_items(d.#field))
                    .unwrap_or_default()
            },
            Presence::Required | Presence::Defaulted => {
                quote!(::tencentcloud_runtime::paginate::PageList::into_items(r.#name.#field))
            }
        }
    }
}

/// Where the pages start, for the paginator's docs.
fn first_page_doc(first: FirstPage, page: &Field) -> String {
    match (first.number(), first.source()) {
        (Some(number), Some(source)) => format!(
            " ({number} when unset: pages count from {number}, as {} say{})",
            source.describe(),
            if source == FirstPageSource::Overlay { "s" } else { "" }
        ),
        _ => format!(
            " (the spec does not say whether pages count from 0 or 1, so set `{}` to the first page you want: unset, the stream ends with `Error::FirstPageUnknown` before anything is sent)",
            page.rust_name
        ),
    }
}

fn method_doc(
    input: &Object,
    places: &Places,
    action: &Action,
    paging: &Pagination,
) -> Vec<String> {
    let req = |i: usize| input.fields[i].wire_name.as_str();
    let resp = |i: usize| places.output.fields[i].wire_name.as_str();
    let total = |t: Option<Place>| match t {
        Some(place) => format!(", up to the total in `{}`", places.wire(place)),
        None => ", until a short or empty page (the response has no total)".to_owned(),
    };
    let how = match paging.pattern {
        PagePattern::OffsetLimit {
            offset,
            limit,
            total: t,
        } => format!(
            "offset and limit: `{}` advances by the items received, `{}` items a page{}",
            req(offset),
            req(limit),
            total(t)
        ),
        PagePattern::PageNumber {
            page,
            first,
            size,
            total: t,
        } => format!(
            "page number and size: `{}` advances by one from the request's{}, `{}` items a page{}",
            req(page),
            first_page_doc(first, &input.fields[page]),
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
        Some(place) => format!(
            "`.pages()` streams the responses, `.items()` every element of `{}`; nothing is sent until the stream is polled. Each page is one call of [`{}`](Self::{}), so a failed page ends the stream with its error, and `.max_pages(n)` caps the pages (by default `tencentcloud_runtime::paginate::DEFAULT_MAX_PAGES`).",
            places.wire(place), action.method, action.method
        ),
        None => format!(
            "`.pages()` streams the responses (the response has {} lists, so no item stream); nothing is sent until the stream is polled. Each page is one call of [`{}`](Self::{}), so a failed page ends the stream with its error, and `.max_pages(n)` caps the pages (by default `tencentcloud_runtime::paginate::DEFAULT_MAX_PAGES`).",
            if paging.lists.is_empty() { "no top-level".to_owned() } else { paging.lists.len().to_string() },
            action.method, action.method
        ),
    });
    doc
}
