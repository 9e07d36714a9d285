//! Loading the registry: collect the files (a directory, or the copy compiled into the binary),
//! parse every file, deserialise into the raw types while collecting EVERY problem (syntax
//! errors, unknown keys, wrong types, missing keys) with file, key path and line/column, then —
//! when the linter finds no error — resolve the raw data into the validated [`Registry`].
//!
//! Collecting every serde problem: toml's deserialiser stops at the first error, so the loader
//! retries. Each error carries a byte span; the node at that span (a key, a value, an array
//! element, or for a missing key the table) is removed from the parsed tree and the file is
//! deserialised again, until it succeeds. Key paths are looked up from spans in the ORIGINAL
//! tree, so they stay right when array elements have been removed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

use super::model::*;
use super::problem::{Problem, Severity};
use super::RegistryError;

/// One file of the registry: path relative to the registry directory (`/` separators) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: Cow<'static, str>,
}

/// What a file is, from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    Registry,
    Sources,
    Designations,
    Countries,
    Vendor,
    Unknown,
}

impl FileRole {
    pub fn of(path: &str) -> FileRole {
        match path {
            "registry.toml" => FileRole::Registry,
            "sources.toml" => FileRole::Sources,
            "designations.toml" => FileRole::Designations,
            "countries.toml" => FileRole::Countries,
            p => match p.strip_prefix("vendors/") {
                Some(rest) if !rest.contains('/') && rest.ends_with(".toml") => FileRole::Vendor,
                _ => FileRole::Unknown,
            },
        }
    }
}

/// The files every registry must have.
pub const REQUIRED_FILES: &[&str] = &[
    "registry.toml",
    "sources.toml",
    "designations.toml",
    "countries.toml",
];

/// Read every `.toml` file under `dir` (hidden entries and non-TOML files are skipped).
/// Unreadable or non-UTF-8 files become problems; a missing directory is an error.
pub fn read_dir(dir: &Path) -> Result<(Vec<SourceFile>, Vec<Problem>), RegistryError> {
    let meta = std::fs::metadata(dir).map_err(|e| RegistryError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    if !meta.is_dir() {
        return Err(RegistryError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::other("not a directory"),
        });
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    walk(dir, "", 0, &mut files, &mut problems).map_err(|e| RegistryError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    files.sort_by(|a: &SourceFile, b| a.path.cmp(&b.path));
    Ok((files, problems))
}

fn walk(
    dir: &Path,
    rel: &str,
    depth: usize,
    files: &mut Vec<SourceFile>,
    problems: &mut Vec<Problem>,
) -> std::io::Result<()> {
    if depth > 8 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let rel_path = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let ft = entry.file_type()?;
        if ft.is_dir() {
            walk(&path, &rel_path, depth + 1, files, problems)?;
        } else if name.ends_with(".toml") {
            match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => files.push(SourceFile {
                        path: rel_path,
                        text: Cow::Owned(text),
                    }),
                    Err(e) => problems.push(file_problem(
                        &rel_path,
                        "not-utf8",
                        format!("is not UTF-8 ({e})"),
                    )),
                },
                Err(e) => problems.push(file_problem(
                    &rel_path,
                    "unreadable",
                    format!("cannot be read: {e}"),
                )),
            }
        }
    }
    Ok(())
}

fn file_problem(file: &str, code: &'static str, message: String) -> Problem {
    Problem {
        severity: Severity::Error,
        code,
        file: file.to_string(),
        key: String::new(),
        line: None,
        column: None,
        message,
    }
}

/// `sha256:<hex>` over the files sorted by path; each file contributes the big-endian u64
/// length of its path, the path, the u64 length of its content and the content.
pub fn digest(files: &[SourceFile]) -> String {
    let mut refs: Vec<&SourceFile> = files.iter().collect();
    refs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut h = Sha256::new();
    for f in refs {
        h.update((f.path.len() as u64).to_be_bytes());
        h.update(f.path.as_bytes());
        h.update((f.text.len() as u64).to_be_bytes());
        h.update(f.text.as_bytes());
    }
    format!("sha256:{}", hex::encode(h.finalize()))
}

// ---------------------------------------------------------------------------------------------
// Locating spans: key paths and line/column.
// ---------------------------------------------------------------------------------------------

/// Maps byte spans of one file to key paths and byte offsets to line/column.
#[derive(Debug, Default)]
pub struct Locator {
    lines: crate::textpos::LineIndex,
    paths: FxHashMap<(usize, usize), String>,
}

impl Locator {
    fn new(text: &str) -> Locator {
        Locator {
            lines: crate::textpos::LineIndex::new(text),
            paths: FxHashMap::default(),
        }
    }

    fn index(&mut self, table: &DeTable<'_>, prefix: &str) {
        for (k, v) in table.iter() {
            let path = join_key(prefix, k.get_ref());
            let ks = k.span();
            self.paths.insert((ks.start, ks.end), path.clone());
            self.index_value(v, &path);
        }
    }

