//! Tencent Cloud credentials and the default provider chain.
//!
//! Mirrors the official Tencent Cloud SDKs: credentials come first from the
//! environment, then from the `[default]` section of an INI profile file, so
//! the same configuration works across SDKs and the CLI.
//!
//! Secrets are never printed: `Debug` masks them and error messages only name
//! sources, variables, paths and line numbers.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Environment variable holding the secret id.
const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Environment variable holding the secret key.
const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Environment variable holding an optional temporary session token.
const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// Environment variable overriding the profile file location.
const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// Profile section read by the default chain.
const DEFAULT_SECTION: &str = "default";
/// Placeholder printed instead of any secret.
const MASK: &str = "***";

/// A secret id / secret key pair, plus a session token for temporary (STS)
/// credentials, needed to sign every API request.
#[derive(Clone)]
pub struct Credentials {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
}

impl Credentials {
    /// Builds long-lived credentials, e.g. from a secrets manager the caller
    /// already uses instead of the default chain.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
        }
    }

    /// Attaches the session token that temporary credentials require; the
    /// server rejects temporary keys sent without it.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
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
}

/// Hand-written so that logging credentials can never reveal the key or token.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &MASK)
            .field("token", &self.token.as_ref().map(|_| MASK))
            .finish()
    }
}

/// Why credentials could not be obtained, worded so the user can fix their
/// configuration; no variant ever carries a secret value.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// No source had any credentials; lists what was looked at.
    #[error("no Tencent Cloud credentials found; tried: {}", .tried.join("; "))]
    NotFound {
        /// Human-readable description of each source tried, in order.
        tried: Vec<String>,
    },
    /// A source had only part of a credential pair, which is almost always a
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
}

/// Reads credentials from the environment, the first source of the chain, so
/// containers and CI can inject them without files.
///
/// Returns `Ok(None)` when neither id nor key is set (empty counts as unset).
pub fn from_env() -> Result<Option<Credentials>, CredentialsError> {
    from_env_with(process_env)
}

/// Reads the `[default]` section of an INI profile file, the same format the
/// Tencent Cloud CLI and other SDKs use.
///
/// Returns `Ok(None)` if the file does not exist or holds no credentials.
pub fn from_profile_file(path: &Path) -> Result<Option<Credentials>, CredentialsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CredentialsError::ProfileRead {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let section = parse_default_section(path, &text)?;
    section.into_credentials(&profile_source(path))
}

/// Locates the profile file: `TENCENTCLOUD_CREDENTIALS_FILE` if set, else
/// `~/.tencentcloud/credentials`; `None` when no home directory is known.
pub fn default_profile_path() -> Option<PathBuf> {
    default_profile_path_with(process_env)
}

/// Resolves credentials the way the official SDKs do (environment, then
/// profile file), so callers need no configuration code of their own.
pub fn default_chain() -> Result<Credentials, CredentialsError> {
    default_chain_with(process_env)
}

/// Looks up a process environment variable; non-UTF-8 values count as unset.
fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Looks up a variable, treating an empty value as unset.
fn non_empty(get: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    get(name).filter(|value| !value.is_empty())
}

/// [`from_env`] with an injectable lookup, so tests need not mutate the
/// shared process environment.
fn from_env_with(
    get: impl Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
    let id = non_empty(&get, ENV_SECRET_ID);
    let key = non_empty(&get, ENV_SECRET_KEY);
    let token = non_empty(&get, ENV_SESSION_TOKEN);
    let creds = match (id, key) {
        (None, None) => return Ok(None),
        (Some(_), None) => return Err(incomplete("environment", ENV_SECRET_KEY)),
        (None, Some(_)) => return Err(incomplete("environment", ENV_SECRET_ID)),
        (Some(id), Some(key)) => Credentials::new(id, key),
    };
    Ok(Some(match token {
        Some(token) => creds.with_token(token),
        None => creds,
    }))
}

/// [`default_profile_path`] with an injectable lookup.
fn default_profile_path_with(get: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(file) = non_empty(&get, ENV_CREDENTIALS_FILE) {
        return Some(PathBuf::from(file));
    }
    home_dir_with(&get, cfg!(windows)).map(|home| home.join(".tencentcloud").join("credentials"))
}

