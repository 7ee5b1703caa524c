//! The public API surface of a generated crate, read back from its code with
//! `syn`, independently of the generator's model: every public item
//! (struct with its fields, enum with its variants, each public or trait
//! method's signature, consts, re-exports, modules, item macros) under a
//! key, docs left out. Two crates with equal surfaces offer users the same
//! API, whatever order their items and fields are printed in.
//!
//! The API report is made from it: every entry that differs between two
//! crates is a change users see, and [`SurfaceDelta::impact`] says what it
//! does to them from the Rust alone (Cargo's semver rules), so an item of a
//! kind the spec-level comparison has never heard of is still reported.

use super::Impact;
use crate::Error;
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};

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
    /// Its parts, for telling an additive change from a breaking one.
    pub shape: Shape,
}

/// What of an item's text decides whether a change to it breaks users.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Shape {
    /// A struct or enum: everything but its fields or variants (`head`,
    /// non-doc attributes included), whether it is `#[non_exhaustive]`, and
    /// each field or variant by name (its type or payload, and its
    /// attributes apart).
    Members {
        /// The item without its members and derives.
        head: String,
        /// The traits it derives: gaining one breaks nobody.
        derives: BTreeSet<String>,
        /// Whether users can build or match it exhaustively.
        non_exhaustive: bool,
        /// Name → member.
        members: BTreeMap<String, Member>,
    },
    /// A const or static: its type (its value may change without breaking
    /// code that compiled).
    Value {
        /// The declared type.
        ty: String,
    },
    /// Anything else: any change to its text breaks.
    #[default]
    Opaque,
}

/// One field of a struct or variant of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The field's type, or the variant's fields and discriminant.
    pub ty: String,
    /// Its non-doc attributes (`#[deprecated]`, serde's renames): changing
    /// them changes what it means on the wire or warns, and breaks no build.
    pub attrs: String,
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

/// One key whose entry differs between an old and a new surface.
#[derive(Debug, Clone, Copy)]
pub struct SurfaceDelta<'a> {
    /// The key (`fn v20220817::client::Client::batch_create_room`).
    pub key: &'a str,
    /// Added, removed or changed.
    pub delta: Delta,
    /// The entry before, if it existed.
    pub old: Option<&'a Entry>,
    /// The entry after, if it exists.
    pub new: Option<&'a Entry>,
}

impl Delta {
    /// `added`, `removed`, `changed`.
    pub fn verb(self) -> &'static str {
        match self {
            Delta::Added => "added",
            Delta::Removed => "removed",
            Delta::Changed => "changed",
        }
    }
}

impl<'a> SurfaceDelta<'a> {
    /// The entry as it is now, or as it was for a removed one.
    pub fn entry(&self) -> &'a Entry {
        self.new
            .or(self.old)
            .expect("a delta has an entry on at least one side")
    }

    /// What the change does to users, read from the Rust alone: an added
    /// item breaks nobody, a removed one breaks its users; a changed one
    /// breaks unless it only gained fields or variants where users cannot
    /// build or match exhaustively (`#[non_exhaustive]`), changed member
    /// attributes, or (a const) changed its value but not its type.
    pub fn impact(&self) -> Impact {
        match (self.delta, self.old, self.new) {
            (Delta::Added, ..) => Impact::Additive,
            (Delta::Changed, Some(old), Some(new)) => match (&old.shape, &new.shape) {
                (Shape::Value { ty: old }, Shape::Value { ty }) if old == ty => Impact::Additive,
                (Shape::Members { .. }, Shape::Members { .. }) => {
                    let deltas = self.member_deltas().expect("both sides have members");
                    // The most severe part decides (`Breaking` orders first).
                    let parts = deltas.members.iter().map(|(_, _, impact)| *impact);
                    deltas
                        .head
                        .into_iter()
                        .chain(parts)
                        .min()
                        .unwrap_or(Impact::Additive)
                }
                _ => Impact::Breaking,
            },
            _ => Impact::Breaking,
        }
    }
}

/// How a struct's or enum's members changed: each field or variant added,
/// removed or changed, with its impact, and the impact of a change to the
/// rest of the item (its attributes, derives, generics), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDeltas {
    /// The item apart from its members, when that changed.
    pub head: Option<Impact>,
    /// Member name → how it changed and what that does to users.
    pub members: Vec<(String, Delta, Impact)>,
}

