//! Command-line inputs: files, directories (recursive), `-` for stdin, `http(s)://` URLs.
//! Expands them into an ordered list of documents to read and reads each one, keeping failures
//! per input so that one bad file (or one failed download) never stops a batch.

use std::path::{Path, PathBuf};

use crate::net::{self, FetchOptions};
use crate::sbom::{self, Document, IngestError, ReadOptions};

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    /// The name shown in reports: the path as given (or as found under a given directory),
    /// `-` for stdin. Never made absolute.
    pub source: String,
    pub kind: InputKind,
    /// True when found by walking a directory: such files are skipped (not failed) when they
    /// turn out not to be SBOMs.
    pub from_dir: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    Path(PathBuf),
    Stdin,
    /// Downloaded with [`net::fetch`]; the format is still detected from the content.
    Url(String),
}

/// A failure to read one input.
#[derive(Debug, Clone)]
pub struct InputError {
    pub source: String,
    pub error: IngestError,
}

/// What reading one input gave.
#[derive(Debug)]
pub enum ReadOutcome {
    Read(Box<Document>),
    /// A file found in a directory that is not an SBOM (README, licence...).
    Skipped {
        source: String,
        reason: String,
    },
    Failed(InputError),
}

/// Expand command-line inputs. Directories are walked recursively in sorted order; hidden
/// entries (starting with `.`) are skipped. A missing path is kept so that reading it reports
/// the error in order.
pub fn expand(inputs: &[String]) -> Vec<InputSpec> {
    let mut out = Vec::new();
    for i in inputs {
        if i == "-" {
            out.push(InputSpec {
                source: "-".into(),
                kind: InputKind::Stdin,
                from_dir: false,
            });
            continue;
        }
        if net::is_url(i) {
            out.push(InputSpec {
                source: i.clone(),
                kind: InputKind::Url(i.clone()),
                from_dir: false,
            });
            continue;
        }
        let p = Path::new(i);
        if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files);
            files.sort();
            for f in files {
                out.push(InputSpec {
                    source: f.to_string_lossy().into_owned(),
                    kind: InputKind::Path(f),
                    from_dir: true,
                });
            }
        } else {
            out.push(InputSpec {
                source: i.clone(),
                kind: InputKind::Path(p.to_path_buf()),
                from_dir: false,
            });
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(t) if (t.is_file() || t.is_symlink()) && path.is_file() => out.push(path),
            _ => {}
        }
    }
}

/// Read one input (URLs with the default network limits).
pub fn read(spec: &InputSpec, opts: &ReadOptions) -> ReadOutcome {
    read_with(spec, opts, &FetchOptions::default())
}

/// Read one input; URLs are downloaded with `fetch`'s limits (`offline` makes them errors).
pub fn read_with(spec: &InputSpec, opts: &ReadOptions, fetch: &FetchOptions) -> ReadOutcome {
    let result = match &spec.kind {
        InputKind::Stdin => sbom::read_reader(std::io::stdin().lock(), &spec.source, opts),
        InputKind::Path(p) => sbom::read_path(p, &spec.source, opts),
        InputKind::Url(u) => match net::fetch(u, None, fetch, None) {
            Ok(net::Fetched::Body { bytes, .. }) => sbom::read_bytes(&spec.source, &bytes, opts),
            Ok(net::Fetched::NotModified) => Err(IngestError::Fetch {
                kind: "http-status",
                message: format!("{u}: unexpected 304 Not Modified"),
            }),
            Err(e) => Err(IngestError::Fetch {
                kind: e.kind(),
                message: e.to_string(),
            }),
        },
    };
    match result {
        Ok(doc) => ReadOutcome::Read(Box::new(doc)),
        Err(e @ (IngestError::NotSbom { .. } | IngestError::Empty)) if spec.from_dir => {
            ReadOutcome::Skipped {
                source: spec.source.clone(),
                reason: e.to_string(),
            }
        }
        Err(error) => ReadOutcome::Failed(InputError {
            source: spec.source.clone(),
            error,
        }),
    }
}
