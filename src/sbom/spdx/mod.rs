//! SPDX 2.0–2.3 readers: JSON, YAML, XML, tag-value and RDF/XML.
//!
//! All five serialisations end up in the same place: JSON, YAML and XML share the serde wire
//! visitors of `wire` (XML through a small streaming deserializer, `xml`); tag-value
//! (`tagvalue`) and RDF/XML (`rdf`) fill the same wire structs by hand. Every wire element
//! then goes through `ingest::Ingest`, the single field mapping to the model, and every
//! relationship through [`relationships::map`], the single relationship mapping. This module
//! owns nothing but the entry points.

mod ingest;
mod json;
mod rdf;
pub mod relationships;
mod tagvalue;
mod wire;
mod xml;
mod xmlutil;

#[cfg(test)]
mod tests;

use crate::sbom::{Builder, IngestError, Limits};

/// SPDX 2 JSON.
pub fn read_json(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    json::read_json(text, b, limits)
}

/// SPDX 2 YAML.
pub fn read_yaml(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    json::read_yaml(text, b, limits)
}

/// SPDX 2 XML (root `<Document>`, the JSON keys as elements).
pub fn read_xml(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    xml::read(text, b, limits)
}

/// SPDX 2 tag-value.
pub fn read_tag_value(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    tagvalue::read(text, b, limits)
}

/// SPDX 2 RDF/XML.
pub fn read_rdf_xml(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    rdf::read(text, b, limits)
}
