//! The public API surface of a generated crate, read back from its code with
//! `syn`, independently of the generator's model: every public item
//! (struct with its fields, enum with its variants, each public or trait
//! method's signature, consts, re-exports, modules, item macros) under a
//! key, docs left out. Two crates with equal surfaces offer users the same
//! API, whatever order their items and fields are printed in.

use quote::ToTokens;
use std::collections::BTreeMap;

/// One public item: where it lives and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The version module it is in (`v20220817`), `None` at the crate root.
    pub version: Option<String>,
    /// The type or item it belongs to: a struct or enum for its impls, the
    /// item itself otherwise (`RoomInfo`, `Client`, `ErrorCode`, `SERVICE`).
    pub owner: String,
    /// The method, for a method of an impl.
    pub method: Option<String>,
    /// The item's text, docs left out, fields sorted.
    pub signature: String,
}

/// Every public item of a crate, by a key naming it (`struct
/// v20220817::models::RoomInfo`, `fn v20220817::client::Client::batch_create_room`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Key → entry.
    pub items: BTreeMap<String, Entry>,
}

/// How one key differs between two surfaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delta {
    /// Only in the new surface.
    Added,
    /// Only in the old surface.
    Removed,
    /// In both, with another signature.
    Changed,
}

impl Surface {
    /// The surface of a crate given as its files (path → contents, as
    /// `codegen::GeneratedCrate` holds them); only `.rs` files count.
    pub fn of(files: &BTreeMap<String, String>) -> anyhow::Result<Surface> {
        let mut surface = Surface::default();
        for (path, text) in files {
            let Some(module) = module_path(path) else {
                continue;
            };
            let file = syn::parse_file(text)
                .map_err(|e| anyhow::anyhow!("{path}: not a Rust file: {e}"))?;
            surface.items_of(&module, &file.items);
        }
        Ok(surface)
    }

