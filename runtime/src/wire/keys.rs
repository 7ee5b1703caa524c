//! The keys a call is signed with: [`Credentials`]. Where they come from
//! (the providers, the cache) is the credentials layer's concern.

use crate::shared::setters;
use std::fmt;
use std::time::SystemTime;

/// Placeholder printed instead of any secret.
const MASK: &str = "***";

/// A secret id / secret key pair, plus a session token and an expiry for
/// temporary (STS) credentials, needed to sign every API request.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Builds long-lived credentials, e.g. from a secrets manager the caller
    /// already uses instead of the default chain.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            expires_at: None,
        }
    }

    setters! {
        /// Attaches the session token that temporary credentials require; the
        /// server rejects temporary keys sent without it.
        with_token(token: impl Into<String>) => token = Some(token.into());
        /// Records when temporary credentials stop working, so that the client
        /// refreshes them before then and never signs with them afterwards.
        with_expiry(expires_at: SystemTime) => expires_at = Some(expires_at);
    }

    /// Public identifier, sent in clear text in the `Authorization` header.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// Secret key, needed only to derive the request signature.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// Session token to send as `X-TC-Token`, present only for temporary credentials.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// When these credentials expire; `None` for long-lived keys.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Whether they have expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// Hand-written so that logging credentials can never reveal the key or token.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &MASK)
            .field("token", &self.token.as_ref().map(|_| MASK))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}
