//! SPDX 2 JSON and YAML: one set of serde visitors ([`super::wire`]) over `serde_json` and
//! `serde_yaml_ng`. Locations are JSON pointers (`/packages/3`) in both.

use serde::de::DeserializeSeed;

use super::ingest::{Ingest, LocMode};
use super::wire::DocSeed;
use crate::sbom::builder::occurrences;
use crate::sbom::{Builder, IngestError, Limits, Location};

/// Read SPDX 2 JSON. `serde_json` bounds nesting at 128 levels (reported as too deep); the
/// SPDX 2 schema itself nests no deeper than five.
pub fn read_json(text: &str, b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    // Every package and file has an SPDXID (so do the document and snippets: a few spare).
    let ids = occurrences(text, b"\"SPDXID\"");
    b.reserve_components(text, ids, 64);
    // Edges: one per relationship, plus at most one `hasFiles` containment per file.
    let rels = occurrences(text, b"\"relationshipType\"");
    b.reserve_edges(text, rels + ids, 32);
    let mut ing = Ingest::new(b, LocMode::Pointer);
    let mut de = serde_json::Deserializer::from_str(text);
    DocSeed { ing: &mut ing }
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| IngestError::from_json("SPDX JSON", &e))?;
    ing.finish();
    Ok(())
}

/// Read SPDX 2 YAML (same keys as JSON).
pub fn read_yaml(text: &str, b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    let ids = occurrences(text, b"SPDXID:");
    b.reserve_components(text, ids, 64);
    b.reserve_edges(text, occurrences(text, b"relationshipType:") + ids, 32);
    let mut ing = Ingest::new(b, LocMode::Pointer);
    let de = serde_yaml_ng::Deserializer::from_str(text);
    DocSeed { ing: &mut ing }
        .deserialize(de)
        .map_err(|e| yaml_error(&e))?;
    ing.finish();
    Ok(())
}

/// Map a YAML error onto the ingestion errors, with line and column where the parser knows them.
fn yaml_error(e: &serde_yaml_ng::Error) -> IngestError {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    if message.contains("recursion limit exceeded") {
        return IngestError::TooDeep {
            limit: 128,
            location: Location::line(line as u32),
        };
    }
    let data_error = [
        "invalid type",
        "invalid value",
        "invalid length",
        "missing field",
    ]
    .iter()
    .any(|p| message.starts_with(p) || message.contains(&format!(": {p}")));
    if data_error {
        return IngestError::Type {
            location: Location::line(line as u32),
            message,
        };
    }
    if message.contains("end of stream") || message.contains("unexpected end") {
        return IngestError::Truncated {
            format: "SPDX YAML",
            line,
            column,
        };
    }
    IngestError::Syntax {
        format: "SPDX YAML",
        line,
        column,
        message,
    }
}
