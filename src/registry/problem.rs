//! Problems found while reading or linting the registry: severity, stable code, file, key path
//! and line/column, so that every one of them can be fixed without a second run.

use std::fmt;

use serde::Serialize;

/// How bad a problem is. Errors make the registry unusable; warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Problem {
    pub severity: Severity,
    /// Stable kebab-case code (`unknown-key`, `unknown-source`, `bad-date` ...).
    pub code: &'static str,
    /// Path relative to the registry directory, with `/` separators (`vendors/kaspersky.toml`).
    pub file: String,
    /// Key path inside the file (`product[3].identifiers[0].sources[1]`); empty for the file.
    pub key: String,
    /// 1-based line, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (characters), where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}[{}]: ", self.severity.as_str(), self.code)?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// Sort problems by file, position, then severity, and drop exact duplicates.
pub fn sort(problems: &mut Vec<Problem>) {
    problems.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then(a.line.unwrap_or(0).cmp(&b.line.unwrap_or(0)))
            .then(a.column.unwrap_or(0).cmp(&b.column.unwrap_or(0)))
            .then(a.severity.cmp(&b.severity))
            .then(a.key.cmp(&b.key))
            .then(a.message.cmp(&b.message))
    });
    problems.dedup();
}

/// Count (errors, warnings, notes).
pub fn counts(problems: &[Problem]) -> (usize, usize, usize) {
    problems
        .iter()
        .fold((0, 0, 0), |(e, w, n), p| match p.severity {
            Severity::Error => (e + 1, w, n),
            Severity::Warning => (e, w + 1, n),
            Severity::Note => (e, w, n + 1),
        })
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let max = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance over characters, counting an adjacent transposition as one edit (optimal
/// string alignment), so that `nmae` is one edit from `name`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(suggest("nmae", ["id", "name", "kind"]), Some("name"));
        assert_eq!(
            suggest("bod-17-1", ["bod-17-01", "far-52-204-23"]),
            Some("bod-17-01")
        );
        assert_eq!(suggest("website", ["id", "name", "kind"]), None);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("nmae", "name"), 1);
    }

    #[test]
    fn displays_file_position_code_and_key() {
        let p = Problem {
            severity: Severity::Error,
            code: "unknown-source",
            file: "vendors/kaspersky.toml".into(),
            key: "product[3].sources[1]".into(),
            line: Some(12),
            column: Some(5),
            message: "source \"x\" is not defined".into(),
        };
        assert_eq!(
            p.to_string(),
            "vendors/kaspersky.toml:12:5: error[unknown-source]: product[3].sources[1]: source \"x\" is not defined"
        );
        let q = Problem {
            key: String::new(),
            line: None,
            column: None,
            ..p
        };
        assert_eq!(
            q.to_string(),
            "vendors/kaspersky.toml: error[unknown-source]: source \"x\" is not defined"
        );
    }
}
