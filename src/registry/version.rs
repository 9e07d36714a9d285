//! Versions and version ranges of the registry (`>= 9.5, < 12.1`), with a tolerant comparator:
//! versions compare segment by segment, digit runs numerically and letter runs
//! case-insensitively, so `12.1X46-D10` > `12.1` and `10` > `9`.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

/// A version as written, compared with [`compare`].
#[derive(Debug, Clone)]
pub struct Version(String);

impl Version {
    pub fn new(s: &str) -> Version {
        Version(s.trim().to_string())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        compare(&self.0, &other.0) == Ordering::Equal
    }
}
impl Eq for Version {}
impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(&self.0, &other.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Num(&'a str),
    Alpha(&'a str),
    /// A pre-release marker after a separator (`-rc1`, `.beta`, `~dev`, `-SNAPSHOT`): it sorts
    /// below the release it precedes, as in SemVer, Maven and Debian.
    Pre(u8),
}

/// The rank of a pre-release marker word, lowest first; `None` for any other word.
fn pre_rank(word: &str) -> Option<u8> {
    const RANKS: &[(&str, u8)] = &[
        ("dev", 0),
        ("snapshot", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("milestone", 3),
        ("m", 3),
        ("pre", 4),
        ("preview", 4),
        ("rc", 4),
        ("cr", 4),
    ];
    RANKS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, r)| *r)
}

/// Split into digit runs and letter runs; every other character separates.
fn tokens(s: &str) -> impl Iterator<Item = Token<'_>> {
    let s = s.trim();
    // A leading `v` before a digit is decoration (`v1.2`).
    let s = match s.as_bytes() {
        [b'v' | b'V', d, ..] if d.is_ascii_digit() => &s[1..],
        _ => s,
    };
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        let digit = b[i].is_ascii_digit();
        while i < b.len() && b[i].is_ascii_alphanumeric() && b[i].is_ascii_digit() == digit {
            i += 1;
        }
        let t = &s[start..i];
        let after_separator = start > 0 && matches!(b[start - 1], b'-' | b'.' | b'_' | b'~');
        Some(if digit {
            Token::Num(t)
        } else if let Some(rank) = pre_rank(t).filter(|_| after_separator) {
            Token::Pre(rank)
        } else {
            Token::Alpha(t)
        })
    })
}

fn cmp_num(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn cmp_alpha(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Compare two versions. Segments pair up left to right: numbers compare numerically, letters
/// case-insensitively, a number sorts above letters. When one version runs out, a missing
/// segment equals a zero number and sorts below anything else, so `12.1` = `12.1.0` and
/// `12.1` < `12.1X46-D10` < `12.1.1`. A pre-release marker after a separator (`-rc1`,
/// `-beta.2`, `.dev`, `-SNAPSHOT`) sorts below everything else, so `1.0.0-rc1` < `1.0.0` and
/// `dev` < `alpha` < `beta` < `milestone` < `rc`.
pub fn compare(a: &str, b: &str) -> Ordering {
    let mut ta = tokens(a);
    let mut tb = tokens(b);
    loop {
        let ord = match (ta.next(), tb.next()) {
            (None, None) => return Ordering::Equal,
            (Some(Token::Num(x)), Some(Token::Num(y))) => cmp_num(x, y),
            (Some(Token::Alpha(x)), Some(Token::Alpha(y))) => cmp_alpha(x, y),
            (Some(Token::Num(_)), Some(Token::Alpha(_))) => Ordering::Greater,
            (Some(Token::Alpha(_)), Some(Token::Num(_))) => Ordering::Less,
            (Some(Token::Num(x)), None) => cmp_num(x, "0"),
            (None, Some(Token::Num(y))) => cmp_num("0", y),
            (Some(Token::Alpha(_)), None) => Ordering::Greater,
            (None, Some(Token::Alpha(_))) => Ordering::Less,
            (Some(Token::Pre(x)), Some(Token::Pre(y))) => x.cmp(&y),
            (Some(Token::Pre(_)), _) => Ordering::Less,
            (_, Some(Token::Pre(_))) => Ordering::Greater,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
}

/// A comparison operator of a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// One constraint: operator and version.
#[derive(Debug, Clone)]
pub struct Constraint {
    pub op: Op,
    pub version: Version,
}

impl Constraint {
    pub fn matches(&self, v: &str) -> bool {
        let o = compare(v, self.version.as_str());
        match self.op {
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
        }
    }
}

/// Comma-separated constraints, all of which must hold: `>= 9.5, < 12.1`, `= 6.5`, `< 2021`.
/// A bare version means `=`.
#[derive(Debug, Clone)]
pub struct VersionRange {
    pub constraints: Vec<Constraint>,
}

impl VersionRange {
    /// Parse a range; the error says what is wrong.
    pub fn parse(s: &str) -> Result<VersionRange, String> {
        if s.trim().is_empty() {
            return Err("the version range is empty".into());
        }
        let mut constraints = Vec::new();
        for (i, part) in s.split(',').enumerate() {
            let part = part.trim();
            if part.is_empty() {
                return Err(format!("constraint {} is empty (stray comma?)", i + 1));
            }
            let (op, rest) = [
                (">=", Op::Ge),
                ("<=", Op::Le),
                ("!=", Op::Ne),
                ("==", Op::Eq),
                (">", Op::Gt),
                ("<", Op::Lt),
                ("=", Op::Eq),
            ]
            .iter()
            .find_map(|(p, op)| part.strip_prefix(p).map(|r| (*op, r)))
            .unwrap_or((Op::Eq, part));
            let v = rest.trim();
            if v.is_empty() {
                return Err(format!("constraint {part:?} has no version"));
            }
            if let Some(c) = v
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '~')))
            {
                return Err(format!(
                    "constraint {part:?}: {c:?} cannot appear in a version (operators are =, !=, <, <=, >, >=)"
                ));
            }
            if !v.bytes().any(|b| b.is_ascii_alphanumeric()) {
                return Err(format!("constraint {part:?} has no version"));
            }
            constraints.push(Constraint {
                op,
                version: Version::new(v),
            });
        }
        Ok(VersionRange { constraints })
    }

    /// Whether `version` satisfies every constraint.
    pub fn contains(&self, version: &str) -> bool {
        self.constraints.iter().all(|c| c.matches(version))
    }
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.constraints.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} {}", c.op.as_str(), c.version.as_str())?;
        }
        Ok(())
    }
}

