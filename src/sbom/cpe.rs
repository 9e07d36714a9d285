//! CPE 2.2 URI (`cpe:/a:vendor:product:version`) and CPE 2.3 formatted string
//! (`cpe:2.3:a:vendor:product:version:...`) parsing: part, vendor, product, version.

/// The parts of a CPE name that matching needs. Values are unescaped and lower-cased;
/// `*` / `-` / empty become `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpe {
    pub part: char,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub version: Option<String>,
}

impl Cpe {
    pub fn parse(s: &str) -> Result<Cpe, String> {
        let s = s.trim();
        let (fields, uri) = if let Some(rest) = s.strip_prefix("cpe:2.3:") {
            (split_fs(rest), false)
        } else if let Some(rest) = s.strip_prefix("cpe:/") {
            (
                rest.split(':').map(str::to_string).collect::<Vec<_>>(),
                true,
            )
        } else {
            return Err("does not start with `cpe:2.3:` or `cpe:/`".into());
        };
        let part = fields
            .first()
            .and_then(|p| p.chars().next())
            .ok_or_else(|| "has no part".to_string())?;
        if !matches!(part, 'a' | 'o' | 'h' | '*') {
            return Err(format!("has an invalid part {part:?} (a, o or h)"));
        }
        if !uri && fields.len() != 11 {
            return Err(format!(
                "has {} components; CPE 2.3 has 11 after `cpe:2.3:`",
                fields.len()
            ));
        }
        let get = |i: usize| -> Option<String> {
            let v = fields.get(i)?;
            let v = if uri { percent(v) } else { unescape(v) };
            let v = v.to_ascii_lowercase();
            if v.is_empty() || v == "*" || v == "-" {
                None
            } else {
                Some(v)
            }
        };
        Ok(Cpe {
            part,
            vendor: get(1),
            product: get(2),
            version: get(3),
        })
    }
}

/// Split a CPE 2.3 formatted string on unescaped colons.
fn split_fs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push('\\');
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ':' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn unescape(s: &str) -> String {
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
    out
}

fn percent(s: &str) -> String {
    super::purl::decode(s).into_owned()
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
