//! CycloneDX JSON (1.2–1.7; older documents in JSON are read the same way) into the model.
//!
//! One pass over the text with serde_json and hand-written visitors: strings are borrowed
//! from the input where they have no escapes (and copied into the model's arena once kept,
//! see [`crate::sbom::text`]), every value bomvet does not need is skipped with
//! [`IgnoredAny`] (no `serde_json::Value` is ever built), and unknown keys are noticed while
//! skipping. A stack of path segments is kept while reading so that warnings, unknown keys and
//! wrong-type errors carry a JSON pointer (`/components/3/hashes/0`).
//!
//! Mapping decisions (the model has one slot where CycloneDX has several):
//! - `metadata.component` is a component with `is_metadata`, the declared root, and gives the
//!   document its name. `metadata.supplier` and `metadata.manufacturer` (1.6) or the legacy
//!   `metadata.manufacture` fill the subject's supplier / manufacturer when it has none.
//! - Nested `components` are `Contains` edges parent → child. Pedigree `ancestors`,
//!   `descendants` and `variants` are components too (flagged `is_pedigree`, with everything
//!   nested in them, so they are not counted) with `Ancestor` / `Descendant` / `Variant` edges
//!   from the component whose pedigree they are.
//! - The legacy `author` string becomes a party of kind `Unprefixed` (it may name a person or an
//!   organisation; see [`common::author_party`]); 1.6 `authors` are `Person` parties.
//! - Extra CPEs: properties named `…cpe` / `…:cpe23` whose value starts with `cpe:` (syft), and
//!   `evidence.identity` entries with `field: "cpe"` and a `concludedValue`, are added to `cpes`
//!   after the `cpe` field (duplicates dropped). An identity with `field: "purl"` fills `purl`
//!   when the component has none; when it differs from the declared purl it is kept as the
//!   property `bomvet:evidence-purl` (the model has one purl), and `field: "name"` fills a
//!   missing name.
//! - File names: `evidence.occurrences[].location` and the values of identity methods whose
//!   technique is `filename`.
//! - Licences: `license.id`, else `license.name`, and `expression`, as written.
//! - `dependencies[].dependsOn` → `DependsOn(Unspecified)`, 1.6 `provides` →
//!   `Other("provides")`. Services' `bom-ref`s (at any depth) are declared non-components so that
//!   dependencies on services are dropped without a dangling-reference warning.
//!
//! Everything the schema defines but bomvet does not need (compositions, vulnerabilities,
//! formulation, tools, signatures, …) is skipped silently; keys no CycloneDX 1.2–1.7 schema
//! defines for the object (and that do not start with `$`) are reported as unknown fields.
//! Schema violations that do not stop the reading (unknown component type, bad hash, missing
//! name, …) are warnings, aggregated per kind so that a million bad components give one line.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use thin_vec::ThinVec;

use rustc_hash::FxHashMap;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::common::{self, HashProblem};
use crate::sbom::builder::occurrences;
use crate::sbom::model::{
    Address, CompId, Component, DepScope, Hash, Link, Location, Party, PartyKind, RelKind, Swid,
    Text,
};
use crate::sbom::{push_index, Builder, IngestError, Limits};

const FORMAT: &str = "CycloneDX JSON";

/// About how many references the `dependsOn` and `provides` lists of `text` hold: the quoted
/// strings between each such key's `[` (within a few bytes of it) and the next `]`. A hint for
/// [`Builder::reserve_edges`] only (a `]` inside a reference ends a list early, escaped quotes
/// count double), found without parsing in linear time: lists are scanned once each, and keys
/// inside a list already scanned are skipped.
fn dependency_items(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut items = 0;
    for key in [&b"\"dependsOn\""[..], b"\"provides\""] {
        let mut scanned = 0;
        for at in memchr::memmem::find_iter(bytes, key) {
            if at < scanned {
                continue;
            }
            let after = at + key.len();
            let window = &bytes[after..bytes.len().min(after + 64)];
            let Some(open) = memchr::memchr(b'[', window) else {
                continue;
            };
            let start = after + open;
            let Some(len) = memchr::memchr(b']', &bytes[start..]) else {
                break;
            };
            items += memchr::memchr_iter(b'"', &bytes[start..start + len]).count() / 2;
            scanned = start + len;
        }
    }
    items
}

