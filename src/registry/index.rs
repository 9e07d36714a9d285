//! The matching index over the registry, built once at start-up so that the cost of matching a
//! component does not grow with the size of the registry.
//!
//! - exact-key hash maps: CPE vendor, CPE vendor + product, purl (type, namespace) walked over
//!   the component's namespace prefixes on `.` / `/` boundaries and exact (type, namespace,
//!   name), host names walked up label by label, repository URLs walked down path segment by
//!   segment, normalised party and product names, SWID regids, hashes, Java packages;
//! - an Aho-Corasick automaton over normalised product names and keywords for free text, with a
//!   whole-word check after each match;
//! - file names: an exact-name map, plus globs prefiltered by an automaton over their longest
//!   literal part and then checked one by one;
//! - allocation-free prefilters (the first word of every name and text pattern, the host or
//!   host + first path segment of every repository, the first segment of every Java package):
//!   a value that cannot match costs a few hash lookups and no allocation.
//!
//! Every method returns [`Hit`]s: which vendor (and product, OEM relation, entity) a value
//! points at, the identifier that matched (the "rule" a finding cites), its status and a
//! confidence.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::model::*;
use super::normalize::{fold, normalize_name};
use crate::sbom::cpe::Cpe;
use crate::sbom::purl::Purl;

/// How much a hit says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Domains, keywords: a hint.
    Low,
    /// Product / SDK names, aliases, Java packages, file names, repositories.
    Medium,
    /// CPE vendor / product, purl, exact entity name, hash, SWID regid.
    High,
}

/// Index of a rule in the [`Index`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub u32);

/// One match of an SBOM value against a registry identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'i> {
    pub rule_id: RuleId,
    pub vendor: VendorId,
    pub product: Option<ProductId>,
    pub oem: Option<OemId>,
    pub entity: Option<EntityId>,
    pub kind: IdentifierKind,
    /// The identifier value as written in the registry (the evidence a finding cites).
    pub rule: &'i str,
    /// The weaker of the identifier's status and its owner's (product, OEM relation, entity).
    pub status: Status,
    pub confidence: Confidence,
}

#[derive(Debug)]
struct Rule {
    vendor: VendorId,
    product: Option<ProductId>,
    oem: Option<OemId>,
    entity: Option<EntityId>,
    kind: IdentifierKind,
    value: Box<str>,
    status: Status,
    confidence: Confidence,
}

type Ids = Vec<u32>;
type Map<V> = FxHashMap<Box<str>, V>;

/// A file-name glob (`*` any run, `?` one character), lower case.
#[derive(Debug)]
struct Glob {
    pattern: Vec<char>,
    rules: Ids,
}

impl Glob {
    /// Iterative wildcard match with backtracking to the last `*`.
    fn matches(&self, s: &str) -> bool {
        let p = &self.pattern;
        let t: Vec<char> = s.chars().collect();
        let (mut pi, mut ti) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == '*' {
                star = Some((pi, ti));
                pi += 1;
            } else if let Some((sp, st)) = star {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            } else {
                return false;
            }
        }
        while pi < p.len() && p[pi] == '*' {
            pi += 1;
        }
        pi == p.len()
    }
}

/// The matching index. Build with [`Index::build`] or [`Registry::index`].
#[derive(Debug)]
pub struct Index {
    rules: Vec<Rule>,
    names: Map<Ids>,
    component_names: Map<Ids>,
    cpe_vendor: Map<Ids>,
    cpe_product: Map<Map<Ids>>,
    purl_ns: Map<Map<Ids>>,
    purl_exact: Map<Map<Map<Ids>>>,
    domains: Map<Ids>,
    repositories: Map<Ids>,
    swid: Map<Ids>,
    hashes: Map<Map<Ids>>,
    java: Map<Ids>,
    java_prefixes: FxHashSet<Box<str>>,
    file_exact: Map<Ids>,
    globs: Vec<Glob>,
    glob_ac: Option<AhoCorasick>,
    /// Automaton pattern → glob.
    glob_of_pattern: Vec<usize>,
    text_ac: Option<AhoCorasick>,
    /// Automaton pattern → rules.
    text_rules: Vec<Ids>,
    /// First word of every key of `names`, `component_names` and the text patterns: the
    /// allocation-free prefilter of [`Index::may_match_words`].
    first_words: FxHashSet<Box<[u8]>>,
    /// A 65,536-bit filter over `first_words` (see [`word_slot`]): most words of a name or a
    /// description are rejected by one bit test, without copying or hashing them.
    first_word_bits: Box<[u64]>,
    /// Host, or host and first path segment, of each repository rule: the prefilter of
    /// [`Index::match_repository`].
    repository_heads: FxHashSet<Box<str>>,
    /// First segment of each Java package rule: the prefilter of [`Index::match_java_package`].
    java_heads: FxHashSet<Box<str>>,
}

/// Counts of an index, for diagnostics.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct IndexStats {
    pub rules: usize,
    pub text_patterns: usize,
    pub globs: usize,
}

fn push(map: &mut Map<Ids>, key: &str, id: u32) {
    let ids = map.entry(key.into()).or_default();
    if !ids.contains(&id) {
        ids.push(id);
    }
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Canonical hash algorithm name: upper case without `-` / `_` (as [`crate::sbom::Hash`]).
fn canon_alg(alg: &str) -> Cow<'_, str> {
    let alg = alg.trim();
    if alg
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        Cow::Borrowed(alg)
    } else {
        Cow::Owned(
            alg.chars()
                .filter(|c| *c != '-' && *c != '_')
                .collect::<String>()
                .to_ascii_uppercase(),
        )
    }
}

/// `s` lower-cased into `buf` when it is ASCII and fits: lookups without allocating.
fn ascii_lower_in<'b>(buf: &'b mut [u8], s: &str) -> Option<&'b str> {
    if !s.is_ascii() {
        return None;
    }
    let slot = buf.get_mut(..s.len())?;
    slot.copy_from_slice(s.as_bytes());
    slot.make_ascii_lowercase();
    std::str::from_utf8(slot).ok()
}

/// `a`, `sep` and `b` joined into `buf` when they fit.
fn join_in<'b>(buf: &'b mut [u8], a: &str, sep: char, b: &str) -> Option<&'b str> {
    let mut tmp = [0u8; 4];
    let sep = sep.encode_utf8(&mut tmp).as_bytes();
    let len = a.len() + sep.len() + b.len();
    let slot = buf.get_mut(..len)?;
    let (x, rest) = slot.split_at_mut(a.len());
    x.copy_from_slice(a.as_bytes());
    let (y, z) = rest.split_at_mut(sep.len());
    y.copy_from_slice(sep);
    z.copy_from_slice(b.as_bytes());
    std::str::from_utf8(slot).ok()
}

