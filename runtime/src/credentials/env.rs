//! The environment provider: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`
//! and `TENCENTCLOUD_SESSION_TOKEN`, first in the default chain so that
//! containers and CI can inject keys without files.

use super::error::{incomplete, not_set};
use super::{non_empty, process_env, Credentials, CredentialsError, Lookup, ProvideCredentials};
use crate::shared::BoxFuture;
use std::fmt;

/// Environment variable holding the secret id.
pub(crate) const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Environment variable holding the secret key.
pub(crate) const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Environment variable holding an optional temporary session token.
pub(crate) const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// The provider's name in messages.
const NAME: &str = "environment";

/// Reads credentials from the environment.
///
/// Returns `Ok(None)` when neither id nor key is set (empty counts as unset).
pub fn from_env() -> Result<Option<Credentials>, CredentialsError> {
    from_env_with(&*process_env())
}

/// [`from_env`] with an injectable lookup.
pub(crate) fn from_env_with(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
    let id = non_empty(get, ENV_SECRET_ID);
    let key = non_empty(get, ENV_SECRET_KEY);
    let token = non_empty(get, ENV_SESSION_TOKEN);
    let creds = match (id, key) {
        (None, None) => return Ok(None),
        (Some(_), None) => return Err(incomplete(NAME, ENV_SECRET_KEY)),
        (None, Some(_)) => return Err(incomplete(NAME, ENV_SECRET_ID)),
        (Some(id), Some(key)) => Credentials::new(id, key),
    };
    Ok(Some(match token {
        Some(token) => creds.with_token(token),
        None => creds,
    }))
}

/// Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and
/// (for temporary keys) `TENCENTCLOUD_SESSION_TOKEN`, read at each fetch.
#[derive(Clone, Default)]
pub struct EnvProvider {
    get: Lookup,
}

impl EnvProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn with_lookup(get: Lookup) -> Self {
        EnvProvider { get }
    }
}

impl fmt::Debug for EnvProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvProvider")
    }
}

impl ProvideCredentials for EnvProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let found = from_env_with(&*self.get).and_then(|found| {
            found.ok_or_else(|| {
                not_set(
                    NAME,
                    format!("{ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"),
                )
            })
        });
        Box::pin(async move { found })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn env_complete_with_token() {
        let creds = from_env_with(&*env(&[
            (ENV_SECRET_ID, ID),
            (ENV_SECRET_KEY, KEY),
            (ENV_SESSION_TOKEN, TOKEN),
        ]))
        .expect("ok")
        .expect("some");
        assert_eq!(creds.secret_id(), ID);
        assert_eq!(creds.secret_key(), KEY);
        assert_eq!(creds.token(), Some(TOKEN));
    }

    #[test]
    fn env_complete_without_token() {
        let creds = from_env_with(&*env(&[
            (ENV_SECRET_ID, ID),
            (ENV_SECRET_KEY, KEY),
            (ENV_SESSION_TOKEN, ""),
        ]))
        .expect("ok")
        .expect("some");
        assert_eq!(creds.token(), None);
    }

    #[test]
    fn env_unset_or_empty_is_none() {
        assert!(from_env_with(&*env(&[])).expect("ok").is_none());
        let empty = env(&[(ENV_SECRET_ID, ""), (ENV_SECRET_KEY, "")]);
        assert!(from_env_with(&*empty).expect("ok").is_none());
    }

    #[test]
    fn env_partial_is_incomplete() {
        let only_key = from_env_with(&*env(&[(ENV_SECRET_ID, ""), (ENV_SECRET_KEY, KEY)]));
        let err = only_key.expect_err("incomplete");
        assert!(matches!(
            err,
            CredentialsError::Incomplete {
                missing: ENV_SECRET_ID,
                ..
            }
        ));
        assert_no_secret(&err.to_string());

        let only_id = from_env_with(&*env(&[(ENV_SECRET_ID, ID), (ENV_SESSION_TOKEN, TOKEN)]));
        let err = only_id.expect_err("incomplete");
        assert!(matches!(
            err,
            CredentialsError::Incomplete {
                missing: ENV_SECRET_KEY,
                ..
            }
        ));
        assert!(err.to_string().contains("environment"));
        assert_no_secret(&err.to_string());
    }

    #[tokio::test]
    async fn provider_says_what_is_not_set() {
        let provider = EnvProvider::with_lookup(env(&[]));
        let err = provider.provide().await.expect_err("nothing set");
        assert!(err.lets_chain_continue());
        assert_eq!(
            err.to_string(),
            "environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set"
        );
        let provider = EnvProvider::with_lookup(env(&[(ENV_SECRET_ID, ID), (ENV_SECRET_KEY, KEY)]));
        assert_eq!(provider.provide().await.unwrap().secret_id(), ID);
    }
}
