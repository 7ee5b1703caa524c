//! Why credentials could not be obtained.

use crate::shared::{TransportError, TransportErrorKind};
use std::io;
use std::path::PathBuf;

/// Why credentials could not be obtained, worded so the user can fix their
/// configuration; no variant ever carries a secret value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No provider of a chain yielded credentials; lists what each said.
    #[error("no Tencent Cloud credentials found; tried: {}", .tried.join("; "))]
    NotFound {
        /// Each provider tried, in order, with what it said.
        tried: Vec<String>,
    },
    /// The provider's source is not set up here (no variables, no file, no
    /// role): a chain moves on to its next provider.
    #[error("{provider}: {reason}")]
    NotSet {
        /// The provider.
        provider: String,
        /// What is missing.
        reason: String,
    },
    /// A source had only part of what it needs, which is almost always a
    /// configuration mistake rather than a reason to silently fall through.
    #[error("incomplete Tencent Cloud credentials in {origin}: {missing} is missing or empty")]
    Incomplete {
        /// The source that was incomplete (named `origin` because thiserror
        /// treats a field named `source` as the underlying error).
        origin: String,
        /// Name of the missing variable or key.
        missing: &'static str,
    },
    /// The profile file exists but could not be read.
    #[error("cannot read Tencent Cloud credentials file {}", .path.display())]
    ProfileRead {
        /// File that could not be read.
        path: PathBuf,
        /// Underlying I/O failure.
        #[source]
        source: io::Error,
    },
    /// A line of the `[default]` section could not be understood.
    #[error("malformed Tencent Cloud credentials file {} at line {line}: {message}", .path.display())]
    ProfileParse {
        /// File being parsed.
        path: PathBuf,
        /// 1-based line number of the offending line.
        line: usize,
        /// What was wrong; never quotes the line, which may hold a secret.
        message: String,
    },
    /// The instance metadata service is unreachable, too slow, has no role or
    /// answered something else than credentials: not on a CVM with a role,
    /// so a chain moves on.
    #[error("CVM role: {reason} ({url})")]
    Metadata {
        /// The URL asked.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The OIDC web identity token file could not be read.
    #[error("{provider}: cannot read the web identity token file {}", .path.display())]
    TokenFile {
        /// The provider.
        provider: String,
        /// The file.
        path: PathBuf,
        /// Underlying I/O failure.
        #[source]
        source: io::Error,
    },
    /// A provider setting is out of range (e.g. an STS duration over 12 hours).
    #[error("{provider}: {message}")]
    InvalidSetting {
        /// The provider.
        provider: String,
        /// What is wrong.
        message: String,
    },
    /// STS answered with an error code.
    #[error("{provider}: {action} failed: {code}: {message} (request id {request_id})")]
    Sts {
        /// The provider.
        provider: String,
        /// The STS action.
        action: &'static str,
        /// The error code, e.g. `AuthFailure.SecretIdNotFound`.
        code: String,
        /// STS's message.
        message: String,
        /// The request id, for Tencent support.
        request_id: String,
    },
    /// STS could not be reached or its answer not understood.
    #[error("{provider}: {action}: {reason}")]
    StsFailed {
        /// The provider.
        provider: String,
        /// The STS action.
        action: &'static str,
        /// What went wrong; never quotes the answer, which may hold keys.
        reason: String,
    },
    /// The provider handed out credentials that had already expired; they
    /// are not used to sign anything.
    #[error("{provider} gave credentials that have already expired")]
    Expired {
        /// The provider.
        provider: String,
    },
    /// Fetching or refreshing the client's credentials failed.
    #[error("cannot get Tencent Cloud credentials from {provider}: {source}")]
    Refresh {
        /// The provider of the client.
        provider: String,
        /// What it said.
        #[source]
        source: Box<CredentialsError>,
    },
}

impl CredentialsError {
    /// Whether a chain should try its next provider after this error: the
    /// provider's source is simply not there. Configuration mistakes and
    /// failures of a configured source stop the chain instead, rather than
    /// silently continuing with another identity.
    pub fn lets_chain_continue(&self) -> bool {
        matches!(
            self,
            CredentialsError::NotSet { .. }
                | CredentialsError::NotFound { .. }
                | CredentialsError::Metadata { .. }
        )
    }
}

