//! Serde helpers that generated models name in their attributes.

use serde::{Deserialize, Deserializer};

/// Decodes `null` (and, with `#[serde(default)]`, a missing member) as
/// `T::default()`, so a response that leaves out a member the spec calls
/// required still decodes.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Probe {
        #[serde(default, deserialize_with = "super::null_as_default")]
        n: u64,
        #[serde(default, deserialize_with = "super::null_as_default")]
        s: Vec<String>,
    }

    #[test]
    fn null_and_missing_become_default() {
        let cases = [
            (r#"{}"#, Probe { n: 0, s: vec![] }),
            (r#"{"n": null, "s": null}"#, Probe { n: 0, s: vec![] }),
            (
                r#"{"n": 7, "s": ["a"]}"#,
                Probe {
                    n: 7,
                    s: vec!["a".into()],
                },
            ),
        ];
        for (json, want) in cases {
            assert_eq!(serde_json::from_str::<Probe>(json).unwrap(), want, "{json}");
        }
        assert!(serde_json::from_str::<Probe>(r#"{"n": "x"}"#).is_err());
    }
}
