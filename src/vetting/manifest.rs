//! The submission manifest (`bomvet audit --manifest FILE`): which SBOM each submitting vendor
//! sent for which product, so that a review of a whole schedule is grouped the way it is
//! decided. Two spellings, told apart by the file extension (`.toml`, `.csv`) or, failing
//! that, by the content:
//!
//! ```toml
//! [[submission]]
//! vendor = "Northwind Networks"
//! product = "MailShield 7400"
//! sbom = "northwind/mailshield-7400.cdx.json"
//! ```
//!
//! or CSV with the header `vendor,product,sbom` (columns in any order). SBOM paths are relative
//! to the manifest file; `http(s)://` URLs are kept as they are. Every problem is collected with
//! its line, column and key, like policy problems.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::csv;
use crate::report::Submission;
use crate::sbom::error::line_col;

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub submission: Submission,
    /// The SBOM as written in the manifest.
    pub sbom: String,
    /// The SBOM as an input: resolved against the manifest's directory (or a URL).
    pub input: String,
    /// Where `sbom` is written (1-based), and its key.
    pub line: usize,
    pub column: usize,
    pub key: String,
}

/// A validated manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub entries: Vec<Entry>,
}

impl Manifest {
    /// The submissions, each once, in the order they first appear.
    pub fn submissions(&self) -> Vec<Submission> {
        let mut out: Vec<Submission> = Vec::new();
        for e in &self.entries {
            if !out.contains(&e.submission) {
                out.push(e.submission.clone());
            }
        }
        out
    }
}

/// How a manifest is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Toml,
    Csv,
}

/// One problem in a manifest; `key` is `submission[1].sbom` (TOML) or the column name (CSV).
pub use crate::textpos::Problem;

/// Why a manifest could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read manifest {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("manifest {file} has {} problem(s)", problems.len())]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
}

impl ManifestError {
    /// Each problem as `file:line:column: key: message`.
    pub fn lines(&self) -> Vec<String> {
        match self {
            ManifestError::Io { .. } => Vec::new(),
            ManifestError::Invalid { file, problems } => {
                problems.iter().map(|p| format!("{file}:{p}")).collect()
            }
        }
    }
}

/// The kind by extension, else by content: a first meaningful line that opens a table or sets
/// a key is TOML, anything else CSV.
pub fn kind_of(path: &Path, text: &str) -> Kind {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("toml") => return Kind::Toml,
        Some("csv") => return Kind::Csv,
        _ => {}
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    if first.starts_with('[') || (first.contains('=') && !first.contains(',')) {
        Kind::Toml
    } else {
        Kind::Csv
    }
}

/// Read the manifest at `path` (`source` is its name in messages). SBOM paths are resolved
/// against the manifest's directory and must exist.
pub fn load(path: &Path, source: &str) -> Result<Manifest, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|e| ManifestError::Io {
        file: source.to_string(),
        source: e,
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let (manifest, mut problems) = parse(&text, kind_of(path, &text), base);
    for e in &manifest.entries {
        if !crate::net::is_url(&e.input) && !Path::new(&e.input).exists() {
            problems.push(Problem {
                line: e.line,
                column: e.column,
                key: e.key.clone(),
                message: format!("SBOM {:?} not found (looked for {})", e.sbom, e.input),
            });
        }
    }
    if problems.is_empty() {
        Ok(manifest)
    } else {
        problems.sort_by_key(|p| (p.line, p.column));
        Err(ManifestError::Invalid {
            file: source.to_string(),
            problems,
        })
    }
}

