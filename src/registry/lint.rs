//! The registry linter: every rule the data must follow beyond its TOML shape. Unique ids,
//! file stem == vendor id, names that collide across vendors after normalisation, ISO country
//! codes, every claim sourced with defined sources, every source complete, dates and version
//! ranges that parse, identifiers well formed, no dangling reference, unconfirmed designations
//! flagged. Every finding names its file, key path and line/column.

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use toml::Spanned;

use super::load::{FileInfo, RawRegistry};
use super::model::*;
use super::normalize::{fold, normalize_name};
use super::problem::{suggest, Problem, Severity};

/// Run every check; problems come back unsorted.
pub fn lint(files: &[FileInfo], raw: &RawRegistry) -> Vec<Problem> {
    let mut l = Linter {
        files,
        raw,
        problems: Vec::new(),
        countries: FxHashSet::default(),
        groups: FxHashSet::default(),
        sources: BTreeMap::new(),
        used_sources: FxHashSet::default(),
        designations: FxHashMap::default(),
        vendor_ids: FxHashMap::default(),
        item_ids: FxHashMap::default(),
    };
    l.run();
    l.problems
}

struct Linter<'a> {
    files: &'a [FileInfo],
    raw: &'a RawRegistry,
    problems: Vec<Problem>,
    countries: FxHashSet<&'a str>,
    groups: FxHashSet<&'a str>,
    /// Source key → (file, span of its table).
    sources: BTreeMap<&'a str, (usize, Range<usize>)>,
    used_sources: FxHashSet<&'a str>,
    designations: FxHashMap<&'a str, &'a RawDesignation>,
    /// Vendor id → file.
    vendor_ids: FxHashMap<&'a str, usize>,
    /// Product and OEM ids → (file, "product" | "oem", vendor id).
    item_ids: FxHashMap<&'a str, (usize, &'static str, &'a str)>,
}

/// A stand-in value inserted by the loader for a missing key sits past the end of the file;
/// it was reported as missing and is not checked again.
fn is_real<T>(file: &FileInfo, v: &Spanned<T>) -> bool {
    v.span().start <= file.text.len()
}

