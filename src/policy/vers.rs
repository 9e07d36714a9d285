//! Version range specifiers in the purl-spec `vers:` syntax (`vers:maven/>=8.0|<9`), used by
//! waivers to cover some versions of a package.
//!
//! Parsing follows the specification: spaces are ignored, constraints are separated by `|`,
//! comparators are `=` (implied when absent), `!=`, `<`, `<=`, `>`, `>=`, and `*` alone means
//! every version. Constraints are sorted by version, versions must be unique, and once `=` and
//! `!=` are set aside the remaining comparators must alternate between lower and upper bounds;
//! anything else is an error, as the specification requires. Containment is decided the way the
//! specification describes (equality first, then the intervals the bounds form).
//!
//! Versions are compared with bomvet's tolerant comparator
//! ([`crate::registry::version::compare`]) whatever the versioning scheme named: the scheme is
//! kept and shown, not used. That comparator orders digits numerically and letters
//! case-insensitively, and puts a pre-release marker after a separator (`1.0.0-rc1`) below its
//! release; scheme-specific rules beyond that (Debian epochs, PEP 440 post-releases) are not
//! applied.

use std::cmp::Ordering;
use std::fmt;

use crate::registry::version::compare;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
    fn is_lower_bound(self) -> bool {
        matches!(self, Cmp::Gt | Cmp::Ge)
    }
    fn is_upper_bound(self) -> bool {
        matches!(self, Cmp::Lt | Cmp::Le)
    }
}

/// A parsed, validated `vers:` range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vers {
    /// The versioning scheme as written (`maven`, `npm`, `generic`, ...).
    pub scheme: String,
    /// `None` for `*`; otherwise sorted by version, each version once.
    constraints: Option<Vec<(Cmp, String)>>,
}

impl Vers {
    /// Parse and validate `s`; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Vers, String> {
        let compact: String = s.chars().filter(|c| *c != ' ' && *c != '\t').collect();
        let rest = compact.strip_prefix("vers:").ok_or_else(|| {
            "a version range starts with `vers:` (for example `vers:maven/>=8.0|<9`)".to_string()
        })?;
        let (scheme, list) = rest
            .split_once('/')
            .ok_or_else(|| "expected `vers:SCHEME/CONSTRAINTS`".to_string())?;
        if scheme.is_empty()
            || !scheme.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+')
            })
        {
            return Err(format!(
                "the versioning scheme {scheme:?} must be lowercase letters, digits, `.`, `-` or `+`"
            ));
        }
        if list == "*" {
            return Ok(Vers {
                scheme: scheme.to_string(),
                constraints: None,
            });
        }
        let mut cs: Vec<(Cmp, String)> = Vec::new();
        for part in list.split('|').filter(|p| !p.is_empty()) {
            let (cmp, v) = [
                (">=", Cmp::Ge),
                ("<=", Cmp::Le),
                ("!=", Cmp::Ne),
                ("<", Cmp::Lt),
                (">", Cmp::Gt),
                ("=", Cmp::Eq),
            ]
            .iter()
            .find_map(|(p, c)| part.strip_prefix(p).map(|r| (*c, r)))
            .unwrap_or((Cmp::Eq, part));
            if v.is_empty() {
                return Err(format!("the constraint {part:?} has no version"));
            }
            if v == "*" {
                return Err("`*` must stand alone: `vers:SCHEME/*`".into());
            }
            if v.starts_with(['<', '>', '=', '!']) {
                return Err(format!(
                    "the constraint {part:?} has an unknown comparator (use =, !=, <, <=, >, >=)"
                ));
            }
            cs.push((cmp, crate::sbom::purl::decode(v).into_owned()));
        }
        if cs.is_empty() {
            return Err("the range has no constraint".into());
        }
        cs.sort_by(|a, b| compare(&a.1, &b.1));
        for w in cs.windows(2) {
            if let [a, b] = w {
                if compare(&a.1, &b.1) == Ordering::Equal {
                    return Err(format!(
                        "the version {:?} appears twice (as {:?} and {:?}); each version may appear once",
                        b.1, a.1, b.1
                    ));
                }
            }
        }
        let bounds: Vec<Cmp> = cs
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| !matches!(c, Cmp::Eq | Cmp::Ne))
            .collect();
        for w in bounds.windows(2) {
            if let [a, b] = w {
                if a.is_lower_bound() == b.is_lower_bound() {
                    return Err(format!(
                        "in version order, `{}` is followed by `{}`: lower (>, >=) and upper (<, <=) bounds must alternate",
                        a.as_str(),
                        b.as_str()
                    ));
                }
            }
        }
        Ok(Vers {
            scheme: scheme.to_string(),
            constraints: Some(cs),
        })
    }

    /// Whether `version` is in the range.
    pub fn contains(&self, version: &str) -> bool {
        let Some(cs) = &self.constraints else {
            return true;
        };
        for (c, v) in cs {
            if compare(version, v) == Ordering::Equal {
                match c {
                    Cmp::Eq | Cmp::Le | Cmp::Ge => return true,
                    Cmp::Ne => return false,
                    Cmp::Lt | Cmp::Gt => {}
                }
            }
        }
        let bounds: Vec<&(Cmp, String)> = cs
            .iter()
            .filter(|(c, _)| !matches!(c, Cmp::Eq | Cmp::Ne))
            .collect();
        if bounds.is_empty() {
            // Only `=` and `!=`: a list of versions in (none matched), or a list out.
            return cs.iter().all(|(c, _)| *c == Cmp::Ne);
        }
        let below = |v: &str| compare(version, v) == Ordering::Less;
        let above = |v: &str| compare(version, v) == Ordering::Greater;
        if let Some((c, v)) = bounds.first() {
            if c.is_upper_bound() && below(v) {
                return true;
            }
        }
        if let Some((c, v)) = bounds.last() {
            if c.is_lower_bound() && above(v) {
                return true;
            }
        }
        bounds.windows(2).any(|w| match w {
            [(lo, lv), (hi, hv)] => {
                lo.is_lower_bound() && hi.is_upper_bound() && above(lv) && below(hv)
            }
            _ => false,
        })
    }
}

