//! Serde wire structs of SPDX 2 JSON, YAML and XML (the three share the JSON key names).
//!
//! Strings are [`Str`] (`Cow<str>`): borrowed from the input where the deserializer can (JSON
//! without escapes, XML text without entities), owned otherwise. Every object is read by a
//! hand-written map visitor so that keys not defined by the SPDX 2.2 / 2.3 JSON schemas are
//! collected (as `unknown`) instead of being silently dropped, and so that each array field also
//! accepts `null` (syft 0.79-0.91), a lone value, or repeated keys (the XML form).
//!
//! The document itself is not a struct: [`DocSeed`] hands every package, file, snippet and
//! relationship to the [`Ingest`] sink as soon as it is read, so a million-package document is
//! never held in wire form at once.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer,
    MapAccessDeserializer, StrDeserializer, StringDeserializer, U64Deserializer,
};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::ingest::Ingest;

/// Key the SPDX XML deserializer injects as the first key of every object, with the 1-based line
/// of the element as value. JSON and YAML never produce it.
pub(crate) const LINE_KEY: &str = "\u{1}line";

/// A string from the document, borrowed where possible.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Str<'a>(pub Cow<'a, str>);

impl<'a> Str<'a> {
    pub fn borrowed(s: &'a str) -> Str<'a> {
        Str(Cow::Borrowed(s))
    }
    pub fn owned(s: String) -> Str<'a> {
        Str(Cow::Owned(s))
    }
}

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> de::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // `deserialize_str`, not `_any`: YAML then hands over a plain scalar such as `1.10` as
        // written instead of resolving it to the float 1.1 (a version must survive verbatim).
        d.deserialize_str(StrVisitor)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Str<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Str(Cow::Owned(v.to_string())))
    }
}

/// Calls a function for each element of an array field; also accepts `null` (no element) and a
/// lone value (one element), so the same code reads JSON arrays, syft's `null`s and the
/// repeated elements of SPDX XML.
pub(crate) struct Each<'f, T, F>(pub &'f mut F, pub PhantomData<T>);

impl<'f, T, F> Each<'f, T, F> {
    pub fn new(f: &'f mut F) -> Self {
        Each(f, PhantomData)
    }
}

impl<'de, T, F> DeserializeSeed<'de> for Each<'_, T, F>
where
    T: de::Deserialize<'de>,
    F: FnMut(T),
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T, F> Visitor<'de> for Each<'_, T, F>
where
    T: de::Deserialize<'de>,
    F: FnMut(T),
{
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(x) = seq.next_element::<T>()? {
            (self.0)(x);
        }
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        (self.0)(T::deserialize(MapAccessDeserializer::new(map))?);
        Ok(())
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        (self.0)(T::deserialize(BorrowedStrDeserializer::new(v))?);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        (self.0)(T::deserialize(StrDeserializer::new(v))?);
        Ok(())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        (self.0)(T::deserialize(StringDeserializer::new(v))?);
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        (self.0)(T::deserialize(BoolDeserializer::new(v))?);
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        (self.0)(T::deserialize(I64Deserializer::new(v))?);
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        (self.0)(T::deserialize(U64Deserializer::new(v))?);
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        (self.0)(T::deserialize(F64Deserializer::new(v))?);
        Ok(())
    }
}

/// Read an array field (see [`Each`]) into `out`.
fn extend<'de, T, A>(map: &mut A, out: &mut Vec<T>) -> Result<(), A::Error>
where
    T: de::Deserialize<'de>,
    A: MapAccess<'de>,
{
    let mut push = |x: T| out.push(x);
    map.next_value_seed(Each::new(&mut push))
}

/// `true` / `false` as a boolean or a string (XML, and the odd generator); anything else is
/// `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlexBool(pub Option<bool>);