/// Read a CycloneDX JSON document into `b`.
pub fn read(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    // Most documents give every component a `bom-ref`.
    let refs = occurrences(text, b"\"bom-ref\"");
    b.reserve_components(text, refs, 64);
    // Edges: the dependency lists' references, plus at most one `contains` or pedigree edge
    // per component (room never used is never touched: see `Builder::reserve_edges`).
    b.reserve_edges(text, dependency_items(text) + refs, 16);
    let mut ctx = Ctx::new(b, limits);
    let mut de = serde_json::Deserializer::from_str(text);
    let res = BomSeed { ctx: &mut ctx }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match res {
        Ok(()) => {
            ctx.flush_notes();
            Ok(())
        }
        Err(e) => Err(ctx.error(&e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading context: builder, JSON path, depth, aggregated warnings.

/// One step of the JSON pointer to the value being read.
#[derive(Debug)]
enum Seg {
    Key(&'static str),
    Index(usize),
    /// A key written by the document (only pushed on the error path, so the allocation is rare).
    Owned(String),
}

/// A warning kept back so that repeats are counted instead of repeated.
struct Note {
    code: &'static str,
    message: String,
    location: Location,
    count: usize,
}

struct Ctx<'b> {
    b: &'b mut Builder,
    path: Vec<Seg>,
    /// Nesting of components and services.
    depth: usize,
    max_depth: usize,
    /// An error decided by the reader itself (not-an-SBOM, too deep), returned instead of the
    /// serde error that carried it out of the visitors.
    fatal: Option<IngestError>,
    notes: Vec<Note>,
    note_index: FxHashMap<(&'static str, String), usize>,
}

impl<'b> Ctx<'b> {
    fn new(b: &'b mut Builder, limits: &Limits) -> Self {
        Ctx {
            b,
            path: Vec::with_capacity(16),
            depth: 0,
            max_depth: limits.max_depth,
            fatal: None,
            notes: Vec::new(),
            note_index: FxHashMap::default(),
        }
    }

    /// The JSON pointer of the value being read, with `extra` appended as one more key.
    fn pointer_with(&self, extra: Option<&str>) -> String {
        pointer_of(&self.path, extra)
    }

    fn pointer(&self) -> String {
        self.pointer_with(None)
    }

    /// A warning at the current position (`sub`: a key below it), aggregated by
    /// (`code`, `group`): the first one is shown with the number of repeats.
    fn note(
        &mut self,
        code: &'static str,
        group: &str,
        sub: Option<&str>,
        message: impl FnOnce() -> String,
    ) {
        if let Some(&i) = self.note_index.get(&(code, group.to_string())) {
            self.notes[i].count += 1;
            return;
        }
        let location = Location::pointer(self.pointer_with(sub));
        self.note_index
            .insert((code, group.to_string()), self.notes.len());
        self.notes.push(Note {
            code,
            message: message(),
            location,
            count: 1,
        });
    }

    /// A key no CycloneDX schema defines for `context`.
    fn unknown(&mut self, context: &'static str, key: &str) {
        if key.starts_with('$') {
            return;
        }
        let Ctx { b, path, .. } = self;
        b.unknown_field(context, key, || {
            Location::pointer(pointer_of(path, Some(key)))
        });
    }

    fn flush_notes(&mut self) {
        for n in std::mem::take(&mut self.notes) {
            let message = if n.count > 1 {
                format!("{} ({} times; first shown)", n.message, n.count)
            } else {
                n.message
            };
            self.b.warn(n.code, message, n.location);
        }
    }

    /// One level deeper into components / services.
    fn enter<E: de::Error>(&mut self) -> Result<(), E> {
        self.depth += 1;
        if self.depth > self.max_depth {
            self.fatal = Some(IngestError::TooDeep {
                limit: self.max_depth,
                location: Location::pointer(self.pointer()),
            });
            return Err(E::custom("nesting too deep"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn fail<E: de::Error>(&mut self, err: IngestError) -> E {
        self.fatal = Some(err);
        E::custom("stop")
    }

    /// Turn a serde error into an [`IngestError`] located by the path at the point of failure.
    fn error(&mut self, e: &serde_json::Error) -> IngestError {
        if let Some(f) = self.fatal.take() {
            return f;
        }
        let mut err = IngestError::from_json(FORMAT, e);
        if let IngestError::Type { location, .. } | IngestError::TooDeep { location, .. } = &mut err
        {
            location.pointer = Some(self.pointer().into());
        }
        err
    }
}

fn pointer_of(path: &[Seg], extra: Option<&str>) -> String {
    let mut s = String::with_capacity(48);
    for seg in path {
        s.push('/');
        match seg {
            Seg::Key(k) => push_escaped(&mut s, k),
            Seg::Owned(k) => push_escaped(&mut s, k),
            Seg::Index(i) => push_index(&mut s, *i),
        }
    }
    if let Some(k) = extra {
        s.push('/');
        push_escaped(&mut s, k);
    }
    s
}

/// Append a decimal index (the formatting machinery is slow for this hot path).
fn push_escaped(s: &mut String, key: &str) {
    if key.contains(['~', '/']) {
        s.push_str(&key.replace('~', "~0").replace('/', "~1"));
    } else {
        s.push_str(key);
    }
}

/// Descend into `key` while `$e` reads its value: the segment stays on the stack if `$e` fails,
/// so the error is located at the deepest point reached.
macro_rules! descend {
    ($ctx:expr, $key:expr, $e:expr) => {{
        $ctx.path.push(Seg::Key($key));
        let v = $e?;
        $ctx.path.pop();
        v
    }};
}

// ---------------------------------------------------------------------------------------------
// Leaf values.

/// A string borrowed from the input when it has no escapes.
struct Str<'de>(Cow<'de, str>);

impl Str<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
    fn into_string(self) -> String {
        self.0.into_owned()
    }
    /// As model text (copied into the document's arena).
    fn into_text(self, b: &Builder) -> Text {
        b.text(&self.0)
    }
}

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// An optional string: `null` is `None`. Read with `deserialize_any`, which looks at the value
/// once (an `Option<Str>` would skip whitespace and peek twice).
struct OptStr<'de>(Option<Str<'de>>);

impl<'de> Deserialize<'de> for OptStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OptStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<OptStr<'de>, E> {
                Ok(OptStr(Some(Str(Cow::Borrowed(v)))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OptStr<'de>, E> {
                Ok(OptStr(Some(Str(Cow::Owned(v.to_owned())))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<OptStr<'de>, E> {
                Ok(OptStr(Some(Str(Cow::Owned(v)))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<OptStr<'de>, E> {
                Ok(OptStr(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<OptStr<'de>, E> {
                Ok(OptStr(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// An optional string value of `key` (`null` is absent).
fn opt_str<'de, A: MapAccess<'de>>(
    map: &mut A,
    ctx: &mut Ctx<'_>,
    key: &'static str,
) -> Result<Option<Str<'de>>, A::Error> {
    Ok(value::<A, OptStr<'de>>(map, ctx, key)?.0)
}

/// Read the value of `key` as `T`; on failure the key is added to the path.
fn value<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    ctx: &mut Ctx<'_>,
    key: &'static str,
) -> Result<T, A::Error> {
    map.next_value::<T>().inspect_err(|_| {
        ctx.path.push(Seg::Key(key));
    })
}

/// An optional string (`null` is absent).
fn string<'de, A: MapAccess<'de>>(
    map: &mut A,
    ctx: &mut Ctx<'_>,
    key: &'static str,
) -> Result<Option<Text>, A::Error> {
    Ok(opt_str(map, ctx, key)?.map(|s| s.into_text(ctx.b)))
}

/// An optional array of strings (`null` is absent).
fn strings<'de, A: MapAccess<'de>>(
    map: &mut A,
    ctx: &mut Ctx<'_>,
    key: &'static str,
) -> Result<Vec<Str<'de>>, A::Error> {
    Ok(value::<A, Option<Vec<Str<'de>>>>(map, ctx, key)?.unwrap_or_default())
}

/// Skip the value of a key the document wrote.
fn skip<'de, A: MapAccess<'de>>(map: &mut A, ctx: &mut Ctx<'_>, key: &str) -> Result<(), A::Error> {
    match map.next_value::<IgnoredAny>() {
        Ok(_) => Ok(()),
        Err(e) => {
            ctx.path.push(Seg::Owned(key.to_string()));
            Err(e)
        }
    }
}

/// Skip the value of `key`, reporting it as unknown in `context` unless the schema defines it.
fn skip_checked<'de, A: MapAccess<'de>>(
    map: &mut A,
    ctx: &mut Ctx<'_>,
    context: &'static str,
    known: &[&str],
    key: &str,
) -> Result<(), A::Error> {
    if !known.contains(&key) {
        ctx.unknown(context, key);
    }
    skip(map, ctx, key)
}

// ---------------------------------------------------------------------------------------------
// Generic object / array seeds over a context.

/// An object type read with the context at hand.
trait MapNode<'de>: Sized {
    /// What the object is, for "expected …" messages.
    const NAME: &'static str;
    /// Read one object; `None` leaves it out (of an array, or as an absent value).
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, map: A) -> Result<Option<Self>, A::Error>;
}

/// One optional object (`null` reads as `None`).
struct Obj<'c, 'b, T> {
    ctx: &'c mut Ctx<'b>,
    _t: PhantomData<T>,
}

fn obj<'c, 'b, T>(ctx: &'c mut Ctx<'b>) -> Obj<'c, 'b, T> {
    Obj {
        ctx,
        _t: PhantomData,
    }
}

impl<'de, T: MapNode<'de>> DeserializeSeed<'de> for Obj<'_, '_, T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: MapNode<'de>> Visitor<'de> for Obj<'_, '_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_map(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::visit(self.ctx, map)
    }
}

/// An optional array of objects (`null` array or elements are skipped).
struct Arr<'c, 'b, T> {
    ctx: &'c mut Ctx<'b>,
    _t: PhantomData<T>,
}

fn arr<'c, 'b, T>(ctx: &'c mut Ctx<'b>) -> Arr<'c, 'b, T> {
    Arr {
        ctx,
        _t: PhantomData,
    }
}

impl<'de, T: MapNode<'de>> DeserializeSeed<'de> for Arr<'_, '_, T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: MapNode<'de>> Visitor<'de> for Arr<'_, '_, T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an array of objects ({})", T::NAME)
    }
    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<T>, S::Error> {
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            self.ctx.path.push(Seg::Index(i));
            match seq.next_element_seed(obj::<T>(self.ctx))? {
                Some(Some(v)) => out.push(v),
                Some(None) => {}
                None => {
                    self.ctx.path.pop();
                    return Ok(out);
                }
            }
            self.ctx.path.pop();
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The BOM.

const BOM_KEYS: &[&str] = &[
    "bomFormat",
    "specVersion",
    "serialNumber",
    "version",
    "metadata",
    "components",
    "services",
    "externalReferences",
    "dependencies",
    "compositions",
    "properties",
    "vulnerabilities",
    "annotations",
    "formulation",
    "declarations",
    "definitions",
    "citations",
    "signature",
];

struct BomSeed<'c, 'b> {
    ctx: &'c mut Ctx<'b>,
}

impl<'de> DeserializeSeed<'de> for BomSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BomSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a CycloneDX BOM object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut saw_format = false;
        let mut saw_version = false;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "bomFormat" => {
                    let Some(f) = opt_str(&mut map, ctx, "bomFormat")? else {
                        continue;
                    };
                    saw_format = true;
                    let f = f.as_str().trim();
                    if f != "CycloneDX" {
                        if f.eq_ignore_ascii_case("CycloneDX") {
                            ctx.note("invalid-bom-format", "case", Some("bomFormat"), || {
                                format!("bomFormat is {f:?}; the schema spells it \"CycloneDX\"")
                            });
                        } else {
                            let err = IngestError::NotSbom {
                                found: format!("a JSON document with bomFormat {f:?}"),
                                looked_for: "bomFormat \"CycloneDX\"".into(),
                            };
                            return Err(ctx.fail(err));
                        }
                    }
                }
                "specVersion" => {
                    if let Some(v) = string(&mut map, ctx, "specVersion")? {
                        saw_version = true;
                        if !common::is_known_spec_version(&v) {
                            ctx.note("unknown-spec-version", "", Some("specVersion"), || {
                                format!("specVersion {v:?} is not a CycloneDX version bomvet knows (1.0-1.7); read as the latest")
                            });
                        }
                        ctx.b.spec_version = v.trim().to_string();
                    }
                }
                "serialNumber" => {
                    if let Some(s) = string(&mut map, ctx, "serialNumber")? {
                        if !common::is_valid_serial_number(&s) {
                            ctx.note("invalid-serial-number", "", Some("serialNumber"), || {
                                format!("serialNumber {s:?} is not `urn:uuid:` and a UUID")
                            });
                        }
                        ctx.b.serial = Some(s.to_string());
                    }
                }
                "metadata" => {
                    let meta = descend!(ctx, "metadata", map.next_value_seed(obj::<Meta>(ctx)));
                    if let Some(meta) = meta {
                        add_metadata(ctx, meta);
                    }
                }
                "components" => {
                    descend!(
                        ctx,
                        "components",
                        map.next_value_seed(TopComponents { ctx: &mut *ctx })
                    );
                }
                "dependencies" => {
                    descend!(
                        ctx,
                        "dependencies",
                        map.next_value_seed(arr::<Dependency>(ctx))
                    );
                }
                "services" => {
                    descend!(ctx, "services", map.next_value_seed(arr::<Service>(ctx)));
                }
                k => skip_checked(&mut map, ctx, "bom", BOM_KEYS, k)?,
            }
        }
        if !saw_format {
            ctx.note("missing-field", "bomFormat", None, || {
                "the BOM has no `bomFormat` (required: \"CycloneDX\")".into()
            });
        }
        if !saw_version {
            ctx.note("missing-field", "specVersion", None, || {
                "the BOM has no `specVersion`".into()
            });
        }
        Ok(())
    }
}

/// The top-level `components`: each tree goes to the builder as soon as it is read.
struct TopComponents<'c, 'b> {
    ctx: &'c mut Ctx<'b>,
}

impl<'de> DeserializeSeed<'de> for TopComponents<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for TopComponents<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects (component)")
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let ctx = self.ctx;
        let mut i = 0;
        loop {
            ctx.path.push(Seg::Index(i));
            match seq.next_element_seed(obj::<Node>(ctx))? {
                Some(Some(node)) => {
                    add_tree(ctx.b, node, false);
                }
                Some(None) => {}
                None => {
                    ctx.path.pop();
                    return Ok(());
                }
            }
            ctx.path.pop();
            i += 1;
        }
    }
}

/// Add a component tree in document order (parent first) with its containment and pedigree
/// edges; returns the id of the tree's root.
fn add_tree(b: &mut Builder, node: Node, pedigree: bool) -> CompId {
    let Node {
        mut comp,
        children,
        pedigree: ped,
    } = node;
    comp.is_pedigree = pedigree;
    let id = b.add_component(comp);
    for child in children {
        let cid = add_tree(b, child, pedigree);
        b.edge(id, cid, RelKind::Contains);
    }
    if let Some(p) = ped {
        for (list, kind) in [
            (p.ancestors, RelKind::Ancestor),
            (p.descendants, RelKind::Descendant),
            (p.variants, RelKind::Variant),
        ] {
            for n in list {
                let pid = add_tree(b, n, true);
                b.edge(id, pid, kind.clone());
            }
        }
    }
    id
}

// ---------------------------------------------------------------------------------------------
// Metadata.

const META_KEYS: &[&str] = &[
    "timestamp",
    "lifecycles",
    "tools",
    "authors",
    "component",
    "manufacture",
    "manufacturer",
    "supplier",
    "licenses",
    "properties",
    "distributionConstraints",
];

struct Meta {
    component: Option<Node>,
    supplier: Option<Party>,
    manufacture: Option<Party>,
    manufacturer: Option<Party>,
}

impl<'de> MapNode<'de> for Meta {
    const NAME: &'static str = "metadata";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut m = Meta {
            component: None,
            supplier: None,
            manufacture: None,
            manufacturer: None,
        };
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "component" => {
                    m.component = descend!(ctx, "component", map.next_value_seed(obj::<Node>(ctx)));
                }
                "supplier" => {
                    m.supplier = descend!(ctx, "supplier", map.next_value_seed(obj::<Org>(ctx)))
                        .map(|o| o.0);
                }
                "manufacture" => {
                    m.manufacture =
                        descend!(ctx, "manufacture", map.next_value_seed(obj::<Org>(ctx)))
                            .map(|o| o.0);
                }
                "manufacturer" => {
                    m.manufacturer =
                        descend!(ctx, "manufacturer", map.next_value_seed(obj::<Org>(ctx)))
                            .map(|o| o.0);
                }
                "timestamp" => {
                    if let Some(t) = string(&mut map, ctx, "timestamp")? {
                        if !common::is_date_time(&t) {
                            ctx.note("invalid-timestamp", "", Some("timestamp"), || {
                                format!(
                                    "metadata timestamp {t:?} is not a date-time with a time zone"
                                )
                            });
                        }
                    }
                }
                k => skip_checked(&mut map, ctx, "metadata", META_KEYS, k)?,
            }
        }
        Ok(Some(m))
    }
}

fn add_metadata(ctx: &mut Ctx<'_>, meta: Meta) {
    let Some(mut node) = meta.component else {
        return;
    };
    let c = &mut node.comp;
    c.is_metadata = true;
    if c.supplier.is_none() {
        c.supplier = meta.supplier;
    }
    if c.manufacturer.is_none() {
        c.manufacturer = meta.manufacturer.or(meta.manufacture).map(Box::new);
    }
    let name = c.name.trim();
    if !name.is_empty() && ctx.b.name.is_none() {
        ctx.b.name = Some(name.to_string());
    }
    let id = add_tree(ctx.b, node, false);
    ctx.b.root(id);
}

// ---------------------------------------------------------------------------------------------
// Components.

const COMPONENT_KEYS: &[&str] = &[
    "type",
    "mime-type",
    "bom-ref",
    "supplier",
    "manufacturer",
    "authors",
    "author",
    "publisher",
    "group",
    "name",
    "version",
    "versionRange",
    "isExternal",
    "description",
    "scope",
    "hashes",
    "licenses",
    "copyright",
    "patentAssertions",
    "cpe",
    "purl",
    "omniborId",
    "swhid",
    "swid",
    "modified",
    "pedigree",
    "externalReferences",
    "properties",
    "components",
    "evidence",
    "releaseNotes",
    "modelCard",
    "data",
    "cryptoProperties",
    "tags",
    "signature",
];

/// A component read with the components nested in it.
struct Node {
    comp: Component,
    children: Vec<Node>,
    pedigree: Option<Pedigree>,
}

impl<'de> MapNode<'de> for Node {
    const NAME: &'static str = "component";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        ctx.enter()?;
        let mut c = Component::default();
        let mut children = Vec::new();
        let mut pedigree = None;
        let mut evidence: Option<Evidence> = None;
        let mut has_name = false;
        let mut empty_ref = false;
        let mut version_range = false;
        let mut is_external = false;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "bom-ref" => {
                    if let Some(r) = opt_str(&mut map, ctx, "bom-ref")? {
                        if r.as_str().trim().is_empty() {
                            empty_ref = true;
                        } else {
                            c.bom_ref = r.into_text(ctx.b);
                        }
                    }
                }
                "type" => {
                    c.kind = string(&mut map, ctx, "type")?;
                }
                "name" => {
                    if let Some(n) = string(&mut map, ctx, "name")? {
                        has_name = true;
                        c.name = n;
                    }
                }
                "version" => c.version = string(&mut map, ctx, "version")?,
                "group" => c.group = string(&mut map, ctx, "group")?,
                "purl" => {
                    c.purl = string(&mut map, ctx, "purl")?.filter(|p| !p.trim().is_empty());
                }
                "cpe" => {
                    if let Some(cpe) = opt_str(&mut map, ctx, "cpe")? {
                        if !cpe.as_str().trim().is_empty() {
                            c.cpes.insert(0, cpe.into_text(ctx.b));
                        }
                    }
                }
                "swid" => {
                    c.swid = descend!(ctx, "swid", map.next_value_seed(obj::<SwidNode>(ctx)))
                        .map(|s| s.0)
                        .map(Box::new)
                }
                "hashes" => {
                    let hs = descend!(ctx, "hashes", map.next_value_seed(arr::<Hash>(ctx)));
                    append(&mut c.hashes, hs);
                }
                "supplier" => {
                    c.supplier = descend!(ctx, "supplier", map.next_value_seed(obj::<Org>(ctx)))
                        .map(|o| o.0);
                }
                "manufacturer" => {
                    c.manufacturer =
                        descend!(ctx, "manufacturer", map.next_value_seed(obj::<Org>(ctx)))
                            .map(|o| o.0)
                            .map(Box::new);
                }
                "authors" => {
                    let people = descend!(ctx, "authors", map.next_value_seed(arr::<Contact>(ctx)));
                    c.authors
                        .extend(people.into_iter().filter_map(Contact::person));
                }
                "author" => {
                    if let Some(a) = opt_str(&mut map, ctx, "author")? {
                        c.authors.extend(common::author_party(a.as_str()));
                    }
                }
                "publisher" => c.publisher = string(&mut map, ctx, "publisher")?,
                "licenses" => {
                    let ls = descend!(
                        ctx,
                        "licenses",
                        map.next_value_seed(arr::<LicenseNode>(ctx))
                    );
                    for l in ls {
                        c.licenses.extend(l.license);
                        c.licenses.extend(l.expression);
                    }
                }
                "copyright" => c.copyright = string(&mut map, ctx, "copyright")?,
                "description" => c.description = string(&mut map, ctx, "description")?,
                "scope" => {
                    if let Some(s) = string(&mut map, ctx, "scope")? {
                        c.scope = Some(match common::canonical_scope(&s) {
                            Some(k) => k.to_string().into(),
                            None => {
                                ctx.note("unknown-scope", &s, Some("scope"), || {
                                    format!("component scope {s:?} is not required, optional or excluded; kept as written")
                                });
                                s
                            }
                        });
                    }
                }
                "properties" => {
                    let ps = descend!(
                        ctx,
                        "properties",
                        map.next_value_seed(arr::<(Text, Text)>(ctx))
                    );
                    append(&mut c.properties, ps);
                }
                "externalReferences" => {
                    let rs = descend!(
                        ctx,
                        "externalReferences",
                        map.next_value_seed(arr::<Link>(ctx))
                    );
                    append(&mut c.links, rs);
                }
                "evidence" => {
                    evidence = descend!(ctx, "evidence", map.next_value_seed(obj::<Evidence>(ctx)));
                }
                "components" => {
                    children = descend!(ctx, "components", map.next_value_seed(arr::<Node>(ctx)));
                }
                "pedigree" => {
                    pedigree = descend!(ctx, "pedigree", map.next_value_seed(obj::<Pedigree>(ctx)));
                }
                "versionRange" => {
                    version_range = opt_str(&mut map, ctx, "versionRange")?.is_some();
                }
                "isExternal" => {
                    is_external =
                        value::<A, Option<bool>>(&mut map, ctx, "isExternal")? == Some(true);
                }
                k => skip_checked(&mut map, ctx, "component", COMPONENT_KEYS, k)?,
            }
        }

        // Identifiers found in properties and evidence come after the `cpe` field.
        for (name, v) in &c.properties {
            if common::is_cpe_property(name) && common::looks_like_cpe(v) {
                let v = v.trim();
                if !c.cpes.iter().any(|x| x == v) {
                    c.cpes.push(v.to_string().into());
                }
            }
        }
        if let Some(ev) = evidence {
            apply_evidence(&mut c, ev);
        }

        if empty_ref {
            ctx.note("empty-ref", "component", Some("bom-ref"), || {
                "component has an empty `bom-ref`; a reference is made up for it".into()
            });
        }
        if !has_name {
            ctx.note("missing-field", "component.name", None, || {
                "component has no `name` (required); kept without one".into()
            });
        }
        match c.kind.as_deref() {
            None => ctx.note("missing-field", "component.type", None, || {
                "component has no `type` (required)".into()
            }),
            Some(t) if !common::is_known_component_type(t) => {
                let t = t.to_string();
                ctx.note("unknown-component-type", &t, Some("type"), || {
                    format!("component type {t:?} is none that CycloneDX defines; kept as written")
                })
            }
            _ => {}
        }
        if version_range && c.version.is_some() {
            ctx.note("invalid-version-range", "both", None, || {
                "component has both `version` and `versionRange`".into()
            });
        } else if version_range && !is_external {
            ctx.note("invalid-version-range", "not-external", None, || {
                "component has a `versionRange` but is not `isExternal`".into()
            });
        }

        // In the arena: a pointer per component is a string per component.
        c.location = Location::pointer(ctx.b.text(&ctx.pointer()));
        ctx.leave();
        Ok(Some(Node {
            comp: c,
            children,
            pedigree,
        }))
    }
}

