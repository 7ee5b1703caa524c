//! The profile file provider: the `[default]` section of the INI file the
//! Tencent Cloud CLI and the other SDKs read (`~/.tencentcloud/credentials`,
//! else `/etc/tencentcloud/credentials`, or the file named by
//! `TENCENTCLOUD_CREDENTIALS_FILE`).

use super::error::{incomplete, not_set};
use super::{non_empty, process_env, Credentials, CredentialsError, Lookup, ProvideCredentials};
use crate::shared::BoxFuture;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Environment variable overriding the profile file location.
pub(crate) const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The profile file read when there is no `~/.tencentcloud/credentials`, as
/// the official Python SDK reads it.
pub const SYSTEM_PROFILE_PATH: &str = "/etc/tencentcloud/credentials";
/// Profile section read.
const DEFAULT_SECTION: &str = "default";
/// The provider's name in messages.
const NAME: &str = "profile file";

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
    section.into_credentials(&format!("{NAME} {}", path.display()))
}

/// The profile file of the user: `TENCENTCLOUD_CREDENTIALS_FILE` if set, else
/// `~/.tencentcloud/credentials`; `None` when no home directory is known.
/// (Without either, [`ProfileProvider`] also reads [`SYSTEM_PROFILE_PATH`].)
pub fn default_profile_path() -> Option<PathBuf> {
    default_profile_path_with(&*process_env())
}

/// [`default_profile_path`] with an injectable lookup.
fn default_profile_path_with(get: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(file) = non_empty(get, ENV_CREDENTIALS_FILE) {
        return Some(PathBuf::from(file));
    }
    home_dir_with(get, cfg!(windows)).map(|home| home.join(".tencentcloud").join("credentials"))
}

/// Home directory from `HOME`, falling back to `USERPROFILE` on Windows.
fn home_dir_with(get: &dyn Fn(&str) -> Option<String>, windows: bool) -> Option<PathBuf> {
    non_empty(get, "HOME")
        .or_else(|| windows.then(|| non_empty(get, "USERPROFILE")).flatten())
        .map(PathBuf::from)
}

/// Credentials from the `[default]` section of a profile file, read at each fetch.
///
/// Unless given a file, it reads the one `TENCENTCLOUD_CREDENTIALS_FILE`
/// names; without it, the first that exists of `~/.tencentcloud/credentials`
/// and [`SYSTEM_PROFILE_PATH`] (`/etc/tencentcloud/credentials`), as the
/// official Python SDK does.
#[derive(Clone)]
pub struct ProfileProvider {
    /// The file, when given; otherwise located by [`locate`](Self::locate).
    path: Option<PathBuf>,
    /// The file read when the user has none.
    system_path: PathBuf,
    get: Lookup,
}

impl Default for ProfileProvider {
    fn default() -> Self {
        Self::with_lookup(Lookup::default())
    }
}

impl ProfileProvider {
    /// Reads `TENCENTCLOUD_CREDENTIALS_FILE`, else the first that exists of
    /// `~/.tencentcloud/credentials` and `/etc/tencentcloud/credentials`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads this file.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        ProfileProvider {
            path: Some(path.into()),
            ..Self::default()
        }
    }

    /// Reads `path` instead of [`SYSTEM_PROFILE_PATH`] when the user has no
    /// profile file (no `TENCENTCLOUD_CREDENTIALS_FILE`, no
    /// `~/.tencentcloud/credentials`).
    pub fn system_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.system_path = path.into();
        self
    }

    pub(crate) fn with_lookup(get: Lookup) -> Self {
        ProfileProvider {
            path: None,
            system_path: PathBuf::from(SYSTEM_PROFILE_PATH),
            get,
        }
    }

    /// The file to read: the one given, the one `TENCENTCLOUD_CREDENTIALS_FILE`
    /// names, else the first that exists of the user's and the system's.
    fn locate(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(path) = &self.path {
            return Ok(path.clone());
        }
        if let Some(file) = non_empty(&*self.get, ENV_CREDENTIALS_FILE) {
            return Ok(PathBuf::from(file));
        }
        let user = default_profile_path_with(&*self.get);
        let system = &self.system_path;
        if let Some(found) = user.iter().chain([system]).find(|path| path.exists()) {
            return Ok(found.clone());
        }
        Err(not_set(
            NAME,
            match user {
                Some(user) => format!("neither {} nor {} exists", user.display(), system.display()),
                None => format!(
                    "no home directory (HOME is not set), and {} does not exist",
                    system.display()
                ),
            },
        ))
    }

    fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let path = self.locate()?;
        from_profile_file(&path)?.ok_or_else(|| {
            not_set(
                NAME,
                format!(
                    "{} is missing or has no [default] credentials",
                    path.display()
                ),
            )
        })
    }
}

