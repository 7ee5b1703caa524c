//! Emit: [`ir::Service`](crate::ir::Service) → the files of one crate.
//!
//! One module per kind of output; each takes the IR and returns a
//! `TokenStream`. This module only assembles them, parses them with `syn`
//! (a generator bug surfaces here, not in the user's build) and prints them
//! with `prettyplease`. Nothing here touches the disk.

mod client;
pub mod docs;
mod errors;
mod examples;
mod krate;
pub(crate) mod models;
mod names;
mod operations;
mod paginators;
mod readme;
mod required;
mod types;

pub use names::names_file;

use crate::ir::{ApiVersion, Service};
use crate::options::{Layout, Options, INCLUDE_FILE};
use crate::Error;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use rayon::prelude::*;
use std::collections::BTreeMap;
use types::Prelude;

/// The first line of every generated file contains this marker; the writer
/// only ever overwrites or deletes files that carry it.
pub const MARKER: &str = "@generated";

/// The files of one generated crate, by path relative to the crate
/// directory (`/`-separated), in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// Relative path → file contents.
    pub files: BTreeMap<String, String>,
}

/// Generates every file of the crate for `service`.
///
/// Files are cut into pieces (a models file is one piece per object) that
/// are emitted, parsed and printed on all cores, then joined in order, so
/// the output is the same whatever the number of threads. `proc_macro2`
/// tokens cannot cross threads: each worker emits its own pieces from the
/// IR and parses the user's extras itself.
pub(crate) fn emit_crate(service: &Service, options: &Options) -> Result<GeneratedCrate, Error> {
    Extras::parse(service, options)?;
    let shadows: Vec<Vec<Prelude>> = service.versions.iter().map(shadowed_in).collect();
    let plan = Plan::new(service, options);
    // Whole files (a client, the error codes, the examples) are the largest
    // pieces: started first, they do not leave one core working alone at
    // the end.
    let mut order: Vec<usize> = (0..plan.pieces.len()).collect();
    order.sort_by_key(|&i| {
        !matches!(
            plan.pieces[i],
            Piece::Client(_) | Piece::Errors(_) | Piece::Examples(_)
        )
    });
    // Rayon's pool: when whole services are generated on it too (a
    // catalog), a core that runs out of one service's pieces takes up
    // another's. Each worker's share of the pieces gets its own extras.
    let mut rendered: Vec<(usize, Result<Option<String>, String>)> = order
        .into_par_iter()
        .map_init(
            || {
                Extras::parse(service, options)
                    .expect("the extras parsed once already on the caller's thread")
            },
            |extras, i| {
                let tokens = plan.pieces[i].tokens(service, options, extras, &shadows);
                let text = tokens.map(unparse).transpose();
                (i, text.map(|text| text.map(|text| space_items(&text))))
            },
        )
        .collect();
    rendered.sort_unstable_by_key(|(i, _)| *i);
    let rendered = rendered.into_iter().map(|(_, piece)| piece);
    let mut rendered = rendered.into_iter();
    let mut files = BTreeMap::new();
    let rust_marker = marker_line("//", options);
    for (path, count) in plan.files {
        let mut code = format!("{rust_marker}\n");
        let mut present = false;
        for piece in rendered.by_ref().take(count) {
            let piece = piece.map_err(|message| Error::Emit {
                file: path.clone(),
                message,
            })?;
            if let Some(text) = piece {
                join_spaced(&mut code, present, &text);
                present = true;
            }
        }
        if present {
            files.insert(path, code);
        }
    }
    if options.layout == Layout::Crate {
        package_files(service, options, &mut files)?;
    }
    Ok(GeneratedCrate { files })
}

/// The files around a crate's code: `Cargo.toml`, `CHANGELOG.md` (with a
/// release), `README.md` and its quick start (`examples/quick_start.rs`).
fn package_files(
    service: &Service,
    options: &Options,
    files: &mut BTreeMap<String, String>,
) -> Result<(), Error> {
    files.insert(
        "Cargo.toml".to_owned(),
        krate::cargo_toml(service, options, &marker_line("#", options)),
    );
    if let Some(release) = &options.release {
        let changelog = format!(
            "<!-- {MARKER} by `{}`. Do not edit by hand: change the spec and run it again. -->\n\n# Changelog of {}\n\n{}",
            options.generated_by, service.crate_name, release.entries
        );
        files.insert("CHANGELOG.md".to_owned(), changelog);
    }
    let quick_start = (!options.models_only)
        .then(|| unparse(readme::quick_start(service)).map(|text| space_items(&text)))
        .transpose()
        .map_err(|message| Error::Emit {
            file: readme::QUICK_START.into(),
            message,
        })?;
    files.insert(
        "README.md".to_owned(),
        readme::readme(service, options, quick_start.as_deref()),
    );
    if let (true, Some(code)) = (krate::has_quick_start(options), &quick_start) {
        let marker = marker_line("//", options);
        files.insert(readme::QUICK_START.to_owned(), format!("{marker}\n{code}"));
    }
    Ok(())
}

