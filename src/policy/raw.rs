//! The policy file as written: [`RawPolicy`] mirrors `bomvet.toml` key by key, with where each
//! value was written, before any meaning is checked. It is also the type the JSON Schema of the
//! file (`schemas/policy.schema.json`) is generated from, so the schema and the reader cannot
//! drift apart silently (a unit test compares the keys each accepts).
//!
//! [`read`] walks toml's span-preserving tree instead of deserialising in one go, so that every
//! structural problem (unknown key, wrong type) is reported at once, with its key path. Meaning
//! (codes, levels, dates, purls, version ranges) is checked when the raw policy is turned into
//! a [`super::Policy`].

use std::collections::BTreeMap;
use std::ops::Range;

use schemars::JsonSchema;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{Code, Level};
use crate::registry::model::UseContext;

/// A value with the byte span it was written at and its key path (`waivers[0].purl`).
#[derive(Debug, Clone, PartialEq)]
pub struct Loc<T> {
    pub value: T,
    pub span: Range<usize>,
    pub key: String,
}

/// The schema of a located value is the schema of the value.
impl<T: JsonSchema> JsonSchema for Loc<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// A bomvet policy file (`bomvet.toml`). Every key is optional; an empty file is the defaults.
/// docs/policy.md documents each key with an example.
#[derive(Debug, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawPolicy {
    /// Section 889's purposes that apply to the audited systems (empty: none declared).
    pub use_context: Option<Vec<Loc<UseContext>>>,
    /// Only these registry designations are enforced (absent: every designation).
    pub enforce: Option<Vec<Loc<String>>>,
    /// Country group ids of the registry or ISO 3166-1 alpha-2 codes whose vendors without a
    /// designation raise `adversary-country` (default: the foreign adversaries of 15 CFR 791.4).
    pub countries_of_concern: Option<Vec<Loc<String>>>,
    /// The level of each finding code: deny, warn, info or allow.
    #[schemars(schema_with = "levels_schema")]
    #[serde(default)]
    pub levels: Option<Vec<(Loc<String>, Loc<String>)>>,
    /// The level of findings that rest on a registry designation, by designation id: a ban
    /// finding takes the most severe level over the designations it rests on.
    #[schemars(with = "Option<BTreeMap<String, Level>>")]
    pub designations: Option<Vec<(Loc<String>, Loc<String>)>>,
    /// A limit on components whose vendor matches no registry entry.
    pub unresolved: Option<RawUnresolved>,
    /// Accepted findings: each waiver covers the findings that meet all of its criteria.
    pub waivers: Option<Vec<RawWaiver>>,
    /// Where registry updates come from, and the overlays to apply (docs/registry-updates.md).
    #[schemars(with = "Option<RegistrySchema>")]
    pub registry: Option<super::RegistrySettings>,
}

/// `[registry]` as the schema describes it (read by `registry_settings`).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct RegistrySchema {
    /// URL of the signed bundle `bomvet registry update` downloads.
    url: Option<String>,
    /// The minisign public key file bundles must verify against (relative to the policy file).
    pubkey: Option<String>,
    /// Overlay registry directories applied over the base, in order.
    overlays: Option<Vec<String>>,
    /// Warn when the active registry is older than this: a duration such as "90d" or a
    /// number of days.
    max_age: Option<MaxAgeSchema>,
}

#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum MaxAgeSchema {
    Days(u64),
    Duration(String),
}

/// `[unresolved]`: when more components than this are unresolved, `unknown-vendor` takes
/// `level`.
#[derive(Debug, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawUnresolved {
    /// Largest share of unresolved components, in percent of the document's components.
    #[schemars(range(min = 0, max = 100))]
    pub max_share: Option<Loc<f64>>,
    /// Largest number of unresolved components.
    #[schemars(range(min = 0))]
    pub max_count: Option<Loc<i64>>,
    /// The level of `unknown-vendor` when a limit is exceeded (default deny).
    #[schemars(with = "Option<Level>")]
    pub level: Option<Loc<String>>,
    #[schemars(skip)]
    pub span: Range<usize>,
}