/// Move `src` to the end of `dst` (into an exact-size list when `dst` is empty, the usual case).
fn append<T>(dst: &mut ThinVec<T>, src: Vec<T>) {
    if dst.is_empty() {
        *dst = ThinVec::from(src);
    } else {
        dst.extend(src);
    }
}

/// Evidence collected from `evidence` (borrowed from the input) and applied once the whole
/// component is known.
#[derive(Default)]
struct Evidence<'de> {
    /// (field, concluded value) of identity evidence with a concluded value.
    concluded: Vec<(Str<'de>, Str<'de>)>,
    file_names: Vec<Str<'de>>,
}

fn apply_evidence(c: &mut Component, ev: Evidence<'_>) {
    for (field, value) in ev.concluded {
        let v = value.as_str().trim();
        if v.is_empty() {
            continue;
        }
        match field.as_str() {
            "cpe" if !c.cpes.iter().any(|x| x == v) => c.cpes.push(v.to_string().into()),
            "purl" => match &c.purl {
                None => c.purl = Some(v.to_string().into()),
                Some(p) if p == v => {}
                Some(_) => {
                    if !c
                        .properties
                        .iter()
                        .any(|(k, x)| k == "bomvet:evidence-purl" && x == v)
                    {
                        c.properties
                            .push(("bomvet:evidence-purl".into(), v.to_string().into()));
                    }
                }
            },
            "name" if c.name.trim().is_empty() => c.name = v.to_string().into(),
            _ => {}
        }
    }
    for f in ev.file_names {
        let f = f.as_str();
        if !f.trim().is_empty() && !c.file_names.iter().any(|x| x == f) {
            c.file_names.push(f.to_string().into());
        }
    }
}

