//! The audit policy: finding codes, their levels, and the small policy file (`bomvet.toml`).
//!
//! This module owns the vocabulary of findings ([`Code`], [`Level`]) and turns a policy file into
//! a validated [`Policy`] in two steps: [`raw`] reads the file into a [`RawPolicy`] (the shape of
//! the file, which `schemas/policy.schema.json` is generated from), reporting structural
//! problems; [`Policy::parse`] then checks what each value means (codes, levels, dates, purls,
//! version ranges, waiver criteria). Every problem is reported at once with its line, column and
//! key path. Checks against the registry (designation ids, country groups, vendor ids) happen in
//! [`Policy::check_against`], once the registry is known. Waivers live in [`waiver`], calendar
//! days in [`date`], `vers:` ranges in [`vers`], the starter file of `bomvet init` in
//! [`starter`].
//!
//! It never reads SBOMs and never prints.

pub mod date;
pub mod raw;
pub mod schema;
pub mod starter;
pub mod vers;
pub mod waiver;

mod registry_settings;
pub use registry_settings::{RegistrySettings, DEFAULT_MAX_AGE_SECS};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;
use toml::de::DeTable;

use self::date::Day;
use self::raw::{Loc, RawPolicy, RawUnresolved, RawWaiver};
use self::vers::Vers;
use self::waiver::{PurlPattern, Waiver};

use crate::registry::model::{Registry, UseContext};
use crate::textpos::LineIndex;

/// The file looked for in the working directory when `--policy` is not given.
pub const DEFAULT_POLICY_FILE: &str = "bomvet.toml";

/// The country group whose vendors raise `adversary-country` unless the policy names others.
pub const DEFAULT_COUNTRY_GROUP: &str = "us-15-cfr-791.4-foreign-adversaries";

/// Stable kebab-case finding codes (documented in docs/codes.md; SARIF rule ids).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A component developed or provided by a designated vendor, reached directly or through
    /// dependencies (or listed but unattached).
    BannedVendor,
    /// A designated vendor's code inside another component (contains / static link / pedigree),
    /// or a product that embeds it under a registry OEM relation within its period.
    BannedEmbedded,
    /// A vendor designated only for certain uses (§889 for Hytera, Hikvision, Dahua) when the
    /// policy's declared use context does not match those uses.
    ConditionalVendor,
    /// A designated vendor matched on weak or unconfirmed evidence, or a product of it that
    /// its designations do not reach (e.g. ByteDance SDKs, open-source projects).
    ReviewVendor,
    /// A product that embedded a designated vendor's engine in some period, whose version
    /// cannot be placed inside or outside that period.
    ReviewOem,
    /// A product that embedded a designated vendor's engine, at a version or date outside the
    /// period it did.
    OemOutsidePeriod,
    /// A vendor with no designation whose country of origin is in a country group of concern
    /// (by default the foreign adversaries of 15 CFR 791.4).
    AdversaryCountry,
    /// A component whose evidence names different vendors with comparable support.
    VendorConflict,
    /// A component whose declared country differs from the registry's country for its vendor.
    CountryConflict,
    /// Components whose vendor fields match no registry vendor (one finding per document).
    UnknownVendor,
    /// A policy waiver whose last day has passed: it no longer waives anything.
    WaiverExpired,
    /// A policy waiver that expires within 30 days (it still waives).
    WaiverExpiring,
    /// A policy waiver that covered no finding in the whole run.
    WaiverUnused,
}