/// `[[waivers]]`: one accepted finding, or a set of them. All criteria given must match; at
/// least one of `purl`, `name`, `ref`, `vendor`, `code` is required.
#[derive(Debug, Default, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawWaiver {
    /// A name for the waiver in reports (default `waiver-N`, N counted from 1 in file order).
    pub id: Option<Loc<String>>,
    /// Package URL of the component; without a version it matches every version.
    pub purl: Option<Loc<String>>,
    /// The component versions covered, as a purl-spec range: `vers:maven/>=8.0|<9`.
    #[schemars(regex(pattern = r"^vers:"))]
    pub versions: Option<Loc<String>>,
    /// The component name, exactly as the report shows it.
    pub name: Option<Loc<String>>,
    /// The component's reference in the SBOM (bom-ref, SPDXID), exactly.
    #[serde(rename = "ref")]
    pub bom_ref: Option<Loc<String>>,
    /// A registry vendor id (`bomvet registry list`).
    pub vendor: Option<Loc<String>>,
    /// A finding code.
    #[schemars(with = "Option<Code>")]
    pub code: Option<Loc<String>>,
    /// Why the finding is accepted.
    #[schemars(required, length(min = 1))]
    pub reason: Option<Loc<String>>,
    /// Who accepted it.
    pub approved_by: Option<Loc<String>>,
    /// The ticket or decision record.
    pub ticket: Option<Loc<String>>,
    /// The last day the waiver applies (`YYYY-MM-DD`, a string or a TOML date).
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub expires: Option<Loc<String>>,
    #[schemars(skip)]
    pub span: Range<usize>,
}

fn levels_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let level = generator.subschema_for::<Level>();
    let mut props = serde_json::Map::new();
    for c in Code::ALL {
        props.insert(c.as_str().to_string(), level.clone().to_value());
    }
    schemars::json_schema!({
        "type": "object",
        "properties": props,
        "additionalProperties": false,
    })
}

/// The keys [`read`] accepts, per table (checked against the schema in a test).
pub const TOP_KEYS: [&str; 8] = [
    "use_context",
    "enforce",
    "countries_of_concern",
    "levels",
    "designations",
    "unresolved",
    "waivers",
    "registry",
];
pub const UNRESOLVED_KEYS: [&str; 3] = ["max_share", "max_count", "level"];
pub const WAIVER_KEYS: [&str; 11] = [
    "id",
    "purl",
    "versions",
    "name",
    "ref",
    "vendor",
    "code",
    "reason",
    "approved_by",
    "ticket",
    "expires",
];

/// A structural problem: byte span, key path, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawProblem {
    pub span: Range<usize>,
    pub key: String,
    pub message: String,
}

/// Read the tree of a policy file into a [`RawPolicy`], collecting every structural problem.
pub fn read(tree: &DeTable<'_>) -> (RawPolicy, Vec<RawProblem>) {
    let mut r = Reader { out: Vec::new() };
    let mut raw = RawPolicy::default();
    for (k, v) in tree.iter() {
        let key = k.get_ref().as_ref();
        match key {
            "use_context" => {
                let list = r.strings(v, key);
                raw.use_context = Some(
                    list.into_iter()
                        .filter_map(|s| match super::parse_use_context(&s.value) {
                            Some(u) => Some(Loc {
                                value: u,
                                span: s.span,
                                key: s.key,
                            }),
                            None => {
                                r.push(
                                    &s.span,
                                    &s.key,
                                    format!(
                                        "unknown use context {:?} (expected one of: {})",
                                        s.value,
                                        super::use_context_names().join(", ")
                                    ),
                                );
                                None
                            }
                        })
                        .collect(),
                );
            }
            "enforce" => raw.enforce = Some(r.strings(v, key)),
            "countries_of_concern" => raw.countries_of_concern = Some(r.strings(v, key)),
            "levels" => raw.levels = r.string_map(v, key),
            "designations" => raw.designations = r.string_map(v, key),
            "unresolved" => raw.unresolved = r.unresolved(v),
            "waivers" => raw.waivers = r.waivers(v),
            "registry" => raw.registry = Some(super::registry_settings::read(v, &mut r.out)),
            other => r.push(
                &k.span(),
                other,
                format!("unknown key `{other}` (allowed: {})", TOP_KEYS.join(", ")),
            ),
        }
    }
    (raw, r.out)
}

struct Reader {
    out: Vec<RawProblem>,
}

impl Reader {
    fn push(&mut self, span: &Range<usize>, key: &str, message: String) {
        self.out.push(RawProblem {
            span: span.clone(),
            key: key.to_string(),
            message,
        });
    }

