//! Waivers: findings a policy accepts, with a reason and maybe an expiry date.
//!
//! A [`Waiver`] covers a finding when every criterion it gives matches the finding's
//! [`Subject`]: the component's purl (a purl without version covers every version; `versions`
//! narrows to a `vers:` range), its name, its reference in the SBOM, the registry vendor, the
//! finding code. When several waivers cover a finding, the one that lasts longest applies (no
//! expiry beats any date; ties go to the first in the file), so that a renewed waiver takes over
//! from the one it replaces and the old one shows up as unused.
//!
//! [`lifecycle`] turns waiver dates and usage into the policy findings `waiver-expired`,
//! `waiver-expiring` and `waiver-unused`. Nothing here reads the clock: `today` is a parameter.

use std::collections::BTreeSet;

use super::date::Day;
use super::vers::Vers;
use super::Code;
use crate::sbom::purl::Purl;

/// A waiver expiring within this many days (inclusive) raises `waiver-expiring`.
pub const EXPIRING_WITHIN_DAYS: i64 = 30;

/// A purl to match components against (parts percent-decoded, type lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurlPattern {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub qualifiers: Vec<(String, String)>,
    pub subpath: Option<String>,
}

/// Package types whose namespace and name the purl specification makes case-insensitive.
const CASE_INSENSITIVE_TYPES: [&str; 5] = ["bitbucket", "github", "pypi", "composer", "npm"];

impl PurlPattern {
    pub fn parse(s: &str) -> Result<PurlPattern, String> {
        let p = Purl::parse(s).map_err(|e| format!("not a package URL: it {e}"))?;
        Ok(PurlPattern {
            ty: p.ty.into_owned(),
            namespace: p.namespace.map(|n| n.into_owned()),
            name: p.name.into_owned(),
            version: p.version.map(|v| v.into_owned()),
            qualifiers: p
                .qualifiers
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            subpath: p.subpath.map(|s| s.into_owned()),
        })
    }

    fn same(&self, a: &str, b: &str) -> bool {
        if CASE_INSENSITIVE_TYPES.contains(&self.ty.as_str()) {
            let norm = |s: &str| {
                let s = s.to_ascii_lowercase();
                if self.ty == "pypi" {
                    s.replace('_', "-")
                } else {
                    s
                }
            };
            norm(a) == norm(b)
        } else {
            a == b
        }
    }

    /// Whether the component purl `s` is this package (and version, qualifiers and subpath
    /// where the pattern gives them).
    pub fn matches(&self, s: &str) -> bool {
        let Ok(p) = Purl::parse(s) else {
            return false;
        };
        if p.ty != self.ty || !self.same(&p.name, &self.name) {
            return false;
        }
        match (&self.namespace, &p.namespace) {
            (None, None) => {}
            (Some(a), Some(b)) if self.same(a, b) => {}
            _ => return false,
        }
        if let Some(v) = &self.version {
            if p.version.as_deref() != Some(v.as_str()) {
                return false;
            }
        }
        if let Some(sp) = &self.subpath {
            if p.subpath.as_deref() != Some(sp.as_str()) {
                return false;
            }
        }
        self.qualifiers
            .iter()
            .all(|(k, v)| p.qualifier(k) == Some(v.as_str()))
    }
}

/// A validated waiver.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// `id` from the file, else `waiver-N` (1-based, file order).
    pub id: String,
    pub purl: Option<PurlPattern>,
    pub versions: Option<Vers>,
    pub name: Option<String>,
    pub bom_ref: Option<String>,
    pub vendor: Option<String>,
    pub code: Option<Code>,
    pub reason: String,
    pub approved_by: Option<String>,
    pub ticket: Option<String>,
    /// The last day the waiver applies.
    pub expires: Option<Day>,
    /// Where the waiver is written: `file:line`.
    pub location: String,
    /// Line and column of the waiver's `vendor` value (checked against the registry).
    pub vendor_at: (usize, usize),
}

/// What a waiver is matched against: one finding.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    pub code: Option<Code>,
    pub vendor: Option<&'a str>,
    pub name: Option<&'a str>,
    pub version: Option<&'a str>,
    pub purl: Option<&'a str>,
    pub bom_ref: Option<&'a str>,
}

