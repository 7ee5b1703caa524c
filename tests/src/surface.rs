//! The public API surface of a generated crate, read back from its code with
//! `syn`: one line per public item (struct with its fields, enum with its
//! variants, each public or trait method's signature, consts, re-exports),
//! docs left out, then sorted. Two crates with equal surfaces offer users
//! the same API, whatever order their items and fields are printed in.

use quote::ToTokens;
use std::collections::BTreeMap;

/// The surface of a crate given as its files (path → contents, as
/// `codegen::GeneratedCrate` holds them); only `.rs` files count.
pub fn surface(files: &BTreeMap<String, String>) -> Vec<String> {
    let mut lines = Vec::new();
    for (path, text) in files {
        let Some(module) = module_path(path) else {
            continue;
        };
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        items(&module, &file.items, &mut lines);
    }
    lines.sort();
    lines
}

/// `src/v20220817/models.rs` → `v20220817::models`; `None` for non-Rust files.
fn module_path(path: &str) -> Option<String> {
    let rust = path.strip_suffix(".rs")?;
    let rust = rust.strip_prefix("src/").unwrap_or(rust);
    let parts: Vec<&str> = rust
        .split('/')
        .filter(|p| !matches!(*p, "lib" | "mod" | "include"))
        .collect();
    Some(parts.join("::"))
}

fn items(module: &str, list: &[syn::Item], out: &mut Vec<String>) {
    for item in list {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let mut fields: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| is_pub(&f.vis))
                    .map(|f| {
                        let mut f = f.clone();
                        f.attrs.retain(not_doc);
                        tokens(&f)
                    })
                    .collect();
                fields.sort();
                let attrs = attrs(&s.attrs);
                out.push(format!(
                    "{module}: {attrs}struct {} {{ {} }}",
                    s.ident,
                    fields.join(", ")
                ));
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let mut e = e.clone();
                e.attrs.retain(not_doc);
                for v in &mut e.variants {
                    v.attrs.retain(not_doc);
                }
                out.push(format!("{module}: {}", tokens(&e)));
            }
            syn::Item::Impl(i) => impl_items(module, i, out),
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                let inner = format!("{module}::{}", m.ident);
                out.push(format!("{module}: mod {}", m.ident));
                if let Some((_, content)) = &m.content {
                    items(&inner, content, out);
                }
            }
            syn::Item::Const(_)
            | syn::Item::Static(_)
            | syn::Item::Use(_)
            | syn::Item::Type(_)
            | syn::Item::Fn(_)
            | syn::Item::Trait(_) => {
                let mut item = item.clone();
                if let Some(vis) = visibility(&item) {
                    if !is_pub(vis) {
                        continue;
                    }
                }
                strip_docs(&mut item);
                out.push(format!("{module}: {}", tokens(&item)));
            }
            _ => {}
        }
    }
}

/// Each public method of an inherent impl, and every method of a trait
/// impl, as `impl [Trait for] Type: fn …` with its signature.
fn impl_items(module: &str, item: &syn::ItemImpl, out: &mut Vec<String>) {
    let target = tokens(&item.self_ty);
    let header = match &item.trait_ {
        Some((_, path, _)) => format!("impl {} for {target}", tokens(path)),
        None => format!("impl {target}"),
    };
    if item.items.is_empty() {
        out.push(format!("{module}: {header}"));
    }
    for member in &item.items {
        if let syn::ImplItem::Fn(f) = member {
            if item.trait_.is_none() && !is_pub(&f.vis) {
                continue;
            }
            out.push(format!("{module}: {header}: {}", tokens(&f.sig)));
        }
    }
}

fn visibility(item: &syn::Item) -> Option<&syn::Visibility> {
    match item {
        syn::Item::Const(i) => Some(&i.vis),
        syn::Item::Static(i) => Some(&i.vis),
        syn::Item::Use(i) => Some(&i.vis),
        syn::Item::Type(i) => Some(&i.vis),
        syn::Item::Fn(i) => Some(&i.vis),
        syn::Item::Trait(i) => Some(&i.vis),
        _ => None,
    }
}

fn strip_docs(item: &mut syn::Item) {
    let attrs = match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        _ => return,
    };
    attrs.retain(not_doc);
}

fn attrs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| not_doc(a))
        .map(|a| format!("{} ", tokens(a)))
        .collect()
}

fn not_doc(attr: &syn::Attribute) -> bool {
    !attr.path().is_ident("doc")
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Tokens as text, without the trailing commas prettyplease adds where it
/// breaks a long list over lines (layout, not API).
fn tokens(value: &impl ToTokens) -> String {
    value
        .to_token_stream()
        .to_string()
        .replace(" ,)", ")")
        .replace(" , }", " }")
}
