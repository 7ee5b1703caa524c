//! Turns spec prose into rustdoc that renders cleanly under
//! `RUSTDOCFLAGS="-D warnings"` and `clippy -D warnings`.
//!
//! Tencent's descriptions mix Markdown, HTML fragments (`<br>`, `<li>`,
//! `<Common request parameters>`), bare URLs, bracketed text that rustdoc
//! would take for intra-doc links, and fenced or indented text that rustdoc
//! would compile as doctests. Each of those is neutralised here; code spans
//! and fenced blocks are kept verbatim.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Where a document the generator writes is read, which decides how it
/// links to the runtime's docs: rustdoc resolves item paths, while a README
/// (crates.io, GitHub) needs web addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The crate's rustdoc.
    Rustdoc,
    /// A README.
    Web,
}

/// The runtime's docs on docs.rs, which READMEs link to.
const RUNTIME_DOCS: &str = "https://docs.rs/tencentcloud-runtime/latest/tencentcloud_runtime/";

impl Reader {
    /// A link to the runtime item at `path` (`json::Serde`, `credentials`;
    /// empty for the crate), whose docs.rs page below the crate root is
    /// `page` (`json/struct.Serde.html`, `credentials/`); `text` is Markdown.
    pub fn runtime_link(self, text: &str, path: &str, page: &str) -> String {
        match self {
            Reader::Rustdoc => {
                let target = match path {
                    "" => "tencentcloud_runtime".to_owned(),
                    path => format!("tencentcloud_runtime::{path}"),
                };
                // rustdoc rejects a target that repeats the text.
                if text == format!("`{target}`") {
                    format!("[{text}]")
                } else {
                    format!("[{text}]({target})")
                }
            }
            Reader::Web => format!("[{text}]({RUNTIME_DOCS}{page})"),
        }
    }
}

/// `#[doc = …]` attributes for `text`, one per line.
pub fn attrs(text: &str) -> TokenStream {
    lines_to_attrs(&lines(text))
}