impl Code {
    pub const ALL: [Code; 13] = [
        Code::BannedVendor,
        Code::BannedEmbedded,
        Code::ConditionalVendor,
        Code::ReviewVendor,
        Code::ReviewOem,
        Code::OemOutsidePeriod,
        Code::AdversaryCountry,
        Code::VendorConflict,
        Code::CountryConflict,
        Code::UnknownVendor,
        Code::WaiverExpired,
        Code::WaiverExpiring,
        Code::WaiverUnused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::BannedVendor => "banned-vendor",
            Code::BannedEmbedded => "banned-embedded",
            Code::ConditionalVendor => "conditional-vendor",
            Code::ReviewVendor => "review-vendor",
            Code::ReviewOem => "review-oem",
            Code::OemOutsidePeriod => "oem-outside-period",
            Code::AdversaryCountry => "adversary-country",
            Code::VendorConflict => "vendor-conflict",
            Code::CountryConflict => "country-conflict",
            Code::UnknownVendor => "unknown-vendor",
            Code::WaiverExpired => "waiver-expired",
            Code::WaiverExpiring => "waiver-expiring",
            Code::WaiverUnused => "waiver-unused",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The level a code has when no policy says otherwise.
    pub fn default_level(self) -> Level {
        match self {
            Code::BannedVendor | Code::BannedEmbedded => Level::Deny,
            Code::ConditionalVendor
            | Code::ReviewVendor
            | Code::ReviewOem
            | Code::AdversaryCountry
            | Code::VendorConflict
            | Code::WaiverExpired
            | Code::WaiverExpiring
            | Code::WaiverUnused => Level::Warn,
            Code::OemOutsidePeriod | Code::CountryConflict | Code::UnknownVendor => Level::Info,
        }
    }

    /// One line of help, used in reports and docs.
    pub fn summary(self) -> &'static str {
        match self {
            Code::BannedVendor => "software developed or provided by a designated vendor",
            Code::BannedEmbedded => "a designated vendor's code embedded in another product",
            Code::ConditionalVendor => {
                "a vendor designated only for certain uses, outside the declared use context"
            }
            Code::ReviewVendor => {
                "a designated vendor on weak or unconfirmed evidence, or outside its designations"
            }
            Code::ReviewOem => "a product that embedded a designated engine in some versions",
            Code::OemOutsidePeriod => {
                "a product that embedded a designated engine, outside that period"
            }
            Code::AdversaryCountry => "a vendor from a country of concern with no designation",
            Code::VendorConflict => "evidence names different vendors",
            Code::CountryConflict => "declared country differs from the registry",
            Code::UnknownVendor => "components whose vendor matches no registry entry",
            Code::WaiverExpired => "a policy waiver past its expiry date",
            Code::WaiverExpiring => "a policy waiver expiring within 30 days",
            Code::WaiverUnused => "a policy waiver that covered no finding",
        }
    }

    /// Whether the code is about a policy waiver rather than a document.
    pub fn is_waiver_lifecycle(self) -> bool {
        matches!(
            self,
            Code::WaiverExpired | Code::WaiverExpiring | Code::WaiverUnused
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding counts. `Allow` drops the finding from reports.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Allow,
    Info,
    Warn,
    Deny,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "info" => Some(Level::Info),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a policy file; `key` is the dotted key path (`levels.banned-vendor`).
pub type PolicyProblem = crate::textpos::Problem;

/// Why a policy could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("cannot read policy file {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("policy file {file} has {} problem(s)", problems.len())]
    Invalid {
        file: String,
        problems: Vec<PolicyProblem>,
    },
}

impl PolicyError {
    /// Each problem as `file:line:column: key: message`.
    pub fn lines(&self) -> Vec<String> {
        match self {
            PolicyError::Io { .. } => Vec::new(),
            PolicyError::Invalid { file, problems } => {
                problems.iter().map(|p| format!("{file}:{p}")).collect()
            }
        }
    }
}

/// A value with where it was written (line, column), for errors found after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
    pub key: String,
}

/// `[unresolved]`: the limit on unresolved components that makes `unknown-vendor` take
/// `level`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnresolvedLimit {
    /// Percent of the document's components.
    pub max_share: Option<f64>,
    pub max_count: Option<usize>,
    pub level: Level,
}

impl UnresolvedLimit {
    /// Whether `unresolved` of `components` exceeds a limit.
    pub fn exceeded(&self, unresolved: usize, components: usize) -> bool {
        let share = if components == 0 {
            0.0
        } else {
            unresolved as f64 * 100.0 / components as f64
        };
        self.max_count.is_some_and(|m| unresolved > m) || self.max_share.is_some_and(|m| share > m)
    }

    /// The limits as a phrase (`more than 5% or 10 components`).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.max_share {
            parts.push(format!("{s}%"));
        }
        if let Some(c) = self.max_count {
            parts.push(format!("{c} components"));
        }
        parts.join(" or ")
    }
}

