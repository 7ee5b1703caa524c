//! House rules of the hand-written crates that no compiler checks, kept as
//! rust-analyzer's tidy tests keep its conventions.
//!
//! - No function outside tests is longer than [`MAX_FN_LINES`] lines: a
//!   longer one is split into steps that read top to bottom.
//!
//! (The runtime's one-way layers are kept by `runtime/tests/layers.rs`.)

use std::path::{Path, PathBuf};

/// The longest a non-test function may be, signature and braces included.
const MAX_FN_LINES: usize = 80;

/// The hand-written source trees the rules cover.
const TREES: &[&str] = &[
    "codegen/src",
    "runtime/src",
    "runtime/json/src",
    "xtask/src",
];

#[test]
fn no_function_outside_tests_is_longer_than_the_limit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut long = Vec::new();
    for tree in TREES {
        for file in rust_files(&root.join(tree)) {
            let text = std::fs::read_to_string(&file).expect("a source file is readable");
            for (line, name, len) in long_functions(&text) {
                let shown = file
                    .strip_prefix(&root)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                long.push(format!("{shown}:{line} `{name}`: {len} lines"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them into steps):\n{}",
        long.join("\n")
    );
}

/// The rule itself, on text: it must see a long function, at any depth,
/// and pass over test modules.
#[test]
fn the_length_rule_finds_long_functions_and_skips_tests() {
    let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
    let text = format!(
        "fn short() {{\n}}\n\nimpl A {{\n    pub(crate) async fn long(\n        a: u8,\n    ) {{\n{body}    }}\n}}\n\n#[cfg(test)]\nmod tests {{\n    fn long_test() {{\n{body}    }}\n}}\n"
    );
    assert_eq!(
        long_functions(&text),
        vec![(5, "long".to_owned(), MAX_FN_LINES + 4)]
    );
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry is readable").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Each function over the limit outside `#[cfg(test)]` modules: its line
/// (from 1), name and length. The code is rustfmt's, so a function ends at
/// the first line that is its own indentation and `}`.
fn long_functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "#[cfg(test)]" {
            if let Some(end) = lines
                .get(i + 1)
                .and_then(|next| test_module_end(&lines, i + 1, next))
            {
                i = end + 1;
                continue;
            }
        }
        if let Some((indent, name)) = function_start(lines[i]) {
            let close = format!("{indent}}}");
            let end = (i..lines.len()).find(|&j| lines[j] == close);
            if let Some(end) = end.filter(|_| !lines[i].trim_end().ends_with(';')) {
                let len = end - i + 1;
                if len > MAX_FN_LINES {
                    found.push((i + 1, name, len));
                }
            }
        }
        i += 1;
    }
    found
}

/// Where the test module opening at `start` ends.
fn test_module_end(lines: &[&str], start: usize, line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    if !(trimmed.starts_with("mod ") && trimmed.ends_with('{')) {
        return None;
    }
    let close = format!("{}}}", &line[..line.len() - trimmed.len()]);
    (start..lines.len()).find(|&j| lines[j] == close)
}

/// The indentation and name of a line that starts a function.
fn function_start(line: &str) -> Option<(&str, String)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let mut rest = trimmed;
    if let Some(after) = rest.strip_prefix("pub") {
        rest = match after.strip_prefix('(') {
            Some(scoped) => scoped.split_once(')')?.1.trim_start(),
            None => after.trim_start(),
        };
    }
    for qualifier in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    let name = rest.strip_prefix("fn ")?;
    let name: String = name
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some((indent, name))
}
