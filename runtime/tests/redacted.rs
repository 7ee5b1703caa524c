//! [`Redacted`] as generated models use it: a field of a hand-written
//! `debug_struct`, named by its public path.

use std::fmt;

/// A model with a secret member, its `Debug` written as the generator writes it.
struct Account {
    user_name: String,
    password: Option<String>,
    secret_keys: Option<Vec<String>>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("user_name", &self.user_name)
            .field("password", &tencentcloud_runtime::Redacted(&self.password))
            .field(
                "secret_keys",
                &tencentcloud_runtime::Redacted(&self.secret_keys),
            )
            .finish()
    }
}

#[test]
fn a_models_debug_shows_whether_secrets_are_set_never_their_value() {
    let account = Account {
        user_name: "ops".into(),
        password: Some("hunter2".into()),
        secret_keys: None,
    };
    assert_eq!(
        format!("{account:?}"),
        r#"Account { user_name: "ops", password: <redacted>, secret_keys: None }"#
    );
    let pretty = format!("{account:#?}");
    assert!(!pretty.contains("hunter2"), "{pretty}");
    assert!(pretty.contains("password: <redacted>,"), "{pretty}");
    let keys = Account {
        secret_keys: Some(vec!["AKIDsecret".into()]),
        ..account
    };
    let shown = format!("{keys:?}");
    assert!(
        !shown.contains("AKIDsecret") && shown.contains("secret_keys: <redacted>"),
        "{shown}"
    );
}