/// `#[doc = …]` attributes for already-prepared lines.
pub fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let attrs = literals(lines).map(|line| quote!(#[doc = #line]));
    quote!(#(#attrs)*)
}

/// `#![doc = …]` attributes (module docs) for already-prepared lines.
pub fn inner_attrs(lines: &[String]) -> TokenStream {
    let attrs = literals(lines).map(|line| quote!(#![doc = #line]));
    quote!(#(#attrs)*)
}

/// Each line as the literal of a doc attribute: `///` is followed by a
/// space, except on an empty line.
fn literals(lines: &[String]) -> impl Iterator<Item = Literal> + '_ {
    lines.iter().map(|line| {
        if line.is_empty() {
            doc_literal("")
        } else {
            doc_literal(&format!(" {line}"))
        }
    })
}

/// A doc line as a raw string literal (`r"…"`, with as many `#` as it
/// needs). Docs are mostly Chinese; an ordinary literal escapes and
/// unescapes every character on its way through `syn` and `prettyplease`,
/// which was a tenth of the generator's time. The printed `///` line is the
/// same either way.
fn doc_literal(line: &str) -> Literal {
    let hashes = line
        .match_indices('"')
        .map(|(at, _)| line[at + 1..].len() - line[at + 1..].trim_start_matches('#').len() + 1)
        .max()
        .unwrap_or(0);
    // A raw string cannot hold a bare carriage return, nor more than 255 `#`.
    if line.contains('\r') || hashes > 255 {
        return Literal::string(line);
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{line}\"{fence}")
        .parse()
        .expect("a raw string fenced with more `#` than any `\"#…` run inside it is a literal")
}

/// The cleaned lines of `text`, without leading or trailing blank lines.
pub fn lines(text: &str) -> Vec<String> {
    let text = convert_html(&text.replace("\r\n", "\n").replace('\t', "    "));
    let mut out: Vec<String> = Vec::new();
    let mut fence_open = false;
    let mut in_list = false;
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            // Never a doctest: whatever the language, show it as text.
            out.push(if fence_open {
                "```".into()
            } else {
                "```text".into()
            });
            fence_open = !fence_open;
            continue;
        }
        if fence_open {
            out.push(raw.trim_end().to_owned());
            continue;
        }
        if trimmed.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            in_list = false;
            continue;
        }
        let is_item = is_list_item(trimmed);
        // A plain line right after a list item would be a "lazy
        // continuation"; end the list instead.
        if in_list && !is_item {
            out.push(String::new());
        }
        in_list = is_item;
        let line = if is_item {
            item_with_one_space(trimmed)
        } else {
            trimmed.to_owned()
        };
        out.push(escape_inline(&line));
    }
    if fence_open {
        out.push("```".into());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Turns the HTML Tencent's descriptions use into Markdown: breaks and list
/// items into lines, emphasis into `**`, links into text plus an autolink,
/// and drops presentational tags (`<font color=…>`). Anything else that looks
/// like a tag is left for [`escape_inline`] to show literally.
fn convert_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut link: Option<String> = None;
    while let Some(at) = rest.find(['<', '`']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(code) = tail.strip_prefix('`') {
            // Code is verbatim: a fenced block up to its closing fence, a
            // span up to its closing tick on the same line.
            let len = match code.strip_prefix("``") {
                Some(block) => block.find("```").map_or(tail.len(), |end| end + 6),
                None => code
                    .find(['`', '\n'])
                    .filter(|&end| code[end..].starts_with('`'))
                    .map_or(1, |end| end + 2),
            };
            out.push_str(&tail[..len]);
            rest = &tail[len..];
            continue;
        }
        let Some((tag, len)) = parse_tag(tail) else {
            out.push('<');
            rest = &tail[1..];
            continue;
        };
        match (tag.name.as_str(), tag.closing) {
            ("br", _) | ("p" | "div" | "ul" | "ol" | "tr", _) => out.push('\n'),
            ("li", false) => out.push_str("\n- "),
            ("li" | "font" | "span" | "u" | "td" | "th" | "table" | "tbody" | "thead", _) => {}
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("code", _) => out.push('`'),
            ("a", false) => link = tag.href,
            ("a", true) => {
                if let Some(url) = link.take().filter(|u| u.starts_with("http")) {
                    out.push_str(&format!(" ({url})"));
                }
            }
            _ => out.push_str(&tail[..len]),
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// A recognised HTML tag at the start of `s`.
struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
}

/// Parses `<name attrs>` / `</name>` / `<name/>` at the start of `s`, for a
/// small set of tag names; returns the tag and its length.
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    const KNOWN: &[&str] = &[
        "a", "b", "br", "code", "div", "em", "font", "i", "li", "ol", "p", "span", "strong",
        "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
    ];
    let end = s.find('>')?;
    let inner = s[1..end].trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, inner),
    };
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim_end();
    let name_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_len].to_ascii_lowercase();
    let attrs = &inner[name_len..];
    if !KNOWN.contains(&name.as_str())
        || !(attrs.is_empty() || attrs.starts_with(char::is_whitespace))
    {
        return None;
    }
    let href = attrs.find("href=").and_then(|at| {
        let value = &attrs[at + 5..];
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &value[1..];
        value.find(quote).map(|close| value[..close].to_owned())
    });
    Some((
        Tag {
            name,
            closing,
            href,
        },
        end + 1,
    ))
}

/// A list item with one space after its marker: text four or more spaces
/// after it would be an indented code block, which rustdoc tries to parse
/// as Rust (faceid's `-     -9101 身份证边框不完整告警，`).
fn item_with_one_space(line: &str) -> String {
    match line.split_once(' ') {
        Some((marker, text)) => format!("{marker} {}", text.trim_start()),
        None => line.to_owned(),
    }
}

fn is_list_item(line: &str) -> bool {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && digits < 10 && {
        let after = &line[digits..];
        after.starts_with(". ") || after.starts_with(") ")
    }
}

