//! Registry overlays: an organisation's own vendors, designations, sources and identifiers in a
//! directory laid out like a registry (every file optional, plus an optional `overlay.toml`
//! naming it), merged over the base registry file by file before the merged files are linted
//! and loaded like any registry.
//!
//! Merge rules (docs/registry-updates.md has examples):
//! - a file the base does not have (a new `vendors/<id>.toml`) is added as it is;
//! - a file the base has is merged key by key: keys the base lacks are added; tables merge
//!   recursively; arrays of tables (`[[designation]]`, `[[identifier]]`, `[[product]]`...)
//!   merge by identity (`id`, else `kind` + `value`, else `name`): new entries are appended,
//!   identical ones are dropped;
//! - anything else that differs from the base is a conflict (an `overlay-conflict` error)
//!   unless the overlay marks it: `override = true` with a `reason` in the entry (for an array
//!   entry) or at the top of the file (for plain keys of that file). Each override is recorded
//!   so that reports can show it;
//! - an overlay may not contain `registry.toml`: the base's identity is not the overlay's.
//!
//! Files touched by a merge are re-serialised, so line numbers of later lint problems in them
//! refer to the merged text; conflicts are reported against the overlay file itself.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::load::{self, SourceFile};
use super::problem::{Problem, Severity};
use super::RegistryError;

/// An overlay directory, read.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The directory as given.
    pub source: String,
    pub files: Vec<SourceFile>,
    /// From `overlay.toml` (`[overlay] version = "...", serial = N`), else empty / 0.
    pub version: String,
    pub serial: u64,
    /// `sha256:` digest of the overlay's files (`overlay.toml` included).
    pub digest: String,
    /// Problems met while reading (unreadable files, a bad `overlay.toml`).
    pub problems: Vec<Problem>,
}

/// A base claim an overlay replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideNote {
    pub file: String,
    pub key: String,
    pub reason: String,
}

/// The merged files, the problems of the merge, and the overrides of each overlay.
#[derive(Debug)]
pub struct Merged {
    pub files: Vec<SourceFile>,
    pub problems: Vec<Problem>,
    pub overrides: Vec<Vec<OverrideNote>>,
}

const META_FILE: &str = "overlay.toml";

impl Overlay {
    /// Read the overlay in `dir`.
    pub fn read(dir: &Path) -> Result<Overlay, RegistryError> {
        let (files, mut problems) = load::read_dir(dir)?;
        let source = dir.display().to_string();
        let digest = load::digest(&files);
        let (mut version, mut serial) = (String::new(), 0);
        if let Some(meta) = files.iter().find(|f| f.path == META_FILE) {
            match meta.text.parse::<Table>() {
                Ok(t) => {
                    let o = t.get("overlay").and_then(Value::as_table);
                    version = o
                        .and_then(|o| o.get("version"))
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    serial = o
                        .and_then(|o| o.get("serial"))
                        .and_then(Value::as_integer)
                        .and_then(|i| u64::try_from(i).ok())
                        .unwrap_or(0);
                }
                Err(e) => {
                    problems.push(problem(&source, META_FILE, "", first_line(&e.to_string())))
                }
            }
        }
        Ok(Overlay {
            source,
            files: files.into_iter().filter(|f| f.path != META_FILE).collect(),
            version,
            serial,
            digest,
            problems: problems
                .into_iter()
                .map(|mut p| {
                    if !p.file.starts_with(&format!("{}/", dir.display())) {
                        p.file = format!("{}/{}", dir.display(), p.file);
                    }
                    p
                })
                .collect(),
        })
    }

    /// The directory, for messages.
    pub fn dir(&self) -> PathBuf {
        PathBuf::from(&self.source)
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

fn problem(source: &str, file: &str, key: &str, message: String) -> Problem {
    Problem {
        severity: Severity::Error,
        code: "overlay-conflict",
        file: format!("{source}/{file}"),
        key: key.to_string(),
        line: None,
        column: None,
        message,
    }
}

struct Ctx<'a> {
    source: &'a str,
    file: &'a str,
    problems: &'a mut Vec<Problem>,
    overrides: &'a mut Vec<OverrideNote>,
}

impl Ctx<'_> {
    fn conflict(&mut self, key: &str, what: &str) {
        self.problems.push(problem(
            self.source,
            self.file,
            key,
            format!(
                "{what} conflicts with the base registry; mark it `override = true` with a `reason` to replace the base claim"
            ),
        ));
    }

    fn note(&mut self, key: &str, reason: &str) {
        self.overrides.push(OverrideNote {
            file: self.file.to_string(),
            key: key.to_string(),
            reason: reason.to_string(),
        });
    }

