//! SPDX 2.2 / 2.3: JSON, YAML, XML, tag-value, RDF/XML.

use crate::sbom::{Builder, IngestError, Limits};

fn todo_reader() -> Result<(), IngestError> {
    Err(IngestError::Unsupported {
        what: "format (reader not built yet)".into(),
    })
}

pub fn read_json(_text: &str, _b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    todo_reader()
}
pub fn read_yaml(_text: &str, _b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    todo_reader()
}
pub fn read_xml(_text: &str, _b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    todo_reader()
}
pub fn read_tag_value(_text: &str, _b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    todo_reader()
}
pub fn read_rdf_xml(_text: &str, _b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    todo_reader()
}
