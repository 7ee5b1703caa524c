//! Where the pages of a page-number action start: 0 or 1. Tencent's APIs do
//! both (ccc `DescribeNumbers` documents "页数，从0开始", most others "从1开始"),
//! and a paginator that starts at 1 on a 0-based API skips the first page.
//!
//! The number is learned from the spec, first fit wins:
//!
//! 1. `overlay.json`'s `first_page` for the action;
//! 2. the page member's docs, by the phrases of [`ZERO`] and [`ONE`] (a
//!    phrase ending in a digit must not be followed by another: `默认值：10`
//!    says nothing); docs that say both say nothing;
//! 3. the examples: the member's own example and the page numbers the
//!    action's request examples send. An example of page 0 means 0-based (a
//!    1-based API has no page 0); otherwise an example of page 1 means
//!    1-based.
//!
//! When none of them says, the first page is [`FirstPage::Unknown`]: the
//! paginator asks the caller to set it rather than guess.

use serde_json::Value;

/// Phrases that say the first page is 0, compared with the docs lower-cased,
/// without markup or white space, full-width punctuation made ASCII.
pub const ZERO: &[&str] = &[
    "从0开始",
    "0开始",
    "0表示第一页",
    "第一页为0",
    "起始页为0",
    "起始值为0",
    "默认值:0",
    "默认值为0",
    "默认为0",
    "默认0",
    ">=0",
    "≥0",
    "startingfrom0",
    "startsfrom0",
    "startfrom0",
    "startingat0",
    "startsat0",
    "beginningfrom0",
    "beginsfrom0",
    "beginsat0",
    "0-based",
    "defaultvalue:0",
    "defaultvalueis0",
    "defaultsto0",
    "0bydefault",
    "minimumvalue:0",
    "minimumvalueis0",
    "from0to",
    "[0,",
];

/// Phrases that say the first page is 1 (read as [`ZERO`]'s).
pub const ONE: &[&str] = &[
    "从1开始",
    "1开始",
    "1表示第一页",
    "第一页为1",
    "起始页为1",
    "起始值为1",
    "默认值:1",
    "默认值为1",
    "默认为1",
    "默认1",
    ">=1",
    "≥1",
    "最小值为1",
    "最小值:1",
    "最小为1",
    "startingfrom1",
    "startsfrom1",
    "startfrom1",
    "startingat1",
    "startsat1",
    "beginningfrom1",
    "beginsfrom1",
    "beginsat1",
    "1-based",
    "defaultvalue:1",
    "defaultvalueis1",
    "defaultsto1",
    "1bydefault",
    "minimumvalue:1",
    "minimumvalueis1",
    "valuerange:1",
    "valuerangesfrom1",
    "from1to",
    "[1,",
];

/// The first page of a page-number action, and what said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstPage {
    /// Pages count from 0.
    Zero(Source),
    /// Pages count from 1.
    One(Source),
    /// The spec does not say: the caller must set the first page.
    Unknown,
}

/// What a [`FirstPage`] was learned from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `overlay.json`.
    Overlay,
    /// The page member's docs.
    Docs,
    /// The member's example or the action's request examples.
    Examples,
}

impl FirstPage {
    /// The page number, when known.
    pub fn number(self) -> Option<u64> {
        match self {
            FirstPage::Zero(_) => Some(0),
            FirstPage::One(_) => Some(1),
            FirstPage::Unknown => None,
        }
    }

    /// Where the number comes from, for docs and reports.
    pub fn source(self) -> Option<Source> {
        match self {
            FirstPage::Zero(source) | FirstPage::One(source) => Some(source),
            FirstPage::Unknown => None,
        }
    }

    fn of(number: u64, source: Source) -> FirstPage {
        if number == 0 {
            FirstPage::Zero(source)
        } else {
            FirstPage::One(source)
        }
    }
}

impl Source {
    /// In a sentence: "its docs", "the overlay"…
    pub fn describe(self) -> &'static str {
        match self {
            Source::Overlay => "this project's `overlay.json`",
            Source::Docs => "the member's docs",
            Source::Examples => "the spec's examples",
        }
    }
}