/// `host/path` of an http(s) URL, lower case, without a trailing `/`, or `None`.
fn url_key(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host = host_of_authority(authority)?;
    let mut key = host.to_ascii_lowercase();
    key.push_str(&path.to_ascii_lowercase());
    while key.ends_with('/') {
        key.pop();
    }
    Some(key)
}

/// The host of `[user@]host[:port]`.
fn host_of_authority(authority: &str) -> Option<&str> {
    let a = authority.rsplit('@').next().unwrap_or(authority);
    let host = if a.starts_with('[') {
        // IPv6 literal: never a registry domain.
        return None;
    } else {
        a.split(':').next().unwrap_or(a)
    };
    let host = host.trim_end_matches('.');
    (!host.is_empty()).then_some(host)
}

impl Index {
    /// Build the index of `reg`.
    pub fn build(reg: &Registry) -> Index {
        let mut b = Builder::default();
        for (vi, v) in reg.vendors.iter().enumerate() {
            let vid = VendorId(vi as u32);
            let vstatus = v.provenance.status;
            b.add_name(
                vid,
                None,
                &v.name,
                vstatus,
                Confidence::High,
                IdentifierKind::Name,
            );
            for id in &v.identifiers {
                b.add_identifier(vid, None, None, vstatus, id);
            }
            for &eid in &v.entities {
                let e = reg.entity(eid);
                let st = e.provenance.status;
                b.add_name(
                    vid,
                    Some(eid),
                    &e.name,
                    st,
                    Confidence::High,
                    IdentifierKind::Name,
                );
                for a in &e.aliases {
                    b.add_name(
                        vid,
                        Some(eid),
                        a,
                        st,
                        Confidence::Medium,
                        IdentifierKind::Name,
                    );
                }
            }
            for &pid in &v.products {
                let p = reg.product(pid);
                let st = p.provenance.status;
                b.add_product_name(
                    vid,
                    Some(pid),
                    None,
                    &p.name,
                    st,
                    IdentifierKind::ProductName,
                );
                for a in &p.aliases {
                    b.add_product_name(vid, Some(pid), None, a, st, IdentifierKind::ProductName);
                }
                for id in &p.identifiers {
                    b.add_identifier(vid, Some(pid), None, st, id);
                }
            }
            for &oid in &v.oems {
                let o = reg.oem(oid);
                let st = o.provenance.status;
                for id in &o.identifiers {
                    b.add_identifier(vid, o.engine_id, Some(oid), st, id);
                }
            }
        }
        b.finish()
    }

    pub fn stats(&self) -> IndexStats {
        IndexStats {
            rules: self.rules.len(),
            text_patterns: self.text_rules.len(),
            globs: self.globs.len(),
        }
    }