/// The validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The file it came from (as given), `None` for the defaults.
    pub source: Option<String>,
    levels: BTreeMap<Code, Level>,
    /// Codes whose level the command line set: the designation table does not apply to them.
    cli_levels: BTreeSet<Code>,
    /// Declared use context of the audited systems (§889's purposes).
    pub use_context: Vec<UseContext>,
    /// Designation ids enforced; `None` = every designation in the registry.
    pub enforce: Option<Vec<Located<String>>>,
    /// Country group ids or ISO codes of concern for `adversary-country`.
    pub countries_of_concern: Vec<Located<String>>,
    /// Levels per designation id (`[designations]`).
    pub designation_levels: Vec<Located<(String, Level)>>,
    /// `[unresolved]`.
    pub unresolved: Option<UnresolvedLimit>,
    /// `[[waivers]]`, in file order.
    pub waivers: Vec<Waiver>,
    /// `[registry]`: update source, public key, overlays, maximum age.
    pub registry: RegistrySettings,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            source: None,
            levels: BTreeMap::new(),
            cli_levels: BTreeSet::new(),
            use_context: Vec::new(),
            enforce: None,
            countries_of_concern: vec![Located {
                value: DEFAULT_COUNTRY_GROUP.to_string(),
                line: 0,
                column: 0,
                key: String::new(),
            }],
            designation_levels: Vec::new(),
            unresolved: None,
            waivers: Vec::new(),
            registry: RegistrySettings::default(),
        }
    }
}

/// The codes a designation level applies to: the bans, which rest on their designations.
/// Other findings that cite designations (review-*, conditional-vendor, oem-outside-period)
/// are not bans and keep their code's level.
pub const DESIGNATION_LEVEL_CODES: [Code; 2] = [Code::BannedVendor, Code::BannedEmbedded];

impl Policy {
    /// The level of `code` under this policy.
    pub fn level(&self, code: Code) -> Level {
        self.levels
            .get(&code)
            .copied()
            .unwrap_or_else(|| code.default_level())
    }

    /// Override the level of `code` from the command line (`--deny` / `--warn` / `--allow`).
    /// It wins over the file, including its `[designations]` and `[unresolved]` tables.
    pub fn set_level(&mut self, code: Code, level: Level) {
        self.levels.insert(code, level);
        self.cli_levels.insert(code);
    }

    /// The level of a finding of `code` resting on `designations`.
    ///
    /// For `banned-vendor` and `banned-embedded`, when `[designations]` names at least one of
    /// the finding's designations, each designation counts at its table level, or at the code's
    /// level when the table does not name it, and the finding takes the most severe of them.
    /// So lowering a ban takes lowering every designation it rests on, and raising one is
    /// enough to raise it. A level set for the code on the command line wins.
    pub fn finding_level(&self, code: Code, designations: &[String]) -> Level {
        let base = self.level(code);
        if !DESIGNATION_LEVEL_CODES.contains(&code) || self.cli_levels.contains(&code) {
            return base;
        }
        let set: Vec<Option<Level>> = designations
            .iter()
            .map(|d| {
                self.designation_levels
                    .iter()
                    .find(|l| l.value.0 == *d)
                    .map(|l| l.value.1)
            })
            .collect();
        if set.iter().all(Option::is_none) {
            return base;
        }
        set.into_iter()
            .map(|l| l.unwrap_or(base))
            .max()
            .unwrap_or(base)
    }

    /// The level of the `unknown-vendor` finding for `unresolved` of `components`, and the
    /// limit exceeded, if any. A level set for `unknown-vendor` on the command line wins.
    pub fn unknown_vendor_level(
        &self,
        unresolved: usize,
        components: usize,
    ) -> (Level, Option<&UnresolvedLimit>) {
        let base = self.level(Code::UnknownVendor);
        if self.cli_levels.contains(&Code::UnknownVendor) {
            return (base, None);
        }
        match &self.unresolved {
            Some(l) if l.exceeded(unresolved, components) => (l.level, Some(l)),
            _ => (base, None),
        }
    }

    /// Whether the declared use context meets any of `purposes` (§889's limit).
    pub fn use_context_matches(&self, purposes: &[UseContext]) -> bool {
        self.use_context.iter().any(|u| purposes.contains(u))
    }

    /// Whether designation `id` is enforced.
    pub fn enforces(&self, id: &str) -> bool {
        match &self.enforce {
            None => true,
            Some(list) => list.iter().any(|d| d.value == id),
        }
    }

