//! The `[registry]` table of `bomvet.toml`: where updates come from and which overlays apply.
//! The policy parser hands the table here; the registry commands read the result.
//!
//! ```toml
//! [registry]
//! url = "https://example.org/bomvet/registry.bundle"   # `registry update` source
//! pubkey = "keys/registry.pub"                         # minisign public key file
//! overlays = ["org-registry"]                          # overlay directories, in order
//! max_age = "90d"                                      # warn past this age (or a number of days)
//! ```
//! Relative paths are relative to the policy file's directory.

use std::ops::Range;

use toml::de::DeValue;
use toml::Spanned;

use super::raw::RawProblem;
use crate::registry::utc;

/// Settings of `[registry]`; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrySettings {
    pub url: Option<String>,
    pub pubkey: Option<String>,
    pub overlays: Vec<String>,
    /// Age, in seconds, past which `registry status` and `audit` warn.
    pub max_age_secs: Option<u64>,
}

/// Default for [`RegistrySettings::max_age_secs`]: 90 days.
pub const DEFAULT_MAX_AGE_SECS: u64 = 90 * 86_400;

pub(super) fn read(
    v: &Spanned<DeValue<'_>>,
    out_problems: &mut Vec<RawProblem>,
) -> RegistrySettings {
    let p = &mut Sink(out_problems);
    let mut out = RegistrySettings::default();
    let DeValue::Table(t) = v.get_ref() else {
        p.push(&v.span(), "registry", "expected a table".into());
        return out;
    };
    for (k, val) in t.iter() {
        let name = k.get_ref().as_ref();
        let key = format!("registry.{name}");
        let string = |p: &mut Sink<'_>, span: Range<usize>| match val.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                p.push(&span, &key, "expected a string".into());
                None
            }
        };
        match name {
            "url" => out.url = string(p, val.span()),
            "pubkey" => out.pubkey = string(p, val.span()),
            "overlays" => {
                out.overlays = p
                    .strings(val, &key)
                    .into_iter()
                    .map(|(s, _, _)| s)
                    .collect()
            }
            "max_age" => match val.get_ref() {
                DeValue::Integer(i) => match i.as_str().parse::<u64>() {
                    Ok(days) => out.max_age_secs = Some(days.saturating_mul(86_400)),
                    Err(_) => p.push(&val.span(), &key, "expected a number of days".into()),
                },
                DeValue::String(s) => match utc::parse_duration_ms(s) {
                    Some(ms) => out.max_age_secs = Some(ms / 1000),
                    None => p.push(
                        &val.span(),
                        &key,
                        format!("{s:?} is not a duration (examples: \"90d\", \"12h\")"),
                    ),
                },
                _ => p.push(
                    &val.span(),
                    &key,
                    "expected a duration such as \"90d\" or a number of days".into(),
                ),
            },
            other => p.push(
                &k.span(),
                &key,
                format!("unknown key `{other}` (allowed: url, pubkey, overlays, max_age)"),
            ),
        }
    }
    out
}

/// Where problems go, in the raw reader's form.
struct Sink<'a>(&'a mut Vec<RawProblem>);

impl Sink<'_> {
    fn push(&mut self, span: &Range<usize>, key: &str, message: String) {
        self.0.push(RawProblem {
            span: span.clone(),
            key: key.to_string(),
            message,
        });
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

#[cfg(test)]
mod tests {
    use crate::policy::{Policy, PolicyError};

    #[test]
    fn the_registry_table_is_read() {
        let p = Policy::parse(
            "[registry]\nurl = \"http://127.0.0.1:1/b\"\npubkey = \"k.pub\"\noverlays = [\"a\", \"b\"]\nmax_age = \"30d\"\n",
            "bomvet.toml",
        )
        .unwrap();
        assert_eq!(p.registry.url.as_deref(), Some("http://127.0.0.1:1/b"));
        assert_eq!(p.registry.pubkey.as_deref(), Some("k.pub"));
        assert_eq!(p.registry.overlays, ["a", "b"]);
        assert_eq!(p.registry.max_age_secs, Some(30 * 86_400));
        let p = Policy::parse("[registry]\nmax_age = 7\n", "bomvet.toml").unwrap();
        assert_eq!(p.registry.max_age_secs, Some(7 * 86_400));
    }

    #[test]
    fn bad_registry_keys_are_located_problems() {
        let Err(PolicyError::Invalid { problems, .. }) = Policy::parse(
            "[registry]\nurl = 3\nmirror = \"x\"\nmax_age = \"soon\"\n",
            "bomvet.toml",
        ) else {
            panic!("expected problems");
        };
        let keys: Vec<(&str, usize)> = problems.iter().map(|p| (p.key.as_str(), p.line)).collect();
        assert_eq!(
            keys,
            [
                ("registry.url", 2),
                ("registry.mirror", 3),
                ("registry.max_age", 4)
            ]
        );
    }
}