    fn hit(&self, id: u32) -> Hit<'_> {
        let r = &self.rules[id as usize];
        Hit {
            rule_id: RuleId(id),
            vendor: r.vendor,
            product: r.product,
            oem: r.oem,
            entity: r.entity,
            kind: r.kind,
            rule: &r.value,
            status: r.status,
            confidence: r.confidence,
        }
    }

    fn extend<'s>(&'s self, out: &mut Vec<Hit<'s>>, ids: Option<&Ids>) {
        for &id in ids.into_iter().flatten() {
            if !out.iter().any(|h| h.rule_id.0 == id) {
                out.push(self.hit(id));
            }
        }
    }

    /// A party name (supplier, manufacturer, author, publisher, SPDX supplier / originator),
    /// normalised: vendor names, legal entity names and aliases, `name` identifiers.
    pub fn match_name(&self, name: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let n = normalize_name(name);
        if !n.is_empty() {
            self.extend(&mut out, self.names.get(n.as_str()));
        }
        out
    }

    /// A component name compared whole (normalised): product names and aliases,
    /// `product-name` identifiers, keywords.
    pub fn match_component_name(&self, name: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let n = normalize_name(name);
        if !n.is_empty() {
            self.extend(&mut out, self.component_names.get(n.as_str()));
        }
        out
    }

    /// A CPE: its vendor field, and its vendor + product fields.
    pub fn match_cpe(&self, cpe: &Cpe) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        if let Some(v) = cpe.vendor.as_deref() {
            let v = lower(v);
            self.extend(&mut out, self.cpe_vendor.get(v.as_ref()));
            if let Some(p) = cpe.product.as_deref() {
                let p = lower(p);
                self.extend(
                    &mut out,
                    self.cpe_product
                        .get(v.as_ref())
                        .and_then(|m| m.get(p.as_ref())),
                );
            }
        }
        out
    }

    /// A CPE given as its (unescaped) vendor and product fields, as [`Index::match_cpe`] does
    /// for a parsed [`Cpe`]; lets a caller that split the CPE itself avoid allocating.
    pub fn match_cpe_fields(&self, vendor: &str, product: Option<&str>) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let v = lower(vendor);
        self.extend(&mut out, self.cpe_vendor.get(v.as_ref()));
        if let Some(p) = product {
            let p = lower(p);
            self.extend(
                &mut out,
                self.cpe_product
                    .get(v.as_ref())
                    .and_then(|m| m.get(p.as_ref())),
            );
        }
        out
    }

    /// Whether [`Index::match_name`], [`Index::match_component_name`] or [`Index::match_text`]
    /// can find anything in `s`, decided without allocating: true when some word of `s` is the
    /// first word of a name, product name or text pattern of the index. Never false when one of
    /// those methods would hit; may be true when they do not. Text that is not plain ASCII (or
    /// holds apostrophes, which join words when folded) is always worth trying.
    pub fn may_match_words(&self, s: &str) -> bool {
        if self.first_words.is_empty() {
            return false;
        }
        // One pass over the bytes: words are runs of ASCII letters and digits.
        let b = s.as_bytes();
        let mut i = 0;
        let mut buf = [0u8; 64];
        while i < b.len() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i == start {
                if !b[i].is_ascii() || b[i] == b'\'' || b[i] == b'`' {
                    return true;
                }
                i += 1;
                continue;
            }
            let word = &b[start..i];
            let bit = word_slot(word);
            if word.len() <= buf.len() && self.first_word_bits[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let Some(slot) = buf.get_mut(..word.len()) else {
                return true;
            };
            slot.copy_from_slice(word);
            slot.make_ascii_lowercase();
            if self.first_words.contains(&*slot) {
                return true;
            }
        }
        false
    }

    /// A purl: type + namespace (and each of its prefixes on `.` / `/` boundaries), exact
    /// type + namespace + name, the `repository_url` qualifier, and for Maven the group id as a
    /// Java package.
    pub fn match_purl(&self, purl: &Purl<'_>) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let ty = lower(&purl.ty);
        let ns = purl.namespace.as_deref().map(lower);
        let name = lower(&purl.name);
        if let Some(by_ns) = self.purl_ns.get(ty.as_ref()) {
            if let Some(ns) = ns.as_deref() {
                for prefix in boundary_prefixes(ns, &['.', '/']) {
                    self.extend(&mut out, by_ns.get(prefix));
                }
                // `pkg:golang/github.com/acme` also names the module `github.com/acme/x`.
                let mut buf = [0u8; 512];
                if let Some(full) = join_in(&mut buf, ns, '/', &name) {
                    self.extend(&mut out, by_ns.get(full));
                }
            } else {
                self.extend(&mut out, by_ns.get(name.as_ref()));
            }
        }
        if let Some(by_ns) = self.purl_exact.get(ty.as_ref()) {
            let key_ns = ns.as_deref().unwrap_or("");
            self.extend(
                &mut out,
                by_ns.get(key_ns).and_then(|m| m.get(name.as_ref())),
            );
        }
        if let Some(repo) = purl.qualifier("repository_url") {
            out.extend(
                self.match_repository(repo)
                    .into_iter()
                    .filter(|h| !out.iter().any(|o| o.rule_id == h.rule_id))
                    .collect::<Vec<_>>(),
            );
        }
        if ty == "maven" {
            if let Some(ns) = ns.as_deref() {
                let hits = self.match_java_package(ns);
                for h in hits {
                    if !out.iter().any(|o| o.rule_id == h.rule_id) {
                        out.push(h);
                    }
                }
            }
        }
        out
    }

    /// A host name: the domain rules of the host and of every parent domain.
    pub fn match_domain(&self, host: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let host = host.trim().trim_end_matches('.');
        let host = lower(host);
        let h: &str = &host;
        let mut rest = h;
        loop {
            if !rest.contains('.') {
                break;
            }
            self.extend(&mut out, self.domains.get(rest));
            match rest.find('.') {
                Some(i) => rest = &rest[i + 1..],
                None => break,
            }
        }
        out
    }

    /// A URL: its host (domain rules) and its location (repository rules).
    pub fn match_url(&self, url: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let rest = url.trim();
        let rest = rest.split_once("://").map(|(_, r)| r).unwrap_or(rest);
        // `scm:git:git@host:path` and `git@host:path` forms.
        let rest = rest.rsplit_once("git@").map(|(_, r)| r).unwrap_or(rest);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if let Some(host) = host_of_authority(authority) {
            out = self.match_domain(host);
        }
        for h in self.match_repository(url) {
            if !out.iter().any(|o| o.rule_id == h.rule_id) {
                out.push(h);
            }
        }
        out
    }

    /// An e-mail address: the domain rules of its host.
    pub fn match_email(&self, addr: &str) -> Vec<Hit<'_>> {
        let addr = addr.trim().trim_start_matches("mailto:");
        match addr.rsplit_once('@') {
            Some((_, host)) => {
                let host = host.trim_end_matches(|c: char| !c.is_alphanumeric());
                self.match_domain(host)
            }
            None => Vec::new(),
        }
    }

    /// A repository or distribution URL: repository rules that are a prefix of it (on path
    /// segment boundaries).
    pub fn match_repository(&self, url: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        if self.repositories.is_empty() {
            return out;
        }
        // Prefilter without allocating: the host must be the host of some repository rule.
        let rest = url.trim();
        let rest = rest.split_once("://").map(|(_, r)| r).unwrap_or(rest);
        let rest = rest.split(['?', '#']).next().unwrap_or("");
        let authority = rest.find('/').map_or(rest, |i| &rest[..i]);
        let Some(host) = host_of_authority(authority) else {
            return out;
        };
        let first = rest
            .get(authority.len()..)
            .and_then(|p| p.strip_prefix('/'))
            .map(|p| p.split('/').next().unwrap_or(p));
        let (mut low, mut raw, mut low2) = ([0u8; 256], [0u8; 256], [0u8; 256]);
        let known = match ascii_lower_in(&mut low, host) {
            // Not ASCII, or too long to lower-case here: cannot tell cheaply.
            None => true,
            Some(h) if self.repository_heads.contains(h) => true,
            Some(_) => match first {
                None => false,
                Some(f) => join_in(&mut raw, host, '/', f)
                    .and_then(|hf| ascii_lower_in(&mut low2, hf))
                    .is_none_or(|l| self.repository_heads.contains(l)),
            },
        };
        if !known {
            return out;
        }
        if let Some(key) = url_key(url) {
            for prefix in boundary_prefixes(&key, &['/']) {
                self.extend(&mut out, self.repositories.get(prefix));
            }
        }
        out
    }

    /// A file name or path: the base name against exact names and globs (case-insensitive),
    /// and the path against Java packages (`com/kavsdk/...`).
    pub fn match_file_name(&self, path: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let path = path.trim();
        let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
        if !base.is_empty() {
            let mut buf = [0u8; 256];
            let base_l: Cow<'_, str> = match ascii_lower_in(&mut buf, base) {
                Some(l) => Cow::Borrowed(l),
                None if base.is_ascii() => lower(base),
                None => Cow::Owned(base.to_lowercase()),
            };
            self.extend(&mut out, self.file_exact.get(base_l.as_ref()));
            if let Some(ac) = &self.glob_ac {
                let mut tried: Vec<usize> = Vec::new();
                for m in ac.find_overlapping_iter(base_l.as_ref()) {
                    let g = self.glob_of_pattern[m.pattern().as_usize()];
                    if tried.contains(&g) {
                        continue;
                    }
                    tried.push(g);
                    if self.globs[g].matches(&base_l) {
                        self.extend(&mut out, Some(&self.globs[g].rules));
                    }
                }
            }
        }
        if path.contains(['/', '\\']) && !self.java.is_empty() {
            for h in self.match_java_package(path) {
                if !out.iter().any(|o| o.rule_id == h.rule_id) {
                    out.push(h);
                }
            }
        }
        out
    }

    /// A Java package, class name or path (`com.kavsdk.antivirus.Antivirus`,
    /// `BOOT-INF/classes/com/kavsdk/x.class`): every package rule found on segment boundaries.
    pub fn match_java_package(&self, s: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        if self.java.is_empty() {
            return out;
        }
        // Prefilter without allocating: some segment must start a package rule.
        let mut buf = [0u8; 64];
        let maybe = s
            .split(['.', '/', '\\'])
            .filter(|seg| !seg.is_empty())
            .any(|seg| match ascii_lower_in(&mut buf, seg) {
                Some(l) => self.java_heads.contains(l),
                None => true,
            });
        if !maybe {
            return out;
        }
        let dotted: Cow<'_, str> =
            if s.contains(['/', '\\']) || s.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(
                    s.chars()
                        .map(|c| {
                            if c == '/' || c == '\\' {
                                '.'
                            } else {
                                c.to_ascii_lowercase()
                            }
                        })
                        .collect(),
                )
            } else {
                Cow::Borrowed(s)
            };
        let d: &str = &dotted;
        let starts = std::iter::once(0).chain(d.match_indices('.').map(|(i, _)| i + 1));
        for start in starts {
            let rest = &d[start..];
            for prefix in boundary_prefixes(rest, &['.']) {
                if let Some(ids) = self.java.get(prefix) {
                    self.extend(&mut out, Some(ids));
                }
                if !self.java_prefixes.contains(prefix) {
                    break;
                }
            }
        }
        out
    }

    /// Free text (description, property value): product names and keywords found as whole
    /// words, after the same folding as names (case, NFKC, punctuation).
    pub fn match_text(&self, text: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let Some(ac) = &self.text_ac else {
            return out;
        };
        let folded = fold(text);
        let b = folded.as_bytes();
        for m in ac.find_overlapping_iter(&folded) {
            let whole = (m.start() == 0 || b[m.start() - 1] == b' ')
                && (m.end() == b.len() || b[m.end()] == b' ');
            if whole {
                self.extend(&mut out, self.text_rules.get(m.pattern().as_usize()));
            }
        }
        out
    }

    /// A hash (`SHA-256`, `sha256`, `SHA256` are the same algorithm).
    pub fn match_hash(&self, alg: &str, value: &str) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        let alg = canon_alg(alg);
        if let Some(by_value) = self.hashes.get(alg.as_ref()) {
            let v = lower(value.trim());
            self.extend(&mut out, by_value.get(v.as_ref()));
        }
        out
    }

    /// A SWID tag: the regid, and a tag id that starts with a known regid.
    pub fn match_swid(&self, regid: Option<&str>, tag_id: Option<&str>) -> Vec<Hit<'_>> {
        let mut out = Vec::new();
        for s in [regid, tag_id].into_iter().flatten() {
            let s = lower(s.trim());
            // The regid-shaped head of the value: `regid.1997-10.com.kaspersky_kis` → up to `_`.
            let head_len = s
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(s.len());
            let head = &s[..head_len];
            for prefix in boundary_prefixes(head, &['.']) {
                self.extend(&mut out, self.swid.get(prefix));
            }
        }
        out
    }
}