    /// The ISO codes of concern, resolving group ids against the registry.
    pub fn concern_countries(&self, reg: &Registry) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.countries_of_concern {
            if let Some(g) = reg.country_groups.iter().find(|g| g.id == c.value) {
                out.extend(g.members.iter().cloned());
            } else {
                out.push(c.value.clone());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Problems that need the registry: unknown designation ids, country groups and vendors.
    pub fn check_against(&self, reg: &Registry) -> Vec<PolicyProblem> {
        let mut out = Vec::new();
        let unknown_designation = |id: &str| {
            format!(
                "unknown designation {id:?} (`bomvet registry list` and `bomvet registry show ID` list them)"
            )
        };
        for d in self.enforce.iter().flatten() {
            if reg.designation_by_id(&d.value).is_none() {
                out.push(PolicyProblem {
                    line: d.line,
                    column: d.column,
                    key: d.key.clone(),
                    message: unknown_designation(&d.value),
                });
            }
        }
        for d in &self.designation_levels {
            if reg.designation_by_id(&d.value.0).is_none() {
                out.push(PolicyProblem {
                    line: d.line,
                    column: d.column,
                    key: d.key.clone(),
                    message: unknown_designation(&d.value.0),
                });
            }
        }
        for c in &self.countries_of_concern {
            let known =
                reg.country_groups.iter().any(|g| g.id == c.value) || reg.is_country(&c.value);
            if !known {
                out.push(PolicyProblem {
                    line: c.line,
                    column: c.column,
                    key: c.key.clone(),
                    message: format!(
                        "{:?} is neither an ISO 3166-1 alpha-2 code nor a country group of the registry",
                        c.value
                    ),
                });
            }
        }
        for (i, w) in self.waivers.iter().enumerate() {
            if let Some(v) = &w.vendor {
                if reg.vendor_by_id(v).is_none() {
                    out.push(PolicyProblem {
                        line: w.vendor_at.0,
                        column: w.vendor_at.1,
                        key: format!("waivers[{i}].vendor"),
                        message: format!(
                            "unknown vendor {v:?} (`bomvet registry list` lists vendor ids)"
                        ),
                    });
                }
            }
        }
        out.sort_by_key(|p| (p.line, p.column));
        out
    }

    /// Read and validate the policy file at `path`; `source` is the name shown in messages.
    pub fn load(path: &Path, source: &str) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError::Io {
            file: source.to_string(),
            source: e,
        })?;
        Policy::parse(&text, source)
    }

    /// Validate policy text. Every problem is reported, with line, column and key.
    pub fn parse(text: &str, source: &str) -> Result<Policy, PolicyError> {
        let lines = LineIndex::new(text);
        let mut problems = Vec::new();
        let (tree, errors) = DeTable::parse_recoverable(text);
        for e in errors {
            let (line, column) = e.span().map(|s| lines.at(s.start)).unwrap_or((1, 1));
            problems.push(PolicyProblem {
                line,
                column,
                key: String::new(),
                message: first_line(e.message()),
            });
        }
        let (raw, raw_problems) = raw::read(tree.get_ref());
        let mut v = Validator {
            lines: &lines,
            source,
            out: &mut problems,
        };
        for p in raw_problems {
            v.push(&p.span, &p.key, p.message);
        }
        let policy = v.policy(raw);
        merge_syntax_problems(&mut problems);
        if problems.is_empty() {
            Ok(policy)
        } else {
            problems.sort_by_key(|p| (p.line, p.column));
            Err(PolicyError::Invalid {
                file: source.to_string(),
                problems,
            })
        }
    }
}

/// Turns a [`RawPolicy`] into a [`Policy`], checking what each value means.
struct Validator<'a> {
    lines: &'a LineIndex,
    source: &'a str,
    out: &'a mut Vec<PolicyProblem>,
}

