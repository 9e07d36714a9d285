//! Byte offsets in a text file to 1-based lines and columns, for diagnostics (policy files,
//! registry files, manifests). Built once per file; each lookup is a binary search.
//! [`Problem`] is one such located diagnostic.

use std::fmt;

use serde::Serialize;

/// One problem in a hand-written file (a policy, a submission manifest), where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// Where in the file's structure (`levels.banned-vendor`, `submission[1].sbom`, a CSV
    /// column name); empty for the file as a whole.
    pub key: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        } else {
            write!(
                f,
                "{}:{}: {}: {}",
                self.line, self.column, self.key, self.message
            )
        }
    }
}

/// The start offset of every line of a text.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    text_len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            text_len: text.len(),
        }
    }

    /// 0-based line of `offset` and the byte offset where that line starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text_len);
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        (line, self.starts.get(line).copied().unwrap_or(0))
    }

    /// 1-based line and column, the column counted in bytes.
    pub fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text_len);
        let (line, start) = self.line_of(offset);
        (line + 1, offset - start + 1)
    }

    /// 1-based line and column, the column counted in characters of `text` (the text this
    /// index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let (line, start) = self.line_of(offset);
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_from_one() {
        let t = "ab\nçd\n\nef";
        let l = LineIndex::new(t);
        assert_eq!(l.at(0), (1, 1));
        assert_eq!(l.at(3), (2, 1));
        assert_eq!(l.line_col(t, 5), (2, 2), "ç is one character");
        assert_eq!(l.at(5), (2, 3), "and two bytes");
        assert_eq!(l.at(7), (3, 1));
        assert_eq!(l.at(1000), (4, 3));
    }
}