impl SurfaceDelta<'_> {
    /// For a struct or enum in both surfaces, how its members changed.
    pub fn member_deltas(&self) -> Option<MemberDeltas> {
        let (
            Shape::Members {
                head: old_head,
                derives: old_derives,
                non_exhaustive: old_open,
                members: old_members,
            },
            Shape::Members {
                head,
                derives,
                non_exhaustive,
                members,
            },
        ) = (&self.old?.shape, &self.new?.shape)
        else {
            return None;
        };
        let head =
            if head != old_head || old_open != non_exhaustive || !old_derives.is_subset(derives) {
                Some(Impact::Breaking)
            } else {
                (old_derives != derives).then_some(Impact::Additive)
            };
        let names: BTreeSet<&String> = old_members.keys().chain(members.keys()).collect();
        let members = names
            .into_iter()
            .filter_map(|name| {
                let change = match (old_members.get(name), members.get(name)) {
                    (Some(o), Some(n)) if o == n => return None,
                    (Some(o), Some(n)) if o.ty == n.ty => (Delta::Changed, Impact::Additive),
                    (Some(_), Some(_)) => (Delta::Changed, Impact::Breaking),
                    (Some(_), None) => (Delta::Removed, Impact::Breaking),
                    (None, _) if *non_exhaustive => (Delta::Added, Impact::Additive),
                    (None, _) => (Delta::Added, Impact::Breaking),
                };
                Some((name.clone(), change.0, change.1))
            })
            .collect();
        Some(MemberDeltas { head, members })
    }
}

impl Surface {
    /// The surface of a crate given as its files (path → contents, as
    /// [`crate::GeneratedCrate`] holds them); only `.rs` files count.
    pub fn of(files: &BTreeMap<String, String>) -> Result<Surface, Error> {
        let mut surface = Surface::default();
        for (path, text) in files {
            let Some(module) = module_path(path) else {
                continue;
            };
            let file = syn::parse_file(text).map_err(|e| Error::Emit {
                file: path.clone(),
                message: e.to_string(),
            })?;
            surface.items_of(&module, &file.items);
        }
        Ok(surface)
    }

    /// Every key whose entry differs between `self` (old) and `new`, in key
    /// order.
    pub fn delta<'a>(&'a self, new: &'a Surface) -> Vec<SurfaceDelta<'a>> {
        let keys: BTreeSet<&String> = self.items.keys().chain(new.items.keys()).collect();
        keys.into_iter()
            .filter_map(|key| {
                let (old, new) = (self.items.get(key), new.items.get(key));
                let delta = match (old, new) {
                    (Some(o), Some(n)) if o.signature == n.signature => return None,
                    (Some(_), Some(_)) => Delta::Changed,
                    (Some(_), None) => Delta::Removed,
                    (None, _) => Delta::Added,
                };
                Some(SurfaceDelta {
                    key,
                    delta,
                    old,
                    new,
                })
            })
            .collect()
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
        self.insert_shaped(key, module, owner, method, (signature, Shape::Opaque));
    }