impl Validator<'_> {
    fn push(&mut self, span: &Range<usize>, key: &str, message: String) {
        let (line, column) = self.lines.at(span.start);
        self.out.push(PolicyProblem {
            line,
            column,
            key: key.to_string(),
            message,
        });
    }

    fn located<T, U>(&self, l: &Loc<T>, value: U) -> Located<U> {
        let (line, column) = self.lines.at(l.span.start);
        Located {
            value,
            line,
            column,
            key: l.key.clone(),
        }
    }

    fn level(&mut self, l: &Loc<String>) -> Option<Level> {
        let level = Level::parse(&l.value);
        if level.is_none() {
            self.push(
                &l.span,
                &l.key,
                format!(
                    "unknown level {:?} (expected deny, warn, info or allow)",
                    l.value
                ),
            );
        }
        level
    }

    fn policy(&mut self, raw: RawPolicy) -> Policy {
        let mut policy = Policy {
            source: Some(self.source.to_string()),
            ..Policy::default()
        };
        policy.registry = raw.registry.unwrap_or_default();
        if let Some(list) = raw.use_context {
            for u in list {
                if !policy.use_context.contains(&u.value) {
                    policy.use_context.push(u.value);
                }
            }
        }
        if let Some(list) = raw.enforce {
            policy.enforce = Some(
                list.iter()
                    .map(|s| self.located(s, s.value.clone()))
                    .collect(),
            );
        }
        if let Some(list) = raw.countries_of_concern {
            policy.countries_of_concern = list
                .iter()
                .map(|s| self.located(s, s.value.clone()))
                .collect();
        }
        for (k, lv) in raw.levels.unwrap_or_default() {
            let code = Code::parse(&k.value);
            if code.is_none() {
                self.push(
                    &k.span,
                    &k.key,
                    format!(
                        "unknown finding code `{}` (codes: {})",
                        k.value,
                        Code::ALL.map(Code::as_str).join(", ")
                    ),
                );
            }
            if let (Some(c), Some(l)) = (code, self.level(&lv)) {
                policy.levels.insert(c, l);
            }
        }
        for (k, lv) in raw.designations.unwrap_or_default() {
            if let Some(l) = self.level(&lv) {
                let d = self.located(&k, (k.value.clone(), l));
                policy.designation_levels.push(d);
            }
        }
        if let Some(u) = raw.unresolved {
            policy.unresolved = self.unresolved(u);
        }
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (i, w) in raw.waivers.unwrap_or_default().into_iter().enumerate() {
            let id_span = w.id.as_ref().map_or(w.span.clone(), |l| l.span.clone());
            if let Some(w) = self.waiver(i, w) {
                if let Some(first) = ids.get(&w.id) {
                    let message = format!(
                        "waiver id {:?} is already used by the waiver at {first}",
                        w.id
                    );
                    self.push(&id_span, &format!("waivers[{i}].id"), message);
                    continue;
                }
                ids.insert(w.id.clone(), w.location.clone());
                policy.waivers.push(w);
            }
        }
        policy
    }

    fn unresolved(&mut self, u: RawUnresolved) -> Option<UnresolvedLimit> {
        let mut ok = true;
        let max_share = u.max_share.as_ref().and_then(|s| {
            if s.value.is_finite() && (0.0..=100.0).contains(&s.value) {
                Some(s.value)
            } else {
                self.push(
                    &s.span,
                    &s.key,
                    format!("{} is not a percentage between 0 and 100", s.value),
                );
                ok = false;
                None
            }
        });
        let max_count = u
            .max_count
            .as_ref()
            .and_then(|c| match usize::try_from(c.value) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.push(
                        &c.span,
                        &c.key,
                        format!("{} is not a count (0 or more)", c.value),
                    );
                    ok = false;
                    None
                }
            });
        let level = match &u.level {
            None => Some(Level::Deny),
            Some(l) => match self.level(l) {
                Some(Level::Allow) => {
                    self.push(
                        &l.span,
                        &l.key,
                        "`allow` would hide the finding the limit is for; use deny, warn or info"
                            .into(),
                    );
                    None
                }
                other => other,
            },
        };
        // A limit written with a wrong type was reported already; do not also call it missing.
        let reported = self.out.iter().any(|p| p.key.starts_with("unresolved."));
        if ok && !reported && max_share.is_none() && max_count.is_none() {
            self.push(
                &u.span,
                "unresolved",
                "give `max_share` (percent) or `max_count`, or both".into(),
            );
            return None;
        }
        Some(UnresolvedLimit {
            max_share,
            max_count,
            level: level?,
        })
    }

    fn waiver(&mut self, i: usize, w: RawWaiver) -> Option<Waiver> {
        let before = self.out.len();
        let key = format!("waivers[{i}]");
        let (line, column) = self.lines.at(w.span.start);
        let has_criterion = w.purl.is_some()
            || w.name.is_some()
            || w.bom_ref.is_some()
            || w.vendor.is_some()
            || w.code.is_some();
        if !has_criterion {
            self.push(
                &w.span,
                &key,
                "a waiver needs at least one of `purl`, `name`, `ref`, `vendor`, `code`".into(),
            );
        }
        let reason = match &w.reason {
            Some(r) if !r.value.trim().is_empty() => r.value.clone(),
            Some(r) => {
                self.push(&r.span, &r.key, "the reason is empty".into());
                String::new()
            }
            None => {
                self.push(
                    &w.span,
                    &format!("{key}.reason"),
                    "a waiver needs a `reason`".into(),
                );
                String::new()
            }
        };
        let purl = w
            .purl
            .as_ref()
            .and_then(|p| match PurlPattern::parse(&p.value) {
                Ok(pp) => Some(pp),
                Err(e) => {
                    self.push(&p.span, &p.key, e);
                    None
                }
            });
        let versions = w
            .versions
            .as_ref()
            .and_then(|v| match Vers::parse(&v.value) {
                Ok(r) => Some(r),
                Err(e) => {
                    self.push(&v.span, &v.key, e);
                    None
                }
            });
        if let (Some(v), Some(p)) = (&w.versions, &purl) {
            if p.version.is_some() {
                self.push(
                    &v.span,
                    &v.key,
                    "the purl already names a version; drop its `@version` to use a range".into(),
                );
            }
        }
        if let (Some(v), None, None) = (&w.versions, &w.purl, &w.name) {
            self.push(
                &v.span,
                &v.key,
                "`versions` narrows a `purl` or `name`; give one of them".into(),
            );
        }
        let code = w.code.as_ref().and_then(|c| match Code::parse(&c.value) {
            Some(code) if code.is_waiver_lifecycle() => {
                self.push(
                    &c.span,
                    &c.key,
                    format!("`{}` is about waivers themselves and cannot be waived; set its level in [levels] instead", c.value),
                );
                None
            }
            Some(code) => Some(code),
            None => {
                self.push(
                    &c.span,
                    &c.key,
                    format!(
                        "unknown finding code `{}` (codes: {})",
                        c.value,
                        Code::ALL.map(Code::as_str).join(", ")
                    ),
                );
                None
            }
        });
        let expires = w.expires.as_ref().and_then(|e| match Day::parse(&e.value) {
            Ok(d) => Some(d),
            Err(m) => {
                self.push(&e.span, &e.key, m);
                None
            }
        });
        let id = match &w.id {
            Some(id) if id.value.trim().is_empty() => {
                self.push(&id.span, &id.key, "the id is empty".into());
                String::new()
            }
            Some(id) => id.value.clone(),
            None => format!("waiver-{}", i + 1),
        };
        let vendor_at = w
            .vendor
            .as_ref()
            .map(|v| self.lines.at(v.span.start))
            .or_else(|| w.id.as_ref().map(|v| self.lines.at(v.span.start)))
            .unwrap_or((line, column));
        if self.out.len() > before {
            return None;
        }
        let text = |l: &Option<Loc<String>>| l.as_ref().map(|l| l.value.clone());
        Some(Waiver {
            id,
            purl,
            versions,
            name: text(&w.name),
            bom_ref: text(&w.bom_ref),
            vendor: text(&w.vendor),
            code,
            reason,
            approved_by: text(&w.approved_by),
            ticket: text(&w.ticket),
            expires,
            location: format!("{}:{line}", self.source),
            vendor_at,
        })
    }
}