    /// Remove `override` / `reason` from `t`; the reason when `override = true`.
    fn take_override(&mut self, t: &mut Table, key: &str) -> Option<String> {
        let ov = t.remove("override");
        let reason = t.remove("reason");
        match (ov, reason) {
            (None, None) => None,
            (Some(Value::Boolean(true)), Some(Value::String(r))) if !r.trim().is_empty() => Some(r),
            (Some(Value::Boolean(true)), _) => {
                self.problems.push(problem(
                    self.source,
                    self.file,
                    key,
                    "`override = true` needs a non-empty `reason`".into(),
                ));
                None
            }
            _ => {
                self.problems.push(problem(
                    self.source,
                    self.file,
                    key,
                    "`override` must be `true` and come with a `reason`".into(),
                ));
                None
            }
        }
    }
}

fn join(prefix: &str, k: &str) -> String {
    if prefix.is_empty() {
        k.to_string()
    } else {
        format!("{prefix}.{k}")
    }
}

/// What identifies an entry of an array of tables.
fn identity(t: &Table) -> Option<String> {
    let s = |k: &str| t.get(k).and_then(Value::as_str);
    if let Some(id) = s("id") {
        return Some(format!("id={id}"));
    }
    if let (Some(k), Some(v)) = (s("kind"), s("value")) {
        return Some(format!("{k}={v}"));
    }
    s("name").map(|n| format!("name={n}"))
}

fn is_array_of_tables(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_table))
}

fn merge_table(
    base: &mut Table,
    ov: Table,
    prefix: &str,
    file_override: Option<&str>,
    ctx: &mut Ctx<'_>,
) {
    for (k, v) in ov {
        let key = join(prefix, &k);
        let Some(b) = base.get_mut(&k) else {
            base.insert(k, v);
            continue;
        };
        if *b == v {
            continue;
        }
        match (b, v) {
            (Value::Table(bt), Value::Table(vt)) => merge_table(bt, vt, &key, file_override, ctx),
            (Value::Array(ba), v @ Value::Array(_)) if is_array_of_tables(&v) => {
                if let Value::Array(va) = v {
                    merge_entries(ba, va, &key, ctx);
                }
            }
            (b, v) => match file_override {
                Some(r) => {
                    ctx.note(&key, r);
                    *b = v;
                }
                None => ctx.conflict(&key, &format!("`{key}`")),
            },
        }
    }
}

fn merge_entries(base: &mut Vec<Value>, ov: Vec<Value>, key: &str, ctx: &mut Ctx<'_>) {
    for e in ov {
        let Value::Table(mut et) = e else {
            ctx.conflict(key, "a non-table entry");
            continue;
        };
        let id = identity(&et);
        let entry_key = match &id {
            Some(i) => format!("{key}[{i}]"),
            None => format!("{key}[]"),
        };
        let reason = ctx.take_override(&mut et, &entry_key);
        let found = id.as_ref().and_then(|i| {
            base.iter()
                .position(|b| b.as_table().and_then(identity).as_ref() == Some(i))
        });
        match found {
            None => base.push(Value::Table(et)),
            Some(j) => {
                let Some(slot) = base.get_mut(j) else {
                    continue;
                };
                if slot.as_table() == Some(&et) {
                    continue;
                }
                match reason {
                    Some(r) => {
                        ctx.note(&entry_key, &r);
                        *slot = Value::Table(et);
                    }
                    None => ctx.conflict(&entry_key, &format!("entry `{entry_key}`")),
                }
            }
        }
    }
}

