//! The command line of `cargo xtask`, declared once: every command, its
//! arguments and options, and their help (`cargo xtask --help` prints it).
//! [xflags] turns the declaration into the types below and their parser.

use std::ffi::OsString;
use std::path::PathBuf;

xflags::xflags! {
    /// The project's commands: `cargo xtask <command> …`.
    cmd xtask {
        /// Print this help (as `--help` and `-h` do).
        cmd help {}

        /// Regenerate generated/ (and the test fixtures' expected/) from api-spec/.
        cmd codegen {
            /// Write nothing; exit 1 with a diff when the checked-in output is
            /// not what the generator produces now.
            optional --check
        }

        /// Generate one standalone crate from a spec directory.
        cmd generate {
            /// A version directory holding api.json, or a service directory
            /// whose subdirectories are its versions.
            required spec_dir: PathBuf
            /// The crate's directory.
            required --out dir: PathBuf
        }

        /// Generate, check, lint, document and run the examples of every spec
        /// directory below <root>, and print a table.
        cmd corpus {
            /// Any directory: every service below it, at any depth.
            required root: PathBuf
            /// Without the clippy step.
            optional --no-lint
        }

        /// Actions with a paginator per pattern, and the paged-looking ones
        /// without one and why.
        cmd paginators {
            /// Default: api-spec/.
            optional spec_root: PathBuf
        }

        /// Actions whose request has a `ClientToken`: whether it is taken for
        /// an idempotency key (so the action is retried and the token
        /// filled), and why.
        cmd client-tokens {
            /// Default: api-spec/.
            optional spec_root: PathBuf
        }

        /// Actions that get a `…_stream` method (they can answer with
        /// Server-Sent Events), per service, and why.
        cmd streams {
            /// Default: api-spec/.
            optional spec_root: PathBuf
        }

        /// Compile time of generated crates against the naive baseline.
        cmd bench-compile {
            /// Builds of each crate (default 1).
            optional --rounds n: u32
        }

        /// One crates.io-ready crate per service below <spec_root>, and the
        /// runtime, in one workspace at <dir>; versions from the release
        /// manifest and the diff.
        cmd release {
            /// A tccli services/ tree, or a directory in api-spec/ layout.
            required spec_root: PathBuf
            /// The release workspace to write.
            required --out dir: PathBuf
            /// The release manifest (default release/manifest.toml).
            optional --manifest file: PathBuf
            /// The spec root of the previous release, when it is not in git history.
            optional --previous spec_root: PathBuf
        }

        /// Ask crates.io whether every crate name the release manifest gives
        /// (and the runtime's) is free; exit 1 if one is not.
        cmd check-names {
            /// The release manifest (default release/manifest.toml).
            optional --manifest file: PathBuf
        }

        /// Generate every service below <root> in one process, against one
        /// `cargo xtask generate` process per service.
        cmd bench-catalog {
            /// Any directory: every service below it, at any depth.
            required root: PathBuf
            /// Rounds of each side; the fastest counts (default 1).
            optional --rounds n: u32
            /// Both sides write below <dir>/bench-catalog/ (default target/),
            /// removed at the end.
            optional --out dir: PathBuf
        }

        /// Copy published service versions into api-spec/<service>/<date>/.
        cmd import {
            /// A tccli services/ directory, or a directory in api-spec/ layout.
            required source: PathBuf
            /// At least one.
            repeated services: String
        }

        /// What changed between two versions of a spec, for users of the
        /// generated crate; exit 0 when nothing breaks, 2 when something does.
        cmd diff {
            /// A directory, or REV:PATH in git history.
            required old: String
            /// A directory, or REV:PATH in git history.
            required new: String
            /// markdown (the default) or json.
            optional --format format: Format
        }

        /// For every service in both spec trees (tccli services/ or api-spec/
        /// layout): the diff of each API version in both and the release
        /// step, one table row each; exit 1 if any failed.
        cmd bumps {
            /// The older spec tree.
            required old_root: PathBuf
            /// The newer spec tree.
            required new_root: PathBuf
        }
    }
}

/// The output of `cargo xtask diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Markdown,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "markdown" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            _ => Err(format!("give markdown or json, not `{s}`")),
        }
    }
}

/// Parses the arguments (without the program name). No command at all asks
/// for the help, as it always has; the checks xflags cannot declare come
/// after the parse, so that they are usage errors too.
pub fn parse(args: &[String]) -> xflags::Result<XtaskCmd> {
    let args: Vec<OsString> = if args.is_empty() {
        vec!["help".into()]
    } else {
        args.iter().map(Into::into).collect()
    };
    let command = Xtask::from_vec(args)?.subcommand;
    match &command {
        XtaskCmd::BenchCompile(BenchCompile { rounds, .. })
        | XtaskCmd::BenchCatalog(BenchCatalog { rounds, .. }) => positive_rounds(*rounds)?,
        XtaskCmd::Import(Import { services, .. }) if services.is_empty() => {
            return Err(xflags::Error::new("import: name at least one service"))
        }
        _ => {}
    }
    Ok(command)
}

/// The help, as xflags writes it for `--help`.
pub fn help() -> String {
    Xtask::from_vec(vec!["--help".into()])
        .err()
        .map_or_else(String::new, |help| help.to_string())
}

/// `--rounds` counts rounds: zero would measure nothing.
fn positive_rounds(rounds: Option<u32>) -> xflags::Result<()> {
    match rounds {
        Some(0) => Err(xflags::Error::new(
            "--rounds takes a positive number, not `0`",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(args: &str) -> xflags::Result<XtaskCmd> {
        let args: Vec<String> = args.split_whitespace().map(String::from).collect();
        parse(&args)
    }

    #[test]
    fn options_go_before_or_after_the_arguments() {
        for args in ["generate spec --out dir", "generate --out dir spec"] {
            let Ok(XtaskCmd::Generate(generate)) = parse_words(args) else {
                panic!("{args}: not a generate command");
            };
            assert_eq!(generate.spec_dir, PathBuf::from("spec"), "{args}");
            assert_eq!(generate.out, PathBuf::from("dir"), "{args}");
        }
    }

    #[test]
    fn no_command_is_help_and_undeclarable_rules_are_usage_errors() {
        assert!(matches!(parse_words(""), Ok(XtaskCmd::Help(_))));
        for args in [
            "frobnicate",
            "import source",
            "bench-compile --rounds 0",
            "bench-catalog root --rounds 0",
            "diff old new --format yaml",
            "release specs",
        ] {
            let error = parse_words(args).expect_err(args);
            assert!(!error.is_help(), "{args}");
        }
        assert!(parse_words("codegen --help").is_err_and(|e| e.is_help()));
    }
}
