//! Errors of the ingestion stage. Each names what went wrong and where; the CLI adds the
//! source file and turns them into diagnostics.

use super::model::{Location, Warning};

/// Why a document could not be read. Never a panic: every hostile input ends up here.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    #[error("cannot read input: {message}")]
    Io { message: String },

    /// An input given as a URL could not be downloaded; `kind` is the fetch error's kind
    /// (`offline`, `timeout`, `http-status`, `too-large`, `network`, `bad-url`).
    #[error("cannot download input: {message}")]
    Fetch { kind: &'static str, message: String },

    #[error("the input is empty")]
    Empty,

    #[error(
        "the input is {size} bytes, over the limit of {limit} bytes (raise it with --max-size)"
    )]
    TooLarge { size: u64, limit: u64 },

    #[error("invalid text encoding: {message}")]
    Encoding { message: String },

    #[error("not an SBOM: {found}; looked for {looked_for}")]
    NotSbom { found: String, looked_for: String },

    #[error("{format} syntax error at line {line}, column {column}: {message}")]
    Syntax {
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{format} document ends too early (truncated?) at line {line}, column {column}")]
    Truncated {
        format: &'static str,
        line: usize,
        column: usize,
    },

    #[error("wrong type at {location}: {message}")]
    Type { location: Location, message: String },

    #[error("nesting deeper than {limit} levels at {location}")]
    TooDeep { limit: usize, location: Location },

    #[error("unsupported {what}")]
    Unsupported { what: String },

    #[error("{count} warning(s) with --strict; first: {} at {}", first.message, first.location)]
    Strict { count: usize, first: Box<Warning> },
}

impl IngestError {
    /// Map a serde_json error onto syntax / truncation / type errors with line and column.
    pub fn from_json(format: &'static str, e: &serde_json::Error) -> IngestError {
        use serde_json::error::Category;
        let (line, column) = (e.line(), e.column());
        match e.classify() {
            Category::Eof => IngestError::Truncated {
                format,
                line,
                column,
            },
            Category::Syntax => {
                let msg = e.to_string();
                if msg.starts_with("recursion limit exceeded") {
                    IngestError::TooDeep {
                        limit: 128,
                        location: Location::line(line as u32),
                    }
                } else {
                    IngestError::Syntax {
                        format,
                        line,
                        column,
                        message: strip_json_position(&msg),
                    }
                }
            }
            Category::Data => IngestError::Type {
                location: Location {
                    pointer: None,
                    line: Some(line as u32),
                },
                message: format!("{} (column {column})", strip_json_position(&e.to_string())),
            },
            Category::Io => IngestError::Io {
                message: e.to_string(),
            },
        }
    }

    /// A one-word category for JSON output and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            IngestError::Io { .. } => "io",
            IngestError::Fetch { kind, .. } => kind,
            IngestError::Empty => "empty",
            IngestError::TooLarge { .. } => "too-large",
            IngestError::Encoding { .. } => "encoding",
            IngestError::NotSbom { .. } => "not-sbom",
            IngestError::Syntax { .. } => "syntax",
            IngestError::Truncated { .. } => "truncated",
            IngestError::Type { .. } => "type",
            IngestError::TooDeep { .. } => "too-deep",
            IngestError::Unsupported { .. } => "unsupported",
            IngestError::Strict { .. } => "strict",
        }
    }
}

/// serde_json appends " at line L column C" to its messages; we report those separately.
fn strip_json_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map(|i| i + 1).unwrap_or(0);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let t = "ab\ncd\nef";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 4), (2, 2));
        assert_eq!(line_col(t, 100), (3, 3));
    }

    #[test]
    fn json_eof_is_truncation() {
        let e = serde_json::from_str::<serde_json::Value>("{\"a\": [1, 2").unwrap_err();
        assert!(matches!(
            IngestError::from_json("JSON", &e),
            IngestError::Truncated { line: 1, .. }
        ));
    }

    #[test]
    fn json_syntax_has_line_and_column() {
        let e = serde_json::from_str::<serde_json::Value>("{\n  \"a\": nope\n}").unwrap_err();
        match IngestError::from_json("JSON", &e) {
            IngestError::Syntax { line, column, .. } => {
                assert_eq!(line, 2);
                assert!(column > 1);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
