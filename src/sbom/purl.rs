//! A tolerant Package URL parser (purl-spec): enough to validate what documents write and to
//! match type / namespace / name against the registry. It never allocates for the common case
//! beyond the decoded parts.

use std::borrow::Cow;

/// A parsed purl. Parts are percent-decoded; `ty` is lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl<'a> {
    pub ty: Cow<'a, str>,
    pub namespace: Option<Cow<'a, str>>,
    pub name: Cow<'a, str>,
    pub version: Option<Cow<'a, str>>,
    pub qualifiers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub subpath: Option<Cow<'a, str>>,
}

/// A purl split into its parts as written (nothing decoded), after the structural checks.
struct Split<'a> {
    ty: &'a str,
    namespace: Option<&'a str>,
    name: &'a str,
    version: Option<&'a str>,
    qualifiers: Option<&'a str>,
    subpath: Option<&'a str>,
}

impl<'a> Split<'a> {
    fn of(s: &'a str) -> Result<Split<'a>, String> {
        // Byte-wise trims: this runs for every component at ingestion and again in matching.
        let t = s.trim_ascii();
        let s = if t.starts_with(char::is_whitespace) || t.ends_with(char::is_whitespace) {
            t.trim()
        } else {
            t
        };
        // The separators are ASCII: found with memchr on bytes, every cut is on a char boundary.
        let rest = s
            .strip_prefix("pkg:")
            .or_else(|| s.strip_prefix("PKG:"))
            .ok_or_else(|| "does not start with `pkg:`".to_string())?;
        let rest = slashes_off_start(rest);
        let (rest, subpath) = match memchr::memchr(b'#', rest.as_bytes()) {
            Some(i) => (
                &rest[..i],
                Some(slashes_off_end(slashes_off_start(&rest[i + 1..]))),
            ),
            None => (rest, None),
        };
        let (rest, qualifiers) = match memchr::memchr(b'?', rest.as_bytes()) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (ty, rest) = match memchr::memchr(b'/', rest.as_bytes()) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => return Err("has no `type/name`".to_string()),
        };
        if ty.is_empty()
            || !ty
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-'))
            || ty.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(format!("has an invalid type {ty:?}"));
        }
        let rest = slashes_off_end(rest);
        // The version follows the last '@' of the last path segment(s); '@' in a namespace
        // (npm scopes) is percent-encoded by spec but often written raw: `pkg:npm/@scope/x@1`.
        let (path, version) = match memchr::memrchr(b'@', rest.as_bytes()) {
            Some(i) if i > 0 && rest.as_bytes()[i - 1] != b'/' => {
                (&rest[..i], Some(&rest[i + 1..]))
            }
            _ => (rest, None),
        };
        let (namespace, name) = match memchr::memrchr(b'/', path.as_bytes()) {
            Some(i) => (Some(&path[..i]), &path[i + 1..]),
            None => (None, path),
        };
        if name.is_empty() {
            return Err("has an empty name".into());
        }
        if name.starts_with('@') {
            return Err(format!("has a scope {name:?} but no name"));
        }
        Ok(Split {
            ty,
            namespace,
            name,
            version,
            qualifiers,
            subpath,
        })
    }

    /// Qualifier pairs as written; an error names the first pair without `=`.
    fn pairs(&self) -> impl Iterator<Item = Result<(&'a str, &'a str), String>> {
        self.qualifiers
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                pair.split_once('=')
                    .ok_or_else(|| format!("has a qualifier without `=`: {pair:?}"))
            })
    }
}

impl<'a> Purl<'a> {
    /// Check `s` as [`Purl::parse`] does, without decoding or allocating anything when it is
    /// valid (the ingestion-time check of every component's purl).
    pub fn validate(s: &str) -> Result<(), String> {
        let split = Split::of(s)?;
        for pair in split.pairs() {
            pair?;
        }
        Ok(())
    }