/// Home directory from `HOME`, falling back to `USERPROFILE` on Windows.
fn home_dir_with(get: &impl Fn(&str) -> Option<String>, windows: bool) -> Option<PathBuf> {
    non_empty(get, "HOME")
        .or_else(|| windows.then(|| non_empty(get, "USERPROFILE")).flatten())
        .map(PathBuf::from)
}

/// [`default_chain`] with an injectable lookup.
fn default_chain_with(
    get: impl Fn(&str) -> Option<String>,
) -> Result<Credentials, CredentialsError> {
    let mut tried = vec![format!("environment ({ENV_SECRET_ID}, {ENV_SECRET_KEY})")];
    if let Some(creds) = from_env_with(&get)? {
        return Ok(creds);
    }
    match default_profile_path_with(&get) {
        Some(path) => {
            if let Some(creds) = from_profile_file(&path)? {
                return Ok(creds);
            }
            tried.push(profile_source(&path));
        }
        None => tried.push("profile file (no home directory: HOME is not set)".to_string()),
    }
    Err(CredentialsError::NotFound { tried })
}

/// Describes a profile file as a credential source in messages.
fn profile_source(path: &Path) -> String {
    format!("profile file {}", path.display())
}

/// Builds an [`CredentialsError::Incomplete`].
fn incomplete(origin: &str, missing: &'static str) -> CredentialsError {
    CredentialsError::Incomplete {
        origin: origin.to_string(),
        missing,
    }
}

/// Values found in the `[default]` section; empty values count as absent.
#[derive(Default)]
struct ProfileSection {
    secret_id: Option<String>,
    secret_key: Option<String>,
    token: Option<String>,
}

impl ProfileSection {
    /// Records one `key = value` pair; unknown keys (e.g. `region`) are ignored.
    fn set(&mut self, key: &str, value: &str) {
        let value = (!value.is_empty()).then(|| value.to_string());
        match key {
            "secret_id" => self.secret_id = value,
            "secret_key" => self.secret_key = value,
            "token" => self.token = value,
            _ => {}
        }
    }

    /// Turns the section into credentials, rejecting a half-filled pair.
    fn into_credentials(self, origin: &str) -> Result<Option<Credentials>, CredentialsError> {
        let creds = match (self.secret_id, self.secret_key) {
            (None, None) => return Ok(None),
            (Some(_), None) => return Err(incomplete(origin, "secret_key")),
            (None, Some(_)) => return Err(incomplete(origin, "secret_id")),
            (Some(id), Some(key)) => Credentials::new(id, key),
        };
        Ok(Some(match self.token {
            Some(token) => creds.with_token(token),
            None => creds,
        }))
    }
}

/// Collects the `[default]` section of an INI text, skipping other sections.
fn parse_default_section(path: &Path, text: &str) -> Result<ProfileSection, CredentialsError> {
    let mut section = ProfileSection::default();
    let mut in_default = false;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let parse_error = |message: &str| CredentialsError::ProfileParse {
            path: path.to_path_buf(),
            line: index + 1,
            message: message.to_string(),
        };
        if line.starts_with('[') {
            let name =
                section_name(line).ok_or_else(|| parse_error("unterminated section header"))?;
            in_default = name == DEFAULT_SECTION;
        } else if in_default {
            let (key, value) =
                key_value(line).ok_or_else(|| parse_error("expected `key = value`"))?;
            section.set(key, value);
        }
    }
    Ok(section)
}

/// Extracts the trimmed name from a `[name]` header line.
fn section_name(line: &str) -> Option<&str> {
    line.strip_prefix('[')?.strip_suffix(']').map(str::trim)
}