/// Every prefix of `s` that ends just before one of `seps`, then `s` itself (shortest first).
fn boundary_prefixes<'s>(s: &'s str, seps: &'s [char]) -> impl Iterator<Item = &'s str> + 's {
    s.match_indices(seps)
        .map(move |(i, _)| &s[..i])
        .filter(|p| !p.is_empty())
        .chain(std::iter::once(s).filter(|s| !s.is_empty()))
}

/// What a rule belongs to.
#[derive(Clone, Copy)]
struct Owner {
    vendor: VendorId,
    product: Option<ProductId>,
    oem: Option<OemId>,
    entity: Option<EntityId>,
}

#[derive(Default)]
struct Builder {
    rules: Vec<Rule>,
    names: Map<Ids>,
    component_names: Map<Ids>,
    cpe_vendor: Map<Ids>,
    cpe_product: Map<Map<Ids>>,
    purl_ns: Map<Map<Ids>>,
    purl_exact: Map<Map<Map<Ids>>>,
    domains: Map<Ids>,
    repositories: Map<Ids>,
    swid: Map<Ids>,
    hashes: Map<Map<Ids>>,
    java: Map<Ids>,
    java_prefixes: FxHashSet<Box<str>>,
    file_exact: Map<Ids>,
    globs: Map<Ids>,
    text: Map<Ids>,
}

impl Builder {
    fn rule(
        &mut self,
        owner: Owner,
        kind: IdentifierKind,
        value: &str,
        status: Status,
        confidence: Confidence,
    ) -> u32 {
        let id = self.rules.len() as u32;
        self.rules.push(Rule {
            vendor: owner.vendor,
            product: owner.product,
            oem: owner.oem,
            entity: owner.entity,
            kind,
            value: value.into(),
            status,
            confidence,
        });
        id
    }

    fn add_name(
        &mut self,
        vendor: VendorId,
        entity: Option<EntityId>,
        name: &str,
        status: Status,
        confidence: Confidence,
        kind: IdentifierKind,
    ) {
        let n = normalize_name(name);
        if n.is_empty() {
            return;
        }
        let id = self.rule(
            Owner {
                vendor,
                product: None,
                oem: None,
                entity,
            },
            kind,
            name,
            status,
            confidence,
        );
        push(&mut self.names, &n, id);
    }

    fn add_product_name(
        &mut self,
        vendor: VendorId,
        product: Option<ProductId>,
        oem: Option<OemId>,
        name: &str,
        status: Status,
        kind: IdentifierKind,
    ) {
        let n = normalize_name(name);
        if n.is_empty() {
            return;
        }
        let conf = if kind == IdentifierKind::Keyword {
            Confidence::Low
        } else {
            Confidence::Medium
        };
        let id = self.rule(
            Owner {
                vendor,
                product,
                oem,
                entity: None,
            },
            kind,
            name,
            status,
            conf,
        );
        push(&mut self.component_names, &n, id);
        let f = fold(name);
        if !f.is_empty() {
            push(&mut self.text, &f, id);
        }
    }