    /// Parse `s`; the error says what is wrong in a few words.
    pub fn parse(s: &'a str) -> Result<Purl<'a>, String> {
        let split = Split::of(s)?;
        let mut qualifiers = Vec::new();
        for pair in split.pairs() {
            let (k, v) = pair?;
            qualifiers.push((lower(k), decode(v)));
        }
        Ok(Purl {
            ty: lower(split.ty),
            namespace: split.namespace.filter(|n| !n.is_empty()).map(decode),
            name: decode(split.name),
            version: split.version.filter(|v| !v.is_empty()).map(decode),
            qualifiers,
            subpath: split.subpath.filter(|s| !s.is_empty()).map(decode),
        })
    }

    /// A qualifier value by key (`repository_url`, `download_url`...).
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }
}

/// `s` lower-cased (ASCII), borrowed when it already is.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn slashes_off_start(s: &str) -> &str {
    let n = s.bytes().take_while(|&b| b == b'/').count();
    s.get(n..).unwrap_or("")
}

fn slashes_off_end(s: &str) -> &str {
    let n = s.bytes().rev().take_while(|&b| b == b'/').count();
    s.get(..s.len() - n).unwrap_or("")
}

/// Percent-decode; invalid escapes are kept as written.
pub fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_maven_with_qualifiers() {
        let p = Purl::parse("pkg:maven/com.huawei.hms/push@6.11.0.300?type=aar&repository_url=https://x.invalid/repo").unwrap();
        assert_eq!(p.ty, "maven");
        assert_eq!(p.namespace.as_deref(), Some("com.huawei.hms"));
        assert_eq!(p.name, "push");
        assert_eq!(p.version.as_deref(), Some("6.11.0.300"));
        assert_eq!(p.qualifier("type"), Some("aar"));
    }

    #[test]
    fn parses_npm_scopes_raw_and_encoded() {
        for s in [
            "pkg:npm/%40kaspersky/hexa-ui@1.2.3",
            "pkg:npm/@kaspersky/hexa-ui@1.2.3",
        ] {
            let p = Purl::parse(s).unwrap();
            assert_eq!(p.namespace.as_deref(), Some("@kaspersky"), "{s}");
            assert_eq!(p.name, "hexa-ui");
            assert_eq!(p.version.as_deref(), Some("1.2.3"));
        }
    }

    #[test]
    fn no_version_no_namespace_and_subpath() {
        let p = Purl::parse("pkg:pypi/volcengine#src/x").unwrap();
        assert_eq!(p.name, "volcengine");
        assert!(p.namespace.is_none() && p.version.is_none());
        assert_eq!(p.subpath.as_deref(), Some("src/x"));
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "npm/foo",
            "pkg:",
            "pkg:npm",
            "pkg:1bad/x",
            "pkg:npm/@1.0",
        ] {
            assert!(Purl::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn surrounding_space_and_slashes_are_dropped() {
        let p = Purl::parse("\u{a0} pkg:///npm/left-pad@1.3.0#//lib/x// \u{2003}").unwrap();
        assert_eq!(p.ty, "npm");
        assert_eq!(p.name, "left-pad");
        assert_eq!(p.version.as_deref(), Some("1.3.0"));
        assert_eq!(p.subpath.as_deref(), Some("lib/x"));
        let q = Purl::parse("pkg:maven/org.acme/lib/").unwrap();
        assert_eq!(q.name, "lib");
        assert_eq!(q.namespace.as_deref(), Some("org.acme"));
    }

    #[test]
    fn validate_agrees_with_parse() {
        for s in [
            "",
            "npm/foo",
            "pkg:",
            "pkg:npm",
            "pkg:1bad/x",
            "pkg:npm/@1.0",
            "pkg:maven/a/b@1?type",
            "pkg:maven/a/b@1?type=jar&classifier=sources",
            "pkg:npm/%40kaspersky/hexa-ui@1.2.3#dist",
            " PKG:PyPI/x ",
        ] {
            assert_eq!(Purl::validate(s), Purl::parse(s).map(|_| ()), "{s:?}");
        }
    }

    #[test]
    fn decode_handles_bad_escapes() {
        assert_eq!(decode("a%2Fb"), "a/b");
        assert_eq!(decode("a%zz"), "a%zz");
        assert_eq!(decode("a%"), "a%");
    }
}
