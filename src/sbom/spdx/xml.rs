//! SPDX 2 XML: the JSON document as elements under a root `<Document>`, each array entry as a
//! repeated element. Read by a small streaming serde deserializer over quick-xml, so the same
//! visitors as JSON and YAML ([`super::wire`]) apply:
//!
//! - an element with child elements is a map (its children are the keys, in order; a key that
//!   repeats is handed over again, and the visitors append);
//! - an element with only text is a string (borrowed when it has no entity references);
//! - an empty element (`<x/>`) is null;
//! - every map first yields the synthetic key [`LINE_KEY`] with the element's line, which is how
//!   packages, files and relationships get their locations.
//!
//! Attributes and mixed content are ignored; nesting is bounded by `limits.max_depth`.

use std::fmt;

use quick_xml::events::Event;
use quick_xml::Reader;
use serde::de::value::{BorrowedStrDeserializer, StringDeserializer, U32Deserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::ingest::{Ingest, LocMode};
use super::wire::{DocSeed, LINE_KEY};
use super::xmlutil::{reborrow, resolve_ref, xml_error, LineCounter, TextAcc};
use crate::sbom::error::line_col;
use crate::sbom::{Builder, IngestError, Limits, Location};

const FORMAT: &str = "SPDX XML";

/// Why deserialization stopped.
#[derive(Debug)]
pub(crate) enum DeError {
    Xml(quick_xml::Error),
    Eof,
    TooDeep,
    Custom(String),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeError::Xml(e) => write!(f, "{e}"),
            DeError::Eof => f.write_str("unexpected end of document"),
            DeError::TooDeep => f.write_str("nesting too deep"),
            DeError::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::Custom(msg.to_string())
    }
}

struct XmlDe<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
    peeked: Option<(Event<'a>, usize)>,
    lines: LineCounter<'a>,
    depth: usize,
    max_depth: usize,
    /// Byte offset where the last event read began.
    pos: usize,
}

impl<'a> XmlDe<'a> {
    fn new(text: &'a str, limits: &Limits) -> XmlDe<'a> {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        XmlDe {
            text,
            reader,
            peeked: None,
            lines: LineCounter::new(text),
            depth: 0,
            max_depth: limits.max_depth,
            pos: 0,
        }
    }

    fn next(&mut self) -> Result<Event<'a>, DeError> {
        if let Some((e, pos)) = self.peeked.take() {
            self.pos = pos;
            return Ok(e);
        }
        self.pos = self.reader.buffer_position() as usize;
        self.reader.read_event().map_err(DeError::Xml)
    }

    fn put_back(&mut self, e: Event<'a>) {
        self.peeked = Some((e, self.pos));
    }

    fn line(&mut self) -> u32 {
        self.lines.line_at(self.pos)
    }

    fn enter(&mut self) -> Result<(), DeError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(DeError::TooDeep);
        }
        Ok(())
    }

    /// The element name of a start tag as a `'a` string (local part, prefix dropped).
    fn key(&self, raw: &[u8]) -> Result<KeyName<'a>, DeError> {
        let local = match raw.iter().rposition(|&c| c == b':') {
            Some(i) => &raw[i + 1..],
            None => raw,
        };
        match reborrow(self.text, local) {
            Some(s) => Ok(KeyName::Borrowed(s)),
            None => Ok(KeyName::Owned(String::from_utf8_lossy(local).into_owned())),
        }
    }
}

enum KeyName<'a> {
    Borrowed(&'a str),
    Owned(String),
}

/// The value of one element whose start tag has just been read.
struct ValueDe<'r, 'a> {
    de: &'r mut XmlDe<'a>,
    empty: bool,
    /// Byte offset of the start tag (its line is only counted when a map asks for it).
    pos: usize,
}