/// Parse manifest text; `base` is the directory SBOM paths are relative to. Returns what could
/// be read and every problem (the file system is not looked at).
pub fn parse(text: &str, kind: Kind, base: &Path) -> (Manifest, Vec<Problem>) {
    let mut problems = Vec::new();
    let rows = match kind {
        Kind::Toml => toml_rows(text, &mut problems),
        Kind::Csv => csv_rows(text, &mut problems),
    };
    let mut entries: Vec<Entry> = Vec::new();
    for row in rows {
        let input = if crate::net::is_url(&row.sbom.value) {
            row.sbom.value.clone()
        } else {
            base.join(&row.sbom.value).to_string_lossy().into_owned()
        };
        if let Some(first) = entries.iter().find(|e| e.input == input) {
            problems.push(Problem {
                line: row.sbom.line,
                column: row.sbom.column,
                key: row.sbom.key.clone(),
                message: format!(
                    "SBOM {:?} is already listed on line {}",
                    row.sbom.value, first.line
                ),
            });
            continue;
        }
        entries.push(Entry {
            submission: Submission {
                vendor: row.vendor,
                product: row.product,
            },
            sbom: row.sbom.value,
            input,
            line: row.sbom.line,
            column: row.sbom.column,
            key: row.sbom.key,
        });
    }
    if entries.is_empty() && problems.is_empty() {
        problems.push(Problem {
            line: 1,
            column: 1,
            key: String::new(),
            message: match kind {
                Kind::Toml => {
                    "no submission: add `[[submission]]` tables with vendor, product and sbom"
                        .into()
                }
                Kind::Csv => {
                    "no submission: add rows under the header `vendor,product,sbom`".into()
                }
            },
        });
    }
    problems.sort_by_key(|p| (p.line, p.column));
    (Manifest { entries }, problems)
}

const KEYS: [&str; 3] = ["vendor", "product", "sbom"];

struct Value {
    value: String,
    line: usize,
    column: usize,
    key: String,
}

struct Row {
    vendor: String,
    product: String,
    sbom: Value,
}

/// Check one row's three values: present and not blank. `missing` is where to report an absent key.
fn row(
    values: [Option<Value>; 3],
    missing: (usize, usize, &str),
    problems: &mut Vec<Problem>,
) -> Option<Row> {
    let mut ok = true;
    let mut out: Vec<Option<Value>> = Vec::new();
    for (k, v) in KEYS.iter().zip(values) {
        match v {
            None => {
                ok = false;
                problems.push(Problem {
                    line: missing.0,
                    column: missing.1,
                    key: format!("{}{k}", missing.2),
                    message: format!("missing `{k}`"),
                });
                out.push(None);
            }
            Some(v) if v.value.trim().is_empty() => {
                ok = false;
                problems.push(Problem {
                    line: v.line,
                    column: v.column,
                    key: v.key.clone(),
                    message: format!("`{k}` is empty"),
                });
                out.push(None);
            }
            Some(mut v) => {
                v.value = v.value.trim().to_string();
                out.push(Some(v));
            }
        }
    }
    if !ok {
        return None;
    }
    let mut it = out.into_iter().flatten();
    let (vendor, product, sbom) = (it.next()?, it.next()?, it.next()?);
    Some(Row {
        vendor: vendor.value,
        product: product.value,
        sbom,
    })
}