impl Serialize for VersionRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn numbers_compare_numerically_not_lexically() {
        assert_eq!(compare("10", "9"), Greater);
        assert_eq!(compare("1.10", "1.9"), Greater);
        assert_eq!(compare("1.010", "1.10"), Equal);
        assert_eq!(compare("99999999999999999999999", "1"), Greater);
    }

    #[test]
    fn junos_style_versions_sort_after_their_base() {
        assert_eq!(compare("12.1X46-D10", "12.1"), Greater);
        assert_eq!(compare("12.1X46-D10", "12.1X46-D9"), Greater);
        assert_eq!(compare("12.1X46-D10", "12.1.1"), Less);
        assert_eq!(compare("18.4R1", "18.4"), Greater);
        assert_eq!(compare("18.4R1", "18.4R2"), Less);
    }

    #[test]
    fn trailing_zeros_and_decoration_do_not_matter() {
        assert_eq!(compare("12.1", "12.1.0"), Equal);
        assert_eq!(compare("v1.2", "1.2"), Equal);
        assert_eq!(compare("1_2", "1.2"), Equal);
        assert_eq!(compare("", "0"), Equal);
        assert_eq!(compare("6.5", "6.5.1"), Less);
    }

    #[test]
    fn pre_releases_sort_below_their_release() {
        assert_eq!(compare("1.0.0-rc1", "1.0.0"), Less);
        assert_eq!(compare("1.0.0-rc.1", "1.0.0-rc.2"), Less);
        assert_eq!(compare("1.0.0-alpha", "1.0.0-alpha.1"), Less);
        assert_eq!(compare("1.0.0-alpha.9", "1.0.0-beta"), Less);
        assert_eq!(compare("2.0-SNAPSHOT", "2.0"), Less);
        assert_eq!(compare("1.0.0-rc1", "0.9.9"), Greater);
        assert_eq!(compare("18.4-rc1", "18.4R1"), Less);
        // Without a separator the letters are a suffix (Juniper), not a pre-release.
        assert_eq!(compare("18.4R1", "18.4"), Greater);
        assert_eq!(compare("12.1X46-D10", "12.1X46"), Greater);
        assert_eq!(compare("1.0b", "1.0"), Greater);
    }

    #[test]
    fn letters_compare_case_insensitively_and_below_numbers() {
        assert_eq!(compare("1.0a", "1.0A"), Equal);
        assert_eq!(compare("1.0a", "1.0b"), Less);
        assert_eq!(compare("1.a", "1.1"), Less);
    }

    #[test]
    fn ranges_hold_only_when_every_constraint_does() {
        let r = VersionRange::parse(">= 9.5, < 12.1").unwrap();
        assert!(r.contains("9.5"));
        assert!(r.contains("10.4R3"));
        assert!(r.contains("12.0"));
        assert!(!r.contains("12.1"));
        assert!(!r.contains("12.1X46-D10"));
        assert!(!r.contains("9.4"));
        assert_eq!(r.to_string(), ">= 9.5, < 12.1");
    }

    #[test]
    fn single_constraints_and_bare_versions() {
        assert!(VersionRange::parse("= 6.5").unwrap().contains("6.5.0"));
        assert!(VersionRange::parse("6.5").unwrap().contains("6.5"));
        assert!(VersionRange::parse("== 6.5").unwrap().contains("6.5"));
        assert!(VersionRange::parse("< 2021").unwrap().contains("2020.4"));
        assert!(!VersionRange::parse("!= 2").unwrap().contains("2.0"));
        assert!(VersionRange::parse(">2").unwrap().contains("2.0.1"));
        assert!(VersionRange::parse("<=2").unwrap().contains("2"));
    }

    #[test]
    fn malformed_ranges_are_rejected_with_a_reason() {
        for s in [
            "", " ", ">=", ">= 1,", ", < 2", "=> 1", "~> 1.2", ">= 1 < 2", "< ...",
        ] {
            assert!(VersionRange::parse(s).is_err(), "{s:?}");
        }
    }
}