impl<'a> Linter<'a> {
    fn file(&self, idx: usize) -> &'a FileInfo {
        &self.files[idx]
    }

    fn at(
        &mut self,
        sev: Severity,
        code: &'static str,
        file: usize,
        span: Range<usize>,
        msg: String,
    ) {
        let p = self.files[file].problem(sev, code, None, Some(span), msg);
        self.problems.push(p);
    }

    fn at_key(
        &mut self,
        sev: Severity,
        code: &'static str,
        file: usize,
        key: String,
        span: Option<Range<usize>>,
        msg: String,
    ) {
        let p = self.files[file].problem(sev, code, Some(key), span, msg);
        self.problems.push(p);
    }

    /// Whether the loader already reported the value at `key` of `file` (and removed it).
    fn reported(&self, file: usize, key: &str) -> bool {
        self.raw.reported_keys.contains(&(file, key.to_string()))
    }

    fn sources_known(&self) -> bool {
        self.raw.sources.is_some() && self.raw.broken_files.is_empty()
    }

    fn run(&mut self) {
        self.meta();
        self.countries();
        self.collect_sources();
        self.designations();
        self.collect_vendor_ids();
        for i in 0..self.raw.vendors.len() {
            self.vendor(i);
        }
        self.groups_sources();
        self.name_collisions();
        self.unused_sources();
    }

    fn meta(&mut self) {
        let Some((f, m)) = &self.raw.meta else {
            return;
        };
        let file = self.file(*f);
        let v = &m.registry.version;
        if is_real(file, v) && v.get_ref().trim().is_empty() {
            self.at(
                Severity::Error,
                "bad-value",
                *f,
                v.span(),
                "the version is empty".into(),
            );
        }
        if m.registry.serial == 0 {
            self.at_key(
                Severity::Error,
                "bad-value",
                *f,
                "registry.serial".into(),
                None,
                "the serial starts at 1".into(),
            );
        }
    }

    fn countries(&mut self) {
        let Some((f, c)) = &self.raw.countries else {
            return;
        };
        let f = *f;
        for (code, name) in &c.countries {
            let valid = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
            if !valid {
                self.at_key(
                    Severity::Error,
                    "bad-country",
                    f,
                    super::load::join_key("countries", code),
                    Some(name.span()),
                    format!("{code:?} is not an ISO 3166-1 alpha-2 code (two capital letters)"),
                );
            } else {
                self.countries.insert(code.as_str());
            }
            if name.get_ref().trim().is_empty() {
                self.at(
                    Severity::Error,
                    "bad-value",
                    f,
                    name.span(),
                    "the name is empty".into(),
                );
            }
        }
        let mut seen: FxHashMap<&str, Range<usize>> = FxHashMap::default();
        for g in &c.group {
            let gr = g.get_ref();
            let file = self.file(f);
            if !is_real(file, &gr.id) {
                continue;
            }
            self.check_id(f, &gr.id, "group");
            if let Some(first) = seen.get(gr.id.get_ref().as_str()) {
                let (l, _) = file.locator.line_col(&file.text, first.start);
                self.at(
                    Severity::Error,
                    "duplicate-id",
                    f,
                    gr.id.span(),
                    format!("group id {:?} is already used on line {l}", gr.id.get_ref()),
                );
            } else {
                seen.insert(gr.id.get_ref(), gr.id.span());
                self.groups.insert(gr.id.get_ref());
            }
            if self.countries.contains(gr.id.get_ref().as_str()) {
                self.at(
                    Severity::Error,
                    "duplicate-id",
                    f,
                    gr.id.span(),
                    "a group id cannot be a country code".into(),
                );
            }
            if gr.members.is_empty() {
                self.at_key(
                    Severity::Error,
                    "bad-value",
                    f,
                    format!("{}.members", file.path(&g.span())),
                    Some(g.span()),
                    "a group needs members".into(),
                );
            }
            for m in &gr.members {
                self.check_country(f, m);
            }
        }
    }

    /// Sources of the country groups (checked after every source is known).
    fn groups_sources(&mut self) {
        let Some((f, c)) = &self.raw.countries else {
            return;
        };
        for g in &c.group {
            let gr = g.get_ref();
            self.check_claim(*f, g.span(), &gr.sources, "group");
        }
    }

    fn check_country(&mut self, f: usize, code: &'a Spanned<String>) {
        if !is_real(self.file(f), code) || self.raw.countries.is_none() {
            return;
        }
        let c = code.get_ref();
        if !self.countries.contains(c.as_str()) {
            let hint = if c.len() == 2 && self.countries.contains(c.to_ascii_uppercase().as_str()) {
                format!(
                    "; country codes are upper case ({:?})",
                    c.to_ascii_uppercase()
                )
            } else if c == "UK" {
                "; the United Kingdom is \"GB\"".to_string()
            } else {
                String::new()
            };
            self.at(
                Severity::Error,
                "unknown-country",
                f,
                code.span(),
                format!("{c:?} is not a country code in countries.toml{hint}"),
            );
        }
    }

    fn check_id(&mut self, f: usize, id: &Spanned<String>, what: &str) -> bool {
        let s = id.get_ref();
        let ok = !s.is_empty()
            && s.split(['-', '.']).all(|seg| {
                !seg.is_empty()
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if !ok {
            self.at(
                Severity::Error,
                "bad-id",
                f,
                id.span(),
                format!(
                    "{what} id {s:?} must be lower-case letters and digits joined by '-' or '.'"
                ),
            );
        }
        ok
    }

    fn check_date(&mut self, f: usize, d: &Option<Spanned<String>>) -> Option<Date> {
        let d = d.as_ref()?;
        if !is_real(self.file(f), d) {
            return None;
        }
        match Date::parse(d.get_ref()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.at(Severity::Error, "bad-date", f, d.span(), e);
                None
            }
        }
    }

    // -- sources ---------------------------------------------------------------------------

    fn collect_sources(&mut self) {
        let raw = self.raw;
        let mut all: Vec<(usize, &'a BTreeMap<String, Spanned<RawSource>>)> = Vec::new();
        if let Some((f, s)) = &raw.sources {
            all.push((*f, &s.sources));
        }
        if let Some((f, d)) = &raw.designations {
            all.push((*f, &d.sources));
        }
        if let Some((f, c)) = &raw.countries {
            all.push((*f, &c.sources));
        }
        for (f, v) in &raw.vendors {
            all.push((*f, &v.source));
        }
        for (f, map) in all {
            for (key, src) in map {
                self.source(f, key, src);
            }
        }
    }

    fn source(&mut self, f: usize, key: &'a str, src: &'a Spanned<RawSource>) {
        let file = self.file(f);
        let span = src.span();
        let path = file.path(&span);
        let key_ok = !key.is_empty()
            && key.split(['-', '.']).all(|seg| {
                !seg.is_empty()
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if !key_ok {
            self.at(
                Severity::Error,
                "bad-id",
                f,
                span.clone(),
                format!(
                    "source key {key:?} must be lower-case letters and digits joined by '-' or '.'"
                ),
            );
        }
        if let Some((other, _)) = self.sources.get(key) {
            let other = self.file(*other).path.clone();
            self.at(
                Severity::Error,
                "duplicate-id",
                f,
                span.clone(),
                format!("source key {key:?} is already defined in {other}; keys are unique across the registry"),
            );
        } else {
            self.sources.insert(key, (f, span.clone()));
        }
        let s = src.get_ref();
        let mut missing = Vec::new();
        for (name, v) in [
            ("title", &s.title),
            ("publisher", &s.publisher),
            ("date", &s.date),
        ] {
            if self.reported(f, &format!("{path}.{name}")) {
                continue;
            }
            match v {
                Some(v) if !is_real(file, v) => {}
                Some(v) if v.get_ref().trim().is_empty() => missing.push(name),
                Some(_) => {}
                None => missing.push(name),
            }
        }
        let has_url = s
            .url
            .as_ref()
            .is_some_and(|u| !u.get_ref().trim().is_empty());
        let has_doc = s.document.as_ref().is_some_and(|d| !d.trim().is_empty());
        if !has_url && !has_doc {
            missing.push("url or document");
        }
        if !missing.is_empty() {
            self.at_key(
                Severity::Error,
                "incomplete-source",
                f,
                path.clone(),
                Some(span.clone()),
                format!("the source has no {}", missing.join(", no ")),
            );
        }
        self.check_date(f, &s.date);
        if let Some(u) = &s.url {
            let t = u.get_ref();
            if !t.is_empty() && !valid_url(t) {
                self.at(
                    Severity::Error,
                    "bad-url",
                    f,
                    u.span(),
                    format!("{t:?} is not an http(s) URL"),
                );
            }
        }
    }

    fn check_claim(
        &mut self,
        f: usize,
        at: Range<usize>,
        sources: &'a [Spanned<String>],
        what: &str,
    ) {
        let file = self.file(f);
        let base = file.path(&at);
        let key = if base.is_empty() {
            "sources".to_string()
        } else {
            format!("{base}.sources")
        };
        if sources.is_empty() && !self.reported(f, &key) {
            let span = (at.end > at.start && at.start <= file.text.len()).then_some(at);
            self.at_key(
                Severity::Error,
                "no-sources",
                f,
                key,
                span,
                format!("every claim needs sources; this {what} has none"),
            );
        }
        let known = self.sources_known();
        for s in sources {
            if !is_real(file, s) {
                continue;
            }
            let key = s.get_ref().as_str();
            if self.sources.contains_key(key) {
                self.used_sources.insert(key);
            } else if known {
                let hint = suggest(key, self.sources.keys().copied())
                    .map(|s| format!(" (did you mean {s:?}?)"))
                    .unwrap_or_default();
                self.at(
                    Severity::Error,
                    "unknown-source",
                    f,
                    s.span(),
                    format!("source {key:?} is not defined in sources.toml or this file{hint}"),
                );
            }
        }
    }

    fn unused_sources(&mut self) {
        if !self.raw.broken_files.is_empty() {
            return;
        }
        let unused: Vec<(&str, usize, Range<usize>)> = self
            .sources
            .iter()
            .filter(|(k, _)| !self.used_sources.contains(*k))
            .map(|(k, (f, s))| (*k, *f, s.clone()))
            .collect();
        for (k, f, s) in unused {
            self.at(
                Severity::Warning,
                "unused-source",
                f,
                s,
                format!("source {k:?} is not cited by any claim"),
            );
        }
    }

    // -- designations ----------------------------------------------------------------------

    fn designations(&mut self) {
        let Some((f, d)) = &self.raw.designations else {
            return;
        };
        let f = *f;
        for item in &d.designation {
            let des = item.get_ref();
            let file = self.file(f);
            if is_real(file, &des.id) {
                self.check_id(f, &des.id, "designation");
                if self.designations.contains_key(des.id.get_ref().as_str()) {
                    self.at(
                        Severity::Error,
                        "duplicate-id",
                        f,
                        des.id.span(),
                        format!("designation id {:?} is used twice", des.id.get_ref()),
                    );
                } else {
                    self.designations.insert(des.id.get_ref(), des);
                }
            }
            let j = &des.jurisdiction;
            if is_real(file, j)
                && self.raw.countries.is_some()
                && !self.countries.contains(j.get_ref().as_str())
                && !self.groups.contains(j.get_ref().as_str())
            {
                self.at(
                    Severity::Error,
                    "unknown-country",
                    f,
                    j.span(),
                    format!(
                        "jurisdiction {:?} is neither a country code nor a group id of countries.toml",
                        j.get_ref()
                    ),
                );
            }
            let issued = self.check_date(f, &des.issued);
            let effective = self.check_date(f, &des.effective);
            if let (Some(i), Some(e), Some(span)) = (issued, effective, des.effective.as_ref()) {
                if e < i {
                    self.at(
                        Severity::Error,
                        "bad-date",
                        f,
                        span.span(),
                        format!("effective {e} is before issued {i}"),
                    );
                }
            }
            let path = file.path(&item.span());
            match (des.scope, des.use_context.is_empty()) {
                (Scope::NamedEntitiesUseContext, true) => self.at_key(
                    Severity::Error,
                    "bad-value",
                    f,
                    format!("{path}.use_context"),
                    Some(item.span()),
                    "scope named-entities-use-context needs use_context".into(),
                ),
                (s, false) if s != Scope::NamedEntitiesUseContext => self.at_key(
                    Severity::Error,
                    "bad-value",
                    f,
                    format!("{path}.use_context"),
                    Some(item.span()),
                    format!(
                        "use_context applies only to scope named-entities-use-context, not {s}"
                    ),
                ),
                _ => {}
            }
            self.check_claim(f, item.span(), &des.sources, "designation");
            if des.status == Status::Unconfirmed {
                self.at_key(
                    Severity::Warning,
                    "unconfirmed-designation",
                    f,
                    format!("{path}.status"),
                    Some(item.span()),
                    format!(
                        "designation {:?} is unconfirmed: it can raise reviews, never a banned verdict",
                        des.id.get_ref()
                    ),
                );
            }
        }
    }

    // -- vendors ---------------------------------------------------------------------------

    fn collect_vendor_ids(&mut self) {
        let raw = self.raw;
        for (f, v) in &raw.vendors {
            let f = *f;
            let file = self.file(f);
            if is_real(file, &v.id) {
                let id = v.id.get_ref().as_str();
                if let Some(other) = self.vendor_ids.get(id) {
                    let other = self.file(*other).path.clone();
                    self.at(
                        Severity::Error,
                        "duplicate-id",
                        f,
                        v.id.span(),
                        format!("vendor id {id:?} is already used by {other}"),
                    );
                } else {
                    self.vendor_ids.insert(id, f);
                }
            }
            let vid = v.id.get_ref().as_str();
            let items = v
                .product
                .iter()
                .map(|p| (&p.get_ref().id, "product"))
                .chain(v.oem.iter().map(|o| (&o.get_ref().id, "oem")));
            for (id, what) in items {
                if !is_real(file, id) {
                    continue;
                }
                if let Some((other, other_what, other_vendor)) =
                    self.item_ids.get(id.get_ref().as_str())
                {
                    let other = self.file(*other).path.clone();
                    let msg = format!(
                        "{what} id {:?} is already used by {other_what} of vendor {other_vendor:?} ({other}); product and OEM ids are unique across the registry",
                        id.get_ref()
                    );
                    self.at(Severity::Error, "duplicate-id", f, id.span(), msg);
                } else {
                    self.item_ids.insert(id.get_ref(), (f, what, vid));
                }
            }
        }
    }

    fn vendor(&mut self, i: usize) {
        let (f, v) = &self.raw.vendors[i];
        let f = *f;
        let file = self.file(f);
        let stem = file
            .path
            .strip_prefix("vendors/")
            .and_then(|p| p.strip_suffix(".toml"))
            .unwrap_or("");
        if is_real(file, &v.id) && self.check_id(f, &v.id, "vendor") && v.id.get_ref() != stem {
            let msg = format!(
                "vendor id {:?} differs from the file name; rename the file to vendors/{}.toml or the id to {stem:?}",
                v.id.get_ref(),
                v.id.get_ref()
            );
            self.at(Severity::Error, "file-stem-mismatch", f, v.id.span(), msg);
        }
        if is_real(file, &v.name) && v.name.get_ref().trim().is_empty() {
            self.at(
                Severity::Error,
                "bad-value",
                f,
                v.name.span(),
                "the name is empty".into(),
            );
        }
        self.check_country(f, &v.hq_country);
        if let Some(c) = &v.ultimate_parent_country {
            self.check_country(f, c);
        }
        let head = v.id.span();
        self.check_claim_top(f, head, &v.sources);

        let own_products: FxHashSet<&str> = v
            .product
            .iter()
            .map(|p| p.get_ref().id.get_ref().as_str())
            .collect();
        let vendor_id = v.id.get_ref().as_str();
        let own_entities: Vec<&str> = v
            .entity
            .iter()
            .map(|e| e.get_ref().name.get_ref().as_str())
            .collect();

        for d in &v.designation {
            let dr = d.get_ref();
            let path = file.path(&d.span());
            if is_real(file, &dr.id)
                && self.raw.designations.is_some()
                && !self.designations.contains_key(dr.id.get_ref().as_str())
                && !self.raw.dropped_ids.contains(dr.id.get_ref())
            {
                let hint = suggest(dr.id.get_ref(), self.designations.keys().copied())
                    .map(|s| format!(" (did you mean {s:?}?)"))
                    .unwrap_or_default();
                self.at(
                    Severity::Error,
                    "dangling-reference",
                    f,
                    dr.id.span(),
                    format!(
                        "designation {:?} is not in designations.toml{hint}",
                        dr.id.get_ref()
                    ),
                );
            }
            self.check_date(f, &dr.since);
            for p in dr.products.iter().chain(dr.exempt_products.iter()) {
                self.check_own_product(f, p, &own_products, vendor_id);
            }
            for e in &dr.entities {
                self.check_own_entity(f, e, &own_entities, vendor_id);
            }
            self.check_claim(f, d.span(), &dr.sources, "designation");
            let global_unconfirmed = self
                .designations
                .get(dr.id.get_ref().as_str())
                .is_some_and(|g| g.status == Status::Unconfirmed);
            if dr.status == Status::Unconfirmed && !global_unconfirmed {
                self.at_key(
                    Severity::Warning,
                    "unconfirmed-designation",
                    f,
                    format!("{path}.status"),
                    Some(d.span()),
                    format!(
                        "that {:?} applies to this vendor is unconfirmed: it can raise reviews, never a banned verdict",
                        dr.id.get_ref()
                    ),
                );
            }
        }

        for e in &v.entity {
            let er = e.get_ref();
            if is_real(file, &er.name) && normalize_name(er.name.get_ref()).is_empty() {
                self.at(
                    Severity::Error,
                    "bad-value",
                    f,
                    er.name.span(),
                    "the name is empty".into(),
                );
            }
            if let Some(c) = &er.country {
                self.check_country(f, c);
            }
            for a in &er.aliases {
                if normalize_name(a.get_ref()).is_empty() {
                    self.at(
                        Severity::Error,
                        "bad-value",
                        f,
                        a.span(),
                        "the alias is empty".into(),
                    );
                }
            }
            self.check_claim(f, e.span(), &er.sources, "entity");
        }

        for id in &v.identifier {
            self.identifier(f, id);
        }

        for p in &v.product {
            let pr = p.get_ref();
            if is_real(file, &pr.id) {
                self.check_id(f, &pr.id, "product");
            }
            if is_real(file, &pr.name) && normalize_name(pr.name.get_ref()).is_empty() {
                self.at(
                    Severity::Error,
                    "bad-value",
                    f,
                    pr.name.span(),
                    "the name is empty".into(),
                );
            }
            for a in &pr.aliases {
                if normalize_name(a.get_ref()).is_empty() {
                    self.at(
                        Severity::Error,
                        "bad-value",
                        f,
                        a.span(),
                        "the alias is empty".into(),
                    );
                }
            }
            for id in &pr.identifiers {
                self.identifier(f, id);
            }
            self.check_claim(f, p.span(), &pr.sources, "product");
        }

        for o in &v.oem {
            let or = o.get_ref();
            if is_real(file, &or.id) {
                self.check_id(f, &or.id, "OEM");
            }
            if let Some(ev) = &or.embedder_vendor {
                let known = self.vendor_ids.contains_key(ev.get_ref().as_str());
                let broken = self
                    .raw
                    .broken_files
                    .iter()
                    .any(|b| self.file(*b).path == format!("vendors/{}.toml", ev.get_ref()));
                if is_real(file, ev) && !known && !broken {
                    let hint = suggest(ev.get_ref(), self.vendor_ids.keys().copied())
                        .map(|s| format!(" (did you mean {s:?}?)"))
                        .unwrap_or_default();
                    self.at(
                        Severity::Error,
                        "dangling-reference",
                        f,
                        ev.span(),
                        format!(
                            "embedder_vendor {:?} is not a vendor id of this registry{hint}",
                            ev.get_ref()
                        ),
                    );
                }
                if ev.get_ref() == vendor_id {
                    self.at(
                        Severity::Error,
                        "bad-value",
                        f,
                        ev.span(),
                        "an OEM entry describes a third party; embedder_vendor cannot be the vendor itself".into(),
                    );
                }
            }
            if let Some(e) = &or.engine {
                self.check_own_product(f, e, &own_products, vendor_id);
            }
            if let Some(r) = &or.versions {
                if is_real(file, r) {
                    if let Err(e) = VersionRange::parse(r.get_ref()) {
                        self.at(Severity::Error, "bad-version-range", f, r.span(), e);
                    }
                }
            }
            let from = self.check_date(f, &or.from);
            let until = self.check_date(f, &or.until);
            if let (Some(a), Some(b), Some(u)) = (from, until, or.until.as_ref()) {
                if b < a {
                    self.at(
                        Severity::Error,
                        "bad-date",
                        f,
                        u.span(),
                        format!("until {b} is before from {a}"),
                    );
                }
            }
            if or.identifiers.is_empty() {
                let path = file.path(&o.span());
                self.at_key(
                    Severity::Warning,
                    "no-identifiers",
                    f,
                    format!("{path}.identifiers"),
                    Some(o.span()),
                    "an OEM entry without identifiers can never match an SBOM".into(),
                );
            }
            for id in &or.identifiers {
                self.identifier(f, id);
            }
            self.check_claim(f, o.span(), &or.sources, "OEM relation");
        }
    }

    fn check_claim_top(&mut self, f: usize, head: Range<usize>, sources: &'a [Spanned<String>]) {
        // Top-level claims have no table span; point at the id.
        if sources.is_empty() && !self.reported(f, "sources") {
            let file = self.file(f);
            let span = (head.start <= file.text.len()).then_some(head);
            self.at_key(
                Severity::Error,
                "no-sources",
                f,
                "sources".into(),
                span,
                "every claim needs sources; this vendor has none".into(),
            );
            return;
        }
        self.check_claim(f, 0..0, sources, "vendor");
    }

    fn check_own_product(
        &mut self,
        f: usize,
        p: &Spanned<String>,
        own: &FxHashSet<&str>,
        vendor_id: &str,
    ) {
        if !is_real(self.file(f), p) {
            return;
        }
        let id = p.get_ref().as_str();
        if own.contains(id) || self.raw.dropped_ids.contains(id) {
            return;
        }
        let elsewhere = self
            .item_ids
            .get(id)
            .map(|(_, what, vendor)| format!(" (it is a {what} of vendor {vendor:?})"));
        let hint = elsewhere.unwrap_or_else(|| {
            suggest(id, own.iter().copied())
                .map(|s| format!(" (did you mean {s:?}?)"))
                .unwrap_or_default()
        });
        self.at(
            Severity::Error,
            "dangling-reference",
            f,
            p.span(),
            format!("product {id:?} is not a product of vendor {vendor_id:?}{hint}"),
        );
    }

    /// A designation's `entities` entry must be the `name` of an `[[entity]]` of the same file.
    fn check_own_entity(
        &mut self,
        f: usize,
        name: &Spanned<String>,
        own: &[&str],
        vendor_id: &str,
    ) {
        if !is_real(self.file(f), name) {
            return;
        }
        let n = name.get_ref().as_str();
        if own.contains(&n) {
            return;
        }
        let norm = normalize_name(n);
        let hint = own
            .iter()
            .find(|o| !norm.is_empty() && normalize_name(o) == norm)
            .map(|o| format!(" (did you mean {o:?}? entity names are matched as written)"))
            .or_else(|| suggest(n, own.iter().copied()).map(|s| format!(" (did you mean {s:?}?)")))
            .unwrap_or_default();
        self.at(
            Severity::Error,
            "dangling-reference",
            f,
            name.span(),
            format!("entity {n:?} is not the name of an [[entity]] of vendor {vendor_id:?}{hint}"),
        );
    }

    fn identifier(&mut self, f: usize, id: &'a Spanned<RawIdentifier>) {
        let ir = id.get_ref();
        let file = self.file(f);
        if is_real(file, &ir.value) {
            let v = ir.value.get_ref();
            let res = if v.trim() != v {
                Err("has leading or trailing whitespace".to_string())
            } else {
                check_identifier(ir.kind, v)
            };
            match res {
                Err(e) => self.at(
                    Severity::Error,
                    "bad-identifier",
                    f,
                    ir.value.span(),
                    format!("{} {v:?} {e}", ir.kind),
                ),
                Ok(Some(w)) => self.at(
                    Severity::Warning,
                    "weak-identifier",
                    f,
                    ir.value.span(),
                    format!("{} {v:?} {w}", ir.kind),
                ),
                Ok(None) => {}
            }
        }
        self.check_claim(f, id.span(), &ir.sources, "identifier");
    }

    // -- names -----------------------------------------------------------------------------

    fn name_collisions(&mut self) {
        struct Occ<'a> {
            vendor: usize,
            file: usize,
            span: Range<usize>,
            written: &'a str,
        }
        let mut parties: BTreeMap<String, Vec<Occ<'a>>> = BTreeMap::new();
        let mut products: BTreeMap<String, Vec<Occ<'a>>> = BTreeMap::new();
        let raw = self.raw;
        for (vi, (f, v)) in raw.vendors.iter().enumerate() {
            let file = self.file(*f);
            let add = |map: &mut BTreeMap<String, Vec<Occ<'a>>>, s: &'a Spanned<String>| {
                if !is_real(file, s) {
                    return;
                }
                let n = normalize_name(s.get_ref());
                if n.is_empty() {
                    return;
                }
                map.entry(n).or_default().push(Occ {
                    vendor: vi,
                    file: *f,
                    span: s.span(),
                    written: s.get_ref(),
                });
            };
            add(&mut parties, &v.name);
            for e in &v.entity {
                add(&mut parties, &e.get_ref().name);
                for a in &e.get_ref().aliases {
                    add(&mut parties, a);
                }
            }
            for i in &v.identifier {
                if i.get_ref().kind == IdentifierKind::Name {
                    add(&mut parties, &i.get_ref().value);
                }
            }
            for p in &v.product {
                add(&mut products, &p.get_ref().name);
                for a in &p.get_ref().aliases {
                    add(&mut products, a);
                }
                for i in &p.get_ref().identifiers {
                    if i.get_ref().kind == IdentifierKind::ProductName {
                        add(&mut products, &i.get_ref().value);
                    }
                }
            }
        }
        for (what, map) in [("name", parties), ("product name", products)] {
            for (norm, occs) in map {
                let first = &occs[0];
                for o in occs.iter().skip(1) {
                    if o.vendor == first.vendor {
                        continue;
                    }
                    let (fv, ov) = (&raw.vendors[first.vendor].1, &raw.vendors[o.vendor].1);
                    let lookalike =
                        fv.kind == VendorKind::Lookalike || ov.kind == VendorKind::Lookalike;
                    let (sev, code) = if lookalike {
                        (Severity::Note, "lookalike-name")
                    } else {
                        (Severity::Error, "name-collision")
                    };
                    let ffile = self.file(first.file);
                    let (line, _) = ffile.locator.line_col(&ffile.text, first.span.start);
                    let msg = format!(
                        "{what} {:?} normalises to {norm:?}, like {:?} of vendor {:?} ({}:{line}){}",
                        o.written,
                        first.written,
                        fv.id.get_ref(),
                        ffile.path,
                        if lookalike {
                            "; one of them is a lookalike, so both are kept"
                        } else {
                            "; a name must identify one vendor (mark a different party as kind = \"lookalike\")"
                        }
                    );
                    self.at(sev, code, o.file, o.span.clone(), msg);
                }
            }
        }
    }
}

fn valid_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn cpe_part_ok(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            (c.is_ascii_alphanumeric() && !c.is_ascii_uppercase())
                || matches!(c, '_' | '-' | '.' | '~' | '!' | '+')
        })
}

