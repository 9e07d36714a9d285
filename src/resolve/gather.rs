//! Evidence gathering: every field of a [`Component`] that can name a vendor is looked up in
//! the registry [`Index`], and each hit is kept with the field and value it came from.
//!
//! Nothing here allocates unless the index finds something (or a value cannot be prefiltered
//! cheaply): names and free text go through [`Index::may_match_words`] first, CPEs are split
//! in place, and the hit list starts empty.

use std::borrow::Cow;

use crate::registry::{Confidence, Hit, Index};
use crate::sbom::cpe::Cpe;
use crate::sbom::purl::Purl;
use crate::sbom::{Component, Party, PartyKind};

/// One hit of one component value, before grouping by vendor.
#[derive(Debug, Clone)]
pub(crate) struct Raw<'r, 'c> {
    pub hit: Hit<'r>,
    pub field: &'static str,
    pub value: Cow<'c, str>,
    /// The hit's confidence, capped by what the field can say (free text: low).
    pub confidence: Confidence,
    /// True for a hit on a party name of the component (supplier, manufacturer, author,
    /// publisher, originator): the document's own claim of who made or supplied it.
    pub declared: bool,
}

/// Field names of a party and of its contact details.
struct PartyFields {
    name: &'static str,
    email: &'static str,
    url: &'static str,
}

const SUPPLIER: PartyFields = PartyFields {
    name: "supplier",
    email: "supplier.email",
    url: "supplier.url",
};
const MANUFACTURER: PartyFields = PartyFields {
    name: "manufacturer",
    email: "manufacturer.email",
    url: "manufacturer.url",
};
const AUTHOR: PartyFields = PartyFields {
    name: "author",
    email: "author.email",
    url: "author.url",
};
const ORIGINATOR: PartyFields = PartyFields {
    name: "originator",
    email: "originator.email",
    url: "originator.url",
};

/// Everything found on one component.
#[derive(Debug, Default)]
pub(crate) struct Gathered<'r, 'c> {
    pub raws: Vec<Raw<'r, 'c>>,
    /// A supplier or manufacturer organisation is named but the registry knows no such name.
    pub unmatched_declared_party: bool,
    /// The component carries some vendor-identifying field.
    pub has_vendor_fields: bool,
    /// The purl is Maven's with the component's group as namespace: the index has already
    /// read the group as a Java package.
    pub group_read_as_java: bool,
    /// The version to test OEM version ranges against: the component's, else the purl's,
    /// else the first CPE's.
    pub version: Option<Cow<'c, str>>,
}

/// True for a party name that says something (not empty, not `NOASSERTION` / `NONE`).
fn informative(name: &str) -> bool {
    !(name.is_empty()
        || name.eq_ignore_ascii_case("noassertion")
        || name.eq_ignore_ascii_case("none"))
}

/// The vendor, product and version fields of a CPE without allocating when it is plain
/// (no escapes); otherwise through [`Cpe::parse`]. `None` when it is not a CPE.
pub(crate) struct CpeFields<'s> {
    pub vendor: Option<Cow<'s, str>>,
    pub product: Option<Cow<'s, str>>,
    pub version: Option<Cow<'s, str>>,
}

fn cpe_field(f: Option<&str>) -> Option<Cow<'_, str>> {
    match f {
        None | Some("") | Some("*") | Some("-") => None,
        Some(v) => Some(Cow::Borrowed(v)),
    }
}

pub(crate) fn cpe_fields(s: &str) -> Option<CpeFields<'_>> {
    let s = s.trim();
    let field = cpe_field;
    let part_ok = |p: Option<&str>| {
        matches!(
            p.and_then(|p| p.chars().next()),
            Some('a' | 'o' | 'h' | '*')
        )
    };
    let fast = if let Some(rest) = s.strip_prefix("cpe:2.3:") {
        (!rest.contains('\\') && rest.split(':').count() == 11).then_some(rest)
    } else if let Some(rest) = s.strip_prefix("cpe:/") {
        (!rest.contains('%')).then_some(rest)
    } else {
        return None;
    };
    match fast {
        Some(rest) => {
            let mut it = rest.split(':');
            let part = it.next();
            if !part_ok(part) {
                return None;
            }
            Some(CpeFields {
                vendor: field(it.next()),
                product: field(it.next()),
                version: field(it.next()),
            })
        }
        None => {
            let c = Cpe::parse(s).ok()?;
            Some(CpeFields {
                vendor: c.vendor,
                product: c.product,
                version: c.version,
            })
        }
    }
}

pub(crate) struct Gatherer<'r, 'c> {
    idx: &'r Index,
    out: Gathered<'r, 'c>,
}

