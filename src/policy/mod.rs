//! The audit policy: finding codes, their levels, and the small policy file (`bomvet.toml`).
//!
//! This module owns the vocabulary of findings ([`Code`], [`Level`]) and turns a policy file into
//! a validated [`Policy`]. The raw file is walked key by key (not deserialised in one go) so that
//! every problem — unknown key, wrong type, unknown code or level — is reported at once with its
//! line, column and key path. Checks against the registry (designation ids, country groups)
//! happen in [`Policy::check_against`], once the registry is known.
//!
//! It never reads SBOMs and never prints.

mod registry_settings;
pub use registry_settings::{RegistrySettings, DEFAULT_MAX_AGE_SECS};

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::registry::model::{Registry, UseContext};

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
}

impl Code {
    pub const ALL: [Code; 10] = [
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
            | Code::VendorConflict => Level::Warn,
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
        }
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

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    pub line: usize,
    pub column: usize,
    /// Dotted key path (`levels.banned-vendor`), empty for the file as a whole.
    pub key: String,
    pub message: String,
}

impl fmt::Display for PolicyProblem {
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

/// The validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The file it came from (as given), `None` for the defaults.
    pub source: Option<String>,
    levels: BTreeMap<Code, Level>,
    /// Declared use context of the audited systems (§889's purposes).
    pub use_context: Vec<UseContext>,
    /// Designation ids enforced; `None` = every designation in the registry.
    pub enforce: Option<Vec<Located<String>>>,
    /// Country group ids or ISO codes of concern for `adversary-country`.
    pub countries_of_concern: Vec<Located<String>>,
    /// `[registry]`: update source, public key, overlays, maximum age.
    pub registry: RegistrySettings,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            source: None,
            levels: BTreeMap::new(),
            use_context: Vec::new(),
            enforce: None,
            countries_of_concern: vec![Located {
                value: DEFAULT_COUNTRY_GROUP.to_string(),
                line: 0,
                column: 0,
                key: String::new(),
            }],
            registry: RegistrySettings::default(),
        }
    }
}

impl Policy {
    /// The level of `code` under this policy.
    pub fn level(&self, code: Code) -> Level {
        self.levels
            .get(&code)
            .copied()
            .unwrap_or_else(|| code.default_level())
    }

    /// Override the level of `code` (command-line `--deny` / `--warn` / `--allow`).
    pub fn set_level(&mut self, code: Code, level: Level) {
        self.levels.insert(code, level);
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

    /// Problems that need the registry: unknown designation ids and country groups.
    pub fn check_against(&self, reg: &Registry) -> Vec<PolicyProblem> {
        let mut out = Vec::new();
        for d in self.enforce.iter().flatten() {
            if reg.designation_by_id(&d.value).is_none() {
                out.push(PolicyProblem {
                    line: d.line,
                    column: d.column,
                    key: d.key.clone(),
                    message: format!(
                        "unknown designation {:?} (`bomvet registry list` and `bomvet registry show ID` list them)",
                        d.value
                    ),
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
        let mut policy = Policy {
            source: Some(source.to_string()),
            ..Policy::default()
        };
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
        let mut p = Problems {
            lines: &lines,
            out: &mut problems,
        };
        for (k, v) in tree.get_ref().iter() {
            let key = k.get_ref().as_ref();
            match key {
                "levels" => read_levels(v, &mut policy, &mut p),
                "use_context" => {
                    policy.use_context.clear();
                    for (s, span, key) in p.strings(v, "use_context") {
                        match parse_use_context(&s) {
                            Some(u) => {
                                if !policy.use_context.contains(&u) {
                                    policy.use_context.push(u)
                                }
                            }
                            None => p.push(
                                &span,
                                &key,
                                format!(
                                    "unknown use context {s:?} (expected one of: {})",
                                    USE_CONTEXTS.map(|(n, _)| n).join(", ")
                                ),
                            ),
                        }
                    }
                }
                "enforce" => {
                    let list = p
                        .strings(v, "enforce")
                        .into_iter()
                        .map(|(s, span, key)| p.located(s, &span, key))
                        .collect();
                    policy.enforce = Some(list);
                }
                "countries_of_concern" => {
                    policy.countries_of_concern = p
                        .strings(v, "countries_of_concern")
                        .into_iter()
                        .map(|(s, span, key)| p.located(s, &span, key))
                        .collect();
                }
                "registry" => policy.registry = registry_settings::read(v, &mut p),
                other => p.push(
                    &k.span(),
                    other,
                    format!(
                        "unknown key `{other}` (allowed: levels, use_context, enforce, countries_of_concern, registry)"
                    ),
                ),
            }
        }
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

fn read_levels(v: &Spanned<DeValue<'_>>, policy: &mut Policy, p: &mut Problems<'_>) {
    let DeValue::Table(t) = v.get_ref() else {
        p.push(
            &v.span(),
            "levels",
            "expected a table of `code = \"level\"`".into(),
        );
        return;
    };
    for (k, lv) in t.iter() {
        let name = k.get_ref().as_ref();
        let key = format!("levels.{name}");
        let code = Code::parse(name);
        if code.is_none() {
            p.push(
                &k.span(),
                &key,
                format!(
                    "unknown finding code `{name}` (codes: {})",
                    Code::ALL.map(Code::as_str).join(", ")
                ),
            );
        }
        let level = match lv.get_ref() {
            DeValue::String(s) => match Level::parse(s) {
                Some(l) => Some(l),
                None => {
                    p.push(
                        &lv.span(),
                        &key,
                        format!("unknown level {s:?} (expected deny, warn, info or allow)"),
                    );
                    None
                }
            },
            _ => {
                p.push(
                    &lv.span(),
                    &key,
                    "expected a string: \"deny\", \"warn\", \"info\" or \"allow\"".into(),
                );
                None
            }
        };
        if let (Some(c), Some(l)) = (code, level) {
            policy.levels.insert(c, l);
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

struct Problems<'a> {
    lines: &'a LineIndex,
    out: &'a mut Vec<PolicyProblem>,
}

impl Problems<'_> {
    fn push(&mut self, span: &Range<usize>, key: &str, message: String) {
        let (line, column) = self.lines.at(span.start);
        self.out.push(PolicyProblem {
            line,
            column,
            key: key.to_string(),
            message,
        });
    }

    fn located(&self, value: String, span: &Range<usize>, key: String) -> Located<String> {
        let (line, column) = self.lines.at(span.start);
        Located {
            value,
            line,
            column,
            key,
        }
    }

    /// An array of strings; every non-string element is a problem.
    fn strings(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        key: &str,
    ) -> Vec<(String, Range<usize>, String)> {
        let DeValue::Array(a) = v.get_ref() else {
            self.push(&v.span(), key, "expected an array of strings".into());
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, e) in a.iter().enumerate() {
            let k = format!("{key}[{i}]");
            match e.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), e.span(), k)),
                _ => self.push(&e.span(), &k, "expected a string".into()),
            }
        }
        out
    }
}

/// Byte offset → 1-based line and column.
struct LineIndex {
    starts: Vec<usize>,
    text_len: usize,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            text_len: text.len(),
        }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text_len);
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        (line + 1, offset - start + 1)
    }
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
}
