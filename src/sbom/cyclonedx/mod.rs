//! CycloneDX 1.0–1.7, JSON and XML.

pub mod common;
pub mod json;
pub mod xml;