impl fmt::Display for Vers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "vers:{}/", self.scheme)?;
        match &self.constraints {
            None => f.write_str("*"),
            Some(cs) => {
                for (i, (c, v)) in cs.iter().enumerate() {
                    if i > 0 {
                        f.write_str("|")?;
                    }
                    write!(f, "{}{v}", c.as_str())?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Vers {
        Vers::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn a_half_open_interval_holds_its_lower_bound_and_not_its_upper() {
        let v = r("vers:maven/>=8.0|<9");
        assert!(v.contains("8.0"));
        assert!(v.contains("8.10.1.1147"));
        assert!(!v.contains("9"));
        assert!(!v.contains("9.0.0"));
        assert!(!v.contains("7.9"));
        assert_eq!(v.scheme, "maven");
    }

    #[test]
    fn single_bounds_are_open_ended() {
        assert!(r("vers:generic/>=2").contains("100"));
        assert!(!r("vers:generic/>=2").contains("1.9"));
        assert!(r("vers:generic/<2").contains("1.9"));
        assert!(!r("vers:generic/<2").contains("2.0"));
        assert!(r("vers:generic/<=2").contains("2.0"));
        assert!(!r("vers:generic/>2").contains("2"));
    }

    #[test]
    fn disjoint_intervals_and_listed_versions_are_a_union() {
        let v = r("vers:npm/1.2.3|>=2.0.0|<3.0.0|>=5|<6");
        assert!(v.contains("1.2.3"));
        assert!(!v.contains("1.2.4"));
        assert!(v.contains("2.5"));
        assert!(!v.contains("4"));
        assert!(v.contains("5.1"));
        assert!(!v.contains("6"));
    }

    #[test]
    fn not_equal_excludes_a_version_inside_an_interval() {
        let v = r("vers:pypi/>=1|!=1.5|<2");
        assert!(v.contains("1.4"));
        assert!(!v.contains("1.5"));
        let only_ne = r("vers:pypi/!=1.5");
        assert!(only_ne.contains("1.4"));
        assert!(!only_ne.contains("1.5"));
    }

    #[test]
    fn star_is_every_version_and_spaces_and_order_do_not_matter() {
        assert!(r("vers:deb/*").contains("anything"));
        let v = r("vers:maven/ <9 | >=8.0 ");
        assert!(v.contains("8.5"));
        assert_eq!(v.to_string(), "vers:maven/>=8.0|<9");
    }

    #[test]
    fn invalid_ranges_are_rejected_with_a_reason() {
        for s in [
            "maven/>=8",
            "vers:>=8",
            "vers:Maven/>=8",
            "vers:maven/",
            "vers:maven/|",
            "vers:maven/>=",
            "vers:maven/>=1|>=2",
            "vers:maven/<1|<2",
            "vers:maven/1.0|1.0.0",
            "vers:maven/*|>=1",
            "vers:maven/=>1",
            "vers:maven/>>1",
        ] {
            assert!(Vers::parse(s).is_err(), "{s}");
        }
    }
}
