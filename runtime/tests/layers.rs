//! The runtime's layers and the one rule between them.
//!
//! Each layer is a folder of `src/`; [`LAYERS`] lists them, lowest first,
//! and is the one place the order is written (the crate docs' map shows it
//! and is checked against it below). A file may name, by `crate::<layer>`
//! paths, its own layer and those before it, never one after: in `use`
//! lines (multi-line `use crate::{…}` groups included), in paths inline in
//! code and in macros' `$crate::` paths. Comments and strings are not code.
//! A `crate::` path must name a layer, so that the root's re-exports
//! (`crate::Client`) cannot hide a use of a later layer.

use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [&str; 5] = ["shared", "wire", "credentials", "call", "defaults"];

#[test]
fn no_layer_uses_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offences = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).expect("below src");
        if relative == Path::new("lib.rs") {
            continue;
        }
        let shown = format!("src/{}", relative.display());
        let folder = relative.components().next().expect("a path");
        let folder = folder.as_os_str().to_string_lossy();
        let Some(own) = layer_of(&folder) else {
            offences.push(format!("{shown}: in no layer folder ({LAYERS:?})"));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        for (line, first) in crate_paths(&text) {
            match layer_of(&first) {
                Some(used) if used <= own => {}
                Some(_) => offences.push(format!(
                    "{shown}:{line}: `crate::{first}` is a later layer than `{folder}`"
                )),
                None => offences.push(format!(
                    "{shown}:{line}: `crate::{first}` names no layer; use `crate::<layer>::…`"
                )),
            }
        }
    }
    assert!(
        offences.is_empty(),
        "a layer reaches one after it (order: {}):\n{}",
        LAYERS.join(" → "),
        offences.join("\n")
    );
}

/// The map in the crate docs lists the layer folders in [`LAYERS`]' order.
#[test]
fn the_crate_docs_show_the_order() {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let lib = std::fs::read_to_string(lib).expect("lib.rs");
    let map = &lib[lib.find("# Map of the crate").expect("the map")..];
    let rows: Vec<usize> = (1..)
        .zip(LAYERS)
        .map(|(n, layer)| {
            let row = format!("| {n}. `{layer}/` |");
            map.find(&row)
                .unwrap_or_else(|| panic!("the map has no row `{row}`"))
        })
        .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
}

/// The checker itself: what counts as a path, and where.
#[test]
fn crate_paths_are_found_in_code_only() {
    let text = r##"use crate::{
    wire::Call,
    call::{A, B},
};
// use crate::defaults;
/// [`X`](crate::defaults::X)
let s = "crate::defaults"; let r = r#"crate::defaults "#;
let c = '"'; let q = '\''; let t = crate::shared::x(); /* crate::defaults */
let b = br#"crate::defaults "#;
    $crate::credentials::setters! {}
not_crate::defaults
"##;
    assert_eq!(
        crate_paths(text),
        [
            (2, "wire".to_owned()),
            (3, "call".to_owned()),
            (8, "shared".to_owned()),
            (10, "credentials".to_owned()),
        ]
    );
}

fn layer_of(name: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| *layer == name)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a readable folder")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Each `crate::` (or `$crate::`) path in the code of `text`: its line and
/// first segment; for a `crate::{…}` group, those of each item in it.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let code = code_only(text);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at;
        from = start + "crate::".len();
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if code[from..].starts_with('{') {
            found.extend(group_items(&code, from));
        } else {
            found.push((line_at(&code, from), ident_at(&code, from)));
        }
    }
    found
}

/// The first segment of each item of the `{…}` group opening at `open`.
fn group_items(code: &str, open: usize) -> Vec<(usize, String)> {
    let mut items = Vec::new();
    let (mut depth, mut expecting) = (0, true);
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => {
                depth += 1;
                expecting = depth == 1;
            }
            '}' if depth == 1 => break,
            '}' => depth -= 1,
            ',' if depth == 1 => expecting = true,
            c if expecting && (c.is_alphabetic() || c == '_') => {
                items.push((line_at(code, open + i), ident_at(code, open + i)));
                expecting = false;
            }
            _ => {}
        }
    }
    items
}

fn ident_at(code: &str, at: usize) -> String {
    code[at..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn line_at(code: &str, at: usize) -> usize {
    code[..at].matches('\n').count() + 1
}

/// `text` with comments and the insides of string and character literals
/// blanked (newlines kept, so lines still count).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let end = literal_or_comment_end(&chars, i);
        if end == i {
            out.push(chars[i]);
            i += 1;
        } else {
            out.extend(
                chars[i..end]
                    .iter()
                    .map(|&c| if c == '\n' { '\n' } else { ' ' }),
            );
            i = end;
        }
    }
    out
}

/// Where the comment or literal starting at `i` ends, or `i` when none does.
fn literal_or_comment_end(chars: &[char], i: usize) -> usize {
    let at = |k: usize| chars.get(k).copied();
    let find = |from: usize, pattern: &[char]| {
        (from..chars.len())
            .find(|&k| chars[k..].starts_with(pattern))
            .map_or(chars.len(), |k| k + pattern.len())
    };
    let is_ident = |k: usize| chars[k].is_alphanumeric() || chars[k] == '_';
    // `r"…"` and `br"…"` are raw strings; `for"` or `letter"` are not.
    let raw_start = match i {
        0 => true,
        _ if chars[i - 1] == 'b' => i == 1 || !is_ident(i - 2),
        _ => !is_ident(i - 1),
    };
    match (at(i), at(i + 1)) {
        (Some('/'), Some('/')) => find(i, &['\n']),
        (Some('/'), Some('*')) => find(i + 2, &['*', '/']),
        (Some('"'), _) => {
            let mut k = i + 1;
            while k < chars.len() && chars[k] != '"' {
                k += if chars[k] == '\\' { 2 } else { 1 };
            }
            k + 1
        }
        (Some('r'), Some('"' | '#')) if raw_start => {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if at(i + 1 + hashes) != Some('"') {
                return i;
            }
            let close: Vec<char> = format!("\"{}", "#".repeat(hashes)).chars().collect();
            find(i + 2 + hashes, &close)
        }
        (Some('\''), Some('\\')) => find(i + 3, &['\'']),
        (Some('\''), Some(_)) if at(i + 2) == Some('\'') => i + 3,
        _ => i,
    }
}