const EVIDENCE_KEYS: &[&str] = &[
    "licenses",
    "copyright",
    "identity",
    "occurrences",
    "callstack",
];

impl<'de> MapNode<'de> for Evidence<'de> {
    const NAME: &'static str = "component evidence";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut ev = Evidence::default();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "identity" => {
                    let ids = descend!(
                        ctx,
                        "identity",
                        map.next_value_seed(IdentitySeed { ctx: &mut *ctx })
                    );
                    for id in ids {
                        ev.file_names.extend(id.file_names);
                        if let (Some(f), Some(v)) = (id.field, id.concluded) {
                            ev.concluded.push((f, v));
                        }
                    }
                }
                "occurrences" => {
                    let occ = descend!(
                        ctx,
                        "occurrences",
                        map.next_value_seed(arr::<Occurrence>(ctx))
                    );
                    ev.file_names.extend(occ.into_iter().map(|o| o.0));
                }
                k => skip_checked(&mut map, ctx, "component evidence", EVIDENCE_KEYS, k)?,
            }
        }
        Ok(Some(ev))
    }
}

/// `evidence.identity`: one object (1.5) or an array of them (1.6+).
struct IdentitySeed<'c, 'b> {
    ctx: &'c mut Ctx<'b>,
}

impl<'de> DeserializeSeed<'de> for IdentitySeed<'_, '_> {
    type Value = Vec<Identity<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IdentitySeed<'_, '_> {
    type Value = Vec<Identity<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an identity evidence object or an array of them")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(Identity::visit(self.ctx, map)?.into_iter().collect())
    }
    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        arr::<Identity>(self.ctx).visit_seq(seq)
    }
}

const IDENTITY_KEYS: &[&str] = &["field", "confidence", "concludedValue", "methods", "tools"];

struct Identity<'de> {
    field: Option<Str<'de>>,
    concluded: Option<Str<'de>>,
    /// Values of methods whose technique is `filename`.
    file_names: Vec<Str<'de>>,
}

impl<'de> MapNode<'de> for Identity<'de> {
    const NAME: &'static str = "identity evidence";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut id = Identity {
            field: None,
            concluded: None,
            file_names: Vec::new(),
        };
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "field" => id.field = opt_str(&mut map, ctx, "field")?,
                "concludedValue" => id.concluded = opt_str(&mut map, ctx, "concludedValue")?,
                "methods" => {
                    let ms = descend!(ctx, "methods", map.next_value_seed(arr::<Method>(ctx)));
                    id.file_names.extend(ms.into_iter().map(|m| m.0));
                }
                k => skip_checked(&mut map, ctx, "identity evidence", IDENTITY_KEYS, k)?,
            }
        }
        Ok(Some(id))
    }
}

const METHOD_KEYS: &[&str] = &["technique", "confidence", "value"];

/// The value of an identity method whose technique is `filename` (other methods are dropped).
struct Method<'de>(Str<'de>);

impl<'de> MapNode<'de> for Method<'de> {
    const NAME: &'static str = "identity evidence method";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut filename = false;
        let mut val: Option<Str<'de>> = None;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "technique" => {
                    filename = opt_str(&mut map, ctx, "technique")?
                        .is_some_and(|t| t.as_str() == "filename");
                }
                "value" => val = opt_str(&mut map, ctx, "value")?,
                k => skip_checked(&mut map, ctx, "identity evidence method", METHOD_KEYS, k)?,
            }
        }
        Ok(val.filter(|_| filename).map(Method))
    }
}

const OCCURRENCE_KEYS: &[&str] = &[
    "bom-ref",
    "location",
    "line",
    "offset",
    "symbol",
    "additionalContext",
];

/// The `location` of an occurrence.
struct Occurrence<'de>(Str<'de>);

impl<'de> MapNode<'de> for Occurrence<'de> {
    const NAME: &'static str = "occurrence";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut loc: Option<Str<'de>> = None;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "location" => loc = opt_str(&mut map, ctx, "location")?,
                k => skip_checked(&mut map, ctx, "occurrence", OCCURRENCE_KEYS, k)?,
            }
        }
        Ok(loc.map(Occurrence))
    }
}

const PEDIGREE_KEYS: &[&str] = &[
    "ancestors",
    "descendants",
    "variants",
    "commits",
    "patches",
    "notes",
];

struct Pedigree {
    ancestors: Vec<Node>,
    descendants: Vec<Node>,
    variants: Vec<Node>,
}

impl<'de> MapNode<'de> for Pedigree {
    const NAME: &'static str = "pedigree";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut p = Pedigree {
            ancestors: Vec::new(),
            descendants: Vec::new(),
            variants: Vec::new(),
        };
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "ancestors" => {
                    p.ancestors = descend!(ctx, "ancestors", map.next_value_seed(arr::<Node>(ctx)));
                }
                "descendants" => {
                    p.descendants =
                        descend!(ctx, "descendants", map.next_value_seed(arr::<Node>(ctx)));
                }
                "variants" => {
                    p.variants = descend!(ctx, "variants", map.next_value_seed(arr::<Node>(ctx)));
                }
                k => skip_checked(&mut map, ctx, "pedigree", PEDIGREE_KEYS, k)?,
            }
        }
        Ok(Some(p))
    }
}

// ---------------------------------------------------------------------------------------------
// Parts of a component.

const SWID_KEYS: &[&str] = &[
    "tagId",
    "name",
    "version",
    "tagVersion",
    "patch",
    "text",
    "url",
];

struct SwidNode(Swid);

impl<'de> MapNode<'de> for SwidNode {
    const NAME: &'static str = "swid";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut s = Swid::default();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "tagId" => s.tag_id = string(&mut map, ctx, "tagId")?,
                "name" => s.name = string(&mut map, ctx, "name")?,
                "version" => s.version = string(&mut map, ctx, "version")?,
                // Not in any CycloneDX schema (so still reported as unknown), but when a
                // document does carry the SWID registration id, it is the one bomvet wants.
                "regid" => {
                    ctx.unknown("swid", "regid");
                    s.regid = string(&mut map, ctx, "regid")?;
                }
                k => skip_checked(&mut map, ctx, "swid", SWID_KEYS, k)?,
            }
        }
        if s.tag_id.is_none() || s.name.is_none() {
            ctx.note("missing-field", "swid", None, || {
                "swid needs `tagId` and `name`".into()
            });
        }
        Ok(Some(SwidNode(s)))
    }
}

impl<'de> MapNode<'de> for Hash {
    const NAME: &'static str = "hash";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut alg: Option<Str<'de>> = None;
        let mut content: Option<Str<'de>> = None;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "alg" => alg = opt_str(&mut map, ctx, "alg")?,
                "content" => content = opt_str(&mut map, ctx, "content")?,
                k => skip_checked(&mut map, ctx, "hash", &["alg", "content"], k)?,
            }
        }
        let alg_s = alg.as_ref().map_or("", Str::as_str);
        let content_s = content.as_ref().map_or("", Str::as_str).trim();
        let known = common::hash_alg(alg_s);
        let check = match known {
            Some((_, expected)) => common::check_hash_content(expected, content_s),
            None => Err(HashProblem::UnknownAlgorithm),
        };
        if let Err(problem) = check {
            let group = format!("{problem:?}");
            ctx.note("invalid-hash", &group, None, || match problem {
                HashProblem::UnknownAlgorithm => {
                    format!("hash algorithm {alg_s:?} is none that CycloneDX defines")
                }
                HashProblem::NotHex => format!("{alg_s} hash {content_s:?} is not hexadecimal"),
                HashProblem::WrongLength { expected, found } => {
                    format!("{alg_s} hash has {found} hex digits, {expected} expected")
                }
            });
        }
        // Shared with the input: no copy unless the value needs lower-casing.
        let text = |s: Option<Str<'de>>| s.map_or_else(Text::empty, |s| s.into_text(ctx.b));
        Ok(Some(Hash::from_text(text(alg), text(content))))
    }
}

const ORG_KEYS: &[&str] = &["name", "address", "url", "contact", "bom-ref"];

/// An organizationalEntity (supplier, manufacturer).
struct Org(Party);

impl<'de> MapNode<'de> for Org {
    const NAME: &'static str = "organizational entity";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut p = Party::new(PartyKind::Organization, "");
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "name" => {
                    if let Some(n) = opt_str(&mut map, ctx, "name")? {
                        p.name = n.into_text(ctx.b).trimmed();
                    }
                }
                "url" => {
                    for u in strings(&mut map, ctx, "url")? {
                        if !u.as_str().trim().is_empty() {
                            p.urls.push(u.into_text(ctx.b));
                        }
                    }
                }
                "contact" => {
                    let cs = descend!(ctx, "contact", map.next_value_seed(arr::<Contact>(ctx)));
                    p.emails.extend(cs.into_iter().filter_map(|c| c.email));
                }
                "address" => {
                    if let Some(a) =
                        descend!(ctx, "address", map.next_value_seed(obj::<AddressNode>(ctx)))
                    {
                        p.addresses.push(a.0);
                    }
                }
                k => skip_checked(&mut map, ctx, "organizational entity", ORG_KEYS, k)?,
            }
        }
        Ok(Some(Org(p)))
    }
}

const CONTACT_KEYS: &[&str] = &["name", "email", "phone", "bom-ref"];

/// An organizationalContact (1.6 `authors`, entity `contact`).
struct Contact {
    name: Option<Text>,
    email: Option<Text>,
}

