//! [`Redacted`]: how a generated model's `Debug` shows a secret member
//! (a password, a secret key, a token) without its value.

use std::fmt;
use tencentcloud_json::ToJson;

/// Prints a secret member in a `Debug` impl without its value: `None` when it is unset, `<redacted>` when set.
///
/// Unset is what encoding leaves out ([`ToJson::is_unset`]): an empty
/// `Option`, a JSON `null`. Anything else, an empty string included,
/// prints `<redacted>`, so not even a value's length or shape shows.
///
/// ```
/// use tencentcloud_runtime::Redacted;
///
/// struct Login { user: String, password: Option<String> }
///
/// impl std::fmt::Debug for Login {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.debug_struct("Login")
///             .field("user", &self.user)
///             .field("password", &Redacted(&self.password))
///             .finish()
///     }
/// }
///
/// let login = Login { user: "ops".into(), password: Some("hunter2".into()) };
/// assert_eq!(format!("{login:?}"), r#"Login { user: "ops", password: <redacted> }"#);
/// ```
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

impl<T: ToJson + ?Sized> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Whether a secret is set is worth showing (an unset password
        // explains a failed login); the value never is.
        f.write_str(if self.0.is_unset() {
            "None"
        } else {
            "<redacted>"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `Debug` of `value` through [`Redacted`], plain and pretty.
    fn shown<T: ToJson + ?Sized>(value: &T) -> [String; 2] {
        [
            format!("{:?}", Redacted(value)),
            format!("{:#?}", Redacted(value)),
        ]
    }

    #[test]
    fn a_set_secret_shows_no_value() {
        let password = Some("hunter2".to_string());
        assert_eq!(format!("{:?}", Redacted(&password)), "<redacted>");
        let secret = || "hunter2".to_string();
        let shown = [
            shown(&password),
            shown(&secret()),
            shown(secret().as_str()),
            shown(&vec![secret()]),
            shown(&Some(vec![secret()])),
            shown(&json!({"Password": secret()})),
            // Numbers can be secrets too (a PIN); an empty one says nothing.
            shown(&1234i64),
            shown(&String::new()),
        ];
        for text in shown.iter().flatten() {
            assert_eq!(text, "<redacted>");
        }
    }

    #[test]
    fn an_unset_secret_shows_none() {
        for text in shown(&None::<String>)
            .into_iter()
            .chain(shown(&None::<Vec<String>>))
            .chain(shown(&serde_json::Value::Null))
        {
            assert_eq!(text, "None");
        }
    }
}