/// Escapes one line outside code spans: HTML-ish `<…>`, link-ish `[…]`,
/// bare URLs (made into autolinks), stray backticks.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            match after.find('`') {
                Some(end) if end > 0 => {
                    out.push_str(&rest[..end + 2]);
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push_str("\\`");
                    rest = after;
                }
            }
            continue;
        }
        if let Some(link_len) = markdown_link_len(rest) {
            out.push_str(&rest[..link_len]);
            rest = &rest[link_len..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let len = url_len(rest);
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        let c = rest
            .chars()
            .next()
            .expect("loop runs while rest is non-empty");
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of a well-formed `[text](http…)` link at the start of `s`.
fn markdown_link_len(s: &str) -> Option<usize> {
    let text_end = s.strip_prefix('[')?.find("](")? + 1;
    let text = &s[1..text_end];
    if text.contains(['[', ']', '`', '<', '>']) {
        return None;
    }
    let target = &s[text_end + 2..];
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let url = url_len(target);
    target[url..]
        .starts_with(')')
        .then_some(text_end + 2 + url + 1)
}

/// The length of the URL at the start of `s`, without trailing punctuation.
fn url_len(s: &str) -> usize {
    let end = s
        .find(|c: char| c.is_whitespace() || !c.is_ascii() || "<>\"'`()[]{}|\\^".contains(c))
        .unwrap_or(s.len());
    s[..end]
        .trim_end_matches(['.', ',', ';', ':', '!', '?'])
        .len()
}

#[cfg(test)]
mod tests {
    use super::{doc_literal, lines};

    /// The raw literal prints the same `///` line as an ordinary one.
    #[test]
    fn doc_literals_print_like_ordinary_strings() {
        let long_fence = format!("x\"{}y", "#".repeat(300));
        let table = [
            "",
            " 房间名称。",
            " a \"quoted\" word",
            " ends with \"# and \"## runs",
            " back\\slash \\n and \\u{1F600} kept",
            " tab\tand nul\0 and bell\u{7}",
            " bare \r return",
            " emoji 😀 and braces {}",
            &long_fence,
        ];
        for line in table {
            let raw = doc_literal(line);
            let cooked = proc_macro2::Literal::string(line);
            let print = |lit| {
                let file = syn::parse2(quote::quote!(#[doc = #lit] struct S;)).expect("parses");
                prettyplease::unparse(&file)
            };
            assert_eq!(print(raw), print(cooked), "{line:?}");
        }
    }

    /// Each spec text, cleaned, is the expected doc text.
    fn check(table: &[(&str, &str)]) {
        for (text, expected) in table {
            assert_eq!(lines(text).join("\n"), *expected, "{text:?}");
        }
    }

    #[test]
    fn html_fragments_are_escaped_or_turned_into_breaks() {
        check(&[
            ("a<br>b<br/>c", "a\nb\nc"),
            (
                "<Common request parameters>",
                "&lt;Common request parameters&gt;",
            ),
            ("x < 5 and y > 3", "x &lt; 5 and y &gt; 3"),
            ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
            (
                "<font color='red'>red</font> and <b>bold</b>",
                "red and **bold**",
            ),
            (
                "see <a href=\"https://a.b/c\">the docs</a>.",
                "see the docs (<https://a.b/c>).",
            ),
            ("<foo bar>", "&lt;foo bar&gt;"),
        ]);
    }

    #[test]
    fn code_spans_are_verbatim() {
        check(&[
            ("use `<b>` and `[x]`", "use `<b>` and `[x]`"),
            ("stray ` tick <x>", "stray \\` tick &lt;x&gt;"),
        ]);
    }

    #[test]
    fn urls_become_autolinks() {
        check(&[
            (
                "see https://cloud.tencent.com/document/api/1.html.",
                "see <https://cloud.tencent.com/document/api/1.html>.",
            ),
            ("链接：https://a.b/c，完", "链接：<https://a.b/c>，完"),
            ("[docs](https://a.b/c) here", "[docs](https://a.b/c) here"),
        ]);
    }

    #[test]
    fn brackets_are_not_links() {
        check(&[
            ("[azsdasfsdfsd,asefawefew]", "\\[azsdasfsdfsd,asefawefew\\]"),
            ("Vec[RoomInfo]", "Vec\\[RoomInfo\\]"),
        ]);
    }

    #[test]
    fn code_never_becomes_a_doctest() {
        check(&[
            ("```json\n{\"a\": 1}\n```", "```text\n{\"a\": 1}\n```"),
            ("```\nunclosed", "```text\nunclosed\n```"),
            ("text\n    indented code", "text\nindented code"),
            // faceid 2018-03-01: an item's text four spaces after its marker.
            (
                "-     -9101 边框告警，\n-     -9102 复印件告警，",
                "- -9101 边框告警，\n- -9102 复印件告警，",
            ),
            ("1.      one", "1. one"),
        ]);
    }

    #[test]
    fn lists_do_not_lazily_continue() {
        check(&[
            ("1. first\nmore\n2. second", "1. first\n\nmore\n2. second"),
            ("- a\n- b\nafter", "- a\n- b\n\nafter"),
        ]);
    }

    #[test]
    fn blank_lines_collapse_and_trim() {
        check(&[("\n\na\n\n\n\nb\n\n", "a\n\nb")]);
        assert_eq!(lines("   "), Vec::<String>::new());
    }
}