fn toml_rows(text: &str, problems: &mut Vec<Problem>) -> Vec<Row> {
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let (tree, errors) = DeTable::parse_recoverable(text);
    let had_syntax_errors = !errors.is_empty();
    for e in errors {
        let (line, column) = e.span().map(at).unwrap_or((1, 1));
        problems.push(Problem {
            line,
            column,
            key: String::new(),
            message: e
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .to_string(),
        });
    }
    if had_syntax_errors {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for (k, v) in tree.get_ref().iter() {
        let key = k.get_ref().as_ref();
        if key != "submission" {
            let (line, column) = at(k.span());
            problems.push(Problem {
                line,
                column,
                key: key.to_string(),
                message: format!(
                    "unknown key `{key}` (a manifest has `[[submission]]` tables only)"
                ),
            });
            continue;
        }
        let DeValue::Array(items) = v.get_ref() else {
            let (line, column) = at(v.span());
            problems.push(Problem {
                line,
                column,
                key: key.into(),
                message: "expected `[[submission]]` tables".into(),
            });
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let path = format!("submission[{i}].");
            let (line, column) = at(item.span());
            let DeValue::Table(t) = item.get_ref() else {
                problems.push(Problem {
                    line,
                    column,
                    key: format!("submission[{i}]"),
                    message: "expected a table with vendor, product and sbom".into(),
                });
                continue;
            };
            let mut values: [Option<Value>; 3] = [None, None, None];
            for (ik, iv) in t.iter() {
                let name = ik.get_ref().as_ref();
                let (l, c) = at(iv.span());
                let Some(slot) = KEYS.iter().position(|k| *k == name) else {
                    let (l, c) = at(ik.span());
                    problems.push(Problem {
                        line: l,
                        column: c,
                        key: format!("{path}{name}"),
                        message: format!("unknown key `{name}` (allowed: {})", KEYS.join(", ")),
                    });
                    continue;
                };
                let DeValue::String(s) = iv.get_ref() else {
                    problems.push(Problem {
                        line: l,
                        column: c,
                        key: format!("{path}{name}"),
                        message: "expected a string".into(),
                    });
                    continue;
                };
                if let Some(v) = values.get_mut(slot) {
                    *v = Some(Value {
                        value: s.to_string(),
                        line: l,
                        column: c,
                        key: format!("{path}{name}"),
                    });
                }
            }
            // A key written with the wrong type was reported already; do not call it missing.
            let wrong_type: Vec<bool> = KEYS
                .iter()
                .map(|k| t.iter().any(|(ik, _)| ik.get_ref().as_ref() == *k))
                .collect();
            if values
                .iter()
                .zip(&wrong_type)
                .any(|(v, present)| v.is_none() && *present)
            {
                continue;
            }
            if let Some(r) = row(values, (line, column, &path), problems) {
                rows.push(r);
            }
        }
    }
    rows
}

fn csv_rows(text: &str, problems: &mut Vec<Problem>) -> Vec<Row> {
    let records = match csv::parse(text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Problem {
                line: e.line,
                column: e.column,
                key: String::new(),
                message: e.message,
            });
            return Vec::new();
        }
    };
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Vec::new();
    };
    let mut columns: [Option<usize>; 3] = [None, None, None];
    let mut header_ok = true;
    for (i, f) in header.iter().enumerate() {
        let name = f.value.trim().to_ascii_lowercase();
        match KEYS.iter().position(|k| *k == name) {
            Some(slot) if columns.get(slot).is_some_and(Option::is_none) => {
                if let Some(c) = columns.get_mut(slot) {
                    *c = Some(i);
                }
            }
            Some(_) => {
                header_ok = false;
                problems.push(Problem {
                    line: f.line,
                    column: f.column,
                    key: name.clone(),
                    message: format!("column `{name}` appears twice in the header"),
                });
            }
            None => {
                header_ok = false;
                problems.push(Problem {
                    line: f.line,
                    column: f.column,
                    key: String::new(),
                    message: format!(
                        "unknown column {:?} (the header is `vendor,product,sbom`, in any order)",
                        f.value
                    ),
                });
            }
        }
    }
    for (k, c) in KEYS.iter().zip(&columns) {
        if c.is_none() {
            header_ok = false;
            let (line, column) = header.first().map_or((1, 1), |f| (f.line, f.column));
            problems.push(Problem {
                line,
                column,
                key: String::new(),
                message: format!("the header has no `{k}` column (expected `vendor,product,sbom`)"),
            });
        }
    }
    if !header_ok {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for rec in records {
        let (line, column) = rec.first().map_or((1, 1), |f| (f.line, f.column));
        if rec.len() != header.len() {
            problems.push(Problem {
                line,
                column,
                key: String::new(),
                message: format!("{} field(s), the header has {}", rec.len(), header.len()),
            });
            continue;
        }
        let values = columns.map(|c| {
            c.and_then(|i| rec.get(i)).map(|f| Value {
                value: f.value.clone(),
                line: f.line,
                column: f.column,
                key: KEYS
                    .iter()
                    .zip(&columns)
                    .find(|(_, cc)| **cc == c)
                    .map(|(k, _)| k.to_string())
                    .unwrap_or_default(),
            })
        });
        if let Some(r) = row(values, (line, column, ""), problems) {
            rows.push(r);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, kind: Kind) -> Manifest {
        let (m, p) = parse(text, kind, Path::new("subs"));
        assert!(p.is_empty(), "{p:#?}");
        m
    }

    fn problems(text: &str, kind: Kind) -> Vec<String> {
        parse(text, kind, Path::new("subs"))
            .1
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn toml_submissions_resolve_paths_against_the_manifest_directory() {
        let m = ok(
            "[[submission]]\nvendor = \"Acme\"\nproduct = \"Gate\"\nsbom = \"a/gate.json\"\n\n\
             [[submission]]\nvendor = \"Acme\"\nproduct = \"Gate\"\nsbom = \"https://example.test/x.json\"\n",
            Kind::Toml,
        );
        assert_eq!(m.entries.len(), 2);
        assert_eq!(
            m.entries[0].input,
            Path::new("subs").join("a/gate.json").to_string_lossy()
        );
        assert_eq!(m.entries[0].line, 4);
        assert_eq!(m.entries[1].input, "https://example.test/x.json");
        assert_eq!(
            m.submissions().len(),
            1,
            "same vendor and product: one submission"
        );
    }

    #[test]
    fn csv_columns_may_come_in_any_order_and_values_are_trimmed() {
        let m = ok(
            "sbom,Vendor,product\n x.json , Acme ,\"Gate, model 2\"\n",
            Kind::Csv,
        );
        let e = &m.entries[0];
        assert_eq!(e.submission.vendor, "Acme");
        assert_eq!(e.submission.product, "Gate, model 2");
        assert_eq!(e.sbom, "x.json");
        assert_eq!((e.line, e.column), (2, 1));
    }

    #[test]
    fn toml_problems_are_each_located_with_their_key() {
        let p = problems(
            "colour = 1\n[[submission]]\nvendor = \"Acme\"\nsbom = 3\n[[submission]]\nvendor = \"\"\nproduct = \"P\"\nsbom = \"x\"\nextra = true\n",
            Kind::Toml,
        );
        assert_eq!(
            p,
            vec![
                "1:1: colour: unknown key `colour` (a manifest has `[[submission]]` tables only)",
                "4:8: submission[0].sbom: expected a string",
                "6:10: submission[1].vendor: `vendor` is empty",
                "9:1: submission[1].extra: unknown key `extra` (allowed: vendor, product, sbom)",
            ]
        );
    }

    #[test]
    fn a_missing_key_is_reported_at_its_table() {
        let p = problems(
            "[[submission]]\nvendor = \"Acme\"\nsbom = \"x\"\n",
            Kind::Toml,
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains("submission[0].product: missing `product`"),
            "{p:?}"
        );
    }

    #[test]
    fn toml_syntax_errors_are_located() {
        let p = problems(
            "[[submission]]\nvendor = \"Acme\nproduct = \"P\"\n",
            Kind::Toml,
        );
        assert!(!p.is_empty());
        assert!(p[0].starts_with("2:"), "{p:?}");
    }

    #[test]
    fn csv_header_and_row_problems_are_located() {
        let p = problems("vendor,product,file\nA,P,x\n", Kind::Csv);
        assert!(
            p.iter()
                .any(|l| l.starts_with("1:16: unknown column \"file\"")),
            "{p:?}"
        );
        assert!(p.iter().any(|l| l.contains("no `sbom` column")), "{p:?}");
        let p = problems("vendor,product,sbom\nA,P\nB,,y\n", Kind::Csv);
        assert_eq!(
            p,
            vec![
                "2:1: 2 field(s), the header has 3",
                "3:3: product: `product` is empty"
            ]
        );
    }

    #[test]
    fn the_same_sbom_twice_is_a_problem() {
        let p = problems("vendor,product,sbom\nA,P,x.json\nB,Q,x.json\n", Kind::Csv);
        assert_eq!(
            p,
            vec!["3:5: sbom: SBOM \"x.json\" is already listed on line 2"]
        );
    }

    #[test]
    fn an_empty_manifest_is_a_problem() {
        assert_eq!(problems("", Kind::Toml).len(), 1);
        assert_eq!(problems("vendor,product,sbom\n", Kind::Csv).len(), 1);
    }

    #[test]
    fn the_kind_comes_from_the_extension_then_the_content() {
        assert_eq!(kind_of(Path::new("m.csv"), "[[submission]]"), Kind::Csv);
        assert_eq!(
            kind_of(Path::new("m.toml"), "vendor,product,sbom"),
            Kind::Toml
        );
        assert_eq!(kind_of(Path::new("m"), "# c\n[[submission]]\n"), Kind::Toml);
        assert_eq!(kind_of(Path::new("m"), "vendor,product,sbom\n"), Kind::Csv);
    }
}
