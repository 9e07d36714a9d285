//! CPE 2.2 URI (`cpe:/a:vendor:product:version`) and CPE 2.3 formatted string
//! (`cpe:2.3:a:vendor:product:version:...`) parsing: part, vendor, product, version.

use std::borrow::Cow;

/// The parts of a CPE name that matching needs. Values are unescaped and lower-cased;
/// `*` / `-` / empty become `None`. Values borrow from the parsed string unless unescaping,
/// percent-decoding or lower-casing changed them, so parsing a typical CPE allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpe<'a> {
    pub part: char,
    pub vendor: Option<Cow<'a, str>>,
    pub product: Option<Cow<'a, str>>,
    pub version: Option<Cow<'a, str>>,
}

/// CPE 2.3 formatted strings have 11 components after `cpe:2.3:`.
const FS_COMPONENTS: usize = 11;

impl<'a> Cpe<'a> {
    pub fn parse(s: &'a str) -> Result<Cpe<'a>, String> {
        let s = s.trim();
        let (fields, uri): ([&'a str; 4], bool) = if let Some(rest) = s.strip_prefix("cpe:2.3:") {
            let mut fields = [""; 4];
            let mut count = 0;
            for (i, f) in FsFields(Some(rest)).enumerate() {
                if let Some(slot) = fields.get_mut(i) {
                    *slot = f;
                }
                count += 1;
            }
            if count != FS_COMPONENTS {
                // The part is checked first so that a bad part is reported as such.
                check_part(fields[0])?;
                return Err(format!(
                    "has {count} components; CPE 2.3 has {FS_COMPONENTS} after `cpe:2.3:`"
                ));
            }
            (fields, false)
        } else if let Some(rest) = s.strip_prefix("cpe:/") {
            let mut fields = [""; 4];
            for (slot, f) in fields.iter_mut().zip(rest.split(':')) {
                *slot = f;
            }
            (fields, true)
        } else {
            return Err("does not start with `cpe:2.3:` or `cpe:/`".into());
        };
        let part = check_part(fields[0])?;
        let get = |v: &'a str| -> Option<Cow<'a, str>> {
            let v = if uri {
                super::purl::decode(v)
            } else {
                unescape(v)
            };
            let v = lower(v);
            if v.is_empty() || v == "*" || v == "-" {
                None
            } else {
                Some(v)
            }
        };
        Ok(Cpe {
            part,
            vendor: get(fields[1]),
            product: get(fields[2]),
            version: get(fields[3]),
        })
    }

    /// The same CPE owning its values.
    pub fn into_owned(self) -> Cpe<'static> {
        let own = |v: Option<Cow<'a, str>>| v.map(|v| Cow::Owned(v.into_owned()));
        Cpe {
            part: self.part,
            vendor: own(self.vendor),
            product: own(self.product),
            version: own(self.version),
        }
    }
}

fn check_part(field: &str) -> Result<char, String> {
    let part = field
        .chars()
        .next()
        .ok_or_else(|| "has no part".to_string())?;
    if matches!(part, 'a' | 'o' | 'h' | '*') {
        Ok(part)
    } else {
        Err(format!("has an invalid part {part:?} (a, o or h)"))
    }
}

/// The components of a CPE 2.3 formatted string: split on colons not escaped by `\`.
struct FsFields<'a>(Option<&'a str>);

impl<'a> Iterator for FsFields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.0?;
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b':' => {
                    self.0 = Some(&s[i + 1..]);
                    return Some(&s[..i]);
                }
                _ => i += 1,
            }
        }
        self.0 = None;
        Some(s)
    }
}

fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn lower(v: Cow<'_, str>) -> Cow<'_, str> {
    if v.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(v.to_ascii_lowercase())
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_23() {
        let c = Cpe::parse("cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*").unwrap();
        assert_eq!(c.part, 'a');
        assert_eq!(c.vendor.as_deref(), Some("kaspersky"));
        assert_eq!(c.product.as_deref(), Some("anti-virus"));
        assert_eq!(c.version.as_deref(), Some("21.3"));
    }

    #[test]
    fn parses_22_uri() {
        let c = Cpe::parse("cpe:/a:kaspersky_lab:kaspersky_anti-virus").unwrap();
        assert_eq!(c.vendor.as_deref(), Some("kaspersky_lab"));
        assert_eq!(c.version, None);
    }

    #[test]
    fn handles_escaped_colons() {
        let c = Cpe::parse(r"cpe:2.3:a:acme:fo\:o:1:*:*:*:*:*:*:*").unwrap();
        assert_eq!(c.product.as_deref(), Some("fo:o"));
    }

    #[test]
    fn plain_values_borrow_and_changed_values_are_owned() {
        let c = Cpe::parse(r"cpe:2.3:a:Acme:fo\:o:1.0:*:*:*:*:*:*:*").unwrap();
        assert!(matches!(c.vendor, Some(Cow::Owned(ref v)) if v == "acme"));
        assert!(matches!(c.product, Some(Cow::Owned(ref v)) if v == "fo:o"));
        assert!(matches!(c.version, Some(Cow::Borrowed("1.0"))));
        let c = Cpe::parse("cpe:/a:acme%20corp:widget").unwrap();
        assert_eq!(c.vendor.as_deref(), Some("acme corp"));
        assert!(matches!(c.product, Some(Cow::Borrowed("widget"))));
        let owned: Cpe<'static> = c.clone().into_owned();
        assert_eq!(owned, c);
    }

    #[test]
    fn escaped_backslash_before_a_colon_does_not_escape_the_colon() {
        let c = Cpe::parse(r"cpe:2.3:a:acme:foo\\:1:*:*:*:*:*:*:*").unwrap();
        assert_eq!(c.product.as_deref(), Some("foo\\"));
        assert_eq!(c.version.as_deref(), Some("1"));
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "cpe:2.3:a:x",
            "cpe:2.3:z:a:b:c:*:*:*:*:*:*:*",
            "kaspersky",
            "",
        ] {
            assert!(Cpe::parse(s).is_err(), "{s}");
        }
    }
}