impl<'de> Deserializer<'de> for ValueDe<'_, 'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.empty {
            return visitor.visit_unit();
        }
        self.de.enter()?;
        let mut text = TextAcc::default();
        loop {
            match self.de.next()? {
                Event::Text(t) => {
                    // The input is already UTF-8: take the slice itself unless line ends need
                    // normalising.
                    let raw: &[u8] = &t;
                    match reborrow(self.de.text, raw) {
                        Some(s) if memchr::memchr(b'\r', raw).is_none() => {
                            text.push(std::borrow::Cow::Borrowed(s))
                        }
                        _ => text.push(t.xml10_content().map_err(|e| DeError::Xml(e.into()))?),
                    }
                }
                Event::CData(c) => text.push(c.decode().map_err(|e| DeError::Xml(e.into()))?),
                Event::GeneralRef(r) => text.push_str(&resolve_ref(&r)),
                e @ (Event::Start(_) | Event::Empty(_)) => {
                    self.de.put_back(e);
                    return visitor.visit_map(MapAcc {
                        de: self.de,
                        pos: self.pos,
                        state: MapState::LineKey,
                    });
                }
                Event::End(_) => {
                    self.de.depth -= 1;
                    return match text.take() {
                        std::borrow::Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
                        std::borrow::Cow::Owned(s) => visitor.visit_string(s),
                    };
                }
                Event::Eof => return Err(DeError::Eof),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.empty {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.empty {
            return visitor.visit_unit();
        }
        self.de.enter()?;
        let mut nested = 0usize;
        loop {
            match self.de.next()? {
                Event::Start(_) => {
                    nested += 1;
                    if self.de.depth + nested > self.de.max_depth {
                        return Err(DeError::TooDeep);
                    }
                }
                Event::End(_) => {
                    if nested == 0 {
                        self.de.depth -= 1;
                        return visitor.visit_unit();
                    }
                    nested -= 1;
                }
                Event::Eof => return Err(DeError::Eof),
                _ => {}
            }
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
    }
}

enum MapState {
    LineKey,
    LineValue,
    Child { empty: bool, pos: usize },
    Between,
}

/// The children of an element, as map entries.
struct MapAcc<'r, 'a> {
    de: &'r mut XmlDe<'a>,
    pos: usize,
    state: MapState,
}

impl<'de> MapAccess<'de> for MapAcc<'_, 'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if let MapState::LineKey = self.state {
            self.state = MapState::LineValue;
            return seed
                .deserialize(BorrowedStrDeserializer::<DeError>::new(LINE_KEY))
                .map(Some);
        }
        loop {
            let (raw_empty, name) = match self.de.next()? {
                Event::Start(e) => (false, self.de.key(e.name().as_ref())?),
                Event::Empty(e) => (true, self.de.key(e.name().as_ref())?),
                Event::End(_) => {
                    self.de.depth -= 1;
                    return Ok(None);
                }
                Event::Eof => return Err(DeError::Eof),
                _ => continue,
            };
            self.state = MapState::Child {
                empty: raw_empty,
                pos: self.de.pos,
            };
            return match name {
                KeyName::Borrowed(s) => seed.deserialize(BorrowedStrDeserializer::new(s)).map(Some),
                KeyName::Owned(s) => seed.deserialize(StringDeserializer::new(s)).map(Some),
            };
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match std::mem::replace(&mut self.state, MapState::Between) {
            MapState::LineValue => {
                let line = self.de.lines.line_at(self.pos);
                seed.deserialize(U32Deserializer::new(line))
            }
            MapState::Child { empty, pos } => seed.deserialize(ValueDe {
                de: self.de,
                empty,
                pos,
            }),
            MapState::LineKey | MapState::Between => {
                Err(de::Error::custom("value requested before its key"))
            }
        }
    }
}

/// Read SPDX 2 XML.
pub fn read(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    let mut de = XmlDe::new(text, limits);
    let mut ing = Ingest::new(b, LocMode::Line);
    let result = read_root(&mut de, &mut ing);
    if let Err(e) = result {
        let offset = match &e {
            DeError::Xml(_) => de.reader.error_position() as usize,
            _ => de.pos,
        };
        return Err(match e {
            DeError::Xml(x) => xml_error(FORMAT, text, offset, &x),
            DeError::Eof => {
                let (line, column) = line_col(text, text.len());
                IngestError::Truncated {
                    format: FORMAT,
                    line,
                    column,
                }
            }
            DeError::TooDeep => IngestError::TooDeep {
                limit: limits.max_depth,
                location: Location::line(de.lines.line_at(offset)),
            },
            DeError::Custom(message) => IngestError::Type {
                location: Location::line(de.lines.line_at(offset)),
                message,
            },
        });
    }
    ing.finish();
    Ok(())
}

fn read_root(de: &mut XmlDe<'_>, ing: &mut Ingest<'_>) -> Result<(), DeError> {
    loop {
        let (empty, name) = match de.next()? {
            Event::Start(e) => (
                false,
                String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
            ),
            Event::Empty(e) => (
                true,
                String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
            ),
            Event::Eof => return Err(DeError::Eof),
            _ => continue,
        };
        let pos = de.pos;
        if name != "Document" {
            let line = de.line();
            ing.b.warn(
                "unexpected-root",
                format!("the root element is <{name}>, not <Document>; read as the document"),
                Location::line(line),
            );
        }
        return DocSeed { ing }.deserialize(ValueDe { de, empty, pos });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbom::Format;

    fn read_str(xml: &str) -> Result<crate::sbom::Document, IngestError> {
        let mut b = Builder::new("t", Format::SpdxXml);
        read(xml, &mut b, &Limits::default())?;
        b.finish(false)
    }

    const DOC: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<Document>
  <SPDXID>SPDXRef-DOCUMENT</SPDXID>
  <spdxVersion>SPDX-2.3</spdxVersion>
  <name>x &amp; y</name>
  <documentNamespace>https://example.com/ns</documentNamespace>
  <documentDescribes>SPDXRef-a</documentDescribes>
  <packages>
    <SPDXID>SPDXRef-a</SPDXID>
    <name>a</name>
    <versionInfo>1.10</versionInfo>
    <checksums>
      <algorithm>SHA1</algorithm>
      <checksumValue>AB</checksumValue>
    </checksums>
    <filesAnalyzed>false</filesAnalyzed>
    <hasFiles>SPDXRef-f</hasFiles>
  </packages>
  <packages>
    <SPDXID>SPDXRef-b</SPDXID>
    <name>b</name>
    <externalRefs>
      <referenceCategory>PACKAGE-MANAGER</referenceCategory>
      <referenceType>purl</referenceType>
      <referenceLocator>pkg:npm/b@2</referenceLocator>
    </externalRefs>
    <bogus>1</bogus>
  </packages>
  <files>
    <SPDXID>SPDXRef-f</SPDXID>
    <fileName>./f.c</fileName>
  </files>
  <relationships>
    <spdxElementId>SPDXRef-a</spdxElementId>
    <relationshipType>DEPENDS_ON</relationshipType>
    <relatedSpdxElement>SPDXRef-b</relatedSpdxElement>
  </relationships>
</Document>
"#;

    #[test]
    fn xml_document_maps_like_json() {
        let d = read_str(DOC).unwrap();
        assert_eq!(d.spec_version, "2.3");
        assert_eq!(d.name.as_deref(), Some("x & y"));
        assert_eq!(d.serial.as_deref(), Some("https://example.com/ns"));
        assert_eq!(d.components.len(), 3);
        let a = &d.components[0];
        assert_eq!(a.bom_ref, "SPDXRef-a");
        assert_eq!(a.version.as_deref(), Some("1.10"));
        assert_eq!(a.hashes[0].alg, "SHA1");
        assert_eq!(a.location, Location::line(8));
        assert_eq!(d.components[1].purl.as_deref(), Some("pkg:npm/b@2"));
        assert_eq!(d.components[2].location, Location::line(29));
        assert_eq!(d.roots, vec![0]);
        let kinds: Vec<String> = d.relationships.iter().map(|r| r.kind.name()).collect();
        assert_eq!(kinds, vec!["contains", "depends-on"]);
    }

    #[test]
    fn unknown_xml_element_is_an_unknown_field_with_line() {
        let d = read_str(DOC).unwrap();
        let w = d
            .warnings
            .iter()
            .find(|w| w.code == "unknown-field")
            .expect("unknown field warning");
        assert!(w.message.contains("bogus"), "{}", w.message);
        assert_eq!(w.location, Location::line(19));
    }

    #[test]
    fn truncated_xml_is_a_truncation_error() {
        let cut = &DOC[..DOC.len() / 2];
        let e = read_str(cut).unwrap_err();
        assert!(matches!(e, IngestError::Truncated { .. }), "{e:?}");
    }

    #[test]
    fn mismatched_end_tag_is_a_syntax_error_with_line() {
        let e = read_str("<Document>\n<name>x</nome>\n</Document>").unwrap_err();
        match e {
            IngestError::Syntax { line, .. } => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let mut s = String::from("<Document><bogus>");
        for _ in 0..200 {
            s.push_str("<a>");
        }
        for _ in 0..200 {
            s.push_str("</a>");
        }
        s.push_str("</bogus></Document>");
        let e = read_str(&s).unwrap_err();
        assert!(matches!(e, IngestError::TooDeep { .. }), "{e:?}");
    }

    #[test]
    fn empty_elements_are_null_and_single_elements_are_arrays() {
        let d = read_str(
            "<Document><spdxVersion>SPDX-2.2</spdxVersion><packages/><packages><SPDXID>SPDXRef-p</SPDXID><name>p</name><versionInfo/></packages></Document>",
        )
        .unwrap();
        assert_eq!(d.components.len(), 1);
        assert_eq!(d.components[0].version, None);
    }

    #[test]
    fn empty_and_rootless_inputs_are_clean_errors() {
        assert!(matches!(read_str(""), Err(IngestError::Truncated { .. })));
        assert!(matches!(
            read_str("<?xml version='1.0'?><!-- nothing -->"),
            Err(IngestError::Truncated { .. })
        ));
    }

    #[test]
    fn other_root_is_read_with_a_warning() {
        let d = read_str("<Doc><spdxVersion>SPDX-2.2</spdxVersion></Doc>").unwrap();
        assert!(d.warnings.iter().any(|w| w.code == "unexpected-root"));
        assert_eq!(d.spec_version, "2.2");
    }

    #[test]
    fn wrong_shape_is_a_type_error() {
        let e = read_str("<Document><packages>text</packages></Document>").unwrap_err();
        assert!(matches!(e, IngestError::Type { .. }), "{e:?}");
    }
}