impl Contact {
    fn person(self) -> Option<Party> {
        let name = self.name.as_deref().map(str::trim).unwrap_or("");
        if name.is_empty() && self.email.is_none() {
            return None;
        }
        let mut p = Party::new(PartyKind::Person, name);
        p.emails.extend(self.email);
        Some(p)
    }
}

impl<'de> MapNode<'de> for Contact {
    const NAME: &'static str = "organizational contact";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut c = Contact {
            name: None,
            email: None,
        };
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "name" => c.name = string(&mut map, ctx, "name")?,
                "email" => {
                    c.email = string(&mut map, ctx, "email")?.filter(|e| !e.trim().is_empty());
                }
                k => skip_checked(&mut map, ctx, "organizational contact", CONTACT_KEYS, k)?,
            }
        }
        Ok(Some(c))
    }
}

const ADDRESS_KEYS: &[&str] = &[
    "bom-ref",
    "country",
    "region",
    "locality",
    "postOfficeBoxNumber",
    "postalCode",
    "streetAddress",
];

struct AddressNode(Address);

impl<'de> MapNode<'de> for AddressNode {
    const NAME: &'static str = "postal address";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut a = Address::default();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "country" => a.country = string(&mut map, ctx, "country")?,
                "region" => a.region = string(&mut map, ctx, "region")?,
                "locality" => a.locality = string(&mut map, ctx, "locality")?,
                "postalCode" => a.postal_code = string(&mut map, ctx, "postalCode")?,
                "streetAddress" => a.street = string(&mut map, ctx, "streetAddress")?,
                k => skip_checked(&mut map, ctx, "postal address", ADDRESS_KEYS, k)?,
            }
        }
        Ok(Some(AddressNode(a)))
    }
}

const LICENSE_CHOICE_KEYS: &[&str] = &[
    "license",
    "expression",
    "expressionDetails",
    "acknowledgement",
    "bom-ref",
    "licensing",
    "properties",
];

/// One entry of `licenses`: a licence, an expression, or (invalid) both.
struct LicenseNode {
    license: Option<Text>,
    expression: Option<Text>,
}

impl<'de> MapNode<'de> for LicenseNode {
    const NAME: &'static str = "license choice";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut l = LicenseNode {
            license: None,
            expression: None,
        };
        let mut saw_license = false;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "license" => {
                    saw_license = true;
                    l.license = descend!(ctx, "license", map.next_value_seed(obj::<License>(ctx)))
                        .and_then(|x| x.0);
                }
                "expression" => {
                    l.expression =
                        string(&mut map, ctx, "expression")?.filter(|e| !e.trim().is_empty());
                }
                k => skip_checked(&mut map, ctx, "license choice", LICENSE_CHOICE_KEYS, k)?,
            }
        }
        if saw_license && l.expression.is_some() {
            ctx.note("invalid-license", "both", None, || {
                "a licenses entry has both `license` and `expression`; both kept".into()
            });
        }
        Ok(Some(l))
    }
}

const LICENSE_KEYS: &[&str] = &[
    "bom-ref",
    "id",
    "name",
    "acknowledgement",
    "text",
    "url",
    "licensing",
    "properties",
];

/// A `license` object: its id, else its name.
struct License(Option<Text>);

impl<'de> MapNode<'de> for License {
    const NAME: &'static str = "license";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut id = None;
        let mut name = None;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "id" => id = string(&mut map, ctx, "id")?.filter(|s| !s.trim().is_empty()),
                "name" => name = string(&mut map, ctx, "name")?.filter(|s| !s.trim().is_empty()),
                k => skip_checked(&mut map, ctx, "license", LICENSE_KEYS, k)?,
            }
        }
        let l = id.or(name);
        if l.is_none() {
            ctx.note("missing-field", "license", None, || {
                "license has neither `id` nor `name`".into()
            });
        }
        Ok(Some(License(l)))
    }
}

/// A property (`name`, `value`); one without a name is dropped with a warning.
impl<'de> MapNode<'de> for (Text, Text) {
    const NAME: &'static str = "property";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut name = None;
        let mut val = Text::empty();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "name" => name = string(&mut map, ctx, "name")?,
                "value" => val = string(&mut map, ctx, "value")?.unwrap_or_default(),
                k => skip_checked(&mut map, ctx, "property", &["name", "value"], k)?,
            }
        }
        if name.is_none() {
            ctx.note("missing-field", "property.name", None, || {
                "property has no `name`; dropped".into()
            });
        }
        Ok(name.map(|n| (n, val)))
    }
}

const EXTREF_KEYS: &[&str] = &["url", "comment", "type", "hashes", "properties"];

/// An external reference; one without a URL is dropped with a warning.
impl<'de> MapNode<'de> for Link {
    const NAME: &'static str = "external reference";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut url = None;
        let mut kind = None;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "url" => url = string(&mut map, ctx, "url")?,
                "type" => kind = string(&mut map, ctx, "type")?,
                k => skip_checked(&mut map, ctx, "external reference", EXTREF_KEYS, k)?,
            }
        }
        let kind = match kind {
            Some(k) => {
                if !common::is_known_external_reference_type(&k) {
                    ctx.note("unknown-reference-type", &k, Some("type"), || {
                        format!("external reference type {k:?} is none that CycloneDX defines; kept as written")
                    });
                }
                k
            }
            None => {
                ctx.note("missing-field", "externalReference.type", None, || {
                    "external reference has no `type`; read as \"other\"".into()
                });
                Text::from_static("other")
            }
        };
        let url = url.filter(|u| !u.trim().is_empty());
        if url.is_none() {
            ctx.note("missing-field", "externalReference.url", None, || {
                "external reference has no `url`; dropped".into()
            });
        }
        Ok(url.map(|url| Link { kind, url }))
    }
}

// ---------------------------------------------------------------------------------------------
// Dependencies and services.

/// One `dependencies` entry; its edges go to the builder directly.
struct Dependency;

impl<'de> MapNode<'de> for Dependency {
    const NAME: &'static str = "dependency";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        let mut from: Option<Str<'de>> = None;
        let mut depends: Vec<Str<'de>> = Vec::new();
        let mut provides: Vec<Str<'de>> = Vec::new();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "ref" => from = opt_str(&mut map, ctx, "ref")?,
                "dependsOn" => depends = strings(&mut map, ctx, "dependsOn")?,
                "provides" => provides = strings(&mut map, ctx, "provides")?,
                k => skip_checked(
                    &mut map,
                    ctx,
                    "dependency",
                    &["ref", "dependsOn", "provides"],
                    k,
                )?,
            }
        }
        let from = match from {
            Some(f) if !f.as_str().trim().is_empty() => f,
            _ => {
                ctx.note("missing-field", "dependency.ref", None, || {
                    "dependency has no (or an empty) `ref`; its edges are dropped".into()
                });
                return Ok(None);
            }
        };
        // Looked up once per entry, not once per edge.
        let from_id = ctx.b.lookup(from.as_str());
        for (list, key) in [(depends, "dependsOn"), (provides, "provides")] {
            if list.is_empty() {
                continue;
            }
            let kind = match key {
                "provides" => RelKind::Other("provides".into()),
                _ => RelKind::DependsOn(DepScope::Unspecified),
            };
            let mut base = String::new();
            for (j, to) in list.iter().enumerate() {
                if to.as_str().trim().is_empty() {
                    ctx.note("empty-ref", "dependency", Some(key), || {
                        format!(
                            "dependency of {:?} has an empty reference in `{key}`; ignored",
                            from.as_str()
                        )
                    });
                    continue;
                }
                // The location is made only when an end is not known yet.
                let Ctx { b, path, .. } = &mut *ctx;
                let location = || {
                    if base.is_empty() {
                        base = pointer_of(path, Some(key));
                        base.push('/');
                    }
                    let mut loc = String::with_capacity(base.len() + 4);
                    loc.push_str(&base);
                    push_index(&mut loc, j);
                    Location::pointer(loc)
                };
                match from_id {
                    Some(f) => b.edge_id_ref_lazy(f, to.as_str(), kind.clone(), location),
                    None => b.edge_by_ref_lazy(from.as_str(), to.as_str(), kind.clone(), location),
                }
            }
        }
        Ok(None)
    }
}

const SERVICE_KEYS: &[&str] = &[
    "bom-ref",
    "provider",
    "group",
    "name",
    "version",
    "description",
    "endpoints",
    "authenticated",
    "x-trust-boundary",
    "trustZone",
    "data",
    "licenses",
    "patentAssertions",
    "externalReferences",
    "services",
    "releaseNotes",
    "properties",
    "tags",
    "signature",
];

/// A service: only its `bom-ref` matters (declared a non-component), at any depth.
struct Service;