const USE_CONTEXTS: [(&str, UseContext); 4] = [
    ("public-safety", UseContext::PublicSafety),
    (
        "government-facility-security",
        UseContext::GovernmentFacilitySecurity,
    ),
    (
        "critical-infrastructure-surveillance",
        UseContext::CriticalInfrastructureSurveillance,
    ),
    ("national-security", UseContext::NationalSecurity),
];

/// Parse a use context name as written in policy files and on the command line.
pub fn parse_use_context(s: &str) -> Option<UseContext> {
    USE_CONTEXTS.iter().find(|(n, _)| *n == s).map(|(_, u)| *u)
}

/// The names of the use contexts, for help text.
pub fn use_context_names() -> Vec<&'static str> {
    USE_CONTEXTS.iter().map(|(n, _)| *n).collect()
}

/// A TOML syntax error (no key) and a problem the reader found at the same place describe one
/// mistake: keep the syntax error's message, which says what is wrong, with the reader's key.
fn merge_syntax_problems(problems: &mut Vec<PolicyProblem>) {
    let keyed: Vec<(usize, usize, String)> = problems
        .iter()
        .filter(|p| !p.key.is_empty())
        .map(|p| (p.line, p.column, p.key.clone()))
        .collect();
    let mut merged = Vec::new();
    for p in problems.iter_mut().filter(|p| p.key.is_empty()) {
        if let Some((l, c, k)) = keyed
            .iter()
            .find(|(l, c, _)| *l == p.line && *c == p.column)
        {
            p.key = k.clone();
            merged.push((*l, *c, p.message.clone()));
        }
    }
    problems.retain(|p| {
        !merged
            .iter()
            .any(|(l, c, m)| p.line == *l && p.column == *c && p.message != *m)
    });
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<PolicyProblem> {
        match Policy::parse(text, "bomvet.toml") {
            Ok(_) => Vec::new(),
            Err(PolicyError::Invalid { problems, .. }) => problems,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn defaults_follow_the_documented_levels() {
        let p = Policy::default();
        assert_eq!(p.level(Code::BannedVendor), Level::Deny);
        assert_eq!(p.level(Code::BannedEmbedded), Level::Deny);
        assert_eq!(p.level(Code::ConditionalVendor), Level::Warn);
        assert_eq!(p.level(Code::AdversaryCountry), Level::Warn);
        assert_eq!(p.level(Code::UnknownVendor), Level::Info);
        assert!(p.enforces("us-far-52.204-23"));
        assert!(p.use_context.is_empty());
    }

    #[test]
    fn a_valid_file_sets_levels_use_context_and_enforced_designations() {
        let p = Policy::parse(
            r#"
use_context = ["public-safety"]
enforce = ["us-far-52.204-23"]
countries_of_concern = ["RU", "CN"]
[levels]
unknown-vendor = "deny"
review-vendor = "allow"
"#,
            "bomvet.toml",
        )
        .unwrap();
        assert_eq!(p.level(Code::UnknownVendor), Level::Deny);
        assert_eq!(p.level(Code::ReviewVendor), Level::Allow);
        assert_eq!(p.level(Code::BannedVendor), Level::Deny);
        assert_eq!(p.use_context, vec![UseContext::PublicSafety]);
        assert!(p.enforces("us-far-52.204-23"));
        assert!(!p.enforces("us-far-52.204-25"));
        assert_eq!(p.countries_of_concern.len(), 2);
        assert_eq!(p.countries_of_concern[1].line, 4);
    }

    #[test]
    fn every_problem_is_reported_with_line_and_key() {
        let ps = problems(
            "colour = true\nuse_context = [\"picnics\", 3]\n[levels]\nbanned-vendor = \"maybe\"\nno-such-code = \"deny\"\n",
        );
        let keys: Vec<(usize, &str)> = ps.iter().map(|p| (p.line, p.key.as_str())).collect();
        assert_eq!(
            keys,
            vec![
                (1, "colour"),
                (2, "use_context[0]"),
                (2, "use_context[1]"),
                (4, "levels.banned-vendor"),
                (5, "levels.no-such-code"),
            ]
        );
        assert!(ps[0].message.contains("unknown key"));
        assert!(ps[3].message.contains("\"maybe\""));
    }

    #[test]
    fn toml_syntax_errors_have_a_line() {
        let ps = problems("[levels\nbanned-vendor = \"deny\"\n");
        assert!(!ps.is_empty());
        assert_eq!(ps[0].line, 1);
    }

    #[test]
    fn use_context_matching_is_an_intersection() {
        let mut p = Policy::default();
        assert!(!p.use_context_matches(&[UseContext::PublicSafety]));
        p.use_context = vec![UseContext::NationalSecurity];
        assert!(p.use_context_matches(&[UseContext::PublicSafety, UseContext::NationalSecurity]));
    }

    #[test]
    fn every_code_round_trips_through_its_name() {
        for c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(c));
        }
        assert_eq!(Code::parse("banned"), None);
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_ban_takes_the_most_severe_level_over_its_designations() {
        let p = Policy::parse(
            "[designations]\n\"d-warn\" = \"warn\"\n\"d-info\" = \"info\"\n\"d-deny\" = \"deny\"\n",
            "bomvet.toml",
        )
        .unwrap();
        let bv = Code::BannedVendor;
        // Every designation lowered: the most severe of the set levels.
        assert_eq!(
            p.finding_level(bv, &ids(&["d-warn", "d-info"])),
            Level::Warn
        );
        // One designation not in the table counts at the code's level (deny).
        assert_eq!(p.finding_level(bv, &ids(&["d-warn", "other"])), Level::Deny);
        // None in the table: the code's level.
        assert_eq!(p.finding_level(bv, &ids(&["other"])), Level::Deny);
        assert_eq!(p.finding_level(bv, &[]), Level::Deny);
        // Findings that only cite designations keep their code's level.
        assert_eq!(
            p.finding_level(Code::ReviewVendor, &ids(&["d-deny"])),
            Level::Warn
        );
        // Raising is enough with one designation, from a lowered code level.
        let mut q = p.clone();
        q.levels.insert(Code::BannedEmbedded, Level::Info);
        assert_eq!(
            q.finding_level(Code::BannedEmbedded, &ids(&["d-deny", "other"])),
            Level::Deny
        );
        // The command line wins over the table.
        q.set_level(Code::BannedEmbedded, Level::Warn);
        assert_eq!(
            q.finding_level(Code::BannedEmbedded, &ids(&["d-deny"])),
            Level::Warn
        );
    }

    #[test]
    fn the_unresolved_limit_applies_only_when_exceeded() {
        let p = Policy::parse("[unresolved]\nmax_share = 5.0\nmax_count = 3\n", "b.toml").unwrap();
        assert_eq!(
            p.unknown_vendor_level(3, 100).0,
            Level::Info,
            "at the limits"
        );
        assert_eq!(
            p.unknown_vendor_level(4, 100).0,
            Level::Deny,
            "count exceeded"
        );
        assert_eq!(
            p.unknown_vendor_level(3, 50).0,
            Level::Deny,
            "share exceeded (6%)"
        );
        let q = Policy::parse("[unresolved]\nmax_count = 0\nlevel = \"warn\"\n", "b.toml").unwrap();
        assert_eq!(q.unknown_vendor_level(1, 10).0, Level::Warn);
        let mut r = q.clone();
        r.set_level(Code::UnknownVendor, Level::Allow);
        assert_eq!(r.unknown_vendor_level(10, 10).0, Level::Allow);
        for bad in [
            "[unresolved]\n",
            "[unresolved]\nmax_share = -1\n",
            "[unresolved]\nmax_count = -2\n",
            "[unresolved]\nmax_count = 1\nlevel = \"allow\"\n",
            "[unresolved]\nmax_count = \"ten\"\n",
        ] {
            assert_eq!(problems(bad).len(), 1, "{bad}: {:?}", problems(bad));
        }
    }

    #[test]
    fn waivers_get_default_ids_and_accept_toml_and_string_dates() {
        let p = Policy::parse(
            "[[waivers]]\ncode = \"review-vendor\"\nreason = \"r\"\nexpires = 2025-06-30\n\
             [[waivers]]\nid = \"named\"\nname = \"x\"\nreason = \"r\"\nexpires = \"2025-07-01\"\n",
            "bomvet.toml",
        )
        .unwrap();
        let ids: Vec<&str> = p.waivers.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, vec!["waiver-1", "named"]);
        assert_eq!(
            p.waivers[0].expires.map(|d| d.to_string()).as_deref(),
            Some("2025-06-30")
        );
        assert_eq!(
            p.waivers[1].expires.map(|d| d.to_string()).as_deref(),
            Some("2025-07-01")
        );
        assert_eq!(p.waivers[1].location, "bomvet.toml:5");
    }

    #[test]
    fn waiver_problems_name_the_waiver_and_key() {
        let ps = problems(
            "[[waivers]]\nreason = \"r\"\n[[waivers]]\nname = \"x\"\n\
             [[waivers]]\npurl = \"pkg:maven/a/b@1\"\nversions = \"vers:maven/<2\"\nreason = \"r\"\n\
             [[waivers]]\nname = \"x\"\nversions = \"<2\"\nreason = \"r\"\nexpires = 2025-06-30T10:00:00\n",
        );
        let keys: Vec<&str> = ps.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "waivers[0]",
                "waivers[1].reason",
                "waivers[2].versions",
                "waivers[3].versions",
                "waivers[3].expires",
            ]
        );
    }
}
