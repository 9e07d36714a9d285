//! The vendor registry: curated, sourced data on designated vendors, their products, SDKs and
//! OEM relations (`vendor-registry/`, format in its README.md).
//!
//! - [`model`]: raw TOML shapes and the validated [`Registry`];
//! - [`load`]: reading a directory or the embedded copy, collecting every problem;
//! - [`lint`]: the rules the data must follow;
//! - [`index`]: the matching index built once per run;
//! - [`normalize`]: name normalisation; [`version`]: version ranges;
//! - [`schema`]: the JSON Schema of the files; [`export`]: the registry as one JSON document.
//!
//! The registry directory is compiled into the binary (see `build.rs`), so bomvet works
//! offline; `--registry DIR` replaces it.

pub mod export;
pub mod index;
pub mod lint;
pub mod load;
pub mod model;
pub mod normalize;
pub mod problem;
pub mod schema;
pub mod version;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use index::{Confidence, Hit, Index};
pub use load::SourceFile;
pub use model::*;
pub use problem::{Problem, Severity};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_registry.rs"));
}

/// Why a registry could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read the registry at {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the registry ({origin}) has {} error(s)", problem::counts(problems).0)]
    Invalid {
        origin: String,
        /// Every problem found (errors, warnings and notes), sorted by file and position.
        problems: Vec<Problem>,
    },
}

/// The result of checking registry files: every problem, sorted.
#[derive(Debug)]
pub struct Checked {
    pub problems: Vec<Problem>,
    pub(crate) infos: Vec<load::FileInfo>,
    pub(crate) raw: load::RawRegistry,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Parse and lint `files`, reporting every problem in every file.
pub fn check(files: &[SourceFile]) -> Checked {
    let (infos, raw, mut problems) = load::parse_all(files);
    problems.extend(lint::lint(&infos, &raw));
    problem::sort(&mut problems);
    Checked {
        problems,
        infos,
        raw,
    }
}

/// The registry files compiled into this binary, sorted by path.
pub fn embedded_files() -> Vec<SourceFile> {
    embedded::FILES
        .iter()
        .map(|(path, text)| SourceFile {
            path: (*path).to_string(),
            text: Cow::Borrowed(*text),
        })
        .collect()
}

/// The files of a registry directory, with problems for files that could not be read.
pub fn read_dir(dir: &Path) -> Result<(Vec<SourceFile>, Vec<Problem>), RegistryError> {
    load::read_dir(dir)
}

impl Registry {
    /// The registry compiled into the binary, parsed once per process.
    pub fn embedded() -> Result<&'static Registry, &'static RegistryError> {
        static EMBEDDED: OnceLock<Result<Registry, RegistryError>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| Registry::from_files(embedded_files(), "embedded".into(), Vec::new()))
            .as_ref()
    }

    /// Load and validate the registry in `dir`.
    pub fn load_dir(dir: &Path) -> Result<Registry, RegistryError> {
        let (files, problems) = load::read_dir(dir)?;
        Registry::from_files(files, dir.display().to_string(), problems)
    }

    /// Validate `files` (plus problems found while reading them) into a registry.
    pub fn from_files(
        files: Vec<SourceFile>,
        origin: String,
        read_problems: Vec<Problem>,
    ) -> Result<Registry, RegistryError> {
        let mut checked = check(&files);
        if !read_problems.is_empty() {
            checked.problems.extend(read_problems);
            problem::sort(&mut checked.problems);
        }
        if checked.has_errors() {
            return Err(RegistryError::Invalid {
                origin,
                problems: checked.problems,
            });
        }
        let digest = load::digest(&files);
        Ok(load::resolve(
            &checked.infos,
            &checked.raw,
            digest,
            origin,
            checked.problems,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real data in `vendor-registry/` must lint without errors.
    #[test]
    fn the_real_registry_directory_lints_clean() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor-registry");
        let (files, read_problems) = read_dir(&dir).unwrap();
        assert!(read_problems.is_empty(), "{read_problems:#?}");
        let checked = check(&files);
        let errors: Vec<String> = checked
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.to_string())
            .collect();
        assert!(errors.is_empty(), "registry errors:\n{}", errors.join("\n"));
    }

    #[test]
    fn the_embedded_registry_loads_and_matches_the_directory() {
        let reg = Registry::embedded().unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor-registry");
        let from_dir = Registry::load_dir(&dir).unwrap();
        assert_eq!(
            reg.meta.digest, from_dir.meta.digest,
            "rebuild to re-embed the data"
        );
        assert!(reg.meta.digest.starts_with("sha256:"));
        assert!(reg.meta.serial >= 1);
        assert_eq!(reg.vendors.len(), from_dir.vendors.len());
    }
}