/// The Rust files of a crate, in order, each as a run of pieces.
struct Plan {
    pieces: Vec<Piece>,
    /// Path and number of pieces of each file, in `pieces` order.
    files: Vec<(String, usize)>,
}

impl Plan {
    fn new(service: &Service, options: &Options) -> Plan {
        let mut plan = Plan {
            pieces: Vec::new(),
            files: Vec::new(),
        };
        match options.layout {
            Layout::Crate => plan.file("src/lib.rs".into(), [Piece::LibRs]),
            Layout::Include => plan.file(INCLUDE_FILE.into(), [Piece::IncludeRs]),
        }
        for (v, version) in service.versions.iter().enumerate() {
            let dir = format!("src/{}", version.module);
            let objects = (0..version.objects.len()).map(|o| Piece::Object(v, o));
            plan.file(
                format!("{dir}/models.rs"),
                [Piece::ModelsHeader]
                    .into_iter()
                    .chain(objects)
                    .chain([Piece::ModelsSerde(v)]),
            );
            if krate::has_required(version) {
                let required = version.objects.iter().enumerate();
                let required = required.filter(|(_, o)| o.has_required());
                plan.file(
                    format!("{dir}/required.rs"),
                    required.map(|(o, _)| Piece::Required(v, o)),
                );
            }
            plan.file(format!("{dir}/errors.rs"), [Piece::Errors(v)]);
            if !options.models_only {
                let probe = options.probe_items.then_some(Piece::Probe(v));
                plan.file(
                    format!("{dir}/client.rs"),
                    [Piece::Client(v), Piece::Paginators(v), Piece::Operations(v)]
                        .into_iter()
                        .chain(probe),
                );
            }
            if options.layout == Layout::Crate {
                plan.file(format!("{dir}/mod.rs"), [Piece::VersionMod(v)]);
                plan.file(format!("{dir}/examples.rs"), [Piece::Examples(v)]);
            }
        }
        plan
    }

    fn file(&mut self, path: String, pieces: impl IntoIterator<Item = Piece>) {
        let before = self.pieces.len();
        self.pieces.extend(pieces);
        self.files.push((path, self.pieces.len() - before));
    }
}

/// One piece of one file; versions and objects by index.
#[derive(Debug, Clone, Copy)]
enum Piece {
    LibRs,
    IncludeRs,
    ModelsHeader,
    Object(usize, usize),
    ModelsSerde(usize),
    Required(usize, usize),
    Errors(usize),
    Client(usize),
    Paginators(usize),
    Operations(usize),
    Probe(usize),
    VersionMod(usize),
    Examples(usize),
}

impl Piece {
    /// The piece's tokens; `None` for a file with nothing in it.
    fn tokens(
        self,
        service: &Service,
        options: &Options,
        extras: &Extras,
        shadows: &[Vec<Prelude>],
    ) -> Option<TokenStream> {
        let version = |v: usize| &service.versions[v];
        Some(match self {
            Piece::LibRs => krate::lib_rs(service),
            Piece::IncludeRs => krate::include_rs(service, options),
            Piece::ModelsHeader => models::header(),
            Piece::Object(v, o) => {
                let cx = Context::new(&shadows[v], extras);
                models::emit_object(version(v), &version(v).objects[o], &cx)
            }
            Piece::ModelsSerde(v) => models::serde_footer(version(v))?,
            Piece::Required(v, o) => {
                let cx = Context::new(&shadows[v], extras);
                required::emit(version(v), &version(v).objects[o], &cx)?
            }
            Piece::Errors(v) => errors::emit(version(v)),
            Piece::Client(v) => client::emit(service, version(v)),
            Piece::Paginators(v) => {
                let cx = Context::new(&shadows[v], extras);
                paginators::emit(version(v), &cx)?
            }
            Piece::Operations(v) => operations::emit(version(v))?,
            Piece::Probe(v) => client::probe(version(v)),
            Piece::VersionMod(v) => krate::version_mod_rs(service, version(v), options),
            Piece::Examples(v) => examples::emit(version(v))?,
        })
    }
}

fn marker_line(comment: &str, options: &Options) -> String {
    format!(
        "{comment} {MARKER} by `{}`. Do not edit by hand: change the spec and run it again.\n",
        options.generated_by
    )
}

/// Parses and pretty-prints one piece of a file; `Err` is syn's message
/// (a generator bug: emitted tokens that are not a Rust file).
fn unparse(tokens: TokenStream) -> Result<String, String> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|err| err.to_string())?;
    Ok(prettyplease::unparse(&parsed))
}