impl fmt::Debug for ProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_struct("ProfileProvider");
        shown.field("path", &self.path);
        shown.field("system_path", &self.system_path);
        shown.finish_non_exhaustive()
    }
}

impl ProvideCredentials for ProfileProvider {
    fn name(&self) -> &str {
        NAME
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let found = self.fetch();
        Box::pin(async move { found })
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
    use super::super::test_support::*;
    use super::*;

    fn profile(contents: &str) -> Result<Option<Credentials>, CredentialsError> {
        let file = TempFile::new(Some(contents));
        from_profile_file(&file.0)
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
        let home = default_profile_path_with(&*env(&[("HOME", "/home/u")]));
        assert_eq!(
            home,
            Some(PathBuf::from("/home/u/.tencentcloud/credentials"))
        );
        let overridden = default_profile_path_with(&*env(&[
            ("HOME", "/home/u"),
            (ENV_CREDENTIALS_FILE, "/etc/tc.ini"),
        ]));
        assert_eq!(overridden, Some(PathBuf::from("/etc/tc.ini")));
        assert_eq!(default_profile_path_with(&*env(&[])), None);
    }

    #[test]
    fn home_falls_back_to_userprofile_only_on_windows() {
        let get = env(&[("USERPROFILE", "C:\\Users\\u")]);
        assert_eq!(
            home_dir_with(&*get, true),
            Some(PathBuf::from("C:\\Users\\u"))
        );
        assert_eq!(home_dir_with(&*get, false), None);
    }

    #[tokio::test]
    async fn provider_reads_the_overridden_file_or_says_it_is_missing() {
        let file = TempFile::new(Some(&format!(
            "[default]\nsecret_id={ID}\nsecret_key={KEY}\n"
        )));
        let provider = ProfileProvider::with_lookup(env(&[(ENV_CREDENTIALS_FILE, &file.path())]));
        assert_eq!(provider.provide().await.unwrap().secret_id(), ID);

        let missing = TempFile::new(None);
        let provider = ProfileProvider::from_path(&missing.0);
        let err = provider.provide().await.expect_err("no file");
        assert!(err.lets_chain_continue());
        assert!(err.to_string().contains(&missing.path()), "{err}");

        let err = ProfileProvider::with_lookup(env(&[]))
            .system_path(&missing.0)
            .provide()
            .await
            .expect_err("no home");
        assert_eq!(
            err.to_string(),
            format!(
                "profile file: no home directory (HOME is not set), and {} does not exist",
                missing.path()
            )
        );
        assert!(err.lets_chain_continue());
    }

    /// A home directory holding `.tencentcloud/credentials` with `contents`
    /// (none when `None`), removed on drop.
    struct Home(PathBuf);

    impl Home {
        fn new(contents: Option<&str>) -> Self {
            let home = PathBuf::from(TempFile::new(None).path() + "-home");
            let dir = home.join(".tencentcloud");
            std::fs::create_dir_all(&dir).unwrap();
            if let Some(contents) = contents {
                std::fs::write(dir.join("credentials"), contents).unwrap();
            }
            Home(home)
        }

        fn lookup(&self) -> Lookup {
            env(&[("HOME", &self.0.to_string_lossy())])
        }
    }

    impl Drop for Home {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn profile_of(id: &str) -> String {
        format!("[default]\nsecret_id = {id}\nsecret_key = {KEY}\n")
    }

    #[tokio::test]
    async fn the_system_file_is_read_when_the_user_has_none() {
        let system = TempFile::new(Some(&profile_of("AKIDsystem")));
        let read = |get: Lookup| ProfileProvider::with_lookup(get).system_path(&system.0);

        let with_home_file = Home::new(Some(&profile_of("AKIDhome")));
        let creds = read(with_home_file.lookup()).provide().await.unwrap();
        assert_eq!(creds.secret_id(), "AKIDhome", "the user's file comes first");

        let without = Home::new(None);
        let creds = read(without.lookup()).provide().await.unwrap();
        assert_eq!(creds.secret_id(), "AKIDsystem");
        let creds = read(env(&[])).provide().await.unwrap();
        assert_eq!(creds.secret_id(), "AKIDsystem", "no home directory at all");

        let overridden = TempFile::new(None);
        let get = env(&[(ENV_CREDENTIALS_FILE, &overridden.path())]);
        let err = read(get).provide().await.unwrap_err();
        assert!(err.to_string().contains(&overridden.path()), "{err}");

        let missing = TempFile::new(None);
        let err = ProfileProvider::with_lookup(without.lookup())
            .system_path(&missing.0)
            .provide()
            .await
            .unwrap_err();
        let user = without.0.join(".tencentcloud").join("credentials");
        let want = format!(
            "profile file: neither {} nor {} exists",
            user.display(),
            missing.path()
        );
        assert_eq!(err.to_string(), want);
    }
}