impl<'de> MapNode<'de> for Service {
    const NAME: &'static str = "service";
    fn visit<A: MapAccess<'de>>(ctx: &mut Ctx<'_>, mut map: A) -> Result<Option<Self>, A::Error> {
        ctx.enter()?;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.as_str() {
                "bom-ref" => {
                    if let Some(r) = opt_str(&mut map, ctx, "bom-ref")? {
                        ctx.b.add_non_component(r.into_string());
                    }
                }
                "services" => {
                    descend!(ctx, "services", map.next_value_seed(arr::<Service>(ctx)));
                }
                k => skip_checked(&mut map, ctx, "service", SERVICE_KEYS, k)?,
            }
        }
        ctx.leave();
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbom::model::{Document, Format, RootSource};

    #[test]
    fn dependency_items_counts_the_references_of_every_list() {
        let doc = r#"{"dependencies": [
            {"ref": "app", "dependsOn": ["a", "b", "c"], "provides": ["algo"]},
            {"ref": "a", "dependsOn" :
                [ "b" ]},
            {"ref": "b", "dependsOn": []},
            {"ref": "c", "dependsOn": null}
        ], "note": "dependsOn"}"#;
        assert_eq!(dependency_items(doc), 5);
        // A hint, not a count: a `]` inside a reference ends the list early.
        assert_eq!(dependency_items(r#"{"dependsOn": ["x[1]", "y"]}"#), 0);
        // No `]` at all, or keys only: nothing to count, and no rescanning.
        let hostile = "\"dependsOn\" [\"".repeat(100_000);
        assert_eq!(dependency_items(&hostile), 0);
        assert_eq!(dependency_items(&"\"dependsOn\"".repeat(100_000)), 0);
    }

    fn read_with(text: &str, limits: &Limits) -> Result<Document, IngestError> {
        let mut b = Builder::new("t.json", Format::CycloneDxJson);
        read(text, &mut b, limits)?;
        b.finish(false)
    }

    fn doc(text: &str) -> Document {
        read_with(text, &Limits::default()).expect("document reads")
    }

    fn err(text: &str) -> IngestError {
        read_with(text, &Limits::default()).expect_err("document fails")
    }

    fn codes(d: &Document) -> Vec<&'static str> {
        d.warnings.iter().map(|w| w.code).collect()
    }

    fn by_name<'d>(d: &'d Document, name: &str) -> &'d Component {
        d.components
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no component {name}"))
    }

    fn edges(d: &Document) -> Vec<(String, String, String)> {
        d.relationships
            .iter()
            .filter(|r| !r.inferred)
            .map(|r| {
                (
                    d.component(r.from).bom_ref.to_string(),
                    d.component(r.to).bom_ref.to_string(),
                    r.kind.name(),
                )
            })
            .collect()
    }

    const HEAD: &str = r#""bomFormat": "CycloneDX", "specVersion": "1.6""#;

    #[test]
    fn header_and_metadata_component_become_document_fields_and_root() {
        let d = doc(r#"{
            "bomFormat": "CycloneDX", "specVersion": "1.5",
            "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
            "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "Acme App", "version": "2"}},
            "components": [{"type": "library", "bom-ref": "lib", "name": "lib"}],
            "dependencies": [{"ref": "app", "dependsOn": ["lib"]}]
        }"#);
        assert_eq!(d.spec_version, "1.5");
        assert_eq!(
            d.serial.as_deref(),
            Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79")
        );
        assert_eq!(d.name.as_deref(), Some("Acme App"));
        let app = by_name(&d, "Acme App");
        assert!(app.is_metadata);
        assert_eq!(app.location.pointer.as_deref(), Some("/metadata/component"));
        assert_eq!(d.root_source, RootSource::Declared);
        assert_eq!(
            d.roots,
            vec![d.components.iter().position(|c| c.is_metadata).unwrap() as u32]
        );
        assert_eq!(d.component_count(), 1);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn metadata_supplier_and_manufacturer_fill_the_subject_only_when_missing() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "metadata": {{
                "supplier": {{"name": "Meta Supplier"}},
                "manufacture": {{"name": "Legacy Maker"}},
                "component": {{"type": "application", "name": "app"}}
            }} }}"#
        ));
        let app = by_name(&d, "app");
        assert_eq!(app.supplier.as_ref().unwrap().name, "Meta Supplier");
        assert_eq!(app.manufacturer.as_ref().unwrap().name, "Legacy Maker");

        // 1.6 `manufacturer` wins over the legacy `manufacture`; the component's own supplier
        // wins over the metadata one. Key order does not matter.
        let d = doc(&format!(
            r#"{{ {HEAD}, "metadata": {{
                "component": {{"type": "application", "name": "app", "supplier": {{"name": "Own"}}}},
                "manufacture": {{"name": "Legacy Maker"}},
                "manufacturer": {{"name": "New Maker"}},
                "supplier": {{"name": "Meta Supplier"}}
            }} }}"#
        ));
        let app = by_name(&d, "app");
        assert_eq!(app.supplier.as_ref().unwrap().name, "Own");
        assert_eq!(app.manufacturer.as_ref().unwrap().name, "New Maker");
    }

    #[test]
    fn nested_components_are_contained_in_their_parent_and_counted() {
        let d = doc(&format!(
            r#"{{ {HEAD},
              "metadata": {{"component": {{"type": "application", "bom-ref": "app", "name": "app",
                  "components": [{{"type": "library", "bom-ref": "m1", "name": "m1"}}]}}}},
              "components": [
                {{"type": "library", "bom-ref": "a", "name": "a"}},
                {{"type": "library", "bom-ref": "b", "name": "b", "components": [
                    {{"type": "file", "bom-ref": "b1", "name": "b1", "components": [
                        {{"type": "file", "bom-ref": "b11", "name": "b11"}}]}}]}}
              ] }}"#
        ));
        assert_eq!(d.component_count(), 5);
        let e = edges(&d);
        assert!(e.contains(&("b".into(), "b1".into(), "contains".into())));
        assert!(e.contains(&("b1".into(), "b11".into(), "contains".into())));
        assert!(e.contains(&("app".into(), "m1".into(), "contains".into())));
        assert_eq!(
            by_name(&d, "b11").location.pointer.as_deref(),
            Some("/components/1/components/0/components/0")
        );
        assert_eq!(
            by_name(&d, "m1").location.pointer.as_deref(),
            Some("/metadata/component/components/0")
        );
        // Parents come before their children.
        let pos = |n: &str| d.components.iter().position(|c| c.name == n).unwrap();
        assert!(pos("b") < pos("b1") && pos("b1") < pos("b11"));
    }

    #[test]
    fn component_fields_map_onto_the_model() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [{{
                "type": "library", "bom-ref": "ref-1", "group": "com.acme", "name": "tool",
                "version": "1.0", "scope": "Optional",
                "purl": "pkg:maven/com.acme/tool@1.0",
                "cpe": "cpe:2.3:a:acme:tool:1.0:*:*:*:*:*:*:*",
                "swid": {{"tagId": "swidgen-acme-tool-1.0", "name": "tool", "version": "1.0", "tagVersion": 0}},
                "hashes": [{{"alg": "SHA-256", "content": "F498A8FF2DD007E29C2074F5E4B01A9A01775C3FF3AEAF6906EA503BC5791B7B"}}],
                "publisher": "Acme Inc", "copyright": "(c) Acme", "description": "a tool",
                "licenses": [
                    {{"license": {{"id": "Apache-2.0", "acknowledgement": "declared"}}}},
                    {{"license": {{"name": "Acme Licence", "url": "https://acme.example/l"}}}},
                    {{"expression": "MIT OR GPL-2.0-only", "acknowledgement": "concluded"}}
                ],
                "properties": [{{"name": "acme:build", "value": "42"}}, {{"name": "acme:flag"}}],
                "externalReferences": [
                    {{"type": "website", "url": "https://acme.example"}},
                    {{"type": "vcs", "url": "https://git.acme.example/tool", "comment": "x"}}
                ],
                "mime-type": "application/java-archive", "modified": false, "tags": ["x"]
            }}] }}"#
        ));
        let c = by_name(&d, "tool");
        assert_eq!(c.bom_ref, "ref-1");
        assert!(!c.ref_synthesized);
        assert_eq!(c.kind.as_deref(), Some("library"));
        assert_eq!(c.group.as_deref(), Some("com.acme"));
        assert_eq!(c.version.as_deref(), Some("1.0"));
        assert_eq!(c.scope.as_deref(), Some("optional"));
        assert_eq!(c.purl.as_deref(), Some("pkg:maven/com.acme/tool@1.0"));
        assert_eq!(c.cpes, vec!["cpe:2.3:a:acme:tool:1.0:*:*:*:*:*:*:*"]);
        let swid = c.swid.as_ref().unwrap();
        assert_eq!(swid.tag_id.as_deref(), Some("swidgen-acme-tool-1.0"));
        assert_eq!(swid.name.as_deref(), Some("tool"));
        assert_eq!(swid.version.as_deref(), Some("1.0"));
        assert_eq!(swid.regid, None);
        assert_eq!(
            c.hashes,
            vec![Hash::new(
                "SHA256",
                "f498a8ff2dd007e29c2074f5e4b01a9a01775c3ff3aeaf6906ea503bc5791b7b"
            )]
        );
        assert_eq!(c.publisher.as_deref(), Some("Acme Inc"));
        assert_eq!(c.copyright.as_deref(), Some("(c) Acme"));
        assert_eq!(c.description.as_deref(), Some("a tool"));
        assert_eq!(
            c.licenses,
            vec!["Apache-2.0", "Acme Licence", "MIT OR GPL-2.0-only"]
        );
        assert_eq!(
            c.properties,
            vec![
                ("acme:build".into(), "42".into()),
                ("acme:flag".into(), Text::empty())
            ]
        );
        assert_eq!(
            c.links,
            vec![
                Link {
                    kind: "website".into(),
                    url: "https://acme.example".into()
                },
                Link {
                    kind: "vcs".into(),
                    url: "https://git.acme.example/tool".into()
                }
            ]
        );
        assert_eq!(c.location.pointer.as_deref(), Some("/components/0"));
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn supplier_manufacturer_and_authors_become_parties() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [{{
                "type": "library", "name": "x",
                "supplier": {{
                    "name": " Kaspersky Lab ", "bom-ref": "s1",
                    "url": ["https://kaspersky.example", ""],
                    "contact": [{{"name": "Ops", "email": "ops@kaspersky.example", "phone": "1"}}, {{"name": "No Mail"}}],
                    "address": {{"country": "RU", "region": "Moscow", "locality": "Moscow",
                                 "postalCode": "125212", "streetAddress": "39A/3 Leningradskoe Shosse",
                                 "postOfficeBoxNumber": "1"}}
                }},
                "manufacturer": {{"name": "Maker Co"}},
                "authors": [{{"name": "Jane", "email": "jane@example.org"}}, {{"name": "Bob"}}, {{}}]
            }}] }}"#
        ));
        let c = by_name(&d, "x");
        let s = c.supplier.as_ref().unwrap();
        assert_eq!(s.kind, PartyKind::Organization);
        assert_eq!(s.name, "Kaspersky Lab");
        assert_eq!(s.urls, vec!["https://kaspersky.example"]);
        assert_eq!(s.emails, vec!["ops@kaspersky.example"]);
        assert_eq!(
            s.addresses,
            vec![Address {
                country: Some("RU".into()),
                region: Some("Moscow".into()),
                locality: Some("Moscow".into()),
                postal_code: Some("125212".into()),
                street: Some("39A/3 Leningradskoe Shosse".into()),
            }]
        );
        let m = c.manufacturer.as_ref().unwrap();
        assert_eq!(
            (m.kind, m.name.as_str()),
            (PartyKind::Organization, "Maker Co")
        );
        assert_eq!(c.authors.len(), 2, "an empty contact is not an author");
        assert_eq!(c.authors[0].kind, PartyKind::Person);
        assert_eq!(c.authors[0].name, "Jane");
        assert_eq!(c.authors[0].emails, vec!["jane@example.org"]);
        assert_eq!(c.authors[1].name, "Bob");
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn legacy_author_string_is_an_unprefixed_party() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [
                {{"type": "library", "name": "x", "author": "Huawei Technologies Co., Ltd."}},
                {{"type": "library", "name": "y", "author": "Jane <jane@example.org>"}},
                {{"type": "library", "name": "z", "author": ""}}
            ] }}"#
        ));
        let x = &by_name(&d, "x").authors;
        assert_eq!(x.len(), 1);
        assert_eq!(x[0].kind, PartyKind::Unprefixed);
        assert_eq!(x[0].name, "Huawei Technologies Co., Ltd.");
        assert_eq!(by_name(&d, "y").authors[0].emails, vec!["jane@example.org"]);
        assert!(by_name(&d, "z").authors.is_empty());
    }

    #[test]
    fn cpe_properties_add_cpes_after_the_cpe_field_without_duplicates() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [{{
                "type": "library", "name": "x",
                "properties": [
                    {{"name": "syft:cpe23", "value": "cpe:2.3:a:x:x:1:*:*:*:*:*:*:*"}},
                    {{"name": "syft:cpe23", "value": "cpe:2.3:a:y:x:1:*:*:*:*:*:*:*"}},
                    {{"name": "acme:cpe", "value": "cpe:/a:z:x:1"}},
                    {{"name": "acme:cpe", "value": "not a cpe"}},
                    {{"name": "syft:location:0:path", "value": "cpe:2.3:a:no:no:1:*:*:*:*:*:*:*"}}
                ],
                "cpe": "cpe:2.3:a:x:x:1:*:*:*:*:*:*:*"
            }}] }}"#
        ));
        let c = by_name(&d, "x");
        assert_eq!(
            c.cpes,
            vec![
                "cpe:2.3:a:x:x:1:*:*:*:*:*:*:*",
                "cpe:2.3:a:y:x:1:*:*:*:*:*:*:*",
                "cpe:/a:z:x:1"
            ]
        );
        assert_eq!(c.properties.len(), 5, "the properties themselves are kept");
    }

    #[test]
    fn evidence_adds_file_names_and_concluded_identifiers() {
        // 1.5: identity is one object; occurrences give file names.
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [{{
                "type": "library", "name": "x", "purl": "pkg:npm/x@1",
                "evidence": {{
                    "identity": {{"field": "purl", "confidence": 1, "methods": [
                        {{"technique": "filename", "confidence": 0.1, "value": "x-1.jar"}},
                        {{"technique": "manifest-analysis", "confidence": 1, "value": "/src/package.json"}}
                    ], "tools": ["t"]}},
                    "occurrences": [{{"bom-ref": "o1", "location": "/opt/x/x-1.jar", "line": 3}}],
                    "licenses": [], "copyright": [{{"text": "c"}}], "callstack": {{"frames": []}}
                }}
            }}] }}"#
        ));
        let c = by_name(&d, "x");
        assert_eq!(c.file_names, vec!["x-1.jar", "/opt/x/x-1.jar"]);
        assert_eq!(c.purl.as_deref(), Some("pkg:npm/x@1"));
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);

        // 1.6: identity is an array; concluded purl / cpe / name are used.
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [
              {{"type": "library", "name": "", "evidence": {{"identity": [
                {{"field": "purl", "concludedValue": "pkg:generic/acme/x@1"}},
                {{"field": "cpe", "concludedValue": "cpe:2.3:a:acme:x:1:*:*:*:*:*:*:*"}},
                {{"field": "name", "concludedValue": "x"}},
                {{"field": "hash", "concludedValue": "abc"}}
              ]}}}},
              {{"type": "library", "name": "y", "purl": "pkg:npm/y@1", "evidence": {{"identity": [
                {{"field": "purl", "concludedValue": "pkg:npm/kaspersky-y@1"}},
                {{"field": "purl", "concludedValue": "pkg:npm/y@1"}}
              ]}}}}
            ] }}"#
        ));
        let x = by_name(&d, "x");
        assert_eq!(x.purl.as_deref(), Some("pkg:generic/acme/x@1"));
        assert_eq!(x.cpes, vec!["cpe:2.3:a:acme:x:1:*:*:*:*:*:*:*"]);
        let y = by_name(&d, "y");
        assert_eq!(y.purl.as_deref(), Some("pkg:npm/y@1"));
        assert_eq!(
            y.properties,
            vec![(
                "bomvet:evidence-purl".into(),
                "pkg:npm/kaspersky-y@1".into()
            )]
        );
    }

    #[test]
    fn pedigree_entries_are_linked_components_that_do_not_count() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [{{
                "type": "library", "bom-ref": "fork", "name": "fork",
                "pedigree": {{
                    "ancestors": [{{"type": "library", "bom-ref": "orig", "name": "orig",
                        "components": [{{"type": "file", "bom-ref": "orig-file", "name": "orig-file"}}]}}],
                    "descendants": [{{"type": "library", "bom-ref": "desc", "name": "desc"}}],
                    "variants": [{{"type": "library", "bom-ref": "var", "name": "var"}}],
                    "commits": [{{"uid": "123"}}], "patches": [], "notes": "n"
                }}
            }}] }}"#
        ));
        assert_eq!(d.components.len(), 5);
        assert_eq!(d.component_count(), 1);
        for n in ["orig", "orig-file", "desc", "var"] {
            assert!(by_name(&d, n).is_pedigree, "{n}");
        }
        assert!(!by_name(&d, "fork").is_pedigree);
        let e = edges(&d);
        assert!(e.contains(&("fork".into(), "orig".into(), "ancestor".into())));
        assert!(e.contains(&("fork".into(), "desc".into(), "descendant".into())));
        assert!(e.contains(&("fork".into(), "var".into(), "variant".into())));
        assert!(e.contains(&("orig".into(), "orig-file".into(), "contains".into())));
        assert_eq!(
            by_name(&d, "orig").location.pointer.as_deref(),
            Some("/components/0/pedigree/ancestors/0")
        );
    }

    #[test]
    fn dependencies_become_edges_and_service_refs_are_not_dangling() {
        let d = doc(&format!(
            r#"{{ {HEAD},
              "components": [
                {{"type": "library", "bom-ref": "a", "name": "a"}},
                {{"type": "library", "bom-ref": "b", "name": "b"}},
                {{"type": "cryptographic-asset", "bom-ref": "algo", "name": "algo"}}
              ],
              "services": [{{"bom-ref": "svc", "name": "svc", "endpoints": ["https://x"],
                  "services": [{{"bom-ref": "inner-svc", "name": "inner"}}]}}],
              "dependencies": [
                {{"ref": "a", "dependsOn": ["b", "svc", "inner-svc"], "provides": ["algo"]}},
                {{"ref": "svc", "dependsOn": ["b"]}},
                {{"ref": "b", "dependsOn": ["nowhere"]}},
                {{"ref": "b"}}
              ] }}"#
        ));
        let e = edges(&d);
        assert_eq!(
            e,
            vec![
                ("a".into(), "b".into(), "depends-on".into()),
                ("a".into(), "algo".into(), "other(provides)".into()),
            ]
        );
        assert_eq!(codes(&d), vec!["dangling-ref"]);
        assert_eq!(
            d.warnings[0].location.pointer.as_deref(),
            Some("/dependencies/2/dependsOn/0")
        );
    }

    #[test]
    fn dependency_without_ref_and_empty_targets_warn() {
        let d = doc(&format!(
            r#"{{ {HEAD},
              "components": [{{"type": "library", "bom-ref": "a", "name": "a"}}],
              "dependencies": [{{"dependsOn": ["a"]}}, {{"ref": "", "dependsOn": ["a"]}}, {{"ref": "a", "dependsOn": [""]}}]
            }}"#
        ));
        assert!(d.relationships.iter().all(|r| r.inferred));
        let w: Vec<_> = d
            .warnings
            .iter()
            .map(|w| (w.code, w.location.pointer.clone().unwrap_or_default()))
            .collect();
        assert!(
            w.contains(&("missing-field", "/dependencies/0".into())),
            "{w:?}"
        );
        assert!(
            w.contains(&("empty-ref", "/dependencies/2/dependsOn".into())),
            "{w:?}"
        );
        let missing = d
            .warnings
            .iter()
            .find(|w| w.code == "missing-field")
            .unwrap();
        assert!(missing.message.contains("2 times"), "{}", missing.message);
    }

    #[test]
    fn known_fields_anywhere_are_skipped_without_warnings() {
        let d = doc(r#"{
            "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
            "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "metadata": {
                "timestamp": "2024-01-01T00:00:00Z",
                "lifecycles": [{"phase": "build"}],
                "tools": {"components": [{"type": "application", "name": "not-inventory"}], "services": []},
                "authors": [{"name": "a"}], "licenses": [{"license": {"id": "MIT"}}],
                "properties": [{"name": "p", "value": "v"}], "distributionConstraints": {"tlp": "CLEAR"}
            },
            "components": [{"type": "library", "name": "x", "$comment": "hi",
                "releaseNotes": {"type": "major"}, "modelCard": {}, "data": [], "cryptoProperties": {},
                "omniborId": ["gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64"],
                "swhid": ["swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2"],
                "patentAssertions": [], "signature": {"algorithm": "ES256", "value": "x"},
                "versionRange": "vers:npm/>=1", "isExternal": true}],
            "externalReferences": [{"type": "bom", "url": "https://x"}],
            "compositions": [{"aggregate": "complete"}], "vulnerabilities": [{"id": "CVE-1"}],
            "annotations": [], "formulation": [{"components": [{"type": "application", "name": "build-tool"}]}],
            "declarations": {}, "definitions": {}, "citations": [], "properties": [],
            "signature": {"algorithm": "ES256"}
        }"#);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert_eq!(
            d.component_count(),
            1,
            "tools and formulation are not inventory"
        );

        // The 1.4 array form of tools.
        let d = doc(r#"{"bomFormat": "CycloneDX", "specVersion": "1.4",
            "metadata": {"tools": [{"vendor": "v", "name": "n", "version": "1"}]}, "components": []}"#);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn unknown_keys_are_reported_once_per_context_with_a_pointer() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "x-top": 1,
              "metadata": {{"distribution": "Unrestricted"}},
              "components": [
                {{"type": "library", "name": "a", "x-extra": {{"deep": [1, 2]}},
                  "hashes": [{{"alg": "MD5", "content": "3942447fac867ae5cdb3229b658f4d48", "x-h": 1}}]}},
                {{"type": "library", "name": "b", "x-extra": 2}}
              ] }}"#
        ));
        let mut w: Vec<_> = d
            .warnings
            .iter()
            .map(|w| {
                assert_eq!(w.code, "unknown-field");
                (w.location.pointer.clone().unwrap(), w.message.clone())
            })
            .collect();
        w.sort();
        assert_eq!(w.len(), 4, "{w:?}");
        assert_eq!(w[0].0, "/components/0/hashes/0/x-h");
        assert_eq!(w[1].0, "/components/0/x-extra");
        assert!(w[1].1.contains("2 times"), "{}", w[1].1);
        assert_eq!(w[2].0, "/metadata/distribution");
        assert_eq!(w[3].0, "/x-top");
    }

    #[test]
    fn missing_header_fields_warn_and_a_foreign_bom_format_is_not_an_sbom() {
        let d = doc(r#"{"components": [{"type": "library", "name": "a"}]}"#);
        assert_eq!(codes(&d), vec!["missing-field", "missing-field"]);
        assert_eq!(d.component_count(), 1);
        assert!(matches!(
            err(r#"{"bomFormat": "SPDX", "specVersion": "1.6"}"#),
            IngestError::NotSbom { .. }
        ));
        let d = doc(r#"{"bomFormat": "cyclonedx", "specVersion": "9.9"}"#);
        assert_eq!(
            codes(&d),
            vec!["invalid-bom-format", "unknown-spec-version"]
        );
    }

    #[test]
    fn a_component_without_name_is_kept_with_a_located_warning() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [{{"type": "library", "name": "ok"}},
                {{"type": "library", "version": "1.0", "purl": "pkg:npm/anon@1.0"}}] }}"#
        ));
        assert_eq!(d.component_count(), 2);
        let w = &d.warnings[0];
        assert_eq!(w.code, "missing-field");
        assert_eq!(w.location.pointer.as_deref(), Some("/components/1"));
        assert_eq!(d.components[1].bom_ref, "pkg:npm/anon@1.0");
    }

    #[test]
    fn schema_violations_in_components_are_aggregated_warnings() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [
                {{"type": "foo", "name": "a", "scope": "sometimes", "bom-ref": " ",
                  "hashes": [{{"alg": "MD5", "content": "foo"}}, {{"alg": "FOO", "content": "3942447fac867ae5cdb3229b658f4d48"}}],
                  "licenses": [{{"license": {{}}}}, {{"license": {{"name": "L"}}, "expression": "MIT"}}],
                  "externalReferences": [{{"type": "homepage", "url": "https://a"}}, {{"type": "vcs"}}],
                  "swid": {{"name": "a"}}, "properties": [{{"value": "v"}}]}},
                {{"type": "foo", "name": "b"}},
                {{"name": "c", "version": "1", "versionRange": "vers:npm/1"}}
            ] }}"#
        ));
        let mut c = codes(&d);
        c.sort();
        assert_eq!(
            c,
            vec![
                "empty-ref",
                "invalid-hash",
                "invalid-hash",
                "invalid-license",
                "invalid-version-range",
                "missing-field",
                "missing-field",
                "missing-field",
                "missing-field",
                "missing-field",
                "unknown-component-type",
                "unknown-reference-type",
                "unknown-scope",
            ]
        );
        let ty = d
            .warnings
            .iter()
            .find(|w| w.code == "unknown-component-type")
            .unwrap();
        assert!(ty.message.contains("2 times"), "{}", ty.message);
        assert_eq!(ty.location.pointer.as_deref(), Some("/components/0/type"));
        let a = by_name(&d, "a");
        assert_eq!(a.scope.as_deref(), Some("sometimes"));
        assert_eq!(a.kind.as_deref(), Some("foo"));
        assert_eq!(a.hashes.len(), 2);
        assert_eq!(a.licenses, vec!["L", "MIT"]);
        assert_eq!(a.links.len(), 1);
        assert!(a.properties.is_empty());
        assert!(a.ref_synthesized);
    }

    #[test]
    fn header_values_are_checked() {
        let d = doc(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
            "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f", "metadata": {"timestamp": "2020-04-13"}}"#);
        assert_eq!(
            codes(&d),
            vec!["invalid-serial-number", "invalid-timestamp"]
        );
        assert_eq!(
            d.warnings[1].location.pointer.as_deref(),
            Some("/metadata/timestamp")
        );
    }

    #[test]
    fn nonstandard_swid_regid_is_used_and_reported() {
        let d = doc(&format!(
            r#"{{ {HEAD}, "components": [{{"type": "application", "name": "kav",
                "swid": {{"tagId": "regid.1997-01.com.kaspersky_kav-21", "name": "kav", "regid": "regid.1997-01.com.kaspersky"}}}}] }}"#
        ));
        let s = by_name(&d, "kav").swid.clone().unwrap();
        assert_eq!(s.regid.as_deref(), Some("regid.1997-01.com.kaspersky"));
        assert_eq!(
            s.tag_id.as_deref(),
            Some("regid.1997-01.com.kaspersky_kav-21")
        );
        assert_eq!(codes(&d), vec!["unknown-field"]);
    }

    #[test]
    fn nulls_read_as_absent_and_escapes_are_decoded() {
        let d = doc(
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": null,
            "dependencies": null, "services": null,
            "components": [null, {"type": "library", "name": "caf\u00e9 \"q\"", "version": null,
                "licenses": null, "hashes": [null], "supplier": null, "cpe": null, "purl": ""}]}"#,
        );
        assert_eq!(d.component_count(), 1);
        let c = &d.components[0];
        assert_eq!(c.name, "café \"q\"");
        assert_eq!(c.version, None);
        assert_eq!(c.purl, None);
        assert!(c.cpes.is_empty());
        assert_eq!(c.location.pointer.as_deref(), Some("/components/1"));
    }

    #[test]
    fn wrong_types_are_errors_located_by_json_pointer() {
        let cases = [
            (
                r#"{"bomFormat": "CycloneDX", "components": 5}"#,
                "/components",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "components": [{"name": "a"}, {"name": 5}]}"#,
                "/components/1/name",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "components": [{"name": "a", "hashes": [{"alg": "MD5", "content": 1}]}]}"#,
                "/components/0/hashes/0/content",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "metadata": {"component": {"supplier": {"url": "https://x"}}}}"#,
                "/metadata/component/supplier/url",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "dependencies": [{"ref": "a", "dependsOn": "b"}]}"#,
                "/dependencies/0/dependsOn",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "components": ["a"]}"#,
                "/components/0",
            ),
            (r#"{"bomFormat": 1}"#, "/bomFormat"),
        ];
        for (text, pointer) in cases {
            match err(text) {
                IngestError::Type { location, message } => {
                    assert_eq!(
                        location.pointer.as_deref(),
                        Some(pointer),
                        "{text}: {message}"
                    );
                    assert_eq!(location.line, Some(1));
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn skipped_values_are_still_checked_for_syntax() {
        match err(r#"{"bomFormat": "CycloneDX", "vulnerabilities": [{"id": tru}]}"#) {
            IngestError::Syntax { line: 1, .. } => {}
            other => panic!("{other:?}"),
        }
        match err("{\"bomFormat\": \"CycloneDX\"} trailing") {
            IngestError::Syntax { .. } => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn truncated_documents_are_truncation_errors() {
        let full = format!(r#"{{ {HEAD}, "components": [{{"type": "library", "name": "a"}}] }}"#);
        for cut in [10, full.len() / 2, full.len() - 1] {
            assert!(
                matches!(err(&full[..cut]), IngestError::Truncated { .. }),
                "cut at {cut}"
            );
        }
    }

    fn nested(levels: usize) -> String {
        let mut s =
            String::from(r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": "#);
        for _ in 0..levels {
            s.push_str(r#"[{"type": "library", "name": "n", "components": "#);
        }
        s.push_str("[]");
        for _ in 0..levels {
            s.push_str("}]");
        }
        s.push('}');
        s
    }

    #[test]
    fn nesting_beyond_the_limit_is_too_deep() {
        let limits = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        assert_eq!(read_with(&nested(3), &limits).unwrap().component_count(), 3);
        match read_with(&nested(4), &limits).unwrap_err() {
            IngestError::TooDeep { limit, location } => {
                assert_eq!(limit, 3);
                assert_eq!(
                    location.pointer.as_deref(),
                    Some("/components/0/components/0/components/0/components/0")
                );
            }
            other => panic!("{other:?}"),
        }
        // serde_json's own recursion limit (128 levels of JSON) ends in the same error.
        assert!(matches!(
            read_with(&nested(200), &Limits::default()).unwrap_err(),
            IngestError::TooDeep { .. }
        ));
        // Skipped values are skipped without recursion: very deep junk there cannot overflow
        // the stack and is not refused.
        let deep_skipped = format!(
            r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "annotations": {}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(doc(&deep_skipped).warnings.is_empty());
    }

    #[test]
    fn deep_services_are_limited_too() {
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let text = r#"{"bomFormat": "CycloneDX", "services": [{"name": "a", "services": [{"name": "b", "services": [{"name": "c"}]}]}]}"#;
        assert!(matches!(
            read_with(text, &limits),
            Err(IngestError::TooDeep { limit: 2, .. })
        ));
    }

    #[test]
    fn an_empty_bom_reads_with_no_components() {
        let d = doc(&format!("{{ {HEAD} }}"));
        assert_eq!(d.component_count(), 0);
        assert!(d.warnings.is_empty());
        assert!(matches!(err("[]"), IngestError::Type { .. }));
        assert!(matches!(err(""), IngestError::Truncated { .. }));
    }
}
