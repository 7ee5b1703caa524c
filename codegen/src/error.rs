//! The one error type of the generator. Every variant names the file it is
//! about and, where there is one, the place in it.

use std::path::PathBuf;

/// Why a spec could not be turned into a crate, or a crate could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read (a spec, or an output tree
    /// being compared or replaced).
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error (part of the message, so not also a `source()`).
        source: std::io::Error,
    },
    /// A spec file is not valid JSON, or does not have the shape of its format.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What serde_json reported.
        message: String,
    },
    /// A spec is well-formed JSON but says something the generator cannot use.
    #[error("{}: at {location}: {message}{}", path.display(), suggestion_text(.suggestion))]
    Spec {
        /// The file.
        path: PathBuf,
        /// JSON path of the offending value, e.g. `objects.RoomInfo.members[3]`.
        location: String,
        /// What is wrong.
        message: String,
        /// A near name that exists, when there is one.
        suggestion: Option<String>,
    },
    /// A spec directory is not laid out as `api.json` (+ optional files).
    #[error("{}: {message}", path.display())]
    Layout {
        /// The directory.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The generator's options are not usable (an unknown action to select, a
    /// derive that is not a path, …).
    #[error("invalid generator options: {message}")]
    Options {
        /// What is wrong.
        message: String,
    },
    /// Generated tokens did not parse as Rust: a generator bug.
    #[error("generated code for {file} does not parse (generator bug): {message}")]
    Emit {
        /// The file being generated.
        file: String,
        /// syn's message.
        message: String,
    },
    /// Writing the output failed, or would overwrite a file that is not ours.
    #[error("{}: {message}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(near) => format!(" (did you mean `{near}`?)"),
        None => String::new(),
    }
}

impl Error {
    /// A [`Error::Json`] from a serde_json error in `path`.
    pub(crate) fn json(path: &std::path::Path, err: &serde_json::Error) -> Self {
        // serde_json appends " at line L column C" to its own message; the
        // position is reported separately, so strip it.
        let message = err.to_string();
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        Error::Json {
            path: path.to_owned(),
            line: err.line(),
            column: err.column(),
            message,
        }
    }
}

/// The name in `candidates` closest to `name`, if any is close enough to be a
/// plausible typo.
pub(crate) fn near_name<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c.to_owned())
}