    fn string(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Option<Loc<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Loc {
                value: s.to_string(),
                span: v.span(),
                key: key.to_string(),
            }),
            _ => {
                self.push(&v.span(), key, "expected a string".into());
                None
            }
        }
    }

    /// An array of strings; every non-string element is a problem.
    fn strings(&mut self, v: &Spanned<DeValue<'_>>, key: &str) -> Vec<Loc<String>> {
        let DeValue::Array(a) = v.get_ref() else {
            self.push(&v.span(), key, "expected an array of strings".into());
            return Vec::new();
        };
        a.iter()
            .enumerate()
            .filter_map(|(i, e)| self.string(e, &format!("{key}[{i}]")))
            .collect()
    }

    /// A table of `key = "string"`.
    fn string_map(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        key: &str,
    ) -> Option<Vec<(Loc<String>, Loc<String>)>> {
        let DeValue::Table(t) = v.get_ref() else {
            self.push(
                &v.span(),
                key,
                format!("expected a table of `name = \"level\"` (`[{key}]`)"),
            );
            return None;
        };
        let mut out = Vec::new();
        for (k, lv) in t.iter() {
            let name = k.get_ref().as_ref();
            let path = format!("{key}.{name}");
            let Some(value) = self.string(lv, &path) else {
                continue;
            };
            out.push((
                Loc {
                    value: name.to_string(),
                    span: k.span(),
                    key: path,
                },
                value,
            ));
        }
        Some(out)
    }

    fn table<'a, 'i>(
        &mut self,
        v: &'a Spanned<DeValue<'i>>,
        key: &str,
        allowed: &[&str],
    ) -> Option<Vec<(&'a str, String, &'a Spanned<DeValue<'i>>)>> {
        let DeValue::Table(t) = v.get_ref() else {
            self.push(&v.span(), key, "expected a table".into());
            return None;
        };
        let mut out = Vec::new();
        for (k, val) in t.iter() {
            let name = k.get_ref().as_ref();
            let path = format!("{key}.{name}");
            if allowed.contains(&name) {
                out.push((name, path, val));
            } else {
                self.push(
                    &k.span(),
                    &path,
                    format!(
                        "unknown key `{name}` in `{}` (allowed: {})",
                        key.split('[').next().unwrap_or(key),
                        allowed.join(", ")
                    ),
                );
            }
        }
        Some(out)
    }

    fn unresolved(&mut self, v: &Spanned<DeValue<'_>>) -> Option<RawUnresolved> {
        let fields = self.table(v, "unresolved", &UNRESOLVED_KEYS)?;
        let mut u = RawUnresolved {
            span: v.span(),
            ..RawUnresolved::default()
        };
        for (name, path, val) in fields {
            match name {
                "max_share" => {
                    let n = match val.get_ref() {
                        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
                        DeValue::Integer(i) => integer(i).map(|n| n as f64),
                        _ => None,
                    };
                    match n {
                        Some(n) => {
                            u.max_share = Some(Loc {
                                value: n,
                                span: val.span(),
                                key: path,
                            })
                        }
                        None => self.push(&val.span(), &path, "expected a number (percent)".into()),
                    }
                }
                "max_count" => match val.get_ref() {
                    DeValue::Integer(i) if integer(i).is_some() => {
                        u.max_count = integer(i).map(|n| Loc {
                            value: n,
                            span: val.span(),
                            key: path,
                        })
                    }
                    _ => self.push(&val.span(), &path, "expected an integer".into()),
                },
                _ => u.level = self.string(val, &path),
            }
        }
        Some(u)
    }

    fn waivers(&mut self, v: &Spanned<DeValue<'_>>) -> Option<Vec<RawWaiver>> {
        let DeValue::Array(a) = v.get_ref() else {
            self.push(
                &v.span(),
                "waivers",
                "expected an array of tables (`[[waivers]]`)".into(),
            );
            return None;
        };
        let mut out = Vec::new();
        for (i, e) in a.iter().enumerate() {
            let key = format!("waivers[{i}]");
            let Some(fields) = self.table(e, &key, &WAIVER_KEYS) else {
                continue;
            };
            let mut w = RawWaiver {
                span: e.span(),
                ..RawWaiver::default()
            };
            for (name, path, val) in fields {
                let s = if name == "expires" {
                    match val.get_ref() {
                        DeValue::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
                            Some(Loc {
                                value: d.to_string(),
                                span: val.span(),
                                key: path,
                            })
                        }
                        DeValue::String(_) => self.string(val, &path),
                        _ => {
                            self.push(
                                &val.span(),
                                &path,
                                "expected a date (`2025-06-30` or \"2025-06-30\")".into(),
                            );
                            None
                        }
                    }
                } else {
                    self.string(val, &path)
                };
                let slot = match name {
                    "id" => &mut w.id,
                    "purl" => &mut w.purl,
                    "versions" => &mut w.versions,
                    "name" => &mut w.name,
                    "ref" => &mut w.bom_ref,
                    "vendor" => &mut w.vendor,
                    "code" => &mut w.code,
                    "reason" => &mut w.reason,
                    "approved_by" => &mut w.approved_by,
                    "ticket" => &mut w.ticket,
                    _ => &mut w.expires,
                };
                *slot = s;
            }
            out.push(w);
        }
        Some(out)
    }
}

fn integer(i: &toml::de::DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}
