//! The event layer under the CycloneDX XML reader: a quick-xml pull parser over the borrowed
//! input with its own light namespace resolution (element names only; bindings are looked for
//! only in tags whose attributes mention `xmlns`, which is what makes it cheaper than
//! quick-xml's `NsReader`), element depth enforcement, `<a/>` turned into start + end, a running
//! line counter (byte offset → line without rescanning from the start), leaf-text collection
//! (text, CDATA and references joined) and subtree skipping.
//!
//! It owns no CycloneDX semantics beyond classifying namespaces.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use rustc_hash::FxHashMap;

use crate::sbom::error::line_col;
use crate::sbom::model::Location;
use crate::sbom::IngestError;

/// Format name used in syntax / truncation errors.
pub(super) const FORMAT: &str = "CycloneDX XML";

/// Every CycloneDX BOM namespace starts with this (`…/bom/1.0` to `…/bom/1.7`).
pub(super) const BOM_NS_PREFIX: &str = "http://cyclonedx.org/schema/bom/";
/// The CycloneDX 1.1 dependency-graph extension.
pub(super) const DG_NS: &[u8] = b"http://cyclonedx.org/schema/ext/dependency-graph/1.0";

/// The namespace class of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// Any `http://cyclonedx.org/schema/bom/…` namespace.
    Bom,
    /// The 1.1 dependency-graph extension.
    DepGraph,
    /// Anything else (extensions, XML signatures, no namespace).
    Other,
}

/// A start tag (or an empty-element tag, followed by a synthetic [`Ev::End`]).
pub(super) struct Tag<'a> {
    pub ns: Ns,
    pub start: BytesStart<'a>,
    /// Byte offset of the tag's `<`.
    pub pos: usize,
    /// Where the local name starts in the qualified name (after `prefix:`).
    local_start: usize,
}

impl Tag<'_> {
    pub fn local(&self) -> &[u8] {
        let qname = self.start.name().into_inner();
        qname.get(self.local_start..).unwrap_or(qname)
    }

    /// True for a CycloneDX element called `name`.
    pub fn is(&self, name: &[u8]) -> bool {
        self.ns == Ns::Bom && self.local() == name
    }
}