/// The first page of a page member documented as `doc`, whose examples
/// (the member's own and those the request examples send) are `examples`,
/// with the overlay's word `overlay` (already checked to be 0 or 1).
pub fn learn(overlay: Option<u64>, doc: &str, examples: &[u64]) -> FirstPage {
    if let Some(number) = overlay {
        return FirstPage::of(number, Source::Overlay);
    }
    let text = normalise(doc);
    match (says(&text, ZERO), says(&text, ONE)) {
        (true, false) => return FirstPage::Zero(Source::Docs),
        (false, true) => return FirstPage::One(Source::Docs),
        _ => {}
    }
    if examples.contains(&0) {
        FirstPage::Zero(Source::Examples)
    } else if examples.contains(&1) {
        FirstPage::One(Source::Examples)
    } else {
        FirstPage::Unknown
    }
}

/// A page number an example gives: a non-negative integer, written as a
/// JSON number or a string of digits.
pub fn example_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The page number each request example of an action sends as `member`.
pub fn sent_in_examples<'a>(
    bodies: impl Iterator<Item = &'a str> + 'a,
    member: &'a str,
) -> impl Iterator<Item = u64> + 'a {
    bodies.filter_map(move |body| {
        let value: Value = serde_json::from_str(body).ok()?;
        example_number(value.get(member)?)
    })
}

/// `doc` as the phrase tables read it.
fn normalise(doc: &str) -> String {
    let mut text = String::with_capacity(doc.len());
    let mut in_tag = false;
    for c in doc.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag || c.is_whitespace() => {}
            '：' => text.push(':'),
            '，' => text.push(','),
            '＞' => text.push('>'),
            '＝' => text.push('='),
            '［' | '【' => text.push('['),
            _ => text.extend(c.to_lowercase()),
        }
    }
    text
}

/// Whether `text` holds one of `phrases` as a whole number: no digit right
/// before a phrase that starts with one, or right after one that ends with one.
fn says(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|phrase| {
        text.match_indices(phrase).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + phrase.len()..].chars().next();
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            let starts = phrase.starts_with(|c: char| c.is_ascii_digit());
            let ends = phrase.ends_with(|c: char| c.is_ascii_digit());
            let longer_number = (starts && digit(before)) || (ends && digit(after));
            !longer_number
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_decide_before_examples() {
        let docs = FirstPage::Zero(Source::Docs);
        let one = FirstPage::One(Source::Docs);
        let cases: &[(&str, &[u64], FirstPage)] = &[
            ("<p>页数，从0开始</p>", &[1], docs),
            ("页码，从 1 开始", &[0], one),
            ("Page number, beginning from 1.", &[], one),
            ("Page number. Default value: 1. Minimum value: 1.", &[], one),
            ("Page number, which is 1 by default.", &[], one),
            ("<p>页码</p><p>默认值：0</p>", &[], docs),
            ("页数  取值范围：>=1", &[], one),
            ("Value range: 1-200.", &[], one),
            ("Starting from 0.", &[], docs),
            // A longer number says nothing: 10 is not 1, 20 not 0.
            ("每页条数，默认值：10", &[], FirstPage::Unknown),
            ("每页默认20条，起始值为10", &[], FirstPage::Unknown),
            // Both said: the docs are no help; examples decide.
            ("从0开始，默认为1", &[1], FirstPage::One(Source::Examples)),
            ("页码", &[0, 1, 2], FirstPage::Zero(Source::Examples)),
            ("页码", &[1, 2], FirstPage::One(Source::Examples)),
            ("页码", &[2], FirstPage::Unknown),
            ("Page number.", &[], FirstPage::Unknown),
        ];
        for (doc, examples, expected) in cases {
            assert_eq!(learn(None, doc, examples), *expected, "{doc} {examples:?}");
        }
    }

    #[test]
    fn the_overlay_decides_first() {
        assert_eq!(
            learn(Some(1), "页数，从0开始", &[0]),
            FirstPage::One(Source::Overlay)
        );
        assert_eq!(
            learn(Some(0), "从1开始", &[]),
            FirstPage::Zero(Source::Overlay)
        );
    }

    #[test]
    fn examples_are_read_as_numbers_or_digit_strings() {
        assert_eq!(example_number(&serde_json::json!("0")), Some(0));
        assert_eq!(example_number(&serde_json::json!(1)), Some(1));
        assert_eq!(example_number(&serde_json::json!("无")), None);
        assert_eq!(example_number(&serde_json::json!(-1)), None);
        let bodies = [
            r#"{"PageNumber": 0, "PageSize": 20}"#,
            "not json",
            r#"{"PageNumber": "1"}"#,
        ];
        let sent: Vec<u64> = sent_in_examples(bodies.into_iter(), "PageNumber").collect();
        assert_eq!(sent, [0, 1]);
    }
}