/// Merge `overlays`, in order, over the `base` files.
pub fn merge(base: Vec<SourceFile>, overlays: &[Overlay]) -> Merged {
    let mut files = base;
    let mut problems = Vec::new();
    let mut all_overrides = Vec::new();
    for o in overlays {
        problems.extend(o.problems.iter().cloned());
        let mut overrides = Vec::new();
        for f in &o.files {
            if f.path == "registry.toml" {
                problems.push(problem(
                    &o.source,
                    &f.path,
                    "",
                    "an overlay may not replace registry.toml (name the overlay in overlay.toml)"
                        .into(),
                ));
                continue;
            }
            let Some(slot) = files.iter_mut().find(|b| b.path == f.path) else {
                files.push(f.clone());
                continue;
            };
            let parsed = (slot.text.parse::<Table>(), f.text.parse::<Table>());
            let (mut bt, mut ot) = match parsed {
                (Ok(b), Ok(o)) => (b, o),
                (_, Err(e)) => {
                    problems.push(problem(&o.source, &f.path, "", first_line(&e.to_string())));
                    continue;
                }
                // A base file that does not parse is reported by the base's own lint.
                (Err(_), Ok(_)) => continue,
            };
            let mut ctx = Ctx {
                source: &o.source,
                file: &f.path,
                problems: &mut problems,
                overrides: &mut overrides,
            };
            let file_override = ctx.take_override(&mut ot, "");
            merge_table(&mut bt, ot, "", file_override.as_deref(), &mut ctx);
            match toml::to_string(&bt) {
                Ok(text) => slot.text = Cow::Owned(text),
                Err(e) => problems.push(problem(&o.source, &f.path, "", e.to_string())),
            }
        }
        all_overrides.push(overrides);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Merged {
        files,
        problems,
        overrides: all_overrides,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: Cow::Owned(text.into()),
        }
    }

    fn overlay(files: Vec<SourceFile>) -> Overlay {
        Overlay {
            source: "org".into(),
            digest: load::digest(&files),
            files,
            version: String::new(),
            serial: 0,
            problems: Vec::new(),
        }
    }

    const VENDOR: &str = "id = \"acme\"\nname = \"Acme\"\nhq_country = \"US\"\n\n[[designation]]\nid = \"d1\"\nsince = \"2020\"\n";

    #[test]
    fn a_new_vendor_file_is_added_as_it_is() {
        let m = merge(
            vec![file("vendors/acme.toml", VENDOR)],
            &[overlay(vec![file(
                "vendors/newco.toml",
                "id = \"newco\"\n",
            )])],
        );
        assert!(m.problems.is_empty());
        assert_eq!(m.files.len(), 2);
        assert_eq!(m.files[1].text, "id = \"newco\"\n");
    }

    #[test]
    fn a_designation_is_added_to_an_existing_vendor() {
        let m = merge(
            vec![file("vendors/acme.toml", VENDOR)],
            &[overlay(vec![file(
                "vendors/acme.toml",
                "[[designation]]\nid = \"org-deny\"\nsince = \"2025\"\n",
            )])],
        );
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        let t: Table = m.files[0].text.parse().unwrap();
        let ids: Vec<&str> = t["designation"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["d1", "org-deny"]);
        assert_eq!(t["name"].as_str(), Some("Acme"));
    }

    #[test]
    fn a_changed_base_claim_without_override_is_a_conflict() {
        let m = merge(
            vec![file("vendors/acme.toml", VENDOR)],
            &[overlay(vec![file(
                "vendors/acme.toml",
                "hq_country = \"CN\"\n\n[[designation]]\nid = \"d1\"\nsince = \"2019\"\n",
            )])],
        );
        let keys: Vec<(&str, &str)> = m
            .problems
            .iter()
            .map(|p| (p.file.as_str(), p.key.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("org/vendors/acme.toml", "designation[id=d1]"),
                ("org/vendors/acme.toml", "hq_country"),
            ]
        );
        assert!(m.problems.iter().all(|p| p.is_error()));
        // The base is left as it was.
        assert!(m.files[0].text.contains("US"));
    }

    #[test]
    fn an_override_with_a_reason_replaces_the_claim_and_is_recorded() {
        let m = merge(
            vec![file("vendors/acme.toml", VENDOR)],
            &[overlay(vec![file(
                "vendors/acme.toml",
                "override = true\nreason = \"moved HQ\"\nhq_country = \"CN\"\n\n[[designation]]\nid = \"d1\"\nsince = \"2019\"\noverride = true\nreason = \"agency date\"\n",
            )])],
        );
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        let t: Table = m.files[0].text.parse().unwrap();
        assert_eq!(t["hq_country"].as_str(), Some("CN"));
        assert_eq!(t["designation"][0]["since"].as_str(), Some("2019"));
        assert!(t["designation"][0].get("override").is_none());
        assert!(t.get("reason").is_none());
        let keys: Vec<(&str, &str)> = m.overrides[0]
            .iter()
            .map(|o| (o.key.as_str(), o.reason.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("designation[id=d1]", "agency date"),
                ("hq_country", "moved HQ")
            ]
        );
    }

    #[test]
    fn an_override_without_a_reason_is_refused() {
        let m = merge(
            vec![file("vendors/acme.toml", VENDOR)],
            &[overlay(vec![file(
                "vendors/acme.toml",
                "override = true\nhq_country = \"CN\"\n",
            )])],
        );
        assert_eq!(m.problems.len(), 2, "{:?}", m.problems);
    }

    #[test]
    fn identical_entries_merge_silently_and_registry_toml_is_refused() {
        let m = merge(
            vec![
                file("vendors/acme.toml", VENDOR),
                file("registry.toml", "[registry]\n"),
            ],
            &[overlay(vec![
                file("vendors/acme.toml", VENDOR),
                file("registry.toml", "[registry]\nserial = 9\n"),
            ])],
        );
        assert_eq!(m.problems.len(), 1);
        assert_eq!(m.problems[0].file, "org/registry.toml");
    }

    #[test]
    fn two_overlays_adding_the_same_source_key_differently_collide() {
        let base = vec![file("sources.toml", "[sources.a]\ntitle = \"A\"\n")];
        let m = merge(
            base,
            &[
                overlay(vec![file("sources.toml", "[sources.b]\ntitle = \"B\"\n")]),
                overlay(vec![file("sources.toml", "[sources.b]\ntitle = \"B2\"\n")]),
            ],
        );
        assert_eq!(m.problems.len(), 1);
        assert_eq!(m.problems[0].key, "sources.b.title");
    }
}