/// Where a waiver stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverState {
    /// No expiry, or more than [`EXPIRING_WITHIN_DAYS`] left.
    Active,
    /// Still applies; `days_left` (0 = today is the last day) is at most the threshold.
    Expiring { days_left: i64 },
    /// No longer applies; its last day was `days_ago` days ago (at least 1).
    Expired { days_ago: i64 },
}

impl Waiver {
    /// Whether every criterion the waiver gives holds for `s`.
    pub fn matches(&self, s: &Subject<'_>) -> bool {
        if let Some(c) = self.code {
            if s.code != Some(c) {
                return false;
            }
        }
        if let Some(v) = &self.vendor {
            if s.vendor != Some(v.as_str()) {
                return false;
            }
        }
        if let Some(n) = &self.name {
            if s.name != Some(n.as_str()) {
                return false;
            }
        }
        if let Some(r) = &self.bom_ref {
            if s.bom_ref != Some(r.as_str()) {
                return false;
            }
        }
        if let Some(p) = &self.purl {
            if !s.purl.is_some_and(|cp| p.matches(cp)) {
                return false;
            }
        }
        if let Some(range) = &self.versions {
            // The purl's version when there is one, else the component's version field.
            let purl_version = s
                .purl
                .and_then(|p| Purl::parse(p).ok())
                .and_then(|p| p.version.map(|v| v.into_owned()));
            let version = purl_version.as_deref().or(s.version);
            if !version.is_some_and(|v| range.contains(v)) {
                return false;
            }
        }
        true
    }

    pub fn state(&self, today: Day) -> WaiverState {
        match self.expires {
            None => WaiverState::Active,
            Some(last) => {
                let left = today.days_until(last);
                if left < 0 {
                    WaiverState::Expired { days_ago: -left }
                } else if left <= EXPIRING_WITHIN_DAYS {
                    WaiverState::Expiring { days_left: left }
                } else {
                    WaiverState::Active
                }
            }
        }
    }
}

/// The index of the waiver that covers `s` on `today`, if any: among the matching waivers that
/// have not expired, the one that lasts longest, the first in the file on a tie.
pub fn covering(waivers: &[Waiver], s: &Subject<'_>, today: Day) -> Option<usize> {
    let mut best: Option<(usize, Option<Day>)> = None;
    for (i, w) in waivers.iter().enumerate() {
        if matches!(w.state(today), WaiverState::Expired { .. }) || !w.matches(s) {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, None)) => false,
            Some((_, Some(b))) => w.expires.is_none_or(|e| e > b),
        };
        if better {
            best = Some((i, w.expires));
        }
    }
    best.map(|(i, _)| i)
}

/// A finding about a waiver itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleFinding {
    /// Index into the policy's waivers.
    pub waiver: usize,
    pub code: Code,
    pub message: String,
}