    /// Every key whose entry differs between `self` (old) and `new`.
    pub fn delta<'a>(&'a self, new: &'a Surface) -> Vec<(&'a str, Delta, &'a Entry)> {
        let mut out = Vec::new();
        for (key, old) in &self.items {
            match new.items.get(key) {
                None => out.push((key.as_str(), Delta::Removed, old)),
                Some(n) if n.signature != old.signature => {
                    out.push((key.as_str(), Delta::Changed, n))
                }
                Some(_) => {}
            }
        }
        for (key, n) in &new.items {
            if !self.items.contains_key(key) {
                out.push((key.as_str(), Delta::Added, n));
            }
        }
        out
    }

    /// The surface as sorted lines, `key: signature`.
    pub fn lines(&self) -> Vec<String> {
        self.items
            .iter()
            .map(|(key, entry)| format!("{key}: {}", entry.signature))
            .collect()
    }

    fn insert(
        &mut self,
        key: String,
        module: &str,
        owner: &str,
        method: Option<&str>,
        signature: String,
    ) {
        let version = module
            .split("::")
            .next()
            .filter(|m| m.starts_with('v') && m[1..].starts_with(|c: char| c.is_ascii_digit()))
            .map(str::to_owned);
        self.items.insert(
            key,
            Entry {
                version,
                owner: owner.to_owned(),
                method: method.map(str::to_owned),
                signature,
            },
        );
    }

    /// The item `name` of `module`, keyed `kind module::name` (`struct
    /// v20220817::models::Room`) and owning itself.
    fn insert_named(&mut self, kind: &str, module: &str, name: &str, signature: String) {
        self.insert(
            format!("{kind} {}", path(module, name)),
            module,
            name,
            None,
            signature,
        );
    }

    fn items_of(&mut self, module: &str, list: &[syn::Item]) {
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
                    let signature =
                        format!("{}struct {{ {} }}", attrs(&s.attrs), fields.join(", "));
                    self.insert_named("struct", module, &s.ident.to_string(), signature);
                }
                syn::Item::Enum(e) if is_pub(&e.vis) => {
                    let mut e = e.clone();
                    e.attrs.retain(not_doc);
                    for v in &mut e.variants {
                        v.attrs.retain(not_doc);
                    }
                    self.insert_named("enum", module, &e.ident.to_string(), tokens(&e));
                }
                syn::Item::Impl(i) => self.impl_items(module, i),
                syn::Item::Mod(m) if is_pub(&m.vis) => {
                    let name = m.ident.to_string();
                    self.insert_named("mod", module, &name, String::new());
                    if let Some((_, content)) = &m.content {
                        self.items_of(&path(module, &name), content);
                    }
                }
                syn::Item::Macro(m) => {
                    // One entry per argument (`serde_via_json!(A, B)`: one
                    // for `A`, one for `B`), so a type added or removed
                    // changes only its own entry.
                    let path = tokens(&m.mac.path);
                    let cfg = attrs(&m.attrs);
                    for argument in macro_arguments(&m.mac) {
                        let text = format!("{path} ! ({argument})");
                        self.insert(
                            format!("macro {module}: {text}"),
                            module,
                            &last_ident(&argument),
                            None,
                            format!("{cfg}{text}"),
                        );
                    }
                }
                _ => self.plain_item(module, item),
            }
        }
    }

    /// Consts, statics, type aliases, functions, traits and `use`s.
    fn plain_item(&mut self, module: &str, item: &syn::Item) {
        let mut item = item.clone();
        let (vis, attrs, name, kind) = match &mut item {
            syn::Item::Const(i) => (&i.vis, &mut i.attrs, i.ident.to_string(), "const"),
            syn::Item::Static(i) => (&i.vis, &mut i.attrs, i.ident.to_string(), "static"),
            syn::Item::Type(i) => (&i.vis, &mut i.attrs, i.ident.to_string(), "type"),
            syn::Item::Fn(i) => (&i.vis, &mut i.attrs, i.sig.ident.to_string(), "fn"),
            syn::Item::Trait(i) => (&i.vis, &mut i.attrs, i.ident.to_string(), "trait"),
            syn::Item::Use(i) => (&i.vis, &mut i.attrs, String::new(), "use"),
            _ => return,
        };
        if !is_pub(vis) {
            return;
        }
        attrs.retain(not_doc);
        let text = tokens(&item);
        if kind == "use" {
            self.insert(format!("use {module}: {text}"), module, "use", None, text);
        } else {
            self.insert_named(kind, module, &name, text);
        }
    }

    /// Each public method of an inherent impl and every method of a trait
    /// impl, under `fn module::Type::method` or `impl Trait for module::Type::method`.
    fn impl_items(&mut self, module: &str, item: &syn::ItemImpl) {
        let owner = type_ident(&item.self_ty);
        let target = path(module, &tokens(&item.self_ty));
        let prefix = match &item.trait_ {
            Some((_, trait_path, _)) => format!("impl {} for {target}", tokens(trait_path)),
            None => format!("fn {target}"),
        };
        if item.trait_.is_some() && item.items.is_empty() {
            self.insert(prefix.clone(), module, &owner, None, prefix);
            return;
        }
        for member in &item.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            if item.trait_.is_none() && !is_pub(&f.vis) {
                continue;
            }
            let method = f.sig.ident.to_string();
            let key = format!("{prefix}::{method}");
            self.insert(key, module, &owner, Some(&method), tokens(&f.sig));
        }
    }
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

fn path(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

/// The last identifier of a type (`RoomInfo` of `super::models::RoomInfo`).
fn type_ident(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        other => tokens(other),
    }
}

/// An item macro's arguments, split at its top-level commas, as text
/// (`serde_via_json!(RoomInfo, Room)` → `RoomInfo`, `Room`).
fn macro_arguments(mac: &syn::Macro) -> Vec<String> {
    let mut arguments = vec![proc_macro2::TokenStream::new()];
    for token in mac.tokens.clone() {
        match token {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == ',' => {
                arguments.push(proc_macro2::TokenStream::new());
            }
            token => arguments.last_mut().expect("one at least").extend([token]),
        }
    }
    arguments.retain(|a| !a.is_empty());
    if arguments.is_empty() {
        return vec![String::new()];
    }
    arguments.iter().map(ToString::to_string).collect()
}

/// The type an item macro's argument is about: its last identifier
/// (`super::models::RoomInfo` → `RoomInfo`).
fn last_ident(argument: &str) -> String {
    argument
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_owned()
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