    fn add_identifier(
        &mut self,
        vendor: VendorId,
        product: Option<ProductId>,
        oem: Option<OemId>,
        owner_status: Status,
        ident: &Identifier,
    ) {
        use IdentifierKind as K;
        let status = ident.provenance.status.min(owner_status);
        let v = ident.value.as_str();
        let rule = |b: &mut Builder, conf: Confidence| {
            b.rule(
                Owner {
                    vendor,
                    product,
                    oem,
                    entity: None,
                },
                ident.kind,
                v,
                status,
                conf,
            )
        };
        match ident.kind {
            K::Name => {
                let n = normalize_name(v);
                if !n.is_empty() {
                    let id = rule(self, Confidence::High);
                    push(&mut self.names, &n, id);
                }
            }
            K::ProductName | K::Keyword => {
                self.add_product_name(vendor, product, oem, v, status, ident.kind);
            }
            K::CpeVendor => {
                let id = rule(self, Confidence::High);
                push(&mut self.cpe_vendor, &v.to_ascii_lowercase(), id);
            }
            K::CpeProduct => {
                if let Some((cv, cp)) = v.split_once(':') {
                    let id = rule(self, Confidence::High);
                    let m = self
                        .cpe_product
                        .entry(cv.to_ascii_lowercase().into())
                        .or_default();
                    push(m, &cp.to_ascii_lowercase(), id);
                }
            }
            K::Purl => {
                let Some((ty, path)) = v.strip_prefix("pkg:").and_then(|r| r.split_once('/'))
                else {
                    return;
                };
                let ty = ty.to_ascii_lowercase();
                let path = purl_decode(path).to_ascii_lowercase();
                let id = rule(self, Confidence::High);
                let m = self.purl_ns.entry(ty.as_str().into()).or_default();
                push(m, &path, id);
                let (ns, name) = path.rsplit_once('/').unwrap_or(("", &path));
                let m = self
                    .purl_exact
                    .entry(ty.as_str().into())
                    .or_default()
                    .entry(ns.into())
                    .or_default();
                push(m, name, id);
            }
            K::Domain => {
                let id = rule(self, Confidence::Low);
                push(&mut self.domains, &v.to_ascii_lowercase(), id);
            }
            K::Repository => {
                if let Some(key) = url_key(v) {
                    let id = rule(self, Confidence::Medium);
                    push(&mut self.repositories, &key, id);
                }
            }
            K::SwidRegid => {
                let id = rule(self, Confidence::High);
                push(&mut self.swid, &v.to_ascii_lowercase(), id);
            }
            K::Hash => {
                if let Some((alg, hex)) = v.split_once(':') {
                    let id = rule(self, Confidence::High);
                    let m = self
                        .hashes
                        .entry(canon_alg(alg).as_ref().into())
                        .or_default();
                    push(m, &hex.to_ascii_lowercase(), id);
                }
            }
            K::JavaPackage => {
                let p = v.to_ascii_lowercase();
                let id = rule(self, Confidence::Medium);
                push(&mut self.java, &p, id);
                for (i, _) in p.match_indices('.') {
                    self.java_prefixes.insert(p[..i].into());
                }
            }
            K::FileName => {
                let f = v.to_lowercase();
                let id = rule(self, Confidence::Medium);
                if f.contains(['*', '?']) {
                    push(&mut self.globs, &f, id);
                } else {
                    push(&mut self.file_exact, &f, id);
                }
            }
        }
    }

    fn finish(self) -> Index {
        let mut globs = Vec::new();
        let mut glob_literals = Vec::new();
        let mut glob_of_pattern = Vec::new();
        let mut glob_entries: Vec<(Box<str>, Ids)> = self.globs.into_iter().collect();
        glob_entries.sort();
        for (pattern, rules) in glob_entries {
            let literal = pattern
                .split(['*', '?'])
                .max_by_key(|p| p.len())
                .unwrap_or("")
                .to_string();
            glob_of_pattern.push(globs.len());
            glob_literals.push(literal);
            globs.push(Glob {
                pattern: pattern.chars().collect(),
                rules,
            });
        }
        let glob_ac = automaton(&glob_literals);

        let mut text: Vec<(Box<str>, Ids)> = self.text.into_iter().collect();
        text.sort();
        let patterns: Vec<&str> = text.iter().map(|(p, _)| p.as_ref()).collect();
        let text_ac = automaton(&patterns);
        let mut first_words: FxHashSet<Box<[u8]>> = FxHashSet::default();
        for key in self
            .names
            .keys()
            .chain(self.component_names.keys())
            .map(|k| k.as_ref())
            .chain(patterns.iter().copied())
        {
            if let Some(w) = key.split(' ').find(|w| !w.is_empty()) {
                first_words.insert(w.as_bytes().into());
            }
        }
        let mut first_word_bits = vec![0u64; WORD_FILTER_BITS / 64].into_boxed_slice();
        for w in &first_words {
            let slot = word_slot(w);
            first_word_bits[slot / 64] |= 1 << (slot % 64);
        }
        let text_rules = text.into_iter().map(|(_, ids)| ids).collect();

        let repository_heads = self
            .repositories
            .keys()
            .map(|k| {
                let mut parts = k.splitn(3, '/');
                match (parts.next(), parts.next()) {
                    (Some(h), Some(f)) => format!("{h}/{f}").into(),
                    _ => k.clone(),
                }
            })
            .collect();
        let java_heads = self
            .java
            .keys()
            .map(|k| k.split('.').next().unwrap_or(k).into())
            .collect();

        Index {
            rules: self.rules,
            names: self.names,
            component_names: self.component_names,
            cpe_vendor: self.cpe_vendor,
            cpe_product: self.cpe_product,
            purl_ns: self.purl_ns,
            purl_exact: self.purl_exact,
            domains: self.domains,
            repositories: self.repositories,
            swid: self.swid,
            hashes: self.hashes,
            java: self.java,
            java_prefixes: self.java_prefixes,
            file_exact: self.file_exact,
            globs,
            glob_ac,
            glob_of_pattern,
            text_ac,
            text_rules,
            first_words,
            first_word_bits,
            repository_heads,
            java_heads,
        }
    }
}

const WORD_FILTER_BITS: usize = 1 << 16;

