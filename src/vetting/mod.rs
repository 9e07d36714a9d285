//! Vetting many submissions: the submission manifest (`--manifest`), the roll-up of a run over
//! many documents, and the comparison of two versions of one product's SBOM (`bomvet diff`).
//! Everything here works on [`crate::report`] values after the audit; nothing prints.

pub mod csv;
pub mod diff;
pub mod manifest;
pub mod rollup;