    fn insert_shaped(
        &mut self,
        key: String,
        module: &str,
        owner: &str,
        method: Option<&str>,
        (signature, shape): (String, Shape),
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
                shape,
            },
        );
    }

    /// The item `name` of `module`, keyed `kind module::name` (`struct
    /// v20220817::models::Room`) and owning itself.
    fn insert_named(&mut self, kind: &str, module: &str, name: &str, item: (String, Shape)) {
        self.insert_shaped(
            format!("{kind} {}", path(module, name)),
            module,
            name,
            None,
            item,
        );
    }

    fn items_of(&mut self, module: &str, list: &[syn::Item]) {
        let debug_written = debug_written(list);
        for item in list {
            match item {
                syn::Item::Struct(s) if is_pub(&s.vis) => {
                    let name = s.ident.to_string();
                    let item = struct_item(s, debug_written.contains(&name));
                    self.insert_named("struct", module, &name, item);
                }
                // Read as a derive of the struct (above).
                syn::Item::Impl(i) if is_debug_of(i, &debug_written) => {}
                syn::Item::Enum(e) if is_pub(&e.vis) => {
                    self.insert_named("enum", module, &e.ident.to_string(), enum_item(e));
                }
                syn::Item::Impl(i) => self.impl_items(module, i),
                syn::Item::Mod(m) if is_pub(&m.vis) => {
                    let name = m.ident.to_string();
                    let item = (String::new(), Shape::Opaque);
                    self.insert_named("mod", module, &name, item);
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
        let shape = match &item {
            syn::Item::Const(i) => Shape::Value { ty: tokens(&i.ty) },
            syn::Item::Static(i) => Shape::Value { ty: tokens(&i.ty) },
            _ => Shape::Opaque,
        };
        let text = tokens(&item);
        if kind == "use" {
            self.insert(format!("use {module}: {text}"), module, "use", None, text);
        } else {
            self.insert_named(kind, module, &name, (text, shape));
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

/// The shape of a struct or enum (`kind`) with these attributes, generics
/// and members.
fn members_shape(
    kind: &str,
    item_attrs: &[syn::Attribute],
    generics: &syn::Generics,
    members: BTreeMap<String, Member>,
) -> Shape {
    let (head_attrs, derives) = split_derives(item_attrs);
    Shape::Members {
        non_exhaustive: is_non_exhaustive(item_attrs),
        head: format!("{head_attrs}{kind} {}", tokens(generics)),
        derives,
        members,
    }
}

/// The structs of `list` whose `Debug` is written out rather than derived
/// (to redact secret members). Users cannot tell one from the other, so the
/// surface reads such an impl as a derive: a member turning secret between
/// releases changes nothing there.
fn debug_written(list: &[syn::Item]) -> BTreeSet<String> {
    let structs: BTreeSet<String> = list
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    list.iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if is_debug_of(i, &structs) => Some(type_ident(&i.self_ty)),
            _ => None,
        })
        .collect()
}

/// Whether `item` is `impl Debug for T` with `T` one of `types`.
fn is_debug_of(item: &syn::ItemImpl, types: &BTreeSet<String>) -> bool {
    let debug = item
        .trait_
        .as_ref()
        .is_some_and(|(_, path, _)| path.segments.last().is_some_and(|s| s.ident == "Debug"));
    debug && types.contains(&type_ident(&item.self_ty))
}

/// A struct's signature (docs left out, public fields sorted, derives
/// sorted, `Debug` among them when `debug_written`) and shape.
fn struct_item(s: &syn::ItemStruct, debug_written: bool) -> (String, Shape) {
    let mut fields = Vec::new();
    let mut members = BTreeMap::new();
    for (i, f) in s.fields.iter().enumerate().filter(|(_, f)| is_pub(&f.vis)) {
        let mut f = f.clone();
        f.attrs.retain(not_doc);
        fields.push(tokens(&f));
        let name = f
            .ident
            .as_ref()
            .map_or_else(|| i.to_string(), ToString::to_string);
        let member = Member {
            ty: tokens(&f.ty),
            attrs: attrs(&f.attrs),
        };
        members.insert(name, member);
    }
    fields.sort();
    let mut shape = members_shape("struct", &s.attrs, &s.generics, members);
    let Shape::Members { head, derives, .. } = &mut shape else {
        unreachable!("members_shape gives Shape::Members");
    };
    if debug_written {
        derives.insert("Debug".to_owned());
    }
    let derives = derives.iter().cloned().collect::<Vec<_>>().join(", ");
    let signature = format!(
        "#[derive({derives})] {} {{ {} }}",
        head.trim_end(),
        fields.join(", ")
    );
    (signature, shape)
}

/// An enum's signature (docs left out) and shape.
fn enum_item(e: &syn::ItemEnum) -> (String, Shape) {
    let mut e = e.clone();
    e.attrs.retain(not_doc);
    let mut members = BTreeMap::new();
    for v in &mut e.variants {
        v.attrs.retain(not_doc);
        let discriminant = v
            .discriminant
            .as_ref()
            .map(|(_, d)| format!(" = {}", tokens(d)));
        let member = Member {
            ty: format!("{}{}", tokens(&v.fields), discriminant.unwrap_or_default()),
            attrs: attrs(&v.attrs),
        };
        members.insert(v.ident.to_string(), member);
    }
    let shape = members_shape("enum", &e.attrs, &e.generics, members);
    (tokens(&e), shape)
}

/// The non-doc attributes as text, `#[derive]`s left out, and the derived
/// traits (a derive whose list does not parse stays in the text).
fn split_derives(list: &[syn::Attribute]) -> (String, BTreeSet<String>) {
    let mut derives = BTreeSet::new();
    let mut rest = Vec::new();
    for attr in list.iter().filter(|a| not_doc(a)) {
        let parsed = attr.path().is_ident("derive").then(|| {
            attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
        });
        match parsed {
            Some(Ok(paths)) => derives.extend(paths.iter().map(tokens)),
            _ => rest.push(attr.clone()),
        }
    }
    (attrs(&rest), derives)
}

fn is_non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The impact of the one change between two versions of `models.rs`.
    fn impact(old: &str, new: &str) -> Impact {
        let surface = |text: &str| {
            let files = BTreeMap::from([("src/v20220101/models.rs".to_owned(), text.to_owned())]);
            Surface::of(&files).expect("the table's Rust parses")
        };
        let (old, new) = (surface(old), surface(new));
        let delta = old.delta(&new);
        assert_eq!(delta.len(), 1, "{delta:#?}");
        delta[0].impact()
    }

    /// A struct whose `Debug` is written out (to redact a secret member)
    /// offers what one deriving it does: the same surface, whatever the
    /// order of its derives.
    #[test]
    fn a_written_debug_reads_as_a_derive() {
        let surface = |text: &str| {
            let files = BTreeMap::from([("src/v20220101/models.rs".to_owned(), text.to_owned())]);
            Surface::of(&files)
                .expect("the table's Rust parses")
                .lines()
        };
        let derived =
            surface("#[derive(Debug, Clone)] pub struct A { pub password: Option<String> }");
        let written = surface(
            r#"#[derive(Clone)] pub struct A { pub password: Option<String> }
             impl ::std::fmt::Debug for A {
                 fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str("A") }
             }"#,
        );
        assert_eq!(derived, written);
        let other = surface("#[derive(Clone)] pub struct A { pub password: Option<String> }");
        assert_ne!(derived, other, "a struct without Debug differs");
    }

    #[test]
    fn impacts_follow_cargo_semver_rules() {
        let open = "#[non_exhaustive] #[derive(Debug)] pub struct A { pub a: u8 }";
        let closed = "#[derive(Debug)] pub struct A { pub a: u8 }";
        let cases = [
            // (old, new, impact, why)
            (
                open,
                "#[non_exhaustive] #[derive(Debug)] pub struct A { pub a: u8, pub b: u8 }",
                Impact::Additive,
                "a field added to a non-exhaustive struct",
            ),
            (
                closed,
                "#[derive(Debug)] pub struct A { pub a: u8, pub b: u8 }",
                Impact::Breaking,
                "a field added to a struct literals build",
            ),
            (
                open,
                "#[non_exhaustive] #[derive(Debug)] pub struct A { pub b: u8 }",
                Impact::Breaking,
                "a field removed",
            ),
            (
                open,
                "#[non_exhaustive] #[derive(Debug)] pub struct A { pub a: u16 }",
                Impact::Breaking,
                "a field retyped",
            ),
            (
                open,
                "#[non_exhaustive] #[derive(Debug, Default)] pub struct A { pub a: u8 }",
                Impact::Additive,
                "a derive added",
            ),
            (
                open,
                "#[non_exhaustive] pub struct A { pub a: u8 }",
                Impact::Breaking,
                "a derive removed",
            ),
            (
                open,
                "#[non_exhaustive] #[derive(Debug)] pub struct A { #[deprecated] pub a: u8 }",
                Impact::Additive,
                "a field deprecated",
            ),
            (
                closed,
                "#[non_exhaustive] #[derive(Debug)] pub struct A { pub a: u8 }",
                Impact::Breaking,
                "made non-exhaustive",
            ),
            (
                "#[non_exhaustive] pub enum E { A, B }",
                "#[non_exhaustive] pub enum E { A, B, C }",
                Impact::Additive,
                "a variant added to a non-exhaustive enum",
            ),
            (
                "pub enum E { A, B }",
                "pub enum E { A, B, C }",
                Impact::Breaking,
                "a variant added to an exhaustive enum",
            ),
            (
                "#[non_exhaustive] pub enum E { A, B }",
                "#[non_exhaustive] pub enum E { A }",
                Impact::Breaking,
                "a variant removed",
            ),
            (
                "pub const C: &str = \"a\";",
                "pub const C: &str = \"b\";",
                Impact::Additive,
                "a const's value",
            ),
            (
                "pub const C: &str = \"a\";",
                "pub const C: u8 = 1;",
                Impact::Breaking,
                "a const's type",
            ),
            (
                "pub fn f(a: u8) {}",
                "pub fn f(a: u16) {}",
                Impact::Breaking,
                "a function's signature",
            ),
            ("", "pub fn f() {}", Impact::Additive, "an item added"),
            ("pub fn f() {}", "", Impact::Breaking, "an item removed"),
        ];
        for (old, new, expected, why) in cases {
            assert_eq!(impact(old, new), expected, "{why}: {old} → {new}");
        }
    }
}