/// The filter bit of a word (case-insensitive): its length and its first and last bytes, mixed.
/// A registry's few hundred first words set well under 1 % of the bits.
fn word_slot(w: &[u8]) -> usize {
    let (Some(first), Some(last)) = (w.first(), w.last()) else {
        return 0;
    };
    let key = u32::from(first.to_ascii_lowercase())
        | u32::from(last.to_ascii_lowercase()) << 8
        | (w.len().min(255) as u32) << 16;
    (key.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

fn automaton<P: AsRef<[u8]>>(patterns: &[P]) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .ok()
}

fn purl_decode(s: &str) -> String {
    crate::sbom::purl::decode(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn fixture() -> &'static Registry {
        static REG: OnceLock<Registry> = OnceLock::new();
        REG.get_or_init(|| {
            let dir =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/registry");
            Registry::load_dir(&dir).unwrap()
        })
    }

    /// (vendor id, product id, OEM id, kind, confidence) of a hit.
    type HitSummary = (
        String,
        Option<String>,
        Option<String>,
        IdentifierKind,
        Confidence,
    );

    /// A sortable summary of each hit.
    fn summary(hits: &[Hit<'_>]) -> Vec<HitSummary> {
        let reg = fixture();
        let mut v: Vec<_> = hits
            .iter()
            .map(|h| {
                (
                    reg.vendor(h.vendor).id.clone(),
                    h.product.map(|p| reg.product(p).id.clone()),
                    h.oem.map(|o| reg.oem(o).id.clone()),
                    h.kind,
                    h.confidence,
                )
            })
            .collect();
        v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        v
    }

    fn vendors(hits: &[Hit<'_>]) -> Vec<String> {
        let mut v: Vec<String> = hits
            .iter()
            .map(|h| fixture().vendor(h.vendor).id.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    fn purl(s: &str) -> Vec<Hit<'static>> {
        let p = Purl::parse(s).unwrap();
        fixture().index().match_purl(&p)
    }

    #[test]
    fn cpe_vendor_and_product_fields_hit_with_high_confidence() {
        let idx = fixture().index();
        let c = Cpe::parse("cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*").unwrap();
        let s = summary(&idx.match_cpe(&c));
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s
            .iter()
            .all(|h| h.0 == "kaspersky" && h.4 == Confidence::High));
        assert!(s
            .iter()
            .any(|h| h.1.as_deref() == Some("kaspersky-anti-virus")));
        let c = Cpe::parse("cpe:/a:kaspersky_lab:kaspersky_anti-virus").unwrap();
        assert_eq!(vendors(&idx.match_cpe(&c)), ["kaspersky"]);
        let c = Cpe::parse("cpe:2.3:a:kasperskyx:anti-virus:1:*:*:*:*:*:*:*").unwrap();
        assert!(idx.match_cpe(&c).is_empty());
    }

    #[test]
    fn an_embedding_product_hits_both_its_maker_and_the_oem_relation() {
        let idx = fixture().index();
        let c = Cpe::parse("cpe:2.3:o:juniper:junos:10.4:*:*:*:*:*:*:*").unwrap();
        let s = summary(&idx.match_cpe(&c));
        assert_eq!(
            s,
            vec![
                (
                    "juniper".into(),
                    None,
                    None,
                    IdentifierKind::CpeVendor,
                    Confidence::High
                ),
                (
                    "kaspersky".into(),
                    Some("kaspersky-anti-virus-sdk".into()),
                    Some("juniper-srx-kaspersky-av".into()),
                    IdentifierKind::CpeProduct,
                    Confidence::High
                ),
            ]
        );
        let oem = fixture().oem(idx.match_cpe(&c).iter().find_map(|h| h.oem).unwrap());
        assert!(oem.versions.as_ref().unwrap().contains("10.4"));
        assert!(!oem.versions.as_ref().unwrap().contains("18.4R1"));
    }

    #[test]
    fn purl_namespaces_match_on_dot_and_slash_boundaries_only() {
        assert_eq!(
            vendors(&purl("pkg:maven/com.huawei.hms/push@6.11.0.300")),
            ["huawei"]
        );
        assert_eq!(
            vendors(&purl("pkg:maven/com.huawei.hms.foo/bar@1")),
            ["huawei"]
        );
        assert_eq!(vendors(&purl("pkg:maven/COM.Huawei.HMS/push")), ["huawei"]);
        assert!(purl("pkg:maven/com.huawei.hmsx/push@1").is_empty());
        assert!(purl("pkg:maven/com.huawei/hms@1").is_empty());
        assert!(
            purl("pkg:npm/com.huawei.hms/push@1").is_empty(),
            "type must match"
        );
        for s in [
            "pkg:npm/@kaspersky/hexa-ui@1.2.3",
            "pkg:npm/%40kaspersky/hexa-ui",
        ] {
            let h = purl(s);
            assert_eq!(summary(&h)[0].1.as_deref(), Some("kaspersky-uif"), "{s}");
            assert_eq!(h[0].confidence, Confidence::High);
        }
        assert!(purl("pkg:npm/@kasperskyx/hexa-ui").is_empty());
        assert_eq!(
            summary(&purl(
                "pkg:maven/com.kaspersky.android-components/kaspresso@1.5"
            ))[0]
                .1
                .as_deref(),
            Some("kaspresso")
        );
    }

    #[test]
    fn purl_repository_qualifiers_hit_repository_rules() {
        let s = summary(&purl(
            "pkg:maven/org.example/lib@1?repository_url=https://developer.huawei.com/repo/",
        ));
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(
            (s[0].3, s[0].4),
            (IdentifierKind::Repository, Confidence::Medium)
        );
        assert!(purl(
            "pkg:maven/org.example/lib@1?repository_url=https://developer.huawei.com/repository"
        )
        .is_empty());
    }

    #[test]
    fn party_names_match_after_normalisation() {
        let idx = fixture().index();
        let h = idx.match_name("AO Kaspersky Lab");
        assert!(
            h.iter()
                .any(|h| h.entity.is_some() && h.confidence == Confidence::High),
            "{h:?}"
        );
        assert_eq!(
            vendors(&idx.match_name("KASPERSKY LAB, INC.")),
            ["kaspersky"]
        );
        assert_eq!(
            vendors(&idx.match_name("ＫＡＳＰＥＲＳＫＹ")),
            ["kaspersky"]
        );
        let alias = idx.match_name("АО «Лаборатория Касперского»");
        assert_eq!(vendors(&alias), ["kaspersky"]);
        assert!(alias.iter().all(|h| h.confidence == Confidence::Medium));
        assert_eq!(vendors(&idx.match_name("华为技术有限公司")), ["huawei"]);
        assert_eq!(
            vendors(&idx.match_name("Kasper Systems Inc.")),
            ["kasper-systems"]
        );
        assert!(idx.match_name("Kaspersky Systems").is_empty());
        assert!(idx.match_name("Juniper").is_empty());
        assert!(idx.match_name("").is_empty());
    }

    #[test]
    fn hosts_match_their_domain_and_parent_domains_only() {
        let idx = fixture().index();
        let h = idx.match_domain("dnl-01.geo.Kaspersky.com.");
        assert_eq!(vendors(&h), ["kaspersky"]);
        assert_eq!(h[0].confidence, Confidence::Low);
        assert!(idx.match_domain("notkaspersky.com").is_empty());
        assert!(idx.match_domain("kaspersky.com.evil.example").is_empty());
        assert!(idx.match_domain("com").is_empty());
        assert_eq!(
            vendors(&idx.match_url("https://usa.kaspersky.com/downloads?x=1")),
            ["kaspersky"]
        );
        assert_eq!(
            vendors(&idx.match_url("git@github.com:KasperskyLab/Kaspresso.git")),
            Vec::<String>::new()
        );
        assert_eq!(
            vendors(&idx.match_email("Kaspersky <noreply@Kaspersky.COM>")),
            ["kaspersky"]
        );
        assert!(idx.match_email("not-an-address").is_empty());
        let status = idx.match_domain("www.hikvision.com")[0].status;
        assert_eq!(status, Status::Unconfirmed);
    }

    #[test]
    fn urls_hit_domains_and_repositories() {
        let idx = fixture().index();
        let s =
            summary(&idx.match_url(
                "https://developer.huawei.com/repo/com/huawei/hms/push/6.1/push-6.1.aar",
            ));
        let kinds: Vec<IdentifierKind> = s.iter().map(|h| h.3).collect();
        assert_eq!(kinds.len(), 2, "{s:?}");
        assert!(
            kinds.contains(&IdentifierKind::Domain) && kinds.contains(&IdentifierKind::Repository)
        );
    }

    #[test]
    fn file_names_match_exactly_or_by_glob_case_insensitively() {
        let idx = fixture().index();
        let one = |p: &str| {
            summary(&idx.match_file_name(p))
                .into_iter()
                .map(|h| h.1)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            one("C:\\Program Files\\Kaspersky\\KAVEHOST.EXE"),
            [Some("kaspersky-scan-engine".to_string())]
        );
        assert_eq!(
            one("libs/KL_Mobile_SDK_Android_5.18.0.215_FullRelease.aar"),
            [Some("kaspersky-mobile-security-sdk".to_string())]
        );
        assert_eq!(
            one("kl_base_sdk_android_1.aar"),
            [Some("kaspersky-mobile-security-sdk".to_string())]
        );
        assert!(one("KL_Mobile_SDK_iOS.aar").is_empty());
        assert!(one("kavehost.exe.bak").is_empty());
        assert_eq!(
            one("BOOT-INF/classes/com/kavsdk/antivirus/Antivirus.class"),
            [Some("kaspersky-mobile-security-sdk".to_string())]
        );
        assert!(one("com/kavsdkx/Antivirus.class").is_empty());
        assert_eq!(
            idx.match_file_name("HCNetSDK.dll")[0].confidence,
            Confidence::Medium
        );
    }

    #[test]
    fn java_packages_match_on_segment_boundaries() {
        let idx = fixture().index();
        assert_eq!(
            vendors(&idx.match_java_package("com.kavsdk.antivirus.Antivirus")),
            ["kaspersky"]
        );
        assert_eq!(
            vendors(&idx.match_java_package("com.kavsdk")),
            ["kaspersky"]
        );
        assert!(idx.match_java_package("com.kavsdkexample").is_empty());
        assert!(idx.match_java_package("com").is_empty());
        // A Maven group id is a Java package too.
        let s = summary(&purl("pkg:maven/com.kavsdk/sdk@5"));
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].3, IdentifierKind::JavaPackage);
    }

    #[test]
    fn text_matches_whole_words_only() {
        let idx = fixture().index();
        let s = summary(&idx.match_text("Firewall using the kaspersky-lab-engine for AV."));
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(
            (s[0].2.as_deref(), s[0].3, s[0].4),
            (
                Some("juniper-srx-kaspersky-av"),
                IdentifierKind::Keyword,
                Confidence::Low
            )
        );
        assert!(idx.match_text("kaspersky-lab-engines are many").is_empty());
        assert!(idx.match_text("xkaspersky-lab-engine").is_empty());
        let s = summary(&idx.match_text("Ships the KAV SDK v8"));
        assert_eq!(
            (s[0].1.as_deref(), s[0].4),
            (Some("kaspersky-anti-virus-sdk"), Confidence::Medium)
        );
        assert_eq!(
            vendors(&idx.match_text("wrapper around hcnetsdk for Python")),
            ["hikvision"]
        );
        assert_eq!(
            vendors(&idx.match_text("calls NET_DVR_Init() first")),
            ["hikvision"]
        );
        assert!(idx.match_text("").is_empty());
    }

    #[test]
    fn component_names_match_products_whole() {
        let idx = fixture().index();
        let s = summary(&idx.match_component_name("kaspersky anti-virus sdk"));
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(
            (s[0].1.as_deref(), s[0].4),
            (Some("kaspersky-anti-virus-sdk"), Confidence::Medium)
        );
        assert!(idx
            .match_component_name("kaspersky anti-virus sdk wrapper")
            .is_empty());
    }

    #[test]
    fn swid_regids_match_and_carry_the_weaker_status() {
        let idx = fixture().index();
        let h = idx.match_swid(Some("regid.1997-10.com.kaspersky"), None);
        assert_eq!(vendors(&h), ["kaspersky"]);
        assert_eq!(
            (h[0].confidence, h[0].status),
            (Confidence::High, Status::Unconfirmed)
        );
        assert_eq!(
            vendors(&idx.match_swid(None, Some("regid.1997-10.com.kaspersky_KIS_21.3"))),
            ["kaspersky"]
        );
        assert!(idx
            .match_swid(None, Some("regid.1997-10.com.kasperskyx_KIS"))
            .is_empty());
    }

    #[test]
    fn hashes_match_whatever_the_algorithm_spelling() {
        let files: Vec<crate::registry::SourceFile> = [
            ("registry.toml", "[registry]\nversion = \"1\"\nserial = 1\n"),
            ("sources.toml", "[sources.s]\ntitle = \"T\"\npublisher = \"P\"\ndate = \"2020\"\ndocument = \"D\"\n"),
            ("designations.toml", ""),
            ("countries.toml", "[countries]\nUS = \"United States\"\n"),
            ("vendors/acme.toml", "id = \"acme\"\nname = \"Acme\"\nkind = \"vendor\"\nhq_country = \"US\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n\
                [[identifier]]\nkind = \"hash\"\nvalue = \"sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n"),
        ]
        .into_iter()
        .map(|(p, t)| crate::registry::SourceFile { path: p.into(), text: t.to_string().into() })
        .collect();
        let reg = Registry::from_files(files, "test".into(), Vec::new()).unwrap();
        let idx = Index::build(&reg);
        let v = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        for alg in ["SHA-256", "sha256", "SHA256", "sha_256"] {
            let h = idx.match_hash(alg, v);
            assert_eq!(h.len(), 1, "{alg}");
            assert_eq!(h[0].confidence, Confidence::High);
        }
        assert!(idx.match_hash("SHA-1", v).is_empty());
        assert!(idx.match_hash("SHA-256", &v.replace('e', "f")).is_empty());
    }

    #[test]
    fn every_hit_names_its_rule_as_written() {
        let idx = fixture().index();
        let h = idx.match_file_name("KL_Mobile_SDK_Android_1.aar");
        assert_eq!(h[0].rule, "KL_Mobile_SDK_Android_*.aar");
        assert_eq!(h[0].kind, IdentifierKind::FileName);
        assert!(idx.stats().rules > 30);
    }

    #[test]
    fn globs_match_case_folded_names_with_stars_and_question_marks() {
        let g = |p: &str| Glob {
            pattern: p.chars().collect(),
            rules: vec![],
        };
        assert!(g("kl_mobile_sdk_android_*.aar")
            .matches("kl_mobile_sdk_android_5.18.0.215_fullrelease.aar"));
        assert!(!g("kl_mobile_sdk_android_*.aar").matches("kl_mobile_sdk_android_5.18.jar"));
        assert!(g("*.ppl").matches("base.ppl"));
        assert!(!g("*.ppl").matches("base.ppl.bak"));
        assert!(g("lib?netsdk.so").matches("libhnetsdk.so"));
        assert!(!g("lib?netsdk.so").matches("libnetsdk.so"));
        assert!(g("a*b*c").matches("aXXbYYc"));
        assert!(g("a*b*c").matches("abbbc"));
        assert!(!g("a*b*c").matches("acb"));
    }

    #[test]
    fn the_bit_filter_never_hides_a_first_word_of_the_real_registry() {
        let reg = crate::registry::Registry::embedded().expect("embedded registry");
        let idx = reg.index();
        assert!(!idx.first_words.is_empty());
        let mut set = 0;
        for w in &idx.first_words {
            let w = std::str::from_utf8(w).expect("first words are text");
            if !w.bytes().all(|b| b.is_ascii_alphanumeric()) {
                continue; // split into several words by the matcher; covered by the test below
            }
            for form in [
                w.to_string(),
                w.to_ascii_uppercase(),
                format!("the {w}, inc."),
            ] {
                assert!(idx.may_match_words(&form), "{form}");
            }
            set += 1;
        }
        assert!(set > 50, "only {set} plain first words checked");
        let bits: u32 = idx.first_word_bits.iter().map(|b| b.count_ones()).sum();
        assert!(
            (bits as usize) < WORD_FILTER_BITS / 20,
            "{bits} bits set: the filter is too dense"
        );
    }

    #[test]
    fn the_word_prefilter_passes_whatever_the_name_and_text_matchers_would_hit() {
        let idx = fixture().index();
        for s in [
            "AO Kaspersky Lab",
            "KASPERSKY LAB, INC.",
            "kav-sdk",
            "Firewall using the kaspersky-lab-engine for AV.",
            "calls NET_DVR_Init() first",
            "АО «Лаборатория Касперского»",
            "McAfee's engine",
        ] {
            assert!(idx.may_match_words(s), "{s}");
        }
        for s in ["jackson-databind", "FasterXML, LLC", "left pad", "", "   "] {
            assert!(!idx.may_match_words(s), "{s}");
            assert!(idx.match_name(s).is_empty() && idx.match_text(s).is_empty());
        }
    }

    #[test]
    fn cpe_fields_match_like_a_parsed_cpe() {
        let idx = fixture().index();
        let c = Cpe::parse("cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*").unwrap();
        let a: Vec<RuleId> = idx.match_cpe(&c).iter().map(|h| h.rule_id).collect();
        let b: Vec<RuleId> = idx
            .match_cpe_fields("KASPERSKY", Some("anti-virus"))
            .iter()
            .map(|h| h.rule_id)
            .collect();
        assert_eq!(a, b);
        assert_eq!(idx.match_cpe_fields("kaspersky", None).len(), 1);
        assert!(idx.match_cpe_fields("kasperskyx", None).is_empty());
    }

    #[test]
    fn repository_prefilter_keeps_case_and_forms_of_the_full_match() {
        let idx = fixture().index();
        for u in [
            "https://DEVELOPER.Huawei.com/REPO/com/huawei/hms/push.aar",
            "developer.huawei.com/repo",
            "https://user@developer.huawei.com:443/repo/",
        ] {
            assert_eq!(vendors(&idx.match_repository(u)), ["huawei"], "{u}");
        }
        for u in [
            "https://developer.huawei.com/other/x",
            "https://developer.huawei.com",
            "https://github.com/FasterXML/jackson-databind",
        ] {
            assert!(idx.match_repository(u).is_empty(), "{u}");
        }
    }

    #[test]
    fn boundary_prefixes_are_shortest_first() {
        let v: Vec<&str> = boundary_prefixes("com.huawei.hms", &['.', '/']).collect();
        assert_eq!(v, ["com", "com.huawei", "com.huawei.hms"]);
        let v: Vec<&str> = boundary_prefixes("@scope/x", &['.', '/']).collect();
        assert_eq!(v, ["@scope", "@scope/x"]);
        assert_eq!(boundary_prefixes("", &['.']).count(), 0);
    }

    #[test]
    fn url_keys_drop_scheme_credentials_port_query_and_trailing_slash() {
        assert_eq!(
            url_key("https://user:pw@Developer.Huawei.com:443/repo/?x=1").as_deref(),
            Some("developer.huawei.com/repo")
        );
        assert_eq!(
            url_key("developer.huawei.com").as_deref(),
            Some("developer.huawei.com")
        );
        assert_eq!(url_key("https://[::1]/x"), None);
    }
}