pub(super) enum Ev<'a> {
    Start(Tag<'a>),
    End,
    Text(Cow<'a, [u8]>),
    CData(Cow<'a, [u8]>),
    Ref(BytesRef<'a>),
    Eof,
}

/// Things that are odd but readable, reported by the reader as warnings at the end.
#[derive(Default)]
pub(super) struct Oddities {
    /// References to entities other than the five predefined ones (never expanded).
    pub unknown_entities: usize,
    pub first_unknown_entity: Option<(String, usize)>,
    /// Bare `&` in text (ill-formed XML, kept as text).
    pub dangling_amps: usize,
    pub first_dangling_amp: Option<usize>,
}

/// One namespace declaration.
struct Binding {
    ns: Ns,
    uri: Box<str>,
}

pub(super) struct Scanner<'a> {
    text: &'a str,
    r: Reader<&'a [u8]>,
    /// In-scope declarations per prefix (the empty prefix is the default namespace), innermost
    /// last: lookups cost the same however many declarations a document piles up.
    bindings: FxHashMap<Box<[u8]>, Vec<Binding>>,
    /// The prefixes declared, in document order, to undo them when their element ends.
    declared: Vec<(usize, Box<[u8]>)>,
    /// The namespace class of unprefixed elements here (kept in step with `bindings`).
    default_ns: Ns,
    xmlns: memchr::memmem::Finder<'static>,
    depth: usize,
    max_depth: usize,
    /// The last event was an empty-element tag: the next one is its synthetic end.
    pending_end: bool,
    /// Lines counted up to this byte offset...
    line_pos: usize,
    /// ...and the line there (1-based).
    line: usize,
    /// Input offset where the last event read from quick-xml began.
    last_pos: usize,
    /// The namespace of the first element (the root), as written.
    pub root_ns: Option<String>,
    pub odd: Oddities,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str, max_depth: usize) -> Self {
        let mut r = Reader::from_str(text);
        let config = r.config_mut();
        // Bare `&` is ill-formed but common in hand-edited files: read it as text, warn later.
        config.allow_dangling_amp = true;
        // No events for indentation between tags (most of a pretty-printed document). Text
        // content keeps its leading whitespace: `text` takes each run from the input.
        config.trim_text_start = true;
        Scanner {
            text,
            r,
            bindings: FxHashMap::default(),
            declared: Vec::new(),
            default_ns: Ns::Other,
            xmlns: memchr::memmem::Finder::new(b"xmlns"),
            depth: 0,
            max_depth,
            pending_end: false,
            line_pos: 0,
            line: 1,
            last_pos: 0,
            root_ns: None,
            odd: Oddities::default(),
        }
    }

    /// 1-based line of byte offset `pos`. Offsets asked for only grow as the document is read,
    /// so the count continues from the previous call instead of rescanning from the start.
    pub fn line_at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        if pos >= self.line_pos {
            let bytes = self.text.as_bytes().get(self.line_pos..pos).unwrap_or(&[]);
            self.line += memchr::memchr_iter(b'\n', bytes).count();
            self.line_pos = pos;
            self.line
        } else {
            line_col(self.text, pos).0
        }
    }

    pub fn location(&mut self, pos: usize) -> Location {
        Location::line(u32::try_from(self.line_at(pos)).unwrap_or(u32::MAX))
    }

    /// Current element depth (the root is 1 while it is open).
    pub fn depth(&self) -> usize {
        self.depth
    }

    pub fn truncated(&self) -> IngestError {
        let (line, column) = line_col(self.text, self.text.len());
        IngestError::Truncated {
            format: FORMAT,
            line,
            column,
        }
    }

    fn xml_error(&self, e: quick_xml::Error) -> IngestError {
        use quick_xml::errors::SyntaxError;
        let pos = usize::try_from(self.r.error_position()).unwrap_or(usize::MAX);
        let (line, column) = line_col(self.text, pos);
        match e {
            // Every syntax error but one is "`…` not found before end of input".
            quick_xml::Error::Syntax(s) if s != SyntaxError::InvalidBangMarkup => {
                IngestError::Truncated {
                    format: FORMAT,
                    line,
                    column,
                }
            }
            e => IngestError::Syntax {
                format: FORMAT,
                line,
                column,
                message: e.to_string(),
            },
        }
    }

    fn syntax_at(&self, pos: usize, message: String) -> IngestError {
        let (line, column) = line_col(self.text, pos);
        IngestError::Syntax {
            format: FORMAT,
            line,
            column,
            message,
        }
    }

    /// The next event that matters: declarations, comments, processing instructions and the
    /// DOCTYPE are dropped. `Eof` inside an open element is a truncation error.
    pub fn next(&mut self) -> Result<Ev<'a>, IngestError> {
        if self.pending_end {
            self.pending_end = false;
            self.close();
            return Ok(Ev::End);
        }
        loop {
            self.last_pos = usize::try_from(self.r.buffer_position()).unwrap_or(usize::MAX);
            let ev = match self.r.read_event() {
                Ok(ev) => ev,
                Err(e) => return Err(self.xml_error(e)),
            };
            return match ev {
                Event::Start(start) => self.open(start, false),
                Event::Empty(start) => self.open(start, true),
                Event::End(_) => {
                    self.close();
                    Ok(Ev::End)
                }
                Event::Text(t) => Ok(Ev::Text(t.into_inner())),
                Event::CData(c) => Ok(Ev::CData(c.into_inner())),
                Event::GeneralRef(r) => Ok(Ev::Ref(r)),
                Event::Eof if self.depth > 0 => Err(self.truncated()),
                Event::Eof => Ok(Ev::Eof),
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            };
        }
    }

    fn close(&mut self) {
        if self.declared.last().is_some_and(|(d, _)| *d >= self.depth) {
            while let Some((d, prefix)) = self.declared.pop() {
                if d < self.depth {
                    self.declared.push((d, prefix));
                    break;
                }
                if let Some(stack) = self.bindings.get_mut(&prefix) {
                    stack.pop();
                }
            }
            self.default_ns = self.resolve(None).map_or(Ns::Other, |b| b.ns);
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// Record the `xmlns` / `xmlns:p` declarations of a start tag.
    fn declare(&mut self, start: &BytesStart<'a>, pos: usize) -> Result<(), IngestError> {
        let mut rest = start.attributes_raw();
        loop {
            let (key, value, after) = match next_attribute(rest) {
                Ok(Some(a)) => a,
                Ok(None) => break,
                Err(why) => return Err(self.syntax_at(pos, why.to_string())),
            };
            rest = after;
            let prefix = if key == b"xmlns" {
                &[][..]
            } else if let Some(p) = key.strip_prefix(b"xmlns:") {
                p
            } else {
                continue;
            };
            let raw = String::from_utf8_lossy(value);
            let uri = match quick_xml::escape::unescape(&raw) {
                Ok(v) => v.into_owned(),
                Err(_) => raw.into_owned(),
            };
            let ns = if uri.starts_with(BOM_NS_PREFIX) {
                Ns::Bom
            } else if uri.as_bytes() == DG_NS {
                Ns::DepGraph
            } else {
                Ns::Other
            };
            let binding = Binding {
                ns,
                uri: uri.into_boxed_str(),
            };
            self.declared.push((self.depth, prefix.into()));
            self.bindings
                .entry(prefix.into())
                .or_default()
                .push(binding);
        }
        self.default_ns = self.resolve(None).map_or(Ns::Other, |b| b.ns);
        Ok(())
    }

    /// The binding of an element's prefix (`None` for no prefix: the default namespace).
    fn resolve(&self, prefix: Option<&[u8]>) -> Option<&Binding> {
        self.bindings.get(prefix.unwrap_or(&[]))?.last()
    }

    fn open(&mut self, start: BytesStart<'a>, empty: bool) -> Result<Ev<'a>, IngestError> {
        // The `<` just before the name (leading whitespace is not reported as text, so the
        // reader's position before the event may be earlier).
        let pos = self
            .offset_of(start.name().into_inner())
            .map_or(self.last_pos, |name| name.saturating_sub(1));
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(IngestError::TooDeep {
                limit: self.max_depth,
                location: self.location(pos),
            });
        }
        self.pending_end = empty;
        if self.xmlns.find(start.attributes_raw()).is_some() {
            self.declare(&start, pos)?;
        }
        let qname = start.name().into_inner();
        let (ns, local_start) = match memchr::memchr(b':', qname) {
            None => (self.default_ns, 0),
            Some(colon) => {
                let prefix = qname.get(..colon).unwrap_or_default();
                (
                    self.resolve(Some(prefix)).map_or(Ns::Other, |b| b.ns),
                    colon + 1,
                )
            }
        };
        if self.root_ns.is_none() {
            let prefix =
                (local_start > 0).then(|| qname.get(..local_start - 1).unwrap_or_default());
            let uri = self.resolve(prefix).map(|b| b.uri.to_string());
            self.root_ns = Some(uri.unwrap_or_default());
        }
        Ok(Ev::Start(Tag {
            ns,
            start,
            pos,
            local_start,
        }))
    }

    /// Skip the rest of the element whose start tag was just read (its end tag included).
    pub fn skip(&mut self) -> Result<(), IngestError> {
        let target = self.depth.saturating_sub(1);
        loop {
            match self.next()? {
                Ev::End if self.depth == target => return Ok(()),
                Ev::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
    }

    /// The character content of the element whose start tag was just read: text, CDATA and
    /// references joined, child elements skipped; consumes the end tag. Borrowed from the
    /// input when it is one plain text run.
    pub fn text(&mut self) -> Result<Cow<'a, str>, IngestError> {
        let target = self.depth.saturating_sub(1);
        let mut out: Cow<'a, str> = Cow::Borrowed("");
        loop {
            let ev = self.next()?;
            let here = self.last_pos;
            match ev {
                Ev::End if self.depth == target => return Ok(out),
                Ev::Text(t) if self.depth == target + 1 => {
                    if t.first() == Some(&b'&') {
                        self.odd.dangling_amps += 1;
                        self.odd.first_dangling_amp.get_or_insert(here);
                    }
                    // The reader drops whitespace at the start of a text run; after a
                    // reference or CDATA that whitespace is content, so take the run from the
                    // input, from where the event began.
                    let s = match self.offset_of(&t) {
                        Some(start) if start >= here => self
                            .text
                            .get(here..start + t.len())
                            .map_or_else(|| self.str_of(t), Cow::Borrowed),
                        _ => self.str_of(t),
                    };
                    append(&mut out, normalize_eols(s));
                }
                Ev::CData(c) if self.depth == target + 1 => {
                    let s = normalize_eols(self.str_of(c));
                    append(&mut out, s);
                }
                Ev::Ref(r) if self.depth == target + 1 => {
                    let s = self.resolve_ref(&r, here);
                    append(&mut out, s);
                }
                Ev::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
    }

    /// The five predefined entities and character references; anything else is kept as
    /// written (`&name;`) and counted: bomvet never expands declared entities.
    fn resolve_ref(&mut self, r: &BytesRef<'a>, pos: usize) -> Cow<'a, str> {
        let name: &[u8] = r;
        let s = match name {
            b"lt" => "<",
            b"gt" => ">",
            b"amp" => "&",
            b"apos" => "'",
            b"quot" => "\"",
            _ => {
                if r.is_char_ref() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        return Cow::Owned(c.to_string());
                    }
                }
                let written = format!("&{};", String::from_utf8_lossy(name));
                self.odd.unknown_entities += 1;
                if self.odd.first_unknown_entity.is_none() {
                    self.odd.first_unknown_entity = Some((written.clone(), pos));
                }
                return Cow::Owned(written);
            }
        };
        Cow::Borrowed(s)
    }

    /// The value of the unprefixed attribute `name` of `tag`, unescaped. A value with an
    /// unknown entity is kept as written (and counted); a malformed attribute list is a
    /// syntax error at the tag.
    pub fn attr(
        &mut self,
        tag: &Tag<'a>,
        name: &[u8],
    ) -> Result<Option<Cow<'a, str>>, IngestError> {
        let mut out = [None];
        self.attrs(tag, &[name], &mut out)?;
        let [v] = out;
        Ok(v)
    }

    /// The values of the unprefixed attributes `names` of `tag` in one pass (see [`Self::attr`]).
    pub fn attrs<const N: usize>(
        &mut self,
        tag: &Tag<'a>,
        names: &[&[u8]; N],
        out: &mut [Option<Cow<'a, str>>; N],
    ) -> Result<(), IngestError> {
        let mut rest = tag.start.attributes_raw();
        loop {
            let (key, value, after) = match next_attribute(rest) {
                Ok(Some(a)) => a,
                Ok(None) => break,
                Err(why) => return Err(self.syntax_at(tag.pos, why.to_string())),
            };
            rest = after;
            let Some(i) = names.iter().position(|n| *n == key) else {
                continue;
            };
            let raw = self.str_of(Cow::Borrowed(value));
            let value = if raw.contains('&') {
                match quick_xml::escape::unescape(&raw) {
                    Ok(v) => Cow::Owned(v.into_owned()),
                    Err(_) => {
                        self.odd.unknown_entities += 1;
                        if self.odd.first_unknown_entity.is_none() {
                            self.odd.first_unknown_entity = Some((raw.to_string(), tag.pos));
                        }
                        raw
                    }
                }
            } else {
                raw
            };
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(value);
            }
        }
        Ok(())
    }

    /// Offset in the input of a slice of it (`None` for bytes held elsewhere).
    fn offset_of(&self, b: &[u8]) -> Option<usize> {
        let start = (b.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        (start.checked_add(b.len())? <= self.text.len()).then_some(start)
    }

    /// Bytes of an event as text. Event bytes are slices of the input (a `&str`) cut at ASCII
    /// markup, so they are re-sliced from it (no UTF-8 re-validation); anything else (never
    /// expected) is converted lossily.
    fn str_of<'s>(&self, bytes: Cow<'s, [u8]>) -> Cow<'a, str> {
        let b: &[u8] = &bytes;
        let base = self.text.as_ptr() as usize;
        let start = (b.as_ptr() as usize).wrapping_sub(base);
        if let Some(s) = start
            .checked_add(b.len())
            .and_then(|end| self.text.get(start..end))
        {
            if s.as_ptr() == b.as_ptr() {
                return Cow::Borrowed(s);
            }
        }
        Cow::Owned(String::from_utf8_lossy(b).into_owned())
    }
}

/// XML end-of-line handling: `\r\n` and lone `\r` read as `\n`.
fn normalize_eols(s: Cow<'_, str>) -> Cow<'_, str> {
    if memchr::memchr(b'\r', s.as_bytes()).is_none() {
        return s;
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// One attribute cut from raw start-tag bytes: name, value as written, the bytes after it.
type RawAttribute<'s> = (&'s [u8], &'s [u8], &'s [u8]);

/// The first attribute of raw start-tag attribute bytes, `None` when there are no more.
/// Values are quoted with `"` or `'`; whitespace may surround `=`.
fn next_attribute(raw: &[u8]) -> Result<Option<RawAttribute<'_>>, &'static str> {
    let is_space = |c: &u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let Some(start) = raw.iter().position(|c| !is_space(c)) else {
        return Ok(None);
    };
    let raw = raw.get(start..).unwrap_or_default();
    let key_end = raw
        .iter()
        .position(|c| *c == b'=' || is_space(c))
        .ok_or("attribute without a value")?;
    let (key, rest) = raw.split_at(key_end);
    let eq = rest
        .iter()
        .position(|c| !is_space(c))
        .ok_or("attribute without a value")?;
    let rest = rest.get(eq..).unwrap_or_default();
    let Some((b'=', rest)) = rest.split_first() else {
        return Err("attribute without `=`");
    };
    let q = rest
        .iter()
        .position(|c| !is_space(c))
        .ok_or("attribute without a value")?;
    let rest = rest.get(q..).unwrap_or_default();
    let Some((&quote, rest)) = rest.split_first() else {
        return Err("attribute without a value");
    };
    if quote != b'"' && quote != b'\'' {
        return Err("attribute value without quotes");
    }
    let end = memchr::memchr(quote, rest).ok_or("unclosed attribute value")?;
    let (value, rest) = rest.split_at(end);
    Ok(Some((key, value, rest.get(1..).unwrap_or_default())))
}

fn append<'a>(out: &mut Cow<'a, str>, s: Cow<'a, str>) {
    if out.is_empty() {
        *out = s;
    } else {
        out.to_mut().push_str(&s);
    }
}