/// At most one finding per waiver: `waiver-expired` if its last day has passed; else
/// `waiver-unused` if it covered no finding (`used` holds the ids that did) and the run was
/// complete (`complete`: every input was audited — otherwise a waiver for an input that failed
/// would be called unused); else `waiver-expiring` if it expires within 30 days.
pub fn lifecycle(
    waivers: &[Waiver],
    used: &BTreeSet<String>,
    today: Day,
    complete: bool,
) -> Vec<LifecycleFinding> {
    let mut out = Vec::new();
    for (i, w) in waivers.iter().enumerate() {
        let last = w.expires.map(|d| d.to_string()).unwrap_or_default();
        let (code, message) = match w.state(today) {
            WaiverState::Expired { days_ago } => (
                Code::WaiverExpired,
                format!(
                    "waiver {} expired on {last} ({days_ago} day(s) ago) and no longer waives anything",
                    w.id
                ),
            ),
            _ if complete && !used.contains(&w.id) => (
                Code::WaiverUnused,
                format!(
                    "waiver {} covers no finding in this run (or only findings a longer-lasting waiver covers)",
                    w.id
                ),
            ),
            WaiverState::Expiring { days_left } => (
                Code::WaiverExpiring,
                match days_left {
                    0 => format!("waiver {} expires today ({last})", w.id),
                    n => format!("waiver {} expires on {last}, in {n} day(s)", w.id),
                },
            ),
            _ => continue,
        };
        out.push(LifecycleFinding {
            waiver: i,
            code,
            message,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    fn waiver(id: &str) -> Waiver {
        Waiver {
            id: id.into(),
            purl: None,
            versions: None,
            name: None,
            bom_ref: None,
            vendor: None,
            code: None,
            reason: "accepted".into(),
            approved_by: None,
            ticket: None,
            expires: None,
            location: "bomvet.toml:1".into(),
            vendor_at: (1, 1),
        }
    }

    const KAV: Subject<'static> = Subject {
        code: Some(Code::BannedEmbedded),
        vendor: Some("kaspersky"),
        name: Some("Kaspersky Anti-Virus SDK"),
        version: Some("8.10.1.1147"),
        purl: Some("pkg:generic/kaspersky/kav-sdk@8.10.1.1147?arch=x86_64"),
        bom_ref: Some("kav-sdk@8.10.1.1147"),
    };

    #[test]
    fn a_purl_without_version_covers_every_version() {
        let mut w = waiver("w");
        w.purl = Some(PurlPattern::parse("pkg:generic/kaspersky/kav-sdk").unwrap());
        assert!(w.matches(&KAV));
        let other = Subject {
            purl: Some("pkg:generic/kaspersky/kav-sdk@9"),
            ..KAV
        };
        assert!(w.matches(&other));
        let different = Subject {
            purl: Some("pkg:generic/kaspersky/kes@8.10.1.1147"),
            ..KAV
        };
        assert!(!w.matches(&different));
        let no_purl = Subject { purl: None, ..KAV };
        assert!(!w.matches(&no_purl));
    }

    #[test]
    fn a_purl_with_version_or_qualifiers_covers_only_those() {
        let mut w = waiver("w");
        w.purl = Some(PurlPattern::parse("pkg:generic/kaspersky/kav-sdk@8.10.1.1147").unwrap());
        assert!(w.matches(&KAV));
        w.purl = Some(PurlPattern::parse("pkg:generic/kaspersky/kav-sdk@8.10.1").unwrap());
        assert!(!w.matches(&KAV));
        w.purl = Some(PurlPattern::parse("pkg:generic/kaspersky/kav-sdk?arch=x86_64").unwrap());
        assert!(w.matches(&KAV));
        w.purl = Some(PurlPattern::parse("pkg:generic/kaspersky/kav-sdk?arch=arm64").unwrap());
        assert!(!w.matches(&KAV));
    }

    #[test]
    fn purl_case_follows_the_type() {
        let p = PurlPattern::parse("pkg:pypi/Some_Package").unwrap();
        assert!(p.matches("pkg:pypi/some-package@1.0"));
        let g = PurlPattern::parse("pkg:generic/Kaspersky/KAV").unwrap();
        assert!(!g.matches("pkg:generic/kaspersky/kav@1"));
        assert!(g.matches("PKG:Generic/Kaspersky/KAV@1"));
    }

    #[test]
    fn a_version_range_narrows_a_purl() {
        let mut w = waiver("w");
        w.purl = Some(PurlPattern::parse("pkg:generic/kaspersky/kav-sdk").unwrap());
        w.versions = Some(Vers::parse("vers:generic/>=8.0|<9").unwrap());
        assert!(w.matches(&KAV));
        let nine = Subject {
            purl: Some("pkg:generic/kaspersky/kav-sdk@9.0"),
            version: Some("9.0"),
            ..KAV
        };
        assert!(!w.matches(&nine));
        // Without a purl version, the component's version field is used.
        let by_field = Subject {
            purl: Some("pkg:generic/kaspersky/kav-sdk"),
            version: Some("8.2"),
            ..KAV
        };
        assert!(w.matches(&by_field));
        let unversioned = Subject {
            purl: Some("pkg:generic/kaspersky/kav-sdk"),
            version: None,
            ..KAV
        };
        assert!(
            !w.matches(&unversioned),
            "no version: a range cannot cover it"
        );
    }

    #[test]
    fn name_ref_vendor_and_code_each_match_exactly() {
        type Set = fn(&mut Waiver, &str);
        let cases: [(Set, &str, &str); 4] = [
            (
                |w, v| w.name = Some(v.into()),
                "Kaspersky Anti-Virus SDK",
                "kaspersky anti-virus sdk",
            ),
            (
                |w, v| w.bom_ref = Some(v.into()),
                "kav-sdk@8.10.1.1147",
                "kav-sdk",
            ),
            (|w, v| w.vendor = Some(v.into()), "kaspersky", "huawei"),
            (
                |w, v| w.code = Code::parse(v),
                "banned-embedded",
                "banned-vendor",
            ),
        ];
        for (set, yes, no) in cases {
            let mut w = waiver("w");
            set(&mut w, yes);
            assert!(w.matches(&KAV), "{yes}");
            let mut w = waiver("w");
            set(&mut w, no);
            assert!(!w.matches(&KAV), "{no}");
        }
    }

    #[test]
    fn all_given_criteria_must_match() {
        let mut w = waiver("w");
        w.vendor = Some("kaspersky".into());
        w.code = Some(Code::BannedVendor);
        assert!(!w.matches(&KAV), "vendor matches but code does not");
        w.code = Some(Code::BannedEmbedded);
        assert!(w.matches(&KAV));
    }

    #[test]
    fn expiry_is_inclusive_and_warns_within_thirty_days() {
        let mut w = waiver("w");
        w.expires = Some(day("2025-06-30"));
        assert_eq!(w.state(day("2025-05-30")), WaiverState::Active);
        assert_eq!(
            w.state(day("2025-05-31")),
            WaiverState::Expiring { days_left: 30 }
        );
        assert_eq!(
            w.state(day("2025-06-30")),
            WaiverState::Expiring { days_left: 0 }
        );
        assert_eq!(
            w.state(day("2025-07-01")),
            WaiverState::Expired { days_ago: 1 }
        );
        w.expires = None;
        assert_eq!(w.state(day("2999-01-01")), WaiverState::Active);
    }

    #[test]
    fn the_longest_lasting_unexpired_waiver_covers_a_finding() {
        let mut old = waiver("old");
        old.vendor = Some("kaspersky".into());
        old.expires = Some(day("2025-01-31"));
        let mut renewed = old.clone();
        renewed.id = "renewed".into();
        renewed.expires = Some(day("2025-12-31"));
        let ws = vec![old.clone(), renewed.clone()];
        assert_eq!(covering(&ws, &KAV, day("2025-01-10")), Some(1));
        let mut forever = old.clone();
        forever.id = "forever".into();
        forever.expires = None;
        let ws = vec![old.clone(), forever, renewed];
        assert_eq!(covering(&ws, &KAV, day("2025-01-10")), Some(1));
        // Expired waivers never cover.
        assert_eq!(covering(&[old.clone()], &KAV, day("2025-02-01")), None);
        // Same expiry: the first in the file.
        let mut twin = old.clone();
        twin.id = "twin".into();
        assert_eq!(covering(&[old, twin], &KAV, day("2025-01-10")), Some(0));
    }

    #[test]
    fn lifecycle_reports_expired_unused_and_expiring_once_each() {
        let today = day("2025-06-01");
        let mut expired = waiver("expired");
        expired.expires = Some(day("2025-05-31"));
        let mut expiring = waiver("expiring");
        expiring.expires = Some(day("2025-06-15"));
        let unused = waiver("unused");
        let active = waiver("active");
        let mut expiring_unused = waiver("expiring-unused");
        expiring_unused.expires = Some(day("2025-06-02"));
        let ws = vec![expired, expiring, unused, active, expiring_unused];
        let used: BTreeSet<String> = ["expiring", "active", "expired"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let got: Vec<(usize, Code)> = lifecycle(&ws, &used, today, true)
            .into_iter()
            .map(|f| (f.waiver, f.code))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, Code::WaiverExpired),
                (1, Code::WaiverExpiring),
                (2, Code::WaiverUnused),
                (4, Code::WaiverUnused),
            ]
        );
        // An incomplete run cannot tell that a waiver is unused.
        let got: Vec<Code> = lifecycle(&ws, &used, today, false)
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(
            got,
            vec![
                Code::WaiverExpired,
                Code::WaiverExpiring,
                Code::WaiverExpiring
            ]
        );
    }
}