/// Appends a spaced piece to a file, with the blank line that
/// [`space_items`] would have put between its first line and the last line
/// before it (`after_piece`: something of the file is already there).
fn join_spaced(code: &mut String, after_piece: bool, piece: &str) {
    let last = code.lines().next_back();
    let first = piece.lines().next();
    if let (true, Some(prev), Some(line)) = (after_piece, last, first) {
        if blank_between(prev, line) {
            code.push('\n');
        }
    }
    code.push_str(piece);
}

/// prettyplease prints items back to back; a blank line between items (not
/// between fields or `use` lines) makes the files readable in an editor.
fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous: Option<&str> = None;
    for line in code.lines() {
        if previous.is_some_and(|prev| blank_between(prev, line)) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// Whether [`space_items`] puts a blank line between `prev` and `line`.
fn blank_between(prev: &str, line: &str) -> bool {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "fn ", "impl ", "impl<", "const ", "mod ", "use ",
    ];
    let indent = line.len() - line.trim_start().len();
    let prev_indent = prev.len() - prev.trim_start().len();
    let body = line.trim_start();
    let prev_body = prev.trim_start();
    let ends_item = !prev_body.starts_with("//")
        && (prev.ends_with('}') || (prev.ends_with(';') && !prev_body.starts_with("use ")));
    let starts_item = ITEM_STARTS.iter().any(|s| body.starts_with(s));
    let after_use = prev_body.starts_with("use ") && !body.starts_with("use ");
    let after_module_doc = prev.starts_with("//!") && !line.starts_with("//!");
    after_module_doc || (indent == prev_indent && starts_item && (ends_item || after_use))
}

/// An identifier. Names come from [`crate::naming`], which guarantees they
/// are valid, non-keyword identifiers.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The user's extra derives and attributes, parsed once.
struct Extras {
    derives: Vec<TokenStream>,
    type_derives: BTreeMap<String, Vec<TokenStream>>,
    attributes: Vec<TokenStream>,
}

impl Extras {
    fn parse(service: &Service, options: &Options) -> Result<Extras, Error> {
        let derive = |text: &str| {
            syn::parse_str::<syn::Path>(text)
                .map(|p| quote!(#p))
                .map_err(|e| Error::Options {
                    message: format!("derive `{text}` is not a path: {e}"),
                })
        };
        let mut type_derives = BTreeMap::new();
        for (name, derives) in &options.type_derives {
            let known = service
                .versions
                .iter()
                .any(|v| v.objects.iter().any(|o| &o.wire_name == name));
            if !known {
                return Err(Error::Options {
                    message: format!("derives for `{name}`, which is no object of the spec"),
                });
            }
            type_derives.insert(
                name.clone(),
                derives
                    .iter()
                    .map(|d| derive(d))
                    .collect::<Result<_, _>>()?,
            );
        }
        let attributes = options
            .attributes
            .iter()
            .map(|text| {
                let attrs = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, text)
                    .map_err(|e| Error::Options {
                        message: format!("`{text}` is not an outer attribute: {e}"),
                    })?;
                Ok(quote!(#(#attrs)*))
            })
            .collect::<Result<_, Error>>()?;
        Ok(Extras {
            derives: options
                .derives
                .iter()
                .map(|d| derive(d))
                .collect::<Result<_, _>>()?,
            type_derives,
            attributes,
        })
    }
}

/// The prelude names that a spec object of `version` shadows.
fn shadowed_in(version: &ApiVersion) -> Vec<Prelude> {
    Prelude::ALL
        .into_iter()
        .filter(|p| version.objects.iter().any(|o| o.rust_name == p.name()))
        .collect()
}

/// Per-version facts the emitters share: which prelude names a spec object
/// shadows in this version's modules, and the user's extra derives.
pub(crate) struct Context<'a> {
    shadowed: &'a [Prelude],
    extras: &'a Extras,
}

impl<'a> Context<'a> {
    fn new(shadowed: &'a [Prelude], extras: &'a Extras) -> Self {
        Context { shadowed, extras }
    }

    /// The extra derives and attributes of the struct for `wire_name`.
    fn extras_for(&self, wire_name: &str) -> (Vec<&TokenStream>, &[TokenStream]) {
        let named = self
            .extras
            .type_derives
            .get(wire_name)
            .into_iter()
            .flatten();
        (
            self.extras.derives.iter().chain(named).collect(),
            &self.extras.attributes,
        )
    }

    /// The path to a prelude item: its short name unless a spec object
    /// shadows it here.
    fn path(&self, item: Prelude) -> TokenStream {
        item.path(self.shadowed)
    }
}