    fn index_value(&mut self, v: &Spanned<DeValue<'_>>, path: &str) {
        let s = v.span();
        // Deeper paths are inserted later and win (an array of tables shares its first
        // element's span).
        self.paths.insert((s.start, s.end), path.to_string());
        match v.get_ref() {
            DeValue::Table(t) => self.index(t, path),
            DeValue::Array(a) => {
                for (i, e) in a.iter().enumerate() {
                    self.index_value(e, &format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }

    /// The key path of the node at exactly `span`, if any.
    pub fn path_of(&self, span: &Range<usize>) -> Option<&str> {
        self.paths.get(&(span.start, span.end)).map(String::as_str)
    }

    /// 1-based line and column (in characters) of byte `offset` of `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        self.lines.line_col(text, offset)
    }
}

/// Append a key to a path, quoting keys that are not bare TOML keys.
pub fn join_key(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let k = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if prefix.is_empty() {
        k
    } else {
        format!("{prefix}.{k}")
    }
}

/// A parsed file: path, text, role and locator.
#[derive(Debug)]
pub struct FileInfo {
    pub path: String,
    pub text: Cow<'static, str>,
    pub role: FileRole,
    pub locator: Locator,
}

impl FileInfo {
    /// A problem at `span` of this file; the key path is looked up from the span unless given.
    pub fn problem(
        &self,
        severity: Severity,
        code: &'static str,
        key: Option<String>,
        span: Option<Range<usize>>,
        message: String,
    ) -> Problem {
        let key = key
            .or_else(|| {
                span.as_ref()
                    .and_then(|s| self.locator.path_of(s))
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let (line, column) = match span {
            Some(s) if !(s.start == 0 && s.end == 0) => {
                let (l, c) = self.locator.line_col(&self.text, s.start);
                (Some(l), Some(c))
            }
            _ => (None, None),
        };
        Problem {
            severity,
            code,
            file: self.path.clone(),
            key,
            line,
            column,
            message,
        }
    }

    /// The key path of the node at `span` (empty when unknown).
    pub fn path(&self, span: &Range<usize>) -> String {
        self.locator.path_of(span).unwrap_or_default().to_string()
    }
}

/// The raw contents of a registry, file by file (indices into the `FileInfo` list).
#[derive(Debug, Default)]
pub struct RawRegistry {
    pub meta: Option<(usize, RawRegistryFile)>,
    pub sources: Option<(usize, RawSourcesFile)>,
    pub designations: Option<(usize, RawDesignationsFile)>,
    pub countries: Option<(usize, RawCountriesFile)>,
    pub vendors: Vec<(usize, RawVendorFile)>,
    /// Ids of tables dropped because of an error already reported: references to them are not
    /// reported again as dangling.
    pub dropped_ids: FxHashSet<String>,
    /// Files that could not be read at all (syntax errors): suppresses cascades.
    pub broken_files: Vec<usize>,
    /// `(file, key path)` of values removed because they were reported as bad: the linter
    /// does not report them again as missing.
    pub reported_keys: FxHashSet<(usize, String)>,
}

/// Parse every file into raw types, collecting every problem.
pub fn parse_all(files: &[SourceFile]) -> (Vec<FileInfo>, RawRegistry, Vec<Problem>) {
    let mut infos = Vec::with_capacity(files.len());
    let mut raw = RawRegistry::default();
    let mut problems = Vec::new();
    for f in files {
        let idx = infos.len();
        let role = FileRole::of(&f.path);
        let mut info = FileInfo {
            path: f.path.clone(),
            text: f.text.clone(),
            role,
            locator: Locator::new(&f.text),
        };
        if role == FileRole::Unknown {
            problems.push(
                info.problem(
                    Severity::Error,
                    "unexpected-file",
                    None,
                    None,
                    "is not part of the registry layout (registry.toml, sources.toml, \
                 designations.toml, countries.toml, vendors/<id>.toml)"
                        .into(),
                ),
            );
            infos.push(info);
            continue;
        }
        let text: &str = &f.text;
        let (tree, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            for e in errors {
                problems.push(
                    info.problem(
                        Severity::Error,
                        "toml-syntax",
                        Some(String::new()),
                        e.span()
                            .map(|s| if s.start == 0 && s.end == 0 { 0..1 } else { s }),
                        e.message().to_string(),
                    ),
                );
            }
            raw.broken_files.push(idx);
            infos.push(info);
            continue;
        }
        info.locator.index(tree.get_ref(), "");
        let mut ctx = Collect {
            info: &info,
            file: idx,
            problems: &mut problems,
            dropped_ids: &mut raw.dropped_ids,
            reported_keys: &mut raw.reported_keys,
        };
        match role {
            FileRole::Registry => raw.meta = ctx.deserialize(tree).map(|v| (idx, v)),
            FileRole::Sources => raw.sources = ctx.deserialize(tree).map(|v| (idx, v)),
            FileRole::Designations => raw.designations = ctx.deserialize(tree).map(|v| (idx, v)),
            FileRole::Countries => raw.countries = ctx.deserialize(tree).map(|v| (idx, v)),
            FileRole::Vendor => match ctx.deserialize(tree) {
                Some(v) => raw.vendors.push((idx, v)),
                None => raw.broken_files.push(idx),
            },
            FileRole::Unknown => {}
        }
        infos.push(info);
    }
    for req in REQUIRED_FILES {
        if !files.iter().any(|f| f.path == *req) {
            problems.push(file_problem(
                req,
                "missing-file",
                "is missing; every registry has registry.toml, sources.toml, designations.toml \
                 and countries.toml"
                    .into(),
            ));
        }
    }
    (infos, raw, problems)
}

#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

struct Collect<'a> {
    info: &'a FileInfo,
    file: usize,
    problems: &'a mut Vec<Problem>,
    dropped_ids: &'a mut FxHashSet<String>,
    reported_keys: &'a mut FxHashSet<(usize, String)>,
}

/// Most retries per file before giving up (each retry re-reads the file).
const MAX_RETRIES: usize = 2_000;

impl Collect<'_> {
    /// Deserialise `tree` into `T`, reporting every error; `None` when the file as a whole
    /// cannot be used (a required top-level key cannot be stood in for, or an error has no
    /// location).
    ///
    /// A missing required key is reported, then a stand-in value is inserted (at a span past
    /// the end of the file, so it is never reported) and adjusted from the next error until it
    /// fits (`""`, then the first allowed variant, `false`, `[]` or `{}`), so the rest of the
    /// table is still checked. A bad value is reported and removed.
    fn deserialize<T: DeserializeOwned>(&mut self, mut tree: Spanned<DeTable<'_>>) -> Option<T> {
        // Keys removed for a bad value: a later "missing field" for them is the same problem.
        let mut removed_keys: FxHashSet<String> = FxHashSet::default();
        let fake_base = self.info.text.len() + 1;
        // Stand-ins: fake span start → (path of the key, attempts).
        let mut stand_ins: FxHashMap<usize, (Vec<Seg>, u8)> = FxHashMap::default();
        for _ in 0..MAX_RETRIES {
            let err = match T::deserialize(toml::de::Deserializer::from(tree.clone())) {
                Ok(v) => return Some(v),
                Err(e) => e,
            };
            let span = err.span();
            let message = err.message().to_string();

            // An error at a stand-in: adjust it, or give up on its table.
            if let Some(s) = span.as_ref().filter(|s| s.start >= fake_base) {
                let (path, attempts) = stand_ins.get_mut(&s.start)?;
                *attempts += 1;
                let path = path.clone();
                match next_stand_in(&message).filter(|_| *attempts <= 4) {
                    Some(v) => {
                        let fake = s.clone();
                        let (table_path, key) = path.split_at(path.len().saturating_sub(1));
                        let Some(Seg::Key(key)) = key.first() else {
                            return None;
                        };
                        let table = table_at_mut(tree.get_mut(), table_path)?;
                        table.insert(
                            Spanned::new(fake.clone(), Cow::Owned(key.clone())),
                            Spanned::new(fake, v),
                        );
                    }
                    None => {
                        let table_path = &path[..path.len().saturating_sub(1)];
                        if table_path.is_empty() {
                            return None;
                        }
                        removed_keys.insert(seg_path(table_path));
                        let removed = remove(tree.get_mut(), table_path)?;
                        self.note_dropped(&removed);
                    }
                }
                continue;
            }

            let found = span.as_ref().and_then(|s| find(tree.get_ref(), s));
            if let Some(field) = quoted_after(&message, "missing field `") {
                let table_path = span
                    .as_ref()
                    .and_then(|s| self.info.locator.path_of(s))
                    .unwrap_or("");
                let key = join_key(table_path, field);
                if !removed_keys.contains(&key) {
                    let at = span.clone().filter(|s| s.end > s.start);
                    self.problems.push(self.info.problem(
                        Severity::Error,
                        "missing-key",
                        Some(key),
                        at,
                        format!("required key `{field}` is missing"),
                    ));
                }
                // The root table has no node of its own (its span is empty).
                let table_path = match found {
                    Some(p) => p,
                    None if span.as_ref().is_none_or(|s| s.start == s.end) => Vec::new(),
                    None => return None,
                };
                let fake = fake_base + stand_ins.len();
                let table = table_at_mut(tree.get_mut(), &table_path)?;
                table.insert(
                    Spanned::new(fake..fake, Cow::Owned(field.to_string())),
                    Spanned::new(fake..fake, DeValue::String(Cow::Borrowed(""))),
                );
                let mut key_path = table_path;
                key_path.push(Seg::Key(field.to_string()));
                stand_ins.insert(fake, (key_path, 0));
                continue;
            }

            let written = span.as_ref().and_then(|s| self.info.text.get(s.clone()));
            let (code, msg) = describe(&message, written);
            self.problems.push(
                self.info
                    .problem(Severity::Error, code, None, span.clone(), msg),
            );
            let path = found?;
            if let Some(key_path) = span.as_ref().and_then(|s| self.info.locator.path_of(s)) {
                removed_keys.insert(key_path.to_string());
                self.reported_keys.insert((self.file, key_path.to_string()));
            }
            let removed = remove(tree.get_mut(), &path)?;
            self.note_dropped(&removed);
        }
        self.problems.push(self.info.problem(
            Severity::Error,
            "too-many-problems",
            Some(String::new()),
            None,
            format!("stopped after {MAX_RETRIES} problems in this file"),
        ));
        None
    }

    fn note_dropped(&mut self, removed: &Spanned<DeValue<'_>>) {
        if let DeValue::Table(t) = removed.get_ref() {
            if let Some(id) = t.get("id").and_then(|v| v.get_ref().as_str()) {
                self.dropped_ids.insert(id.to_string());
            }
        }
    }
}

/// The next stand-in value to try, from the error the previous one caused.
fn next_stand_in(message: &str) -> Option<DeValue<'static>> {
    if message.contains("unknown variant") {
        let i = message.find("expected")?;
        let first = backticked(&message[i..]).into_iter().next()?;
        return Some(DeValue::String(Cow::Owned(first.to_string())));
    }
    if message.contains("expected a boolean") {
        return Some(DeValue::Boolean(false));
    }
    if message.contains("expected a sequence") {
        return Some(DeValue::Array(DeArray::new()));
    }
    // No stand-in tables: their own required keys would need stand-ins too.
    None
}

/// A key path from segments (`product[2].name`).
fn seg_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => out = join_key(&out, k),
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The table at `path` (the root for an empty path).
fn table_at_mut<'a, 'i>(root: &'a mut DeTable<'i>, path: &[Seg]) -> Option<&'a mut DeTable<'i>> {
    let Some((first, rest)) = path.split_first() else {
        return Some(root);
    };
    let Seg::Key(k) = first else {
        return None;
    };
    let v = root.get_mut(k.as_str())?;
    value_table_at_mut(v.get_mut(), rest)
}

fn value_table_at_mut<'a, 'i>(v: &'a mut DeValue<'i>, path: &[Seg]) -> Option<&'a mut DeTable<'i>> {
    match (v, path.first()) {
        (DeValue::Table(t), None) => Some(t),
        (DeValue::Table(t), Some(Seg::Key(_))) => table_at_mut(t, path),
        (DeValue::Array(a), Some(Seg::Index(i))) => {
            let e = a.get_mut(*i)?;
            value_table_at_mut(e.get_mut(), &path[1..])
        }
        _ => None,
    }
}

/// The text between `prefix` and the next backtick.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    rest.find('`').map(|end| &rest[..end])
}

/// Backticked words of `s`.
fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// Turn a serde/toml message into a code and a friendlier message; `written` is the text of
/// the value at fault.
fn describe(message: &str, written: Option<&str>) -> (&'static str, String) {
    let looks_like_date = written.is_some_and(|w| {
        let b = w.as_bytes();
        b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
    });
    if looks_like_date && message.contains("expected a string") {
        return (
            "invalid-type",
            format!(
                "a TOML date is not allowed here; write dates as strings: \"{}\"",
                written.unwrap_or_default()
            ),
        );
    }
    if let Some(field) = quoted_after(message, "unknown field `") {
        let expected: Vec<&str> = message
            .find("expected")
            .map(|i| backticked(&message[i..]))
            .unwrap_or_default();
        let mut m = format!("unknown key `{field}`");
        if let Some(s) = super::problem::suggest(field, expected.iter().copied()) {
            m.push_str(&format!("; did you mean `{s}`?"));
        }
        if !expected.is_empty() {
            m.push_str(&format!(" (allowed: {})", expected.join(", ")));
        } else {
            m.push_str(" (this table takes no keys)");
        }
        return ("unknown-key", m);
    }
    if let Some(variant) = quoted_after(message, "unknown variant `") {
        let expected: Vec<&str> = message
            .find("expected")
            .map(|i| backticked(&message[i..]))
            .unwrap_or_default();
        let mut m = format!("`{variant}` is not allowed here");
        if let Some(s) = super::problem::suggest(variant, expected.iter().copied()) {
            m.push_str(&format!("; did you mean `{s}`?"));
        }
        if !expected.is_empty() {
            m.push_str(&format!(" (allowed: {})", expected.join(", ")));
        }
        return ("unknown-value", m);
    }
    if message.starts_with("invalid type") {
        return ("invalid-type", message.to_string());
    }
    ("invalid-value", message.to_string())
}

/// The deepest node (key or value) whose span is exactly `span`, as a path of segments.
fn find(root: &DeTable<'_>, span: &Range<usize>) -> Option<Vec<Seg>> {
    let mut best: Option<Vec<Seg>> = None;
    let mut path = Vec::new();
    find_in_table(root, span, &mut path, &mut best);
    best
}

fn consider(path: &[Seg], best: &mut Option<Vec<Seg>>) {
    if best.as_ref().is_none_or(|b| path.len() > b.len()) {
        *best = Some(path.to_vec());
    }
}

fn find_in_table(
    t: &DeTable<'_>,
    span: &Range<usize>,
    path: &mut Vec<Seg>,
    best: &mut Option<Vec<Seg>>,
) {
    for (k, v) in t.iter() {
        path.push(Seg::Key(k.get_ref().to_string()));
        if k.span() == *span || v.span() == *span {
            consider(path, best);
        }
        find_in_value(v.get_ref(), span, path, best);
        path.pop();
    }
}

fn find_in_value(
    v: &DeValue<'_>,
    span: &Range<usize>,
    path: &mut Vec<Seg>,
    best: &mut Option<Vec<Seg>>,
) {
    match v {
        DeValue::Table(t) => find_in_table(t, span, path, best),
        DeValue::Array(a) => {
            for (i, e) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                if e.span() == *span {
                    consider(path, best);
                }
                find_in_value(e.get_ref(), span, path, best);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Remove the node at `path`; returns it.
fn remove<'i>(root: &mut DeTable<'i>, path: &[Seg]) -> Option<Spanned<DeValue<'i>>> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(k) = first else {
        return None;
    };
    if rest.is_empty() {
        return root.remove(k.as_str());
    }
    let v = root.get_mut(k.as_str())?;
    remove_in_value(v.get_mut(), rest)
}

fn remove_in_value<'i>(v: &mut DeValue<'i>, path: &[Seg]) -> Option<Spanned<DeValue<'i>>> {
    match (v, path.first()?) {
        (DeValue::Table(t), Seg::Key(_)) => remove(t, path),
        (DeValue::Array(a), Seg::Index(i)) => {
            let i = *i;
            if path.len() == 1 {
                let old = std::mem::replace(a, DeArray::new());
                let mut removed = None;
                *a = old
                    .into_iter()
                    .enumerate()
                    .filter_map(|(j, e)| {
                        if j == i {
                            removed = Some(e);
                            None
                        } else {
                            Some(e)
                        }
                    })
                    .collect();
                removed
            } else {
                let e = a.get_mut(i)?;
                remove_in_value(e.get_mut(), &path[1..])
            }
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Resolving raw data into the validated registry (run only when lint found no error).
// ---------------------------------------------------------------------------------------------

fn opt_date(s: &Option<Spanned<String>>) -> Option<Date> {
    s.as_ref().and_then(|d| Date::parse(d.get_ref()).ok())
}

fn strings(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(|s| s.get_ref().clone()).collect()
}

/// Build the validated registry. References that do not resolve are skipped (the linter
/// reports them as errors, so they cannot occur in a registry that loaded).
pub fn resolve(
    infos: &[FileInfo],
    raw: &RawRegistry,
    digest: String,
    origin: String,
    problems: Vec<Problem>,
) -> Registry {
    let mut source_ids: FxHashMap<String, SourceId> = FxHashMap::default();
    let mut sources = Vec::new();
    let mut add_sources = |map: &BTreeMap<String, Spanned<RawSource>>, file: usize| {
        for (key, s) in map {
            if source_ids.contains_key(key) {
                continue;
            }
            let s = s.get_ref();
            let Some(date) = opt_date(&s.date) else {
                continue;
            };
            source_ids.insert(key.clone(), SourceId(sources.len() as u32));
            sources.push(Source {
                key: key.clone(),
                title: s
                    .title
                    .as_ref()
                    .map(|t| t.get_ref().clone())
                    .unwrap_or_default(),
                publisher: s
                    .publisher
                    .as_ref()
                    .map(|t| t.get_ref().clone())
                    .unwrap_or_default(),
                date,
                url: s.url.as_ref().map(|u| u.get_ref().clone()),
                document: s.document.clone(),
                note: s.note.clone(),
                file: infos.get(file).map(|f| f.path.clone()).unwrap_or_default(),
            });
        }
    };
    if let Some((f, s)) = &raw.sources {
        add_sources(&s.sources, *f);
    }
    if let Some((f, d)) = &raw.designations {
        add_sources(&d.sources, *f);
    }
    if let Some((f, c)) = &raw.countries {
        add_sources(&c.sources, *f);
    }
    for (f, v) in &raw.vendors {
        add_sources(&v.source, *f);
    }
    let prov = |status: Status, keys: &[Spanned<String>]| Provenance {
        status,
        sources: strings(keys),
        source_ids: keys
            .iter()
            .filter_map(|k| source_ids.get(k.get_ref()).copied())
            .collect(),
    };

    let mut designations = Vec::new();
    let mut designation_ids = FxHashMap::default();
    if let Some((_, d)) = &raw.designations {
        for d in &d.designation {
            let d = d.get_ref();
            if designation_ids.contains_key(d.id.get_ref()) {
                continue;
            }
            designation_ids.insert(
                d.id.get_ref().clone(),
                DesignationId(designations.len() as u32),
            );
            designations.push(Designation {
                id: d.id.get_ref().clone(),
                title: d.title.clone(),
                authority: d.authority.clone(),
                jurisdiction: d.jurisdiction.get_ref().clone(),
                citation: d.citation.clone(),
                clause: d.clause.clone(),
                issued: opt_date(&d.issued),
                effective: opt_date(&d.effective),
                scope: d.scope,
                affiliates: d.affiliates,
                successors: d.successors,
                summary: d.summary.clone(),
                use_context: d.use_context.clone(),
                provenance: prov(d.status, &d.sources),
                notes: d.notes.clone(),
            });
        }
    }

    let mut countries = BTreeMap::new();
    let mut country_groups = Vec::new();
    if let Some((_, c)) = &raw.countries {
        for (code, name) in &c.countries {
            countries.insert(code.clone(), name.get_ref().clone());
        }
        for g in &c.group {
            let g = g.get_ref();
            country_groups.push(CountryGroup {
                id: g.id.get_ref().clone(),
                title: g.title.clone(),
                members: strings(&g.members),
                note: g.note.clone(),
                provenance: prov(g.status, &g.sources),
            });
        }
    }

    // First pass: ids of vendors, products and OEMs (references may point forward).
    let mut vendor_ids = FxHashMap::default();
    let mut product_ids = FxHashMap::default();
    let mut oem_ids = FxHashMap::default();
    let mut n_products = 0u32;
    let mut n_oems = 0u32;
    for (_, v) in &raw.vendors {
        let vid = VendorId(vendor_ids.len() as u32);
        vendor_ids.entry(v.id.get_ref().clone()).or_insert(vid);
        for p in &v.product {
            if !product_ids.contains_key(p.get_ref().id.get_ref()) {
                product_ids.insert(p.get_ref().id.get_ref().clone(), ProductId(n_products));
                n_products += 1;
            }
        }
        for o in &v.oem {
            if !oem_ids.contains_key(o.get_ref().id.get_ref()) {
                oem_ids.insert(o.get_ref().id.get_ref().clone(), OemId(n_oems));
                n_oems += 1;
            }
        }
    }

    let identifiers = |ids: &[Spanned<RawIdentifier>]| -> Vec<Identifier> {
        ids.iter()
            .map(|i| {
                let i = i.get_ref();
                Identifier {
                    kind: i.kind,
                    value: i.value.get_ref().trim().to_string(),
                    provenance: prov(i.status, &i.sources),
                    notes: i.notes.clone(),
                }
            })
            .collect()
    };
    let product_list = |ids: &[Spanned<String>]| -> Vec<ProductId> {
        ids.iter()
            .filter_map(|p| product_ids.get(p.get_ref()).copied())
            .collect()
    };

    let mut vendors: Vec<Vendor> = Vec::new();
    let mut entities = Vec::new();
    let mut products = Vec::new();
    let mut oems = Vec::new();
    for (f, v) in &raw.vendors {
        let vid = VendorId(vendors.len() as u32);
        if vendor_ids.get(v.id.get_ref()) != Some(&vid) {
            continue; // a duplicate vendor id (reported by lint)
        }
        let mut vendor = Vendor {
            id: v.id.get_ref().clone(),
            name: v.name.get_ref().clone(),
            kind: v.kind,
            hq_country: v.hq_country.get_ref().clone(),
            ultimate_parent_country: v
                .ultimate_parent_country
                .as_ref()
                .map(|c| c.get_ref().clone()),
            country_status: v.country_status.unwrap_or(v.status),
            summary: v.summary.clone(),
            notes: v.notes.clone(),
            provenance: prov(v.status, &v.sources),
            designations: Vec::new(),
            entities: Vec::new(),
            identifiers: identifiers(&v.identifier),
            products: Vec::new(),
            oems: Vec::new(),
            file: infos.get(*f).map(|i| i.path.clone()).unwrap_or_default(),
        };
        for e in &v.entity {
            let e = e.get_ref();
            vendor.entities.push(EntityId(entities.len() as u32));
            entities.push(Entity {
                vendor: vid,
                name: e.name.get_ref().clone(),
                country: e.country.as_ref().map(|c| c.get_ref().clone()),
                relation: e.relation,
                aliases: strings(&e.aliases),
                provenance: prov(e.status, &e.sources),
                notes: e.notes.clone(),
            });
        }
        for d in &v.designation {
            let d = d.get_ref();
            let Some(&did) = designation_ids.get(d.id.get_ref()) else {
                continue;
            };
            vendor.designations.push(VendorDesignation {
                id: d.id.get_ref().clone(),
                designation: did,
                since: opt_date(&d.since),
                products: strings(&d.products),
                product_ids: product_list(&d.products),
                exempt_products: strings(&d.exempt_products),
                exempt_product_ids: product_list(&d.exempt_products),
                entities: strings(&d.entities),
                entity_ids: d
                    .entities
                    .iter()
                    .filter_map(|n| {
                        vendor.entities.iter().copied().find(|&e| {
                            entities
                                .get(e.index())
                                .is_some_and(|x: &Entity| x.name == *n.get_ref())
                        })
                    })
                    .collect(),
                provenance: prov(d.status, &d.sources),
                notes: d.notes.clone(),
            });
        }
        for p in &v.product {
            let p = p.get_ref();
            let pid = ProductId(products.len() as u32);
            if product_ids.get(p.id.get_ref()) != Some(&pid) {
                continue;
            }
            vendor.products.push(pid);
            products.push(Product {
                id: p.id.get_ref().clone(),
                vendor: vid,
                name: p.name.get_ref().clone(),
                kind: p.kind,
                branded: p.branded,
                review_only: p.review_only,
                aliases: strings(&p.aliases),
                identifiers: identifiers(&p.identifiers),
                provenance: prov(p.status, &p.sources),
                notes: p.notes.clone(),
            });
        }
        for o in &v.oem {
            let o = o.get_ref();
            let oid = OemId(oems.len() as u32);
            if oem_ids.get(o.id.get_ref()) != Some(&oid) {
                continue;
            }
            vendor.oems.push(oid);
            oems.push(Oem {
                id: o.id.get_ref().clone(),
                vendor: vid,
                embedder: o.embedder.clone(),
                embedder_vendor: o.embedder_vendor.as_ref().map(|e| e.get_ref().clone()),
                embedder_vendor_id: o
                    .embedder_vendor
                    .as_ref()
                    .and_then(|e| vendor_ids.get(e.get_ref()).copied()),
                product: o.product.clone(),
                engine: o.engine.as_ref().map(|e| e.get_ref().clone()),
                engine_id: o
                    .engine
                    .as_ref()
                    .and_then(|e| product_ids.get(e.get_ref()).copied()),
                identifiers: identifiers(&o.identifiers),
                versions: o
                    .versions
                    .as_ref()
                    .and_then(|r| VersionRange::parse(r.get_ref()).ok()),
                from: opt_date(&o.from),
                until: opt_date(&o.until),
                provenance: prov(o.status, &o.sources),
                notes: o.notes.clone(),
            });
        }
        vendors.push(vendor);
    }

    let (version, serial, description) = match &raw.meta {
        Some((_, m)) => (
            m.registry.version.get_ref().clone(),
            m.registry.serial,
            m.registry.description.clone(),
        ),
        None => (String::new(), 0, None),
    };
    Registry {
        meta: RegistryMeta {
            version,
            serial,
            description,
            digest,
            origin,
        },
        sources,
        designations,
        countries,
        country_groups,
        vendors,
        entities,
        products,
        oems,
        problems,
        vendor_ids,
        product_ids,
        oem_ids,
        designation_ids,
        source_ids,
        index: std::sync::OnceLock::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: Cow::Owned(text.into()),
        }
    }

    fn vendor_problems(text: &str) -> Vec<Problem> {
        let (_, _, p) = parse_all(&[file("vendors/acme.toml", text)]);
        p.into_iter()
            .filter(|p| p.file == "vendors/acme.toml")
            .collect()
    }

    const HEAD: &str = "id = \"acme\"\nname = \"Acme\"\nkind = \"vendor\"\nhq_country = \"US\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n";

    #[test]
    fn every_serde_problem_in_a_file_is_reported_with_its_key_path() {
        let text = format!(
            "{HEAD}\n[[product]]\nid = \"a\"\nnmae = \"A\"\nname = \"A\"\nkind = \"sdk\"\nstatus = \"confirmed\"\nbranded = \"yes\"\n\n\
             [[product]]\nid = \"b\"\nkind = \"sdk\"\nstatus = \"confirmed\"\n\n\
             [[product]]\nid = \"c\"\nname = \"C\"\nkind = \"skd\"\nstatus = \"confirmed\"\n\
             identifiers = [ {{ kind = \"file-name\", value = \"x.dll\", status = \"confirmed\", sources = [\"s\", 3] }} ]\n"
        );
        let p = vendor_problems(&text);
        let keys: Vec<(&str, &str)> = p.iter().map(|p| (p.code, p.key.as_str())).collect();
        assert!(keys.contains(&("unknown-key", "product[0].nmae")), "{p:#?}");
        assert!(
            keys.contains(&("invalid-type", "product[0].branded")),
            "{p:#?}"
        );
        assert!(keys.contains(&("missing-key", "product[1].name")), "{p:#?}");
        assert!(
            keys.contains(&("unknown-value", "product[2].kind")),
            "{p:#?}"
        );
        assert!(
            keys.contains(&("invalid-type", "product[2].identifiers[0].sources[1]")),
            "{p:#?}"
        );
        assert_eq!(p.len(), 5, "{p:#?}");
        let typo = p.iter().find(|p| p.code == "unknown-key").unwrap();
        assert!(
            typo.message.contains("did you mean `name`"),
            "{}",
            typo.message
        );
        assert_eq!((typo.line, typo.column), (Some(10), Some(1)));
        let kind = p.iter().find(|p| p.code == "unknown-value").unwrap();
        assert!(
            kind.message.contains("did you mean `sdk`"),
            "{}",
            kind.message
        );
    }

    #[test]
    fn a_bad_value_of_a_required_key_is_reported_once() {
        let text = format!(
            "{HEAD}\n[[entity]]\nname = 5\nrelation = \"parent\"\nstatus = \"confirmed\"\n"
        );
        let p = vendor_problems(&text);
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!(p[0].code, "invalid-type");
        assert_eq!(p[0].key, "entity[0].name");
    }

    #[test]
    fn a_missing_top_level_key_is_reported_after_all_other_problems() {
        let p = vendor_problems("id = \"acme\"\nkind = \"vendr\"\nhq_country = \"US\"\nstatus = \"confirmed\"\nwebsite = \"x\"\n");
        let codes: Vec<&str> = p.iter().map(|p| p.code).collect();
        assert!(codes.contains(&"unknown-value"), "{p:#?}");
        assert!(codes.contains(&"unknown-key"), "{p:#?}");
        assert!(codes.contains(&"missing-key"), "{p:#?}");
        let missing = p.iter().find(|p| p.code == "missing-key").unwrap();
        assert_eq!(missing.key, "name");
        assert_eq!(missing.line, None);
    }

    #[test]
    fn every_syntax_error_is_reported_with_a_position() {
        let p = vendor_problems("id = \"acme\"\nname = \nkind = [1,\n");
        assert!(p.len() >= 2, "{p:#?}");
        assert!(p
            .iter()
            .all(|p| p.code == "toml-syntax" && p.line.is_some()));
    }

    #[test]
    fn a_missing_key_does_not_hide_later_problems_in_the_same_table() {
        let text = format!(
            "{HEAD}\n[[product]]\nid = \"a\"\nkind = \"skd\"\nstatus = \"confirmed\"\nsources = [3]\nzz = 1\n"
        );
        let p = vendor_problems(&text);
        let keys: Vec<(&str, &str)> = p.iter().map(|p| (p.code, p.key.as_str())).collect();
        assert!(keys.contains(&("missing-key", "product[0].name")), "{p:#?}");
        assert!(
            keys.contains(&("unknown-value", "product[0].kind")),
            "{p:#?}"
        );
        assert!(
            keys.contains(&("invalid-type", "product[0].sources[0]")),
            "{p:#?}"
        );
        assert!(keys.contains(&("unknown-key", "product[0].zz")), "{p:#?}");
        assert_eq!(p.len(), 4, "{p:#?}");
    }

    #[test]
    fn a_missing_required_table_is_reported_and_the_file_dropped() {
        let (_, raw, p) = parse_all(&[file("registry.toml", "[registry]\nversion = \"1\"\n")]);
        let p: Vec<_> = p.iter().filter(|p| p.file == "registry.toml").collect();
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!(
            (p[0].code, p[0].key.as_str()),
            ("missing-key", "registry.serial")
        );
        assert!(raw.meta.is_none());
    }

    #[test]
    fn files_outside_the_layout_and_missing_files_are_errors() {
        let (_, _, p) = parse_all(&[file("source.toml", "")]);
        let codes: Vec<(&str, &str)> = p.iter().map(|p| (p.code, p.file.as_str())).collect();
        assert!(codes.contains(&("unexpected-file", "source.toml")));
        for f in REQUIRED_FILES {
            assert!(codes.contains(&("missing-file", *f)), "{f}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Arbitrary text in any file of the layout is reported, never a panic.
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,300}", which in 0usize..5) {
            let path = ["registry.toml", "sources.toml", "designations.toml", "countries.toml", "vendors/x.toml"][which];
            let _ = crate::registry::check(&[file(path, &text)]);
        }

        /// A fixture file with a slice cut out is reported, never a panic.
        #[test]
        fn truncated_fixture_files_never_panic(start in 0usize..8000, len in 1usize..400) {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/registry");
            let (mut files, _) = read_dir(&dir).unwrap();
            for f in files.iter_mut() {
                let t = f.text.to_string();
                let a = (start % (t.len() + 1)).min(t.len());
                let b = (a + len).min(t.len());
                let (a, b) = (floor(&t, a), floor(&t, b));
                f.text = Cow::Owned(format!("{}{}", &t[..a], &t[b..]));
            }
            let checked = crate::registry::check(&files);
            let _ = checked.problems.len();
        }
    }

    fn floor(s: &str, mut i: usize) -> usize {
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    /// A registry of the four base files plus `vendors` (`(id, extra TOML)`), loaded.
    pub(crate) fn small_registry(vendors: &[(&str, &str)]) -> Registry {
        let mut files = vec![
            file("registry.toml", "[registry]\nversion = \"1\"\nserial = 1\n"),
            file(
                "sources.toml",
                "[sources.s]\ntitle = \"T\"\npublisher = \"P\"\ndate = \"2020\"\nurl = \"https://example.invalid/s\"\n",
            ),
            file(
                "designations.toml",
                "[[designation]]\nid = \"d\"\ntitle = \"D\"\nauthority = \"A\"\njurisdiction = \"US\"\nscope = \"entity-list\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n",
            ),
            file("countries.toml", "[countries]\nUS = \"United States\"\nGB = \"United Kingdom\"\n"),
        ];
        for (id, extra) in vendors {
            files.push(file(
                &format!("vendors/{id}.toml"),
                &format!("id = \"{id}\"\nname = \"{id}\"\nkind = \"vendor\"\nhq_country = \"US\"\n{extra}"),
            ));
        }
        match Registry::from_files(files, "test".into(), Vec::new()) {
            Ok(r) => r,
            Err(e) => panic!("{e}: {e:#?}"),
        }
    }

    #[test]
    fn country_status_defaults_to_the_vendor_status_and_can_differ_from_it() {
        let reg = small_registry(&[
            ("plain", "status = \"confirmed\"\nsources = [\"s\"]\n"),
            (
                "weak-country",
                "country_status = \"unconfirmed\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n",
            ),
            ("weak", "status = \"unconfirmed\"\nsources = [\"s\"]\n"),
        ]);
        let status = |id: &str| {
            let v = reg.vendor(reg.vendor_by_id(id).unwrap());
            (v.provenance.status, v.country_status)
        };
        assert_eq!(status("plain"), (Status::Confirmed, Status::Confirmed));
        assert_eq!(
            status("weak-country"),
            (Status::Confirmed, Status::Unconfirmed)
        );
        assert_eq!(status("weak"), (Status::Unconfirmed, Status::Unconfirmed));
    }

    #[test]
    fn designation_entities_resolve_to_the_vendors_own_entities() {
        let entity = |name: &str, country: &str| {
            format!("[[entity]]\nname = \"{name}\"\ncountry = \"{country}\"\nrelation = \"subsidiary\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n")
        };
        // Another vendor's entities come first, so that ids are not simply 0..n.
        let other = format!(
            "status = \"confirmed\"\nsources = [\"s\"]\n{}",
            entity("Other Ltd", "GB")
        );
        let acme = format!(
            "status = \"confirmed\"\nsources = [\"s\"]\n\
             [[designation]]\nid = \"d\"\nentities = [\"Acme UK Ltd\"]\nstatus = \"confirmed\"\nsources = [\"s\"]\n\
             {}{}",
            entity("Acme Inc", "US"),
            entity("Acme UK Ltd", "GB")
        );
        let reg = small_registry(&[("a-other", &other), ("acme", &acme)]);
        let v = reg.vendor(reg.vendor_by_id("acme").unwrap());
        let d = &v.designations[0];
        assert_eq!(d.entities, vec!["Acme UK Ltd".to_string()]);
        assert_eq!(d.entity_ids.len(), 1);
        let e = reg.entity(d.entity_ids[0]);
        assert_eq!(
            (e.name.as_str(), e.vendor),
            ("Acme UK Ltd", reg.vendor_by_id("acme").unwrap())
        );
        let inc = v
            .entities
            .iter()
            .copied()
            .find(|&e| reg.entity(e).name == "Acme Inc")
            .unwrap();
        assert!(d.reaches_entity(Some(d.entity_ids[0])));
        assert!(!d.reaches_entity(Some(inc)));
        assert!(d.reaches_entity(None));
    }

    #[test]
    fn keys_that_are_not_bare_are_quoted_in_paths() {
        assert_eq!(
            join_key("sources", "far-52.204-23"),
            "sources.\"far-52.204-23\""
        );
        assert_eq!(join_key("", "product"), "product");
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nb = \"ж\" # x\n";
        let l = Locator::new(text);
        assert_eq!(l.line_col(text, 0), (1, 1));
        let off = text.find('#').unwrap();
        assert_eq!(l.line_col(text, off), (2, 9));
        assert_eq!(l.line_col(text, 10_000), (3, 1));
    }

    #[test]
    fn the_digest_depends_on_paths_and_contents_not_order() {
        let a = vec![file("a.toml", "x"), file("b.toml", "y")];
        let b = vec![file("b.toml", "y"), file("a.toml", "x")];
        assert_eq!(digest(&a), digest(&b));
        assert!(digest(&a).starts_with("sha256:") && digest(&a).len() == 7 + 64);
        let c = vec![file("a.toml", "xb.toml"), file("", "y")];
        assert_ne!(digest(&a), digest(&c));
        let d = vec![file("a.toml", "x "), file("b.toml", "y")];
        assert_ne!(digest(&a), digest(&d));
    }
}