impl<'de> de::Deserialize<'de> for FlexBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FlexBool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<FlexBool, E> {
                Ok(FlexBool(Some(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FlexBool, E> {
                let v = v.trim();
                Ok(FlexBool(if v.eq_ignore_ascii_case("true") {
                    Some(true)
                } else if v.eq_ignore_ascii_case("false") {
                    Some(false)
                } else {
                    None
                }))
            }
            fn visit_unit<E: de::Error>(self) -> Result<FlexBool, E> {
                Ok(FlexBool(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<FlexBool, E> {
                Ok(FlexBool(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<FlexBool, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<FlexBool, E> {
                Ok(FlexBool(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<FlexBool, E> {
                Ok(FlexBool(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<FlexBool, E> {
                Ok(FlexBool(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FlexBool, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FlexBool(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FlexBool, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(FlexBool(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// The keys a nested object the reader does not otherwise need may have (from the SPDX 2.2 and
/// 2.3 JSON schemas), so that anything else is reported as an unknown field.
pub(crate) struct Shape {
    pub name: &'static str,
    pub keys: &'static [(&'static str, Option<&'static Shape>)],
}

pub(crate) static CHECKSUM: Shape = Shape {
    name: "checksum",
    keys: &[("algorithm", None), ("checksumValue", None)],
};
pub(crate) static ANNOTATION: Shape = Shape {
    name: "annotation",
    keys: &[
        ("annotationDate", None),
        ("annotationType", None),
        ("annotator", None),
        ("comment", None),
    ],
};
pub(crate) static CREATION_INFO: Shape = Shape {
    name: "creationInfo",
    keys: &[
        ("comment", None),
        ("created", None),
        ("creators", None),
        ("licenseListVersion", None),
    ],
};
pub(crate) static EXTERNAL_DOCUMENT_REF: Shape = Shape {
    name: "externalDocumentRef",
    keys: &[
        ("checksum", Some(&CHECKSUM)),
        ("externalDocumentId", None),
        ("spdxDocument", None),
    ],
};
pub(crate) static CROSS_REF: Shape = Shape {
    name: "crossRef",
    keys: &[
        ("isLive", None),
        ("isValid", None),
        ("isWayBackLink", None),
        ("match", None),
        ("order", None),
        ("timestamp", None),
        ("url", None),
    ],
};
pub(crate) static EXTRACTED_LICENSE: Shape = Shape {
    name: "hasExtractedLicensingInfo",
    keys: &[
        ("comment", None),
        ("crossRefs", Some(&CROSS_REF)),
        ("extractedText", None),
        ("licenseId", None),
        ("name", None),
        ("seeAlsos", None),
    ],
};
pub(crate) static REVIEWED: Shape = Shape {
    name: "reviewed",
    keys: &[("comment", None), ("reviewDate", None), ("reviewer", None)],
};
pub(crate) static VERIFICATION_CODE: Shape = Shape {
    name: "packageVerificationCode",
    keys: &[
        ("packageVerificationCodeExcludedFiles", None),
        ("packageVerificationCodeValue", None),
    ],
};
pub(crate) static POINTER: Shape = Shape {
    name: "snippet range pointer",
    keys: &[("lineNumber", None), ("offset", None), ("reference", None)],
};
pub(crate) static RANGE: Shape = Shape {
    name: "snippet range",
    keys: &[
        ("endPointer", Some(&POINTER)),
        ("startPointer", Some(&POINTER)),
    ],
};

/// Unknown keys found somewhere below an object: (context, key).
pub type Unknown<'a> = Vec<(&'static str, Str<'a>)>;

/// Walks a value, collecting the keys its [`Shape`] does not allow. Arrays are walked element
/// by element; scalars are accepted as they are.
pub(crate) struct Check(pub &'static Shape);

impl<'de> DeserializeSeed<'de> for Check {
    type Value = Unknown<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check {
    type Value = Unknown<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.name)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut unknown = Vec::new();
        while let Some(k) = map.next_key::<Str<'de>>()? {
            match self.0.keys.iter().find(|(name, _)| *name == &*k) {
                Some((_, Some(sub))) => unknown.extend(map.next_value_seed(Check(sub))?),
                Some((_, None)) => {
                    map.next_value::<IgnoredAny>()?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                    if &*k != LINE_KEY {
                        unknown.push((self.0.name, k));
                    }
                }
            }
        }
        Ok(unknown)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut unknown = Vec::new();
        while let Some(u) = seq.next_element_seed(Check(self.0))? {
            unknown.extend(u);
        }
        Ok(unknown)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

/// One `checksums` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checksum<'a> {
    pub algorithm: Option<Str<'a>>,
    pub value: Option<Str<'a>>,
    pub unknown: Unknown<'a>,
}

/// One `externalRefs` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalRef<'a> {
    pub category: Option<Str<'a>>,
    pub kind: Option<Str<'a>>,
    pub locator: Option<Str<'a>>,
    pub unknown: Unknown<'a>,
}

/// One package, with the fields bomvet uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package<'a> {
    pub spdxid: Option<Str<'a>>,
    pub name: Option<Str<'a>>,
    pub version: Option<Str<'a>>,
    pub supplier: Option<Str<'a>>,
    pub originator: Option<Str<'a>>,
    pub download_location: Option<Str<'a>>,
    pub homepage: Option<Str<'a>>,
    pub source_info: Option<Str<'a>>,
    pub external_refs: Vec<ExternalRef<'a>>,
    pub checksums: Vec<Checksum<'a>>,
    pub license_concluded: Option<Str<'a>>,
    pub license_declared: Option<Str<'a>>,
    pub copyright: Option<Str<'a>>,
    pub description: Option<Str<'a>>,
    pub summary: Option<Str<'a>>,
    pub file_name: Option<Str<'a>>,
    pub files_analyzed: FlexBool,
    pub has_files: Vec<Str<'a>>,
    pub purpose: Option<Str<'a>>,
    /// Line of the package in line-oriented serialisations.
    pub line: Option<u32>,
    pub unknown: Unknown<'a>,
}

/// One file, with the fields bomvet uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct File<'a> {
    pub spdxid: Option<Str<'a>>,
    pub name: Option<Str<'a>>,
    pub checksums: Vec<Checksum<'a>>,
    pub license_concluded: Option<Str<'a>>,
    pub copyright: Option<Str<'a>>,
    pub contributors: Vec<Str<'a>>,
    pub line: Option<u32>,
    pub unknown: Unknown<'a>,
}

/// A snippet: not a component, but its SPDXID is a valid relationship end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet<'a> {
    pub spdxid: Option<Str<'a>>,
    pub line: Option<u32>,
    pub unknown: Unknown<'a>,
}

/// One relationship as written (not yet mapped or flipped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relationship<'a> {
    pub element: Option<Str<'a>>,
    pub kind: Option<Str<'a>>,
    pub related: Option<Str<'a>>,
    pub line: Option<u32>,
    pub unknown: Unknown<'a>,
}

/// Reads the next value as an ignored one and records `key` as unknown under `context`.
fn skip_unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    unknown: &mut Unknown<'de>,
    context: &'static str,
    key: Str<'de>,
) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>()?;
    if &*key != LINE_KEY {
        unknown.push((context, key));
    }
    Ok(())
}

/// Implements `Deserialize` for a wire struct with a map visitor. Each arm is
/// `"key" => |map, value| expression`.
macro_rules! map_visitor {
    ($ty:ident, $what:literal, |$map:ident, $v:ident, $key:ident| { $($body:tt)* }) => {
        impl<'de> de::Deserialize<'de> for $ty<'de> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $ty<'de>;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut $map: A) -> Result<Self::Value, A::Error> {
                        let mut $v = $ty::default();
                        while let Some($key) = $map.next_key::<Str<'de>>()? {
                            $($body)*
                        }
                        Ok($v)
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}

map_visitor!(Checksum, "an SPDX checksum object", |map, c, key| {
    match &*key {
        "algorithm" => c.algorithm = map.next_value()?,
        "checksumValue" => c.value = map.next_value()?,
        _ => skip_unknown(&mut map, &mut c.unknown, "checksum", key)?,
    }
});

map_visitor!(ExternalRef, "an SPDX externalRef object", |map, r, key| {
    match &*key {
        "referenceCategory" => r.category = map.next_value()?,
        "referenceType" => r.kind = map.next_value()?,
        "referenceLocator" => r.locator = map.next_value()?,
        "comment" => {
            map.next_value::<IgnoredAny>()?;
        }
        _ => skip_unknown(&mut map, &mut r.unknown, "externalRef", key)?,
    }
});

map_visitor!(Package, "an SPDX package object", |map, p, key| {
    match &*key {
        "SPDXID" => p.spdxid = map.next_value()?,
        "name" => p.name = map.next_value()?,
        "versionInfo" => p.version = map.next_value()?,
        "supplier" => p.supplier = map.next_value()?,
        "originator" => p.originator = map.next_value()?,
        "downloadLocation" => p.download_location = map.next_value()?,
        "homepage" => p.homepage = map.next_value()?,
        "sourceInfo" => p.source_info = map.next_value()?,
        "externalRefs" => extend(&mut map, &mut p.external_refs)?,
        "checksums" => extend(&mut map, &mut p.checksums)?,
        "licenseConcluded" => p.license_concluded = map.next_value()?,
        "licenseDeclared" => p.license_declared = map.next_value()?,
        "copyrightText" => p.copyright = map.next_value()?,
        "description" => p.description = map.next_value()?,
        "summary" => p.summary = map.next_value()?,
        "packageFileName" => p.file_name = map.next_value()?,
        "filesAnalyzed" => p.files_analyzed = map.next_value()?,
        "hasFiles" => extend(&mut map, &mut p.has_files)?,
        "primaryPackagePurpose" => p.purpose = map.next_value()?,
        "annotations" => p.unknown.extend(map.next_value_seed(Check(&ANNOTATION))?),
        "packageVerificationCode" => p
            .unknown
            .extend(map.next_value_seed(Check(&VERIFICATION_CODE))?),
        "attributionTexts"
        | "builtDate"
        | "comment"
        | "licenseComments"
        | "licenseInfoFromFiles"
        | "releaseDate"
        | "validUntilDate" => {
            map.next_value::<IgnoredAny>()?;
        }
        LINE_KEY => p.line = Some(map.next_value::<u32>()?),
        _ => skip_unknown(&mut map, &mut p.unknown, "package", key)?,
    }
});

map_visitor!(File, "an SPDX file object", |map, f, key| {
    match &*key {
        "SPDXID" => f.spdxid = map.next_value()?,
        "fileName" => f.name = map.next_value()?,
        "checksums" => extend(&mut map, &mut f.checksums)?,
        "licenseConcluded" => f.license_concluded = map.next_value()?,
        "copyrightText" => f.copyright = map.next_value()?,
        "fileContributors" => extend(&mut map, &mut f.contributors)?,
        "annotations" => f.unknown.extend(map.next_value_seed(Check(&ANNOTATION))?),
        "artifactOfs" | "attributionTexts" | "comment" | "fileDependencies" | "fileTypes"
        | "licenseComments" | "licenseInfoInFiles" | "noticeText" => {
            map.next_value::<IgnoredAny>()?;
        }
        LINE_KEY => f.line = Some(map.next_value::<u32>()?),
        _ => skip_unknown(&mut map, &mut f.unknown, "file", key)?,
    }
});

map_visitor!(Snippet, "an SPDX snippet object", |map, s, key| {
    match &*key {
        "SPDXID" => s.spdxid = map.next_value()?,
        "ranges" => s.unknown.extend(map.next_value_seed(Check(&RANGE))?),
        "annotations" => s.unknown.extend(map.next_value_seed(Check(&ANNOTATION))?),
        "attributionTexts"
        | "comment"
        | "copyrightText"
        | "licenseComments"
        | "licenseConcluded"
        | "licenseInfoInSnippets"
        | "name"
        | "snippetFromFile" => {
            map.next_value::<IgnoredAny>()?;
        }
        LINE_KEY => s.line = Some(map.next_value::<u32>()?),
        _ => skip_unknown(&mut map, &mut s.unknown, "snippet", key)?,
    }
});

map_visitor!(
    Relationship,
    "an SPDX relationship object",
    |map, r, key| {
        match &*key {
            "spdxElementId" => r.element = map.next_value()?,
            "relationshipType" => r.kind = map.next_value()?,
            "relatedSpdxElement" => r.related = map.next_value()?,
            "comment" => {
                map.next_value::<IgnoredAny>()?;
            }
            LINE_KEY => r.line = Some(map.next_value::<u32>()?),
            _ => skip_unknown(&mut map, &mut r.unknown, "relationship", key)?,
        }
    }
);

/// Reads a whole SPDX 2 document (JSON, YAML or XML object), handing each element to `ing`.
pub(crate) struct DocSeed<'i, 'b> {
    pub ing: &'i mut Ingest<'b>,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an SPDX document object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ing = self.ing;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match &*key {
                "spdxVersion" => {
                    if let Some(v) = map.next_value::<Option<Str<'de>>>()? {
                        ing.spec_version(&v);
                    }
                }
                "SPDXID" => {
                    if let Some(v) = map.next_value::<Option<Str<'de>>>()? {
                        ing.document_id(&v);
                    }
                }
                "name" => {
                    if let Some(v) = map.next_value::<Option<Str<'de>>>()? {
                        ing.document_name(&v);
                    }
                }
                "documentNamespace" => {
                    if let Some(v) = map.next_value::<Option<Str<'de>>>()? {
                        ing.namespace(&v);
                    }
                }
                "documentDescribes" => {
                    let mut f = |s: Str<'de>| ing.describes(&s, None);
                    map.next_value_seed(Each::new(&mut f))?;
                }
                "packages" => {
                    let mut f = |p: Package<'de>| {
                        ing.package(p);
                    };
                    map.next_value_seed(Each::new(&mut f))?;
                }
                "files" => {
                    let mut f = |x: File<'de>| {
                        ing.file(x);
                    };
                    map.next_value_seed(Each::new(&mut f))?;
                }
                "snippets" => {
                    let mut f = |s: Snippet<'de>| ing.snippet(s);
                    map.next_value_seed(Each::new(&mut f))?;
                }
                "relationships" => {
                    let mut f = |r: Relationship<'de>| ing.relationship(r);
                    map.next_value_seed(Each::new(&mut f))?;
                }
                "creationInfo" => {
                    let u = map.next_value_seed(Check(&CREATION_INFO))?;
                    ing.document_unknown("creationInfo", u);
                }
                "externalDocumentRefs" => {
                    let u = map.next_value_seed(Check(&EXTERNAL_DOCUMENT_REF))?;
                    ing.document_unknown("externalDocumentRefs", u);
                }
                "hasExtractedLicensingInfos" => {
                    let u = map.next_value_seed(Check(&EXTRACTED_LICENSE))?;
                    ing.document_unknown("hasExtractedLicensingInfos", u);
                }
                "annotations" => {
                    let u = map.next_value_seed(Check(&ANNOTATION))?;
                    ing.document_unknown("annotations", u);
                }
                "revieweds" => {
                    let u = map.next_value_seed(Check(&REVIEWED))?;
                    ing.document_unknown("revieweds", u);
                }
                "dataLicense" | "comment" | "$schema" => {
                    map.next_value::<IgnoredAny>()?;
                }
                LINE_KEY => {
                    let line = map.next_value::<u32>()?;
                    ing.document_line(line);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    ing.document_unknown_key(&key);
                }
            }
        }
        Ok(())
    }
}