/// Longest literal run of a glob (between `*` / `?`).
pub(crate) fn longest_literal(glob: &str) -> usize {
    glob.split(['*', '?']).map(str::len).max().unwrap_or(0)
}

/// Hex length of a hash algorithm's digest, by the canonical name (upper case, no dashes).
pub(crate) fn hash_len(alg: &str) -> Option<usize> {
    Some(match alg {
        "MD5" => 32,
        "SHA1" => 40,
        "SHA224" => 56,
        "SHA256" | "SHA3256" | "BLAKE2B256" | "BLAKE3" => 64,
        "SHA384" | "SHA3384" | "BLAKE2B384" => 96,
        "SHA512" | "SHA3512" | "BLAKE2B512" => 128,
        _ => return None,
    })
}

/// Check one identifier value. `Err` is an error; `Ok(Some)` a warning (too weak to match well).
pub fn check_identifier(kind: IdentifierKind, v: &str) -> Result<Option<String>, String> {
    use IdentifierKind as K;
    if v.is_empty() {
        return Err("is empty".into());
    }
    match kind {
        K::Name | K::ProductName => {
            let n = normalize_name(v);
            if n.is_empty() {
                return Err("has no letters or digits".into());
            }
            if kind == K::ProductName && n.chars().count() < 3 {
                return Ok(Some(
                    "is shorter than 3 characters and will match too much".into(),
                ));
            }
        }
        K::Keyword => {
            let n = fold(v);
            if n.is_empty() {
                return Err("has no letters or digits".into());
            }
            if n.chars().count() < 3 {
                return Ok(Some(
                    "is shorter than 3 characters and will match too much".into(),
                ));
            }
        }
        K::CpeVendor => {
            if !cpe_part_ok(v) {
                return Err(
                    "must be a lower-case CPE vendor field (letters, digits, _ - . ~), no ':'"
                        .into(),
                );
            }
        }
        K::CpeProduct => {
            let ok = v
                .split_once(':')
                .is_some_and(|(a, b)| cpe_part_ok(a) && cpe_part_ok(b));
            if !ok {
                return Err("must be `vendor:product` in lower-case CPE field syntax".into());
            }
        }
        K::Purl => {
            let rest = v.strip_prefix("pkg:").ok_or("must start with `pkg:`")?;
            let (ty, path) = rest
                .split_once('/')
                .ok_or("must be `pkg:<type>/<namespace>[/<name>]`")?;
            let ty_ok = !ty.is_empty()
                && ty.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '+' | '-')
                });
            if !ty_ok {
                return Err(format!("has an invalid type {ty:?} (lower case)"));
            }
            if path.is_empty()
                || path.starts_with('/')
                || path.ends_with('/')
                || path.contains("//")
            {
                return Err("needs a namespace or name after the type".into());
            }
            // An npm scope starts with `@`; any other `@`, `?` or `#` starts a version,
            // qualifiers or a subpath.
            if path
                .strip_prefix('@')
                .unwrap_or(path)
                .contains(['@', '?', '#'])
            {
                return Err("must not carry a version, qualifiers or subpath".into());
            }
        }
        K::Domain => {
            let ok = v.contains('.')
                && v.split('.').all(|l| {
                    !l.is_empty()
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                        && l.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                });
            if !ok {
                return Err(
                    "must be a lower-case host name such as `kaspersky.com` (no scheme, no path)"
                        .into(),
                );
            }
        }
        K::SwidRegid => {
            let ok = v.strip_prefix("regid.").is_some_and(|r| {
                let b = r.as_bytes();
                b.len() > 8
                    && b[..4].iter().all(u8::is_ascii_digit)
                    && b[4] == b'-'
                    && b[5..7].iter().all(u8::is_ascii_digit)
                    && b[7] == b'.'
            });
            if !ok {
                return Err("must be `regid.YYYY-MM.<reversed domain>`".into());
            }
        }
        K::FileName => {
            if v.contains(['/', '\\']) {
                return Err("must be a file name, not a path".into());
            }
            if v.contains(['*', '?']) && longest_literal(v) < 3 {
                return Err("is a glob without a literal part of 3 or more characters".into());
            }
        }
        K::JavaPackage => {
            let segs: Vec<&str> = v.split('.').collect();
            let ok = segs.len() >= 2
                && segs.iter().all(|s| {
                    s.chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            if !ok {
                return Err("must be a dotted Java package name such as `com.kavsdk`".into());
            }
        }
        K::Hash => {
            let (alg, hex) = v.split_once(':').ok_or("must be `<alg>:<hex>`")?;
            let canon: String = alg
                .chars()
                .filter(|c| *c != '-' && *c != '_')
                .collect::<String>()
                .to_ascii_uppercase();
            let len =
                hash_len(&canon).ok_or_else(|| format!("has an unknown algorithm {alg:?}"))?;
            if hex.len() != len || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("must have {len} hex digits for {alg}"));
            }
        }
        K::Repository => {
            if !valid_url(v) {
                return Err("must be an http(s) URL".into());
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{check, SourceFile};
    use IdentifierKind as K;

    const REGISTRY: &str = "[registry]\nversion = \"1\"\nserial = 1\n";
    const SOURCES: &str = "[sources.s]\ntitle = \"T\"\npublisher = \"P\"\ndate = \"2020\"\nurl = \"https://example.invalid/s\"\n";
    const DESIGNATIONS: &str = "[[designation]]\nid = \"d\"\ntitle = \"D\"\nauthority = \"A\"\njurisdiction = \"US\"\nscope = \"named-entities\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n";
    const COUNTRIES: &str =
        "[countries]\nUS = \"United States\"\nRU = \"Russia\"\nGB = \"United Kingdom\"\n";

    fn vendor(id: &str, extra: &str) -> (String, String) {
        (
            format!("vendors/{id}.toml"),
            format!("id = \"{id}\"\nname = \"{id}\"\nkind = \"vendor\"\nhq_country = \"US\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n{extra}"),
        )
    }

    /// Problems of a registry made of the base files, with `replace` overriding or adding files.
    fn problems(replace: &[(String, String)]) -> Vec<Problem> {
        let mut files: Vec<(String, String)> = vec![
            ("registry.toml".into(), REGISTRY.into()),
            ("sources.toml".into(), SOURCES.into()),
            ("designations.toml".into(), DESIGNATIONS.into()),
            ("countries.toml".into(), COUNTRIES.into()),
        ];
        for (p, t) in replace {
            files.retain(|(q, _)| q != p);
            files.push((p.clone(), t.clone()));
        }
        let files: Vec<SourceFile> = files
            .into_iter()
            .map(|(path, text)| SourceFile {
                path,
                text: text.into(),
            })
            .collect();
        check(&files).problems
    }

    fn codes(p: &[Problem]) -> Vec<(&'static str, String, String)> {
        p.iter()
            .map(|p| (p.code, p.file.clone(), p.key.clone()))
            .collect()
    }

    fn has(p: &[Problem], code: &str, file: &str, key: &str) -> bool {
        p.iter()
            .any(|p| p.code == code && p.file == file && p.key == key)
    }

    #[test]
    fn a_minimal_registry_is_clean() {
        let p = problems(&[vendor(
            "acme",
            "[[designation]]\nid = \"d\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n",
        )]);
        assert!(p.is_empty(), "{p:#?}");
    }

    #[test]
    fn names_that_collide_across_vendors_are_errors() {
        let p = problems(&[
            vendor("acme", "[[entity]]\nname = \"Acme Holding GmbH\"\nrelation = \"parent\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n"),
            vendor("other", "[[identifier]]\nkind = \"name\"\nvalue = \"ACME holding, Inc.\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n"),
        ]);
        assert!(
            has(
                &p,
                "name-collision",
                "vendors/other.toml",
                "identifier[0].value"
            ),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn a_collision_with_a_lookalike_is_only_a_note() {
        let (path, text) = vendor("kasper", "[[identifier]]\nkind = \"name\"\nvalue = \"Acme Ltd\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n");
        let text = text.replace("kind = \"vendor\"", "kind = \"lookalike\"");
        let p = problems(&[vendor("acme", ""), (path, text)]);
        assert!(
            has(
                &p,
                "lookalike-name",
                "vendors/kasper.toml",
                "identifier[0].value"
            ),
            "{:#?}",
            codes(&p)
        );
        assert!(p.iter().all(|p| !p.is_error()), "{p:#?}");
    }

    #[test]
    fn product_names_that_collide_across_vendors_are_errors() {
        let prod = |id: &str| {
            format!("[[product]]\nid = \"{id}\"\nname = \"Super Scanner\"\nkind = \"sdk\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n")
        };
        let p = problems(&[vendor("acme", &prod("a")), vendor("bcme", &prod("b"))]);
        assert!(
            has(&p, "name-collision", "vendors/bcme.toml", "product[0].name"),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn ids_must_be_unique_and_well_formed() {
        let prod = "[[product]]\nid = \"same\"\nname = \"X one\"\nkind = \"sdk\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n";
        let (p2, t2) = vendor("bcme", &prod.replace("X one", "Y two"));
        let p = problems(&[vendor("acme", prod), (p2, t2), vendor("Bad_Id", "")]);
        assert!(
            has(&p, "duplicate-id", "vendors/bcme.toml", "product[0].id"),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(&p, "bad-id", "vendors/Bad_Id.toml", "id"),
            "{:#?}",
            codes(&p)
        );
        let dup_source =
            "[sources.s]\ntitle = \"T\"\npublisher = \"P\"\ndate = \"2020\"\ndocument = \"X\"\n";
        let p = problems(&[("countries.toml".into(), format!("{COUNTRIES}{dup_source}"))]);
        assert!(
            has(&p, "duplicate-id", "countries.toml", "sources.s"),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn the_file_stem_must_be_the_vendor_id() {
        let (_, text) = vendor("acme", "");
        let p = problems(&[("vendors/acme-corp.toml".into(), text)]);
        assert!(
            has(&p, "file-stem-mismatch", "vendors/acme-corp.toml", "id"),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn country_codes_must_be_in_countries_toml() {
        let p = problems(&[vendor(
            "acme",
            "ultimate_parent_country = \"UK\"\n[[entity]]\nname = \"Acme\"\ncountry = \"ru\"\nrelation = \"parent\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n",
        )]);
        let uk = p
            .iter()
            .find(|p| p.key == "ultimate_parent_country")
            .unwrap();
        assert!(uk.message.contains("\"GB\""), "{}", uk.message);
        let ru = p.iter().find(|p| p.key == "entity[0].country").unwrap();
        assert!(ru.message.contains("upper case"), "{}", ru.message);
        let groups = "[[group]]\nid = \"g\"\ntitle = \"G\"\nmembers = [\"US\", \"XX\"]\nstatus = \"confirmed\"\nsources = [\"s\"]\n";
        let p = problems(&[(
            "countries.toml".into(),
            format!("{COUNTRIES}{groups}x = 1\n"),
        )]);
        assert!(
            has(&p, "unknown-key", "countries.toml", "group[0].x"),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(
                &p,
                "unknown-country",
                "countries.toml",
                "group[0].members[1]"
            ),
            "{:#?}",
            codes(&p)
        );
        let p = problems(&[(
            "designations.toml".into(),
            DESIGNATIONS.replace("\"US\"", "\"EU\""),
        )]);
        assert!(
            has(
                &p,
                "unknown-country",
                "designations.toml",
                "designation[0].jurisdiction"
            ),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn every_claim_needs_defined_sources() {
        let p = problems(&[vendor(
            "acme",
            "[[identifier]]\nkind = \"domain\"\nvalue = \"acme.example\"\nstatus = \"confirmed\"\n\n[[entity]]\nname = \"Acme\"\nrelation = \"parent\"\nstatus = \"confirmed\"\nsources = [\"s\", \"t\"]\n",
        )]);
        assert!(
            has(
                &p,
                "no-sources",
                "vendors/acme.toml",
                "identifier[0].sources"
            ),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(
                &p,
                "unknown-source",
                "vendors/acme.toml",
                "entity[0].sources[1]"
            ),
            "{:#?}",
            codes(&p)
        );
        let (path, text) = vendor("acme", "");
        let p = problems(&[(path, text.replace("sources = [\"s\"]\n", ""))]);
        assert!(
            has(&p, "no-sources", "vendors/acme.toml", "sources"),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn sources_must_be_complete_and_cited() {
        let p = problems(&[(
            "sources.toml".into(),
            format!(
                "{SOURCES}[sources.half]\ntitle = \"T\"\ndate = \"2020-13\"\nurl = \"ftp://x\"\n"
            ),
        )]);
        let inc = p.iter().find(|p| p.code == "incomplete-source").unwrap();
        assert_eq!(inc.key, "sources.half");
        assert!(inc.message.contains("publisher"), "{}", inc.message);
        assert!(
            has(&p, "bad-date", "sources.toml", "sources.half.date"),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(&p, "bad-url", "sources.toml", "sources.half.url"),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(&p, "unused-source", "sources.toml", "sources.half"),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn references_must_resolve() {
        let extra = "[[designation]]\nid = \"dd\"\nproducts = [\"nope\"]\nstatus = \"confirmed\"\nsources = [\"s\"]\n\n\
            [[product]]\nid = \"engine\"\nname = \"Acme Engine\"\nkind = \"oem-engine\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n\n\
            [[oem]]\nid = \"o\"\nembedder = \"B\"\nembedder_vendor = \"bcme\"\nproduct = \"B box\"\nengine = \"engin\"\n\
            identifiers = [{ kind = \"keyword\", value = \"acme-engine\", status = \"confirmed\", sources = [\"s\"] }]\n\
            versions = \">= 2, <\"\nfrom = \"2012\"\nuntil = \"2010\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n";
        let p = problems(&[vendor("acme", extra)]);
        assert!(
            has(
                &p,
                "dangling-reference",
                "vendors/acme.toml",
                "designation[0].id"
            ),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(
                &p,
                "dangling-reference",
                "vendors/acme.toml",
                "designation[0].products[0]"
            ),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(
                &p,
                "dangling-reference",
                "vendors/acme.toml",
                "oem[0].embedder_vendor"
            ),
            "{:#?}",
            codes(&p)
        );
        let engine = p.iter().find(|p| p.key == "oem[0].engine").unwrap();
        assert!(
            engine.message.contains("did you mean \"engine\""),
            "{}",
            engine.message
        );
        assert!(
            has(
                &p,
                "bad-version-range",
                "vendors/acme.toml",
                "oem[0].versions"
            ),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(&p, "bad-date", "vendors/acme.toml", "oem[0].until"),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn designation_entities_must_name_an_entity_of_the_same_file() {
        let entity = |name: &str| {
            format!("[[entity]]\nname = \"{name}\"\nrelation = \"subsidiary\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n")
        };
        let acme = format!(
            "[[designation]]\nid = \"d\"\nentities = [\"Acme UK Ltd\", \"Other Ltd\", \"ACME UK LTD.\"]\nstatus = \"confirmed\"\nsources = [\"s\"]\n{}",
            entity("Acme UK Ltd")
        );
        let p = problems(&[vendor("acme", &acme), vendor("other", &entity("Other Ltd"))]);
        assert!(
            !has(
                &p,
                "dangling-reference",
                "vendors/acme.toml",
                "designation[0].entities[0]"
            ),
            "{:#?}",
            codes(&p)
        );
        assert!(
            has(
                &p,
                "dangling-reference",
                "vendors/acme.toml",
                "designation[0].entities[1]"
            ),
            "{:#?}",
            codes(&p)
        );
        let spelled = p
            .iter()
            .find(|p| p.key == "designation[0].entities[2]")
            .unwrap();
        assert_eq!(spelled.code, "dangling-reference");
        assert!(
            spelled.message.contains("did you mean \"Acme UK Ltd\""),
            "{}",
            spelled.message
        );
        assert_eq!(
            p.iter().filter(|p| p.is_error()).count(),
            2,
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn country_status_is_accepted_on_a_vendor() {
        let p = problems(&[vendor("acme", "country_status = \"unconfirmed\"\n")]);
        assert!(p.is_empty(), "{p:#?}");
        let p = problems(&[vendor("acme", "country_status = \"maybe\"\n")]);
        assert!(
            has(&p, "unknown-value", "vendors/acme.toml", "country_status"),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn unconfirmed_designations_are_flagged_as_warnings() {
        let p = problems(&[
            (
                "designations.toml".into(),
                DESIGNATIONS.replace("status = \"confirmed\"", "status = \"unconfirmed\""),
            ),
            vendor(
                "acme",
                "[[designation]]\nid = \"d\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n",
            ),
            vendor(
                "bcme",
                "[[designation]]\nid = \"d\"\nstatus = \"unconfirmed\"\nsources = [\"s\"]\n",
            ),
        ]);
        let w: Vec<_> = p
            .iter()
            .filter(|p| p.code == "unconfirmed-designation")
            .collect();
        assert_eq!(w.len(), 1, "{p:#?}");
        assert_eq!(
            (w[0].file.as_str(), w[0].key.as_str()),
            ("designations.toml", "designation[0].status")
        );
        assert!(p.iter().all(|p| !p.is_error()), "{p:#?}");
        let p = problems(&[vendor(
            "acme",
            "[[designation]]\nid = \"d\"\nstatus = \"unconfirmed\"\nsources = [\"s\"]\n",
        )]);
        assert!(
            has(
                &p,
                "unconfirmed-designation",
                "vendors/acme.toml",
                "designation[0].status"
            ),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn use_context_goes_with_its_scope_only() {
        let uc = DESIGNATIONS.replace(
            "scope = \"named-entities\"",
            "scope = \"named-entities-use-context\"",
        );
        let p = problems(&[("designations.toml".into(), uc)]);
        assert!(
            has(
                &p,
                "bad-value",
                "designations.toml",
                "designation[0].use_context"
            ),
            "{:#?}",
            codes(&p)
        );
        let p = problems(&[(
            "designations.toml".into(),
            format!("{DESIGNATIONS}use_context = [\"public-safety\"]\n"),
        )]);
        assert!(
            has(
                &p,
                "bad-value",
                "designations.toml",
                "designation[0].use_context"
            ),
            "{:#?}",
            codes(&p)
        );
    }

    #[test]
    fn a_value_reported_as_bad_is_not_reported_again_as_missing() {
        let p = problems(&[(
            "sources.toml".into(),
            SOURCES.replace("date = \"2020\"", "date = 2020-01-02"),
        )]);
        assert_eq!(
            codes(&p),
            vec![(
                "invalid-type",
                "sources.toml".into(),
                "sources.s.date".into()
            )]
        );
        assert!(
            p[0].message
                .contains("write dates as strings: \"2020-01-02\""),
            "{}",
            p[0].message
        );
        let (path, text) = vendor("acme", "");
        let p = problems(&[(path, text.replace("sources = [\"s\"]", "sources = \"s\""))]);
        assert_eq!(
            codes(&p),
            vec![("invalid-type", "vendors/acme.toml".into(), "sources".into())]
        );
    }

    #[test]
    fn a_broken_sources_file_does_not_cascade_into_unknown_sources() {
        let p = problems(&[
            ("sources.toml".into(), "[sources.s\ntitle = 1\n".into()),
            vendor("acme", ""),
        ]);
        assert!(p
            .iter()
            .any(|p| p.code == "toml-syntax" && p.file == "sources.toml"));
        assert!(!p.iter().any(|p| p.code == "unknown-source"), "{p:#?}");
    }

    #[test]
    fn a_missing_key_reported_by_the_loader_is_not_linted_again() {
        let p = problems(&[vendor("acme", "[[product]]\nkind = \"sdk\"\nname = \"Acme thing\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n")]);
        assert_eq!(
            codes(&p),
            vec![(
                "missing-key",
                "vendors/acme.toml".to_string(),
                "product[0].id".to_string()
            )]
        );
    }

    #[test]
    fn identifiers_of_each_kind_are_checked() {
        let good = [
            (K::Name, "Kaspersky Lab"),
            (K::CpeVendor, "kaspersky_lab"),
            (K::CpeProduct, "juniper:junos"),
            (K::Purl, "pkg:maven/com.huawei.hms"),
            (K::Purl, "pkg:npm/@kaspersky"),
            (K::Purl, "pkg:maven/com.pangle.global/ads-sdk"),
            (K::Domain, "kaspersky.com"),
            (K::SwidRegid, "regid.1997-10.com.kaspersky"),
            (K::FileName, "kavehost.exe"),
            (K::FileName, "KL_Mobile_SDK_Android_*.aar"),
            (K::JavaPackage, "com.kavsdk"),
            (
                K::Hash,
                "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (K::ProductName, "Kaspersky Anti-Virus SDK"),
            (K::Keyword, "kaspersky-lab-engine"),
            (K::Repository, "https://developer.huawei.com/repo"),
        ];
        for (k, v) in good {
            assert_eq!(check_identifier(k, v), Ok(None), "{k} {v}");
        }
        let bad = [
            (K::CpeVendor, "Kaspersky"),
            (K::CpeVendor, "a:b"),
            (K::CpeProduct, "junos"),
            (K::Purl, "maven/com.huawei"),
            (K::Purl, "pkg:maven/com.huawei.hms/push@6.1"),
            (K::Purl, "pkg:Maven/x"),
            (K::Purl, "pkg:maven/"),
            (K::Domain, "https://kaspersky.com"),
            (K::Domain, "Kaspersky.com"),
            (K::Domain, "localhost"),
            (K::SwidRegid, "com.kaspersky"),
            (K::FileName, "lib/x.so"),
            (K::FileName, "*.a"),
            (K::JavaPackage, "kavsdk"),
            (K::JavaPackage, "com.1bad"),
            (K::Hash, "sha256:abc"),
            (K::Hash, "crc32:abcd1234"),
            (K::Repository, "developer.huawei.com/repo"),
            (K::Name, "..."),
            (K::Keyword, ""),
            (K::Purl, "pkg:npm/@scope/x@1"),
            (K::SwidRegid, "regid.ж"),
        ];
        for (k, v) in bad {
            assert!(check_identifier(k, v).is_err(), "{k} {v}");
        }
        assert!(matches!(check_identifier(K::Keyword, "kl"), Ok(Some(_))));
        // Non-ASCII values are judged, never sliced apart.
        assert!(check_identifier(K::Purl, "pkg:npm/ж").is_ok());
        assert!(check_identifier(K::Purl, "pkg:npm/жx@1").is_err());
    }
}
