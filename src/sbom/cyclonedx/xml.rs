//! Placeholder until the reader lands.

use crate::sbom::{Builder, IngestError, Limits};

pub fn read(_text: &str, _b: &mut Builder, _limits: &Limits) -> Result<(), IngestError> {
    Err(IngestError::Unsupported {
        what: "format (reader not built yet)".into(),
    })
}