impl<'r, 'c> Gatherer<'r, 'c> {
    pub fn new(idx: &'r Index) -> Self {
        Gatherer {
            idx,
            out: Gathered::default(),
        }
    }

    fn add(
        &mut self,
        hits: Vec<Hit<'r>>,
        field: &'static str,
        value: Cow<'c, str>,
        cap: Confidence,
        declared: bool,
    ) {
        for hit in hits {
            self.out.raws.push(Raw {
                hit,
                field,
                value: value.clone(),
                confidence: hit.confidence.min(cap),
                declared,
            });
        }
    }

    /// Names only when a word of them can start a registry name.
    fn name_hits(&self, name: &str) -> Vec<Hit<'r>> {
        if self.idx.may_match_words(name) {
            self.idx.match_name(name)
        } else {
            Vec::new()
        }
    }

    fn component_name_hits(&self, name: &str) -> Vec<Hit<'r>> {
        if self.idx.may_match_words(name) {
            self.idx.match_component_name(name)
        } else {
            Vec::new()
        }
    }

    fn text_hits(&self, text: &str) -> Vec<Hit<'r>> {
        if self.idx.may_match_words(text) {
            self.idx.match_text(text)
        } else {
            Vec::new()
        }
    }

    fn url(&mut self, field: &'static str, url: &'c str) {
        let url = url.trim();
        if url.is_empty() {
            return;
        }
        self.out.has_vendor_fields = true;
        let hits = self.idx.match_url(url);
        self.add(hits, field, Cow::Borrowed(url), Confidence::High, false);
    }

    fn email(&mut self, field: &'static str, email: &'c str) {
        let email = email.trim();
        if !email.contains('@') {
            return;
        }
        self.out.has_vendor_fields = true;
        let hits = self.idx.match_email(email);
        self.add(hits, field, Cow::Borrowed(email), Confidence::High, false);
    }

    /// A party: its name (a declared claim), e-mails and URLs. `declared_org` marks the
    /// supplier and manufacturer, whose unmatched organisation names feed the conflict rule.
    fn party(&mut self, f: &PartyFields, p: &'c Party, declared_org: bool) {
        let name = p.name.trim();
        if p.kind != PartyKind::NoAssertion && informative(name) {
            self.out.has_vendor_fields = true;
            let hits = self.name_hits(name);
            if hits.is_empty()
                && declared_org
                && matches!(p.kind, PartyKind::Organization | PartyKind::Unprefixed)
            {
                self.out.unmatched_declared_party = true;
            }
            self.add(hits, f.name, Cow::Borrowed(name), Confidence::High, true);
        }
        for e in &p.emails {
            self.email(f.email, e);
        }
        for u in &p.urls {
            self.url(f.url, u);
        }
    }

    fn purl(&mut self, c: &'c Component, s: &'c str) {
        let Ok(p) = Purl::parse(s) else {
            return;
        };
        let value = Cow::Borrowed(s.trim());
        let hits = self.idx.match_purl(&p);
        self.add(hits, "purl", value.clone(), Confidence::High, false);
        if let Some(ns) = p.namespace.as_deref() {
            self.out.has_vendor_fields = true;
            self.out.group_read_as_java = p.ty == "maven"
                && c.group
                    .as_deref()
                    .is_some_and(|g| g.trim().eq_ignore_ascii_case(ns));
            // The last segment of a namespace often is the publisher (`pkg:generic/acme/x`,
            // `pkg:npm/@acme/x`, `pkg:github/acme/x`): a name, not a registry identifier, so
            // at most medium.
            // A dotted segment is a reverse domain or module path (`com.acme`), not a name.
            let last = ns.rsplit('/').next().unwrap_or(ns).trim_start_matches('@');
            if !last.is_empty() && !last.contains('.') {
                let hits = self.name_hits(last);
                self.add(hits, "purl", value.clone(), Confidence::Medium, false);
            }
        }
        // The purl's name as a product name, when the component's name differs.
        let pname = p.name.as_ref();
        if !pname.eq_ignore_ascii_case(c.name.trim()) {
            let hits = self.component_name_hits(pname);
            self.add(hits, "purl", value.clone(), Confidence::Medium, false);
        }
        if self.out.version.is_none() {
            self.out.version = p.version;
        }
    }

    fn cpe(&mut self, s: &'c str) {
        let Some(f) = cpe_fields(s) else {
            return;
        };
        let Some(vendor) = f.vendor.as_deref() else {
            return;
        };
        self.out.has_vendor_fields = true;
        let hits = self.idx.match_cpe_fields(vendor, f.product.as_deref());
        self.add(
            hits,
            "cpe",
            Cow::Borrowed(s.trim()),
            Confidence::High,
            false,
        );
        if self.out.version.is_none() {
            self.out.version = f.version;
        }
    }

    pub fn gather(mut self, c: &'c Component) -> Gathered<'r, 'c> {
        if let Some(v) = c.version.as_deref().map(str::trim) {
            if !v.is_empty() {
                self.out.version = Some(Cow::Borrowed(v));
            }
        }
        if let Some(p) = &c.supplier {
            self.party(&SUPPLIER, p, true);
        }
        if let Some(p) = &c.manufacturer {
            self.party(&MANUFACTURER, p, true);
        }
        for p in &c.authors {
            self.party(&AUTHOR, p, false);
        }
        if let Some(p) = c.publisher.as_deref().map(str::trim) {
            if informative(p) {
                self.out.has_vendor_fields = true;
                let hits = self.name_hits(p);
                self.add(hits, "publisher", Cow::Borrowed(p), Confidence::High, true);
            }
        }
        for p in &c.originators {
            self.party(&ORIGINATOR, p, false);
        }
        if let Some(s) = c.purl.as_deref() {
            self.purl(c, s);
        }
        for s in &c.cpes {
            self.cpe(s);
        }
        if let Some(swid) = &c.swid {
            if let Some(r) = swid.regid.as_deref().map(str::trim) {
                if !r.is_empty() {
                    self.out.has_vendor_fields = true;
                    let hits = self.idx.match_swid(Some(r), None);
                    self.add(hits, "swid", Cow::Borrowed(r), Confidence::High, false);
                }
            }
            if let Some(t) = swid.tag_id.as_deref().map(str::trim) {
                let hits = self.idx.match_swid(None, Some(t));
                self.add(hits, "swid", Cow::Borrowed(t), Confidence::High, false);
            }
            if let Some(n) = swid.name.as_deref().map(str::trim) {
                let hits = self.component_name_hits(n);
                self.add(hits, "swid", Cow::Borrowed(n), Confidence::Medium, false);
            }
        }
        for h in &c.hashes {
            let hits = self.idx.match_hash(&h.alg, &h.value);
            if !hits.is_empty() {
                let value: Cow<'c, str> = Cow::Owned(format!("{}:{}", h.alg, h.value));
                self.add(hits, "hash", value, Confidence::High, false);
            }
        }
        for l in &c.links {
            self.url("url", &l.url);
        }
        let name = c.name.trim();
        if !name.is_empty() && self.idx.may_match_words(name) {
            let v = Cow::Borrowed(name);
            let hits = self.idx.match_component_name(name);
            self.add(hits, "name", v.clone(), Confidence::Medium, false);
            let hits = self.idx.match_text(name);
            self.add(hits, "name", v, Confidence::Low, false);
        }
        if let Some(g) = c.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            self.group(g, name);
        }
        for f in &c.file_names {
            let hits = self.idx.match_file_name(f);
            self.add(
                hits,
                "file-name",
                Cow::Borrowed(f.trim()),
                Confidence::High,
                false,
            );
        }
        if let Some(d) = c.description.as_deref() {
            let hits = self.text_hits(d);
            self.add(
                hits,
                "description",
                Cow::Borrowed(d),
                Confidence::Low,
                false,
            );
        }
        for (_, v) in &c.properties {
            let hits = self.text_hits(v);
            self.add(hits, "property", Cow::Borrowed(v), Confidence::Low, false);
        }
        self.out
    }

    /// A group: a Java package when dotted (Maven groupId), else a publisher-like name (npm
    /// scope); and group + name as a product name.
    fn group(&mut self, g: &'c str, name: &str) {
        let v = Cow::Borrowed(g);
        if g.contains('.') {
            // A Maven purl with this group as namespace has been read as a Java package.
            if !self.out.group_read_as_java {
                let hits = self.idx.match_java_package(g);
                self.add(hits, "group", v, Confidence::Medium, false);
            }
        } else {
            let hits = self.name_hits(g.trim_start_matches('@'));
            self.add(hits, "group", v, Confidence::Medium, false);
        }
        self.group_name(g, name);
    }

    /// Group and name together as a product name.
    fn group_name(&mut self, g: &'c str, name: &str) {
        if !name.is_empty() && (self.idx.may_match_words(g) || self.idx.may_match_words(name)) {
            let full = format!("{g} {name}");
            let hits = self.idx.match_component_name(&full);
            if !hits.is_empty() {
                self.add(hits, "name", Cow::Owned(full), Confidence::Medium, false);
            }
        }
    }
}