impl CredentialsError {
    /// A copy of this error, for each caller that waited for the same fetch
    /// (an I/O error is copied as its kind and message).
    pub(crate) fn duplicate(&self) -> Self {
        use CredentialsError::*;
        let io = |e: &io::Error| io::Error::new(e.kind(), e.to_string());
        match self {
            NotFound { tried } => NotFound {
                tried: tried.clone(),
            },
            NotSet { provider, reason } => not_set(provider, reason.clone()),
            Incomplete { origin, missing } => incomplete(origin, missing),
            ProfileRead { path, source } => ProfileRead {
                path: path.clone(),
                source: io(source),
            },
            ProfileParse {
                path,
                line,
                message,
            } => ProfileParse {
                path: path.clone(),
                line: *line,
                message: message.clone(),
            },
            Metadata { url, reason } => Metadata {
                url: url.clone(),
                reason: reason.clone(),
            },
            TokenFile {
                provider,
                path,
                source,
            } => TokenFile {
                provider: provider.clone(),
                path: path.clone(),
                source: io(source),
            },
            InvalidSetting { provider, message } => InvalidSetting {
                provider: provider.clone(),
                message: message.clone(),
            },
            Sts {
                provider,
                action,
                code,
                message,
                request_id,
            } => Sts {
                provider: provider.clone(),
                action,
                code: code.clone(),
                message: message.clone(),
                request_id: request_id.clone(),
            },
            StsFailed {
                provider,
                action,
                reason,
            } => StsFailed {
                provider: provider.clone(),
                action,
                reason: reason.clone(),
            },
            Expired { provider } => Expired {
                provider: provider.clone(),
            },
            Refresh { provider, source } => Refresh {
                provider: provider.clone(),
                source: Box::new(source.duplicate()),
            },
        }
    }
}

/// Builds an [`CredentialsError::Incomplete`].
pub(crate) fn incomplete(origin: &str, missing: &'static str) -> CredentialsError {
    CredentialsError::Incomplete {
        origin: origin.to_string(),
        missing,
    }
}

/// Builds a [`CredentialsError::NotSet`].
pub(crate) fn not_set(provider: &str, reason: impl Into<String>) -> CredentialsError {
    CredentialsError::NotSet {
        provider: provider.to_string(),
        reason: reason.into(),
    }
}

/// `err` as a transport reports it: no credentials, so nothing was sent.
pub(crate) fn no_credentials(err: CredentialsError) -> TransportError {
    TransportError::new(
        TransportErrorKind::Credentials,
        err.to_string(),
        Some(Box::new(err)),
    )
}

impl TransportError {
    /// Why no credentials could be obtained, for a
    /// [`Credentials`](TransportErrorKind::Credentials) error.
    pub fn credentials_error(&self) -> Option<&CredentialsError> {
        std::error::Error::source(self)?.downcast_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_says_the_same() {
        let read = CredentialsError::ProfileRead {
            path: "/x".into(),
            source: io::Error::new(io::ErrorKind::PermissionDenied, "denied"),
        };
        let sts = CredentialsError::Sts {
            provider: "role ARN".into(),
            action: "AssumeRole",
            code: "AuthFailure".into(),
            message: "no".into(),
            request_id: "r".into(),
        };
        let refresh = CredentialsError::Refresh {
            provider: "chain".into(),
            source: Box::new(read.duplicate()),
        };
        for err in [read, sts, refresh, incomplete("environment", "X")] {
            let copy = err.duplicate();
            assert_eq!(copy.to_string(), err.to_string());
            assert_eq!(format!("{copy:?}").len(), format!("{err:?}").len());
        }
    }

    #[test]
    fn a_transport_error_keeps_the_credentials_error() {
        let err = no_credentials(not_set("environment", "nothing is set"));
        assert_eq!(err.kind(), TransportErrorKind::Credentials);
        assert_eq!(err.to_string(), "environment: nothing is set");
        assert!(matches!(
            err.credentials_error(),
            Some(CredentialsError::NotSet { .. })
        ));
        let other = TransportError::new(TransportErrorKind::NotSent, "refused", None);
        assert!(other.credentials_error().is_none());
    }
}