/// Splits a `key = value` line, trimming both sides; the key must be non-empty.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty()).then(|| (key, value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const ID: &str = "AKIDtestidEXAMPLE";
    const KEY: &str = "s3cr3tKeyValueEXAMPLE";
    const TOKEN: &str = "t0kenValueEXAMPLE";

    /// A uniquely named file under the temp dir, removed on drop.
    struct TempFile(PathBuf);

    impl TempFile {
        fn new(contents: Option<&str>) -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let name = format!("scratch-runtime-creds-{}-{n}.ini", std::process::id());
            let path = std::env::temp_dir().join(name);
            if let Some(contents) = contents {
                std::fs::write(&path, contents).expect("write temp profile");
            }
            Self(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn assert_no_secret(text: &str) {
        assert!(!text.contains(KEY), "secret key leaked: {text}");
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }

    fn profile(contents: &str) -> Result<Option<Credentials>, CredentialsError> {
        let file = TempFile::new(Some(contents));
        from_profile_file(&file.0)
    }

    #[test]
    fn env_complete_with_token() {
        let creds = from_env_with(env(&[
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
        let creds = from_env_with(env(&[
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
        assert!(from_env_with(env(&[])).expect("ok").is_none());
        let empty = env(&[(ENV_SECRET_ID, ""), (ENV_SECRET_KEY, "")]);
        assert!(from_env_with(empty).expect("ok").is_none());
    }

    #[test]
    fn env_partial_is_incomplete() {
        let only_key = from_env_with(env(&[(ENV_SECRET_ID, ""), (ENV_SECRET_KEY, KEY)]));
        let err = only_key.expect_err("incomplete");
        assert!(matches!(
            err,
            CredentialsError::Incomplete {
                missing: ENV_SECRET_ID,
                ..
            }
        ));
        assert_no_secret(&err.to_string());

        let only_id = from_env_with(env(&[(ENV_SECRET_ID, ID)]));
        let err = only_id.expect_err("incomplete");
        assert!(matches!(
            err,
            CredentialsError::Incomplete {
                missing: ENV_SECRET_KEY,
                ..
            }
        ));
        assert!(err.to_string().contains("environment"));
    }

    #[test]
    fn profile_parses_default_section() {
        let text = format!(
            "# leading comment\n\n[other]\nsecret_id = wrong\nsecret_key = wrong\n\n\
             [ default ]\n; another comment\n  secret_id   =   {ID}  \nsecret_key={KEY}\n\
             token = {TOKEN}\nregion = ap-guangzhou\n[later]\nsecret_id = wrong\n"
        );
        let creds = profile(&text).expect("ok").expect("some");
        assert_eq!(creds.secret_id(), ID);
        assert_eq!(creds.secret_key(), KEY);
        assert_eq!(creds.token(), Some(TOKEN));
    }

    #[test]
    fn profile_without_token() {
        let creds = profile(&format!("[default]\nsecret_id={ID}\nsecret_key={KEY}\n"))
            .expect("ok")
            .expect("some");
        assert_eq!(creds.token(), None);
    }

    #[test]
    fn profile_malformed_lines_outside_default_are_ignored() {
        let text = format!("[other]\nnot a pair\n[default]\nsecret_id={ID}\nsecret_key={KEY}\n");
        assert!(profile(&text).expect("ok").is_some());
    }

    #[test]
    fn profile_missing_file_is_none() {
        let missing = TempFile::new(None);
        assert!(from_profile_file(&missing.0).expect("ok").is_none());
    }

    #[test]
    fn profile_without_default_section_is_none() {
        assert!(profile("[other]\nsecret_id = x\n").expect("ok").is_none());
    }

    #[test]
    fn profile_malformed_line_reports_line_number() {
        let text = format!("# c\n[default]\nsecret_id = {ID}\n{KEY}\n");
        let err = profile(&text).expect_err("malformed");
        assert!(matches!(
            err,
            CredentialsError::ProfileParse { line: 4, .. }
        ));
        let message = err.to_string();
        assert!(message.contains("line 4"), "{message}");
        assert_no_secret(&message);
    }

    #[test]
    fn profile_empty_key_and_bad_header_are_errors() {
        let err = profile("[default]\n = value\n").expect_err("empty key");
        assert!(matches!(
            err,
            CredentialsError::ProfileParse { line: 2, .. }
        ));
        let err = profile("\n[default\n").expect_err("bad header");
        assert!(matches!(
            err,
            CredentialsError::ProfileParse { line: 2, .. }
        ));
    }

    #[test]
    fn profile_partial_is_incomplete() {
        let err = profile(&format!("[default]\nsecret_key = {KEY}\ntoken = {TOKEN}\n"))
            .expect_err("incomplete");
        assert!(matches!(
            err,
            CredentialsError::Incomplete {
                missing: "secret_id",
                ..
            }
        ));
        assert_no_secret(&err.to_string());
    }

    #[test]
    fn profile_unreadable_is_read_error() {
        let dir = std::env::temp_dir();
        let err = from_profile_file(&dir).expect_err("directory is not readable as text");
        assert!(matches!(err, CredentialsError::ProfileRead { .. }));
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn profile_path_default_and_override() {
        let home = default_profile_path_with(env(&[("HOME", "/home/u")]));
        assert_eq!(
            home,
            Some(PathBuf::from("/home/u/.tencentcloud/credentials"))
        );
        let overridden = default_profile_path_with(env(&[
            ("HOME", "/home/u"),
            (ENV_CREDENTIALS_FILE, "/etc/tc.ini"),
        ]));
        assert_eq!(overridden, Some(PathBuf::from("/etc/tc.ini")));
        assert_eq!(default_profile_path_with(env(&[])), None);
    }

    #[test]
    fn home_falls_back_to_userprofile_only_on_windows() {
        let get = env(&[("USERPROFILE", "C:\\Users\\u")]);
        assert_eq!(
            home_dir_with(&get, true),
            Some(PathBuf::from("C:\\Users\\u"))
        );
        assert_eq!(home_dir_with(&get, false), None);
    }

    #[test]
    fn chain_reads_profile_from_override() {
        let file = TempFile::new(Some(&format!(
            "[default]\nsecret_id={ID}\nsecret_key={KEY}\n"
        )));
        let path = file.0.to_string_lossy().into_owned();
        let creds = default_chain_with(env(&[(ENV_CREDENTIALS_FILE, &path)])).expect("found");
        assert_eq!(creds.secret_id(), ID);
    }

    #[test]
    fn chain_prefers_env_over_file() {
        let file = TempFile::new(Some("[default]\nsecret_id=fromfile\nsecret_key=filekey\n"));
        let path = file.0.to_string_lossy().into_owned();
        let creds = default_chain_with(env(&[
            (ENV_CREDENTIALS_FILE, &path),
            (ENV_SECRET_ID, ID),
            (ENV_SECRET_KEY, KEY),
        ]))
        .expect("found");
        assert_eq!(creds.secret_id(), ID);
        assert_eq!(creds.secret_key(), KEY);
    }

    #[test]
    fn chain_not_found_lists_both_sources() {
        let missing = TempFile::new(None);
        let path = missing.0.to_string_lossy().into_owned();
        let err = default_chain_with(env(&[(ENV_CREDENTIALS_FILE, &path)])).expect_err("none");
        let CredentialsError::NotFound { tried } = &err else {
            panic!("expected NotFound, got {err:?}");
        };
        assert_eq!(tried.len(), 2);
        let message = err.to_string();
        assert!(message.contains(&format!("environment ({ENV_SECRET_ID}, {ENV_SECRET_KEY})")));
        assert!(
            message.contains(&format!("profile file {path}")),
            "{message}"
        );
    }

    #[test]
    fn chain_without_home_still_lists_profile_source() {
        let err = default_chain_with(env(&[])).expect_err("none");
        assert!(err.to_string().contains("profile file"));
    }

    #[test]
    fn debug_masks_secrets() {
        let with_token = Credentials::new(ID, KEY).with_token(TOKEN);
        let text = format!("{with_token:?}");
        assert_no_secret(&text);
        assert!(text.contains(ID));
        assert!(text.contains(r#"token: Some("***")"#), "{text}");
        let text = format!("{:?}", Credentials::new(ID, KEY));
        assert_no_secret(&text);
        assert!(text.contains("token: None"), "{text}");
    }

    #[test]
    fn no_error_message_contains_a_secret() {
        let errors = [
            CredentialsError::NotFound {
                tried: vec!["environment".into()],
            },
            incomplete("environment", ENV_SECRET_KEY),
            CredentialsError::ProfileRead {
                path: PathBuf::from("/x"),
                source: io::Error::other("denied"),
            },
            CredentialsError::ProfileParse {
                path: PathBuf::from("/x"),
                line: 3,
                message: "expected `key = value`".into(),
            },
        ];
        for err in &errors {
            assert_no_secret(&err.to_string());
            assert_no_secret(&format!("{err:?}"));
        }
    }
}
